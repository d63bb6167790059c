// The eleven tables of the seed budget (济源市行政服务中心 2020) against every figure the publication prints
// (tests/fixtures/jiyuan-2020/expected.json), the cross-table identities, and the JSON / text outputs.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseExchange } from '../../core/exchange.js';
import type { Budget } from '../../core/model.js';
import { amount, type Fen } from '../../core/money.js';
import { computeTables, reportToJson, reportToText, displayWidth, type ReportRow, type ReportTable } from '../../core/tables/index.js';
import { templateFor } from '../../core/indicators.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { tableIdentityViolations } from './tables-identities.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'jiyuan-2020');
const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8')) as {
  tables: Record<string, Record<string, unknown>>;
};

function loadBudget(): Budget {
  const parsed = parseExchange(readFileSync(join(FIXTURE, 'budget.json'), 'utf8'), defaultCodeBook);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems.slice(0, 3)));
  return parsed.budget;
}

const budget = loadBudget();
const book = defaultCodeBook(budget.fiscalYear);
const tables = computeTables(budget, book);

/** expected.json sections are keyed "T03 部门支出总体情况表": find by id. */
function section<T = Record<string, unknown>>(id: string): T {
  const key = Object.keys(expected.tables).find((k) => k.startsWith(`${id} `));
  if (!key) throw new Error(`expected.json has no ${id}`);
  return expected.tables[key] as T;
}
function table(id: string): ReportTable {
  const t = tables.find((x) => x.id === id);
  if (!t) throw new Error(`no table ${id}`);
  return t;
}
/** The one row a predicate picks (fails when none or several match). */
function only(t: ReportTable, pick: (r: ReportRow) => boolean, what: string): ReportRow {
  const rows = t.rows.filter(pick);
  expect(rows.length, `${t.id}: exactly one row for ${what}`).toBe(1);
  return rows[0]!;
}
const fen = (text: string): Fen => amount(text, '万元');
/** Every cell of a row: the given columns carry `value`, every other column is zero (empty when printed). */
function expectCells(row: ReportRow, values: Record<string, string>, where: string) {
  for (const [column, value] of Object.entries(row.cells)) {
    const want = values[column] !== undefined ? fen(values[column]!) : 0n;
    expect(value, `${where} · ${column}`).toBe(want);
  }
  for (const column of Object.keys(values)) expect(Object.keys(row.cells), `${where} has column ${column}`).toContain(column);
}

