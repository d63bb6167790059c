// The editor end to end: the browser host on a fresh budget file holding the 济源 2020 fixture, driven
// through Chromium with the keyboard and the clipboard as a finance clerk would.
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { FIXTURE_PATH, cell, cleanup, expectStored, reveal, settled, shot, startHost, startWithFixture, tempBudgetDir, typeInEditor, type RunningHost } from './host.js';

interface LineRow {
  id: number;
  unit: string;
  functional: string;
  economic: string;
  kind: string;
  project: string | null;
  fund: string;
  amount: string;
  remark: string;
}
interface LinesList {
  lines: LineRow[];
  subtotals: { code: string; amount: string }[];
  totals: { total: string; basic: string; project: string };
}

let host: RunningHost | undefined;

test.afterEach(async () => {
  await cleanup(host);
  host = undefined;
});

function totalCell(page: Page): Locator {
  return page.locator('[role="row"][row-id="TOTAL"] [col-id="amount"]');
}

async function openApp(page: Page, h: RunningHost): Promise<void> {
  await page.goto(h.url);
  await expect(page.locator('[role="row"][row-id^="L"]').first()).toBeVisible();
}

async function showTable(page: Page, id: string): Promise<Locator> {
  await page.getByRole('tab', { name: '预算公开表' }).click();
  await page.locator(`.table-list [data-table="${id}"]`).click();
  const table = page.getByTestId(`table-${id}`);
  await expect(table).toBeVisible();
  return table;
}

/** An amount cell of a published table by row key and column key. */
function figure(table: Locator, row: string, column: string): Locator {
  return table.locator(`td[data-row="${row}"][data-column="${column}"]`);
}

