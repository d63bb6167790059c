// The table engine on a budget made up for the purpose (two units of different kinds, several funds,
// 政府性基金 and 事业收入, projects on two 项) with every figure computed by hand, and the incremental engine
// against a full computation on random edit sequences.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUDIT_RULES, AuditContext, DEFAULT_AUDIT_SETTINGS, IncrementalAudit, auditBudget } from '../../core/audit/index.js';
import { groupFindings } from '../../core/audit/groups.js';
import { auditConfig, type AuditConfig } from '../../core/audit/rule-set.js';
import { FUNDS, type FundCode } from '../../core/funds.js';
import type { Budget, BudgetLine, ExpenditureKind, IncomeLine, Project, ProjectCategory } from '../../core/model.js';
import { amount, type Fen } from '../../core/money.js';
import { TableEngine, computeTables, type ChangedCell, type ReportRow, type ReportTable } from '../../core/tables/index.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { tableIdentityViolations } from './tables-identities.js';

const book = defaultCodeBook(2021);
const w = (text: string): Fen => amount(text, '万元');

function project(code: string, unit: string, category: ProjectCategory, yearAmount: string, extra: Partial<Project> = {}): Project {
  return { code, unit, name: `项目${code}`, category, yearAmount: w(yearAmount), indicators: [], ...extra };
}

function line(id: number, unit: string, functional: string, economic: string, kind: ExpenditureKind, projectCode: string | null, fund: FundCode, value: string): BudgetLine {
  return { id, unit, functional, economic, kind, project: projectCode, fund, amount: w(value) };
}

/** 测试局: an administrative office (901001) and a public institution (901002). Figures in 万元. */
function syntheticBudget(): Budget {
  return {
    fiscalYear: 2021,
    amountUnit: '万元',
    department: { code: '901', name: '测试局' },
    units: [
      { code: '901001', name: '测试局机关', kind: 'administrative' },
      { code: '901002', name: '测试中心', kind: 'public-institution' },
    ],
    lines: [
      line(1, '901001', '2010301', '30101', 'basic', null, 'gpb.appropriation', '100'),
      line(2, '901001', '2010301', '30102', 'basic', null, 'gpb.appropriation', '50'),
      line(3, '901001', '2010301', '30201', 'basic', null, 'gpb.appropriation', '10'),
      line(4, '901001', '2010301', '30217', 'basic', null, 'gpb.appropriation', '2'),
      line(5, '901001', '2080505', '30108', 'basic', null, 'gpb.appropriation', '12'),
      line(6, '901001', '2010301', '30302', 'basic', null, 'gpb.appropriation', '3'),
      line(7, '901001', '2010301', '31013', 'basic', null, 'gpb.appropriation', '25'),
      line(8, '901001', '2010302', '30227', 'project', 'PA', 'gpb.appropriation', '40'),
      line(9, '901001', '2010302', '31002', 'project', 'PA', 'gpb.admin-fees', '6'),
      line(10, '901001', '2010302', '30231', 'project', 'PA', 'gpb.appropriation', '1.5'),
      line(11, '901001', '2120801', '30227', 'project', 'PB', 'gfb.current', '80'),
      line(12, '901002', '2010350', '30101', 'basic', null, 'operations', '30'),
      line(13, '901002', '2010350', '30101', 'basic', null, 'gpb.appropriation', '60'),
      line(14, '901002', '2010350', '30201', 'basic', null, 'operations', '5'),
      line(15, '901002', '2010350', '30305', 'basic', null, 'gpb.appropriation', '4'),
      line(16, '901002', '2010350', '30212', 'basic', null, 'gpb.appropriation', '3'),
      line(17, '901002', '2010302', '30299', 'project', 'PC', 'operations', '8'),
      line(18, '901002', '2010302', '30299', 'project', 'PC', 'dept-carryover', '2'),
    ],
    income: [],
    projects: [project('PA', '901001', 'general', '47.5', { totalAmount: w('100') }), project('PB', '901001', 'special', '80'), project('PC', '901002', 'special', '10')],
    procurement: [],
    departmentPerformance: null,
    priorYear: null,
  };
}

