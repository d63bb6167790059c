// The budget model of the domain core: plain data, no storage, no UI.
// Amounts are integer 分 (bigint); codes are strings as published.
import type { AmountUnit, Fen } from './money.js';
import { FUNDS, fundGroup, type FundCode } from './funds.js';

/** 行政单位 | 事业单位 | 参照公务员法管理的事业单位 (treated as administrative for economic mapping). */
export type UnitKind = 'administrative' | 'public-institution' | 'civil-servant-managed';
export const UNIT_KINDS: readonly UnitKind[] = ['administrative', 'public-institution', 'civil-servant-managed'];
export const UNIT_KIND_LABELS: Record<UnitKind, string> = {
  administrative: '行政单位',
  'public-institution': '事业单位',
  'civil-servant-managed': '参照公务员法管理的事业单位',
};

export type ExpenditureKind = 'basic' | 'project';
export type ProjectCategory = 'general' | 'special';
export const PROJECT_CATEGORY_LABELS: Record<ProjectCategory, string> = { general: '一般性项目', special: '专项资金' };
export type ProcurementCategory = 'goods' | 'works' | 'services';
export const PROCUREMENT_CATEGORY_LABELS: Record<ProcurementCategory, string> = { goods: '货物', works: '工程', services: '服务' };

export interface Department {
  code: string;
  name: string;
}

export interface Unit {
  code: string;
  name: string;
  kind: UnitKind;
}

/** One expenditure budget line: booked on a functional 项 (7 digits) and a department economic 款 (5 digits). */
export interface BudgetLine {
  /** Stable identity within a budget (the storage row id). Not part of the exchange format. */
  id: number;
  unit: string;
  functional: string;
  economic: string;
  kind: ExpenditureKind;
  /** Project code when kind = project, else null. */
  project: string | null;
  fund: FundCode;
  amount: Fen;
  remark?: string;
  /** The fixture's marker for a split the publication does not pin down. Kept, not used in calculations. */
  assumed?: boolean;
}

/**
 * Income budget by unit and fund. When a budget has none, income per fund equals expenditure per fund.
 * Income of earlier years is income too, under its own fund: 上年结转 (gpb.carryover, gfb.carryover,
 * edu-fees.carryover, dept-carryover) and 使用非财政拨款结余 (institution-fund, institution-fund.cover).
 * What a fund family's income (with its carry-over) does not spend this year is 结转下年 (carryOut).
 */
export interface IncomeLine {
  unit: string;
  fund: FundCode;
  amount: Fen;
}

/** One 三级 indicator of a performance table; `target` is the published text ("=100%", "≥20次", "健全"). */
export interface Indicator {
  level1: string;
  level2: string;
  name: string;
  target: string;
  /** 指标值说明 (department table only). */
  note?: string;
}

/** A project and every field of its 项目支出绩效目标表. */
export interface Project {
  code: string;
  unit: string;
  name: string;
  category: ProjectCategory;
  functional?: string;
  usage?: string;
  leader?: string;
  contact?: string;
  phone?: string;
  start?: string;
  end?: string;
  totalAmount?: Fen;
  yearAmount: Fen;
  priorTotalAmount?: Fen;
  priorYearAmount?: Fen;
  overview?: string;
  basis?: string;
  necessity?: string;
  measures?: string;
  plan?: string;
  remarks?: string;
  overallGoal?: string;
  annualGoal?: string;
  indicators: Indicator[];
}

export interface Procurement {
  project: string | null;
  category: ProcurementCategory;
  amount: Fen;
  assumed?: boolean;
}

export interface DepartmentTask {
  name: string;
  content: string;
}

/** 部门（单位）整体绩效目标表. Its budget block is computed from the lines, never stored. */
export interface DepartmentPerformance {
  dutyGoal: string;
  tasks: DepartmentTask[];
  indicators: Indicator[];
}

/** “三公”经费 items of the prior year (the rows of T08). */
export type ThreePublicItem = 'abroad' | 'reception' | 'vehicleRunning' | 'vehiclePurchase';
export const THREE_PUBLIC_ITEMS: readonly ThreePublicItem[] = ['abroad', 'reception', 'vehicleRunning', 'vehiclePurchase'];

/**
 * Last year's budget as far as the narrative and the reviewers compare it. Every field is optional: a budget
 * states what it knows. Amounts are 分.
 */
