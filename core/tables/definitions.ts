// The published tables of a budget as the engine reads them: their header, their rows and, for every row and
// every amount column, which lines feed it. A cell is the sum of the lines that match both its row's feed and
// its column's feed (and the table's filter). The engine (engine.ts) only follows these.
//
// The definitions come from a publication format, data checked when loaded (format.ts): 河南 2020
// (data/formats/henan-2020.json, the eleven tables of the worked example) unless the budget names another.
//
// Rows are either a fixed list (printed even when empty: T01, T04, T08, T10) or generated from the lines:
//   'unit-functional' (T02, T03, T05, T09): 合计, one row per unit, one row per unit × functional 项;
//   'economic' (T06, T07): 合计, one row per department economic 类, one per 款 × government 款;
//   'projects' (T11): one row per project, its amounts taken from the project, not from lines.
//
// Two-sided tables (T01, T04) hold both sides in one row list: income rows are keyed "income:<fund or row>",
// expenditure rows "expenditure:<row>"; `side` says which and `line` on which printed row each one sits, so
// income row n and expenditure row n share printed row n and both totals share the last printed row.
import henan2020 from '../../data/formats/henan-2020.json' with { type: 'json' };
import national from '../../data/formats/national.json' with { type: 'json' };
import type { CodeBook } from '../codelists.js';
import type { FundGroup } from '../funds.js';
import type { AmountUnit } from '../money.js';
import { formatDefinitions, parsePublicationFormat, type PublicationFormat } from './format.js';
import type { LinePredicate } from './predicates.js';
import type { PriorSource } from './prior-columns.js';
import type { AmountFormat, ReportColumn, RowKind, TableId, TableLayout } from './report.js';

/** A header cell; leaves with a `feed` are amount columns. */
export interface ColumnSpec {
  key: string;
  label: string;
  children?: ColumnSpec[];
  feed?: LinePredicate;
  /** A 上年 column: last year's figure, never lines (prior-columns.ts). */
  prior?: PriorSource;
  side?: 'income' | 'expenditure';
}

/**
 * Where a row takes its lines from: expenditure lines, the income budget (收入预算), or both as a balance
 * (结转下年 = income − spending, zero for a budget that states no income).
 */
export type RowStream = 'expenditure' | 'income' | 'balance';

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
  | { type: 'projects' }
  /** 合计, then each functional 类, 款 and 项 with its subtotal, over the department (codes 201 / 20101 / 2010101). */
  | { type: 'functional-tree' }
  /** 合计, then each department economic 类 and 款 with its subtotal, over the department (301 / 30101). */
  | { type: 'economic-tree' };

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
  /** The publication format; 河南 2020 when absent. */
  format?: PublicationFormat;
}

/**
 * Funds counted as 财政性资金 in T10. The seed cannot show which non-appropriation sources count (TABLES.md
 * fact 21); these are the budgets of government (一般公共预算, 政府性基金, 国有资本经营预算) and the
 * education fees managed in a 财政专户. Everything else (事业收入, 经营收入, 事业基金, 其他收入, 部门结转 …)
 * is 其他资金. (The format file states the same list in T10's feeds.)
 */
export const FISCAL_FUND_GROUPS: readonly FundGroup[] = ['gpb', 'gfb', 'state-capital-budget', 'edu-fees', 'edu-fees.carryover'];

/** Formats shipped with the app, by id. */
export const SHIPPED_FORMATS: ReadonlyMap<string, PublicationFormat> = new Map(
  [henan2020, national].map((json: unknown) => {
    const parsed = parsePublicationFormat(json);
    if (!parsed.ok) throw new Error(`shipped publication format is invalid: ${parsed.problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
    return [parsed.format.id, parsed.format];
  }),
);

export const DEFAULT_FORMAT_ID = 'henan-2020';

export function defaultFormat(): PublicationFormat {
  return SHIPPED_FORMATS.get(DEFAULT_FORMAT_ID)!;
}

/** T11 amount columns: the project's own figures, not sums of lines. */
export const PROJECT_AMOUNT_FIELDS = ['totalAmount', 'yearAmount', 'priorTotalAmount', 'priorYearAmount'] as const;
export type ProjectAmountField = (typeof PROJECT_AMOUNT_FIELDS)[number];

/** The definitions of a budget's tables (its format's, 河南 2020 by default), in published order. */
export function tableDefinitions(ctx: DefinitionContext): TableDefinition[] {
  return formatDefinitions(ctx.format ?? defaultFormat(), ctx);
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

function leafKeys(columns: readonly ColumnSpec[]): string[] {
  const out: string[] = [];
  const walk = (cs: readonly ColumnSpec[]) => {
    for (const c of cs) c.children?.length ? walk(c.children) : out.push(c.key);
  };
  walk(columns);
  return out;
}

export { leafKeys as definitionLeafKeys };
