import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDIT_RULES, auditBudget, auditRule, hardFindings, type Finding, type FindingPlace } from '../../core/audit/index.js';
import { EconomicMapping, type CodeBook } from '../../core/codelists.js';
import { parseExchange } from '../../core/exchange.js';
import { fundBalances, type Budget } from '../../core/model.js';
import { amount } from '../../core/money.js';
import { defaultCodeBook } from '../../db/defaults.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const parsed = parseExchange(readFileSync(join(root, 'tests/fixtures/jiyuan-2020/budget.json'), 'utf8'), defaultCodeBook);
if (!parsed.ok) throw new Error(`fixture does not load: ${parsed.problems[0]?.message}`);
const seedBudget = parsed.budget;
const book = defaultCodeBook(2020);

/** A fresh, independent copy of the seed budget to mutate. */
const seed = (): Budget => structuredClone(seedBudget);
const project = (b: Budget, code: string) => b.projects.find((p) => p.code === code)!;
const line = (b: Budget, id: number) => b.lines.find((l) => l.id === id)!;

/** Rules a test has seen fire with the right severity and place; every rule must be in it at the end. */
const covered = new Set<string>();

function expectFinding(
  findings: Finding[],
  rule: string,
  severity: 'hard' | 'soft',
  place: FindingPlace,
  ...mentions: string[]
): Finding {
  const hits = findings.filter((f) => f.rule === rule && JSON.stringify(f.place) === JSON.stringify(place));
  expect(hits, `${rule} at ${JSON.stringify(place)} in ${JSON.stringify(findings.map((f) => [f.rule, f.place]))}`).toHaveLength(1);
  const f = hits[0]!;
  expect(f.severity).toBe(severity);
  expect(auditRule(rule)?.severity).toBe(severity);
  for (const m of mentions) expect(f.message).toContain(m);
  covered.add(rule);
  return f;
}

const ruleIds = (findings: Finding[]) => findings.map((f) => f.rule);

afterAll(() => {
  // Every rule in the list was triggered by at least one test (table rules run in audit-tables.test.ts).
  const untested = AUDIT_RULES.filter((r) => !r.needsTables && !covered.has(r.id)).map((r) => r.id);
  expect(untested).toEqual([]);
});

describe('the rule list', () => {
  it('has unique ids, a Chinese description and a severity for every rule', () => {
    const ids = AUDIT_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of AUDIT_RULES) {
      expect(r.id).toMatch(/^[a-z0-9-]+\.[a-z0-9-]+$/);
      expect(r.description).toMatch(/[\u4e00-\u9fff]/);
      expect(['hard', 'soft']).toContain(r.severity);
    }
  });
});