function tableOf(tables: readonly ReportTable[], id: string): ReportTable {
  return tables.find((t) => t.id === id)!;
}
function rowOf(t: ReportTable, key: string): ReportRow {
  const r = t.rows.find((x) => x.key === key);
  if (!r) throw new Error(`${t.id} has no row ${key}: ${t.rows.map((x) => x.key).join(', ')}`);
  return r;
}
/** Asserts a whole row: listed columns have the value (万元), every other column is zero. */
function expectRow(t: ReportTable, key: string, values: Record<string, string>) {
  const r = rowOf(t, key);
  const want: Record<string, Fen> = {};
  for (const column of Object.keys(r.cells)) want[column] = values[column] !== undefined ? w(values[column]!) : 0n;
  for (const column of Object.keys(values)) expect(Object.keys(r.cells), `${t.id} ${key} has ${column}`).toContain(column);
  expect(r.cells, `${t.id} ${key}`).toEqual(want);
}

describe('a synthetic budget, figures computed by hand', () => {
  const tables = computeTables(syntheticBudget(), book);
  const T = (id: string) => tableOf(tables, id);

  it('T03: 合计, two units and their 项 in code order', () => {
    expect(T('T03').rows.map((r) => r.key)).toEqual([
      'total',
      'unit:901001',
      'item:901001:2010301',
      'item:901001:2010302',
      'item:901001:2080505',
      'item:901001:2120801',
      'unit:901002',
      'item:901002:2010302',
      'item:901002:2010350',
    ]);
    expectRow(T('T03'), 'total', { total: '441.5', basic: '304', wages: '252', public: '45', family: '7', project: '137.5', general: '47.5', special: '90' });
    expectRow(T('T03'), 'unit:901001', { total: '329.5', basic: '202', wages: '162', public: '37', family: '3', project: '127.5', general: '47.5', special: '80' });
    expectRow(T('T03'), 'item:901001:2010301', { total: '190', basic: '190', wages: '150', public: '37', family: '3' });
    expectRow(T('T03'), 'item:901001:2010302', { total: '47.5', project: '47.5', general: '47.5' });
    expectRow(T('T03'), 'item:901001:2080505', { total: '12', basic: '12', wages: '12' });
    expectRow(T('T03'), 'item:901001:2120801', { total: '80', project: '80', special: '80' });
    expectRow(T('T03'), 'unit:901002', { total: '112', basic: '102', wages: '90', public: '8', family: '4', project: '10', special: '10' });
    expectRow(T('T03'), 'item:901002:2010302', { total: '10', project: '10', special: '10' });
    expectRow(T('T03'), 'item:901002:2010350', { total: '102', basic: '102', wages: '90', public: '8', family: '4' });
    // Two units: each 项 row prints its own unit code; the generic names carry their 款.
    expect(rowOf(T('T03'), 'item:901002:2010350').labels).toMatchObject({ unitCode: '901002', name: '事业运行（政府办公厅（室）及相关机构事务）' });
    expect(rowOf(T('T03'), 'unit:901002').label).toBe('测试中心');
  });

  it('T05 (一般公共预算) and T09 (政府性基金)', () => {
    expectRow(T('T05'), 'total', { total: '316.5', basic: '269', wages: '222', public: '40', family: '7', project: '47.5', general: '47.5' });
    expectRow(T('T05'), 'unit:901002', { total: '67', basic: '67', wages: '60', public: '3', family: '4' });
    expect(T('T05').rows.some((r) => r.key === 'item:901002:2010302')).toBe(false);
    expect(T('T09').rows.map((r) => r.key)).toEqual(['total', 'unit:901001', 'item:901001:2120801']);
    expectRow(T('T09'), 'total', { total: '80', project: '80', special: '80' });
  });

  it('T02: income by source', () => {
    expectRow(T('T02'), 'total', { total: '441.5', gpb: '316.5', appropriation: '310.5', gfb: '80', operations: '43', 'dept-carryover': '2' });
    expectRow(T('T02'), 'unit:901001', { total: '329.5', gpb: '249.5', appropriation: '243.5', gfb: '80' });
    expectRow(T('T02'), 'unit:901002', { total: '112', gpb: '67', appropriation: '67', operations: '43', 'dept-carryover': '2' });
    expectRow(T('T02'), 'item:901002:2010302', { total: '10', operations: '8', 'dept-carryover': '2' });
  });

  it('T01: income equal to expenditure per fund, both sides', () => {
    const t01 = T('T01');
    const income: Record<string, string> = { 'gpb.appropriation': '310.5', 'gpb.admin-fees': '6', 'gfb.current': '80', operations: '43', 'current-year': '439.5', 'dept-carryover': '2', total: '441.5' };
    for (const r of t01.rows.filter((x) => x.side === 'income')) {
      const k = r.key.slice('income:'.length);
      expectRow(t01, r.key, income[k] ? { amount: income[k]! } : {});
    }
    const e = (k: string, total: string, carry: string, current: string, gpb: string, appr: string, gfb: string, ops: string) =>
      expectRow(t01, `expenditure:${k}`, { total, 'dept-carryover': carry, 'current-year': current, gpb, appropriation: appr, gfb, operations: ops });
    e('basic', '304', '0', '304', '269', '269', '0', '35');
    e('wages', '252', '0', '252', '222', '222', '0', '30');
    e('public', '45', '0', '45', '40', '40', '0', '5');
    e('family', '7', '0', '7', '7', '7', '0', '0');
    e('project', '137.5', '2', '135.5', '47.5', '41.5', '80', '8');
    e('general', '47.5', '0', '47.5', '47.5', '41.5', '0', '0');
    e('special', '90', '2', '88', '0', '0', '80', '8');
    e('project.302', '131.5', '2', '129.5', '41.5', '41.5', '80', '8');
    e('project.310', '6', '0', '6', '6', '0', '0', '0');
    e('total', '441.5', '2', '439.5', '316.5', '310.5', '80', '43');
    for (const cls of ['303', '307', '309', '311', '312', '313', '399']) expectRow(t01, `expenditure:project.${cls}`, {});
  });

  it('T04: 财政拨款 (一般公共预算, 政府性基金, 国有资本经营) by 类', () => {
    const t04 = T('T04');
    expectRow(t04, 'income:gpb', { amount: '316.5' });
    expectRow(t04, 'income:gpb.appropriation', { amount: '310.5' });
    expectRow(t04, 'income:gpb.admin-fees', { amount: '6' });
    expectRow(t04, 'income:gfb', { amount: '80' });
    expectRow(t04, 'income:gfb.current', { amount: '80' });
    expectRow(t04, 'income:total', { amount: '396.5' });
    expectRow(t04, 'expenditure:201', { total: '304.5', gpb: '304.5', appropriation: '298.5' });
    expectRow(t04, 'expenditure:208', { total: '12', gpb: '12', appropriation: '12' });
    expectRow(t04, 'expenditure:212', { total: '80', gfb: '80' });
    expectRow(t04, 'expenditure:total', { total: '396.5', gpb: '316.5', appropriation: '310.5', gfb: '80' });
    // 2021 has no year labels: the code list names with their ordinals.
    expect(rowOf(t04, 'expenditure:201').label).toBe('一、一般公共服务支出');
    expect(rowOf(t04, 'expenditure:215').label).toBe('十五、资源勘探工业信息等支出');
    expect(t04.rows.filter((r) => r.kind === 'class')).toHaveLength(book.functional.children(null).length);
  });

  it('T06: an administrative unit maps to 501/502/503, an institution to 505/506', () => {
    const t06 = T('T06');
    expect(t06.rows.map((r) => r.key)).toEqual([
      'total',
      'class:301',
      'item:30101>50101',
      'item:30101>50501',
      'item:30102>50101',
      'item:30108>50102',
      'class:302',
      'item:30201>50201',
      'item:30201>50502',
      'item:30212>50502',
      'item:30217>50206',
      'item:30227>50205',
      'item:30231>50208',
      'item:30299>50502',
      'class:303',
      'item:30302>50905',
      'item:30305>50901',
      'class:310',
      'item:31002>50306',
      'item:31013>50303',
    ]);
    expectRow(t06, 'total', { total: '441.5', gpb: '316.5', appropriation: '310.5', gfb: '80', operations: '43', 'dept-carryover': '2' });
    expectRow(t06, 'class:301', { total: '252', gpb: '222', appropriation: '222', operations: '30' });
    expectRow(t06, 'item:30101>50101', { total: '100', gpb: '100', appropriation: '100' });
    expectRow(t06, 'item:30101>50501', { total: '90', gpb: '60', appropriation: '60', operations: '30' });
    expectRow(t06, 'class:302', { total: '151.5', gpb: '56.5', appropriation: '56.5', gfb: '80', operations: '13', 'dept-carryover': '2' });
    expectRow(t06, 'item:30227>50205', { total: '120', gpb: '40', appropriation: '40', gfb: '80' });
    expectRow(t06, 'item:30299>50502', { total: '10', operations: '8', 'dept-carryover': '2' });
    expectRow(t06, 'class:303', { total: '7', gpb: '7', appropriation: '7' });
    expectRow(t06, 'class:310', { total: '31', gpb: '31', appropriation: '25' });
    expectRow(t06, 'item:31002>50306', { total: '6', gpb: '6' });
    expect(rowOf(t06, 'item:30101>50101').government).toEqual({ classCode: '501', code: '50101', name: '工资奖金津补贴' });
    expect(rowOf(t06, 'item:30101>50501').government).toEqual({ classCode: '505', code: '50501', name: '工资福利支出' });
  });

  it('T07: basic 一般公共预算 only, by 类 and 款', () => {
    const t07 = T('T07');
    expect(t07.rows.map((r) => r.key)).toEqual([
      'total',
      'class:301',
      'item:30101>50101',
      'item:30101>50501',
      'item:30102>50101',
      'item:30108>50102',
      'class:302',
      'item:30201>50201',
      'item:30212>50502',
      'item:30217>50206',
      'class:303',
      'item:30302>50905',
      'item:30305>50901',
      'class:310',
      'item:31013>50303',
    ]);
    expectRow(t07, 'total', { total: '269', appropriation: '269' });
    expectRow(t07, 'class:301', { total: '222', appropriation: '222' });
    expectRow(t07, 'item:30101>50501', { total: '60', appropriation: '60' });
    expectRow(t07, 'class:302', { total: '15', appropriation: '15' });
    expectRow(t07, 'class:303', { total: '7', appropriation: '7' });
    expectRow(t07, 'class:310', { total: '25', appropriation: '25' });
    expect(rowOf(t07, 'item:30101>50501').labels).toMatchObject({ economicItem: '01', governmentClass: '505', governmentItem: '01' });
  });

  it('T08: "三公" over basic and project lines of 一般公共预算', () => {
    const t08 = T('T08');
    const v = (k: string) => rowOf(t08, k).cells.total;
    expect([v('total'), v('abroad'), v('reception'), v('vehicle'), v('vehicle-running'), v('vehicle-purchase')]).toEqual(
      ['31.5', '3', '2', '26.5', '1.5', '25'].map(w),
    );
  });

  it('T10 budget block and T11 projects', () => {
    const t10 = T('T10');
    const v = (k: string) => rowOf(t10, k).cells.amount;
    expect([v('total'), v('fiscal'), v('other'), v('basic'), v('project')]).toEqual(['441.5', '396.5', '45', '304', '137.5'].map(w));
    const t11 = T('T11');
    expect(t11.rows.map((r) => [r.code, r.cells])).toEqual([
      ['PA', { totalAmount: w('100'), yearAmount: w('47.5') }],
      ['PB', { yearAmount: w('80') }],
      ['PC', { yearAmount: w('10') }],
    ]);
  });

  it('every cross-table identity holds', () => {
    expect(tableIdentityViolations(tables, { projectsMatchLines: true })).toEqual([]);
  });
});

