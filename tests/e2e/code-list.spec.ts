// 导入科目代码表 end to end: a year's official list loaded from a CSV file through the toolbar dialog; the
// grid's names and pickers use it at once; a bad file is refused with its line numbers and nothing stored.
import { expect, test, type Page } from '@playwright/test';
import { cell, cleanup, expectStored, shot, startWithFixture, type RunningHost } from './host.js';

interface LineRow {
  id: number;
  functional: string;
  economic: string;
}

let host: RunningHost | undefined;

test.afterEach(async () => {
  await cleanup(host);
  host = undefined;
});

async function loadList(page: Page, name: string, bytes: Buffer, kind = 'functional') {
  await page.getByRole('button', { name: '导入科目代码表…' }).click();
  const dialog = page.getByRole('dialog', { name: '导入科目代码表' });
  await dialog.getByLabel('科目表类型').selectOption(kind);
  await dialog.getByTestId('code-list-file').setInputFiles({ name, mimeType: 'text/csv', buffer: bytes });
  await dialog.getByRole('button', { name: '导入' }).click();
  return dialog;
}

test('a CSV that renames a 项 and adds one is loaded; the picker finds the new code; a bad CSV is refused by line', async ({ page }) => {
  host = await startWithFixture();
  const lines = (await host.api<{ lines: LineRow[] }>('lines.list')).lines;
  const line = lines.find((l) => l.functional === '2010350' && l.economic === '30101')!;
  await page.goto(host.url);
  await expect(cell(page, line.id, 'functional')).toBeVisible();

  // A bad file first: every problem with its line, and nothing stored.
  const bad = ['code,name,level,parent_code', '2010351,政务服务中心运行,项,20103', '20103511,编码太长,项,20103', '2010352,,项,20103'].join('\r\n');
  let dialog = await loadList(page, 'bad.csv', Buffer.from(bad, 'utf8'));
  const error = dialog.getByTestId('code-list-error');
  await expect(error).toContainText('未导入');
  await expect(error.locator('tbody tr')).toHaveCount(2);
  await expect(error.locator('tbody tr').nth(0)).toContainText('第 3 行');
  await expect(error.locator('tbody tr').nth(1)).toContainText('第 4 行');
  await expect(error).toContainText('科目名称为空');
  await shot(page, '30-code-list-refused');
  await dialog.getByRole('button', { name: '取消' }).click();
  expect(await host.api('codes.search', { kind: 'functional', query: '2010351' })).toEqual([]);

  // The official list, saved by Excel as “CSV（逗号分隔）” on a Chinese system, hence GB18030, not UTF-8:
  //   2010350,事业运行（政务服务）,项,20103   (renamed)
  //   2010351,政务服务中心运行,项,20103        (added)
  const official = Buffer.from(
    '636f64652c6e616d652c6c6576656c2c706172656e745f636f64650d0a323031303335302ccac2d2b5d4cbd0d0a3a8d5fecef1b7fecef1a3a92ccfee2c' +
      '32303130330d0a323031303335312cd5fecef1b7fecef1d6d0d0c4d4cbd0d02ccfee2c32303130330d0a',
    'hex',
  );
  dialog = await loadList(page, '2020功能分类.csv', official);
  await expect(dialog.getByTestId('code-list-result')).toHaveText('已载入 2020 年支出功能分类科目（2 个科目）：新增 1 个，修改 1 个');
  await shot(page, '31-code-list-loaded');
  await dialog.getByRole('button', { name: '完成' }).click();

  // The grid shows the corrected name, and the picker offers the new 项.
  await expect(cell(page, line.id, 'functional')).toContainText('事业运行（政务服务）');
  await cell(page, line.id, 'functional').click();
  await page.keyboard.type('2010351');
  const picker = page.getByTestId('picker-functional');
  await expect(picker.locator('li[data-code="2010351"]')).toBeVisible();
  await shot(page, '32-code-list-picker');
  await page.keyboard.press('Enter');
  await expectStored(page, line.id, 'functional', '2010351', true);
  const after = (await host.api<{ lines: LineRow[] }>('lines.list')).lines;
  expect(after.find((l) => l.id === line.id)!.functional).toBe('2010351');
});
