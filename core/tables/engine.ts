// The incremental table engine.
//
// Every line feeds a fixed set of cells, decided by its attributes alone (unit, 项, 款, kind, fund, the category
// of its project, the kind of its unit) and never by its amount. The engine works that set out once per
// distinct combination of attributes (a "signature") and caches it, so adding, changing or removing a line is
// a delta applied to a few dozen cells, whatever the size of the budget.
//
// Working the set out is itself cached per table by what that table reads: its predicates name the
// attributes they read (T01 reads kind, economic 类, fund and project category, not unit or 项), so T01's
// cells for a line are found once per combination of those four. Generated-row tables cache their column
// mask the same way and their rows by (unit, 项) or (款, government 款). Building from N lines sums the
// lines per signature first and, for fixed-row tables, per table key, so most cells get one addition per
// distinct combination rather than one per line.
//
// Generated rows (a unit, a 项, an economic 款 …) carry a count of the lines booked on them. A row exists while
// its count is above zero, whatever its amounts add up to: a line of amount 0 (say, just typed in and not yet
// given an amount) shows the row it is booked on, so the user sees where it went, and the published tables do
// not decide this for us because they never hold a zero line. The 合计 row of a generated table follows the
// same rule, which is why T09 of the seed (no 政府性基金 lines) prints no 合计 row. Fixed rows always exist.
import type { CodeBook } from '../codelists.js';
import { fundGroup, type FundCode } from '../funds.js';
import type { Fen } from '../money.js';
import type { Budget, BudgetLine, DepartmentPerformance, IncomeLine, PriorYear, Project, ProjectCategory, Unit, UnitKind } from '../model.js';
import {
  DEFAULT_FORMAT_ID,
  PROJECT_AMOUNT_FIELDS,
  SHIPPED_FORMATS,
  definitionLeafKeys,
  tableDefinitions,
  toReportColumns,
  type FixedRowSpec,
  type RowStream,
  type TableDefinition,
} from './definitions.js';
import type { PublicationFormat } from './format.js';
import { ATTRIBUTE_VALUE, compilePredicate, predicateAttributes, type CompiledPredicate, type LineFacts } from './predicates.js';
import { priorFigure, type PriorSource } from './prior-columns.js';
import type { ReportRow, ReportTable, TableId } from './report.js';
import { qualifiedItemNames } from './years.js';

/** One cell whose value changed; every cell of a row that appeared or disappeared is listed with rowChange. */
export interface ChangedCell {
  table: TableId;
  row: string;
  column: string;
  value: Fen;
  rowChange?: 'added' | 'removed';
}

export interface LineChange {
  before: BudgetLine | null;
  after: BudgetLine | null;
}

export interface IncomeChange {
  before: IncomeLine | null;
  after: IncomeLine | null;
}

/** A row as reported, without its cells. */
interface RowMeta extends Omit<ReportRow, 'cells'> {
  /** Indices of the leaf columns this row has; null for every column of its table. */
  columns: readonly number[] | null;
  /** Order of generated rows. */
  sortKey: string;
}

/**
 * A row and its cells. A generated row is created (with count 0) the first time a line could feed it and then
 * kept: it is printed while its count is above zero, and when the count is zero its cells are exactly zero,
 * because every amount added with a line was taken out with it.
 */
interface RowState {
  table: TableState;
  meta: RowMeta;
  count: number;
  cells: Fen[];
  /** Fixed rows are printed whatever their count. */
  fixed: boolean;
  /** The row as reported, built on first read and kept current by `refreshReport` (see `sharedTable`). */
  report: ReportRow | null;
}

interface CompiledFixedRow {
  meta: RowMeta;
  stream: RowStream;
  feed: CompiledPredicate;
  columnSet: ReadonlySet<number>;
}

interface TableState {
  def: TableDefinition;
  leafKeys: string[];
  leafIndex: Map<string, number>;
  allColumns: readonly number[];
  columnFeeds: CompiledPredicate[];
  filter: CompiledPredicate;
  fixedRows: CompiledFixedRow[];
  rows: Map<string, RowState>;
  /** Generated rows in print order; null when a row appeared or disappeared since it was last sorted. */
  order: RowState[] | null;
  /**
   * Readers of the line attributes that decide which columns a line feeds (and, for a fixed-row table, which
   * rows): those its predicates read. Lines that agree on them feed the same cells, so what they feed is
   * worked out once per combination and cached.
   */
  keyReaders: ((f: LineFacts) => string)[];
  /** Fixed-row tables: the cells a line feeds, by key. */
  contributionCache: Map<string, Contribution[]>;
  /** Generated-row tables: the columns a line feeds (null: the table does not count it), by key. */
  maskCache: Map<string, readonly number[] | null>;
  /** Generated-row tables: 合计, the unit or 类 row and the 项 or 款 row of a line, by its row key. */
  rowsCache: Map<string, readonly RowState[]>;
  /** Row metadata of generated rows, shared by tables with the same row generator. */
  metaCache: Map<string, RowMeta>;
  /** Rows whose cells changed since their report was last brought up to date. */
  stale: Set<RowState>;
  /** The reported rows in print order, shared between reads until a row appears, disappears or is rebuilt. */
  sharedRows: ReportRow[] | null;
  /** 上年 columns (a format's `prior`): leaf index and source. Lines never feed them; reports print last year's figure. */
  priorColumns: { index: number; source: PriorSource }[];
  /** Last year's figures, for the 上年 columns. */
  prior: PriorYear | null;
  /** Stamp of the table's last change (cells, rows, projects, texts): see `TableEngine.tableVersion`. */
  version: number;
}

/**
 * Change stamps, increasing over every engine of the process: a table's stamp is new whenever anything it
 * prints may have changed, so a reader can keep what it built from a table (the screen's laid-out table) until
 * the stamp moves. One counter for all engines, so a stamp is never reused by a rebuilt or another engine.
 */
let clock = 0;
function stamp(): number {
  return ++clock;
}

/** An amount a line adds to the given columns of each of the given rows. */
interface Contribution {
  rows: readonly RowState[];
  columns: readonly number[];
  /** A 结转下年 row (stream 'balance') takes spending away from income. */
  negate?: true;
}

interface Touched {
  /** Cells before the change, or null when the row was not printed. */
  before: Fen[] | null;
  columns: readonly number[];
}

interface CodeTotal {
  amount: Fen;
  count: number;
}

const SEP = '\u0001';

/** Row generators whose rows (and their metadata) are the same in every table that uses them. */
function rowFamily(def: TableDefinition): string {
  const r = def.rows;
  return r.type === 'economic' ? `economic${SEP}${r.codeStyle}${SEP}${r.totalLabelColumn}` : r.type;
}

