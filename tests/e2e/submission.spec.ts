// 上报 end to end, in Chromium against the browser host: a unit's clerk explains the 提示, writes the package to
// a folder (the "USB stick"), sees the budget locked and refusing edits, unlocks with a reason, edits and sees
// what changed; the supervising department, on another host with its own file, receives the package (and
// refuses a damaged one) and sees the unit in its consolidated tables. Line items go out to and back from .xlsx.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { cell, cleanup, expectStored, reveal, settled, shot, startHost, startWithFixture, tempBudgetDir, type RunningHost } from './host.js';

interface LineRow {
  id: number;
  functional: string;
  economic: string;
  kind: string;
  amount: string;
}

const LOCKED_MESSAGE = '预算已上报并锁定，如需修改请先解锁';

let hosts: RunningHost[] = [];

test.afterEach(async () => {
  for (const h of hosts) await cleanup(h);
  hosts = [];
});

async function openApp(page: Page, h: RunningHost): Promise<void> {
  await page.goto(h.url);
  await expect(page.getByTestId('statusbar')).toContainText('合计');
}

/** P05 and P09 carry 项目总金额 below 本年度金额 in the publication: set 总金额 to 本年度金额 through the wizard API. */
async function fixProjects(h: RunningHost): Promise<void> {
  for (const code of ['P05', 'P09']) {
    const p = await h.api<{ fields: Record<string, string> }>('wizard.project', { code });
    const f = p.fields;
    const keys = ['code', 'name', 'unit', 'category', 'functional', 'usage', 'leader', 'contact', 'phone', 'start', 'end', 'totalAmount', 'yearAmount', 'priorTotalAmount', 'priorYearAmount'];
    const values = Object.fromEntries(keys.map((k) => [k, f[k] ?? '']));
    values.totalAmount = f.yearAmount!;
    await h.api('wizard.saveBasics', { code, values });
  }
}

/** The fixture's 基本工资 line of 2010350 (140.9 万元). */
async function wagesLine(h: RunningHost): Promise<LineRow> {
  const list = await h.api<{ lines: LineRow[] }>('lines.list');
  const line = list.lines.find((l) => l.functional === '2010350' && l.economic === '30101' && l.kind === 'basic');
  if (!line) throw new Error('line 2010350/30101 missing');
  return line;
}

