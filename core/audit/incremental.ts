// 审核 counts kept up to date edit by edit, for the status bar and every reply of an edit.
//
// A full audit (auditBudget) looks at every line; after an edit of one line only that line's findings can
// have changed, together with the rules over sums of the lines and the table identities. So the counts are
// kept in three parts:
//  - per line: the findings of each rule's `line` part, counted when a line comes and taken out when it goes
//    (looked at again only for the lines an edit changed);
//  - per table row: the findings of the table rules' `row` parts and the rows' totals by 类 (for T04), kept
//    per row and looked at again only for the rows whose cells an edit changed (`rowsChanged`);
//  - sums and tables: the rules that read sums of the lines (from a LineSumsAccumulator kept line by line)
//    and the rest of the table identities (合计 rows, on the engine's shared tables) run again on each count;
//  - the rest (projects, indicators, units, income): read no line, so their findings are kept until the
//    budget's projects, units or department table change (`budgetChanged`).
// The counts equal those of a full auditBudget on the same budget and tables (a property test checks it).
import type { CodeBook } from '../codelists.js';
import type { Budget, BudgetLine } from '../model.js';
import type { Fen } from '../money.js';
import type { ReportRow, ReportTable } from '../tables/report.js';
import { AuditContext, DEFAULT_AUDIT_SETTINGS, LineSumsAccumulator, type AuditSettings, type LineSums } from './context.js';
import type { AuditRule, Severity } from './types.js';

export interface AuditCounts {
  hard: number;
  soft: number;
}

/** Tables whose 项 rows' totals by 类 are kept (AuditContext.itemTotalsByClass). */
const CLASS_TOTAL_TABLES: readonly string[] = ['T03', 'T05', 'T09'];
const SEP = '\u0001';

interface RowKept {
  counts: AuditCounts;
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
  private sums!: LineSumsAccumulator;
  private fixedCounts: AuditCounts | null = null;
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
    this.fixedCounts = null;
    this.rows = null;
    this.sums = new LineSumsAccumulator((code) => this.context.projectByCode.get(code)?.category);
    for (const line of this.lines()) this.add(line, 1);
  }

  /** Lines changed (already in the budget the `lines` callback gives): takes the old ones out, adds the new. */
  applyLines(changes: readonly LineChange[]): void {
    for (const { before, after } of changes) {
      if (before) this.add(before, -1);
      if (after) this.add(after, 1);
    }
  }

  /** Table rows whose cells changed, appeared or disappeared (the engine's changed cells name them). */
  rowsChanged(changed: Iterable<{ table: string; row: string }>): void {
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

  /** The sums of the lines kept edit by edit (the 控制数 view reads what the ceiling rule reads). */
  lineSums(): LineSums {
    return this.sums.sums();
  }

  counts(): AuditCounts {
    const out = { ...this.lineCounts };
    const fixed = (this.fixedCounts ??= this.run((r) => !r.reads && !r.needsTables, null));
    const tables = this.tables();
    if (tables && !this.rows) this.buildRows(tables);
    const varying = this.run((r) => r.reads === 'sums' || !!r.needsTables, tables);
    out.hard += fixed.hard + varying.hard + (tables ? this.rowCounts.hard : 0);
    out.soft += fixed.soft + varying.soft + (tables ? this.rowCounts.soft : 0);
    return out;
  }

  /** A context over the frame that reuses what is kept: lookups, and the sums when asked. */
  private contextWith(tables: readonly ReportTable[] | null, withSums = false): AuditContext {
    return new AuditContext(this.frame, this.book, tables, this.settings, {
      unitByCode: this.context.unitByCode,
      projectByCode: this.context.projectByCode,
      ...(withSums ? { lineSums: this.sums.sums(), classTotals: (id: string) => (this.rows ? this.classTotals.get(id) : undefined) } : {}),
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
    for (const rule of this.rules) {
      if (!rule.row || !rule.rowTables?.includes(table.id)) continue;
      let n: number;
      try {
        n = rule.row(ctx, table, row).length;
      } catch {
        n = 1;
      }
      count(counts, rule.severity, n);
    }
    const classTotals = this.classTotals.get(table.id);
    const cls = classTotals && row.kind === 'item' && row.code ? row.code.slice(0, 3) : null;
    const total = row.cells.total ?? 0n;
    if (cls !== null) classTotals!.set(cls, (classTotals!.get(cls) ?? 0n) + total);
    this.rowCounts.hard += counts.hard;
    this.rowCounts.soft += counts.soft;
    this.rows!.set(table.id + SEP + row.key, { counts, cls, total });
  }

  private takeRow(key: string, kept: RowKept, table: string): void {
    this.rowCounts.hard -= kept.counts.hard;
    this.rowCounts.soft -= kept.counts.soft;
    if (kept.cls !== null) {
      const classTotals = this.classTotals.get(table)!;
      classTotals.set(kept.cls, classTotals.get(kept.cls)! - kept.total);
    }
    this.rows!.delete(key);
  }

  private add(line: BudgetLine, sign: 1 | -1): void {
    this.sums.add(line, sign);
    const counts: AuditCounts = { hard: 0, soft: 0 };
    for (const rule of this.rules) {
      if (!rule.line) continue;
      let n: number;
      try {
        n = rule.line(this.context, line).length;
      } catch {
        // auditBudget reports a rule that fails as one hard finding of its own; count it here per line.
        n = 1;
      }
      count(counts, rule.severity, n);
    }
    this.lineCounts.hard += sign * counts.hard;
    this.lineCounts.soft += sign * counts.soft;
  }

  /** Runs the `check` of the rules kept, on the frame (no lines) with the kept sums. */
  private run(keep: (r: AuditRule) => boolean, tables: readonly ReportTable[] | null): AuditCounts {
    const ctx = this.contextWith(tables, true);
    const out: AuditCounts = { hard: 0, soft: 0 };
    for (const rule of this.rules) {
      if (!keep(rule) || (rule.needsTables && !tables)) continue;
      try {
        count(out, rule.severity, rule.check(ctx).length);
      } catch {
        out.hard++;
      }
    }
    return out;
  }
}

function count(into: AuditCounts, severity: Severity, n: number): void {
  if (severity === 'hard') into.hard += n;
  else into.soft += n;
}
