// Nothing a user sees is an internal id: every screen's visible text, placeholders, tooltips and labels are
// scanned for the exchange format's codes (funding sources, kinds, categories) and for line ids.
import { expect, test, type Page } from '@playwright/test';
import { cell, cleanup, shot, startWithFixture, type RunningHost } from './host.js';
import { FUNDS } from '../../core/funds.js';

let host: RunningHost | undefined;

test.afterEach(async () => {
  await cleanup(host);
  host = undefined;
});

const INTERNAL = [
  ...FUNDS.map((f) => f.code),
  'basic', 'project', 'general', 'special', 'administrative', 'public-institution', 'civil-servant-managed',
  'quantitative', 'qualitative', 'undefined', 'null', 'NaN', '[object Object]',
];
/** Internal words as whole words (not inside Chinese text or a longer word), and line ids such as "#22". */
const PATTERN = new RegExp(`(?<![A-Za-z.-])(${INTERNAL.map((w) => w.replace(/[.[\]]/g, '\\$&')).join('|')})(?![A-Za-z.-])|#\\d+`);
/** Fund codes with a dot or a hyphen are flagged wherever they appear, glued to other text or not. */
const FUND_CODE = new RegExp(FUNDS.map((f) => f.code).filter((c) => /[.-]/.test(c)).map((c) => c.replace(/[.]/g, '\\.')).join('|'));

/**
 * Everything a user can read on the page now, and every entry of a list (options of a closed select, items
 * of a list scrolled out of view), which the page's visible text may not include.
 */
async function readable(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts = [document.body.innerText];
    for (const el of document.querySelectorAll('option, li, [role="option"], td, th')) parts.push(el.textContent ?? '');
    for (const el of document.querySelectorAll('input:not([type="hidden"]):not([type="file"]), textarea')) {
      parts.push((el as HTMLInputElement).value);
    }
    for (const el of document.querySelectorAll('[placeholder],[title],[aria-label]')) {
      if (!(el instanceof HTMLElement) || el.closest('[aria-hidden="true"],.hidden')) continue;
      for (const a of ['placeholder', 'title', 'aria-label']) {
        const v = el.getAttribute(a);
        if (v) parts.push(v);
      }
    }
    return parts.join('\n');
  });
}

async function scan(page: Page, where: string, seen: string[]): Promise<void> {
  const text = await readable(page);
  const lines = text.split('\n').filter((l) => PATTERN.test(l) || FUND_CODE.test(l));
  seen.push(...new Set(lines.map((l) => `${where}: ${l.trim()}`)));
}

