// The eleven published tables (济源 2020 layout, docs/domain/TABLES.md) declared as data: their header, their rows and,
// for every row and every amount column, which lines feed it. A cell is the sum of the lines that match both
// its row's feed and its column's feed (and the table's filter). The engine (engine.ts) only follows these.
//
// Rows are either a fixed list (printed even when empty: T01, T04, T08, T10) or generated from the lines:
//   'unit-functional' (T02, T03, T05, T09): 合计, one row per unit, one row per unit × functional 项;
//   'economic' (T06, T07): 合计, one row per department economic 类, one per 款 × government 款;
//   'projects' (T11): one row per project, its amounts taken from the project, not from lines.
//
// Two-sided tables (T01, T04) hold both sides in one row list: income rows are keyed "income:<fund or row>",
// expenditure rows "expenditure:<row>"; `side` says which and `line` on which printed row each one sits, so
// income row n and expenditure row n share printed row n and both totals share the last printed row.
import type { CodeBook } from '../codelists.js';
import { FUNDS, type FundCode, type FundGroup } from '../funds.js';
import type { AmountUnit } from '../money.js';
import { THREE_PUBLIC, type ExpenditureKind } from '../model.js';
import {
  ALWAYS,
  all,
  categoryIs,
  economicClassIs,
  economicIs,
  fundGroupIs,
  fundIs,
  functionalClassIs,
  kindIs,
  not,
  type LinePredicate,
} from './predicates.js';
import type { AmountFormat, ReportColumn, RowKind, TableId, TableLayout } from './report.js';
import { functionalClassLabel } from './years.js';

/** A header cell; leaves with a `feed` are amount columns. */
export interface ColumnSpec {
  key: string;
  label: string;
  children?: ColumnSpec[];
  feed?: LinePredicate;
  side?: 'income' | 'expenditure';
}

/** Where a row takes its lines from: expenditure lines, or the income budget (收入预算). */
export type RowStream = 'expenditure' | 'income';

export interface FixedRowSpec {
  key: string;
  label: string;
  code?: string;
  level?: number;
  kind: RowKind;
  side?: 'income' | 'expenditure';
  line?: number;
  group?: string;
  labels?: Record<string, string>;
  /**
   * 'income' rows take the budget's income lines; a budget that states no income has income equal to
   * expenditure per fund (fixtures README), and then these rows take the expenditure lines instead.
   */
  stream?: RowStream;
  feed: LinePredicate;
  /** Leaf column keys this row has; default all. A two-sided table's rows have their own side's columns. */
  columns?: readonly string[];
}

export type RowsSpec =
  | { type: 'fixed'; rows: FixedRowSpec[] }
  | { type: 'unit-functional' }
  | {
      type: 'economic';
      /** 'full' prints 款 as 30101 / 50501 (T06), 'short' as 01 / 01 (T07). */
      codeStyle: 'full' | 'short';
      /** Label column that holds "合计" (T06: the government name column; T07: the department name column). */
      totalLabelColumn: string;
    }
  | { type: 'projects' };

export interface TableDefinition {
  id: TableId;
  title: string;
  caption: string[];
  layout: TableLayout;
  labelColumns: ColumnSpec[];
  columns: ColumnSpec[];
  numberRow: boolean;
  formats: Record<AmountUnit, AmountFormat>;
  /** Lines the table counts at all. */
  filter: LinePredicate;
  rows: RowsSpec;
  note?: string;
}

export interface DefinitionContext {
  year: number;
  amountUnit: AmountUnit;
  departmentName: string;
  book: CodeBook;
}

export const TABLE_TITLES: Record<TableId, string> = {
  T01: '部门收支总体情况表',
  T02: '部门收入总体情况表',
  T03: '部门支出总体情况表',
  T04: '财政拨款收支总体情况表',
  T05: '一般公共预算支出情况表',
  T06: '支出经济分类汇总表',
  T07: '一般公共预算基本支出情况表',
  T08: '一般公共预算“三公”经费支出情况表',
  T09: '政府性基金预算支出情况表',
  T10: '部门（单位）整体绩效目标表',
  T11: '项目支出绩效目标表',
};