export class TableEngine {
  private readonly budget: Budget;
  private readonly book: CodeBook;
  private readonly units: Map<string, Unit>;
  private readonly lines = new Map<number, BudgetLine>();
  private readonly projects = new Map<string, Project>();
  /**
   * Each project's lines, kept line by line: their ids and their sum (the per-project total the wizard, the
   * project list and the lines behind a T11 figure read). Codes no project has are kept too.
   */
  private readonly projectLines = new Map<string, { ids: Set<number>; amount: Fen }>();
  private income: IncomeLine[];
  private performance: DepartmentPerformance | null;
  /** Last year's figures, printed in the columns a format fills from them (`prior`). */
  private priorYear: PriorYear | null;
  private readonly definitions: TableDefinition[];
  private states: TableState[] = [];
  /** The tables lines feed (all but T11). */
  private lineStates: TableState[] = [];
  private byId = new Map<TableId, TableState>();
  /** Cells of a line by its full signature. Filled as lines are edited. */
  private signatures = new Map<string, Contribution[]>();
  /** Functional subtotals by unit ('' = every unit), by code (类, 款, 项 and '' for the grand total). */
  private subtotals = new Map<string, Map<string, CodeTotal>>();
  private touched: Map<RowState, Touched> | null = null;
  private readonly qualifiedNames: ReadonlySet<string>;
  /** Sum of the lines by kind (基本支出 / 项目支出), whatever the format prints. */
  private readonly kindTotals = new Map<string, Fen>();
  /** The budget's format is 河南 2020, the tables the 预算说明 and the 审核's table rules read. */
  private readonly defaultFormat: boolean;
  /**
   * Under another format: the same budget's 河南 2020 tables, made on first ask (referenceTables) and kept in
   * step with every change from then on.
   */
  private reference: TableEngine | null = null;
  /** Cells of the 河南 2020 tables (those of ids the format lacks) changed since takeReferenceChanges. */
  private referenceChanges: ChangedCell[] = [];
  /** Someone reads the 河南 2020 tables edit by edit (sharedAuditTables): keep their changed cells. */
  private referenceChangesWanted = false;

  private readonly sharedLines: boolean;

  /**
   * `format`: the publication format whose tables to compute (河南 2020 when absent). `sharedLines`: the caller
   * never changes a line object it has given (it gives a new object for a changed line), so the engine keeps
   * the objects themselves rather than copies (one set of lines in memory instead of two).
   */
  constructor(budget: Budget, book: CodeBook, format?: PublicationFormat, options: { sharedLines?: boolean } = {}) {
    this.sharedLines = options.sharedLines === true;
    this.defaultFormat = format === undefined || format === SHIPPED_FORMATS.get(DEFAULT_FORMAT_ID);
    this.budget = budget;
    this.book = book;
    this.units = new Map(budget.units.map((u) => [u.code, { ...u }]));
    for (const p of budget.projects) this.projects.set(p.code, { ...p });
    this.income = budget.income.map((i) => ({ ...i }));
    this.performance = budget.departmentPerformance;
    this.priorYear = budget.priorYear;
    this.qualifiedNames = new Set(qualifiedItemNames(budget.fiscalYear));
    this.definitions = tableDefinitions({
      year: budget.fiscalYear,
      amountUnit: budget.amountUnit,
      departmentName: budget.department.name,
      book,
      ...(format ? { format } : {}),
    });
    // Copies: the caller may edit its objects in place, and the engine must still know the old version.
    for (const original of budget.lines) {
      const line = this.sharedLines ? original : { ...original };
      if (this.lines.has(line.id)) throw new Error(`duplicate budget line id ${line.id}`);
      this.lines.set(line.id, line);
      this.indexProjectLine(line, +1);
    }
    this.build();
  }

  // --- public API ------------------------------------------------------------------------------------------

  /** Applies one added (before null), changed or removed (after null) line; returns the cells that changed. */
  apply(change: LineChange): ChangedCell[] {
    const out = this.tracked(() => this.applyLine(change));
    if (this.reference) this.keepReferenceChanges(this.reference.apply(change));
    return out;
  }

  /** Applies many changes at once (paste, import of a block); the result lists each changed cell once. */
  applyAll(changes: Iterable<LineChange>): ChangedCell[] {
    const list = this.reference ? [...changes] : changes;
    const out = this.tracked(() => {
      for (const change of list) this.applyLine(change);
    });
    if (this.reference) this.keepReferenceChanges(this.reference.applyAll(list));
    return out;
  }

  /**
   * Adds or replaces a project. A changed category moves the project's lines between 一般性项目 and 专项资金;
   * T11 shows the project's own amounts.
   */
  updateProject(project: Project): ChangedCell[] {
    this.reference?.updateProject(project);
    return this.tracked(() => {
      const previous = this.projects.get(project.code);
      const moved = !previous || previous.category !== project.category;
      const ids = moved ? [...(this.projectLines.get(project.code)?.ids ?? [])] : [];
      for (const id of ids) this.addLine(this.lines.get(id)!, -1n);
      this.projects.set(project.code, { ...project });
      for (const id of ids) this.addLine(this.lines.get(id)!, 1n);
      this.setProjectRow(project);
    });
  }

  /** Removes a project; its lines (if any are left) then belong to no category. */
  removeProject(code: string): ChangedCell[] {
    if (!this.projects.has(code)) return [];
    this.reference?.removeProject(code);
    return this.tracked(() => {
      const ids = [...(this.projectLines.get(code)?.ids ?? [])];
      for (const id of ids) this.addLine(this.lines.get(id)!, -1n);
      this.projects.delete(code);
      for (const id of ids) this.addLine(this.lines.get(id)!, 1n);
      const t11 = this.byId.get('T11');
      const row = t11?.rows.get(code);
      if (t11 && row) {
        this.touch(row);
        row.count = 0;
        t11.rows.delete(code);
        t11.sharedRows = null;
        t11.version = stamp();
      }
    });
  }

