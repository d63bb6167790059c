// One session over one open budget file: the state every area module (api/areas/) works on.
//
// Each accepted edit is written to SQLite at once and pushed on the app's own undo stack as the list of line
// changes it made ({before, after}); undo replays them backwards, redo forwards, through the same store calls,
// so an undone edit is saved exactly like a typed one. The stack is also kept in the file, so it survives a
// reload of the page or a restart of the host. The table engine is updated incrementally from the same line
// changes, and every mutation answers with the few rows, subtotals and totals the UI must repaint.
//
// The members are public for the area modules; hosts never see them (they call through dispatch()).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { CodeBook } from '../core/codelists.js';
import { lineSnapshot } from '../core/diff.js';
import { safeNameComponent } from '../core/manifest.js';
import type { LineFields } from '../core/validate.js';
import { fundLabel } from '../core/funds.js';
import { UNIT_KIND_LABELS, functionalClass, functionalSection, type Budget, type BudgetLine } from '../core/model.js';
import { toExactString, type AmountUnit, type Fen } from '../core/money.js';
import { IncrementalAudit, auditBudget, type Finding as CoreFinding } from '../core/audit/index.js';
import type { AuditConfig } from '../core/audit/rule-set.js';
import { auditConfigFor } from '../db/params.js';
import { TableEngine, type ChangedCell } from '../core/tables/index.js';
import { BudgetStore, StoreError, sqliteFailure } from '../db/store.js';
import { acquireWriterLock, type WriterLock } from '../db/writer-lock.js';
import { DAILY_MS, newestBackup } from '../db/backups.js';
import { chosenFormat } from '../db/publication-formats.js';
import type { AuditSummary, BudgetInfo, ChangeSet, LineRow, NameBook, RecentBudget, Subtotal, TableId, Totals } from './views.js';
import { ApiRefusal } from './errors.js';
import type { LineInputContext } from './line-input.js';
import { SubmissionState, type FileChooser } from './areas/submission/state.js';
import { absorbProjectStep } from './project-undo.js';
import { UNDO_META_KEY, emptyStacks, pushStep, stepsFromJson, stepsToJson, type EditStep, type LineChange, type Stacks } from './undo-stack.js';

export interface BudgetServiceOptions {
  /** Budget file opened at start; created (empty) when it does not exist. */
  dbPath?: string;
  /** Folder for budgets created without a path. Default: 部门预算 in the user's home folder. */
  budgetsDir?: string;
  /** JSON file of recently opened budgets. Default: beside the budgets. */
  recentFile?: string;
  /** The desktop host's native file and folder dialogs (submission.choose); absent in the browser host. */
  chooseFile?: FileChooser;
}

export const BUDGET_FILE_EXTENSION = '.budget';
/** More changed cells than this (a large paste) are not listed one by one: the UI refetches the tables. */
const CHANGED_CELLS_LIMIT = 2000;
const RECENT_LIMIT = 12;

/**
 * Rethrows a failure of the store as a refusal the user can read: a refused value (StoreError, with its
 * problems) or a SQLite/disk fault (full disk, read-only file …: nothing was saved). Anything else is rethrown.
 */
export function refusalFrom(err: unknown): never {
  if (err instanceof ApiRefusal) throw err;
  const sqlite = sqliteFailure(err);
  if (sqlite) throw new ApiRefusal(`操作失败，未保存：${sqlite.message}`);
  if (err instanceof StoreError) throw new ApiRefusal(err.message, storeIssues(err));
  throw err;
}

/** A store refusal's problems as API issues (none when it has none). */
export function storeIssues(err: StoreError): { path: string; message: string }[] | undefined {
  return err.problems.length ? err.problems.map((p) => ({ path: p.field ?? '$', message: p.message })) : undefined;
}

export function lineFields(l: BudgetLine): LineFields {
  const { id: _id, ...rest } = l;
  return rest;
}

/** The grid's order: by functional code, then by id (insertion order). */
export function compareLines(a: BudgetLine, b: BudgetLine): number {
  if (a.functional !== b.functional) return a.functional < b.functional ? -1 : 1;
  return a.id - b.id;
}

