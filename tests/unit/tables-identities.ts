// The cross-table facts of docs/domain/TABLES.md ("Inside each table" and "Between tables"), written in their general form
// so they hold for any budget, not only the seed. Used by the table tests on the fixture, on a synthetic
// budget and on random budgets. Returns one message per violated identity (empty when all hold).
import { FUNDS } from '../../core/funds.js';
import type { Fen } from '../../core/money.js';
import type { ReportRow, ReportTable } from '../../core/tables/index.js';

export interface IdentityOptions {
  /** Σ 项目本年度金额 of the projects = 项目支出 (T11 ↔ T03): true when each project's lines sum to its amount. */
  projectsMatchLines?: boolean;
  /**
   * The budget states its income (income lines): the income side then need not equal expenditure, so the
   * identities that tie the two together are not checked (the audit reports an unbalanced budget).
   */
  incomeStated?: boolean;
}

export function tableIdentityViolations(tables: readonly ReportTable[], options: IdentityOptions = {}): string[] {
  const problems: string[] = [];
  const balanced = !options.incomeStated;
  const byId = new Map(tables.map((t) => [t.id, t]));
  const table = (id: string): ReportTable => {
    const t = byId.get(id as ReportTable['id']);
    if (!t) throw new Error(`table ${id} missing`);
    return t;
  };
  const row = (id: string, key: string): ReportRow | undefined => table(id).rows.find((r) => r.key === key);
  const cell = (id: string, key: string, column: string): Fen => row(id, key)?.cells[column] ?? 0n;
  const sum = (values: Iterable<Fen>): Fen => {
    let s = 0n;
    for (const v of values) s += v;
    return s;
  };
  const eq = (what: string, a: Fen, b: Fen) => {
    if (a !== b) problems.push(`${what}: ${a} ≠ ${b}`);
  };
  const le = (what: string, a: Fen, b: Fen) => {
    if (a > b) problems.push(`${what}: ${a} > ${b}`);
  };

  const gpbFunds = FUNDS.filter((f) => f.group === 'gpb').map((f) => f.code);
  const gfbFunds = FUNDS.filter((f) => f.group === 'gfb').map((f) => f.code);
  const otherSources = ['edu-fees', 'edu-fees.carryover', 'state-capital-budget', 'operations', 'business', 'institution-fund', 'other'];

  // 1. T01.
  const t01 = table('T01');
  const income = (k: string) => cell('T01', `income:${k}`, 'amount');
  const incomeRows1to23 = [...gpbFunds, ...gfbFunds, ...otherSources];
  eq('T01 本年合计 = Σ income rows 1–23', income('current-year'), sum(incomeRows1to23.map(income)));
  eq('T01 收入合计 = 本年合计 + 部门结转 + 弥补', income('total'), income('current-year') + income('dept-carryover') + income('institution-fund.cover'));
  if (balanced) eq('T01 收入合计 = 支出合计', income('total'), cell('T01', 'expenditure:total', 'total'));
  for (const r of t01.rows.filter((x) => x.side === 'expenditure')) {
    const c = (k: string) => r.cells[k] ?? 0n;
    eq(`T01 ${r.label} 合计 = c6 + c7 + c8`, c('total'), c('institution-fund.cover') + c('dept-carryover') + c('current-year'));
    eq(`T01 ${r.label} c8 = c9 + c11…c18`, c('current-year'), c('gpb') + c('gfb') + sum(otherSources.map(c)));
    le(`T01 ${r.label} 财政拨款 ≤ 一般公共预算`, c('appropriation'), c('gpb'));
  }
  const t01Columns = Object.keys(row('T01', 'expenditure:total')?.cells ?? {});
  for (const col of t01Columns) {
    const e = (k: string) => cell('T01', `expenditure:${k}`, col);
    eq(`T01 基本支出 = 工资福利 + 公用 + 对个人 (${col})`, e('basic'), e('wages') + e('public') + e('family'));
    eq(`T01 项目支出 = 一般性 + 专项 (${col})`, e('project'), e('general') + e('special'));
    eq(`T01 支出合计 = 基本 + 项目 (${col})`, e('total'), e('basic') + e('project'));
  }
  if (balanced) {
    eq('T01 c9 支出合计 = Σ 一般公共预算收入', cell('T01', 'expenditure:total', 'gpb'), sum(gpbFunds.map(income)));
    eq('T01 c10 支出合计 = 财政拨款', cell('T01', 'expenditure:total', 'appropriation'), income('gpb.appropriation'));
    eq('T01 c11 支出合计 = Σ 政府性基金收入', cell('T01', 'expenditure:total', 'gfb'), sum(gfbFunds.map(income)));
    for (const k of [...otherSources, 'dept-carryover', 'institution-fund.cover']) eq(`T01 ${k} 支出合计 = 收入`, cell('T01', 'expenditure:total', k), income(k));
  }

  // 2. T02 and T06 per row (T06's 总计 also counts 用事业单位基金弥补 lines, which have no column).
  const cover = cell('T01', 'expenditure:total', 'institution-fund.cover');
  for (const id of ['T02', 'T06']) {
    for (const r of table(id).rows) {
      const c = (k: string) => r.cells[k] ?? 0n;
      const parts = c('gpb') + c('gfb') + sum([...otherSources, 'dept-carryover'].map(c));
      if (id === 'T02' || cover === 0n) eq(`${id} ${r.key} 1 = 2 + 4 + … + 12`, c('total'), parts);
      le(`${id} ${r.key} 3 ≤ 2`, c('appropriation'), c('gpb'));
    }
  }
  eq('T06 合计 = Σ columns + 弥补', cell('T06', 'total', 'total'), sum(['gpb', 'gfb', ...otherSources, 'dept-carryover'].map((k) => cell('T06', 'total', k))) + cover);

  // 3. T03, T05, T09 per row.
  for (const id of ['T03', 'T05', 'T09']) {
    for (const r of table(id).rows) {
      const c = (k: string) => r.cells[k] ?? 0n;
      eq(`${id} ${r.key} 1 = 2 + 6`, c('total'), c('basic') + c('project'));
      eq(`${id} ${r.key} 2 = 3 + 4 + 5`, c('basic'), c('wages') + c('public') + c('family'));
      eq(`${id} ${r.key} 6 = 7 + 8`, c('project'), c('general') + c('special'));
    }
  }

  // 4. T02, T03, T05, T09: 合计 = Σ unit rows, unit = Σ its 项 rows.
  for (const id of ['T02', 'T03', 'T05', 'T09']) {
    const t = table(id);
    const columns = Object.keys(t.rows[0]?.cells ?? {});
    for (const col of columns) {
      const units = t.rows.filter((r) => r.kind === 'unit');
      eq(`${id} 合计 = Σ units (${col})`, cell(id, 'total', col), sum(units.map((u) => u.cells[col] ?? 0n)));
      for (const u of units) {
        const items = t.rows.filter((r) => r.kind === 'item' && r.unit === u.unit);
        eq(`${id} ${u.key} = Σ 项 (${col})`, u.cells[col] ?? 0n, sum(items.map((i) => i.cells[col] ?? 0n)));
      }
    }
    // Every data row of a table with lines sits under a 合计 row at the top.
    if (t.rows.length > 0 && t.rows[0]!.key !== 'total') problems.push(`${id} does not start with 合计`);
  }

  // 5. T04.
  const t04 = table('T04');
  const i04 = (k: string) => cell('T04', `income:${k}`, 'amount');
  for (const r of t04.rows.filter((x) => x.side === 'expenditure')) {
    const c = (k: string) => r.cells[k] ?? 0n;
    eq(`T04 ${r.label} c5 = c6 + c8 + c9`, c('total'), c('gpb') + c('gfb') + c('state-capital-budget'));
    le(`T04 ${r.label} c7 ≤ c6`, c('appropriation'), c('gpb'));
  }
  eq('T04 一般公共预算收入 小计 = Σ 12 rows', i04('gpb'), sum(gpbFunds.map(i04)));
  eq('T04 政府性基金收入 小计 = Σ 4 rows', i04('gfb'), sum(gfbFunds.map(i04)));
  eq('T04 收入合计 = 小计 + 小计 + 国有资本经营预算', i04('total'), i04('gpb') + i04('gfb') + i04('state-capital-budget'));
  if (balanced) eq('T04 收入合计 = 支出合计', i04('total'), cell('T04', 'expenditure:total', 'total'));
  for (const col of ['total', 'gpb', 'appropriation', 'gfb', 'state-capital-budget']) {
    const classes = t04.rows.filter((r) => r.kind === 'class');
    eq(`T04 支出合计 = Σ 类 (${col})`, cell('T04', 'expenditure:total', col), sum(classes.map((r) => r.cells[col] ?? 0n)));
  }

  // 6. T06 and T07: 合计 = Σ 类, 类 = Σ its 款; T07 column 1 = columns 2…13.
  for (const id of ['T06', 'T07']) {
    const t = table(id);
    for (const col of Object.keys(t.rows[0]?.cells ?? {})) {
      const classes = t.rows.filter((r) => r.kind === 'class');
      eq(`${id} 合计 = Σ 类 (${col})`, cell(id, 'total', col), sum(classes.map((r) => r.cells[col] ?? 0n)));
      for (const k of classes) {
        const items = t.rows.filter((r) => r.kind === 'item' && r.code!.startsWith(k.code!));
        eq(`${id} ${k.code} = Σ 款 (${col})`, k.cells[col] ?? 0n, sum(items.map((r) => r.cells[col] ?? 0n)));
      }
    }
  }
  for (const r of table('T07').rows) {
    const c = (k: string) => r.cells[k] ?? 0n;
    eq(`T07 ${r.key} 1 = 2 + … + 13`, c('total'), c('appropriation') + sum(gpbFunds.filter((f) => f !== 'gpb.appropriation').map(c)));
  }

  // 7. T08.
  const t8 = (k: string) => cell('T08', k, 'total');
  eq('T08 共计 = 1 + 2 + 3', t8('total'), t8('abroad') + t8('reception') + t8('vehicle'));
  eq('T08 3 = (1) + (2)', t8('vehicle'), t8('vehicle-running') + t8('vehicle-purchase'));

  // 8. T10.
  const t10 = (k: string) => cell('T10', k, 'amount');
  eq('T10 财政性 + 其他 = 总额', t10('fiscal') + t10('other'), t10('total'));
  eq('T10 基本 + 项目 = 总额', t10('basic') + t10('project'), t10('total'));

  // 9. Grand totals.
  const grand = cell('T03', 'total', 'total');
  eq('T01 支出合计 = T03 合计', cell('T01', 'expenditure:total', 'total'), grand);
  eq('T06 合计 = T03 合计', cell('T06', 'total', 'total'), grand);
  // 10. T01 income ↔ T02 合计 row (T02 is computed from the lines, so this needs a balanced budget).
  if (balanced) {
    eq('T02 合计 = T01 本年合计 + 部门结转', cell('T02', 'total', 'total'), income('current-year') + income('dept-carryover'));
    eq('T01 Σ 一般公共预算收入 = T02 col 2', sum(gpbFunds.map(income)), cell('T02', 'total', 'gpb'));
    eq('T01 财政拨款 = T02 col 3', income('gpb.appropriation'), cell('T02', 'total', 'appropriation'));
    eq('T01 Σ 政府性基金收入 = T02 col 4', sum(gfbFunds.map(income)), cell('T02', 'total', 'gfb'));
    for (const k of [...otherSources, 'dept-carryover']) eq(`T01 ${k} = T02 ${k}`, income(k), cell('T02', 'total', k));
  }

  // 11. T01 expenditure ↔ T03 / T05 / T09 合计 rows.
  for (const k of ['total', 'basic', 'wages', 'public', 'family', 'project', 'general', 'special']) {
    eq(`T01 ${k} c5 = T03 ${k}`, cell('T01', `expenditure:${k}`, 'total'), cell('T03', 'total', k));
    eq(`T01 ${k} c9 = T05 ${k}`, cell('T01', `expenditure:${k}`, 'gpb'), cell('T05', 'total', k));
    eq(`T01 ${k} c11 = T09 ${k}`, cell('T01', `expenditure:${k}`, 'gfb'), cell('T09', 'total', k));
  }

  // 12. T02 ↔ T03, T05, T09 per 项 (T02 leaves out 弥补 lines, so only where T01 has none).
  if (cover === 0n) {
    for (const r of table('T03').rows.filter((x) => x.kind === 'item')) {
      eq(`T02 ${r.key} col 1 = T03`, cell('T02', r.key, 'total'), r.cells.total ?? 0n);
      eq(`T02 ${r.key} col 2 = T05`, cell('T02', r.key, 'gpb'), cell('T05', r.key, 'total'));
      eq(`T02 ${r.key} col 4 = T09`, cell('T02', r.key, 'gfb'), cell('T09', r.key, 'total'));
    }
  }

  // 13. T04 by 类 ↔ T05, T09 and T02 summed by the first three digits.
  const byClass = (id: string, col: string, cls: string) =>
    sum(table(id).rows.filter((r) => r.kind === 'item' && r.code!.startsWith(cls)).map((r) => r.cells[col] ?? 0n));
  for (const r of t04.rows.filter((x) => x.kind === 'class')) {
    eq(`T04 ${r.code} c6 = T05 by 类`, r.cells.gpb ?? 0n, byClass('T05', 'total', r.code!));
    eq(`T04 ${r.code} c8 = T09 by 类`, r.cells.gfb ?? 0n, byClass('T09', 'total', r.code!));
    if (cover === 0n) eq(`T04 ${r.code} c7 = T02 col 3 by 类`, r.cells.appropriation ?? 0n, byClass('T02', 'appropriation', r.code!));
  }

  // 14. T04 income ↔ T01 income.
  for (const k of [...gpbFunds, ...gfbFunds, 'state-capital-budget']) eq(`T04 ${k} = T01 ${k}`, i04(k), income(k));

  // 15. T06 合计 = T02 合计 column by column (both leave 弥补 out of their columns).
  for (const k of ['gpb', 'appropriation', 'gfb', ...otherSources, 'dept-carryover']) eq(`T06 合计 ${k} = T02 合计`, cell('T06', 'total', k), cell('T02', 'total', k));

  // 16. T05 ↔ T07.
  const t07Class = (cls: string) => cell('T07', `class:${cls}`, 'total');
  eq('T05 basic = T07 合计', cell('T05', 'total', 'basic'), cell('T07', 'total', 'total'));
  eq('T05 wages = T07 301', cell('T05', 'total', 'wages'), t07Class('301'));
  eq('T05 family = T07 303', cell('T05', 'total', 'family'), t07Class('303'));
  eq('T05 public = T07 合计 − 301 − 303', cell('T05', 'total', 'public'), cell('T07', 'total', 'total') - t07Class('301') - t07Class('303'));

  // 17. Σ (T06 − T07) over 款 in 一般公共预算 = T05 project.
  eq('Σ(T06 gpb − T07) = T05 项目支出', cell('T06', 'total', 'gpb') - cell('T07', 'total', 'total'), cell('T05', 'total', 'project'));

  // 18. T01 rows 1、…9、 (一般公共预算 column) = T06 class − T07 class.
  for (const r of t01.rows.filter((x) => x.key.startsWith('expenditure:project.'))) {
    const cls = r.key.slice('expenditure:project.'.length);
    eq(`T01 ${r.label} c9 = T06 ${cls} − T07 ${cls}`, r.cells.gpb ?? 0n, cell('T06', `class:${cls}`, 'gpb') - t07Class(cls));
  }

  // 19. T08 ↔ T06 col 2, summed over the government classes a 款 maps to.
  const t06Item = (code: string) => sum(table('T06').rows.filter((r) => r.kind === 'item' && r.code === code).map((r) => r.cells.gpb ?? 0n));
  eq('T08 因公出国 = T06 30212', t8('abroad'), t06Item('30212'));
  eq('T08 公务接待 = T06 30217', t8('reception'), t06Item('30217'));
  eq('T08 运行维护 = T06 30231', t8('vehicle-running'), t06Item('30231'));
  eq('T08 购置 = T06 31013', t8('vehicle-purchase'), t06Item('31013'));

  // 20. T09 empty ⇔ every 政府性基金 figure empty.
  const t09Empty = table('T09').rows.length === 0;
  const gfbEmpty = cell('T02', 'total', 'gfb') === 0n && cell('T01', 'expenditure:total', 'gfb') === 0n && (!balanced || i04('gfb') === 0n);
  if (t09Empty && !gfbEmpty) problems.push('T09 empty but 政府性基金 figures are not');

  // 21. T10 ↔ T03.
  eq('T10 基本 = T03 basic', t10('basic'), cell('T03', 'total', 'basic'));
  eq('T10 项目 = T03 project', t10('project'), cell('T03', 'total', 'project'));
  eq('T10 总额 = T03 total', t10('total'), grand);

  // 22. T11 ↔ T03.
  if (options.projectsMatchLines) {
    eq('Σ 项目本年度金额 = T03 project', sum(table('T11').rows.map((r) => r.cells.yearAmount ?? 0n)), cell('T03', 'total', 'project'));
  }
  return problems;
}