/** T01–T10: thousands separator, one decimal in 万元 (two in 元), zero printed as an empty cell. */
const PUBLISHED_FORMAT: Record<AmountUnit, AmountFormat> = {
  万元: { decimals: 1, thousands: true, blankZero: true },
  元: { decimals: 2, thousands: true, blankZero: true },
};
/** T11: two decimals, no separator, zero printed as 0.00. */
const PROJECT_FORMAT: Record<AmountUnit, AmountFormat> = {
  万元: { decimals: 2, thousands: false, blankZero: false },
  元: { decimals: 2, thousands: false, blankZero: false },
};

/**
 * Funds counted as 财政性资金 in T10. The seed cannot show which non-appropriation sources count (docs/domain/TABLES.md
 * fact 21); these are the budgets of government (一般公共预算, 政府性基金, 国有资本经营预算) and the
 * education fees managed in a 财政专户. Everything else (事业收入, 经营收入, 事业基金, 其他收入, 部门结转 …)
 * is 其他资金.
 */
export const FISCAL_FUND_GROUPS: readonly FundGroup[] = ['gpb', 'gfb', 'state-capital-budget', 'edu-fees', 'edu-fees.carryover'];

const basic = kindIs('basic');
const project = kindIs('project');
const kindWith = (kind: ExpenditureKind, ...classes: string[]) => all(kindIs(kind), economicClassIs(...classes));

/** 基本支出 split: 工资福利 (301), 对个人和家庭的补助 (303), 公用经费 (every other class). */
const BASIC_SPLIT = {
  wages: kindWith('basic', '301'),
  public: all(basic, not(economicClassIs('301', '303'))),
  family: kindWith('basic', '303'),
};

function fundsOf(group: FundGroup) {
  return FUNDS.filter((f) => f.group === group);
}

/** Published spelling of a fund in column headers: half-width parentheses (docs/domain/TABLES.md §0). */
function headerLabel(label: string): string {
  return label.replace(/（/g, '(').replace(/）/g, ')');
}

function leaf(key: string, label: string, feed: LinePredicate): ColumnSpec {
  return { key, label, feed };
}

function fundColumn(code: FundCode, label?: string): ColumnSpec {
  return leaf(code, label ?? headerLabel(fundLabelOf(code)), fundIs(code));
}

/** 一般公共预算 with its 小计 and 其中：财政拨款 (T01, T02, T04, T06). */
function generalPublicBudgetColumns(): ColumnSpec {
  return {
    key: 'group:gpb',
    label: '一般公共预算',
    children: [leaf('gpb', '小计', fundGroupIs('gpb')), leaf('appropriation', '其中：财政拨款', fundIs('gpb.appropriation'))],
  };
}

/** Sources of the year without sub-sources: one column (T01, T02, T06) or one income row (T01) each. */
const SINGLE_FUNDS = ['edu-fees', 'edu-fees.carryover', 'state-capital-budget', 'operations', 'business', 'institution-fund', 'other'] as const;

/** The sources of the year, one column each: 一般公共预算 … 其他收入 (T01's 本年支出小计, T02, T06). */
function currentYearSourceColumns(): ColumnSpec[] {
  return [
    generalPublicBudgetColumns(),
    leaf('gfb', '政府性基金', fundGroupIs('gfb')),
    ...SINGLE_FUNDS.map((code) => fundColumn(code)),
  ];
}

/** The twelve source columns of T02 and T06: 总计, 一般公共预算 (小计, 其中：财政拨款), 政府性基金 … 部门结转. */
function sourceColumns(): ColumnSpec[] {
  return [leaf('total', '总计', ALWAYS), ...currentYearSourceColumns(), fundColumn('dept-carryover')];
}

/** The eight columns of T03, T05 and T09. */
function expenditureColumns(): ColumnSpec[] {
  return [
    leaf('total', '总计', ALWAYS),
    {
      key: 'group:basic',
      label: '基本支出',
      children: [
        leaf('basic', '小计', basic),
        leaf('wages', '工资福利支出', BASIC_SPLIT.wages),
        leaf('public', '公用经费', BASIC_SPLIT.public),
        leaf('family', '对个人和家庭的补助', BASIC_SPLIT.family),
      ],
    },
    {
      key: 'group:project',
      label: '项目支出',
      children: [
        leaf('project', '小计', project),
        leaf('general', '一般性项目', all(project, categoryIs('general'))),
        leaf('special', '专项资金', all(project, categoryIs('special'))),
      ],
    },
  ];
}

