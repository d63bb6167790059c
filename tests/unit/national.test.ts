// The national reference format (data/formats/national.json) on a budget written for it
// (tests/fixtures/national/budget.json): three units, five sources (一般公共预算 财政拨款, its 上年结转 of which
// 20 万元 is carried to next year, 政府性基金, 事业收入, 其他收入). Every printed figure below was worked out by
// hand from the ten lines and seven income lines of the fixture, including the 类/款/项 subtotal rows.
import { describe, expect, it } from 'vitest';
import { auditBudget, hardFindings } from '../../core/audit/index.js';
import { amount, toExactString } from '../../core/money.js';
import { computeTables, reportToJson, reportToText, SHIPPED_FORMATS, TableEngine, type ReportTable } from '../../core/tables/index.js';
import { printedTable } from '../../core/tables/layout.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { nationalBudget } from './national-fixture.js';

const budget = nationalBudget();
const book = defaultCodeBook(budget.fiscalYear);
const national = SHIPPED_FORMATS.get('national')!;
const tables = computeTables(budget, book, national);
const json = reportToJson(tables).tables;
const table = (id: string) => json.find((t) => t.id === id)!;

/** Rows of a list table as "code or label: cells in column order" (exact decimal strings, 万元). */
function rowsOf(id: string): string[] {
  const t = table(id);
  return t.rows.map((r) => `${r.code ?? r.label}: ${Object.values(r.cells).join(' ')}`);
}

/** One cell of a two-sided table by row code. */
function cellOf(id: string, code: string, column: string): string {
  const row = table(id).rows.find((r) => r.code === code);
  if (!row) throw new Error(`${id} has no row ${code}`);
  return row.cells[column]!;
}

