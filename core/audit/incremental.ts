// 审核 counts kept up to date edit by edit, for the status bar and every reply of an edit.
//
// A full audit (auditBudget) looks at every line; after an edit of one line only that line's findings can
// have changed, together with the rules over sums of the lines and the table identities. So the counts are
// kept in three parts:
//  - per line: the findings of each rule's `line` part, counted when a line comes and taken out when it goes
//    (looked at again only for the lines an edit changed);
//  - per table row: the findings of the table rules' `row` parts and the rows' totals by 类 (for T04), kept
//    per row and looked at again only for the rows whose cells an edit changed (`rowsChanged`);
//  - sums and tables: the rules that read sums of the lines (from a CrossCheckSumsAccumulator kept line by line)
//    and the rest of the table identities (合计 rows, on the engine's shared tables) run again on each count;
//  - the rest (projects, indicators, units, income): read no line, so their findings are kept until the
//    budget's projects, units or department table change (`budgetChanged`).
// Beside the two totals, every count is kept by group (severity, rule and unit: core/audit/groups.ts), so the
// audit screen lists its groups without a full audit.
// The counts equal those of a full auditBudget on the same budget and tables (a property test checks it).
import type { CodeBook } from '../codelists.js';
import type { Budget, BudgetLine } from '../model.js';
import type { Fen } from '../money.js';
import type { ReportRow, ReportTable } from '../tables/report.js';
import { AuditContext, DEFAULT_AUDIT_SETTINGS, CrossCheckSumsAccumulator, type AuditSettings, type CrossCheckSums } from './context.js';
import { bumpGroup, findingUnit, groupKey } from './groups.js';
import type { AuditRule, FindingDraft, Severity } from './types.js';

export interface AuditCounts {
  hard: number;
  soft: number;
}

/** Tables whose 项 rows' totals by 类 are kept (AuditContext.itemTotalsByClass). */
const CLASS_TOTAL_TABLES: readonly string[] = ['T03', 'T05', 'T09'];
const SEP = '\u0001';

interface RowKept {
  counts: AuditCounts;
  /** The row's findings by group key. */
  groups: [string, number][];
  /** The row's 类 and 总计 when it is a 项 row of a CLASS_TOTAL_TABLES table. */
  cls: string | null;
  total: Fen;
}

interface LineChange {
  before: BudgetLine | null;
  after: BudgetLine | null;
}

export class IncrementalAudit {
  private readonly settings: AuditSettings;
  private lineCounts: AuditCounts = { hard: 0, soft: 0 };
  /** Row parts: per table and row key; null while they must be worked out from every row again. */
  private rows: Map<string, RowKept> | null = null;
  private rowCounts: AuditCounts = { hard: 0, soft: 0 };
  private readonly classTotals = new Map<string, Map<string, Fen>>();
  private sums!: CrossCheckSumsAccumulator;
  private fixedCounts: AuditCounts | null = null;
  /** Counts by group of the line parts, of the row parts, and of the rules that read no line. */
  private readonly lineGroups = new Map<string, number>();
  private readonly rowGroups = new Map<string, number>();
  private fixedGroups = new Map<string, number>();
  /** Moves whenever a count may have changed (a reader keeps what it worked out until then). */
  private stamp = 0;
  /** The budget without its lines: the rules that run on counts read its other parts only. */
  private frame!: Budget;
  private context!: AuditContext;

  constructor(
    private budget: Budget,
    private readonly book: CodeBook,
    private readonly lines: () => Iterable<BudgetLine>,
    private readonly tables: () => readonly ReportTable[] | null,
    private readonly rules: readonly AuditRule[],
    settings: Partial<AuditSettings> = {},
    /** The unit of a line by id, for findings of other parts that point at a line. */
    private readonly lineUnit: (id: number) => string | undefined = () => undefined,
    /** The 河南 2020 tables when `tables` are another format's (the 预算说明's figures); null: `tables`. */
    private readonly documentTables: () => readonly ReportTable[] | null = () => null,
  ) {
    this.settings = { ...DEFAULT_AUDIT_SETTINGS, ...settings };
    this.budgetChanged(budget);
  }

  /**
   * The budget's projects, units, income or department table changed (or the object was replaced): every line
   * is looked at again, since a line's findings read its unit and its project.
   */
  budgetChanged(budget: Budget = this.budget): void {
    this.budget = budget;
    this.frame = { ...budget, lines: [] };
    this.context = new AuditContext(this.frame, this.book, null, this.settings);
    this.lineCounts = { hard: 0, soft: 0 };
    this.lineGroups.clear();
    this.fixedCounts = null;
    this.rows = null;
    this.stamp++;
    this.sums = new CrossCheckSumsAccumulator((code) => this.context.projectByCode.get(code)?.category);
    for (const line of this.lines()) this.add(line, 1);
  }