function functionalLabelColumns(nameLabel: string): ColumnSpec[] {
  return [
    {
      key: 'group:functional',
      label: '科目编码',
      children: [
        { key: 'functionalClass', label: '类' },
        { key: 'functionalSection', label: '款' },
        { key: 'functionalItem', label: '项' },
      ],
    },
    { key: 'unitCode', label: '单位代码' },
    { key: 'name', label: nameLabel },
  ];
}

function economicLabelColumns(): ColumnSpec[] {
  return [
    {
      key: 'group:department',
      label: '部门预算经济分类',
      children: [
        { key: 'economicClass', label: '类' },
        { key: 'economicItem', label: '款' },
        { key: 'economicName', label: '科目名称' },
      ],
    },
    {
      key: 'group:government',
      label: '政府预算经济分类',
      children: [
        { key: 'governmentClass', label: '类' },
        { key: 'governmentItem', label: '款' },
        { key: 'governmentName', label: '科目名称' },
      ],
    },
  ];
}

function standardCaption(ctx: DefinitionContext, title: string): string[] {
  return [`${ctx.year}年${title}`, `单位：${ctx.departmentName}`, `单位：${ctx.amountUnit}`];
}

function leafKeys(columns: readonly ColumnSpec[]): string[] {
  const out: string[] = [];
  const walk = (cs: readonly ColumnSpec[]) => {
    for (const c of cs) c.children?.length ? walk(c.children) : out.push(c.key);
  };
  walk(columns);
  return out;
}

// --- T01 -------------------------------------------------------------------------------------------------

/** T01 rows `1、`…`9、`: project spending by department economic 类 (no row for 301, as published). */
const PROJECT_BY_NATURE: readonly [string, string][] = [
  ['302', '1、商品和服务类专项支出'],
  ['303', '2、对个人和家庭的补助类专项支出'],
  ['307', '3、债务利息支出'],
  ['309', '4、资本性支出（基本建设）'],
  ['310', '5、资本性支出'],
  ['311', '6、对企业补助（基本建设）'],
  ['312', '7、对企业补助'],
  ['313', '8、对社会保障基金补助'],
  ['399', '9、其他支出'],
];

/** Income not of the year: 部门结转 and 用事业单位基金弥补收支差额 sit below 本年合计. */
const NOT_CURRENT_YEAR: FundCode[] = ['dept-carryover', 'institution-fund.cover'];

function t01(ctx: DefinitionContext): TableDefinition {
  const incomeColumns: ColumnSpec[] = [leaf('amount', '金额', ALWAYS)];
  const expenditureCols: ColumnSpec[] = [
    leaf('total', '合计', ALWAYS),
    fundColumn('institution-fund.cover', '用事业单位基金弥补收支差额'),
    fundColumn('dept-carryover'),
    {
      key: 'group:current-year',
      label: '本年支出小计',
      children: [leaf('current-year', '小计', not(fundIs(...NOT_CURRENT_YEAR))), ...currentYearSourceColumns()],
    },
  ];
  const income: IncomeRow[] = [];
  for (const [group, groupLabel] of INCOME_GROUPS) income.push(...fundsOf(group).map((f) => fundIncomeRow(f.code, f.label, groupLabel)));
  for (const code of SINGLE_FUNDS) income.push(incomeRow(code, fundLabelOf(code), 1, 'fixed', fundIs(code)));
  income.push(incomeRow('current-year', '本年合计', 0, 'subtotal', not(fundIs(...NOT_CURRENT_YEAR))));
  income.push(incomeRow('dept-carryover', '部门结转', 1, 'fixed', fundIs('dept-carryover')));
  income.push(incomeRow('institution-fund.cover', '用事业单位基金弥补收支差额', 1, 'fixed', fundIs('institution-fund.cover')));

  const expenditure: ExpenditureRow[] = [];
  const addExpenditure = (key: string, label: string, kind: RowKind, level: number, feed: LinePredicate) =>
    expenditure.push({ key: `expenditure:${key}`, code: `expenditure:${key}`, label, kind, level, feed });
  addExpenditure('basic', '一、基本支出', 'section', 1, basic);
  addExpenditure('wages', '工资福利支出', 'fixed', 2, BASIC_SPLIT.wages);
  addExpenditure('public', '公用经费', 'fixed', 2, BASIC_SPLIT.public);
  addExpenditure('family', '对个人和家庭的补助支出', 'fixed', 2, BASIC_SPLIT.family);
  addExpenditure('project', '二、项目支出', 'section', 1, project);
  addExpenditure('general', '一般性项目', 'fixed', 2, all(project, categoryIs('general')));
  addExpenditure('special', '专项资金', 'fixed', 2, all(project, categoryIs('special')));
  for (const [cls, label] of PROJECT_BY_NATURE) addExpenditure(`project.${cls}`, label, 'fixed', 2, kindWith('project', cls));

  return twoSidedTable(ctx, 'T01', { incomeColumns, expenditureColumns: expenditureCols, income, expenditure, filter: ALWAYS });
}