describe('national format: every figure of the test budget, worked out by hand', () => {
  it('has the nine national tables and the two 绩效 tables, in order', () => {
    expect(tables.map((t) => t.id)).toEqual(['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8', 'N9', 'T10', 'T11']);
    expect(tables[0]!.caption).toEqual(['2021年部门收支总表', '单位：某市测试局', '单位：万元']);
  });

  it('N1 部门收支总表: income by source, 上年结转 and 结转下年 balance the two sides', () => {
    const income: [string, string][] = [
      ['income:gpb', '150'],
      ['income:gfb', '50'],
      ['income:state-capital-budget', '0'],
      ['income:operations', '40'],
      ['income:business', '0'],
      ['income:other', '5'],
      ['income:current-year', '245'],
      ['income:non-fiscal-balance', '0'],
      ['income:carryover', '50'],
      ['income:total', '295'],
    ];
    for (const [code, value] of income) expect(cellOf('N1', code, 'income'), code).toBe(value);
    const expenditure: [string, string][] = [
      ['201', '195'],
      ['208', '15'],
      ['212', '50'],
      ['221', '15'],
      ['205', '0'],
      ['expenditure:current-year', '275'],
      ['expenditure:carry-out', '20'],
      ['expenditure:total', '295'],
    ];
    for (const [code, value] of expenditure) expect(cellOf('N1', code, 'amount'), code).toBe(value);
    // Row pairing: 本年收入合计 ‖ 本年支出合计, 上年结转 ‖ 结转下年, 收入总计 ‖ 支出总计 on the last line.
    const n1 = tables[0]!;
    const line = (code: string) => n1.rows.find((r) => r.code === code)!.line;
    expect(line('income:current-year')).toBe(line('expenditure:current-year'));
    expect(line('income:carryover')).toBe(line('expenditure:carry-out'));
    expect(line('income:total')).toBe(line('expenditure:total'));
    expect(line('income:total')).toBe(Math.max(...n1.rows.map((r) => r.line ?? 0)));
  });

  it('N2 部门收入总表 and N3 部门支出总表: 合计, then 类/款/项 with their subtotals', () => {
    // 合计 上年结转 一般公共预算 政府性基金 国有资本经营 事业收入 事业单位经营 其他收入 使用非财政拨款结余
    expect(rowsOf('N2')).toEqual([
      '合计: 275 30 150 50 0 40 0 5 0',
      '201: 195 30 125 0 0 40 0 0 0',
      '20101: 195 30 125 0 0 40 0 0 0',
      '2010101: 122 0 122 0 0 0 0 0 0',
      '2010102: 30 30 0 0 0 0 0 0 0',
      '2010150: 43 0 3 0 0 40 0 0 0',
      '208: 15 0 15 0 0 0 0 0 0',
      '20805: 15 0 15 0 0 0 0 0 0',
      '2080505: 15 0 15 0 0 0 0 0 0',
      '212: 50 0 0 50 0 0 0 0 0',
      '21208: 50 0 0 50 0 0 0 0 0',
      '2120801: 50 0 0 50 0 0 0 0 0',
      '221: 15 0 10 0 0 0 0 5 0',
      '22102: 15 0 10 0 0 0 0 5 0',
      '2210201: 15 0 10 0 0 0 0 5 0',
    ]);
    // 合计 基本支出 项目支出 上缴上级支出 事业单位经营支出 对附属单位补助支出
    expect(rowsOf('N3')).toEqual([
      '合计: 275 192 83 0 0 0',
      '201: 195 162 33 0 0 0',
      '20101: 195 162 33 0 0 0',
      '2010101: 122 122 0 0 0 0',
      '2010102: 30 0 30 0 0 0',
      '2010150: 43 40 3 0 0 0',
      '208: 15 15 0 0 0 0',
      '20805: 15 15 0 0 0 0',
      '2080505: 15 15 0 0 0 0',
      '212: 50 0 50 0 0 0',
      '21208: 50 0 50 0 0 0',
      '2120801: 50 0 50 0 0 0',
      '221: 15 15 0 0 0 0',
      '22102: 15 15 0 0 0 0',
      '2210201: 15 15 0 0 0 0',
    ]);
  });

  it('N4 财政拨款收支总表: per fund column, 本年收入 + 上年结转 = 本年支出 + 结转下年', () => {
    const income: [string, string][] = [
      ['income:current-year', '200'],
      ['income:gpb', '150'],
      ['income:gfb', '50'],
      ['income:state-capital-budget', '0'],
      ['income:carryover', '50'],
      ['income:gpb.carryover', '50'],
      ['income:gfb.carryover', '0'],
      ['income:total', '250'],
    ];
    for (const [code, value] of income) expect(cellOf('N4', code, 'income'), code).toBe(value);
    // 合计 一般公共预算 政府性基金预算 国有资本经营预算
    const expenditure: [string, string[]][] = [
      ['expenditure:current-year', ['230', '180', '50', '0']],
      ['201', ['155', '155', '0', '0']],
      ['208', ['15', '15', '0', '0']],
      ['212', ['50', '0', '50', '0']],
      ['221', ['10', '10', '0', '0']],
      ['expenditure:carry-out', ['20', '20', '0', '0']],
      ['expenditure:total', ['250', '200', '50', '0']],
    ];
    for (const [code, values] of expenditure) {
      expect(['total', 'gpb', 'gfb', 'state-capital-budget'].map((c) => cellOf('N4', code, c)), code).toEqual(values);
    }
  });

  it('N5 一般公共预算支出表 (with its 上年结转), N8 政府性基金, N9 国有资本经营 (empty)', () => {
    expect(rowsOf('N5')).toEqual([
      '合计: 180 147 33',
      '201: 155 122 33',
      '20101: 155 122 33',
      '2010101: 122 122 0',
      '2010102: 30 0 30',
      '2010150: 3 0 3',
      '208: 15 15 0',
      '20805: 15 15 0',
      '2080505: 15 15 0',
      '221: 10 10 0',
      '22102: 10 10 0',
      '2210201: 10 10 0',
    ]);
    expect(rowsOf('N8')).toEqual(['合计: 50 0 50', '212: 50 0 50', '21208: 50 0 50', '2120801: 50 0 50']);
    expect(rowsOf('N9')).toEqual([]);
  });

  it('N6 一般公共预算基本支出表 by economic 类/款 over the department; N7 “三公” in one row', () => {
    // 合计 人员经费 公用经费
    expect(rowsOf('N6')).toEqual([
      '合计: 147 125 22',
      '301: 125 125 0',
      '30101: 100 100 0',
      '30108: 15 15 0',
      '30113: 10 10 0',
      '302: 22 0 22',
      '30201: 20 0 20',
      '30217: 2 0 2',
    ]);
    // {上年}年预算数, then {本年}年预算数, each: 合计 因公出国（境）费 公务用车(小计 购置 运行) 公务接待费. No
    // last-year figures in this budget: the 上年 cells are zero (printed blank).
    expect(rowsOf('N7')).toEqual(['合计: 0 0 0 0 0 0 5 0 3 0 3 2']);
  });

  it('N7 fills its 上年 columns from last year’s figures, and follows a change of them', () => {
    const b = nationalBudget();
    b.priorYear = {
      threePublic: amount('6.5'),
      threePublicItems: { abroad: amount('1'), reception: amount('2.5'), vehicleRunning: amount('3') },
    };
    const engine = new TableEngine(b, book, national);
    const n7 = () => engine.table('N7');
    const header = n7().columns.map((c) => c.label);
    expect(header).toEqual(['2020年预算数', '2021年预算数']);
    // 合计 因公出国 小计(=购置+运行) 购置 运行 接待 — the 购置 figure is not known: zero.
    const cells = (t: ReportTable) => Object.entries(t.rows[0]!.cells).map(([k, v]) => `${k}=${toExactString(v, '万元')}`);
    expect(cells(n7())).toEqual([
      'prior:total=6.5',
      'prior:abroad=1',
      'prior:vehicle=3',
      'prior:vehicle-purchase=0',
      'prior:vehicle-running=3',
      'prior:reception=2.5',
      'total=5',
      'abroad=0',
      'vehicle=3',
      'vehicle-purchase=0',
      'vehicle-running=3',
      'reception=2',
    ]);
    expect(engine.cell('N7', 'total', 'prior:reception')).toBe(amount('2.5'));
    // The same table read through the shared (cached) rows, before and after last year's figures change.
    expect(engine.sharedTable('N7').rows[0]!.cells['prior:total']).toBe(amount('6.5'));
    const version = engine.tableVersion('N7');
    engine.setPriorYear({ threePublic: amount('7') });
    // A new stamp: readers that keep a laid-out table until its stamp moves lay N7 out again.
    expect(engine.tableVersion('N7')).toBeGreaterThan(version);
    expect(engine.sharedTable('N7').rows[0]!.cells['prior:total']).toBe(amount('7'));
    expect(n7().rows[0]!.cells['prior:reception']).toBe(0n);
    // Printed: the 上年 group spans its six columns; figures as the format prints them (2 decimals, blank zero).
    const printed = printedTable(computeTables(b, book, national).find((t) => t.id === 'N7')!);
    const grid = printed.blocks[0]!;
    const top = grid.cells.filter((c) => c.row === 0).map((c) => [c.text, c.colSpan]);
    expect(top).toEqual([
      ['2020年预算数', 6],
      ['2021年预算数', 6],
    ]);
    const body = grid.cells.filter((c) => c.row === grid.rowCount - 1).map((c) => c.text);
    expect(body).toEqual(['6.50', '1.00', '3.00', '', '3.00', '2.50', '5.00', '', '3.00', '', '3.00', '2.00']);
  });

  it('the identities between the tables hold', () => {
    const cell = (t: ReportTable, code: string | undefined, column: string) => t.rows.find((r) => r.code === code)?.cells[column] ?? 0n;
    const [n1, n2, n3, n4, n5, n6] = tables as [ReportTable, ReportTable, ReportTable, ReportTable, ReportTable, ReportTable];
    // N1 收入总计 = 本年收入合计 + 使用非财政拨款结余 + 上年结转 = 支出总计 = 本年支出合计 + 结转下年.
    const incomeTotal = cell(n1, 'income:total', 'income');
    expect(incomeTotal).toBe(cell(n1, 'income:current-year', 'income') + cell(n1, 'income:non-fiscal-balance', 'income') + cell(n1, 'income:carryover', 'income'));
    expect(incomeTotal).toBe(cell(n1, 'expenditure:total', 'amount'));
    expect(incomeTotal).toBe(cell(n1, 'expenditure:current-year', 'amount') + cell(n1, 'expenditure:carry-out', 'amount'));
    // N1 本年支出合计 = N3 合计; each N1 类 row = N3's 类 row; N2 row 合计 = N3 row 合计.
    const total3 = n3.rows.find((r) => r.kind === 'total')!.cells.total!;
    expect(cell(n1, 'expenditure:current-year', 'amount')).toBe(total3);
    for (const r of n3.rows.filter((x) => x.kind === 'class')) expect(cell(n1, r.code, 'amount'), r.code).toBe(r.cells.total);
    for (const r of n2.rows) expect(n3.rows.find((x) => x.key === r.key)?.cells.total, r.key).toBe(r.cells.total);
    // Every parent row is the sum of its children (类 = Σ 款, 款 = Σ 项), 合计 = Σ 类.
    for (const t of [n2, n3, n5, n6]) {
      for (const parent of t.rows.filter((r) => r.code)) {
        const children = t.rows.filter((r) => r.code && r.code.length > parent.code!.length && r.code.startsWith(parent.code!) && r.level === parent.level! + 1);
        if (children.length === 0) continue;
        for (const col of Object.keys(parent.cells)) {
          expect(children.reduce((s, r) => s + r.cells[col]!, 0n), `${t.id} ${parent.code} ${col}`).toBe(parent.cells[col]);
        }
      }
      const totalRow = t.rows.find((r) => r.kind === 'total')!;
      for (const col of Object.keys(totalRow.cells)) {
        expect(t.rows.filter((r) => r.kind === 'class').reduce((s, r) => s + r.cells[col]!, 0n), `${t.id} 合计 ${col}`).toBe(totalRow.cells[col]);
      }
    }
    // N4: per fund column 本年收入 + 上年结转 = 本年支出 + 结转下年; 一般公共预算 column by 类 = N5 类 rows.
    expect(cell(n4, 'income:gpb', 'income') + cell(n4, 'income:gpb.carryover', 'income')).toBe(cell(n4, 'expenditure:current-year', 'gpb') + cell(n4, 'expenditure:carry-out', 'gpb'));
    expect(cell(n4, 'income:gfb', 'income') + cell(n4, 'income:gfb.carryover', 'income')).toBe(cell(n4, 'expenditure:current-year', 'gfb') + cell(n4, 'expenditure:carry-out', 'gfb'));
    for (const r of n5.rows.filter((x) => x.kind === 'class')) expect(cell(n4, r.code, 'gpb'), r.code).toBe(r.cells.total);
    // N5 合计·基本支出 = N6 合计.
    expect(n5.rows.find((r) => r.kind === 'total')!.cells.basic).toBe(n6.rows.find((r) => r.kind === 'total')!.cells.total);
  });

  it('prints 万元 with two decimals and blank zeros, the same figures on the screen grid and in the text report', () => {
    const n1 = printedTable(tables[0]!);
    const texts = n1.blocks[0]!.cells.filter((c) => c.role === 'amount' && c.text !== '').map((c) => c.text);
    expect(texts).toEqual(expect.arrayContaining(['150.00', '245.00', '295.00', '195.00', '275.00', '20.00']));
    const text = reportToText([tables[0]!, tables[2]!]);
    expect(text).toMatch(/本年收入合计\s+245\.00\s+本年支出合计\s+275\.00/);
    expect(text).toMatch(/上年结转\s+50\.00\s+结转下年\s+20\.00/);
    expect(text).toMatch(/收入总计\s+295\.00\s+支出总计\s+295\.00/);
    expect(text).toMatch(/20101\s+人大事务\s+195\.00\s+162\.00\s+33\.00/);
  });

  it('审核: a budget that balances through 结转下年 has no hard finding on income', () => {
    const findings = auditBudget(budget, book, computeTables(budget, book));
    expect(findings.filter((f) => f.rule === 'income.balance-per-fund')).toEqual([]);
    expect(hardFindings(findings).map((f) => f.rule)).toEqual([]);
  });
});
