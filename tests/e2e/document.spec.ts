// 预算说明 end to end: the drafted document follows an edit in the grid at once, the user's 主要原因 goes into
// its sentence, and a figure typed over the budget's is flagged and counted by 审核.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { cell, cleanup, FIXTURE_PATH, reveal, settled, shot, startWithFixture, type RunningHost } from './host.js';

interface LineRow {
  id: number;
  functional: string;
  economic: string;
  kind: string;
  amount: string;
}

let host: RunningHost | undefined;

test.afterEach(async () => {
  await cleanup(host);
  host = undefined;
});

/** The preview's paragraphs of one section ("2.7" = 第二部分 七), headings left out. */
function section(page: Page, id: string): Locator {
  return page.locator(`[data-testid="doc-preview"] p[data-section="${id}"]:not(.doc-heading)`);
}

async function typeAmount(page: Page, target: Locator, text: string): Promise<void> {
  await target.click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

test('the 预算说明 follows a grid edit, takes the typed reason, and flags a typed figure that disagrees', async ({ page }) => {
  host = await startWithFixture();
  const { lines } = await host.api<{ lines: LineRow[] }>('lines.list');
  const reception = lines.find((l) => l.functional === '2010350' && l.economic === '30217' && l.kind === 'basic')!; // 0.5 万元
  await page.goto(host.url);
  await expect(page.locator('[role="row"][row-id^="L"]').first()).toBeVisible();

  await page.getByRole('tab', { name: '预算说明' }).click();
  await expect(section(page, '2.7').first()).toHaveText('济源市行政服务中心2020年“三公”经费预算为6.1万元。2020年“三公”经费支出预算数比2019年减少2.4万元。主要原因是：【请填写：“三公”经费增减的主要原因】');
  await expect(section(page, '2.3')).toHaveText('济源市行政服务中心2020年支出合计1740.2万元，其中：基本支出560.8万元，占32.23%；项目支出1179.4万元，占67.77%。');

  // An edit in the grid: 公务接待费 of 事业运行 0.5 → 1.5 万元.
  await page.getByRole('tab', { name: '预算明细' }).click();
  await typeAmount(page, cell(page, reception.id, 'amount'), '1.5');
  await expect(cell(page, reception.id, 'amount')).toHaveText('1.50');
  await page.getByRole('tab', { name: '预算说明' }).click();
  await expect(section(page, '2.7').first()).toContainText('“三公”经费预算为7.1万元。2020年“三公”经费支出预算数比2019年减少1.4万元。');
  await expect(section(page, '2.7').nth(3)).toHaveText('（二）公务接待费2.5万元。');
  await expect(section(page, '2.1')).toContainText('收入总计1741.2万元，支出总计1741.2万元，与2019年相比，收、支总计各减少734.5万元，减少29.67%。');

  // The user's reason goes into its sentence (and into the budget file).
  const reason = page.locator('[data-field="reason.total"]').first();
  await reason.fill('智慧城市指挥中心扩建项目已经完成');
  await reason.blur();
  await expect(section(page, '2.1')).toContainText('主要原因是：智慧城市指挥中心扩建项目已经完成。');

  // A figure typed over the budget's: shown in the document, flagged, and a 审核 error.
  const errorsBefore = await page.getByTestId('audit-state').innerText();
  await page.locator('[data-figure="basic.share"]').click();
  await page.getByTestId('figure-editor').getByRole('textbox').fill('32.22');
  await page.getByTestId('figure-editor').getByRole('button', { name: '保存' }).click();
  await expect(page.getByTestId('doc-findings')).toContainText('“基本支出占比”手工填写为 32.22%，按预算应为 32.27%');
  await expect(page.locator('[data-figure="basic.share"]')).toHaveClass(/doc-disagrees/);
  await expect(page.getByTestId('audit-state')).not.toHaveText(errorsBefore);
  await shot(page, '60-document-tab');
});

/** Last year's exchange file: the fixture as 2019, with 住房公积金 2.3 万元 larger (收支总计 1742.5 万元). */
function lastYearFile(dir: string): string {
  const doc = JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as { fiscalYear: number; priorYear?: unknown; lines: { functional: string; amount: string }[] };
  doc.fiscalYear = 2019;
  delete doc.priorYear;
  const housing = doc.lines.find((l) => l.functional === '2210201')!;
  expect(housing.amount).toBe('29.7');
  housing.amount = '32';
  const file = join(dir, '2019年部门预算.json');
  writeFileSync(file, JSON.stringify(doc, null, 1));
  return file;
}

test('上年数 in the app: 导入上年数据, typed figures by 功能分类, texts — each one step of 撤销', async ({ page }) => {
  host = await startWithFixture();
  await page.goto(host.url);
  await expect(page.locator('[role="row"][row-id^="L"]').first()).toBeVisible();
  await page.getByRole('tab', { name: '预算说明' }).click();
  const total = section(page, '2.1');
  await expect(total).toContainText('收、支总计各减少735.5万元，减少29.71%。');
  const undo = page.locator('button[data-action="undo"]');
  await expect(undo).toBeDisabled();

  // 导入上年数据 from last year's exchange file.
  await page.locator('summary', { hasText: '上年数' }).click();
  await page.getByTestId('prior-import-file').setInputFiles(lastYearFile(host.dir));
  await expect(page.getByText('已从交换文件“2019年部门预算.json”导入 2019 年“济源市行政服务中心”的上年数')).toBeVisible();
  await expect(total).toContainText('收、支总计各减少2.3万元，减少0.13%。');
  await expect(page.locator('[data-prior="total"]')).toHaveValue('1742.5');
  await expect(page.locator('[data-prior-code="2210201"]')).toHaveValue('32');
  await expect(section(page, '2.5')).toContainText('住房保障（类）支出29.7万元，占1.70%，比2019年减少2.3万元，减少7.19%');
  await settled(page);
  await shot(page, '61-document-prior-imported');

  // A figure typed by 功能分类 类.
  await page.locator('[data-prior-code="208"]').fill('40');
  await page.getByRole('button', { name: '保存上年数' }).click();
  await expect(section(page, '2.5')).toContainText('社会保障和就业（类）支出39.6万元，占2.28%，比2019年减少0.4万元，减少1.00%');

  // A text typed in the editor.
  const reason = page.locator('[data-field="reason.total"]').first();
  await reason.fill('住房公积金缴存基数调整');
  await reason.blur();
  await expect(total).toContainText('主要原因是：住房公积金缴存基数调整。');
  await settled(page);

  // 撤销 three times: the text, the typed figure, the import — one user action each.
  await undo.click();
  await expect(total).toContainText('主要原因是：【请填写：收支总计增减的主要原因】');
  await expect(page.locator('[data-field="reason.total"]').first()).toHaveValue('');
  await undo.click();
  await expect(section(page, '2.5')).toContainText('社会保障和就业（类）支出39.6万元，占2.28%，与2019年持平');
  await expect(page.locator('[data-prior-code="208"]')).toHaveValue('39.6');
  await undo.click();
  await expect(total).toContainText('收、支总计各减少735.5万元，减少29.71%。');
  await expect(page.locator('[data-prior="total"]')).toHaveValue('2475.7');
  await expect(undo).toBeDisabled();
  // 重做 brings the import back.
  await page.locator('button[data-action="redo"]').click();
  await expect(total).toContainText('收、支总计各减少2.3万元，减少0.13%。');
  await settled(page);
  const stored = await host.api<{ prior: { amounts: { total: string } } }>('document.view');
  expect(stored.prior.amounts.total).toBe('1742.5');
});

/** The texts an ECharts SVG chart of the preview draws. */
async function chartTexts(page: Page, id: string): Promise<string[]> {
  const svg = page.locator(`[data-chart="${id}"] .doc-chart-canvas[data-state="drawn"] svg`);
  await expect(svg).toBeVisible();
  return (await svg.locator('text').allTextContents()).map((t) => t.trim()).filter((t) => t !== '');
}

/** An exact amount of a published table (reports.tables), as the document rounds it (half-up to 0.01, no trailing zeros). */
async function tableFigure(h: RunningHost, table: string, row: string, column: string): Promise<string> {
  const r = await h.api<{ tables: { id: string; rows: { cells: { row?: string; column?: string; exact: string | null }[] }[] }[] }>('reports.tables', { tables: [table] });
  for (const rw of r.tables[0]!.rows) for (const c of rw.cells) if (c.row === row && c.column === column) return c.exact!;
  throw new Error(`no cell ${table} ${row} ${column}`);
}

test('charts in the 预算说明 tab: ECharts loads only there, the charts show the tables’ figures and follow a grid edit', async ({ page }) => {
  host = await startWithFixture();
  const chunks: string[] = [];
  page.on('request', (r) => {
    if (/echarts/i.test(r.url())) chunks.push(r.url());
  });
  await page.goto(host.url);
  await expect(page.locator('[role="row"][row-id^="L"]').first()).toBeVisible();
  await page.getByRole('tab', { name: '预算公开表' }).click();
  await expect(page.locator('.tables-view, [data-testid="tables-view"]').first()).toBeVisible();
  expect(chunks).toEqual([]);

  await page.getByRole('tab', { name: '预算说明' }).click();
  // 支出结构: 基本/项目 with the document's shares, equal to T03's 合计 row.
  const structure = await chartTexts(page, 'structure');
  expect(chunks.length).toBeGreaterThan(0);
  const basic = await tableFigure(host, 'T03', 'total', 'basic');
  const project = await tableFigure(host, 'T03', 'total', 'project');
  expect([basic, project]).toEqual(['560.8', '1179.4']);
  expect(structure).toEqual(expect.arrayContaining(['基本支出', `${basic}万元（32.23%）`, '项目支出', `${project}万元（67.77%）`]));
  await expect(page.locator('[data-figure="basic"]')).toHaveText(basic);
  await expect(page.locator('[data-figure="basic.share"]')).toHaveText('32.23');
  // By 功能分类 类: each 类 as T04 lists it (all this budget's lines are 一般公共预算).
  const classes = await chartTexts(page, 'classes');
  for (const [code, name, share] of [
    ['201', '一般公共服务', '96.02'],
    ['208', '社会保障和就业', '2.28'],
    ['221', '住房保障', '1.70'],
  ] as const) {
    expect(classes).toContain(name);
    const figure = await page.locator(`[data-figure="class.${code}"]`).innerText();
    expect(classes).toContain(`${figure}万元（${share}%）`);
  }
  // 与上年对比: 收支总计 of both years (the fixture's 2475.7 and T01's 支出总计).
  const prior = await chartTexts(page, 'prior');
  expect(prior).toEqual(expect.arrayContaining(['2019年', '2020年', '收支总计', '2475.7', await tableFigure(host, 'T01', 'expenditure:total', 'total')]));
  expect(await chartTexts(page, 'threePublic')).toEqual(expect.arrayContaining(['合计', '8.5', '6.1']));
  await page.locator('[data-chart="structure"]').scrollIntoViewIfNeeded();
  await shot(page, '62-document-charts');

  // A grid edit: 养老保险缴费 39.6 → 49.6 万元 changes the charts at once.
  const { lines } = await host.api<{ lines: LineRow[] }>('lines.list');
  const pension = lines.find((l) => l.functional === '2080505')!;
  await page.getByRole('tab', { name: '预算明细' }).click();
  await reveal(page, pension.id);
  await typeAmount(page, cell(page, pension.id, 'amount'), '49.6');
  await settled(page);
  await page.getByRole('tab', { name: '预算说明' }).click();
  await expect.poll(() => chartTexts(page, 'structure')).toEqual(expect.arrayContaining(['570.8万元（32.61%）', '1179.4万元（67.39%）']));
  expect(await chartTexts(page, 'classes')).toContain('49.6万元（2.83%）');
  await page.locator('[data-chart="classes"]').scrollIntoViewIfNeeded();
  await shot(page, '63-document-charts-after-edit');
});