/** The two income groups with sub-sources, as T01 and T04 print them. */
const INCOME_GROUPS = [
  ['gpb', '一般公共预算收入'],
  ['gfb', '政府性基金收入'],
] as const;

/** A row of a two-sided table before it is placed on its printed line. */
type IncomeRow = Omit<FixedRowSpec, 'side' | 'stream' | 'columns' | 'line'>;
type ExpenditureRow = Omit<FixedRowSpec, 'side' | 'columns' | 'line' | 'labels'>;

function fundLabelOf(code: FundCode): string {
  return FUNDS.find((x) => x.code === code)!.label;
}

/** An income row without sub-rows: its label spans the group and item columns. */
function incomeRow(key: string, label: string, level: number, kind: RowKind, feed: LinePredicate): IncomeRow {
  return { key: `income:${key}`, code: `income:${key}`, label, level, kind, labels: { incomeGroup: label }, feed };
}

/** A sub-source row of an income group (一般公共预算收入 · 财政拨款 …). */
function fundIncomeRow(code: FundCode, label: string, groupLabel: string): IncomeRow {
  return {
    key: `income:${code}`,
    code: `income:${code}`,
    label,
    group: groupLabel,
    level: 2,
    kind: 'fixed',
    labels: { incomeGroup: groupLabel, incomeItem: label },
    feed: fundIs(code),
  };
}

/**
 * T01 and T04: income rows on the left, expenditure rows on the right, row n of each side sharing printed
 * row n, and both totals (收入合计 ‖ 支出合计) on the last printed row.
 */
function twoSidedTable(
  ctx: DefinitionContext,
  id: 'T01' | 'T04',
  spec: { incomeColumns: ColumnSpec[]; expenditureColumns: ColumnSpec[]; income: IncomeRow[]; expenditure: ExpenditureRow[]; filter: LinePredicate },
): TableDefinition {
  const incomeKeys = leafKeys(spec.incomeColumns);
  const expenditureKeys = leafKeys(spec.expenditureColumns);
  const totalLine = Math.max(spec.income.length, spec.expenditure.length) + 1;
  const income: FixedRowSpec[] = [...spec.income, incomeRow('total', '收入合计', 0, 'total', ALWAYS)].map((row, i) => ({
    ...row,
    side: 'income',
    stream: 'income',
    columns: incomeKeys,
    line: i < spec.income.length ? i + 1 : totalLine,
  }));
  const expenditureTotal: ExpenditureRow = { key: 'expenditure:total', code: 'expenditure:total', label: '支出合计', level: 0, kind: 'total', feed: ALWAYS };
  const expenditure: FixedRowSpec[] = [...spec.expenditure, expenditureTotal].map((row, i) => ({
    ...row,
    side: 'expenditure',
    line: i < spec.expenditure.length ? i + 1 : totalLine,
    labels: { expenditureItem: row.label },
    columns: expenditureKeys,
  }));
  return {
    id,
    title: TABLE_TITLES[id],
    caption: standardCaption(ctx, TABLE_TITLES[id]),
    layout: 'two-sided',
    labelColumns: [
      { key: 'group:incomeItem', label: '项目', side: 'income', children: [{ key: 'incomeGroup', label: '' }, { key: 'incomeItem', label: '' }] },
      { key: 'expenditureItem', label: '项目', side: 'expenditure' },
    ],
    columns: [
      { key: 'group:income', label: '收入', side: 'income', children: spec.incomeColumns },
      { key: 'group:expenditure', label: '支出', side: 'expenditure', children: spec.expenditureColumns },
    ],
    numberRow: false,
    formats: PUBLISHED_FORMAT,
    filter: spec.filter,
    rows: { type: 'fixed', rows: pairByLine(income, expenditure) },
  };
}