describe('the seed', () => {
  const findings = auditBudget(seed(), book);

  it('has exactly the publication’s two hard faults: P05 and P09 项目总金额 below 本年度金额', () => {
    const hard = hardFindings(findings);
    expect(hard.map((f) => [f.rule, f.place])).toEqual([
      ['project.total-below-year', { table: 'T11', project: 'P05', field: 'totalAmount' }],
      ['project.total-below-year', { table: 'T11', project: 'P09', field: 'totalAmount' }],
    ]);
    expectFinding(findings, 'project.total-below-year', 'hard', { table: 'T11', project: 'P05', field: 'totalAmount' }, 'P05', '0.00万元', '10.90万元');
    expectFinding(findings, 'project.total-below-year', 'hard', { table: 'T11', project: 'P09', field: 'totalAmount' }, 'P09', '0.00万元', '18.00万元');
  });

  it('has exactly these soft findings, each one true of the published target', () => {
    const soft = findings.filter((f) => f.severity === 'soft');
    const summary = soft.map((f) => `${f.rule} ${f.place.project ?? f.place.table}#${f.place.indicator}`);
    expect(summary).toEqual([
      'indicator.target-missing-unit P02#9',
      'indicator.target-missing-unit P04#17',
      'indicator.target-implicit-comparator P08#11',
      'indicator.target-implicit-comparator P08#12',
      'indicator.target-implicit-comparator P08#19',
      'indicator.target-implicit-comparator T10#15',
      'indicator.target-implicit-comparator T10#16',
      'indicator.target-implicit-comparator T10#17',
      'indicator.target-implicit-comparator T10#21',
      'indicator.target-implicit-comparator T10#22',
      'indicator.target-implicit-comparator T10#28',
      'indicator.target-implicit-comparator T10#29',
      'indicator.target-implicit-comparator T10#30',
      'indicator.target-implicit-comparator T10#38',
      'indicator.target-text P07#11',
      'indicator.target-text T10#25',
      'indicator.target-rate-over-100 P02#11',
      'indicator.target-percent-on-count P11#10',
      'indicator.target-percent-on-count P12#9',
    ]);
    const b = seed();
    const targetOf = (f: Finding) =>
      f.place.project
        ? project(b, f.place.project).indicators[f.place.indicator!]!
        : b.departmentPerformance!.indicators[f.place.indicator!]!;
    const expectedTarget: Record<string, (t: string, level2: string) => boolean> = {
      'indicator.target-missing-unit': (t) => t === '≥70' || t === '=1',
      'indicator.target-implicit-comparator': (t) => t === '100%',
      'indicator.target-text': (t) => t.length > 10,
      'indicator.target-rate-over-100': (t) => t === '≥100%',
      'indicator.target-percent-on-count': (t, level2) => t.endsWith('%') && level2 === '数量',
    };
    for (const f of soft) {
      const ind = targetOf(f);
      expect(expectedTarget[f.rule]!(ind.target, ind.level2), `${f.rule} on ${ind.name} ${ind.target}`).toBe(true);
      expect(f.message).toContain(ind.name);
      expect(f.message).toContain(ind.target);
    }
    expectFinding(findings, 'indicator.target-missing-unit', 'soft', { table: 'T11', project: 'P02', indicator: 9, field: 'target' }, '电话接通率', '≥70');
    expectFinding(findings, 'indicator.target-missing-unit', 'soft', { table: 'T11', project: 'P04', indicator: 17, field: 'target' }, '部门整合共享', '=1');
    expectFinding(findings, 'indicator.target-implicit-comparator', 'soft', { table: 'T11', project: 'P08', indicator: 11, field: 'target' }, '活动计划完成率', '=100%');
    expectFinding(findings, 'indicator.target-text', 'soft', { table: 'T11', project: 'P07', indicator: 11, field: 'target' }, '窗口服务质量');
    expectFinding(findings, 'indicator.target-rate-over-100', 'soft', { table: 'T11', project: 'P02', indicator: 11, field: 'target' }, '交办事项全市各部门配合程度', '≥100%');
    expectFinding(findings, 'indicator.target-percent-on-count', 'soft', { table: 'T11', project: 'P12', indicator: 9, field: 'target' }, '信息公开工作培训', '=100%');
  });

  it('does not flag the 29.71% fall against 2019 at the 30% threshold, but does at 20%', () => {
    expect(ruleIds(findings)).not.toContain('budget.large-change');
    const strict = auditBudget(seed(), book, undefined, { settings: { largeChangeRatio: '0.2' } });
    expectFinding(strict, 'budget.large-change', 'soft', { table: 'T01' }, '1740.20万元', '2475.70万元', '减少', '735.50万元', '29.71%', '20.00%');
  });
});