export interface PriorYear {
  /** 收支总计. */
  total?: Fen;
  /** “三公”经费 共计. */
  threePublic?: Fen;
  basic?: Fen;
  project?: Fen;
  /** 一般公共预算 支出. */
  generalPublicBudget?: Fen;
  /** 政府性基金预算 支出. */
  governmentFund?: Fen;
  /** 机关运行经费. */
  operatingCost?: Fen;
  threePublicItems?: Partial<Record<ThreePublicItem, Fen>>;
  /** By 支出功能分类 code: 类 (3 digits), 款 (5) or 项 (7). */
  functional?: Record<string, Fen>;
  /** By 部门预算支出经济分类 款 (5 digits) or 类 (3). */
  economic?: Record<string, Fen>;
}

/** The user-typed parts of the 预算说明 (core/document), by key; every figure of the document is computed. */
export type NarrativeTexts = Record<string, string>;

export interface Budget {
  fiscalYear: number;
  /** The unit amounts are entered and shown in. Storage is always 分. */
  amountUnit: AmountUnit;
  department: Department;
  units: Unit[];
  lines: BudgetLine[];
  income: IncomeLine[];
  projects: Project[];
  procurement: Procurement[];
  departmentPerformance: DepartmentPerformance | null;
  priorYear: PriorYear | null;
  /** User-typed text of the 预算说明; absent in older files. */
  narrative?: NarrativeTexts;
  /**
   * Why a functional 项 (类, 款) changes against last year by the parameter package's threshold or more, by code
   * (item.large-change); absent in older files. Feeds the 预算说明 and next year's budget as a starting text.
   */
  changeReasons?: ChangeReasons;
}

/** Reasons for large changes against last year, by functional code. */
export type ChangeReasons = Record<string, string>;

/** Economic classes that make up 人员经费 under basic expenditure; every other basic class is 公用经费. */
export const WAGES_CLASS = '301';
export const FAMILY_CLASS = '303';

/** "三公"经费 economic 款. */
export const THREE_PUBLIC = {
  abroad: '30212',
  reception: '30217',
  vehicleRunning: '30231',
  vehiclePurchase: '31013',
} as const;

export function economicClass(economic: string): string {
  return economic.slice(0, 3);
}

export function functionalClass(functional: string): string {
  return functional.slice(0, 3);
}

export function functionalSection(functional: string): string {
  return functional.slice(0, 5);
}

// --- income and carry-forward (结转下年) ---------------------------------------------------------------------

/**
 * The fund family a fund's money belongs to: spending of a family may use its income of the year and its
 * carry-over alike (一般公共预算 with 上年结转 · 一般公共预算 …). Families are the fund groups, with the
 * carried-over education fees joining the education fees.
 */
export function fundFamily(code: FundCode): string {
  const group: string = fundGroup(code);
  return group === 'edu-fees.carryover' ? 'edu-fees' : group;
}

/** Chinese name of a fund family, for messages. */
export function fundFamilyLabel(family: string): string {
  if (family === 'gpb') return '一般公共预算';
  if (family === 'gfb') return '政府性基金';
  return FUNDS.find((f) => f.group === family)?.label ?? family;
}

export interface FamilyBalance {
  family: string;
  /** Income of the family: the year's and carried over. */
  income: Fen;
  spending: Fen;
  /** 结转下年 = income − spending; negative when the spending is not covered. */
  carryOut: Fen;
  /** Per fund of the family: its income and spending. */
  funds: Map<FundCode, { income: Fen; spending: Fen }>;
}

/**
 * Income against spending per fund family, with 结转下年. A budget without income lines has income equal to
 * spending per fund, so nothing is carried out (the map is empty).
 */
export function fundBalances(budget: Pick<Budget, 'income' | 'lines'>, spendingByFund?: ReadonlyMap<FundCode, Fen>): Map<string, FamilyBalance> {
  const out = new Map<string, FamilyBalance>();
  if (budget.income.length === 0) return out;
  const entry = (fund: FundCode) => {
    const family = fundFamily(fund);
    let b = out.get(family);
    if (!b) {
      b = { family, income: 0n, spending: 0n, carryOut: 0n, funds: new Map() };
      out.set(family, b);
    }
    let f = b.funds.get(fund);
    if (!f) {
      f = { income: 0n, spending: 0n };
      b.funds.set(fund, f);
    }
    return { b, f };
  };
  for (const i of budget.income) {
    const { b, f } = entry(i.fund);
    b.income += i.amount;
    f.income += i.amount;
  }
  let spending = spendingByFund;
  if (!spending) {
    const m = new Map<FundCode, Fen>();
    for (const l of budget.lines) m.set(l.fund, (m.get(l.fund) ?? 0n) + l.amount);
    spending = m;
  }
  for (const [fund, amount] of spending) {
    const { b, f } = entry(fund);
    b.spending += amount;
    f.spending += amount;
  }
  for (const b of out.values()) b.carryOut = b.income - b.spending;
  return out;
}