/** One list ordered by printed row, the income row before the expenditure row of the same line. */
function pairByLine(income: FixedRowSpec[], expenditure: FixedRowSpec[]): FixedRowSpec[] {
  return [...income, ...expenditure].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.side === 'income' ? -1 : 1));
}

// --- T02, T03, T05, T09 ----------------------------------------------------------------------------------

function t02(ctx: DefinitionContext): TableDefinition {
  return {
    id: 'T02',
    title: TABLE_TITLES.T02,
    caption: standardCaption(ctx, TABLE_TITLES.T02),
    layout: 'list',
    // The published header has six label columns with the codes shifted one to the left of their headers
    // (docs/domain/TABLES.md T02, Ambiguous); the meaning is T03's five-column block, which is what is used here.
    labelColumns: functionalLabelColumns('单位(科目名称)'),
    columns: sourceColumns(),
    numberRow: true,
    formats: PUBLISHED_FORMAT,
    // T02 has no 用事业单位基金弥补收支差额 column: drawing on reserves is not income of the year, so its lines
    // stay out of the income table (its 总计 = T01 本年合计 + 部门结转, docs/domain/TABLES.md fact 9).
    filter: not(fundIs('institution-fund.cover')),
    rows: { type: 'unit-functional' },
  };
}

function expenditureTable(ctx: DefinitionContext, id: 'T03' | 'T05' | 'T09', filter: LinePredicate): TableDefinition {
  return {
    id,
    title: TABLE_TITLES[id],
    caption: standardCaption(ctx, TABLE_TITLES[id]),
    layout: 'list',
    labelColumns: functionalLabelColumns('单位（科目名称）'),
    columns: expenditureColumns(),
    numberRow: true,
    formats: PUBLISHED_FORMAT,
    filter,
    rows: { type: 'unit-functional' },
  };
}

// --- T04 -------------------------------------------------------------------------------------------------

/** Funds a 财政拨款 table counts: 一般公共预算, 政府性基金 and 国有资本经营预算. */
const APPROPRIATION_GROUPS: FundGroup[] = ['gpb', 'gfb', 'state-capital-budget'];

function t04(ctx: DefinitionContext): TableDefinition {
  const incomeColumns: ColumnSpec[] = [leaf('amount', '金额', ALWAYS)];
  const expenditureCols: ColumnSpec[] = [
    leaf('total', '合计', ALWAYS),
    {
      // As extracted, 本年支出小计 spans only the 一般公共预算 columns and has no amount of its own.
      key: 'group:current-year',
      label: '本年支出小计',
      children: [generalPublicBudgetColumns()],
    },
    leaf('gfb', '政府性基金', fundGroupIs('gfb')),
    leaf('state-capital-budget', '国有资本经营预算', fundIs('state-capital-budget')),
  ];
  const income: IncomeRow[] = [];
  for (const [group, groupLabel] of INCOME_GROUPS) {
    income.push({
      key: `income:${group}`,
      code: `income:${group}`,
      label: '小计',
      group: groupLabel,
      level: 1,
      kind: 'subtotal',
      labels: { incomeGroup: groupLabel, incomeItem: '小计' },
      feed: fundGroupIs(group),
    });
    income.push(...fundsOf(group).map((f) => fundIncomeRow(f.code, f.label, groupLabel)));
  }
  income.push(incomeRow('state-capital-budget', '国有资本经营预算', 1, 'fixed', fundIs('state-capital-budget')));

  // Every 类 of the year's functional list, printed even when empty.
  const expenditure: ExpenditureRow[] = ctx.book.functional.children(null).map((entry) => ({
    key: `expenditure:${entry.code}`,
    code: entry.code,
    label: functionalClassLabel(entry.code, entry.name, ctx.year),
    level: 1,
    kind: 'class',
    feed: functionalClassIs(entry.code),
  }));

  return twoSidedTable(ctx, 'T04', {
    incomeColumns,
    expenditureColumns: expenditureCols,
    income,
    expenditure,
    filter: fundGroupIs(...APPROPRIATION_GROUPS),
  });
}

