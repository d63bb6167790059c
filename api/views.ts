// The shapes the API answers with, shared by the contract, the area modules that build them and the UI.
// Types only (no zod, no values), so any part of the contract may import them without an import cycle.
// Amounts are exact decimal strings in the budget's unit, never JS numbers.

export type UnitKindCode = 'administrative' | 'public-institution' | 'civil-servant-managed';
export type AmountUnitCode = '万元' | '元';
/** A table's id in the budget's publication format ("T03" in 河南 2020, "N3" in the national format). */
export type TableId = string;
/** Amount totals of the budget, exact decimal strings in the budget unit. */
export interface Totals {
  total: string;
  basic: string;
  project: string;
}

export interface AuditSummary {
  errors: number;
  warnings: number;
}

export interface BudgetInfo {
  open: boolean;
  path: string | null;
  fiscalYear: number;
  amountUnit: AmountUnitCode;
  department: { code: string; name: string };
  units: { code: string; name: string; kind: UnitKindCode; kindLabel: string }[];
  lineCount: number;
  totals: Totals;
  audit: AuditSummary;
  canUndo: boolean;
  canRedo: boolean;
}

export interface LineRow {
  id: number;
  unit: string;
  functional: string;
  economic: string;
  kind: 'basic' | 'project';
  project: string | null;
  fund: string;
  /** Exact decimal string in the budget unit. */
  amount: string;
  remark: string;
}

/** A subtotal of the line grid: by functional 类 (3 digits), 款 (5) or 项 (7). */
export interface Subtotal {
  code: string;
  level: '类' | '款' | '项';
  name: string;
  amount: string;
}

/** Names of the codes lines use, so each row carries codes only. */
export interface NameBook {
  units: Record<string, string>;
  functional: Record<string, string>;
  economic: Record<string, string>;
  projects: Record<string, string>;
  funds: Record<string, string>;
}

export interface LinesList {
  amountUnit: AmountUnitCode;
  lines: LineRow[];
  names: NameBook;
  subtotals: Subtotal[];
  totals: Totals;
}

/** One page of lines.page: the lines from `offset`, of `lineCount` in all. */
export interface LinesPage extends LinesList {
  offset: number;
  lineCount: number;
}

/**
 * What the UI needs to refresh after any mutation, and nothing more: the lines that changed or appeared,
 * the ids removed, the subtotals whose value changed (a zero subtotal with no lines left is listed in
 * removedSubtotals), names of any code newly in use, the totals, and the audit summary.
 */
export interface ChangeSet {
  changed: LineRow[];
  added: LineRow[];
  removed: number[];
  subtotals: Subtotal[];
  removedSubtotals: string[];
  names: Partial<NameBook>;
  totals: Totals;
  audit: AuditSummary;
  canUndo: boolean;
  canRedo: boolean;
  /** Tables whose cells changed (the UI refetches those it shows). */
  changedTables: TableId[];
  /**
   * The cells that changed, exact in the budget unit (rowChange when a row appeared or went). Capped: when
   * `changedCellsTruncated` is true the list is partial and the UI refetches the tables instead.
   */
  changedCells: { table: TableId; row: string; column: string; exact: string; rowChange?: 'added' | 'removed' }[];
  changedCellsTruncated?: boolean;
  /** Chinese, e.g. "已撤销：修改金额". */
  message?: string;
}

export interface PasteResult extends ChangeSet {
  addedCount: number;
  updatedCount: number;
  rejected: { row: number; reason: string }[];
}

export interface UndoResult extends ChangeSet {
  /** False when there was nothing to undo/redo. */
  done: boolean;
}

export interface CodeOption {
  code: string;
  name: string;
  level?: string;
  /** The names of its parents, top first (类 › 款 for a 项), so that entries of the same name can be told apart. */
  path?: string;
  /** A functional 项 outside 一般公共预算: the budget it belongs to (政府性基金预算, 国有资本经营预算). */
  budget?: string;
}

/** A code list loaded into the budget file (codes.import). */
export interface CodeListImportResult {
  kind: 'functional' | 'economic' | 'government-economic';
  /** 支出功能分类科目 … */
  kindLabel: string;
  year: number;
  /** Codes in the file. */
  entries: number;
  added: number;
  changed: number;
  /** Chinese summary, e.g. "已载入 2020 年支出功能分类科目（215 个科目）：新增 1 个，修改 1 个". */
  message: string;
}

export interface ProjectInfo {
  code: string;
  unit: string;
  name: string;
  category: string;
  categoryLabel: string;
  yearAmount: string;
  linesAmount: string;
}

/** A cell of a header row: spans follow the published layout. */
export interface HeaderCell {
  text: string;
  colSpan?: number;
  rowSpan?: number;
}

export interface TableCell {
  /** Exact decimal string for amounts (null for text cells and blank amounts). */
  exact: string | null;
  /** Text as printed (amounts rounded to the published format, zero blank). */
  text: string;
  /** Address of an amount cell for reports.linesBehind: its row key and column key. */
  row?: string;
  column?: string;
  /** True when clicking it can list the lines behind it. */
  drillable?: boolean;
  /** Printed bold: a total, subtotal or section cell (two-sided tables mark it per side). */
  strong?: boolean;
  colSpan?: number;
  rowSpan?: number;
}

export interface TableRow {
  /** Row key within the table (reports.linesBehind). */
  key?: string;
  cells: TableCell[];
  /** total | 类 | 款 | 项 | section | plain — used for styling. */
  kind?: string;
}

export interface TableView {
  id: TableId | string;
  /** The table a drill-down applies to (T11 sheets share 'T11'). */
  table: TableId;
  title: string;
  subtitle: string[];
  unitLabel: string;
  header: HeaderCell[][];
  rows: TableRow[];
  /** Text shown instead of rows when the table is empty (e.g. "本表为空表"). */
  emptyNote?: string;
  /** Paragraph printed under the table. */
  note?: string;
  /** Column alignment per leaf column. */
  align?: ('left' | 'right' | 'center')[];
  /** Column widths in percent (forms). */
  widths?: number[];
}

/** The publication formats of the open budget file. */
export interface FormatsInfo {
  /** Id of the budget's format. */
  current: string;
  formats: { id: string; name: string; builtin: boolean; tables: string[] }[];
}

export interface TablesReport {
  displayUnit: AmountUnitCode;
  tables: TableView[];
}

export interface Finding {
  severity: 'error' | 'warning';
  rule: string;
  /** What the rule requires (Chinese). */
  ruleDescription: string;
  message: string;
  /** Where it points; every part optional. `line` is a line id, `field` a line or project field. */
  place: { table?: string; row?: string; line?: number; project?: string; field?: string; indicator?: number };
}

export interface AuditReport {
  summary: AuditSummary;
  findings: Finding[];
}

export interface RecentBudget {
  path: string;
  name: string;
  openedAt: string;
}

export interface BackupView {
  fileName: string;
  /** ISO time the copy was taken. */
  at: string;
  /** Why it was taken: 导入前, 每日备份 … */
  reason: string;
  department: string | null;
  fiscalYear: number | null;
  lineCount: number | null;
  /** Sum of the lines, exact, in `amountUnit`. */
  total: string | null;
  amountUnit: string | null;
}

export interface BackupList {
  /** The folder beside the budget file that holds them. */
  folder: string;
  backups: BackupView[];
}

export interface ApiError {
  /** Chinese, says what is wrong. */
  message: string;
  /** Per-field problems of a refused input. */
  issues?: { path: string; message: string }[];
}