  /**
   * Adds, changes or removes one income line (收入预算, by unit and fund). A budget without income lines has
   * income equal to expenditure per fund; the first income line switches T01/T04's income side over to the
   * stated income, and removing the last switches it back (a rebuild, reported cell by cell).
   */
  applyIncome(change: IncomeChange): ChangedCell[] {
    const next = [...this.income];
    const reference = this.reference;
    if (change.before) {
      const b = change.before;
      const i = next.findIndex((x) => x.unit === b.unit && x.fund === b.fund && x.amount === b.amount);
      if (i < 0) throw new Error(`income line ${b.unit} ${b.fund} is not in the tables`);
      next.splice(i, 1);
    }
    if (change.after) next.push({ ...change.after });
    const switching = (this.income.length === 0) !== (next.length === 0);
    let out: ChangedCell[];
    if (switching) {
      this.income = next;
      out = this.rebuildAndDiff();
    } else {
      out = this.tracked(() => {
        if (change.after) this.addIncome(change.after, 1n);
        if (change.before) this.addIncome(change.before, -1n);
        this.income = next;
      });
    }
    reference?.applyIncome(change);
    return out;
  }

  /** Replaces the units (a unit added, renamed, or its kind changed); rebuilds and reports what changed. */
  setUnits(units: Unit[]): ChangedCell[] {
    this.units.clear();
    for (const u of units) this.units.set(u.code, { ...u });
    this.reference?.setUnits(units);
    return this.rebuildAndDiff();
  }

  /** Last year's figures (typed in the app or taken from last year's file). */
  setPriorYear(priorYear: PriorYear | null): void {
    this.priorYear = priorYear;
    this.reference?.setPriorYear(priorYear);
    for (const state of this.states) {
      if (state.priorColumns.length === 0) continue;
      state.prior = priorYear;
      for (const row of state.rows.values()) refreshReport(row);
      state.version = stamp();
    }
  }

  /** T10's texts (履职目标, 任务, 指标). Its budget block comes from the lines. */
  setDepartmentPerformance(performance: DepartmentPerformance | null): void {
    this.performance = performance;
    this.reference?.setDepartmentPerformance(performance);
    for (const s of this.states) if (s.def.layout === 'form') s.version = stamp();
  }

  /**
   * The stamp of a table's last change: a new number whenever a cell, a row, a project's texts or the
   * department's performance texts of that table changed (numbers only grow, across engines too).
   */
  tableVersion(id: TableId): number {
    const state = this.byId.get(id);
    if (!state) throw new Error(`unknown table ${id}`);
    return state.version;
  }

  /** Every table, T01–T11. */
  tables(): ReportTable[] {
    return this.states.map((s) => this.snapshot(s));
  }

  table(id: TableId): ReportTable {
    const state = this.byId.get(id);
    if (!state) throw new Error(`unknown table ${id}`);
    return this.snapshot(state);
  }

  /**
   * One table as reported, without copying: its rows are the engine's own report rows, brought up to date
   * (only the rows that changed since the last read are rewritten) and shared with every later read. For
   * readers that look and let go (the screen's view of one table, 审核): do not change what it returns, and
   * do not keep it across a change of the budget.
   */
  sharedTable(id: TableId): ReportTable {
    const state = this.byId.get(id);
    if (!state) throw new Error(`unknown table ${id}`);
    return this.snapshot(state, true);
  }

  /** Every table as `sharedTable` gives it. */
  sharedTables(): ReportTable[] {
    return this.states.map((s) => this.snapshot(s, true));
  }

  /** The value of one cell (0 for an absent row or cell). */
  cell(id: TableId, rowKey: string, columnKey: string): Fen {
    const state = this.byId.get(id);
    const row = state?.rows.get(rowKey);
    const index = state?.leafIndex.get(columnKey);
    if (!row || index === undefined) return 0n;
    const prior = state!.priorColumns.find((c) => c.index === index);
    if (prior) return priorFigure(state!.prior, prior.source, row.meta.code) ?? 0n;
    return row.cells[index] ?? 0n;
  }

  /**
   * Live subtotals for the line grid: by functional 类 (3 digits), 款 (5) and 项 (7), over every unit or over
   * one. Only codes that have lines are present.
   */
  functionalSubtotals(unit?: string): Map<string, Fen> {
    const map = this.subtotals.get(unit ?? '');
    const out = new Map<string, Fen>();
    if (!map) return out;
    for (const [code, t] of map) if (code !== '' && t.count > 0) out.set(code, t.amount);
    return out;
  }

  /** The live subtotal of one functional 类, 款 or 项 over every unit; undefined when no line is booked on it. */
  functionalSubtotal(code: string): Fen | undefined {
    const t = this.subtotals.get('')?.get(code);
    return t && t.count > 0 ? t.amount : undefined;
  }

  /** Sum of every line (of one unit). */
  grandTotal(unit?: string): Fen {
    return this.subtotals.get(unit ?? '')?.get('')?.amount ?? 0n;
  }

  /** Sum of the 基本支出 or the 项目支出 lines, in any format (河南 2020's T03 合计 row prints both). */
  kindTotal(kind: 'basic' | 'project'): Fen {
    return this.kindTotals.get(kind) ?? 0n;
  }

  /**
   * The same budget's tables in 河南 2020, the format the 预算说明's sentences and the 审核's table rules are
   * written for; null when the budget's own format is 河南 2020 (then they are `tables()`). Under another format
   * the first call makes them (one build) and every later change of this engine keeps them current.
   */
  referenceTables(): ReportTable[] | null {
    return this.referenceEngine()?.tables() ?? null;
  }

  /** `referenceTables` as `sharedTables` gives them (for readers that look and let go: the 审核, the 预算说明). */
  sharedReferenceTables(): ReportTable[] | null {
    return this.referenceEngine()?.sharedTables() ?? null;
  }

  private referenceEngine(): TableEngine | null {
    if (this.defaultFormat) return null;
    this.reference ??= new TableEngine(this.currentBudget(), this.book, undefined, { sharedLines: this.sharedLines });
    return this.reference;
  }

  /**
   * The tables a whole 审核 reads: the budget's format's, and under another format than 河南 2020 also 河南
   * 2020's tables of other ids, so the table rules written for those (and the 预算说明's figures) apply to every
   * budget, whatever it prints in.
   */
  auditTables(): ReportTable[] {
    const own = this.tables();
    const reference = this.referenceTables();
    if (!reference) return own;
    const ids = new Set(own.map((t) => t.id));
    return [...own, ...reference.filter((t) => !ids.has(t.id))];
  }

  /**
   * `auditTables` as `sharedTables` gives them, for a 审核 kept edit by edit: from the first call on, the cells
   * of the 河南 2020 tables among them that a line change moves are kept for `takeReferenceChanges`.
   */
  sharedAuditTables(): ReportTable[] {
    const own = this.sharedTables();
    const reference = this.referenceEngine();
    if (!reference) return own;
    this.referenceChangesWanted = true;
    return [...own, ...reference.sharedTables().filter((t) => !this.byId.has(t.id))];
  }