// --- T06, T07 --------------------------------------------------------------------------------------------

function t06(ctx: DefinitionContext): TableDefinition {
  return {
    id: 'T06',
    title: TABLE_TITLES.T06,
    caption: standardCaption(ctx, TABLE_TITLES.T06),
    layout: 'list',
    labelColumns: economicLabelColumns(),
    columns: sourceColumns(),
    numberRow: true,
    formats: PUBLISHED_FORMAT,
    // An expenditure table: 总计 counts every line, including any funded by 用事业单位基金弥补收支差额
    // (which has no column here, as in T02).
    filter: ALWAYS,
    rows: { type: 'economic', codeStyle: 'full', totalLabelColumn: 'governmentName' },
  };
}

function t07(ctx: DefinitionContext): TableDefinition {
  const subSources = fundsOf('gpb').filter((f) => f.code !== 'gpb.appropriation');
  return {
    id: 'T07',
    title: TABLE_TITLES.T07,
    caption: standardCaption(ctx, TABLE_TITLES.T07),
    layout: 'list',
    labelColumns: economicLabelColumns(),
    columns: [
      {
        key: 'group:gpb',
        label: '一般公共预算',
        children: [
          leaf('total', '合计', ALWAYS),
          leaf('appropriation', '财政拨款', fundIs('gpb.appropriation')),
          ...subSources.map((f) => fundColumn(f.code)),
        ],
      },
    ],
    numberRow: true,
    formats: PUBLISHED_FORMAT,
    filter: all(basic, fundGroupIs('gpb')),
    rows: { type: 'economic', codeStyle: 'short', totalLabelColumn: 'economicName' },
  };
}

// --- T08 -------------------------------------------------------------------------------------------------

const THREE_PUBLIC_NOTE =
  '注：按照党中央、国务院有关规定及部门预算管理有关规定，“三公”经费包括因公出国（境）费、公务用车购置及运行费和公务接待费。（1）因公出国（境）费，指单位工作人员公务出国（境）的住宿费、旅费、伙食补助费、杂费、培训费等支出。（2）公务用车购置及运行费，指单位公务用车购置费及租用费、燃料费、维修费、过路过桥费、保险费、安全奖励费用等支出，公务用车指用于履行公务的机动车辆，包括领导干部专车、一般公务用车和执法执勤用车。（3）公务接待费，指单位按规定开支的各类公务接待（含外宾接待）支出。';

function t08(ctx: DefinitionContext): TableDefinition {
  const { abroad, reception, vehicleRunning, vehiclePurchase } = THREE_PUBLIC;
  const row = (key: string, label: string, level: number, feed: LinePredicate, code?: string): FixedRowSpec => ({
    key,
    label,
    level,
    kind: key === 'total' ? 'total' : 'fixed',
    labels: { name: label },
    feed,
    ...(code ? { code } : {}),
  });
  return {
    id: 'T08',
    title: TABLE_TITLES.T08,
    caption: standardCaption(ctx, TABLE_TITLES.T08),
    layout: 'list',
    labelColumns: [{ key: 'name', label: '项目' }],
    columns: [leaf('total', `${ctx.year}年“三公”经费预算数`, ALWAYS)],
    numberRow: false,
    formats: PUBLISHED_FORMAT,
    // Basic and project lines alike, 一般公共预算 only; so T08 is read from T06, not from T07.
    filter: all(fundGroupIs('gpb'), economicIs(...Object.values(THREE_PUBLIC))),
    rows: {
      type: 'fixed',
      rows: [
        row('total', '共计', 0, ALWAYS),
        row('abroad', '1、因公出国（境）费用', 1, economicIs(abroad), abroad),
        row('reception', '2、公务接待费', 1, economicIs(reception), reception),
        row('vehicle', '3、公务用车费', 1, economicIs(vehicleRunning, vehiclePurchase)),
        row('vehicle-running', '其中：（1）公务用车运行维护费', 2, economicIs(vehicleRunning), vehicleRunning),
        row('vehicle-purchase', '（2）公务用车购置', 2, economicIs(vehiclePurchase), vehiclePurchase),
      ],
    },
    note: THREE_PUBLIC_NOTE,
  };
}

