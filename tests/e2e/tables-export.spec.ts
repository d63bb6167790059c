// The table on screen printed and exported (.xlsx, PDF) from 预算公开表, laid out as in the 上报 package:
// read back with ExcelJS, pdftotext, and Chromium's own print to PDF.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { expect, test, type Page } from '@playwright/test';
import { cleanup, shot, startWithFixture, type RunningHost } from './host.js';

let host: RunningHost | undefined;

test.afterEach(async () => {
  await cleanup(host);
  host = undefined;
});

async function showTable(page: Page, h: RunningHost, id: string): Promise<void> {
  await page.goto(h.url);
  await expect(page.locator('[role="row"][row-id^="L"]').first()).toBeVisible();
  await page.getByRole('tab', { name: '预算公开表' }).click();
  await page.locator(`.table-list [data-table="${id}"]`).click();
  await expect(page.getByTestId(`table-${id}`)).toBeVisible();
}

async function download(page: Page, h: RunningHost, action: string): Promise<{ name: string; path: string }> {
  const event = page.waitForEvent('download');
  await page.locator(`[data-action="${action}"]`).click();
  const file = await event;
  const path = join(h.dir, file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), path };
}

function pdfText(path: string): string {
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
}

/** Every cell of the first sheet as text, row by row. */
async function sheetRows(path: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.worksheets[0]!;
  const rows: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (c, col) => (cells[col - 1] = c.value === null || c.value === undefined ? '' : String(c.value)));
    rows[n - 1] = cells;
  });
  return rows;
}

test('导出 Excel and 导出 PDF write the table on screen as the 上报 package lays it out', async ({ page }) => {
  host = await startWithFixture();
  await showTable(page, host, 'T03');
  await shot(page, '52-table-actions');
  const xlsx = await download(page, host, 'export-table-xlsx');
  expect(xlsx.name).toBe('济源市行政服务中心-2020年-T03_部门支出总体情况表.xlsx');
  const rows = await sheetRows(xlsx.path);
  expect(rows[0]![0]).toBe('2020年部门支出总体情况表');
  expect(rows[1]!.join('')).toContain('单位：济源市行政服务中心');
  const total = rows.find((r) => r.includes('合计'))!;
  expect(total).toContain('1740.2');
  const pdf = await download(page, host, 'export-table-pdf');
  expect(pdf.name).toBe('济源市行政服务中心-2020年-T03_部门支出总体情况表.pdf');
  const text = pdfText(pdf.path);
  expect(text).toContain('部门支出总体情况表');
  expect(text).toMatch(/合\s*计[\s\S]*1,740\.2/);

  // In 元 on screen, the files are in 元 too.
  await page.getByRole('combobox', { name: '显示单位' }).selectOption('元');
  await expect(page.getByTestId('table-T03')).toContainText('17,402,000.00');
  const yuan = pdfText((await download(page, host, 'export-table-pdf')).path);
  expect(yuan).toContain('17,402,000.00');
  expect(yuan).toContain('单位：元');
});

test('one project’s 绩效目标表 exports alone, and 打印 prints the table without the app around it', async ({ page }) => {
  host = await startWithFixture();
  await showTable(page, host, 'T11:P05');
  const pdf = await download(page, host, 'export-table-pdf');
  expect(pdf.name).toBe('济源市行政服务中心-2020年-T11_项目支出绩效目标表_P05.pdf');
  const text = pdfText(pdf.path);
  expect(text).toContain('政府购买');
  expect(text).not.toContain('电子政务信息化项目专家论证费');

  // 打印: the print view holds the table alone (Chromium's print to PDF of the page as the print dialog gets it).
  await page.locator('.table-list [data-table="T01"]').click();
  await expect(page.getByTestId('table-T01')).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.tabs')).toBeHidden();
  await expect(page.locator('.table-list')).toBeHidden();
  await expect(page.locator('[data-action="print-table"]')).toBeHidden();
  await shot(page, '53-table-print-view');
  const printed = join(host.dir, 'printed.pdf');
  writeFileSync(printed, await page.pdf({ landscape: true, format: 'A4' }));
  const paper = pdfText(printed);
  expect(paper).toContain('部门收支总体情况表');
  expect(paper).toMatch(/收入合计\s+1,740\.2\s+支出合计\s+1,740\.2/);
  for (const chrome of ['预算明细', '导出 Excel', '审核：', 'T02']) expect(paper).not.toContain(chrome);
  expect(readFileSync(printed).length).toBeGreaterThan(1000);
  await page.emulateMedia({ media: 'screen' });
});

test('T10 on screen: long task names and labels wrap inside their cells instead of running into the next one', async ({ page }) => {
  host = await startWithFixture();
  await showTable(page, host, 'T10');
  const table = page.getByTestId('table-T10');
  await expect(table).toContainText('工程建设领域审批系统建设');
  const spilling = await table.locator('td').evaluateAll((cells) =>
    cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => (c.textContent ?? '').slice(0, 20)),
  );
  expect(spilling).toEqual([]);
  // The task name wraps onto a second line in its cell.
  const task = table.locator('td', { hasText: /^工程建设领域审批系统建设$/ });
  const lineHeight = await task.evaluate((c) => parseFloat(getComputedStyle(c).lineHeight));
  expect(await task.evaluate((c) => c.clientHeight)).toBeGreaterThan(lineHeight * 1.5);
  await shot(page, '54-T10-wrapped');
});