describe('hard rules, each triggered by one change to the seed', () => {
  it('income.balance-per-fund: an income budget that does not cover the spending of its source', () => {
    const b = seed();
    b.income = [{ unit: '074001', fund: 'gpb.appropriation', amount: amount('1700') }];
    const f = auditBudget(b, book);
    expectFinding(f, 'income.balance-per-fund', 'hard', { table: 'T01', row: 'gpb.appropriation', field: 'fund' }, '财政拨款', '1700.00万元', '1740.20万元', '-40.20万元');
    b.income = [{ unit: '074001', fund: 'gpb.appropriation', amount: amount('1740.2') }];
    expect(ruleIds(auditBudget(b, book))).not.toContain('income.balance-per-fund');
  });

  it('income.balance-per-fund: income a source does not spend is 结转下年, not a fault; spending beyond income and carry-over is', () => {
    const b = seed();
    b.income = [
      { unit: '074001', fund: 'gpb.appropriation', amount: amount('1740.2') },
      { unit: '074001', fund: 'operations', amount: amount('12') },
    ];
    expect(ruleIds(auditBudget(b, book))).not.toContain('income.balance-per-fund');
    expect(fundBalances(b).get('operations')?.carryOut).toBe(amount('12'));
    // 上年结转 covers spending of its family: 1700 of the year + 40.2 carried over = 1740.2 spent.
    b.income = [
      { unit: '074001', fund: 'gpb.appropriation', amount: amount('1700') },
      { unit: '074001', fund: 'gpb.carryover', amount: amount('50') },
    ];
    expect(ruleIds(auditBudget(b, book))).not.toContain('income.balance-per-fund');
    expect(fundBalances(b).get('gpb')?.carryOut).toBe(amount('9.8'));
    // Carry-over of another family does not: 政府性基金's 上年结转 cannot pay for 一般公共预算 spending.
    b.income = [
      { unit: '074001', fund: 'gpb.appropriation', amount: amount('1700') },
      { unit: '074001', fund: 'gfb.carryover', amount: amount('50') },
    ];
    expectFinding(auditBudget(b, book), 'income.balance-per-fund', 'hard', { table: 'T01', row: 'gpb.appropriation', field: 'fund' }, '财政拨款', '1700.00万元', '1740.20万元', '-40.20万元');
  });

  it('amount.non-negative: a negative line amount', () => {
    const b = seed();
    line(b, 5).amount = -amount('3.9');
    expectFinding(auditBudget(b, book), 'amount.non-negative', 'hard', { line: 5, field: 'amount' }, '第 5 条支出明细', '30112', '-3.90万元', '负数');
  });

  it('amount.non-negative: a negative project total', () => {
    const b = seed();
    project(b, 'P04').totalAmount = -amount('1');
    expectFinding(auditBudget(b, book), 'amount.non-negative', 'hard', { project: 'P04', field: 'totalAmount' }, 'P04', '项目总金额', '-1.00万元');
  });

  it('line.unit-exists: a line of a unit the department does not have', () => {
    const b = seed();
    line(b, 2).unit = '074009';
    expectFinding(auditBudget(b, book), 'line.unit-exists', 'hard', { line: 2, field: 'unit' }, '第 2 条支出明细', '074009');
  });

  it('project.unit-exists: a project of a unit the department does not have', () => {
    const b = seed();
    project(b, 'P10').unit = '074009';
    const f = auditBudget(b, book);
    expectFinding(f, 'project.unit-exists', 'hard', { project: 'P10', field: 'unit' }, 'P10', '074009');
    // Its line now belongs to another unit than its project.
    expectFinding(f, 'line.project-exists', 'hard', { line: 35, project: 'P10', field: 'unit' }, '第 35 条支出明细', '074001', '074009');
  });

  it('line.functional-code: a code not in the year’s list, and a 款 instead of a 项', () => {
    const b = seed();
    line(b, 1).functional = '2010398';
    line(b, 2).functional = '20103';
    const f = auditBudget(b, book);
    expectFinding(f, 'line.functional-code', 'hard', { line: 1, field: 'functional' }, '第 1 条支出明细', '2010398', '2020');
    expectFinding(f, 'line.functional-code', 'hard', { line: 2, field: 'functional' }, '20103', '款级', '项级');
  });

  it('line.fund-budget: a 政府性基金 or 国有资本经营 科目 paid from 一般公共预算, and a general 科目 paid from a fund', () => {
    const b = seed();
    // 2120814 (国有土地使用权出让收入安排的支出) paid from 一般公共预算·财政拨款.
    line(b, 1).functional = '2120814';
    // A 国有资本经营预算 科目 from 一般公共预算, a general 科目 from 政府性基金, a fund 科目 from 事业收入.
    line(b, 2).functional = '2230105';
    line(b, 3).fund = 'gfb.current';
    line(b, 4).functional = '2120801';
    line(b, 4).fund = 'operations';
    // Matching pairs raise nothing: a fund 科目 paid from 政府性基金, a state-capital one from its budget.
    line(b, 5).functional = '2120802';
    line(b, 5).fund = 'gfb.current';
    line(b, 6).functional = '2230101';
    line(b, 6).fund = 'state-capital-budget';
    line(b, 7).fund = 'operations';
    const f = auditBudget(b, book);
    expectFinding(f, 'line.fund-budget', 'hard', { line: 1, field: 'fund' }, '第 1 条支出明细', '2120814 农业生产发展支出', '属于政府性基金预算', '一般公共预算·财政拨款', '属于一般公共预算');
    expectFinding(f, 'line.fund-budget', 'hard', { line: 2, field: 'fund' }, '2230105', '属于国有资本经营预算', '一般公共预算·财政拨款');
    expectFinding(f, 'line.fund-budget', 'hard', { line: 3, field: 'fund' }, '属于一般公共预算', '政府性基金·当年收入', '属于政府性基金预算');
    expectFinding(f, 'line.fund-budget', 'hard', { line: 4, field: 'fund' }, '2120801', '事业收入', '单位资金');
    expect(f.filter((x) => x.rule === 'line.fund-budget').map((x) => x.place.line)).toEqual([1, 2, 3, 4]);
    // Nothing in the seed: every line is 一般公共预算 on a general 科目.
    expect(ruleIds(auditBudget(seed(), book))).not.toContain('line.fund-budget');
  });

  it('line.fund-budget reads the year’s list: a 科目 the list puts under 政府性基金预算 takes its 款’s budget', () => {
    const b = seed();
    line(b, 1).functional = '2120898';
    const loaded: CodeBook = {
      ...book,
      functional: book.functional.merged([{ code: '2120898', name: '新设的基金项', level: '项', parent: '21208' }]),
    };
    expect(loaded.functional.budgetOf('2120898')).toBe('fund');
    expectFinding(auditBudget(b, loaded), 'line.fund-budget', 'hard', { line: 1, field: 'fund' }, '2120898 新设的基金项', '属于政府性基金预算');
    // A list that says the 科目 is 一般公共预算 is believed.
    const general: CodeBook = { ...book, functional: loaded.functional.merged([{ code: '2120898', name: '新设的基金项', level: '项', parent: '21208', budget: 'general' }]) };
    expect(ruleIds(auditBudget(b, general))).not.toContain('line.fund-budget');
  });

  it('line.economic-code: a code not in the list, and a 类 instead of a 款', () => {
    const b = seed();
    line(b, 1).economic = '30198';
    line(b, 2).economic = '301';
    const f = auditBudget(b, book);
    expectFinding(f, 'line.economic-code', 'hard', { line: 1, field: 'economic' }, '30198');
    expectFinding(f, 'line.economic-code', 'hard', { line: 2, field: 'economic' }, '301', '类级', '款级');
  });

  it('line.project-exists: a project line naming no project, or one that does not exist', () => {
    const b = seed();
    line(b, 22).project = null;
    line(b, 45).project = 'P99';
    const f = auditBudget(b, book);
    expectFinding(f, 'line.project-exists', 'hard', { line: 22, field: 'project' }, '第 22 条支出明细', '未指明所属项目');
    expectFinding(f, 'line.project-exists', 'hard', { line: 45, project: 'P99', field: 'project' }, '第 45 条支出明细', 'P99', '不存在');
  });

  it('line.basic-without-project: a basic line naming a project', () => {
    const b = seed();
    line(b, 12).project = 'P01';
    expectFinding(auditBudget(b, book), 'line.basic-without-project', 'hard', { line: 12, project: 'P01', field: 'project' }, '第 12 条支出明细', '基本支出', 'P01');
  });

  it('project.year-amount-lines: a project whose 本年度金额 is not the sum of its lines', () => {
    const b = seed();
    project(b, 'P07').yearAmount = amount('68.8');
    const f = auditBudget(b, book);
    expectFinding(f, 'project.year-amount-lines', 'hard', { project: 'P07', field: 'yearAmount' }, 'P07', '68.80万元', '67.80万元', '4 条', '+1.00万元');
  });

  it('project.year-amount-lines: a project without any line', () => {
    const b = seed();
    b.lines = b.lines.filter((l) => l.project !== 'P13');
    expectFinding(auditBudget(b, book), 'project.year-amount-lines', 'hard', { project: 'P13', field: 'yearAmount' }, 'P13', '5.00万元', '没有任何支出明细');
  });

  it('budget.project-spending: 项目支出 differs from the projects’ 本年度金额', () => {
    const b = seed();
    b.projects = b.projects.filter((p) => p.code !== 'P13');
    const f = auditBudget(b, book);
    expectFinding(f, 'budget.project-spending', 'hard', { table: 'T03', field: 'project' }, '1179.40万元', '1174.40万元', '+5.00万元');
    expect(ruleIds(f)).toContain('line.project-exists');
  });

  it('project.total-below-year: a total below the year’s amount, and none when the total is absent', () => {
    const b = seed();
    project(b, 'P01').totalAmount = amount('4.99');
    project(b, 'P05').totalAmount = undefined;
    project(b, 'P09').totalAmount = amount('18');
    const f = hardFindings(auditBudget(b, book));
    expect(f.map((x) => x.place.project)).toEqual(['P01']);
    expectFinding(f, 'project.total-below-year', 'hard', { table: 'T11', project: 'P01', field: 'totalAmount' }, 'P01', '4.99万元', '5.00万元');
  });

  it('line.government-mapping-invalid: a mapping to a government code the year does not have', () => {
    const broken: CodeBook = {
      ...book,
      mapping: new EconomicMapping([
        ...book.mapping.entries().filter((e) => e.department !== '30110'),
        { department: '30110', administrative: '50102', institution: '50598' },
      ]),
    };
    expectFinding(auditBudget(seed(), broken), 'line.government-mapping-invalid', 'hard', { line: 4, field: 'economic' }, '第 4 条支出明细', '30110', '事业单位', '50598');
  });
});