describe('the incremental engine', () => {
  it('moves a project\'s lines between 一般性项目 and 专项资金 when its category changes', () => {
    const budget = syntheticBudget();
    const engine = new TableEngine(budget, book);
    const changes = engine.updateProject({ ...budget.projects[0]!, category: 'special' });
    const t03 = engine.table('T03');
    expectRow(t03, 'total', { total: '441.5', basic: '304', wages: '252', public: '45', family: '7', project: '137.5', special: '137.5' });
    const t01 = engine.table('T01');
    expect(rowOf(t01, 'expenditure:general').cells.total).toBe(0n);
    expect(rowOf(t01, 'expenditure:special').cells.total).toBe(w('137.5'));
    expect(changes).toContainEqual({ table: 'T03', row: 'total', column: 'general', value: 0n });
    expect(changes).toContainEqual({ table: 'T03', row: 'total', column: 'special', value: w('137.5') });
    expect(changes.some((c) => c.column === 'total' && c.table === 'T03')).toBe(false);
    expect(engine.tables()).toEqual(computeTables({ ...budget, projects: [{ ...budget.projects[0]!, category: 'special' }, ...budget.projects.slice(1)] }, book));
  });

  it('reports only the cells that change, and rows that appear or disappear', () => {
    const budget = syntheticBudget();
    const engine = new TableEngine(budget, book);
    const before = budget.lines[4]!; // 2080505 30108 12
    const changes = engine.apply({ before, after: { ...before, amount: w('13') } });
    expect(changes).toContainEqual({ table: 'T03', row: 'item:901001:2080505', column: 'wages', value: w('13') });
    expect(changes).toContainEqual({ table: 'T03', row: 'total', column: 'total', value: w('442.5') });
    expect(changes.every((c) => c.value !== 0n && c.rowChange === undefined)).toBe(true);
    expect(changes.some((c) => c.column === 'project')).toBe(false);
    // Removing the only line of a 项 removes its rows (T02, T03, T05) and its T06/T07 款 row.
    const removed = engine.apply({ before: { ...before, amount: w('13') }, after: null });
    const gone = new Set(removed.filter((c) => c.rowChange === 'removed').map((c) => `${c.table} ${c.row}`));
    expect([...gone].sort()).toEqual(['T02 item:901001:2080505', 'T03 item:901001:2080505', 'T05 item:901001:2080505', 'T06 item:30108>50102', 'T07 item:30108>50102']);
    // A row exists while lines are booked on it, even at 0: adding a zero line brings the rows back.
    const zero = engine.apply({ before: null, after: { ...before, id: 99, amount: 0n } });
    expect(zero.filter((c) => c.rowChange === 'added' && c.table === 'T03').map((c) => c.row)).toEqual(Array(8).fill('item:901001:2080505'));
    expect(rowOf(engine.table('T03'), 'item:901001:2080505').cells.total).toBe(0n);
  });

  it('refuses changes that do not fit its lines', () => {
    const budget = syntheticBudget();
    const engine = new TableEngine(budget, book);
    expect(() => engine.apply({ before: null, after: budget.lines[0]! })).toThrow(/already/);
    expect(() => engine.apply({ before: { ...budget.lines[0]!, id: 500 }, after: null })).toThrow(/not in the tables/);
    expect(() => engine.apply({ before: budget.lines[0]!, after: { ...budget.lines[0]!, id: 2 } })).toThrow(/keeps its id/);
    expect(engine.tables()).toEqual(computeTables(budget, book));
  });

  it('keeps its own copy of the lines: editing the caller\'s object in place changes nothing', () => {
    const budget = syntheticBudget();
    const engine = new TableEngine(budget, book);
    const target = budget.lines[0]!;
    const before = { ...target };
    target.amount = w('1');
    expect(engine.cell('T03', 'total', 'total')).toBe(w('441.5'));
    engine.apply({ before, after: target });
    expect(engine.cell('T03', 'total', 'total')).toBe(w('342.5'));
  });

  it('gives the line grid its subtotals by 类 / 款 / 项 and the lines behind a figure', () => {
    const engine = new TableEngine(syntheticBudget(), book);
    const sub = engine.functionalSubtotals();
    expect(sub.get('201')).toBe(w('349.5'));
    expect(sub.get('20103')).toBe(w('349.5'));
    expect(sub.get('2010302')).toBe(w('57.5'));
    expect(sub.get('208')).toBe(w('12'));
    expect(sub.get('2120801')).toBe(w('80'));
    expect(engine.grandTotal()).toBe(w('441.5'));
    expect(engine.functionalSubtotals('901002').get('201')).toBe(w('112'));
    expect(engine.grandTotal('901002')).toBe(w('112'));
    expect(engine.linesBehind('T03', 'total', 'wages')).toEqual([1, 2, 5, 12, 13]);
    expect(engine.linesBehind('T06', 'item:30101>50501', 'total')).toEqual([12, 13]);
    expect(engine.linesBehind('T01', 'income:operations', 'amount')).toEqual([12, 14, 17]);
    expect(engine.linesBehind('T08', 'vehicle', 'total')).toEqual([7, 10]);
    expect(engine.linesBehind('T11', 'PA', 'yearAmount')).toEqual([8, 9, 10]);
    expect(engine.linesBehind('T04', 'expenditure:212', 'gfb')).toEqual([11]);
    expect(engine.projectLineTotals().get('PA')).toBe(w('47.5'));
    engine.apply({ before: engine.currentLines().find((l) => l.id === 12)!, after: null });
    expect(engine.functionalSubtotals().get('2010350')).toBe(w('72'));
  });

  it('keeps the line count and sum of each project line by line, and gives the lines behind a figure with the figure itself', () => {
    const budget = syntheticBudget();
    const engine = new TableEngine(budget, book);
    const fromLines = (code: string) => {
      const lines = engine.currentLines().filter((l) => l.kind === 'project' && l.project === code);
      return { count: lines.length, amount: lines.reduce((s, l) => s + l.amount, 0n) };
    };
    expect(engine.projectLineSum('PA')).toEqual({ count: 3, amount: w('47.5') });
    expect(engine.projectLineSum('NONE')).toEqual({ count: 0, amount: 0n });
    // An amount changed, a line moved to another project, a line removed: the kept sums follow.
    const [a, b, c] = [8, 9, 10].map((id) => engine.currentLines().find((l) => l.id === id)!);
    engine.apply({ before: a!, after: { ...a!, amount: a!.amount + w('1') } });
    const other = budget.projects.find((p) => p.code !== 'PA')!.code;
    engine.apply({ before: b!, after: { ...b!, project: other } });
    engine.apply({ before: c!, after: null });
    for (const p of budget.projects) expect(engine.projectLineSum(p.code), p.code).toEqual(fromLines(p.code));
    expect(engine.projectLineTotals().get('PA')).toBe(fromLines('PA').amount);

    // The total behind a cell the lines make is the cell; a T11 row's lines add up to the project's kept sum,
    // not to its own 本年度金额 printed there.
    const wages = engine.figureLines('T03', 'total', 'wages');
    expect(wages.lines).toEqual(engine.linesBehind('T03', 'total', 'wages'));
    expect(wages.total).toBe(engine.cell('T03', 'total', 'wages'));
    const pa = engine.figureLines('T11', 'PA', 'yearAmount');
    expect(pa.total).toBe(fromLines('PA').amount);
    expect(engine.figureLines('T03', 'no-such-row', 'total')).toEqual({ lines: [], total: 0n });
    // Income stated by the income budget: no line is behind it.
    engine.applyIncome({ before: null, after: { unit: '901002', fund: 'operations', amount: w('50') } });
    expect(engine.figureLines('T01', 'income:operations', 'amount')).toEqual({ lines: [], total: 0n });
  });

  it('takes stated income for T01/T04 once the budget has income lines', () => {
    const budget = syntheticBudget();
    const engine = new TableEngine(budget, book);
    const stated: IncomeLine = { unit: '901002', fund: 'operations', amount: w('50') };
    const changes = engine.applyIncome({ before: null, after: stated });
    expect(engine.cell('T01', 'income:operations', 'amount')).toBe(w('50'));
    expect(engine.cell('T01', 'income:gpb.appropriation', 'amount')).toBe(0n);
    expect(changes).toContainEqual({ table: 'T01', row: 'income:operations', column: 'amount', value: w('50') });
    expect(engine.tables()).toEqual(computeTables({ ...budget, income: [stated] }, book));
    engine.applyIncome({ before: stated, after: { ...stated, amount: w('60') } });
    expect(engine.cell('T01', 'income:operations', 'amount')).toBe(w('60'));
    engine.applyIncome({ before: { ...stated, amount: w('60') }, after: null });
    expect(engine.tables()).toEqual(computeTables(budget, book));
  });

  it('follows a change of unit kind into the government classes', () => {
    const budget = syntheticBudget();
    const engine = new TableEngine(budget, book);
    const units = budget.units.map((u) => ({ ...u, kind: 'administrative' as const }));
    const changes = engine.setUnits(units);
    expect(changes).toContainEqual(expect.objectContaining({ table: 'T06', row: 'item:30101>50501', rowChange: 'removed' }));
    expect(engine.cell('T06', 'item:30101>50101', 'total')).toBe(w('190'));
    expect(engine.tables()).toEqual(computeTables({ ...budget, units }, book));
  });
});