export function sameLine(a: BudgetLine, b: BudgetLine): boolean {
  return (
    a.unit === b.unit &&
    a.functional === b.functional &&
    a.economic === b.economic &&
    a.kind === b.kind &&
    a.project === b.project &&
    a.fund === b.fund &&
    a.amount === b.amount &&
    (a.remark ?? '') === (b.remark ?? '') &&
    !!a.assumed === !!b.assumed
  );
}

/** A department name as part of a file name: the package's rules (core/manifest.ts), at most 80 characters. */
export function safeFileName(name: string): string {
  return safeNameComponent(safeNameComponent(name).slice(0, 80)) || '部门预算';
}

export class Session {
  store: BudgetStore | null = null;
  /** The open file's writer lock: no other window or program changes it while this session has it open. */
  writerLock: WriterLock | null = null;
  /** When the open file was last backed up (ms), null until looked up. */
  lastBackupAt: number | null = null;
  budget: Budget | null = null;
  book: CodeBook | null = null;
  engine: TableEngine | null = null;
  lines = new Map<number, BudgetLine>();
  /** The lines in the grid's order, for lines.page; dropped when a line changes. */
  ordered: BudgetLine[] | null = null;
  stacks: Stacks = emptyStacks();
  auditCache: { findings: CoreFinding[]; summary: AuditSummary } | null = null;
  /** 审核 counts kept edit by edit (the full list is worked out only when asked for: audit.run). */
  audit: IncrementalAudit | null = null;
  /** The rule set of the open file (levels, parameters, 控制数, rules as data: db/params.ts). */
  auditConfig: AuditConfig | null = null;
  /** Unit and project names by code, for the names a reply carries; dropped when units or projects change. */
  nameMaps: { units: Map<string, string>; projects: Map<string, string> } | null = null;
  readonly budgetsDir: string;
  readonly recentFile: string;
  /** 上报 work of this session: export jobs, inspected packages (temporary copies); its file system is replaceable in tests. */
  readonly submission: SubmissionState;

  constructor(options: BudgetServiceOptions = {}) {
    this.budgetsDir = resolve(options.budgetsDir ?? (options.dbPath ? dirname(resolve(options.dbPath)) : join(homedir(), '部门预算')));
    this.recentFile = options.recentFile ?? join(this.budgetsDir, '.recent-budgets.json');
    this.submission = new SubmissionState({ chooseFile: options.chooseFile });
    if (options.dbPath) this.openFile(resolve(options.dbPath), true);
  }

  close(): void {
    this.store?.close();
    this.store = null;
    this.writerLock?.release();
    this.writerLock = null;
    this.submission.dispose();
  }

  /** The writer lock of `path` (the one held when it is the open file's): one writer per file. */
  lockFor(path: string): WriterLock {
    if (this.writerLock?.file === path) return this.writerLock;
    try {
      return acquireWriterLock(path, '部门预算编制');
    } catch (err) {
      refusalFrom(err);
    }
  }

  /** Makes `store` (under `lock`) the open file, closing the one open before. */
  adopt(store: BudgetStore, lock: WriterLock): void {
    this.store?.close();
    if (this.writerLock && this.writerLock !== lock) this.writerLock.release();
    this.store = store;
    this.writerLock = lock;
  }

  /** Gives up a lock taken for a file that did not become the open one. */
  dropLock(lock: WriterLock): void {
    if (lock === this.writerLock) return;
    lock.release();
  }

  // ---- session state ------------------------------------------------------------------------------------

  openFile(path: string, create: boolean): void {
    const lock = this.lockFor(path);
    let next: BudgetStore;
    try {
      next = BudgetStore.open(path, { create });
    } catch (err) {
      this.dropLock(lock);
      refusalFrom(err);
    }
    this.adopt(next, lock);
    this.load();
    this.remember(path);
    this.lastBackupAt = null;
  }