  /** The changed cells of the 河南 2020 tables of `sharedAuditTables` since the last call (line changes only). */
  takeReferenceChanges(): ChangedCell[] {
    const out = this.referenceChanges;
    this.referenceChanges = [];
    return out;
  }

  private keepReferenceChanges(cells: readonly ChangedCell[]): void {
    if (!this.referenceChangesWanted) return;
    for (const c of cells) if (!this.byId.has(c.table)) this.referenceChanges.push(c);
  }

  /** The budget as the engine holds it now (lines, units, projects, income, texts). */
  private currentBudget(): Budget {
    return {
      ...this.budget,
      units: [...this.units.values()].map((u) => ({ ...u })),
      lines: [...this.lines.values()],
      projects: [...this.projects.values()].map((p) => ({ ...p })),
      income: this.income.map((i) => ({ ...i })),
      departmentPerformance: this.performance,
      priorYear: this.priorYear,
    };
  }

  /** Sum of each project's lines, by project code (kept line by line; codes no project has included). */
  projectLineTotals(): Map<string, Fen> {
    const out = new Map<string, Fen>();
    for (const [code, kept] of this.projectLines) out.set(code, kept.amount);
    return out;
  }

  /** How many lines a project has and their sum (kept line by line; zero for a project without lines). */
  projectLineSum(code: string): { count: number; amount: Fen } {
    const kept = this.projectLines.get(code);
    return kept ? { count: kept.ids.size, amount: kept.amount } : { count: 0, amount: 0n };
  }

  /**
   * "Click a figure → the lines behind it": a test that tells whether a line feeds the cell. For T11 a row is
   * a project and every column is behind its lines. Income rows stated by income lines have no lines behind.
   */
  lineFilter(id: TableId, rowKey: string, columnKey: string): (line: BudgetLine) => boolean {
    const state = this.byId.get(id);
    if (!state) throw new Error(`unknown table ${id}`);
    if (state.def.rows.type === 'projects') return (line) => line.kind === 'project' && line.project === rowKey;
    const index = state.leafIndex.get(columnKey);
    if (index === undefined) return () => false;
    return (line) =>
      this.tableContributions(state, this.expenditureFacts(line), 'expenditure').some((c) => c.columns.includes(index) && c.rows.some((r) => r.meta.key === rowKey));
  }

  /** Ids of the lines behind one cell, in id order. */
  linesBehind(id: TableId, rowKey: string, columnKey: string): number[] {
    const test = this.lineFilter(id, rowKey, columnKey);
    const out: number[] = [];
    for (const line of this.lines.values()) if (test(line)) out.push(line.id);
    return out.sort((a, b) => a - b);
  }

  /**
   * The lines behind one cell and what they add up to, from the engine's own figures: the cell itself where
   * the lines make it (every cell but those below); a projects table's (T11) row shows the project's own
   * amounts, so its lines add up to the project's kept line total. A 结转下年 row (income − spending) is the
   * one cell its lines make only in part: they take away from it, and their total is what they take away.
   * Cells no line feeds (income stated by the income budget, 上年 columns) have no lines and a total of zero.
   */
  figureLines(id: TableId, rowKey: string, columnKey: string): { lines: number[]; total: Fen } {
    const state = this.byId.get(id);
    if (!state) throw new Error(`unknown table ${id}`);
    const lines = this.linesBehind(id, rowKey, columnKey);
    if (lines.length === 0) return { lines, total: 0n };
    if (state.def.rows.type === 'projects') return { lines, total: this.projectLineSum(rowKey).amount };
    const balance = state.fixedRows.find((r) => r.meta.key === rowKey)?.stream === 'balance';
    if (!balance) return { lines, total: this.cell(id, rowKey, columnKey) };
    let total = 0n;
    for (const lineId of lines) total += this.lines.get(lineId)!.amount;
    return { lines, total };
  }

  /** The lines as the engine holds them now. */
  currentLines(): BudgetLine[] {
    return [...this.lines.values()];
  }

  // --- building --------------------------------------------------------------------------------------------

  private build(): void {
    const metaCaches = new Map<string, Map<string, RowMeta>>();
    this.states = this.definitions.map((def) => {
      const family = rowFamily(def);
      let metaCache = metaCaches.get(family);
      if (!metaCache) {
        metaCache = new Map();
        metaCaches.set(family, metaCache);
      }
      return this.compileTable(def, metaCache);
    });
    this.lineStates = this.states.filter((s) => s.def.rows.type !== 'projects');
    this.byId = new Map(this.states.map((s) => [s.def.id, s]));
    this.signatures.clear();
    this.subtotals.clear();
    this.kindTotals.clear();
    // Lines that agree on every attribute feed the same cells: sum them first. Then, per fixed-row table, sum
    // again over what that table reads (T01 reads kind, 类, fund and category only), so each of its cells
    // receives one addition per distinct combination rather than one per line.
    const groups = new Map<string, { sample: BudgetLine; amount: Fen; count: number }>();
    for (const line of this.lines.values()) {
      const sig = this.signatureOf(line);
      const g = groups.get(sig);
      if (g) {
        g.amount += line.amount;
        g.count += 1;
      } else groups.set(sig, { sample: line, amount: line.amount, count: 1 });
    }
    const fixedStates = this.lineStates.filter((st) => st.def.rows.type === 'fixed');
    const generatedStates = this.lineStates.filter((st) => st.def.rows.type !== 'fixed');
    const fixedSums = fixedStates.map(() => new Map<string, { list: Contribution[]; amount: Fen; count: number }>());
    const bySection = new Map<string, { line: BudgetLine; amount: Fen; count: number }>();
    for (const g of groups.values()) {
      this.kindTotals.set(g.sample.kind, (this.kindTotals.get(g.sample.kind) ?? 0n) + g.amount);
      const facts = this.expenditureFacts(g.sample);
      fixedStates.forEach((state, i) => {
        const key = tableKey(state, facts, 'expenditure');
        const sums = fixedSums[i]!;
        const sum = sums.get(key);
        if (sum) {
          sum.amount += g.amount;
          sum.count += g.count;
        } else sums.set(key, { list: this.fixedContributions(state, key, facts, 'expenditure'), amount: g.amount, count: g.count });
      });
      const rowKeys = rowKeysOf(facts);
      for (const state of generatedStates) {
        const c = this.generatedContribution(state, facts, rowKeys);
        if (c) applyContribution(c, g.amount, g.count, null);
      }
      const subtotalKey = g.sample.unit + SEP + g.sample.functional;
      const sub = bySection.get(subtotalKey);
      if (sub) {
        sub.amount += g.amount;
        sub.count += g.count;
      } else bySection.set(subtotalKey, { line: g.sample, amount: g.amount, count: g.count });
    }
    for (const sums of fixedSums) for (const sum of sums.values()) for (const c of sum.list) applyContribution(c, sum.amount, sum.count, null);
    for (const sub of bySection.values()) this.addSubtotals(sub.line, sub.amount, sub.count);
    for (const inc of this.income) this.addIncome(inc, 1n);
    for (const p of this.projects.values()) this.setProjectRow(p);
  }