// --- random edit sequences -------------------------------------------------------------------------------

const UNITS = ['901001', '901002', '909999' /* not in the budget */];
const FUNCTIONAL = ['2010301', '2010302', '2010350', '2050201', '2080505', '2120801', '2130101', '2210201', '2299999' /* unknown */];
const ECONOMIC = ['30101', '30107', '30199', '30201', '30212', '30217', '30231', '30227', '30302', '30305', '30701', '30905', '31002', '31013', '31204', '39999'];
const PROJECTS = ['PA', 'PB', 'PC', 'PX' /* no such project */];
const FUND_CODES = FUNDS.map((f) => f.code);

const lineFields = fc.record({
  unit: fc.constantFrom(...UNITS),
  functional: fc.constantFrom(...FUNCTIONAL),
  economic: fc.constantFrom(...ECONOMIC),
  kind: fc.constantFrom<ExpenditureKind>('basic', 'project'),
  project: fc.constantFrom(...PROJECTS),
  fund: fc.constantFrom(...FUND_CODES),
  amount: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 5_000_000_000n })),
  remark: fc.constantFrom(undefined, '', '按标准', 'XX 人'),
});

type LineFields = Omit<BudgetLine, 'id' | 'project' | 'remark'> & { project: string; remark: string | undefined };
type Command =
  | { op: 'add'; fields: LineFields }
  | { op: 'update'; pick: number; fields: LineFields }
  | { op: 'remove'; pick: number }
  | { op: 'category'; project: string; category: ProjectCategory }
  | { op: 'income'; pick: number; unit: string; fund: FundCode; amount: Fen; remove: boolean };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: lineFields.map((fields) => ({ op: 'add', fields }) as Command) },
  { weight: 3, arbitrary: fc.tuple(fc.nat(), lineFields).map(([pick, fields]) => ({ op: 'update', pick, fields }) as Command) },
  { weight: 2, arbitrary: fc.nat().map((pick) => ({ op: 'remove', pick }) as Command) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('PA', 'PB', 'PC'), fc.constantFrom<ProjectCategory>('general', 'special')).map(([p, category]) => ({ op: 'category', project: p, category }) as Command) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.nat(), fc.constantFrom(...UNITS), fc.constantFrom(...FUND_CODES), fc.bigInt({ min: 0n, max: 1_000_000_000n }), fc.boolean())
      .map(([pick, unit, fund, value, remove]) => ({ op: 'income', pick, unit, fund, amount: value, remove }) as Command),
  },
);

