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

/** Everything a user can read on the page now. */
async function readable(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts = [document.body.innerText];
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
  const lines = text.split('\n').filter((l) => PATTERN.test(l));
  seen.push(...lines.map((l) => `${where}: ${l.trim()}`));
}

test('no screen shows an internal id (funding source codes, kinds, line ids)', async ({ page }) => {
  host = await startWithFixture();
  const found: string[] = [];
  const lines = (await host.api<{ lines: { id: number; project: string | null }[] }>('lines.list')).lines;
  const withProject = lines.find((l) => l.project)!;
  await page.goto(host.url);
  await expect(cell(page, withProject.id, 'fund')).toBeVisible();
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