  private rebuildAndDiff(): ChangedCell[] {
    const before = this.cellsByRow();
    this.build();
    const after = this.cellsByRow();
    const out: ChangedCell[] = [];
    for (const [k, b] of before) {
      const a = after.get(k);
      if (!a) {
        for (const [column] of b.cells) out.push({ table: b.table, row: b.row, column, value: 0n, rowChange: 'removed' });
        continue;
      }
      for (const [column, value] of a.cells) if (b.cells.get(column) !== value) out.push({ table: a.table, row: a.row, column, value });
    }
    for (const [k, a] of after) {
      if (before.has(k)) continue;
      for (const [column, value] of a.cells) out.push({ table: a.table, row: a.row, column, value, rowChange: 'added' });
    }
    return out;
  }

  private cellsByRow(): Map<string, { table: TableId; row: string; cells: Map<string, Fen> }> {
    const out = new Map<string, { table: TableId; row: string; cells: Map<string, Fen> }>();
    for (const s of this.states) {
      for (const [key, row] of s.rows) {
        if (!isPrinted(row)) continue;
        const cells = new Map<string, Fen>();
        for (const i of columnsOf(row)) cells.set(s.leafKeys[i]!, row.cells[i]!);
        out.set(s.def.id + SEP + key, { table: s.def.id, row: key, cells });
      }
    }
    return out;
  }

  private compileTable(def: TableDefinition, metaCache: Map<string, RowMeta>): TableState {
    const leafKeys = definitionLeafKeys(def.columns);
    const leafIndex = new Map(leafKeys.map((k, i) => [k, i]));
    const columnFeeds: CompiledPredicate[] = [];
    const priorColumns: TableState['priorColumns'] = [];
    const attributes = predicateAttributes(def.filter);
    const walk = (cs: TableDefinition['columns']) => {
      for (const c of cs) {
        if (c.children?.length) walk(c.children);
        else {
          if (c.prior) priorColumns.push({ index: columnFeeds.length, source: c.prior });
          columnFeeds.push(c.feed && !c.prior ? compilePredicate(c.feed) : () => false);
          if (c.feed) predicateAttributes(c.feed, attributes);
        }
      }
    };
    walk(def.columns);
    if (def.rows.type === 'fixed') def.rows.rows.forEach((r) => predicateAttributes(r.feed, attributes));
    const allColumns = leafKeys.map((_, i) => i);
    const state: TableState = {
      def,
      leafKeys,
      leafIndex,
      allColumns,
      columnFeeds,
      filter: compilePredicate(def.filter),
      fixedRows: [],
      rows: new Map(),
      order: null,
      keyReaders: [...attributes].sort().map((a) => ATTRIBUTE_VALUE[a]),
      contributionCache: new Map(),
      maskCache: new Map(),
      rowsCache: new Map(),
      metaCache,
      stale: new Set(),
      sharedRows: null,
      priorColumns,
      prior: priorColumns.length > 0 ? this.priorYear : null,
      version: stamp(),
    };
    if (def.rows.type === 'fixed') {
      def.rows.rows.forEach((spec, order) => {
        const columns = spec.columns ? spec.columns.map((k) => leafIndex.get(k)).filter((i): i is number => i !== undefined) : allColumns;
        const meta = fixedMeta(spec, columns, order);
        state.fixedRows.push({ meta, stream: spec.stream ?? 'expenditure', feed: compilePredicate(spec.feed), columnSet: new Set(columns) });
        state.rows.set(spec.key, { table: state, meta, count: 0, cells: leafKeys.map(() => 0n), fixed: true, report: null });
      });
    }
    return state;
  }

  // --- line attributes and their cells ---------------------------------------------------------------------

  private categoryOf(line: BudgetLine): ProjectCategory | null {
    if (line.kind !== 'project' || line.project === null) return null;
    return this.projects.get(line.project)?.category ?? null;
  }

  private signatureOf(line: BudgetLine): string {
    return line.unit + SEP + line.functional + SEP + line.economic + SEP + line.kind + SEP + line.fund + SEP + (this.categoryOf(line) ?? '');
  }

  private expenditureFacts(line: BudgetLine): LineFacts {
    const unitKind: UnitKind | null = this.units.get(line.unit)?.kind ?? null;
    return {
      unit: line.unit,
      functional: line.functional,
      economic: line.economic,
      kind: line.kind,
      fund: line.fund,
      fundGroup: fundGroupOrSelf(line.fund),
      category: this.categoryOf(line),
      unitKind,
      government: unitKind ? this.book.mapping.government(line.economic, unitKind) : null,
    };
  }

  private contributionsOf(line: BudgetLine): Contribution[] {
    return this.contributionsFor(this.signatureOf(line), () => this.expenditureFacts(line));
  }

  private contributionsFor(sig: string, facts: () => LineFacts, stream: RowStream = 'expenditure'): Contribution[] {
    let list = this.signatures.get(sig);
    if (!list) {
      const f = facts();
      list = [];
      for (const state of this.lineStates) for (const c of this.tableContributions(state, f, stream)) list.push(c);
      this.signatures.set(sig, list);
    }
    return list;
  }

  /** The cells of one table a line (or an income line) feeds. */
  private tableContributions(state: TableState, facts: LineFacts, stream: RowStream): readonly Contribution[] {
    if (state.def.rows.type === 'fixed') return this.fixedContributions(state, tableKey(state, facts, stream), facts, stream);
    if (stream === 'income') return [];
    const c = this.generatedContribution(state, facts, rowKeysOf(facts));
    return c ? [c] : [];
  }

  private fixedContributions(state: TableState, key: string, facts: LineFacts, stream: RowStream): Contribution[] {
    let list = state.contributionCache.get(key);
    if (list) return list;
    list = [];
    // Income stated by income lines replaces the income side; otherwise expenditure lines feed it too.
    const incomeFromLines = stream === 'income' || this.income.length === 0;
    if (state.filter(facts)) {
      const mask = columnMask(state, facts);
      for (const row of state.fixedRows) {
        if (row.stream === 'balance') {
          // 结转下年 = income − spending; without an income budget income is the spending: nothing is left.
          if (this.income.length === 0) continue;
        } else if (row.stream === 'income' ? !incomeFromLines : stream === 'income') continue;
        if (!row.feed(facts)) continue;
        const columns = mask.filter((i) => row.columnSet.has(i));
        if (columns.length === 0) continue;
        const c: Contribution = { rows: [state.rows.get(row.meta.key)!], columns };
        if (row.stream === 'balance' && stream === 'expenditure') c.negate = true;
        list.push(c);
      }
    }
    state.contributionCache.set(key, list);
    return list;
  }