// --- T10, T11 --------------------------------------------------------------------------------------------

function t10(ctx: DefinitionContext): TableDefinition {
  const fiscal = fundGroupIs(...FISCAL_FUND_GROUPS);
  const row = (key: string, label: string, level: number, feed: LinePredicate): FixedRowSpec => ({
    key,
    label,
    level,
    kind: key === 'total' ? 'total' : 'fixed',
    labels: { name: label },
    feed,
  });
  return {
    id: 'T10',
    title: TABLE_TITLES.T10,
    // The seed's title uses a short department name ("行政服务中心"); it cannot be derived, so the full one is used.
    caption: [`${ctx.departmentName}整体绩效目标表`, `(${ctx.year}年度)`],
    layout: 'form',
    labelColumns: [{ key: 'name', label: '预算情况' }],
    columns: [leaf('amount', '金额', ALWAYS)],
    numberRow: false,
    formats: PUBLISHED_FORMAT,
    filter: ALWAYS,
    rows: {
      type: 'fixed',
      rows: [
        // Published empty in the seed (docs/domain/TABLES.md T10, Ambiguous); printed here, since it is the correct figure.
        row('total', `部门预算总额(${ctx.amountUnit})`, 0, ALWAYS),
        row('fiscal', '1、资金来源：(1) 财政性资金', 1, fiscal),
        row('other', '(2) 其他资金', 1, not(fiscal)),
        row('basic', '2、资金结构：(1) 基本支出', 1, basic),
        row('project', '(2) 项目支出', 1, project),
      ],
    },
  };
}

/** T11 amount columns: the project's own figures, not sums of lines. */
export const PROJECT_AMOUNT_FIELDS = ['totalAmount', 'yearAmount', 'priorTotalAmount', 'priorYearAmount'] as const;
export type ProjectAmountField = (typeof PROJECT_AMOUNT_FIELDS)[number];

function t11(ctx: DefinitionContext): TableDefinition {
  return {
    id: 'T11',
    title: TABLE_TITLES.T11,
    caption: [`${ctx.departmentName}支出项目绩效目标表`, `(${ctx.year}年)`],
    layout: 'projects',
    labelColumns: [
      { key: 'code', label: '项目编码' },
      { key: 'name', label: '项目名称' },
    ],
    columns: [
      { key: 'totalAmount', label: '项目总金额' },
      { key: 'yearAmount', label: '项目本年度金额' },
      { key: 'priorTotalAmount', label: '上年度项目总金额' },
      { key: 'priorYearAmount', label: '项目上年度金额' },
    ],
    numberRow: false,
    formats: PROJECT_FORMAT,
    filter: kindIs('project'),
    rows: { type: 'projects' },
  };
}

/** The definitions of T01–T11 for a budget year, in published order. */
export function tableDefinitions(ctx: DefinitionContext): TableDefinition[] {
  return [
    t01(ctx),
    t02(ctx),
    expenditureTable(ctx, 'T03', ALWAYS),
    t04(ctx),
    expenditureTable(ctx, 'T05', fundGroupIs('gpb')),
    t06(ctx),
    t07(ctx),
    t08(ctx),
    expenditureTable(ctx, 'T09', fundGroupIs('gfb')),
    t10(ctx),
    t11(ctx),
  ];
}

/** Header cells of a definition as report columns (the feeds stay in the definition). */
export function toReportColumns(columns: readonly ColumnSpec[]): ReportColumn[] {
  return columns.map((c) => ({
    key: c.key,
    label: c.label,
    ...(c.side ? { side: c.side } : {}),
    ...(c.children?.length ? { children: toReportColumns(c.children) } : {}),
  }));
}

export { leafKeys as definitionLeafKeys };