function toLine(id: number, f: LineFields): BudgetLine {
  const out: BudgetLine = { id, unit: f.unit, functional: f.functional, economic: f.economic, kind: f.kind, project: f.kind === 'project' ? f.project : null, fund: f.fund, amount: f.amount };
  if (f.remark !== undefined) out.remark = f.remark;
  return out;
}

/**
 * A parameter package's rule set: 控制数 (a unit's, a project's), levels changed, a threshold, an identity
 * written as data, and last year's figures by 项 for the large-change rule.
 */
const PARAMS: AuditConfig = auditConfig({
  settings: {
    'project.dates': { level: 'off' },
    'line.government-mapping-unknown': { level: 'hard' },
    'item.large-change': { params: { ratio: '5%' } },
  },
  ceilings: [
    { unit: '901001', fundGroup: 'gpb', kind: 'basic', amount: w('200') },
    { unit: '901001', fundGroup: 'gpb', kind: 'project', project: 'PA', amount: w('45') },
    { unit: '901002', fundGroup: 'operations', kind: 'basic', amount: w('30') },
  ],
  packageIdentities: [
    {
      id: 'data.t10-budget',
      level: 'soft',
      description: 'T10 与 T03 一致',
      expressions: [{ expression: 'T10.total.amount = T03.total.total' }, { expression: 'T03.total.project = sum(T11.*.yearAmount)' }],
    },
  ],
});
const PRIOR_BY_ITEM = { '2010301': w('190'), '2010350': w('95'), '2120801': w('80'), '2130101': w('3') };