  /** (Re)reads the whole budget from the file and rebuilds the tables. */
  load(): void {
    const store = this.store;
    this.budget = null;
    this.book = null;
    this.engine = null;
    this.lines.clear();
    this.ordered = null;
    this.auditCache = null;
    this.audit = null;
    this.nameMaps = null;
    if (!store || !store.hasBudget()) {
      this.stacks = emptyStacks();
      return;
    }
    const budget = store.loadBudget();
    this.budget = budget;
    this.book = store.codeBook(budget.fiscalYear);
    for (const l of budget.lines) this.lines.set(l.id, l);
    // The engine keeps its own copy of the arrays it may change, and shares the line objects (never changed
    // in place: an edit makes a new object).
    const format = chosenFormat(store);
    const engine = new TableEngine({ ...budget, lines: [...budget.lines], units: [...budget.units] }, this.book, format, { sharedLines: true });
    this.engine = engine;
    // 审核 under the file's rule set; counts by rule and unit: a finding pointing at a line belongs to the line's unit.
    const config = (this.auditConfig = auditConfigFor(store, format));
    this.audit = new IncrementalAudit(
      budget,
      this.book,
      () => this.lines.values(),
      // The format's tables, and 河南 2020's besides when the budget prints in another format: the table rules
      // written for those run on every budget.
      () => engine.sharedAuditTables(),
      config.rules,
      config.settings,
      (id) => this.lines.get(id)?.unit,
      // Under another format than 河南 2020, the 预算说明's figures are read from the engine's 河南 2020 tables.
      () => engine.sharedReferenceTables(),
    );
    this.stacks = stepsFromJson(store.getMeta(UNDO_META_KEY));
  }

  requireBudget(): { store: BudgetStore; budget: Budget; book: CodeBook; engine: TableEngine } {
    if (!this.store) throw new ApiRefusal('尚未打开预算文件：请新建预算或打开预算文件');
    if (!this.budget || !this.book || !this.engine) throw new ApiRefusal('此预算文件中还没有预算：请导入交换文件或新建预算');
    return { store: this.store, budget: this.budget, book: this.book, engine: this.engine };
  }

  get unit(): AmountUnit {
    return this.budget?.amountUnit ?? '万元';
  }

  money(fen: Fen): string {
    return toExactString(fen, this.unit);
  }

  /**
   * 总计 and the 基本支出 / 项目支出 小计 (河南 2020's T03 合计 row), which the engine keeps current edit by edit
   * whatever format the budget prints in.
   */
  totals(): Totals {
    const { engine } = this.requireBudget();
    return { total: this.money(engine.grandTotal()), basic: this.money(engine.kindTotal('basic')), project: this.money(engine.kindTotal('project')) };
  }

  row(l: BudgetLine): LineRow {
    // The grid shows a missing remark as an empty cell, where a diff snapshot says null.
    return { ...lineSnapshot(l, this.unit), remark: l.remark ?? '' };
  }

  subtotal(code: string, amount: Fen): Subtotal {
    const level = code.length === 3 ? '类' : code.length === 5 ? '款' : '项';
    return { code, level, name: this.book?.functional.name(code) ?? '', amount: this.money(amount) };
  }

  /** Names of the codes the given lines use (all lines when omitted). */
  names(lines: Iterable<BudgetLine> = this.lines.values()): NameBook {
    const book = this.book;
    const budget = this.budget;
    const out: NameBook = { units: {}, functional: {}, economic: {}, projects: {}, funds: {} };
    if (!book || !budget) return out;
    this.nameMaps ??= {
      units: new Map(budget.units.map((u) => [u.code, u.name])),
      projects: new Map(budget.projects.map((p) => [p.code, p.name])),
    };
    const { units: unitNames, projects: projectNames } = this.nameMaps;
    for (const l of lines) {
      if (!(l.unit in out.units)) out.units[l.unit] = unitNames.get(l.unit) ?? '';
      if (!(l.functional in out.functional)) out.functional[l.functional] = book.functional.name(l.functional);
      if (!(l.economic in out.economic)) out.economic[l.economic] = book.economic.name(l.economic);
      if (l.project !== null && !(l.project in out.projects)) out.projects[l.project] = projectNames.get(l.project) ?? '';
      if (!(l.fund in out.funds)) out.funds[l.fund] = fundLabel(l.fund);
    }
    return out;
  }

  auditNow(): { findings: CoreFinding[]; summary: AuditSummary } {
    if (this.auditCache) return this.auditCache;
    const { budget, book, engine } = this.requireBudget();
    const current: Budget = { ...budget, lines: [...this.lines.values()].sort((a, b) => a.id - b.id) };
    const findings = auditBudget(current, book, engine.sharedAuditTables(), { ...(this.auditConfig ?? {}), documentTables: engine.sharedReferenceTables() });
    let errors = 0;
    for (const f of findings) if (f.severity === 'hard') errors++;
    this.auditCache = { findings, summary: { errors, warnings: findings.length - errors } };
    return this.auditCache;
  }