  /** 合计, group row and item row of a generated table with the columns the line feeds; null when not counted. */
  private generatedContribution(state: TableState, facts: LineFacts, rowKeys: RowKeys): Contribution | null {
    const maskKey = tableKey(state, facts, 'expenditure');
    let mask = state.maskCache.get(maskKey);
    if (mask === undefined) {
      mask = state.filter(facts) ? columnMask(state, facts) : null;
      state.maskCache.set(maskKey, mask);
    }
    if (mask === null) return null;
    const rowsSpec = state.def.rows;
    const rowKey = rowsSpec.type === 'unit-functional' || rowsSpec.type === 'functional-tree' ? rowKeys.functional : rowKeys.economic;
    let rows = state.rowsCache.get(rowKey);
    if (!rows) {
      const metas =
        rowsSpec.type === 'economic'
          ? this.economicRows(state, facts, rowsSpec.codeStyle, rowsSpec.totalLabelColumn)
          : rowsSpec.type === 'functional-tree' || rowsSpec.type === 'economic-tree'
            ? this.codeTreeRows(state, rowsSpec.type === 'functional-tree' ? (facts.functional ?? '') : (facts.economic ?? ''), rowsSpec.type)
            : this.functionalRows(state, facts);
      rows = metas.map((meta) => {
        let row = state.rows.get(meta.key);
        if (!row) {
          row = { table: state, meta, count: 0, cells: state.leafKeys.map(() => 0n), fixed: false, report: null };
          state.rows.set(meta.key, row);
        }
        return row;
      });
      state.rowsCache.set(rowKey, rows);
    }
    return { rows, columns: mask };
  }

  private cachedMeta(state: TableState, key: string, make: () => Omit<RowMeta, 'key' | 'columns'>): RowMeta {
    let meta = state.metaCache.get(key);
    if (!meta) {
      meta = { key, columns: null, ...make() };
      state.metaCache.set(key, meta);
    }
    return meta;
  }

  /** 合计, the unit, the unit × 项 (T02, T03, T05, T09). */
  private functionalRows(state: TableState, f: LineFacts): RowMeta[] {
    const unit = f.unit;
    const functional = f.functional ?? '';
    const total = this.cachedMeta(state, 'total', () => ({ label: '合计', level: 0, kind: 'total', labels: { name: '合计' }, sortKey: '0' }));
    const unitRow = this.cachedMeta(state, `unit:${unit}`, () => {
      const name = this.units.get(unit)?.name ?? unit;
      return { code: unit, label: name, level: 1, kind: 'unit', unit, labels: { name }, sortKey: `1${SEP}${unit}` };
    });
    const item = this.cachedMeta(state, `item:${unit}:${functional}`, () => {
      const label = this.itemLabel(functional);
      return {
        code: functional,
        label,
        level: 2,
        kind: 'item',
        unit,
        labels: {
          functionalClass: functional.slice(0, 3),
          functionalSection: functional.slice(3, 5),
          functionalItem: functional.slice(5, 7),
          unitCode: this.printedUnitCode(unit),
          name: label,
        },
        sortKey: `1${SEP}${unit}${SEP}${functional}`,
      };
    });
    return [total, unitRow, item];
  }

  /** 合计, the economic 类, the 款 beside its government 款 (T06, T07). */
  private economicRows(state: TableState, f: LineFacts, codeStyle: 'full' | 'short', totalLabelColumn: string): RowMeta[] {
    const economic = f.economic ?? '';
    const cls = economic.slice(0, 3);
    const government = f.government ?? '';
    const total = this.cachedMeta(state, 'total', () => ({ label: '合计', level: 0, kind: 'total', labels: { [totalLabelColumn]: '合计' }, sortKey: '0' }));
    const classRow = this.cachedMeta(state, `class:${cls}`, () => {
      const name = this.book.economic.name(cls);
      return { code: cls, label: name, level: 1, kind: 'class', labels: { economicClass: cls, economicName: name }, sortKey: `1${SEP}${cls}` };
    });
    const item = this.cachedMeta(state, `item:${economic}>${government}`, () => {
      const name = this.book.economic.name(economic);
      const govName = government ? this.book.government.name(government) : '';
      const short = (code: string) => (codeStyle === 'short' ? code.slice(3) : code);
      const meta: Omit<RowMeta, 'key' | 'columns'> = {
        code: economic,
        label: name,
        level: 2,
        kind: 'item',
        labels: {
          economicClass: cls,
          economicItem: short(economic),
          economicName: name,
          governmentClass: government.slice(0, 3),
          governmentItem: government ? short(government) : '',
          governmentName: govName,
        },
        sortKey: `1${SEP}${cls}${SEP}${economic}${SEP}${government}`,
      };
      if (government) meta.government = { classCode: government.slice(0, 3), code: government, name: govName };
      return meta;
    });
    return [total, classRow, item];
  }

  /**
   * 合计 and the code's ancestors down to the code itself, over the department: 类 / 款 / 项 (201, 20101, 2010101)
   * or economic 类 / 款 (301, 30101). Codes sort as text, so each row follows its parent.
   */
  private codeTreeRows(state: TableState, code: string, type: 'functional-tree' | 'economic-tree'): RowMeta[] {
    const list = type === 'functional-tree' ? this.book.functional : this.book.economic;
    const total = this.cachedMeta(state, 'total', () => ({ label: '合计', level: 0, kind: 'total', labels: { name: '合计' }, sortKey: '0' }));
    const lengths = type === 'functional-tree' ? [3, 5, 7] : [3, 5];
    const kinds: RowMeta['kind'][] = type === 'functional-tree' ? ['class', 'subtotal', 'item'] : ['class', 'item'];
    const out = [total];
    lengths.forEach((n, i) => {
      if (code.length < n) return;
      const c = code.slice(0, n);
      out.push(
        this.cachedMeta(state, `code:${c}`, () => {
          const name = list.name(c) ?? c;
          return { code: c, label: name, level: i + 1, kind: kinds[i]!, labels: { code: c, name }, sortKey: `1${SEP}${c}` };
        }),
      );
    });
    return out;
  }

