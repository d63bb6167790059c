// Budget lines through Excel: the template the app writes, files written by exceljs the way users fill them,
// the same files after LibreOffice has saved them, every kind of unreadable row, and the CLI's append,
// replace and strict modes on a real budget file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/run.js';
import { amount, sumFen } from '../../core/money.js';
import type { Budget, BudgetLine } from '../../core/model.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { BudgetStore } from '../../db/store.js';
import { CODES_SHEET, exportLinesTemplate, importLinesXlsx, LINES_SHEET, LinesXlsxError, type LinesImportResult } from '../../submission/lines-xlsx.js';
import { budgetDb, fixtureBudget, tempDir } from './submission-fixture.js';

const book = defaultCodeBook(2020);
let dir: string;
let budget: Budget;

beforeAll(() => {
  dir = tempDir('lines-xlsx-');
  budget = fixtureBudget();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const key = (l: Omit<BudgetLine, 'id'>) => [l.unit, l.functional, l.economic, l.kind, l.project ?? '', l.fund, l.amount.toString(), l.remark ?? ''].join('|');

function sameLines(result: LinesImportResult, expected: Omit<BudgetLine, 'id'>[]): void {
  expect(result.lines.map((l) => key(l.line)).sort()).toEqual(expected.map(key).sort());
}

/** LibreOffice opens `file` and saves it as .xlsx (what a user's office suite hands back). */
function libreOfficeSave(file: string, outDir: string, infilter?: string): string {
  mkdirSync(outDir, { recursive: true });
  execFileSync(
    'soffice',
    [
      '--headless',
      '--norestore',
      `-env:UserInstallation=file://${join(dir, 'lo-profile')}`,
      ...(infilter ? [`--infilter=${infilter}`] : []),
      '--convert-to',
      'xlsx:Calc MS Excel 2007 XML',
      '--outdir',
      outDir,
      file,
    ],
    { stdio: 'ignore', timeout: 180_000 },
  );
  return join(outDir, file.split('/').pop()!.replace(/\.[^.]+$/, '.xlsx'));
}

type Cell = string | number | null | { formula: string; result: number };

/** A sheet laid out as a user would fill it: a title row, the header, then the rows. */
async function userWorkbook(header: string[], rows: Cell[][], options: { title?: string } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  let r = 1;
  if (options.title) ws.getRow(r++).getCell(1).value = options.title;
  header.forEach((h, i) => (ws.getRow(r).getCell(i + 1).value = h));
  r++;
  for (const row of rows) {
    row.forEach((v, i) => {
      if (v !== null) ws.getRow(r).getCell(i + 1).value = v as ExcelJS.CellValue;
    });
    r++;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('the template', () => {
  it('lists every line with codes as text, amounts as numbers, and a sheet of the codes it may use', async () => {
    const bytes = await exportLinesTemplate(budget, book);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(LINES_SHEET)!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([
      '单位代码', '功能分类编码', '功能分类名称', '经济分类编码', '经济分类名称', '支出类型（基本/项目）', '项目编码', '资金来源', '金额（万元）', '备注',
    ]);
    const first = ws.getRow(2);
    expect(first.getCell(1).value).toBe('074001'); // text: the leading zero stays
    expect(first.getCell(1).numFmt).toBe('@');
    expect(typeof first.getCell(2).value).toBe('string');
    expect(first.getCell(8).value).toBe('一般公共预算·财政拨款');
    expect(typeof first.getCell(9).value).toBe('number');
    let amounts = 0n;
    for (let r = 2; r <= budget.lines.length + 1; r++) amounts += amount(String(ws.getRow(r).getCell(9).value));
    expect(amounts).toBe(sumFen(budget.lines.map((l) => l.amount)));
    expect(ws.getCell('F2').dataValidation?.type).toBe('list');
    const codes = wb.getWorksheet(CODES_SHEET)!;
    expect(codes.getRow(1).getCell(1).value).toBe('功能分类编码（项）');
    const functionalCodes = codes.getColumn(1).values.slice(2);
    expect(functionalCodes).toContain('2010350');
    expect(codes.getColumn(8).values.slice(2)).toEqual(['074001']);
  });

  it('reads back every line exactly, as written and after LibreOffice has saved it', async () => {
    const file = join(dir, 'template.xlsx');
    writeFileSync(file, await exportLinesTemplate(budget, book));
    const direct = await importLinesXlsx(readFileSync(file), budget, book);
    expect(direct.rejected).toEqual([]);
    expect(direct.sheet).toBe(LINES_SHEET);
    sameLines(direct, budget.lines);

    const saved = libreOfficeSave(file, join(dir, 'lo-template'));
    const viaLibreOffice = await importLinesXlsx(readFileSync(saved), budget, book);
    expect(viaLibreOffice.rejected).toEqual([]);
    sameLines(viaLibreOffice, budget.lines);
  });
});

describe('reading a user’s workbook', () => {
  const header = ['金额（元）', '资金来源', '支出类型', '经济分类编码', '功能分类编码', '项目编码', '单位代码', '备注'];
  // Columns in another order, amounts in 元, short and long labels, codes typed as numbers.
  const good: Cell[][] = [
    [1409000, '财政拨款', '基本', '30101', '2010350', null, '074001', '基本工资'],
    ['12,345.67', '一般公共预算-财政拨款', '基本支出', 30201, 2010350, null, 74001, null],
    [{ formula: '1000*2.5', result: 2500 }, 'gpb.appropriation', '项目', '30227', '2010306', 'P01', '074001', null],
    [0.5, '事业收入', '项目支出', '30227', '2010306', 'P02', '济源市行政服务中心', null],
  ];
  const expectedGood: Omit<BudgetLine, 'id'>[] = [
    { unit: '074001', functional: '2010350', economic: '30101', kind: 'basic', project: null, fund: 'gpb.appropriation', amount: amount('1409000', '元'), remark: '基本工资', assumed: false },
    { unit: '074001', functional: '2010350', economic: '30201', kind: 'basic', project: null, fund: 'gpb.appropriation', amount: amount('12345.67', '元'), assumed: false },
    { unit: '074001', functional: '2010306', economic: '30227', kind: 'project', project: 'P01', fund: 'gpb.appropriation', amount: amount('2500', '元'), assumed: false },
    { unit: '074001', functional: '2010306', economic: '30227', kind: 'project', project: 'P02', fund: 'operations', amount: amount('0.5', '元'), assumed: false },
  ];
  // Each bad row, and the column its reason names.
  const bad: { row: Cell[]; column: string; reason: RegExp }[] = [
    { row: [0.1 + 0.2, '财政拨款', '基本', '30101', '2010350', null, '074001', null], column: '金额（元）', reason: /0\.30000000000000004 不是精确到分/ },
    { row: [12.345, '财政拨款', '基本', '30101', '2010350', null, '074001', null], column: '金额（元）', reason: /小数位数过多|不是精确到分/ },
    { row: [-5, '财政拨款', '基本', '30101', '2010350', null, '074001', null], column: '金额（元）', reason: /负数/ },
    { row: [null, '财政拨款', '基本', '30101', '2010350', null, '074001', null], column: '金额（元）', reason: /金额为空/ },
    { row: ['一百元', '财政拨款', '基本', '30101', '2010350', null, '074001', null], column: '金额（元）', reason: /不是有效金额/ },
    { row: [100, '债务收入', '基本', '30101', '2010350', null, '074001', null], column: '资金来源', reason: /不明确.*一般公共预算·债务收入 或 政府性基金·债务收入/ },
    { row: [100, '自筹资金', '基本', '30101', '2010350', null, '074001', null], column: '资金来源', reason: /无法识别/ },
    { row: [100, '财政拨款', '其他', '30101', '2010350', null, '074001', null], column: '支出类型', reason: /无法识别/ },
    { row: [100, '财政拨款', '基本', '30101', '2010350', 'P01', '074001', null], column: '项目编码', reason: /基本支出行不能填写项目编码/ },
    { row: [100, '财政拨款', '项目', '30227', '2010306', null, '074001', null], column: '项目编码', reason: /必须指明所属项目/ },
    { row: [100, '财政拨款', '项目', '30227', '2010306', 'P99', '074001', null], column: '项目编码', reason: /项目“P99”不存在/ },
    { row: [100, '财政拨款', '基本', '30101', '9999999', null, '074001', null], column: '功能分类编码', reason: /不在 2020 年/ },
    { row: [100, '财政拨款', '基本', '301', '2010350', null, '074001', null], column: '经济分类编码', reason: /类级科目/ },
    { row: [100, '财政拨款', '基本', '30101', '2010350', null, '999', null], column: '单位代码', reason: /单位“999”不在/ },
  ];

  async function read(rows: Cell[][]): Promise<LinesImportResult> {
    return importLinesXlsx(await userWorkbook(header, rows, { title: '2020年预算明细（单位填报）' }), budget, book);
  }

  it('finds the header under a title, takes columns in any order and tolerant labels, and converts 元', async () => {
    const r = await read(good);
    expect(r.rejected).toEqual([]);
    expect(r.amountUnit).toBe('元');
    expect(r.lines.map((l) => l.row)).toEqual([3, 4, 5, 6]);
    sameLines(r, expectedGood);
  });

  it('lists every row it cannot read with its row, column and reason, reads the rest, and skips 合计 rows', async () => {
    const rows: Cell[][] = [...good, ...bad.map((b) => b.row), [99999, null, null, null, null, null, null, '合计']];
    const r = await read(rows);
    sameLines(r, expectedGood);
    expect(r.skipped).toEqual([{ row: 3 + rows.length - 1, reason: '合计行' }]);
    bad.forEach((b, i) => {
      const row = 3 + good.length + i;
      const found = r.rejected.filter((x) => x.row === row);
      expect(found.length, `row ${row}`).toBeGreaterThan(0);
      expect(found[0]!.column, `row ${row}`).toBe(b.column);
      expect(found[0]!.reason, `row ${row}`).toMatch(b.reason);
      expect(found[0]!.cell).toMatch(new RegExp(`^[A-H]${row}$`));
    });
    expect(new Set(r.rejected.map((x) => x.row)).size).toBe(bad.length);
  });

  it('reads the same lines from the file after LibreOffice has saved it', async () => {
    const file = join(dir, 'user.xlsx');
    writeFileSync(file, await userWorkbook(header, [...good, ...bad.map((b) => b.row)], { title: '2020年预算明细（单位填报）' }));
    const direct = await importLinesXlsx(readFileSync(file), budget, book);
    const saved = libreOfficeSave(file, join(dir, 'lo-user'));
    const viaLibreOffice = await importLinesXlsx(readFileSync(saved), budget, book);
    // LibreOffice keeps 15 significant digits: the 0.30000000000000004 of the first bad row is saved as 0.3,
    // which is what its user saw, and is read as 0.3 元. Everything else reads as from the original file.
    const floatRow = 3 + good.length;
    sameLines(viaLibreOffice, [...expectedGood, { ...expectedGood[0]!, amount: amount('0.3', '元'), remark: undefined }]);
    expect(viaLibreOffice.rejected.map((x) => [x.row, x.column])).toEqual(direct.rejected.filter((x) => x.row !== floatRow).map((x) => [x.row, x.column]));
    expect(direct.rejected.some((x) => x.row === floatRow)).toBe(true);
  });

  it('reads a sheet LibreOffice made from typed text, where codes became numbers and lost leading zeros', async () => {
    const csv = [
      '单位代码,功能分类编码,经济分类编码,支出类型,项目编码,资金来源,金额（万元）,备注',
      '074001,2010350,30101,基本支出,,一般公共预算·财政拨款,140.9,',
      '074001,2010306,30227,项目支出,P03,一般公共预算·财政拨款,12.345678,测算',
      '074001,2010350,30201,基本支出,,一般公共预算·财政拨款,1.2345678,',
    ].join('\n');
    const file = join(dir, 'typed.csv');
    writeFileSync(file, csv);
    const saved = libreOfficeSave(file, join(dir, 'lo-csv'), 'CSV:44,34,76,1');
    const r = await importLinesXlsx(readFileSync(saved), budget, book);
    expect(r.amountUnit).toBe('万元');
    sameLines(r, [
      { unit: '074001', functional: '2010350', economic: '30101', kind: 'basic', project: null, fund: 'gpb.appropriation', amount: amount('140.9'), assumed: false },
      { unit: '074001', functional: '2010306', economic: '30227', kind: 'project', project: 'P03', fund: 'gpb.appropriation', amount: amount('12.345678'), remark: '测算', assumed: false },
    ]);
    expect(r.rejected).toEqual([expect.objectContaining({ row: 4, column: '金额（万元）', reason: expect.stringMatching(/1\.2345678 不是精确到分/) })]);
  });

  it('refuses a workbook without the layout, and a file that is not a workbook, saying why', async () => {
    const noHeader = await userWorkbook(['名称', '数量'], [['a', 1]]);
    await expect(importLinesXlsx(noHeader, budget, book)).rejects.toThrow(/没有找到预算明细表/);
    const missingFund = await userWorkbook(['功能分类编码', '经济分类编码', '支出类型', '金额'], [['2010350', '30101', '基本', 1]]);
    await expect(importLinesXlsx(missingFund, budget, book)).rejects.toThrow(/缺少必需的列：资金来源/);
    const err = await importLinesXlsx(Buffer.from('not a zip at all'), budget, book).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LinesXlsxError);
    expect((err as Error).message).toMatch(/不是有效的 \.xlsx/);
  });
});

describe('CLI lines import-xlsx / export-xlsx', () => {
  function io() {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) } };
  }

  it('exports, then replaces or appends in one transaction; --strict imports nothing when a row fails', async () => {
    const db = budgetDb(dir, budget, 'cli.budget');
    const template = join(dir, 'cli-template.xlsx');
    let c = io();
    expect(await run(['lines', 'export-xlsx', template, '--db', db], c.io)).toBe(0);
    expect(c.out.join('')).toContain(`已导出 ${budget.lines.length} 条预算行`);

    // Replace with the template itself: the same lines, new ids.
    c = io();
    expect(await run(['lines', 'import-xlsx', template, '--db', db, '--replace'], c.io)).toBe(0);
    expect(c.out.join('')).toContain(`导入 ${budget.lines.length} 条预算行，合计 1740.2 万元（替换了原有的 ${budget.lines.length} 条）`);
    let store = BudgetStore.open(db);
    expect(store.loadBudget().lines.map(key).sort()).toEqual(budget.lines.map(key).sort());
    store.close();

    // A file with one good and one bad row: --strict leaves the file byte-identical, exit 2.
    const mixed = join(dir, 'mixed.xlsx');
    writeFileSync(
      mixed,
      await userWorkbook(
        ['单位代码', '功能分类编码', '经济分类编码', '支出类型', '项目编码', '资金来源', '金额（万元）'],
        [
          ['074001', '2010350', '30101', '基本', null, '财政拨款', 1.5],
          ['074001', '2010350', '30101', '基本', null, '财政拨款', 0.1 + 0.2],
        ],
      ),
    );
    const before = readFileSync(db);
    c = io();
    expect(await run(['lines', 'import-xlsx', mixed, '--db', db, '--strict'], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/第 3 行（金额（万元） G3）：金额 0\.30000000000000004 不是精确到分/);
    expect(c.err.join('')).toContain('未导入');
    expect(readFileSync(db).equals(before)).toBe(true);

    // Without --strict: the good row is appended, the bad one listed, exit 1.
    c = io();
    expect(await run(['lines', 'import-xlsx', mixed, '--db', db], c.io)).toBe(1);
    expect(c.out.join('')).toContain('导入 1 条预算行，合计 1.5 万元');
    store = BudgetStore.open(db);
    expect(store.loadBudget().lines).toHaveLength(budget.lines.length + 1);
    store.close();

    c = io();
    expect(await run(['lines', 'import-xlsx', mixed, '--db', db, '--append', '--replace'], c.io)).toBe(2);
    c = io();
    expect(await run(['lines', 'frobnicate', mixed, '--db', db], c.io)).toBe(2);
    expect(c.err.join('')).toContain('不认识“frobnicate”');
  });
});