/** Cells as the UI would hold them after applying every ChangedCell to the first tables. */
type Shadow = Map<string, Map<string, Fen>>;
function shadowOf(tables: readonly ReportTable[]): Shadow {
  const out: Shadow = new Map();
  for (const t of tables) for (const r of t.rows) out.set(`${t.id} ${r.key}`, new Map(Object.entries(r.cells)));
  return out;
}
function applyToShadow(shadow: Shadow, changes: readonly ChangedCell[]) {
  for (const c of changes) {
    const key = `${c.table} ${c.row}`;
    if (c.rowChange === 'removed') {
      shadow.delete(key);
      continue;
    }
    let cells = shadow.get(key);
    if (!cells) {
      cells = new Map();
      shadow.set(key, cells);
    }
    cells.set(c.column, c.value);
  }
}

describe('incremental updates equal a full computation (property)', () => {
  /** Applies a random sequence to an engine (and, with `withAudit`, to the incremental 审核 counts beside it). */
  const sequence = (withAudit: boolean, params: AuditConfig | null = null) =>
      fc.property(fc.boolean(), fc.array(command, { minLength: 1, maxLength: 60 }), (startFromSynthetic, commands) => {
        const start = syntheticBudget();
        if (!startFromSynthetic) start.lines = [];
        if (params) start.priorYear = { functional: { ...PRIOR_BY_ITEM } };
        const engine = new TableEngine(start, book);
        const shadow = shadowOf(engine.tables());
        const lines: BudgetLine[] = start.lines.map((l) => ({ ...l }));
        const projects = start.projects.map((p) => ({ ...p }));
        const income: IncomeLine[] = [];
        // 审核 counts kept edit by edit beside the engine, compared with a full audit along the way.
        const lineUnit = (id: number) => lines.find((l) => l.id === id)?.unit;
        const audit = withAudit
          ? new IncrementalAudit({ ...start, projects, income }, book, () => lines, () => engine.sharedTables(), params?.rules ?? AUDIT_RULES, params?.settings, lineUnit)
          : null;
        const expectAuditAgrees = () => {
          if (!audit) return;
          const now: Budget = { ...start, lines: [...lines], projects: [...projects], income: [...income] };
          const tables = computeTables(now, book);
          const findings = auditBudget(now, book, tables, params ?? {});
          const hard = findings.filter((f) => f.severity === 'hard').length;
          expect(audit.counts()).toEqual({ hard, soft: findings.length - hard });
          // And by group (severity, rule, unit), as the 审核 screen lists them.
          const full = groupFindings(findings, new AuditContext(now, book, tables, { ...DEFAULT_AUDIT_SETTINGS, ...params?.settings }), lineUnit);
          expect(new Map([...audit.groups()].sort())).toEqual(new Map([...full].sort()));
        };
        expectAuditAgrees();
        let nextId = 1000;
        for (const [step, c] of commands.entries()) {
          let changes: ChangedCell[] = [];
          let lineChange: { before: BudgetLine | null; after: BudgetLine | null } | null = null;
          if (c.op === 'add') {
            const added = toLine(nextId++, c.fields);
            lines.push(added);
            changes = engine.apply({ before: null, after: added });
            lineChange = { before: null, after: added };
          } else if (c.op === 'update' && lines.length > 0) {
            const i = c.pick % lines.length;
            const updated = toLine(lines[i]!.id, c.fields);
            changes = engine.apply({ before: lines[i]!, after: updated });
            lineChange = { before: lines[i]!, after: updated };
            lines[i] = updated;
          } else if (c.op === 'remove' && lines.length > 0) {
            const i = c.pick % lines.length;
            changes = engine.apply({ before: lines[i]!, after: null });
            lineChange = { before: lines[i]!, after: null };
            lines.splice(i, 1);
          } else if (c.op === 'category') {
            const i = projects.findIndex((p) => p.code === c.project);
            projects[i] = { ...projects[i]!, category: c.category };
            changes = engine.updateProject(projects[i]!);
          } else if (c.op === 'income') {
            if (c.remove && income.length > 0) {
              const i = c.pick % income.length;
              changes = engine.applyIncome({ before: income[i]!, after: null });
              income.splice(i, 1);
            } else {
              const added: IncomeLine = { unit: c.unit, fund: c.fund, amount: c.amount };
              changes = engine.applyIncome({ before: null, after: added });
              income.push(added);
            }
          }
          applyToShadow(shadow, changes);
          if (lineChange) {
            audit?.applyLines([lineChange]);
            audit?.rowsChanged(changes);
          } else audit?.budgetChanged({ ...start, projects, income });
          if (step % 25 === 24) expectAuditAgrees();
        }
        expectAuditAgrees();
        const final: Budget = { ...start, lines, projects, income };
        const full = computeTables(final, book);
        expect(engine.tables()).toEqual(full);
        expect(engine.sharedTables()).toEqual(full);
        expect(shadow).toEqual(shadowOf(full));
        // A project line naming no project is in 项目支出 but in neither category (the audit reports it), so
        // 项目支出 = 一般性 + 专项 is checked on the lines that name a project of the budget.
        const named = new Set(projects.map((p) => p.code));
        const valid = computeTables({ ...final, lines: lines.filter((l) => l.kind !== 'project' || named.has(l.project ?? '')) }, book);
        expect(tableIdentityViolations(valid, { incomeStated: income.length > 0 })).toEqual([]);
      });

  it('random add / update / remove / category / income sequences', () => {
    fc.assert(sequence(false), { numRuns: 150 });
  });

  it('审核 counts kept edit by edit (in all and by severity, rule and unit) equal a full audit along random sequences', () => {
    fc.assert(sequence(true), { numRuns: 50 });
  }, 240_000);

  it('审核 counts kept edit by edit equal a full audit under a parameter package’s rule set', () => {
    fc.assert(sequence(true, PARAMS), { numRuns: 40 });
  }, 240_000);

  it('applyAll reports each changed cell once, with its final value', () => {
    fc.assert(
      fc.property(fc.array(lineFields, { minLength: 1, maxLength: 30 }), (fields) => {
        const start = syntheticBudget();
        const engine = new TableEngine(start, book);
        const shadow = shadowOf(engine.tables());
        const added = fields.map((f, i) => toLine(2000 + i, f));
        const changes = engine.applyAll(added.map((after) => ({ before: null, after })));
        const keys = changes.map((c) => `${c.table} ${c.row} ${c.column}`);
        expect(new Set(keys).size).toBe(keys.length);
        applyToShadow(shadow, changes);
        const full = computeTables({ ...start, lines: [...start.lines, ...added] }, book);
        expect(shadow).toEqual(shadowOf(full));
      }),
      { numRuns: 50 },
    );
  });
});