  /** A rule's description in the file's rule set (a rule written as data has one there only). */
  ruleDescription(id: string): string {
    return this.auditConfig?.entries.find((e) => e.id === id)?.description ?? '';
  }

  auditSummary(): AuditSummary {
    if (!this.audit) return { errors: 0, warnings: 0 };
    const { hard, soft } = this.audit.counts();
    return { errors: hard, warnings: soft };
  }

  /** The budget's projects, units or department table changed under the lines: names and 审核 follow. */
  budgetPartsChanged(): void {
    this.auditCache = null;
    this.nameMaps = null;
    this.audit?.budgetChanged();
  }

  saveStacks(): void {
    this.store?.setMeta(UNDO_META_KEY, stepsToJson(this.stacks));
  }
  // ---- applying line changes ----------------------------------------------------------------------------

  /**
   * Applies changes already written to the store to the in-memory lines and the tables, and describes them
   * for the UI.
   */
  absorb(changes: LineChange[], message?: string): ChangeSet {
    const { engine } = this.requireBudget();
    const touchedCodes = new Set<string>();
    const changedCells: ChangedCell[] = engine.applyAll(changes);
    // Per line: did it exist before the step, and what is it after? That decides changed / added / removed.
    const first = new Map<number, boolean>();
    const last = new Map<number, BudgetLine | null>();
    for (const { before, after } of changes) {
      for (const l of [before, after]) {
        if (!l) continue;
        touchedCodes.add(functionalClass(l.functional));
        touchedCodes.add(functionalSection(l.functional));
        touchedCodes.add(l.functional);
      }
      const id = (after ?? before)!.id;
      if (!first.has(id)) first.set(id, before !== null);
      last.set(id, after);
      if (after) this.lines.set(id, after);
      else this.lines.delete(id);
    }
    const changed: BudgetLine[] = [];
    const added: BudgetLine[] = [];
    const removed: number[] = [];
    for (const [id, existed] of first) {
      const now = last.get(id) ?? null;
      if (existed && now) changed.push(now);
      else if (!existed && now) added.push(now);
      else if (existed && !now) removed.push(id);
    }
    this.auditCache = null;
    if (changes.length > 0) this.ordered = null;
    this.audit?.applyLines(changes);
    this.audit?.rowsChanged(changedCells);
    // The 河南 2020 tables the 审核 also reads under another format moved too.
    const referenceCells = engine.takeReferenceChanges();
    if (referenceCells.length > 0) this.audit?.rowsChanged(referenceCells);
    const subtotals: Subtotal[] = [];
    const removedSubtotals: string[] = [];
    for (const code of touchedCodes) {
      const amount = engine.functionalSubtotal(code);
      if (amount === undefined) removedSubtotals.push(code);
      else subtotals.push(this.subtotal(code, amount));
    }
    const tables = new Set<TableId>();
    for (const c of changedCells) tables.add(c.table as TableId);
    const cells = changedCells.slice(0, CHANGED_CELLS_LIMIT).map((c) => ({
      table: c.table as TableId,
      row: c.row,
      column: c.column,
      exact: this.money(c.value),
      ...(c.rowChange ? { rowChange: c.rowChange } : {}),
    }));
    return {
      changed: changed.map((l) => this.row(l)),
      added: added.sort(compareLines).map((l) => this.row(l)),
      removed,
      subtotals,
      removedSubtotals,
      names: this.names([...changed, ...added]),
      totals: this.totals(),
      audit: this.auditSummary(),
      canUndo: this.stacks.undo.length > 0,
      canRedo: this.stacks.redo.length > 0,
      changedTables: [...tables].sort(),
      changedCells: cells,
      ...(changedCells.length > CHANGED_CELLS_LIMIT ? { changedCellsTruncated: true } : {}),
      ...(message ? { message } : {}),
    };
  }

  /** Records a new step (clearing redo) and writes the stack into the file; called inside the action's transaction. */
  record(step: EditStep): void {
    if (step.changes.length === 0 && !step.document && !step.projects?.length) return;
    pushStep(this.stacks, step);
    this.saveStacks();
  }