test('no screen shows an internal id (funding source codes, kinds, line ids)', async ({ page }) => {
  host = await startWithFixture();
  const found: string[] = [];
  const lines = (await host.api<{ lines: { id: number; project: string | null }[] }>('lines.list')).lines;
  const withProject = lines.find((l) => l.project)!;
  await page.goto(host.url);
  await expect(cell(page, withProject.id, 'fund')).toBeVisible();
  // The scan itself finds a raw fund code inside a list entry and a select's option.
  await page.evaluate(() => {
    const probe = document.createElement('div');
    probe.id = 'scan-probe';
    // A code glued to other letters, and one in an option of a closed select and in an input's value.
    probe.innerHTML = '<ul><li>财政拨款（gpb.appropriation）</li></ul><select><option>一</option><option>fund=gfb.current</option></select><input value="edu-fees.carryover">';
    document.body.append(probe);
  });
  const probeFound: string[] = [];
  await scan(page, 'probe', probeFound);
  expect(probeFound).toEqual(['probe: 财政拨款（gpb.appropriation）', 'probe: fund=gfb.current', 'probe: edu-fees.carryover']);
  await page.evaluate(() => document.getElementById('scan-probe')?.remove());
  await scan(page, '预算明细', found);

  // Every picker, opened on a line.
  for (const col of ['unit', 'functional', 'economic', 'project', 'fund']) {
    await cell(page, withProject.id, col).click();
    await page.keyboard.press('F2');
    const picker = page.getByTestId(`picker-${col}`);
    await expect(picker.locator('li').first()).toBeVisible();
    await scan(page, `选择${col}`, found);
    if (col === 'fund') await shot(page, '41-fund-picker');
    await page.keyboard.press('Escape');
    await expect(picker).toHaveCount(0);
  }

  // The 批量修改 dialog's list of funding sources and its field list; a column's filter menu.
  await cell(page, withProject.id, 'fund').click();
  await page.locator('[data-action="bulk-edit"]').click();
  await page.getByTestId('bulk-field').selectOption('fund');
  await expect(page.getByTestId('bulk-options').locator('li').first()).toBeVisible();
  await scan(page, '批量修改', found);
  await page.getByRole('dialog', { name: /批量修改/ }).getByRole('button', { name: '取消' }).click();
  await page.locator('.ag-floating-filter[aria-colindex] .ag-floating-filter-button-button').nth(5).click();
  await expect(page.locator('.ag-filter').first()).toBeVisible();
  await scan(page, '筛选', found);
  await page.keyboard.press('Escape');

  await page.getByRole('tab', { name: '预算公开表' }).click();
  const ids = await page.locator('.table-list [data-table]').evaluateAll((els) => els.map((e) => e.getAttribute('data-table')!));
  for (const id of ids) {
    await page.locator(`.table-list [data-table="${id}"]`).click();
    await expect(page.getByTestId(`table-${id}`)).toBeVisible();
    await scan(page, id, found);
  }

  await page.getByRole('tab', { name: '审核' }).click();
  await expect(page.getByTestId('audit-panel')).toBeVisible();
  await expect(page.getByTestId('audit-panel').locator('li').first()).toBeVisible();
  await scan(page, '审核', found);

  await page.getByRole('tab', { name: '项目库' }).click();
  await expect(page.getByTestId('project-library').locator('tr[data-project]').first()).toBeVisible();
  await scan(page, '项目库', found);
  await page.getByRole('button', { name: '编辑项目 P07' }).click();
  await expect(page.getByTestId('project-dialog')).toBeVisible();
  await scan(page, '编辑项目', found);
  await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();

  await page.getByRole('tab', { name: '绩效目标' }).click();
  await expect(page.getByTestId('project-list')).toBeVisible();
  await scan(page, '绩效目标', found);
  await page.locator('table.wz-projects tr[data-project="P07"]').getByRole('button', { name: /继续填写|查看/ }).click();
  for (const step of ['basics', 'details', 'goals', 'indicators', 'audit', 'preview']) {
    await page.locator(`.wz-steps [data-step="${step}"]`).click();
    await expect(page.locator('.wz-steps [aria-current="step"]')).toHaveAttribute('data-step', step);
    await scan(page, `向导 ${step}`, found);
  }
  await page.getByRole('button', { name: '← 返回项目列表' }).click();
  await page.getByTestId('department-card').click();
  await expect(page.getByTestId('department-form')).toBeVisible();
  await scan(page, '部门整体绩效', found);

  await page.getByRole('tab', { name: '控制数与参数' }).click();
  await expect(page.getByTestId('params-pane')).toBeVisible();
  await scan(page, '控制数与参数', found);

  await page.getByRole('tab', { name: '上报与汇总' }).click();
  await expect(page.getByTestId('submission-pane')).toBeVisible();
  await scan(page, '上报与汇总', found);
  await page.locator('[data-action="submit"]').click();
  await expect(page.getByTestId('submit-dialog')).toBeVisible();
  await expect(page.getByTestId('submit-hard')).toBeVisible();
  await scan(page, '上报', found);
  await page.getByTestId('submit-dialog').getByRole('button', { name: '取消' }).click();

  await page.getByRole('button', { name: '新建预算' }).first().click();
  await expect(page.getByRole('dialog', { name: '新建预算' })).toBeVisible();
  await scan(page, '新建预算', found);
  expect(found).toEqual([]);
});