test('a unit submits, is locked, unlocks with a reason and sees the diff; the department receives it', async ({ page }) => {
  // Two hosts, two packages written and verified, two received: on a loaded machine this takes minutes.
  test.setTimeout(360_000);
  const unit = await startWithFixture();
  hosts.push(unit);
  const stick = join(unit.dir, 'U盘');
  mkdirSync(stick);
  await openApp(page, unit);

  // With P05 and P09 unfixed the 上报 dialog lists them as errors and cannot start.
  await page.locator('[data-action="submit"]').click();
  const dialog = page.getByTestId('submit-dialog');
  await expect(dialog.getByTestId('submit-hard')).toContainText('P05');
  await expect(dialog.locator('[data-action="start-submit"]')).toBeDisabled();
  await expect(dialog.getByTestId('submit-blockers')).toContainText('还有 2 个错误须改正');
  await shot(page, 'submission-01-blocked');
  // A finding leads to its place, as in the 审核 panel.
  await dialog.getByTestId('submit-hard').locator('.finding').first().click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('table-T11:P05')).toBeVisible();

  await fixProjects(unit);
  await page.reload();
  await expect(page.getByTestId('statusbar')).toContainText('合计');
  await page.locator('[data-action="submit"]').click();
  await expect(dialog.getByTestId('submit-hard')).toHaveCount(0);
  const notes = dialog.getByTestId('submit-soft').locator('textarea');
  // The dialog reads the 审核 state first: count the 说明 boxes once they are there.
  await expect(notes.first()).toBeVisible();
  const count = await notes.count();
  expect(count).toBeGreaterThan(0);
  // The first 说明 is typed, the dialog closed and opened again: the draft is kept in the file.
  await notes.first().fill('该项按单位实际情况编列，已核实');
  await notes.first().blur();
  // The draft is in the file once the status bar says 已保存 again.
  await settled(page);
  await dialog.getByRole('button', { name: '取消' }).click();
  await page.locator('[data-action="submit"]').click();
  await expect(notes.first()).toHaveValue('该项按单位实际情况编列，已核实');
  for (let i = 1; i < count; i++) await notes.nth(i).fill(`第 ${i + 1} 条提示已核实，按实际需要编列`);
  await expect(dialog.getByTestId('submit-blockers')).toHaveText('请选择保存位置');
  // A stick that is not there: the reason, and that nothing was written or locked.
  await dialog.getByTestId('submit-folder-input').fill(join(unit.dir, '已拔出的U盘'));
  await dialog.locator('[data-action="start-submit"]').click();
  const failure = dialog.getByTestId('submit-error');
  await expect(failure).toContainText('不存在或无法访问（U 盘是否已插好？）');
  await expect(failure).toContainText('没有向目标文件夹写入任何文件，预算未锁定');
  await shot(page, 'submission-02-error');
  await dialog.getByTestId('submit-folder-input').fill(stick);
  await shot(page, 'submission-02-notes');
  await dialog.locator('[data-action="start-submit"]').click();
  const result = dialog.getByTestId('submit-result');
  await expect(result).toBeVisible({ timeout: 60_000 });
  const fileName = (await dialog.getByTestId('submit-file-name').textContent())!;
  expect(fileName).toMatch(/^2020_074_济源市行政服务中心_\d{8}-\d{4}\.zip$/);
  await expect(result).toContainText(stick);
  await expect(dialog.locator('[data-step]')).toHaveCount(4);
  for (const step of ['tables', 'pdf', 'write', 'verify']) await expect(dialog.locator(`[data-step="${step}"]`)).toHaveAttribute('data-state', 'done');
  expect(readdirSync(stick)).toEqual([fileName]);
  await shot(page, 'submission-03-done');
  await dialog.locator('.modal-foot').getByRole('button', { name: '关闭' }).click();

  // 已上报: badge with the time, banner, read-only grid, the host refuses anyway.
  await expect(page.getByTestId('submitted-badge')).toContainText('已上报');
  await expect(page.getByTestId('locked-banner')).toBeVisible();
  await expect(page.getByTestId('status-submitted')).toBeVisible();
  await expect(page.locator('[data-action="add-line"]')).toBeDisabled();
  await expect(page.locator('[data-action="import-lines-xlsx"]')).toBeDisabled();
  const line = await wagesLine(unit);
  await reveal(page, line.id);
  const amount = cell(page, line.id, 'amount');
  await amount.dblclick();
  await expect(page.locator('.ag-cell-inline-editing')).toHaveCount(0);
  await amount.click();
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('toast-info').filter({ hasText: LOCKED_MESSAGE })).toBeVisible();
  await expect(amount).toHaveText('140.90');
  await expect(unit.api('lines.update', { id: line.id, field: 'amount', value: '1' })).rejects.toThrow(LOCKED_MESSAGE);
  await page.getByRole('tab', { name: '绩效目标' }).click();
  await expect(page.locator('fieldset.sub-lock-scope')).toHaveAttribute('data-locked', 'true');
  await shot(page, 'submission-04-locked-performance');
  await page.getByRole('tab', { name: '预算明细' }).click();
  await shot(page, 'submission-05-locked');

  // 解锁 asks for a reason.
  await page.locator('[data-action="banner-unlock"]').click();
  const unlock = page.getByTestId('unlock-dialog');
  await expect(unlock.locator('[data-action="confirm-unlock"]')).toBeDisabled();
  await unlock.getByTestId('unlock-reason').fill('财政局审核退回：调整基本工资');
  await shot(page, 'submission-06-unlock');
  await unlock.locator('[data-action="confirm-unlock"]').click();
  await expect(page.getByTestId('submitted-badge')).toHaveCount(0);
  await expect(page.getByTestId('locked-banner')).toHaveCount(0);

  // Edit a line, then see it against the submitted version.
  await reveal(page, line.id);
  await amount.click();
  await page.keyboard.type('150.9');
  await page.keyboard.press('Enter');
  await expectStored(page, line.id, 'amount', '150.90');
  await page.getByRole('tab', { name: '上报与汇总' }).click();
  const pane = page.getByTestId('submission-pane');
  await expect(pane.getByTestId('pane-state')).toHaveText('已解锁 · 修改后须重新上报');
  const since = pane.getByTestId('since-submission');
  await expect(since.getByTestId('diff-lines')).toContainText('新增 0，删除 0，修改 1');
  const changedRow = since.getByTestId('diff-lines').locator('tbody tr').first();
  await expect(changedRow).toContainText('2010350');
  await expect(changedRow).toContainText('140.9 → 150.9');
  await expect(since).toContainText('1,740.2');
  await expect(since).toContainText('1,750.2');
  await expect(since.getByTestId('diff-cells')).toContainText('T01');
  await expect(pane.getByTestId('lock-events')).toContainText('财政局审核退回：调整基本工资');
  await shot(page, 'submission-07-diff');
  // A line of the diff leads back to the grid.
  await changedRow.click();
  await expect(page.getByRole('tab', { name: '预算明细' })).toHaveAttribute('aria-selected', 'true');

  // 上报 again: the folder of the last 上报 is offered, the 说明 are still there.
  await page.locator('[data-action="submit"]').click();
  await expect(dialog.getByTestId('submit-folder-input')).toHaveValue(stick);
  const again = dialog.getByTestId('submit-soft').locator('textarea');
  for (let i = 0; i < (await again.count()); i++) if ((await again.nth(i).inputValue()) === '') await again.nth(i).fill('调整后已核实');
  await dialog.locator('[data-action="start-submit"]').click();
  await expect(dialog.getByTestId('submit-result')).toBeVisible({ timeout: 60_000 });
  const secondName = (await dialog.getByTestId('submit-file-name').textContent())!;
  expect(secondName).not.toBe(fileName);
  await dialog.locator('.modal-foot').getByRole('button', { name: '关闭' }).click();
  await expect(page.getByTestId('submitted-badge')).toBeVisible();

  // ---- the supervising department, on its own host and file ---------------------------------------------
  const dept = await startHost(tempBudgetDir());
  hosts.push(dept);
  await dept.api('budget.create', {
    department: { code: '074', name: '济源市行政服务中心（主管部门）' },
    units: [{ code: '074000', name: '主管部门机关本级', kind: 'administrative' }],
    fiscalYear: 2020,
    amountUnit: '万元',
  });
  await openApp(page, dept);
  await page.getByRole('tab', { name: '上报与汇总' }).click();
  const received = page.getByTestId('received-units');
  await expect(received).toContainText('还没有接收');

  // A damaged package is refused with its reason and nothing is stored.
  const bytes = readFileSync(join(stick, fileName));
  bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
  const damaged = join(dept.dir, '损坏的数据包.zip');
  writeFileSync(damaged, bytes);
  await received.locator('[data-action="open-receive"]').click();
  const receive = page.getByTestId('receive-dialog');
  await receive.getByTestId('receive-file').setInputFiles(damaged);
  await expect(receive.getByTestId('receive-error')).toContainText('未接收：');
  await expect(receive.locator('[data-action="confirm-receive"]')).toHaveCount(0);
  await shot(page, 'submission-08-receive-damaged');

  await receive.getByTestId('receive-file').setInputFiles(join(stick, fileName));
  await expect(receive.getByTestId('receive-unit')).toHaveText('074 济源市行政服务中心（含 074001 济源市行政服务中心）');
  await expect(receive.getByTestId('receive-total')).toHaveText('1,740.2');
  // Every amount carries its unit.
  await expect(receive.getByTestId('receive-total').locator('..')).toContainText('1,740.2 万元（基本支出 560.8 万元，项目支出 1,179.4 万元');
  await expect(receive.getByTestId('receive-checksum')).toContainText('15 个文件的大小和 SHA-256 校验值全部正确');
  await expect(receive.getByTestId('receive-error')).toHaveCount(0);
  await shot(page, 'submission-09-receive-inspect');
  await receive.locator('[data-action="confirm-receive"]').click();
  await expect(receive).toHaveCount(0);
  await expect(received.locator('tr[data-unit="074"]')).toContainText('1,740.2 万元');
  await shot(page, 'submission-10-received');

  // The consolidated T02 has the unit's rows; 仅本级 has not.
  await page.getByRole('tab', { name: '预算公开表' }).click();
  await page.locator('.table-list [data-table="T02"]').click();
  const t02 = page.getByTestId('table-T02');
  await expect(t02).toContainText('074001');
  await expect(t02).toContainText('1,740.2');
  await shot(page, 'submission-11-consolidated-T02');
  await page.getByTestId('consolidation-switch').getByText('仅本级').click();
  await expect(t02).not.toContainText('074001');

  // The unit's second package replaces the first once the user has seen what differs.
  await page.getByRole('tab', { name: '上报与汇总' }).click();
  await received.locator('[data-action="open-receive"]').click();
  await receive.getByTestId('receive-file').setInputFiles(join(stick, secondName));
  const previous = receive.getByTestId('receive-previous');
  await expect(previous).toContainText('确认后将用此数据包替换它');
  await expect(previous.getByTestId('diff-lines')).toContainText('140.9 → 150.9');
  await expect(previous.getByTestId('diff-lines').locator('.sub-fields')).toContainText('金额140.9 万元→150.9 万元');
  await expect(previous).toContainText('（+10 万元）');
  await expect(previous.getByTestId('diff-cells').locator('thead')).toContainText('原数据包（万元）此数据包（万元）差额（万元）');
  await expect(receive.locator('[data-action="confirm-receive"]')).toHaveText('确认替换');
  await shot(page, 'submission-12-receive-replace');
  await receive.locator('[data-action="confirm-receive"]').click();
  await expect(received.locator('tr[data-unit="074"]')).toContainText('1,750.2 万元');
  await expect(received.locator('tr[data-unit="074"]')).toContainText('570.8 万元');
});