  /**
   * One user action: `write` makes its line changes in the store, and the undo step that reverses them is
   * written in the same transaction, so the file holds both or neither. On failure (a refused value, a full
   * disk) nothing of the action is stored, the stack is re-read from the file, and the session keeps showing
   * what the file holds.
   */
  act(write: (store: BudgetStore) => EditStep | null): ChangeSet {
    const { store } = this.requireBudget();
    let step: EditStep | null;
    try {
      step = store.transaction(() => {
        const s = write(store);
        if (s) this.record(s);
        return s;
      });
    } catch (err) {
      this.stacks = stepsFromJson(store.getMeta(UNDO_META_KEY));
      refusalFrom(err);
    }
    this.dailyBackup();
    // 项目库: the projects join the session before the lines that use them (api/project-undo.ts).
    if (step?.projects?.length) return absorbProjectStep(this, step.projects, step.changes, 'after');
    return this.absorb(step?.changes ?? []);
  }

  inputContext(unit?: AmountUnit): LineInputContext {
    const { budget, book } = this.requireBudget();
    return {
      functional: book.functional,
      economic: book.economic,
      units: budget.units,
      projects: budget.projects,
      amountUnit: unit ?? budget.amountUnit,
    };
  }

  info(): BudgetInfo {
    const store = this.store;
    const budget = this.budget;
    if (!store || !budget) {
      return {
        open: false,
        path: store?.path ?? null,
        fiscalYear: new Date().getFullYear() + 1,
        amountUnit: '万元',
        department: { code: '', name: '' },
        units: [],
        lineCount: 0,
        totals: { total: '0', basic: '0', project: '0' },
        audit: { errors: 0, warnings: 0 },
        canUndo: false,
        canRedo: false,
      };
    }
    return {
      open: true,
      path: store.path,
      fiscalYear: budget.fiscalYear,
      amountUnit: budget.amountUnit,
      department: { ...budget.department },
      units: budget.units.map((u) => ({ code: u.code, name: u.name, kind: u.kind, kindLabel: UNIT_KIND_LABELS[u.kind] })),
      lineCount: this.lines.size,
      totals: this.totals(),
      audit: this.auditSummary(),
      canUndo: this.stacks.undo.length > 0,
      canRedo: this.stacks.redo.length > 0,
    };
  }
  /** A copy once a day while the file is edited (checked after each action); a failed copy is retried a day later. */
  dailyBackup(): void {
    const store = this.store;
    if (!store || !this.budget) return;
    const now = Date.now();
    if (this.lastBackupAt === null) {
      const newest = newestBackup(store.path);
      this.lastBackupAt = newest ? Date.parse(newest.at) || 0 : 0;
    }
    if (now - this.lastBackupAt < DAILY_MS) return;
    this.lastBackupAt = now;
    try {
      store.backup('daily');
    } catch {
      // The budget itself is fine; the next action tries again a day later.
    }
  }


  readRecent(): RecentBudget[] {
    try {
      const list = JSON.parse(readFileSync(this.recentFile, 'utf8')) as unknown;
      if (!Array.isArray(list)) return [];
      return list.filter(
        (r): r is RecentBudget => !!r && typeof r.path === 'string' && typeof r.name === 'string' && typeof r.openedAt === 'string',
      );
    } catch {
      return [];
    }
  }

  remember(path: string): void {
    const name = this.budget ? `${this.budget.department.name} ${this.budget.fiscalYear} 年` : basename(path);
    const list = [{ path, name, openedAt: new Date().toISOString() }, ...this.readRecent().filter((r) => r.path !== path)].slice(0, RECENT_LIMIT);
    try {
      mkdirSync(dirname(this.recentFile), { recursive: true });
      writeFileSync(this.recentFile, JSON.stringify(list, null, 2));
    } catch {
      // The recent list is a convenience; a read-only folder must not stop the budget from opening.
    }
  }
  lineContextFor() {
    const { budget, book } = this.requireBudget();
    return { book, unitCodes: new Set(budget.units.map((u) => u.code)), projectCodes: new Set(budget.projects.map((p) => p.code)) };
  }

}