describe('soft rules, each triggered by one change to the seed', () => {
  it('line.government-mapping-unknown: 30107 绩效工资 has no known class for an administrative unit', () => {
    const b = seed();
    b.units[0]!.kind = 'administrative';
    const f = auditBudget(b, book);
    expectFinding(f, 'line.government-mapping-unknown', 'soft', { line: 3, field: 'economic' }, '第 3 条支出明细', '30107', '绩效工资', '行政单位');
    expect(hardFindings(f).map((x) => x.rule)).toEqual(['project.total-below-year', 'project.total-below-year']);
  });

  it('budget.large-change: a total far above last year’s', () => {
    const b = seed();
    b.priorYear = { total: amount('1000'), threePublic: amount('8.5') };
    expectFinding(auditBudget(b, book), 'budget.large-change', 'soft', { table: 'T01' }, '1740.20万元', '1000.00万元', '增加', '740.20万元', '74.02%');
    // 1740.2 = 2486 × 0.7: exactly 30% less is not more than 30%; a cent more is.
    b.priorYear = { total: amount('2486'), threePublic: amount('8.5') };
    expect(ruleIds(auditBudget(b, book))).not.toContain('budget.large-change');
    b.priorYear = { total: amount('2486.0001'), threePublic: amount('8.5') };
    expect(ruleIds(auditBudget(b, book))).toContain('budget.large-change');
  });

  it('three-public.increase: 三公 above last year’s', () => {
    const b = seed();
    b.priorYear = { total: amount('2475.7'), threePublic: amount('5') };
    expectFinding(auditBudget(b, book), 'three-public.increase', 'soft', { table: 'T08' }, '6.10万元', '5.00万元', '1.10万元');
  });

  it('indicator.target-placeholder: 88100, 无, / and empty targets', () => {
    const b = seed();
    const p01 = project(b, 'P01');
    p01.indicators[9]!.target = '88100';
    p01.indicators[10]!.target = '无';
    p01.indicators[11]!.target = '/';
    b.departmentPerformance!.indicators[0]!.target = '';
    const f = auditBudget(b, book);
    expectFinding(f, 'indicator.target-placeholder', 'soft', { table: 'T11', project: 'P01', indicator: 9, field: 'target' }, p01.indicators[9]!.name, '88100');
    expectFinding(f, 'indicator.target-placeholder', 'soft', { table: 'T11', project: 'P01', indicator: 10, field: 'target' }, '“无”', '占位');
    expectFinding(f, 'indicator.target-placeholder', 'soft', { table: 'T11', project: 'P01', indicator: 11, field: 'target' }, '“/”');
    expectFinding(f, 'indicator.target-placeholder', 'soft', { table: 'T10', indicator: 0, field: 'target' }, '年度履职目标相关性', '未填写');
  });

  it('indicator.target-placeholder: the same number in every target of a project is reported once', () => {
    const b = seed();
    for (const i of project(b, 'P06').indicators) i.target = '88100';
    const f = auditBudget(b, book);
    expectFinding(f, 'indicator.target-placeholder', 'soft', { table: 'T11', project: 'P06', field: 'target' }, 'P06', '全部 13 个目标值', '88100');
    expect(f.filter((x) => x.place.project === 'P06' && x.rule === 'indicator.target-placeholder')).toHaveLength(1);
  });

  it('indicator.target-missing-unit and -implicit-comparator on an edited target', () => {
    const b = seed();
    project(b, 'P01').indicators[10]!.target = '≥20';
    project(b, 'P01').indicators[11]!.target = '80%';
    const f = auditBudget(b, book);
    expectFinding(f, 'indicator.target-missing-unit', 'soft', { table: 'T11', project: 'P01', indicator: 10, field: 'target' }, '全年开展论证活动', '≥20');
    expectFinding(f, 'indicator.target-implicit-comparator', 'soft', { table: 'T11', project: 'P01', indicator: 11, field: 'target' }, '项目论证通过率', '=80%');
  });

  it('indicator.target-text, -rate-over-100 and -percent-on-count on edited targets', () => {
    const b = seed();
    project(b, 'P13').indicators[9]!.target = '按时足额发放';
    project(b, 'P13').indicators[10]!.target = '>100%';
    project(b, 'P01').indicators[10]!.target = '≥20%';
    const f = auditBudget(b, book);
    const p13 = project(b, 'P13');
    expectFinding(f, 'indicator.target-text', 'soft', { table: 'T11', project: 'P13', indicator: 9, field: 'target' }, p13.indicators[9]!.name, '按时足额发放');
    expectFinding(f, 'indicator.target-rate-over-100', 'soft', { table: 'T11', project: 'P13', indicator: 10, field: 'target' }, p13.indicators[10]!.name, '>100%');
    expectFinding(f, 'indicator.target-percent-on-count', 'soft', { table: 'T11', project: 'P01', indicator: 10, field: 'target' }, '全年开展论证活动', '≥20%');
  });

  it('indicator.target-result-grade: 未达成 as a target', () => {
    const b = seed();
    project(b, 'P03').indicators[0]!.target = '未达成';
    expectFinding(auditBudget(b, book), 'indicator.target-result-grade', 'soft', { table: 'T11', project: 'P03', indicator: 0, field: 'target' }, '预算执行率', '未达成');
  });

  it('project.no-quantitative-output: a project whose 产出 indicators are all qualitative', () => {
    const b = seed();
    const p02 = project(b, 'P02');
    const i = p02.indicators.findIndex((x) => x.level1 === '产出目标');
    p02.indicators[i]!.target = '及时';
    expectFinding(auditBudget(b, book), 'project.no-quantitative-output', 'soft', { table: 'T11', project: 'P02', field: 'indicators' }, 'P02', '产出指标');
  });

  it('project.dates: start after end, a period before the year, a start after the year', () => {
    const b = seed();
    Object.assign(project(b, 'P01'), { start: '2020-12-31', end: '2020-01-01' });
    Object.assign(project(b, 'P02'), { start: '2019-01-01', end: '2019-12-31' });
    Object.assign(project(b, 'P03'), { start: '2021-03-01', end: '2021-12-31' });
    Object.assign(project(b, 'P04'), { start: '2020-02-30' });
    const f = auditBudget(b, book);
    expectFinding(f, 'project.dates', 'soft', { table: 'T11', project: 'P01', field: 'end' }, 'P01', '2020-12-31', '2020-01-01', '晚于');
    expectFinding(f, 'project.dates', 'soft', { table: 'T11', project: 'P02', field: 'end' }, 'P02', '2019-12-31', '2020 年');
    expectFinding(f, 'project.dates', 'soft', { table: 'T11', project: 'P03', field: 'start' }, 'P03', '2021-03-01');
    expectFinding(f, 'project.dates', 'soft', { table: 'T11', project: 'P04', field: 'start' }, 'P04', '2020-02-30', '不是有效日期');
  });

  it('project.missing-fields: what 二上 requires, listed by its printed labels', () => {
    const b = seed();
    const p = project(b, 'P10');
    p.leader = '';
    p.overallGoal = undefined;
    p.indicators = [];
    const f = auditBudget(b, book);
    expectFinding(f, 'project.missing-fields', 'soft', { table: 'T11', project: 'P10', field: 'leader' }, 'P10', '项目负责人、项目总目标、绩效指标');
    expect(f.filter((x) => x.place.project === 'P10' && x.rule === 'project.no-quantitative-output')).toEqual([]);
  });
});