test('line items go out as an .xlsx template and come back as one undoable step, rejected rows listed', async ({ page }) => {
  const h = await startWithFixture();
  hosts.push(h);
  await openApp(page, h);
  const download = page.waitForEvent('download');
  await page.locator('[data-action="export-lines-xlsx"]').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('济源市行政服务中心-2020年预算明细.xlsx');
  const saved = join(h.dir, file.suggestedFilename());
  await file.saveAs(saved);

  await page.locator('[data-action="import-lines-xlsx"]').click();
  const dialog = page.getByTestId('import-lines-dialog');
  await dialog.getByTestId('import-lines-file').setInputFiles(saved);
  const preview = dialog.getByTestId('import-lines-preview');
  await expect(preview).toContainText('行可以导入');
  await expect(preview).toContainText('可用“撤销”撤回');
  await shot(page, 'submission-13-import-lines');
  await dialog.locator('[data-action="confirm-import-lines"]').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('total-all')).toHaveText('3,480.40');
  await page.locator('[data-action="undo"]').click();
  await expect(page.getByTestId('total-all')).toHaveText('1,740.20');

  // A row that cannot be read is listed with its row, column and reason; the others can still be imported.
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(saved);
  const ws = wb.getWorksheet('预算明细')!;
  let header = 0;
  let column = 0;
  ws.eachRow((row, r) =>
    row.eachCell((c, col) => {
      if (!header && String(c.value) === '经济分类编码') [header, column] = [r, col];
    }),
  );
  ws.getRow(header + 2).getCell(column).value = '88801';
  const broken = join(h.dir, '改坏一行.xlsx');
  await wb.xlsx.writeFile(broken);
  await page.locator('[data-action="import-lines-xlsx"]').click();
  await dialog.getByTestId('import-lines-file').setInputFiles(broken);
  const rejected = dialog.getByTestId('import-lines-rejected');
  await expect(rejected.locator('tbody tr')).toHaveCount(1);
  await expect(rejected.locator('tbody tr')).toContainText(`第 ${header + 2} 行`);
  await expect(rejected.locator('tbody tr')).toContainText('经济分类编码');
  await expect(rejected.locator('tbody tr')).toContainText('88801');
  await dialog.getByText('替换全部现有明细').click();
  await expect(dialog.getByTestId('import-lines-preview')).toContainText('将先删除现有的 45 行明细');
  await shot(page, 'submission-14-import-rejected');
  await dialog.getByRole('button', { name: '取消' }).click();

  // A workbook that is not one is refused with a reason.
  const bad = join(h.dir, '不是工作簿.xlsx');
  writeFileSync(bad, 'not a workbook');
  await page.locator('[data-action="import-lines-xlsx"]').click();
  await dialog.getByTestId('import-lines-file').setInputFiles(bad);
  await expect(dialog.getByTestId('import-lines-error')).toContainText('.xlsx');
});
