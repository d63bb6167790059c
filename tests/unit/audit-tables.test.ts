import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDIT_RULES, auditBudget, hardFindings, type Finding, type FindingPlace } from '../../core/audit/index.js';
import { parseExchange } from '../../core/exchange.js';
import type { Budget, BudgetLine } from '../../core/model.js';
import { amount } from '../../core/money.js';
import { computeTables } from '../../core/tables/engine.js';
import type { ReportTable } from '../../core/tables/report.js';
import { defaultCodeBook } from '../../db/defaults.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const parsed = parseExchange(readFileSync(join(root, 'tests/fixtures/jiyuan-2020/budget.json'), 'utf8'), defaultCodeBook);
if (!parsed.ok) throw new Error(`fixture does not load: ${parsed.problems[0]?.message}`);
const seedBudget = parsed.budget;
const book = defaultCodeBook(2020);
const seedTables = computeTables(seedBudget, book);

const seed = (): Budget => structuredClone(seedBudget);
const tables = (): ReportTable[] => structuredClone(seedTables);
const table = (ts: ReportTable[], id: string) => ts.find((t) => t.id === id)!;
const row = (ts: ReportTable[], id: string, key: string) => table(ts, id).rows.find((r) => r.key === key)!;
const add = (ts: ReportTable[], id: string, key: string, column: string, delta: string) => {
  const r = row(ts, id, key);
  r.cells[column] = (r.cells[column] ?? 0n) + amount(delta);
};

const covered = new Set<string>();

function expectFinding(findings: Finding[], rule: string, place: FindingPlace, ...mentions: string[]): Finding {
  const hits = findings.filter((f) => f.rule === rule && JSON.stringify(f.place) === JSON.stringify(place));
  expect(hits, `${rule} at ${JSON.stringify(place)} in ${JSON.stringify(findings.map((f) => [f.rule, f.place]))}`).toHaveLength(1);
  const f = hits[0]!;
  expect(f.severity).toBe('hard');
  for (const m of mentions) expect(f.message).toContain(m);
  covered.add(rule);
  return f;
}

const tableFindings = (f: Finding[]) => f.filter((x) => x.rule.startsWith('tables.'));

afterAll(() => {
  const untested = AUDIT_RULES.filter((r) => r.needsTables && r.id.startsWith('tables.') && !covered.has(r.id)).map((r) => r.id);
  expect(untested).toEqual([]);
});

describe('table identities on computed tables', () => {
  it('the seed with its tables has exactly the two published hard faults', () => {
    const f = auditBudget(seed(), book, seedTables);
    expect(hardFindings(f).map((x) => [x.rule, x.place.project])).toEqual([
      ['project.total-below-year', 'P05'],
      ['project.total-below-year', 'P09'],
    ]);
  });

  it('every table rule is a hard rule that needs tables, and is skipped without them', () => {
    const tableRules = AUDIT_RULES.filter((r) => r.needsTables && !r.id.startsWith('narrative.'));
    expect(tableRules.map((r) => r.id)).toEqual([
      'tables.basic-split',
      'tables.project-split',
      'tables.grand-totals',
      'tables.gpb-part',
      'tables.t04-by-class',
      'tables.three-public',
      'tables.t10-budget',
    ]);
    expect(tableRules.every((r) => r.severity === 'hard')).toBe(true);
    const broken = tables();
    add(broken, 'T03', 'total', 'total', '1');
    expect(tableFindings(auditBudget(seed(), book))).toEqual([]);
    expect(tableFindings(auditBudget(seed(), book, broken)).length).toBeGreaterThan(0);
  });

  it('tables computed from a budget with every kind of source satisfy every identity', () => {
    const b = seed();
    const next = (over: Partial<BudgetLine>): BudgetLine => ({
      id: b.lines.length + 1,
      unit: '074001',
      functional: '2010350',
      economic: '30201',
      kind: 'basic',
      project: null,
      fund: 'gpb.appropriation',
      amount: amount('1'),
      ...over,
    });
    b.lines.push(next({ fund: 'operations', amount: amount('12.5') }));
    b.lines.push(next({ fund: 'gfb.current', functional: '2082201', economic: '30305', amount: amount('3') }));
    b.lines.push(next({ fund: 'state-capital-budget', functional: '2230105', economic: '30113', amount: amount('2') }));
    b.lines.push(next({ fund: 'institution-fund.cover', economic: '30303', amount: amount('0.7') }));
    b.lines.push(next({ fund: 'gfb.current', kind: 'project', project: 'P03', functional: '2120801', economic: '30227', amount: amount('4') }));
    project(b, 'P03').yearAmount += amount('4');
    project(b, 'P03').totalAmount = project(b, 'P03').yearAmount;
    const f = auditBudget(b, book, computeTables(b, book));
    expect(tableFindings(f)).toEqual([]);
    expect(hardFindings(f).map((x) => x.rule)).toEqual(['project.total-below-year', 'project.total-below-year']);
  });
});

function project(b: Budget, code: string) {
  return b.projects.find((p) => p.code === code)!;
}