describe('the runner', () => {
  it('reports a failing rule as a hard finding without hiding the others', () => {
    const failing = { id: 'test.failing', severity: 'soft' as const, description: '测试规则', check: () => { throw new Error('boom'); } };
    const f = auditBudget(seed(), book, undefined, { rules: [failing, auditRule('project.total-below-year')!] });
    expect(f.map((x) => [x.rule, x.severity])).toEqual([
      ['test.failing', 'hard'],
      ['project.total-below-year', 'hard'],
      ['project.total-below-year', 'hard'],
    ]);
    expect(f[0]!.message).toContain('boom');
  });

  it('does not change the budget it audits', () => {
    const b = seed();
    auditBudget(b, book);
    expect(b).toEqual(seedBudget);
  });
});

describe('the rules of the parameter package (控制数, reasons for large changes, placeholders)', () => {
  const withSettings = (b: Budget, settings: Parameters<typeof auditBudget>[3]) => auditBudget(b, book, undefined, settings);

  it('ceiling.exceeded: a unit’s 一般公共预算 基本支出 above its 控制数, and a project’s own ceiling', () => {
    const ceilings = [
      { unit: '074001', fundGroup: 'gpb' as const, kind: 'basic' as const, amount: amount('560.79') },
      { unit: '074001', fundGroup: 'gpb' as const, kind: 'project' as const, amount: amount('1179.40') },
      { unit: '074001', fundGroup: 'gpb' as const, kind: 'project' as const, project: 'P03', amount: amount('300') },
    ];
    const f = withSettings(seed(), { settings: { ceilings } });
    expectFinding(f, 'ceiling.exceeded', 'hard', { row: 'ceiling:074001:gpb:basic', field: 'ceiling' }, '074001', '济源市行政服务中心', '一般公共预算基本支出', '560.80万元', '560.79万元', '0.01万元');
    expectFinding(f, 'ceiling.exceeded', 'hard', { row: 'ceiling:074001:gpb:project:P03', field: 'ceiling', project: 'P03' }, '项目 P03', '331.50万元', '300.00万元', '31.50万元');
    expect(f.filter((x) => x.rule === 'ceiling.exceeded')).toHaveLength(2);
    // At the ceiling exactly, and without ceilings, nothing.
    expect(ruleIds(withSettings(seed(), { settings: { ceilings: [{ ...ceilings[0]!, amount: amount('560.8') }] } }))).not.toContain('ceiling.exceeded');
    expect(ruleIds(auditBudget(seed(), book))).not.toContain('ceiling.exceeded');
  });

  it('item.large-change: a 项 changing by 10% or more needs a reason; 9.99% does not; a written reason clears it', () => {
    const b = seed();
    // 2010350 事业运行 is 491.50 this year; 2080505 39.60; 2210201 29.70 (new); 2010306 1179.40.
    b.priorYear = { ...b.priorYear, functional: { '2010350': amount('446.8'), '2080505': amount('44'), '2010306': amount('1179.4'), '2130101': amount('5') } };
    const f = auditBudget(b, book);
    expectFinding(f, 'item.large-change', 'soft', { row: '2010350', field: 'changeReason' }, '2010350', '事业运行', '491.50万元', '446.80万元', '增加', '44.70万元', '10.00%');
    expectFinding(f, 'item.large-change', 'soft', { row: '2080505', field: 'changeReason' }, '2080505', '减少', '10.00%');
    expectFinding(f, 'item.large-change', 'soft', { row: '2210201', field: 'changeReason' }, '上年没有安排', '29.70万元');
    expectFinding(f, 'item.large-change', 'soft', { row: '2130101', field: 'changeReason' }, '本年不再安排', '5.00万元');
    expect(f.filter((x) => x.rule === 'item.large-change')).toHaveLength(4);
    // 9.99%: 491.50 against 446.86 is +9.989…%.
    b.priorYear.functional!['2010350'] = amount('446.86');
    b.changeReasons = { '2080505': '社保缴费基数调整' };
    const g = auditBudget(b, book);
    expect(g.filter((x) => x.rule === 'item.large-change').map((x) => x.place.row)).toEqual(['2130101', '2210201']);
    // The threshold and the level are parameters: at 类 level 201 is compared as a whole.
    b.priorYear.functional = { '201': amount('1669'), '208': amount('39.6') };
    const h = withSettings(b, { settings: { itemChangeLevel: '类', itemChangeRatio: '0.001' } });
    expect(h.filter((x) => x.rule === 'item.large-change').map((x) => x.place.row)).toEqual(['201', '221']);
  });

  it('text.placeholder: XX, ××, 待填写 and {…} left in any text are hard; XXL and ordinary text are not', () => {
    const b = seed();
    line(b, 3).remark = '按ＸＸ标准';
    project(b, 'P04').overview = '待填写';
    project(b, 'P06').indicators[0]!.target = '≥××%';
    b.narrative = { 'reason.total': '{原因}' };
    b.changeReasons = { '2010350': '人员增加 XX 人' };
    line(b, 4).remark = 'XXL 号工作服';
    const f = auditBudget(b, book);
    expectFinding(f, 'text.placeholder', 'hard', { line: 3, field: 'remark' }, '第 3 条支出明细', 'XX');
    expectFinding(f, 'text.placeholder', 'hard', { table: 'T11', project: 'P04', field: 'overview' }, 'P04', '项目概况', '待填写');
    expectFinding(f, 'text.placeholder', 'hard', { table: 'T11', project: 'P06', indicator: 0, field: 'target' }, 'P06', '第 1 个绩效指标', '××');
    expectFinding(f, 'text.placeholder', 'hard', { field: 'narrative:reason.total' }, '预算说明', '{原因}');
    expectFinding(f, 'text.placeholder', 'hard', { row: '2010350', field: 'changeReason' }, '变动原因', 'XX');
    expect(f.filter((x) => x.rule === 'text.placeholder')).toHaveLength(5);
    // The words are a parameter.
    const g = withSettings(b, { settings: { placeholderWords: [] } });
    expect(g.filter((x) => x.rule === 'text.placeholder').map((x) => x.place.field)).not.toContain('overview');
  });
});