  /** Lines changed (already in the budget the `lines` callback gives): takes the old ones out, adds the new. */
  applyLines(changes: readonly LineChange[]): void {
    if (changes.length > 0) this.stamp++;
    for (const { before, after } of changes) {
      if (before) this.add(before, -1);
      if (after) this.add(after, 1);
    }
  }

  /** Table rows whose cells changed, appeared or disappeared (the engine's changed cells name them). */
  rowsChanged(changed: Iterable<{ table: string; row: string }>): void {
    this.stamp++;
    const kept = this.rows;
    if (!kept) return;
    const tables = this.tables();
    if (!tables) return;
    const ctx = this.contextWith(tables);
    const watched = this.watchedTables();
    const seen = new Set<string>();
    for (const { table, row } of changed) {
      if (!watched.has(table)) continue;
      const key = table + SEP + row;
      if (seen.has(key)) continue;
      seen.add(key);
      const before = kept.get(key);
      if (before) this.takeRow(key, before, table);
      const t = ctx.table(table);
      const r = t && ctx.row(t, row);
      if (t && r) this.addRow(ctx, t, r);
    }
  }

  /** The cross-check sums of the lines, kept edit by edit (the 控制数 view reads what the ceiling rule reads). */
  crossCheckSums(): CrossCheckSums {
    return this.sums.sums();
  }

  counts(): AuditCounts {
    return this.count(null);
  }

  /**
   * Every count by group (core/audit/groups.ts: severity, rule, unit); groups without findings are absent.
   * Adds up to `counts()`.
   */
  groups(): Map<string, number> {
    const out = new Map<string, number>();
    this.count(out);
    return out;
  }

  /** A number that moves whenever the counts may have changed. */
  version(): number {
    return this.stamp;
  }

  /** The totals; with `groups`, the counts by group added into it. */
  private count(groups: Map<string, number> | null): AuditCounts {
    const out = { ...this.lineCounts };
    const tables = this.tables();
    if (!this.fixedCounts) {
      this.fixedGroups = new Map();
      this.fixedCounts = this.run((r) => !r.reads && !r.needsTables, null, this.fixedGroups, tables);
    }
    const fixed = this.fixedCounts;
    if (tables && !this.rows) this.buildRows(tables);
    const varying = this.run((r) => r.reads === 'sums' || !!r.needsTables, tables, groups);
    out.hard += fixed.hard + varying.hard + (tables ? this.rowCounts.hard : 0);
    out.soft += fixed.soft + varying.soft + (tables ? this.rowCounts.soft : 0);
    if (groups) {
      for (const [k, n] of this.lineGroups) bumpGroup(groups, k, n);
      for (const [k, n] of this.fixedGroups) bumpGroup(groups, k, n);
      if (tables) for (const [k, n] of this.rowGroups) bumpGroup(groups, k, n);
    }
    return out;
  }

  /**
   * The group key of each draft of a rule (a rule that failed: one hard finding of no unit). A draft pointing at
   * `own` (the line being counted) belongs to that line's unit as it is now.
   */
  private keysOf(rule: AuditRule, drafts: readonly FindingDraft[] | null, context: AuditContext, own?: BudgetLine): string[] {
    if (!drafts) return [groupKey('hard', rule.id, '')];
    return drafts.map((d) =>
      groupKey(rule.severity, rule.id, own && d.place.line === own.id ? own.unit : findingUnit(d.place, context, this.lineUnit)),
    );
  }

  /** A context over the frame that reuses what is kept: lookups, and the sums when asked. */
  private contextWith(tables: readonly ReportTable[] | null, withSums = false): AuditContext {
    return new AuditContext(this.frame, this.book, tables, this.settings, {
      unitByCode: this.context.unitByCode,
      projectByCode: this.context.projectByCode,
      documentTables: this.documentTables,
      ...(withSums ? { crossCheckSums: this.sums.sums(), classTotals: (id: string) => (this.rows ? this.classTotals.get(id) : undefined) } : {}),
    });
  }

  private watchedTables(): Set<string> {
    const ids = new Set<string>(CLASS_TOTAL_TABLES);
    for (const rule of this.rules) if (rule.row) for (const id of rule.rowTables ?? []) ids.add(id);
    return ids;
  }

