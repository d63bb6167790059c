// A department with two subordinate units, for the 汇总, lock and diff tests: the 济源 fixture as one unit
// (a 事业单位 with 13 projects), a small synthetic administrative unit, and the department's own office.
import { amount } from '../../core/money.js';
import type { Budget, BudgetLine, Project } from '../../core/model.js';
import { fixtureBudget } from './submission-fixture.js';

type LineSpec = [unit: string, functional: string, economic: string, kind: BudgetLine['kind'], project: string | null, fund: BudgetLine['fund'], amount: string];

function lines(specs: LineSpec[]): BudgetLine[] {
  return specs.map(([unit, functional, economic, kind, project, fund, a], i) => ({
    id: i + 1,
    unit,
    functional,
    economic,
    kind,
    project,
    fund,
    amount: amount(a),
    assumed: false,
  }));
}

function project(code: string, unit: string, name: string, year: string): Project {
  return {
    code,
    unit,
    name,
    category: 'general',
    functional: undefined,
    totalAmount: amount(year),
    yearAmount: amount(year),
    start: '2020-01-01',
    end: '2020-12-31',
    overallGoal: `保障${name}顺利实施`,
    annualGoal: `年度内完成${name}`,
    indicators: [
      { level1: '产出指标', level2: '数量指标', name: '完成任务数', target: '≥12项' },
      { level1: '产出指标', level2: '时效指标', name: '按时完成率', target: '=100%' },
      { level1: '满意度指标', level2: '服务对象满意度指标', name: '服务对象满意度', target: '≥90%' },
    ],
  };
}

/** The 济源 fixture as a subordinate unit: its package speaks for unit 074001 (its own department code). */
export function fixtureUnitBudget(): Budget {
  const b = fixtureBudget();
  b.department = { code: '074001', name: '济源市行政服务中心' };
  return b;
}

/** A small administrative unit; its project P01 has the same code as the fixture's first project. */
export function adminUnitBudget(): Budget {
  const p = project('P01', '074002', '交易平台运行维护', '20');
  delete p.functional;
  return {
    fiscalYear: 2020,
    amountUnit: '万元',
    department: { code: '074002', name: '济源市公共资源交易中心' },
    units: [{ code: '074002', name: '济源市公共资源交易中心', kind: 'administrative' }],
    lines: lines([
      ['074002', '2013101', '30101', 'basic', null, 'gpb.appropriation', '50.5'],
      ['074002', '2013101', '30201', 'basic', null, 'gpb.appropriation', '3.2'],
      ['074002', '2080505', '30108', 'basic', null, 'gpb.appropriation', '12.15'],
      ['074002', '2013102', '30227', 'project', 'P01', 'gpb.appropriation', '20'],
    ]),
    income: [],
    projects: [p],
    procurement: [],
    departmentPerformance: null,
    priorYear: { total: amount('80'), threePublic: amount('0') },
  };
}

/** The department's own budget: its office (局机关) with a few lines and one project. */
export function departmentOwnBudget(): Budget {
  const p = project('J01', '074000', '政务数据平台建设', '35.5');
  delete p.functional;
  return {
    fiscalYear: 2020,
    amountUnit: '万元',
    department: { code: '074', name: '济源市政务服务和大数据管理局' },
    units: [{ code: '074000', name: '济源市政务服务和大数据管理局机关', kind: 'administrative' }],
    lines: lines([
      ['074000', '2013101', '30101', 'basic', null, 'gpb.appropriation', '100'],
      ['074000', '2013101', '30201', 'basic', null, 'gpb.appropriation', '5.5'],
      ['074000', '2013101', '30217', 'basic', null, 'gpb.appropriation', '0.8'],
      ['074000', '2013102', '31002', 'project', 'J01', 'gpb.appropriation', '35.5'],
    ]),
    income: [],
    projects: [p],
    procurement: [{ project: 'J01', category: 'goods', amount: amount('35.5') }],
    departmentPerformance: null,
    priorYear: { total: amount('120'), threePublic: amount('1') },
  };
}