  /** A generic 项 name (事业运行, 行政运行 …) is printed with its 款: "事业运行（政府办公厅（室）及相关机构事务）". */
  private itemLabel(functional: string): string {
    const name = this.book.functional.name(functional);
    if (!name) return functional;
    if (!this.qualifiedNames.has(name)) return name;
    const section = this.book.functional.name(functional.slice(0, 5));
    return section ? `${name}（${section}）` : name;
  }

  /**
   * The seed prints the department code (074) in 单位代码 for its only unit (074001). With several units the
   * column tells them apart, so each prints its own code.
   */
  private printedUnitCode(unit: string): string {
    return this.units.size <= 1 ? this.budget.department.code : unit;
  }

  // --- applying deltas -------------------------------------------------------------------------------------

  private applyLine(change: LineChange): void {
    const { before, after } = change;
    if (!before && !after) return;
    if (before && after && before.id !== after.id) throw new Error(`a line change keeps its id (${before.id} → ${after.id})`);
    const stored = before ? this.lines.get(before.id) : undefined;
    if (before && !stored) throw new Error(`budget line ${before.id} is not in the tables`);
    if (!before && after && this.lines.has(after.id)) throw new Error(`budget line ${after.id} is already in the tables`);
    // The stored copy, not `before`, is taken out: it is exactly what was added.
    // The new version goes in before the old one comes out, so a row that keeps the line never drops to a
    // count of zero in between (and is not reported as removed and added again).
    if (after) {
      const copy = this.sharedLines ? after : { ...after };
      this.addLine(copy, 1n);
      this.lines.set(copy.id, copy);
      if (stored) this.indexProjectLine(stored, -1);
      this.indexProjectLine(copy, +1);
    }
    if (stored) {
      this.addLine(stored, -1n);
      if (!after) {
        this.lines.delete(stored.id);
        this.indexProjectLine(stored, -1);
      }
    }
  }

  private addLine(line: BudgetLine, sign: 1n | -1n): void {
    const count = sign === 1n ? 1 : -1;
    const amount = sign * line.amount;
    for (const c of this.contributionsOf(line)) applyContribution(c, amount, count, this.touched ? (row) => this.touch(row) : null);
    this.addSubtotals(line, amount, count);
    this.kindTotals.set(line.kind, (this.kindTotals.get(line.kind) ?? 0n) + amount);
  }

  private addIncome(income: IncomeLine, sign: 1n | -1n): void {
    const sig = 'income' + SEP + income.unit + SEP + income.fund;
    const facts = (): LineFacts => ({
      unit: income.unit,
      functional: null,
      economic: null,
      kind: null,
      fund: income.fund,
      fundGroup: fundGroupOrSelf(income.fund),
      category: null,
      unitKind: this.units.get(income.unit)?.kind ?? null,
      government: null,
    });
    const touch = this.touched ? (row: RowState) => this.touch(row) : null;
    for (const c of this.contributionsFor(sig, facts, 'income')) applyContribution(c, sign * income.amount, sign === 1n ? 1 : -1, touch);
  }

  private addSubtotals(line: BudgetLine, amount: Fen, count: number): void {
    const f = line.functional;
    for (const scope of ['', line.unit]) {
      let map = this.subtotals.get(scope);
      if (!map) {
        map = new Map();
        this.subtotals.set(scope, map);
      }
      for (const code of ['', f.slice(0, 3), f.slice(0, 5), f]) {
        const t = map.get(code);
        if (t) {
          t.amount += amount;
          t.count += count;
          if (t.count <= 0) map.delete(code);
        } else map.set(code, { amount, count });
      }
    }
  }

  private indexProjectLine(line: BudgetLine, delta: 1 | -1): void {
    if (line.kind !== 'project' || line.project === null) return;
    let kept = this.projectLines.get(line.project);
    if (!kept) {
      kept = { ids: new Set(), amount: 0n };
      this.projectLines.set(line.project, kept);
    }
    if (delta > 0) {
      kept.ids.add(line.id);
      kept.amount += line.amount;
    } else {
      kept.ids.delete(line.id);
      kept.amount -= line.amount;
      if (kept.ids.size === 0) this.projectLines.delete(line.project);
    }
  }

  /** T11: the project's own amounts (not sums of its lines), in the project's row. */
  private setProjectRow(project: Project): void {
    const state = this.byId.get('T11');
    if (!state) return;
    let row = state.rows.get(project.code);
    if (!row) {
      row = { table: state, meta: { key: project.code, label: '', kind: 'project', labels: {}, columns: [], sortKey: '' }, count: 0, cells: state.leafKeys.map(() => 0n), fixed: false, report: null };
      state.rows.set(project.code, row);
    }
    if (this.touched) this.touch(row);
    const present: number[] = [];
    for (const field of PROJECT_AMOUNT_FIELDS) {
      const value = project[field];
      const i = state.leafIndex.get(field);
      if (i === undefined) continue;
      row.cells[i] = value ?? 0n;
      if (value !== undefined) present.push(i);
    }
    row.meta = { key: project.code, code: project.code, label: project.name, level: 1, kind: 'project', labels: { code: project.code, name: project.name }, unit: project.unit, columns: present, sortKey: '' };
    row.count = 1;
    row.report = null;
    state.sharedRows = null;
    state.version = stamp();
  }

  // --- change tracking -------------------------------------------------------------------------------------

  /** Runs a change, recording the first state of every row it touches, and reports what differs after it. */
  private tracked(change: () => void): ChangedCell[] {
    if (this.touched) {
      change();
      return [];
    }
    this.touched = new Map();
    try {
      change();
      return this.changedCells(this.touched);
    } finally {
      this.touched = null;
    }
  }

  private touch(row: RowState): void {
    if (this.touched!.has(row)) return;
    this.touched!.set(row, isPrinted(row) ? { before: [...row.cells], columns: columnsOf(row) } : { before: null, columns: columnsOf(row) });
  }

  private changedCells(touched: Map<RowState, Touched>): ChangedCell[] {
    const out: ChangedCell[] = [];
    for (const [row, t] of touched) {
      const table = row.table.def.id;
      const key = row.meta.key;
      const keys = row.table.leafKeys;
      const printed = isPrinted(row);
      if (!printed && !t.before) continue;
      if (!printed) {
        for (const i of t.columns) out.push({ table, row: key, column: keys[i]!, value: 0n, rowChange: 'removed' });
        continue;
      }
      if (!t.before) {
        for (const i of columnsOf(row)) out.push({ table, row: key, column: keys[i]!, value: row.cells[i]!, rowChange: 'added' });
        continue;
      }
      const now = columnsOf(row);
      for (const i of t.columns) if (!now.includes(i)) out.push({ table, row: key, column: keys[i]!, value: 0n });
      for (const i of now) if (row.cells[i] !== t.before[i] || !t.columns.includes(i)) out.push({ table, row: key, column: keys[i]!, value: row.cells[i]! });
    }
    return out;
  }

