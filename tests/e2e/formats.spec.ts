// Publication formats in the tables view: the budget written for the national format shown first in 河南 2020,
// then switched to the national format in the view's setting; a format file with mistakes is refused with
// every problem listed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { ROOT, cleanup, shot, startHost, startWithFixture, tempBudgetDir, type RunningHost } from './host.js';

let host: RunningHost | undefined;

test.afterEach(async () => {
  await cleanup(host);
  host = undefined;
});

const NATIONAL = join(ROOT, 'tests', 'fixtures', 'national', 'budget.json');

async function showTable(page: Page, id: string): Promise<Locator> {
  await page.locator(`.table-list [data-table="${id}"]`).click();
  const table = page.getByTestId(`table-${id}`);
  await expect(table).toBeVisible();
  return table;
}

function figure(table: Locator, row: string, column: string): Locator {
  return table.locator(`td[data-row="${row}"][data-column="${column}"]`);
}

test('the tables view switches between 河南 2020 and the national format; a bad format file is refused', async ({ page }) => {
  host = await startWithFixture(readFileSync(NATIONAL, 'utf8'));
  await page.goto(host.url);
  await expect(page.locator('[role="row"][row-id^="L"]').first()).toBeVisible();
  await page.getByRole('tab', { name: '预算公开表' }).click();
  const select = page.getByTestId('format-select');
  await expect(select).toHaveValue('henan-2020');
  const t03 = await showTable(page, 'T03');
  await expect(figure(t03, 'total', 'total')).toHaveText('275.0');
  await shot(page, 'formats-01-henan-T03');

  await select.selectOption('national');
  const n1 = await showTable(page, 'N1');
  await expect(figure(n1, 'income:total', 'income')).toHaveText('295.00');
  await expect(figure(n1, 'expenditure:carry-out', 'amount')).toHaveText('20.00');
  await expect(figure(n1, 'expenditure:total', 'amount')).toHaveText('295.00');
  await shot(page, 'formats-02-national-N1');
  const n3 = await showTable(page, 'N3');
  // 类, 款 and 项 rows with their codes and subtotals.
  await expect(n3.locator('tr[data-row="code:201"] td').first()).toHaveText('201');
  await expect(figure(n3, 'code:201', 'total')).toHaveText('195.00');
  await expect(figure(n3, 'code:20101', 'total')).toHaveText('195.00');
  await expect(figure(n3, 'code:2010101', 'total')).toHaveText('122.00');
  await shot(page, 'formats-03-national-N3');
  const n4 = await showTable(page, 'N4');
  await expect(figure(n4, 'expenditure:carry-out', 'gpb')).toHaveText('20.00');
  await shot(page, 'formats-04-national-N4');
  // Clicking a figure lists the lines behind it, in a national table too.
  await figure(n3, 'code:2010101', 'total').click().catch(() => undefined);
  await showTable(page, 'N3');
  await figure(n3, 'code:2010101', 'total').click();
  await expect(page.getByTestId('lines-behind')).toContainText('共 3 行');

  // The choice is kept in the budget file.
  await page.reload();
  await page.getByRole('tab', { name: '预算公开表' }).click();
  await expect(page.getByTestId('format-select')).toHaveValue('national');

  // A format file with mistakes: refused, every problem listed, nothing changed.
  const bad = JSON.parse(readFileSync(join(ROOT, 'data', 'formats', 'national.json'), 'utf8'));
  bad.id = 'my-region';
  bad.tables[1].id = 'N1';
  bad.tables[2].columns[0].feed = { fund: ['gpb.unknown'] };
  await page.getByTestId('format-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  const error = page.getByTestId('format-error');
  await expect(error).toContainText('未载入');
  await expect(error.locator('li')).toHaveCount(2);
  await expect(error).toContainText('$.tables[1].id');
  await expect(error).toContainText('$.tables[2].columns[0].feed');
  await shot(page, 'formats-05-refused-file');
  await expect(page.getByTestId('format-select').locator('option')).toHaveCount(2);
});

test('新建预算 takes the publication format: a new budget in the national format shows N1 … N9 with its format chosen', async ({ page }) => {
  host = await startHost(tempBudgetDir());
  await page.goto(host.url);
  await page.getByRole('button', { name: '新建预算' }).first().click();
  const dialog = page.getByRole('dialog', { name: '新建预算' });
  const format = dialog.getByLabel('公开表格式');
  // The shipped formats, 河南 2020 first chosen.
  await expect(format).toHaveValue('henan-2020');
  await expect(format.locator('option')).toHaveCount(2);
  await format.selectOption('national');
  await dialog.getByLabel('部门编码').fill('101');
  await dialog.getByLabel('部门名称').fill('某市测试局');
  await dialog.getByLabel('预算年度').fill('2021');
  await dialog.getByLabel('第 1 个单位编码').fill('101001');
  await dialog.getByLabel('第 1 个单位名称').fill('某市测试局本级');
  await shot(page, 'formats-06-new-budget-format');
  await dialog.getByRole('button', { name: '创建' }).click();
  await expect(page.locator('.title-block')).toContainText('某市测试局');
  expect((await host.api<{ current: string }>('formats.list')).current).toBe('national');
  await page.getByRole('tab', { name: '预算公开表' }).click();
  await expect(page.getByTestId('format-select')).toHaveValue('national');
  await expect(page.locator('.table-list [data-table="N1"]')).toBeVisible();
  await expect(page.locator('.table-list [data-table="T01"]')).toHaveCount(0);
  await shot(page, 'formats-07-new-budget-national-N1');
});