describe('tables of the seed budget (expected.json)', () => {
  it('has the eleven tables in order with their published titles', () => {
    expect(tables.map((t) => `${t.id} ${t.title}`)).toEqual(Object.keys(expected.tables));
    for (const t of tables) expect(t.amountUnit).toBe('万元');
  });

  it('T01: both sides, every row, every column', () => {
    const t01 = table('T01');
    const s = section<{ income: Record<string, string>; expenditure: Record<string, string> }>('T01');
    const incomeRows = t01.rows.filter((r) => r.side === 'income');
    expect(incomeRows).toHaveLength(27);
    // 本年合计 is not in expected.json; docs/domain/TABLES.md prints it as 1,740.2.
    const incomeExpected: Record<string, string> = { 'current-year': '1740.2' };
    for (const [k, v] of Object.entries(s.income)) incomeExpected[k] = v;
    for (const r of incomeRows) {
      const k = r.code!.slice('income:'.length);
      expectCells(r, incomeExpected[k] !== undefined ? { amount: incomeExpected[k]! } : {}, `T01 ${r.label}`);
    }
    for (const k of Object.keys(s.income)) expect(incomeRows.some((r) => r.code === `income:${k}`), `income row ${k}`).toBe(true);

    const expenditureRows = t01.rows.filter((r) => r.side === 'expenditure');
    expect(expenditureRows).toHaveLength(17);
    const seen = new Set<string>();
    for (const [label, value] of Object.entries(s.expenditure)) {
      const r = label === 'total' ? only(t01, (x) => x.code === 'expenditure:total', label) : only(t01, (x) => x.side === 'expenditure' && x.label.endsWith(label), label);
      seen.add(r.key);
      // "each expenditure row repeats its amount in 合计, 本年支出小计, 一般公共预算 小计 and 其中：财政拨款"
      expectCells(r, { total: value, 'current-year': value, gpb: value, appropriation: value }, `T01 ${r.label}`);
    }
    for (const r of expenditureRows.filter((x) => !seen.has(x.key))) expectCells(r, {}, `T01 ${r.label}`);
    // Printed pairing: 27 rows, both totals on the last.
    expect(only(t01, (r) => r.code === 'income:total', '收入合计').line).toBe(27);
    expect(only(t01, (r) => r.code === 'expenditure:total', '支出合计').line).toBe(27);
  });

  it('T02 and T03: 合计, the unit row and every 项 row by code', () => {
    for (const id of ['T02', 'T03']) {
      const t = table(id);
      const rows = section<{ rows: Record<string, Record<string, string>> }>(id).rows;
      const matched = new Set<string>();
      for (const [key, values] of Object.entries(rows)) {
        let r: ReportRow;
        if (key === '合计') r = only(t, (x) => x.kind === 'total', key);
        else if (/^\d{7}$/.test(key)) r = only(t, (x) => x.kind === 'item' && x.code === key, key);
        else r = only(t, (x) => x.kind === 'unit' && key.endsWith(x.label), key);
        matched.add(r.key);
        expectCells(r, values, `${id} ${key}`);
      }
      if (id === 'T03') {
        // T03's unit row is not in expected.json; it equals 合计 (one unit, docs/domain/TABLES.md T03 body).
        const unit = only(t, (x) => x.kind === 'unit', 'unit');
        expect(unit.cells).toEqual(only(t, (x) => x.kind === 'total', '合计').cells);
        matched.add(unit.key);
      }
      expect(t.rows.map((r) => r.key).filter((k) => !matched.has(k)), `${id} rows not in expected.json`).toEqual([]);
      expect(t.rows.map((r) => r.kind)).toEqual(['total', 'unit', 'item', 'item', 'item', 'item']);
    }
    // As printed: the 项 split into 类 | 款 | 项 with the department code, generic names qualified.
    const item = only(table('T02'), (r) => r.code === '2010350', '2010350');
    expect(item.labels).toMatchObject({ functionalClass: '201', functionalSection: '03', functionalItem: '50', unitCode: '074' });
    expect(item.label).toBe('事业运行（政府办公厅（室）及相关机构事务）');
    expect(only(table('T02'), (r) => r.code === '2010306', '2010306').label).toBe('政务公开审批');
  });

  it('T04: income rows and every 类 of the year, labelled as published', () => {
    const t04 = table('T04');
    const s = section<{ income: Record<string, string>; expenditureByClass: Record<string, string> }>('T04');
    const incomeRows = t04.rows.filter((r) => r.side === 'income');
    for (const r of incomeRows) {
      const k = r.code!.slice('income:'.length);
      expectCells(r, s.income[k] !== undefined ? { amount: s.income[k]! } : {}, `T04 ${r.code}`);
    }
    for (const k of Object.keys(s.income)) expect(incomeRows.some((r) => r.code === `income:${k}`), `income row ${k}`).toBe(true);
    const classRows = t04.rows.filter((r) => r.kind === 'class');
    const matched = new Set<string>();
    for (const [key, value] of Object.entries(s.expenditureByClass)) {
      const r = key === 'total' ? only(t04, (x) => x.code === 'expenditure:total', key) : only(t04, (x) => x.kind === 'class' && x.code === key.split(' ')[0], key);
      // expected.json shortens the name ("221 住房保障"); the printed label is "二十一、住房保障支出".
      if (key !== 'total') expect(r.label).toContain(key.split(' ')[1]!);
      matched.add(r.key);
      // "合计, 一般公共预算 小计, 其中：财政拨款 carry the same amounts; 政府性基金 and 国有资本经营预算 are empty"
      expectCells(r, { total: value, gpb: value, appropriation: value }, `T04 ${key}`);
    }
    for (const r of classRows.filter((x) => !matched.has(x.key))) expectCells(r, {}, `T04 ${r.label}`);
    // The 29 类 of the 2020 list exactly as printed (docs/domain/TABLES.md T04).
    expect(classRows.map((r) => r.label)).toEqual([
      '一、一般公共服务', '二、外交', '三、国防', '四、公共安全', '五、教育', '六、科学技术', '七、文化旅游体育与传媒',
      '八、社会保障和就业', '九、社会保险基金支出', '十、卫生健康', '十一、节能环保', '十二、城乡社区支出', '十三、农林水支出',
      '十四、交通运输', '十五、资源勘探信息等支出', '十六、商业服务业等支出', '十七、金融支出', '十九、援助其他地区支出',
      '二十、自然资源海洋气象等支出', '二十一、住房保障支出', '二十二、粮油物资储备支出', '二十三、国有资本经营预算支出',
      '二十四、灾害防治及应急管理支出', '二十七、预备费', '二十九、其他支出', '三十、转移性支出', '三十一、债务还本支出',
      '三十二、债务付息支出', '三十三、债务发行费用支出',
    ]);
    expect(incomeRows.map((r) => r.line)).toEqual([...Array.from({ length: 19 }, (_, i) => i + 1), 30]);
  });

  it('T05 has the same rows and cells as T03', () => {
    expect(section('T05')).toEqual({ sameRowsAs: 'T03 部门支出总体情况表' });
    const strip = (t: ReportTable) => t.rows.map((r) => ({ key: r.key, label: r.label, cells: r.cells }));
    expect(strip(table('T05'))).toEqual(strip(table('T03')));
  });

  it('T06 and T07: every 类 and 款 row, with the government class beside it', () => {
    for (const id of ['T06', 'T07']) {
      const t = table(id);
      const rows = section<{ rows: Record<string, string> }>(id).rows;
      const matched = new Set<string>();
      for (const [key, value] of Object.entries(rows)) {
        const [code] = key.split(' ');
        let r: ReportRow;
        if (key === '合计') r = only(t, (x) => x.kind === 'total', key);
        else if (code!.length === 3) r = only(t, (x) => x.kind === 'class' && x.code === code, key);
        else r = only(t, (x) => x.kind === 'item' && x.code === code, key);
        matched.add(r.key);
        const columns: Record<string, string> = id === 'T06' ? { total: value, gpb: value, appropriation: value } : { total: value, appropriation: value };
        expectCells(r, columns, `${id} ${key}`);
        if (r.kind === 'item') {
          // A 事业单位: 301xx → 505 50501, 302xx → 505 50502, 310xx → 506 50601, as book.mapping says.
          const government = book.mapping.government(code!, 'public-institution')!;
          expect(r.government).toEqual({ classCode: government.slice(0, 3), code: government, name: book.government.name(government) });
          const arrow = / → (\d{3}) (\d{5})$/.exec(key);
          if (arrow) expect([r.government!.classCode, r.government!.code]).toEqual([arrow[1], arrow[2]]);
          expect(r.labels.economicItem).toBe(id === 'T06' ? code : code!.slice(3));
        }
      }
      expect(t.rows.map((r) => r.key).filter((k) => !matched.has(k)), `${id} rows not in expected.json`).toEqual([]);
    }
    expect(only(table('T06'), (r) => r.kind === 'total', '合计').labels).toEqual({ governmentName: '合计' });
    expect(only(table('T07'), (r) => r.kind === 'total', '合计').labels).toEqual({ economicName: '合计' });
    expect(only(table('T07'), (r) => r.code === '31002', '31002').labels).toMatchObject({ governmentClass: '506', governmentItem: '01', governmentName: '资本性支出（一）' });
  });

  it('T08: the six fixed rows', () => {
    const t08 = table('T08');
    const rows = section<{ rows: Record<string, string> }>('T08').rows;
    expect(t08.rows).toHaveLength(6);
    for (const [label, value] of Object.entries(rows)) {
      const r = only(t08, (x) => x.label.endsWith(label), label);
      expectCells(r, { total: value }, `T08 ${label}`);
    }
    expect(t08.columns[0]!.label).toBe('2020年“三公”经费预算数');
  });

  it('T09 is empty: no lines, no 合计 row', () => {
    expect(section<{ rows: object }>('T09').rows).toEqual({});
    expect(table('T09').rows).toEqual([]);
    expect(table('T09').columns.length).toBeGreaterThan(0);
  });

  it('T10: the budget block from the lines', () => {
    const s = section<{ budget: Record<string, string> }>('T10').budget;
    const t10 = table('T10');
    for (const [label, value] of Object.entries(s)) {
      const r = only(t10, (x) => x.label.includes(label), label);
      expectCells(r, { amount: value }, `T10 ${label}`);
    }
    expect(t10.rows).toHaveLength(Object.keys(s).length);
    expect(t10.departmentPerformance?.performance?.indicators).toHaveLength(39);
  });

  it('T11: one row per project with its amounts, summing to 项目支出', () => {
    const s = section<{ projects: number; sumOfYearAmount: string; yearAmount: Record<string, string> }>('T11');
    const t11 = table('T11');
    expect(t11.rows).toHaveLength(s.projects);
    expect(t11.rows.map((r) => r.code)).toEqual(Object.keys(s.yearAmount));
    for (const [code, value] of Object.entries(s.yearAmount)) expect(only(t11, (r) => r.code === code, code).cells.yearAmount).toBe(fen(value));
    const sum = t11.rows.reduce((acc, r) => acc + (r.cells.yearAmount ?? 0n), 0n);
    expect(sum).toBe(fen(s.sumOfYearAmount));
    // docs/domain/TABLES.md: P04 393.00 / 24.00 / 369.00 / 369.00.
    expect(only(t11, (r) => r.code === 'P04', 'P04').cells).toEqual({ totalAmount: fen('393'), yearAmount: fen('24'), priorTotalAmount: fen('369'), priorYearAmount: fen('369') });
    expect(t11.projects).toHaveLength(13);
  });

  it('every cross-table identity of docs/domain/TABLES.md holds', () => {
    expect(tableIdentityViolations(tables, { projectsMatchLines: true })).toEqual([]);
    // Fact 22: P02–P06 (专项资金) sum to 818.8, the other eight to 360.6.
    const t03 = only(table('T03'), (r) => r.kind === 'total', '合计');
    const byCategory = (category: string) =>
      budget.projects.filter((p) => p.category === category).reduce((acc, p) => acc + p.yearAmount, 0n);
    expect(byCategory('special')).toBe(t03.cells.special);
    expect(byCategory('general')).toBe(t03.cells.general);
  });
});