  // --- snapshots -------------------------------------------------------------------------------------------

  /** A table's printed rows in print order. */
  private printedRows(state: TableState): RowState[] {
    const def = state.def;
    if (def.rows.type === 'fixed') return state.fixedRows.map((r) => state.rows.get(r.meta.key)!);
    if (def.rows.type === 'projects') return [...this.projects.keys()].map((code) => state.rows.get(code)).filter((r): r is RowState => !!r);
    state.order ??= [...state.rows.values()].filter(isPrinted).sort((a, b) => (a.meta.sortKey < b.meta.sortKey ? -1 : a.meta.sortKey > b.meta.sortKey ? 1 : 0));
    return state.order;
  }

  private snapshot(state: TableState, shared = false): ReportTable {
    const def = state.def;
    let rows: ReportRow[];
    if (shared) {
      for (const row of state.stale) refreshReport(row);
      state.stale.clear();
      state.sharedRows ??= this.printedRows(state).map((r) => (r.report ??= toReportRow(r)));
      rows = state.sharedRows;
    } else rows = this.printedRows(state).map(toReportRow);
    const table: ReportTable = {
      id: def.id,
      title: def.title,
      fiscalYear: this.budget.fiscalYear,
      amountUnit: this.budget.amountUnit,
      caption: [...def.caption],
      layout: def.layout,
      labelColumns: toReportColumns(def.labelColumns),
      columns: toReportColumns(def.columns),
      numberRow: def.numberRow,
      format: { ...def.formats[this.budget.amountUnit] },
      rows,
    };
    if (def.note) table.note = def.note;
    if (def.id === 'T10') table.departmentPerformance = { departmentName: this.budget.department.name, performance: this.performance };
    if (def.id === 'T11') table.projects = [...this.projects.values()];
    return table;
  }
}

/** Adds an amount (and a count of lines) to the contribution's cells; `touch` records rows for change reports. */
function applyContribution(c: Contribution, amount: Fen, count: number, touch: ((row: RowState) => void) | null): void {
  if (c.negate) amount = -amount;
  for (const row of c.rows) {
    if (touch) touch(row);
    row.table.version = stamp();
    const wasPrinted = isPrinted(row);
    row.count += count;
    if (amount !== 0n) {
      const cells = row.cells;
      for (const i of c.columns) cells[i]! += amount;
      if (row.report) row.table.stale.add(row);
    }
    if (wasPrinted !== isPrinted(row)) {
      row.table.order = null;
      row.table.sharedRows = null;
    }
  }
}

interface RowKeys {
  functional: string;
  economic: string;
}

/** Keys of a line's generated rows, one string per row generator, shared by the tables that use it. */
function rowKeysOf(f: LineFacts): RowKeys {
  return { functional: f.unit + SEP + (f.functional ?? ''), economic: (f.economic ?? '') + SEP + (f.government ?? '') };
}

function columnMask(state: TableState, facts: LineFacts): number[] {
  const mask: number[] = [];
  state.columnFeeds.forEach((feed, i) => {
    if (feed(facts)) mask.push(i);
  });
  return mask;
}

function isPrinted(row: RowState): boolean {
  return row.fixed || row.count > 0;
}

function columnsOf(row: RowState): readonly number[] {
  return row.meta.columns ?? row.table.allColumns;
}

function tableKey(state: TableState, facts: LineFacts, stream: RowStream): string {
  let key: string = stream;
  for (const read of state.keyReaders) key += SEP + read(facts);
  return key;
}

function fundGroupOrSelf(code: FundCode): LineFacts['fundGroup'] {
  // An unknown fund (bad input the audit reports) must not stop the tables; it then matches no source column.
  try {
    return fundGroup(code);
  } catch {
    return code as LineFacts['fundGroup'];
  }
}

function fixedMeta(spec: FixedRowSpec, columns: readonly number[], order: number): RowMeta {
  const meta: RowMeta = {
    key: spec.key,
    label: spec.label,
    kind: spec.kind,
    labels: { ...(spec.labels ?? {}) },
    columns,
    sortKey: String(order).padStart(6, '0'),
  };
  if (spec.code !== undefined) meta.code = spec.code;
  if (spec.level !== undefined) meta.level = spec.level;
  if (spec.side) meta.side = spec.side;
  if (spec.line !== undefined) meta.line = spec.line;
  if (spec.group !== undefined) meta.group = spec.group;
  return meta;
}

/** Writes a row's current cells into its kept report row (same columns: only amounts change by lines). */
function refreshReport(row: RowState): void {
  const report = row.report;
  if (!report) return;
  const keys = row.table.leafKeys;
  for (const i of columnsOf(row)) report.cells[keys[i]!] = row.cells[i]!;
  fillPrior(row, report.cells);
}

/** Last year's figures in the row's 上年 columns (zero while not known). */
function fillPrior(row: RowState, cells: Record<string, Fen>): void {
  const state = row.table;
  for (const { index, source } of state.priorColumns) {
    if (row.meta.columns && !row.meta.columns.includes(index)) continue;
    cells[state.leafKeys[index]!] = priorFigure(state.prior, source, row.meta.code) ?? 0n;
  }
}

function toReportRow(row: RowState): ReportRow {
  const m = row.meta;
  const cells: Record<string, Fen> = {};
  const keys = row.table.leafKeys;
  for (const i of columnsOf(row)) cells[keys[i]!] = row.cells[i]!;
  if (row.table.priorColumns.length > 0) fillPrior(row, cells);
  // Field by field rather than a spread: this runs for every row of every table on each snapshot.
  const out: ReportRow = { key: m.key, label: m.label, kind: m.kind, labels: { ...m.labels }, cells };
  if (m.code !== undefined) out.code = m.code;
  if (m.level !== undefined) out.level = m.level;
  if (m.side) out.side = m.side;
  if (m.line !== undefined) out.line = m.line;
  if (m.group !== undefined) out.group = m.group;
  if (m.unit !== undefined) out.unit = m.unit;
  if (m.government) out.government = { ...m.government };
  return out;
}

/** Every table computed from scratch. */
export function computeTables(budget: Budget, book: CodeBook, format?: PublicationFormat): ReportTable[] {
  return new TableEngine(budget, book, format).tables();
}