describe('each table rule, triggered by one wrong cell', () => {
  it('tables.basic-split: T03 合计 工资福利支出 off by 1', () => {
    const ts = tables();
    add(ts, 'T03', 'total', 'wages', '1');
    const f = auditBudget(seed(), book, ts);
    expectFinding(f, 'tables.basic-split', { table: 'T03', row: 'total', field: 'basic' }, 'T03', '合计', '基本支出小计', '560.80万元', '561.80万元');
    expectFinding(f, 'tables.basic-split', { table: 'T03', row: 'total', field: 'wages' }, '工资福利支出', '528.10万元', '527.10万元', '+1.00万元');
  });

  it('tables.basic-split: T01 对个人和家庭的补助支出 not in 基本支出', () => {
    const ts = tables();
    add(ts, 'T01', 'expenditure:family', 'total', '0.5');
    const f = auditBudget(seed(), book, ts);
    expectFinding(f, 'tables.basic-split', { table: 'T01', row: 'expenditure:basic', field: 'total' }, 'T01', '一、基本支出', '560.80万元', '561.30万元');
  });

  it('tables.project-split: a T05 row whose 项目支出 is not 一般性项目 + 专项资金', () => {
    const ts = tables();
    add(ts, 'T05', 'item:074001:2010306', 'special', '-18');
    const f = auditBudget(seed(), book, ts);
    expectFinding(f, 'tables.project-split', { table: 'T05', row: 'item:074001:2010306', field: 'project' }, 'T05', '1179.40万元', '1161.40万元');
  });

  it('tables.project-split: T03 合计 专项资金 not the special projects’ lines', () => {
    const ts = tables();
    add(ts, 'T03', 'total', 'special', '1');
    add(ts, 'T03', 'total', 'project', '1');
    add(ts, 'T03', 'total', 'total', '1');
    const f = auditBudget(seed(), book, ts);
    expectFinding(f, 'tables.project-split', { table: 'T03', row: 'total', field: 'special' }, 'T03', '专项资金', '819.80万元', '818.80万元');
  });

  it('tables.project-split: T11 本年度金额 not the project’s', () => {
    const ts = tables();
    add(ts, 'T11', 'P03', 'yearAmount', '0.01');
    const f = auditBudget(seed(), book, ts);
    expectFinding(f, 'tables.project-split', { table: 'T11', row: 'P03', project: 'P03', field: 'yearAmount' }, 'P03', '331.51万元', '331.50万元');
  });

  it('tables.grand-totals: T06 合计 not the sum of the lines', () => {
    const ts = tables();
    add(ts, 'T06', 'total', 'total', '0.000001');
    const f = auditBudget(seed(), book, ts);
    expectFinding(f, 'tables.grand-totals', { table: 'T06', row: 'total', field: 'total' }, 'T06', '1740.200001万元', '1740.20万元');
  });

  it('tables.gpb-part: T07 合计 not T05 基本支出, T02 一般公共预算 not T05 总计', () => {
    const ts = tables();
    add(ts, 'T07', 'total', 'total', '-1.1');
    add(ts, 'T02', 'total', 'gpb', '2');
    const f = auditBudget(seed(), book, ts);
    expectFinding(f, 'tables.gpb-part', { table: 'T07', row: 'total', field: 'total' }, 'T07', '559.70万元', '560.80万元', 'T05');
    expectFinding(f, 'tables.gpb-part', { table: 'T02', row: 'total', field: 'gpb' }, 'T02', '1742.20万元', '1740.20万元');
  });

  it('tables.t04-by-class: 208 社会保障和就业 not T05’s 208 rows, and a missing 类 row', () => {
    const ts = tables();
    add(ts, 'T04', 'expenditure:208', 'gpb', '1');
    add(ts, 'T04', 'expenditure:208', 'total', '1');
    table(ts, 'T04').rows = table(ts, 'T04').rows.filter((r) => r.key !== 'expenditure:221');
    const f = auditBudget(seed(), book, ts);
    expectFinding(f, 'tables.t04-by-class', { table: 'T04', row: 'expenditure:208', field: 'gpb' }, 'T04', '40.60万元', '39.60万元', 'T05', '208');
    expectFinding(f, 'tables.t04-by-class', { table: 'T04', row: 'expenditure:208', field: 'total' }, '40.60万元', '39.60万元', 'T03');
    expectFinding(f, 'tables.t04-by-class', { table: 'T04', row: 'expenditure:221' }, '221', '住房保障支出', '缺少');
  });

  it('tables.three-public: T08 公务接待费 not 30217 of T06', () => {
    const ts = tables();
    add(ts, 'T08', 'reception', 'total', '-0.5');
    const f = auditBudget(seed(), book, ts);
    expectFinding(f, 'tables.three-public', { table: 'T08', row: 'reception', field: 'total' }, 'T08', '公务接待费', '1.00万元', '1.50万元', '30217');
    expect(tableFindings(f)).toHaveLength(1);
  });

  it('tables.t10-budget: 其他资金 that makes the sources exceed the total', () => {
    const ts = tables();
    add(ts, 'T10', 'other', 'amount', '5');
    const f = auditBudget(seed(), book, ts);
    expectFinding(f, 'tables.t10-budget', { table: 'T10', row: 'total', field: 'amount' }, 'T10', '1740.20万元', '1745.20万元', '财政性资金');
  });
});

describe('audit against a mutated budget’s own tables', () => {
  it('reports the budget fault once, not again through the tables', () => {
    const b = seed();
    project(b, 'P07').yearAmount = amount('68.8');
    project(b, 'P07').totalAmount = amount('68.8');
    const f = auditBudget(b, book, computeTables(b, book));
    expect(hardFindings(f).map((x) => x.rule)).toEqual([
      'project.year-amount-lines',
      'budget.project-spending',
      'project.total-below-year',
      'project.total-below-year',
    ]);
  });
});