describe('outputs', () => {
  it('reportToJson: the documented shape with exact decimal strings', () => {
    const json = reportToJson(tables);
    expect(json.tables).toHaveLength(11);
    const t03 = json.tables.find((t) => t.id === 'T03')!;
    expect(Object.keys(t03)).toEqual(['id', 'title', 'amountUnit', 'columns', 'rows']);
    expect(t03).toMatchObject({ id: 'T03', title: '部门支出总体情况表', amountUnit: '万元' });
    expect(t03.rows[0]).toEqual({
      label: '合计',
      level: 0,
      cells: { total: '1740.2', basic: '560.8', wages: '527.1', public: '33.7', family: '0', project: '1179.4', general: '360.6', special: '818.8' },
    });
    expect(Object.keys(t03.rows[2]!)).toEqual(['code', 'label', 'level', 'cells']);
    expect(t03.columns[1]).toEqual({
      key: 'group:basic',
      label: '基本支出',
      children: [
        { key: 'basic', label: '小计' },
        { key: 'wages', label: '工资福利支出' },
        { key: 'public', label: '公用经费' },
        { key: 'family', label: '对个人和家庭的补助' },
      ],
    });
    // Exact, never rounded: a value finer than the printed decimal survives.
    const fine = structuredClone(budget);
    fine.lines[0] = { ...fine.lines[0]!, amount: fine.lines[0]!.amount + 1n };
    const fineJson = reportToJson(computeTables(fine, book));
    expect(fineJson.tables.find((t) => t.id === 'T03')!.rows[0]!.cells.total).toBe('1740.200001');
    // It is JSON: no bigint left.
    expect(() => JSON.stringify(json)).not.toThrow();
    const t01 = json.tables.find((t) => t.id === 'T01')!;
    expect(t01.rows.find((r) => r.code === 'income:gpb.appropriation')!.cells).toEqual({ amount: '1740.2' });
    const withLayout = reportToJson(tables, { layout: true }).tables.find((t) => t.id === 'T06')!;
    expect(withLayout.rows.find((r) => r.code === '30101')).toMatchObject({ kind: 'item', government: { classCode: '505', code: '50501' } });
  });

  it('reportToText: published number format and CJK-aligned columns', () => {
    const text = reportToText(tables.filter((t) => t.id !== 'T11'));
    expect(text).toContain('2020年部门支出总体情况表');
    expect(text).toContain('单位：济源市行政服务中心');
    const t03 = reportToText([table('T03')]).split('\n');
    const total = t03.find((l) => l.includes('合计') && l.includes('1,740.2'))!;
    expect(total).toMatch(/1,740\.2\s+560\.8\s+527\.1\s+33\.7\s+1,179\.4\s+360\.6\s+818\.8$/);
    // "106.0", not "106": one decimal kept.
    expect(reportToText([table('T06')])).toMatch(/绩效工资.*\s106\.0\s/);
    // Rows whose last column is filled (合计, the unit, 2010306) end at the same display column although their
    // names differ in length: CJK characters are counted two wide.
    const full = t03.filter((l) => l.endsWith('818.8'));
    expect(full).toHaveLength(3);
    expect(new Set(full.map(displayWidth)).size).toBe(1);
    expect(new Set(full.map((l) => l.length)).size).toBeGreaterThan(1);
    // T09: header and number row only.
    const t09 = reportToText([table('T09')]);
    expect(t09).not.toContain('合计');
    expect(t09).toMatch(/\*\*.*1\s+2\s+3\s+4\s+5\s+6\s+7\s+8/);
    // T04: the two sides share printed rows; both totals on the last.
    expect(reportToText([table('T04')])).toMatch(/收入合计\s+1,740\.2\s+支出合计\s+1,740\.2\s+1,740\.2\s+1,740\.2/);
  });

  it('reportToText prints T11 with the template skeleton: every 二级, empty ones as one row', () => {
    const template = templateFor(2020, '河南', 'project');
    expect(template).not.toBeNull();
    // The template is the one the printed files use for the year (core/indicators.ts), as the wizard shows it.
    const text = reportToText([table('T11')]);
    const first = text.split('\n\n')[0]!;
    expect(first).toContain('项目本年度金额：5.00');
    const indicatorLines = first.split('\n').slice(first.split('\n').findIndex((l) => l.includes('一级指标')) + 2, -1);
    expect(indicatorLines).toHaveLength(25); // P01: Σ over 18 二级 of max(1, n) (docs/domain/TABLES.md T11)
    expect(text).toContain('项目总金额：0.00'); // P05: zero printed as 0.00 in T11
  });

  it('displayWidth counts CJK and full-width characters as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('合计')).toBe(4);
    expect(displayWidth('（1）')).toBe(5);
  });
});