  private buildRows(tables: readonly ReportTable[]): void {
    this.rows = new Map();
    this.rowCounts = { hard: 0, soft: 0 };
    this.rowGroups.clear();
    this.classTotals.clear();
    const ctx = this.contextWith(tables);
    for (const id of this.watchedTables()) {
      const t = ctx.table(id);
      if (CLASS_TOTAL_TABLES.includes(id)) this.classTotals.set(id, new Map());
      for (const r of t?.rows ?? []) this.addRow(ctx, t!, r);
    }
  }

  private addRow(ctx: AuditContext, table: ReportTable, row: ReportRow): void {
    const counts: AuditCounts = { hard: 0, soft: 0 };
    const groups: [string, number][] = [];
    for (const rule of this.rules) {
      if (!rule.row || !rule.rowTables?.includes(table.id)) continue;
      let drafts: FindingDraft[] | null;
      try {
        drafts = rule.row(ctx, table, row);
      } catch {
        drafts = null;
      }
      if (drafts === null) count(counts, 'hard', 1);
      else count(counts, rule.severity, drafts.length);
      if (drafts?.length === 0) continue;
      for (const key of this.keysOf(rule, drafts, ctx)) {
        groups.push([key, 1]);
        bumpGroup(this.rowGroups, key, 1);
      }
    }
    const classTotals = this.classTotals.get(table.id);
    const cls = classTotals && row.kind === 'item' && row.code ? row.code.slice(0, 3) : null;
    const total = row.cells.total ?? 0n;
    if (cls !== null) classTotals!.set(cls, (classTotals!.get(cls) ?? 0n) + total);
    this.rowCounts.hard += counts.hard;
    this.rowCounts.soft += counts.soft;
    this.rows!.set(table.id + SEP + row.key, { counts, groups, cls, total });
  }

  private takeRow(key: string, kept: RowKept, table: string): void {
    this.rowCounts.hard -= kept.counts.hard;
    this.rowCounts.soft -= kept.counts.soft;
    for (const [k, n] of kept.groups) bumpGroup(this.rowGroups, k, -n);
    if (kept.cls !== null) {
      const classTotals = this.classTotals.get(table)!;
      classTotals.set(kept.cls, classTotals.get(kept.cls)! - kept.total);
    }
    this.rows!.delete(key);
  }

  private add(line: BudgetLine, sign: 1 | -1): void {
    this.sums.add(line, sign);
    const counts: AuditCounts = { hard: 0, soft: 0 };
    // The line's own findings belong to its unit (as it is now: `before` lines are taken out as they were).
    for (const rule of this.rules) {
      if (!rule.line) continue;
      let drafts: FindingDraft[] | null;
      try {
        drafts = rule.line(this.context, line);
      } catch {
        // auditBudget reports a rule that fails as one hard finding of its own; count it here per line.
        drafts = null;
      }
      if (drafts === null) count(counts, 'hard', 1);
      else count(counts, rule.severity, drafts.length);
      if (drafts?.length === 0) continue;
      for (const key of this.keysOf(rule, drafts, this.context, line)) bumpGroup(this.lineGroups, key, sign);
    }
    this.lineCounts.hard += sign * counts.hard;
    this.lineCounts.soft += sign * counts.soft;
  }

  /**
   * Runs the `check` of the rules kept, on the frame (no lines) with the kept sums; with `groups`, adds the
   * findings by group into it (their units read from `unitTables`, default the tables the rules read).
   */
  private run(
    keep: (r: AuditRule) => boolean,
    tables: readonly ReportTable[] | null,
    groups: Map<string, number> | null,
    unitTables: readonly ReportTable[] | null = tables,
  ): AuditCounts {
    const ctx = this.contextWith(tables, true);
    const unitContext = unitTables === tables ? ctx : this.contextWith(unitTables);
    const out: AuditCounts = { hard: 0, soft: 0 };
    for (const rule of this.rules) {
      if (!keep(rule) || (rule.needsTables && !tables)) continue;
      let drafts: FindingDraft[] | null;
      try {
        drafts = rule.check(ctx);
      } catch {
        drafts = null;
      }
      if (drafts === null) out.hard++;
      else count(out, rule.severity, drafts.length);
      if (groups && drafts?.length !== 0) for (const key of this.keysOf(rule, drafts, unitContext)) bumpGroup(groups, key, 1);
    }
    return out;
  }
}

function count(into: AuditCounts, severity: Severity, n: number): void {
  if (severity === 'hard') into.hard += n;
  else into.soft += n;
}