async function typeInto(page: Page, target: Locator, text: string): Promise<void> {
  await target.click();
  // Text typed through an input method (Chinese) is delivered without key presses here: F2 opens the
  // editor first, as in Excel.
  if (/^[^\x00-\x7f]/.test(text)) await typeInEditor(page, text);
  else await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

async function pasteText(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    const target = document.activeElement ?? document.body;
    target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

function findLine(list: LinesList, functional: string, economic: string): LineRow {
  const line = list.lines.find((l) => l.functional === functional && l.economic === economic);
  if (!line) throw new Error(`no line ${functional}/${economic}`);
  return line;
}

test('after import, 部门支出总体情况表 shows 合计 1,740.2 and every screen renders', async ({ page }) => {
  host = await startWithFixture();
  // The page runs under the host's strict CSP: nothing it does may be blocked.
  const violations: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('console', (m) => {
    if (m.type() === 'error') violations.push(m.text());
  });
  await openApp(page, host);
  await expect(page.getByTestId('total-all')).toHaveText('1,740.20');
  await expect(page.getByTestId('statusbar')).toContainText('基本支出');
  await shot(page, '01-lines');

  const t03 = await showTable(page, 'T03');
  await expect(figure(t03, 'total', 'total')).toHaveText('1,740.2');
  await expect(t03.locator('tr[data-row="total"] td').first()).toBeVisible();
  await shot(page, '02-table-T03');
  const t01 = await showTable(page, 'T01');
  await expect(t01).toContainText('一般公共预算收入');
  // As published: 收入 over the income 项目 and 金额 (c1–c3), 支出 over c4–c18 with its own 项目 inside.
  const top = t01.locator('thead tr').first().locator('th');
  await expect(top).toHaveText(['收入', '支出']);
  await expect(top.nth(0)).toHaveAttribute('colspan', '3');
  await expect(top.nth(1)).toHaveAttribute('colspan', '15');
  await expect(t01.locator('thead tr').nth(1).locator('th').first()).toHaveText('项目');
  await expect(t01.locator('thead tr').nth(1).locator('th').first()).toHaveAttribute('colspan', '2');
  await shot(page, '03-table-T01');
  await showTable(page, 'T06');
  await shot(page, '04-table-T06');
  const t04 = await showTable(page, 'T04');
  await expect(t04.locator('thead tr').first().locator('th')).toHaveText(['收入', '支出']);
  await expect(t04.locator('thead tr').first().locator('th').nth(1)).toHaveAttribute('colspan', '6');
  await shot(page, '05-table-T04');
  await showTable(page, 'T10');
  await shot(page, '06-table-T10');
  await showTable(page, 'T11:P01');
  await shot(page, '07-table-T11-P01');

  // Clicking a figure lists the lines behind it.
  const t03again = await showTable(page, 'T03');
  await figure(t03again, 'total', 'basic').click();
  const behind = page.getByTestId('lines-behind');
  await expect(behind).toContainText('560.80');
  await shot(page, '08-lines-behind');

  await page.getByRole('tab', { name: '审核' }).click();
  await expect(page.getByTestId('audit-panel')).toBeVisible();
  await shot(page, '09-audit');

  await page.getByRole('button', { name: '新建预算' }).first().click();
  await expect(page.getByRole('dialog', { name: '新建预算' })).toBeVisible();
  await shot(page, '10-new-budget');
  expect(violations).toEqual([]);
});

test('Delete clears an amount, and the 元 display shows the same exact figures', async ({ page }) => {
  host = await startWithFixture();
  const list = await host.api<LinesList>('lines.list');
  const line = findLine(list, '2010350', '30112'); // 3.9 万元
  await openApp(page, host);
  await page.getByLabel('显示单位').selectOption('元');
  await expect(cell(page, line.id, 'amount')).toHaveText('39,000.00');
  await expect(page.getByTestId('total-all')).toHaveText('17,402,000.00');
  // Typed in the display unit: 12,345.67 元 is stored exactly as 1.234567 万元.
  await typeInto(page, cell(page, line.id, 'amount'), '12,345.67');
  await expectStored(page, line.id, 'amount', '12,345.67');
  expect((await host.api<LinesList>('lines.list')).lines.find((l) => l.id === line.id)!.amount).toBe('1.234567');
  await shot(page, '17-yuan-display');
  await cell(page, line.id, 'amount').click();
  await page.keyboard.press('Delete');
  await expectStored(page, line.id, 'amount', '0.00');
  expect((await host.api<LinesList>('lines.list')).lines.find((l) => l.id === line.id)!.amount).toBe('0');
});

test('editing an amount by keyboard updates the subtotal rows, the total row and tables T01, T03, T06', async ({ page }) => {
  host = await startWithFixture();
  const list = await host.api<LinesList>('lines.list');
  const line = findLine(list, '2010350', '30101'); // 140.9 of 事业运行
  await openApp(page, host);
  await expect(cell(page, 'S2010350', 'amount')).toHaveText('491.50');

  await typeInto(page, cell(page, line.id, 'amount'), '200');
  await expect(cell(page, line.id, 'amount')).toHaveText('200.00');
  await expect(cell(page, 'S2010350', 'amount')).toHaveText('550.60');
  await expect(cell(page, 'S20103', 'amount')).toHaveText('1,730.00');
  await expect(cell(page, 'S201', 'amount')).toHaveText('1,730.00');
  await expect(totalCell(page)).toHaveText('1,799.30');
  await expect(page.getByTestId('total-all')).toHaveText('1,799.30');
  // Enter moved the focus down, as in a spreadsheet.
  await shot(page, '11-after-edit');

  const t03 = await showTable(page, 'T03');
  await expect(figure(t03, 'total', 'total')).toHaveText('1,799.3');
  await expect(figure(t03, 'item:074001:2010350', 'wages')).toHaveText('516.9');
  const t01 = await showTable(page, 'T01');
  await expect(figure(t01, 'expenditure:basic', 'total')).toHaveText('619.9');
  const t06 = await showTable(page, 'T06');
  await expect(t06.locator('tr[data-row^="item:30101"] td[data-column="total"]')).toHaveText('200.0');
  await expect(figure(t06, 'total', 'total')).toHaveText('1,799.3');
  await shot(page, '12-T06-after-edit');
});

test('a bad amount is refused with a message and nothing is stored', async ({ page }) => {
  host = await startWithFixture();
  const before = await host.api<LinesList>('lines.list');
  const line = findLine(before, '2010350', '30102');
  await openApp(page, host);
  await typeInto(page, cell(page, line.id, 'amount'), '12,34.5元');
  const message = page.getByTestId('grid-message');
  await expect(message).toContainText('金额未保存');
  await expect(message).toContainText('不是有效金额');
  await expectStored(page, line.id, 'amount', '74.20');
  await shot(page, '13-bad-amount');
  expect(await host.api<LinesList>('lines.list')).toEqual(before);
});

test('a block pasted from Excel adds lines and reports the rows it cannot read', async ({ page }) => {
  host = await startWithFixture();
  const before = await host.api<LinesList>('lines.list');
  await openApp(page, host);
  // Focus the 单位 cell of the subtotal row at the top: the block is appended as new lines.
  await cell(page, 'S201', 'unit').click();
  const block = [
    '074001\t2010350 事业运行\t30201 办公费\t基本支出\t\t一般公共预算·财政拨款\t1,000.5\t粘贴一',
    '074001\t2010350\t30205\t基本支出\t\t财政拨款\t20\t粘贴二',
    '074001\t2010350\t30205\t基本支出\t\t财政拨款\t二十\t读不出的金额',
  ].join('\r\n') + '\r\n';
  await pasteText(page, block);
  await expect(page.getByTestId('toast-warning')).toContainText('新增 2 行');
  await expect(page.getByTestId('toast-warning')).toContainText('第 3 行');
  await expect(page.getByTestId('total-all')).toHaveText('2,760.70');
  await settled(page);
  const after = await host.api<LinesList>('lines.list');
  expect(after.lines.length).toBe(before.lines.length + 2);
  const added = after.lines.filter((l) => !before.lines.some((b) => b.id === l.id));
  expect(added.map((l) => [l.economic, l.amount, l.remark])).toEqual([
    ['30201', '1000.5', '粘贴一'],
    ['30205', '20', '粘贴二'],
  ]);
  await reveal(page, added[0]!.id);
  await expect(cell(page, added[0]!.id, 'amount')).toHaveText('1,000.50');
  await expect(cell(page, added[0]!.id, 'remark')).toHaveText('粘贴一');
  await shot(page, '14-after-paste');
});

test('undo and redo restore exactly', async ({ page }) => {
  host = await startWithFixture();
  const before = await host.api<LinesList>('lines.list');
  const a = findLine(before, '2010350', '30101');
  const b = findLine(before, '2010350', '30107');
  await openApp(page, host);
  await typeInto(page, cell(page, a.id, 'amount'), '1234.56');
  await expect(cell(page, a.id, 'amount')).toHaveText('1,234.56');
  await typeInto(page, cell(page, b.id, 'amount'), '0.5');
  await expect(cell(page, b.id, 'amount')).toHaveText('0.50');
  await cell(page, b.id, 'remark').click();
  await page.getByRole('button', { name: /删除行/ }).click();
  await expect(cell(page, b.id, 'amount')).toHaveCount(0);
  await settled(page);
  const edited = await host.api<LinesList>('lines.list');

  await cell(page, a.id, 'economic').click();
  for (let i = 0; i < 3; i++) await page.keyboard.press('Control+z');
  await expect(cell(page, a.id, 'amount')).toHaveText('140.90');
  await expect(cell(page, b.id, 'amount')).toHaveText('106.00');
  await expect(page.getByTestId('total-all')).toHaveText('1,740.20');
  await settled(page);
  expect(await host.api<LinesList>('lines.list')).toEqual(before);
  await expect(page.getByRole('button', { name: '撤销' })).toBeDisabled();

  for (let i = 0; i < 3; i++) await page.keyboard.press('Control+y');
  await expect(cell(page, b.id, 'amount')).toHaveCount(0);
  await expectStored(page, a.id, 'amount', '1,234.56');
  expect(await host.api<LinesList>('lines.list')).toEqual(edited);
  await page.getByRole('button', { name: '撤销' }).click();
  await expect(cell(page, b.id, 'amount')).toHaveText('0.50');
});

test('every accepted edit is there after reloading the page and after restarting the host', async ({ page }) => {
  host = await startWithFixture();
  const list = await host.api<LinesList>('lines.list');
  const line = findLine(list, '2080505', '30108');
  await openApp(page, host);
  await reveal(page, line.id);
  await typeInto(page, cell(page, line.id, 'amount'), '45.67');
  await expect(cell(page, line.id, 'amount')).toHaveText('45.67');
  await typeInto(page, cell(page, line.id, 'remark'), '养老保险调整');
  await expect(cell(page, line.id, 'remark')).toHaveText('养老保险调整');
  await cell(page, line.id, 'remark').click();
  await page.getByRole('button', { name: '＋ 新增行' }).click();
  await expect(page.getByTestId('total-all')).toHaveText('1,746.27');
  await settled(page);
  const edited = await host.api<LinesList>('lines.list');

  await page.reload();
  await reveal(page, line.id);
  await expect(cell(page, line.id, 'amount')).toHaveText('45.67');
  await expect(cell(page, line.id, 'remark')).toHaveText('养老保险调整');
  await expect(page.getByTestId('total-all')).toHaveText('1,746.27');

  const { dir, dbPath } = host;
  await host.stop();
  host = await startHost(dir, dbPath);
  await openApp(page, host);
  await reveal(page, line.id);
  await expect(cell(page, line.id, 'amount')).toHaveText('45.67');
  await expect(page.getByTestId('total-all')).toHaveText('1,746.27');
  expect(await host.api<LinesList>('lines.list')).toEqual(edited);
  // The undo history came back with the file.
  const undo = page.getByRole('button', { name: '撤销' });
  const toasts = page.locator('.toast');
  await undo.click();
  await expect(toasts.filter({ hasText: '已撤销：新增行' })).toHaveCount(1);
  await expect(page.getByTestId('total-all')).toHaveText('1,746.27');
  await undo.click();
  await expect(toasts.filter({ hasText: '已撤销：修改备注' })).toHaveCount(1);
  await undo.click();
  await expect(toasts.filter({ hasText: '已撤销：修改金额' })).toHaveCount(1);
  await expect(page.getByTestId('total-all')).toHaveText('1,740.20');
  await reveal(page, line.id);
  await expect(cell(page, line.id, 'amount')).toHaveText('39.60');
});

test('a 10,000-line budget loads and an edit applies', async ({ page }) => {
  const doc = JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as { lines: Record<string, unknown>[] };
  const base = doc.lines;
  const lines: Record<string, unknown>[] = [];
  for (let i = 0; lines.length < 10_000; i++) {
    const src = base[i % base.length]!;
    lines.push({ ...src, amount: `${(i % 97) + 1}.${String(i % 10)}` });
  }
  doc.lines = lines;
  host = await startWithFixture(JSON.stringify(doc));
  const list = await host.api<LinesList>('lines.list');
  expect(list.lines.length).toBe(10_000);
  await openApp(page, host);
  await expect(page.locator('.grid-toolbar')).toContainText('共 10000 行');
  const target = list.lines[0]!;
  const totalBefore = await page.getByTestId('total-all').textContent();
  await typeInto(page, cell(page, target.id, 'amount'), '100000');
  await expectStored(page, target.id, 'amount', '100,000.00');
  await expect(page.getByTestId('total-all')).not.toHaveText(totalBefore ?? '');
  // Scroll to the end of the grid and back: the virtualised grid renders rows on demand.
  await page.locator('.ag-grid-viewport').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.locator(`[role="row"][row-id="L${list.lines[list.lines.length - 1]!.id}"]`).first()).toBeVisible();
  await shot(page, '15-ten-thousand-lines');
  const after = await host.api<LinesList>('lines.list');
  expect(after.lines.find((l) => l.id === target.id)!.amount).toBe('100000');
});

test('the code picker finds 科目 by name as one types', async ({ page }) => {
  host = await startWithFixture();
  const list = await host.api<LinesList>('lines.list');
  const line = findLine(list, '2010350', '30199');
  await openApp(page, host);
  await cell(page, line.id, 'economic').click();
  // Text typed through an input method (Chinese) arrives without key presses here: F2 opens the picker.
  await typeInEditor(page, '办公');
  const picker = page.getByTestId('picker-economic');
  await shot(page, '16-picker');
  await expect(picker.locator('li[data-code="30201"]')).toBeVisible();
  await shot(page, '16-picker');
  await picker.locator('li[data-code="30201"]').click();
  await expectStored(page, line.id, 'economic', '30201', true);
  const after = await host.api<LinesList>('lines.list');
  expect(after.lines.find((l) => l.id === line.id)!.economic).toBe('30201');

  // Typing a code starts the picker with what was typed; Enter takes it, even before the list catches up.
  await cell(page, line.id, 'economic').click();
  await page.keyboard.type('30205');
  await expect(page.getByTestId('picker-economic').locator('input')).toHaveValue('30205');
  await page.keyboard.press('Enter');
  await expectStored(page, line.id, 'economic', '30205 水费', true);
  // Arrow keys move in the list, not in the grid.
  await cell(page, line.id, 'functional').click();
  await page.keyboard.type('20103');
  await expect(page.getByTestId('picker-functional').locator('li').first()).toBeVisible();
  await page.keyboard.press('ArrowDown');
  const second = await page.getByTestId('picker-functional').locator('li[data-active="true"]').getAttribute('data-code');
  await page.keyboard.press('Enter');
  await expectStored(page, line.id, 'functional', second!, true);
  expect((await host.api<LinesList>('lines.list')).lines.find((l) => l.id === line.id)!.functional).toBe(second);
});


test('新建预算 from an empty file: the dialog, then a first line typed in', async ({ page }) => {
  host = await startHost(tempBudgetDir());
  await page.goto(host.url);
  await expect(page.locator('.empty-state')).toContainText('还没有预算');
  await shot(page, '18-empty-file');
  await page.getByRole('button', { name: '新建预算' }).first().click();
  const dialog = page.getByRole('dialog', { name: '新建预算' });
  await dialog.getByLabel('部门编码').fill('101');
  await dialog.getByLabel('部门名称').fill('示例县财政局');
  await dialog.getByLabel('预算年度').fill('2021');
  await dialog.getByLabel('金额单位').selectOption('元');
  await dialog.getByLabel('第 1 个单位编码').fill('101001');
  await dialog.getByLabel('第 1 个单位名称').fill('示例县财政局本级');
  await dialog.getByLabel('第 1 个单位类型').selectOption('administrative');
  await dialog.getByRole('button', { name: '创建' }).click();
  await expect(page.locator('.title-block')).toContainText('示例县财政局');
  await expect(page.locator('.title-block')).toContainText('2021 年部门预算');
  // The host was started on this empty file: the new budget went into it.
  await expect(page.getByTestId('statusbar')).toContainText(host.dbPath);
  await page.getByRole('button', { name: '＋ 新增行' }).click();
  await expect(page.locator('[role="row"][row-id^="L"]')).toHaveCount(1);
  await settled(page);
  const info = await host.api<{ lineCount: number }>('budget.info');
  expect(info.lineCount).toBe(1);
  const list = await host.api<LinesList>('lines.list');
  const line = list.lines[0]!;
  await typeInto(page, cell(page, line.id, 'amount'), '1,234.56');
  await expect(page.getByTestId('total-all')).toHaveText('1,234.56');
  await expectStored(page, line.id, 'amount', '1,234.56');
  expect((await host.api<LinesList>('lines.list')).lines[0]!.amount).toBe('1234.56');
  await shot(page, '19-new-budget-first-line');
});

test('an edit shows as pending until the host has stored it, then shows the stored value; 已保存 follows', async ({ page }) => {
  host = await startWithFixture();
  const list = await host.api<LinesList>('lines.list');
  const line = findLine(list, '2010350', '30101'); // 140.9
  await openApp(page, host);
  await expect(page.getByTestId('status-save')).toHaveText('已保存');
  // Hold the host's answer to the edit until the test lets it through.
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let held = 0;
  await page.route('**/api/lines.update', async (route) => {
    held++;
    await gate;
    await route.continue();
  });
  const amount = cell(page, line.id, 'amount');
  await amount.click();
  await page.keyboard.type('15.5');
  await page.keyboard.press('Enter');
  await expect(amount).toHaveClass(/cell-pending/);
  await expect(page.getByTestId('status-save')).toHaveAttribute('data-state', 'saving');
  await expect(page.getByTestId('status-save')).toHaveText('正在保存…');
  await shot(page, '20-edit-pending');
  expect(held).toBe(1);
  // Nothing is in the file yet, and the grid does not claim otherwise.
  expect((await host.api<LinesList>('lines.list')).lines.find((l) => l.id === line.id)!.amount).toBe('140.9');
  release();
  await expectStored(page, line.id, 'amount', '15.50');
  await expect(page.getByTestId('status-save')).toHaveText('已保存');
  expect((await host.api<LinesList>('lines.list')).lines.find((l) => l.id === line.id)!.amount).toBe('15.5');
});
