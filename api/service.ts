// The budget service behind the API: one session over one open budget file.
//
// Each accepted edit is written to SQLite at once and pushed on the app's own undo stack as the list of line
// changes it made ({before, after}); undo replays them backwards, redo forwards, through the same store calls,
// so an undone edit is saved exactly like a typed one. The stack is also kept in the file, so it survives a
// reload of the page or a restart of the host. The table engine is updated incrementally from the same line
// changes, and every mutation answers with the few rows, subtotals and totals the UI must repaint.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { CODE_LIST_KIND_LABELS, parseCodeListCsv, type CodeBook, type CsvProblem } from '../core/codelists.js';
import { lineSnapshot } from '../core/diff.js';
import { lineProblems, parseExchange, serializeExchange, type LineFields } from '../core/exchange.js';
import { FUNDS, fundLabel } from '../core/funds.js';
import {
  PROJECT_CATEGORY_LABELS,
  UNIT_KIND_LABELS,
  functionalClass,
  functionalSection,
  type Budget,
  type BudgetLine,
  type Unit,
} from '../core/model.js';
import { toExactString, type AmountUnit, type Fen } from '../core/money.js';
import { formatProblem } from '../core/problems.js';
import { AUDIT_RULES, IncrementalAudit, auditBudget, auditRule, type Finding as CoreFinding } from '../core/audit/index.js';
import { templateChoicesFromWizardState, WIZARD_STATE_META_KEY } from '../core/indicators.js';
import { TableEngine, type ChangedCell } from '../core/tables/index.js';
import type { TableId as CoreTableId } from '../core/tables/report.js';
import { BudgetStore, StoreError, sqliteFailure } from '../db/store.js';
import { defaultCodeBook } from '../db/defaults.js';
import { acquireWriterLock, type WriterLock } from '../db/writer-lock.js';
import { BACKUP_REASON_LABELS, DAILY_MS, backupFolder, isBackupOf, listBackups, newestBackup } from '../db/backups.js';
import {
  LINE_FIELDS,
  LINE_FIELD_LABELS,
  type ApiOutputs,
  type ApiParsedInput,
  type ApiService,
  type AuditSummary,
  type BackupList,
  type BudgetInfo,
  type ChangeSet,
  type CodeOption,
  type LineField,
  type LineRow,
  type NameBook,
  type RecentBudget,
  type Subtotal,
  type TableId,
  type Totals,
} from './contract.js';
import { ApiRefusal } from './dispatch.js';
import { KIND_LABELS, readField, type FieldValue, type LineInputContext } from './line-input.js';
import { reportToView } from './tables-view.js';
import { availableFormats, checkFormatFile, chooseFormat, chosenFormat, storeUserFormat } from '../db/publication-formats.js';
import { WIZARD_HANDLERS, resetWizardState, type WizardSession } from './wizard-service.js';
import { SUBMISSION_HANDLERS, SubmissionState, type FileChooser, type SubmissionSession } from './submission-service.js';
import { DOCUMENT_HANDLERS, type DocumentSession } from './document-service.js';
import { adoptDocumentSide, decodeDocumentChange, documentHolds, encodeDocumentChange, writeDocumentSide, type DocumentChange, type StoredDocumentChange } from './document-undo.js';
import type { DepartmentPerformance, Project } from '../core/model.js';

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
const UNDO_META_KEY = 'app.undo';
const UNDO_LIMIT = 200;
const UNDO_MAX_LINE_CHANGES = 50_000;
/** More changed cells than this (a large paste) are not listed one by one: the UI refetches the tables. */
const CHANGED_CELLS_LIMIT = 2000;
const RECENT_LIMIT = 12;
/** A code list with more problems than this lists the first ones (the count is in the message). */
const CODE_IMPORT_PROBLEMS_SHOWN = 500;

function codeProblemText(p: CsvProblem): string {
  return `第 ${p.line} 行${p.field ? `（${p.field}）` : ''}：${p.message}`;
}

/** One undoable step: the line changes it made, in order (and the 预算说明 texts or 上年数 it changed). */
interface EditStep {
  label: string;
  changes: { before: BudgetLine | null; after: BudgetLine | null }[];
  document?: DocumentChange;
}

interface Stacks {
  undo: EditStep[];
  redo: EditStep[];
}

// ---- serialising lines for the undo stack (amounts as decimal strings of 分, never JS numbers) ------------

type StoredLine = Omit<BudgetLine, 'amount'> & { amount: string };
const toStored = (l: BudgetLine | null): StoredLine | null => (l ? { ...l, amount: l.amount.toString() } : null);
const fromStored = (l: StoredLine | null): BudgetLine | null => (l ? { ...l, amount: BigInt(l.amount) } : null);

/** Each step's JSON, written once: the stack is saved on every edit, and a pasted block may hold many lines. */
const STEP_JSON = new WeakMap<EditStep, string>();

function stepsToJson(stacks: Stacks): string {
  const enc = (s: EditStep) => {
    let json = STEP_JSON.get(s);
    if (json === undefined) {
      json = JSON.stringify({
        label: s.label,
        changes: s.changes.map((c) => ({ before: toStored(c.before), after: toStored(c.after) })),
        ...(s.document ? { document: encodeDocumentChange(s.document) } : {}),
      });
      STEP_JSON.set(s, json);
    }
    return json;
  };
  return `{"undo":[${stacks.undo.map(enc).join(',')}],"redo":[${stacks.redo.map(enc).join(',')}]}`;
}

function stepsFromJson(text: string | null): Stacks {
  if (!text) return { undo: [], redo: [] };
  try {
    const raw = JSON.parse(text) as {
      undo: { label: string; changes: { before: StoredLine | null; after: StoredLine | null }[]; document?: StoredDocumentChange }[];
      redo: typeof raw.undo;
    };
    const dec = (s: (typeof raw.undo)[number]): EditStep => ({
      label: s.label,
      changes: s.changes.map((c) => ({ before: fromStored(c.before), after: fromStored(c.after) })),
      ...(s.document ? { document: decodeDocumentChange(s.document) } : {}),
    });
    return { undo: raw.undo.map(dec), redo: raw.redo.map(dec) };
  } catch {
    // A damaged stack only costs the history, never the budget.
    return { undo: [], redo: [] };
  }
}

function refusalFrom(err: unknown): never {
  if (err instanceof ApiRefusal) throw err;
  const sqlite = sqliteFailure(err);
  if (sqlite) throw new ApiRefusal(`操作失败，未保存：${sqlite.message}`);
  if (err instanceof StoreError) {
    throw new ApiRefusal(
      err.message,
      err.problems.length ? err.problems.map((p) => ({ path: p.field ?? '$', message: p.message })) : undefined,
    );
  }
  throw err;
}

function lineFields(l: BudgetLine): LineFields {
  const { id: _id, ...rest } = l;
  return rest;
}

/** The grid's order: by functional code, then by id (insertion order). */
function compareLines(a: BudgetLine, b: BudgetLine): number {
  if (a.functional !== b.functional) return a.functional < b.functional ? -1 : 1;
  return a.id - b.id;
}

export class BudgetSession implements ApiService {
  private store: BudgetStore | null = null;
  /** The open file's writer lock: no other window or program changes it while this session has it open. */
  private writerLock: WriterLock | null = null;
  /** When the open file was last backed up (ms), null until looked up. */
  private lastBackupAt: number | null = null;
  private budget: Budget | null = null;
  private book: CodeBook | null = null;
  private engine: TableEngine | null = null;
  private lines = new Map<number, BudgetLine>();
  /** The lines in the grid's order, for lines.page; dropped when a line changes. */
  private ordered: BudgetLine[] | null = null;
  private stacks: Stacks = { undo: [], redo: [] };
  private auditCache: { findings: CoreFinding[]; summary: AuditSummary } | null = null;
  /** 审核 counts kept edit by edit (the full list is worked out only when asked for: audit.run). */
  private audit: IncrementalAudit | null = null;
  /** Unit and project names by code, for the names a reply carries; dropped when units or projects change. */
  private nameMaps: { units: Map<string, string>; projects: Map<string, string> } | null = null;
  private readonly budgetsDir: string;
  private readonly recentFile: string;
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
  private lockFor(path: string): WriterLock {
    if (this.writerLock?.file === path) return this.writerLock;
    try {
      return acquireWriterLock(path, '部门预算编制');
    } catch (err) {
      refusalFrom(err);
    }
  }

  /** Makes `store` (under `lock`) the open file, closing the one open before. */
  private adopt(store: BudgetStore, lock: WriterLock): void {
    this.store?.close();
    if (this.writerLock && this.writerLock !== lock) this.writerLock.release();
    this.store = store;
    this.writerLock = lock;
  }

  /** Gives up a lock taken for a file that did not become the open one. */
  private dropLock(lock: WriterLock): void {
    if (lock === this.writerLock) return;
    lock.release();
  }

  // ---- session state ------------------------------------------------------------------------------------

  private openFile(path: string, create: boolean): void {
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
  private load(): void {
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
      this.stacks = { undo: [], redo: [] };
      return;
    }
    const budget = store.loadBudget();
    this.budget = budget;
    this.book = store.codeBook(budget.fiscalYear);
    for (const l of budget.lines) this.lines.set(l.id, l);
    // The engine keeps its own copy of the arrays it may change.
    const engine = new TableEngine({ ...budget, lines: [...budget.lines], units: [...budget.units] }, this.book, chosenFormat(store));
    this.engine = engine;
    this.audit = new IncrementalAudit(budget, this.book, () => this.lines.values(), () => engine.sharedTables(), AUDIT_RULES);
    this.stacks = stepsFromJson(store.getMeta(UNDO_META_KEY));
  }

  private requireBudget(): { store: BudgetStore; budget: Budget; book: CodeBook; engine: TableEngine } {
    if (!this.store) throw new ApiRefusal('尚未打开预算文件：请新建预算或打开预算文件');
    if (!this.budget || !this.book || !this.engine) throw new ApiRefusal('此预算文件中还没有预算：请导入交换文件或新建预算');
    return { store: this.store, budget: this.budget, book: this.book, engine: this.engine };
  }

  private get unit(): AmountUnit {
    return this.budget?.amountUnit ?? '万元';
  }

  private money(fen: Fen): string {
    return toExactString(fen, this.unit);
  }

  /** T03's 合计 row: 总计 and the 基本支出 / 项目支出 小计, which the engine keeps current edit by edit. */
  private totals(): Totals {
    const { engine } = this.requireBudget();
    const figure = (column: 'total' | 'basic' | 'project') => this.money(engine.cell('T03', 'total', column));
    return { total: figure('total'), basic: figure('basic'), project: figure('project') };
  }

  private row(l: BudgetLine): LineRow {
    // The grid shows a missing remark as an empty cell, where a diff snapshot says null.
    return { ...lineSnapshot(l, this.unit), remark: l.remark ?? '' };
  }

  private subtotal(code: string, amount: Fen): Subtotal {
    const level = code.length === 3 ? '类' : code.length === 5 ? '款' : '项';
    return { code, level, name: this.book?.functional.name(code) ?? '', amount: this.money(amount) };
  }

  /** Names of the codes the given lines use (all lines when omitted). */
  private names(lines: Iterable<BudgetLine> = this.lines.values()): NameBook {
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

  private auditNow(): { findings: CoreFinding[]; summary: AuditSummary } {
    if (this.auditCache) return this.auditCache;
    const { budget, book, engine } = this.requireBudget();
    const current: Budget = { ...budget, lines: [...this.lines.values()].sort((a, b) => a.id - b.id) };
    const findings = auditBudget(current, book, engine.sharedTables());
    let errors = 0;
    for (const f of findings) if (f.severity === 'hard') errors++;
    this.auditCache = { findings, summary: { errors, warnings: findings.length - errors } };
    return this.auditCache;
  }

  private auditSummary(): AuditSummary {
    if (!this.audit) return { errors: 0, warnings: 0 };
    const { hard, soft } = this.audit.counts();
    return { errors: hard, warnings: soft };
  }

  /** The budget's projects, units or department table changed under the lines: names and 审核 follow. */
  private budgetPartsChanged(): void {
    this.auditCache = null;
    this.nameMaps = null;
    this.audit?.budgetChanged();
  }

  private saveStacks(): void {
    this.store?.setMeta(UNDO_META_KEY, stepsToJson(this.stacks));
  }

  // ---- applying line changes ----------------------------------------------------------------------------

  /**
   * Applies changes already written to the store to the in-memory lines and the tables, and describes them
   * for the UI.
   */
  private absorb(changes: EditStep['changes'], message?: string): ChangeSet {
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
  private record(step: EditStep): void {
    if (step.changes.length === 0 && !step.document) return;
    this.stacks.undo.push(step);
    if (this.stacks.undo.length > UNDO_LIMIT) this.stacks.undo.splice(0, this.stacks.undo.length - UNDO_LIMIT);
    // The history is rewritten into the file on every edit: bound its size by the lines it holds too.
    let held = this.stacks.undo.reduce((n, s) => n + s.changes.length, 0);
    while (held > UNDO_MAX_LINE_CHANGES && this.stacks.undo.length > 1) held -= this.stacks.undo.shift()!.changes.length;
    this.stacks.redo = [];
    this.saveStacks();
  }

  /**
   * One user action: `write` makes its line changes in the store, and the undo step that reverses them is
   * written in the same transaction, so the file holds both or neither. On failure (a refused value, a full
   * disk) nothing of the action is stored, the stack is re-read from the file, and the session keeps showing
   * what the file holds.
   */
  private act(write: (store: BudgetStore) => EditStep | null): ChangeSet {
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
    return this.absorb(step?.changes ?? []);
  }

  /** Writes one change to the store in the given direction; returns what is stored afterwards. */
  private replay(store: BudgetStore, from: BudgetLine | null, to: BudgetLine | null): { before: BudgetLine | null; after: BudgetLine | null } {
    if (from && to) {
      // Every field explicitly, optional ones included: the store keeps what a patch leaves out.
      const r = store.updateLine(from.id, { ...lineFields(to), remark: to.remark, assumed: !!to.assumed });
      return { before: r.before, after: r.after };
    }
    if (to) return { before: null, after: store.restoreLine(to) };
    if (from) return { before: store.deleteLine(from.id), after: null };
    return { before: null, after: null };
  }

  private inputContext(unit?: AmountUnit): LineInputContext {
    const { budget, book } = this.requireBudget();
    return {
      functional: book.functional,
      economic: book.economic,
      units: budget.units,
      projects: budget.projects,
      amountUnit: unit ?? budget.amountUnit,
    };
  }

  /** Applies read field values to a line's fields, with the couplings a user expects between kind and project. */
  private patched(base: LineFields, values: FieldValue[]): { fields: LineFields; problem?: string } {
    const next: LineFields = { ...base };
    let setKind = false;
    let setProject = false;
    for (const v of values) {
      switch (v.field) {
        case 'amount':
          next.amount = v.value;
          break;
        case 'kind':
          next.kind = v.value;
          setKind = true;
          break;
        case 'project':
          next.project = v.value;
          setProject = true;
          break;
        case 'fund':
          next.fund = v.value;
          break;
        case 'remark':
          // The key stays even when cleared: the store merges a patch over the line, so an absent key
          // would keep the old remark.
          next.remark = v.value === '' ? undefined : v.value;
          break;
        default:
          next[v.field] = v.value;
      }
    }
    // Choosing a project makes the line a project line; clearing it makes it basic; making a line basic drops
    // its project. Making a line a project line needs a project.
    if (setProject && !setKind) next.kind = next.project === null ? 'basic' : 'project';
    if (setKind && next.kind === 'basic' && !setProject) next.project = null;
    if (next.kind === 'project' && next.project === null) {
      return { fields: next, problem: '项目支出必须指明所属项目：请在“项目”列选择项目（选择后支出类型自动改为项目支出）' };
    }
    return { fields: next };
  }

  // ---- API: budget --------------------------------------------------------------------------------------

  private info(): BudgetInfo {
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

  'budget.info'(): BudgetInfo {
    return this.info();
  }

  'budget.create'(input: ApiParsedInput<'budget.create'>): BudgetInfo {
    const codes = new Set<string>();
    for (const u of input.units) {
      if (codes.has(u.code)) throw new ApiRefusal(`单位编码“${u.code}”重复`);
      codes.add(u.code);
    }
    const budget: Budget = {
      fiscalYear: input.fiscalYear,
      amountUnit: input.amountUnit,
      department: { code: input.department.code.trim(), name: input.department.name.trim() },
      units: input.units.map((u): Unit => ({ code: u.code.trim(), name: u.name.trim(), kind: u.kind })),
      lines: [],
      income: [],
      projects: [],
      procurement: [],
      departmentPerformance: null,
      priorYear: null,
    };
    // A budget file that is open but still empty (the host was started on a new file) takes the new budget.
    const current = this.store;
    if (input.path === undefined && current && !current.hasBudget()) {
      try {
        current.replaceBudget(budget);
      } catch (err) {
        refusalFrom(err);
      }
      this.load();
      this.remember(current.path);
      return this.info();
    }
    const fileName = `${safeFileName(input.department.name)}-${input.fiscalYear}年部门预算${BUDGET_FILE_EXTENSION}`;
    const path = resolve(input.path ?? join(this.budgetsDir, fileName));
    if (existsSync(path)) throw new ApiRefusal(`文件“${path}”已存在：请换一个文件名，或用“打开”打开它`);
    if (!existsSync(dirname(path))) {
      if (input.path) throw new ApiRefusal(`文件夹“${dirname(path)}”不存在`);
      mkdirSync(dirname(path), { recursive: true });
    }
    const lock = this.lockFor(path);
    let store: BudgetStore;
    try {
      store = BudgetStore.open(path, { create: true });
    } catch (err) {
      this.dropLock(lock);
      refusalFrom(err);
    }
    try {
      store.replaceBudget(budget);
    } catch (err) {
      store.close();
      this.dropLock(lock);
      refusalFrom(err);
    }
    this.adopt(store, lock);
    this.load();
    this.remember(path);
    return this.info();
  }

  'budget.open'(input: ApiParsedInput<'budget.open'>): BudgetInfo {
    const path = resolve(input.path);
    if (!existsSync(path)) throw new ApiRefusal(`找不到预算文件“${path}”`);
    this.openFile(path, false);
    return this.info();
  }

  /**
   * 另存为 by SQLite's backup of the open file: the copy holds everything the file holds (lines, code lists,
   * undo history, wizard state, submissions), then it is the budget open. On failure the original stays open.
   */
  async 'budget.saveAs'(input: ApiParsedInput<'budget.saveAs'>): Promise<BudgetInfo> {
    const { store } = this.requireBudget();
    if (!isAbsolute(input.path)) throw new ApiRefusal(`“${input.path}”不是完整路径：请给出包含文件夹的完整路径`);
    const target = resolve(input.path);
    if (target === resolve(store.path)) throw new ApiRefusal('这就是当前打开的预算文件：每次修改都已立即保存，无需另存');
    if (!existsSync(dirname(target))) throw new ApiRefusal(`文件夹“${dirname(target)}”不存在`);
    if (existsSync(target)) {
      if (statSync(target).isDirectory()) throw new ApiRefusal(`“${target}”是文件夹，不能作为预算文件`);
      if (!input.overwrite) throw new ApiRefusal(`文件“${target}”已存在：请换一个文件名，或确认替换它`);
      // A write-ahead log beside it means another program has it open (or crashed while writing it).
      if (existsSync(`${target}-wal`)) throw new ApiRefusal(`文件“${target}”正被其他程序使用，不能替换`);
    }
    try {
      await store.backupTo(target);
    } catch (err) {
      refusalFrom(err);
    }
    this.openFile(target, false);
    return this.info();
  }

  /** A copy once a day while the file is edited (checked after each action); a failed copy is retried a day later. */
  private dailyBackup(): void {
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

  'backups.list'(): BackupList {
    const store = this.store;
    if (!store) throw new ApiRefusal('尚未打开预算文件：请新建预算或打开预算文件');
    return {
      folder: backupFolder(store.path),
      backups: listBackups(store.path).map((b) => ({
        fileName: b.fileName,
        at: b.at,
        reason: BACKUP_REASON_LABELS[b.reason] ?? b.reason,
        department: b.department,
        fiscalYear: b.fiscalYear,
        lineCount: b.lineCount,
        total: b.totalFen !== null && (b.amountUnit === '万元' || b.amountUnit === '元') ? toExactString(BigInt(b.totalFen), b.amountUnit) : null,
        amountUnit: b.amountUnit,
      })),
    };
  }

  /** 恢复备份: the current state is backed up first (so the restore itself can be undone the same way). */
  'backups.restore'(input: ApiParsedInput<'backups.restore'>): BudgetInfo {
    const store = this.store;
    if (!store) throw new ApiRefusal('尚未打开预算文件：请新建预算或打开预算文件');
    const path = join(backupFolder(store.path), basename(input.fileName));
    if (!isBackupOf(store.path, path)) throw new ApiRefusal(`找不到备份“${input.fileName}”`);
    for (const j of this.submission.jobs.values()) if (j.state === 'running') throw new ApiRefusal('正在生成上报数据包，完成后再恢复备份');
    try {
      store.backup('restore');
    } catch (err) {
      refusalFrom(err);
    }
    const file = store.path;
    store.close();
    this.store = null;
    let failure: unknown = null;
    try {
      BudgetStore.restoreFrom(file, path);
    } catch (err) {
      failure = err;
    }
    // Reopened under the lock this session holds, restored or (on failure) as it was.
    this.openFile(file, false);
    if (failure) refusalFrom(failure);
    return this.info();
  }

  'budget.recent'(): RecentBudget[] {
    return this.readRecent().filter((r) => existsSync(r.path));
  }

  private readRecent(): RecentBudget[] {
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

  private remember(path: string): void {
    const name = this.budget ? `${this.budget.department.name} ${this.budget.fiscalYear} 年` : basename(path);
    const list = [{ path, name, openedAt: new Date().toISOString() }, ...this.readRecent().filter((r) => r.path !== path)].slice(0, RECENT_LIMIT);
    try {
      mkdirSync(dirname(this.recentFile), { recursive: true });
      writeFileSync(this.recentFile, JSON.stringify(list, null, 2));
    } catch {
      // The recent list is a convenience; a read-only folder must not stop the budget from opening.
    }
  }

  // ---- API: exchange ------------------------------------------------------------------------------------

  'exchange.import'(input: ApiParsedInput<'exchange.import'>): BudgetInfo {
    let text: string;
    if (input.path !== undefined) {
      try {
        text = readFileSync(resolve(input.path), 'utf8');
      } catch {
        throw new ApiRefusal(`无法读取交换文件“${input.path}”`);
      }
    } else text = input.text ?? '';
    const bookStore = this.store;
    const parsed = parseExchange(text, (year) => (bookStore ? bookStore.codeBook(year) : defaultCodeBook(year)));
    if (!parsed.ok) {
      const shown = parsed.problems.slice(0, 200);
      throw new ApiRefusal(
        `交换文件有 ${parsed.problems.length} 处错误，未导入。${formatProblem(parsed.problems[0]!)}`,
        shown.map((p) => ({ path: p.line !== undefined ? `${p.path}（第 ${p.line} 行）` : p.path, message: p.message })),
      );
    }
    if (!this.store) {
      const b = parsed.budget;
      const path = join(this.budgetsDir, `${safeFileName(b.department.name)}-${b.fiscalYear}年部门预算${BUDGET_FILE_EXTENSION}`);
      mkdirSync(this.budgetsDir, { recursive: true });
      this.openFile(path, true);
    }
    const store = this.store!;
    try {
      // The budget it replaces stays in a backup.
      if (store.hasBudget()) store.backup('import');
      store.transaction(() => {
        store.replaceBudget(parsed.budget);
        // The history belongs to the budget it edited.
        store.setMeta(UNDO_META_KEY, stepsToJson({ undo: [], redo: [] }));
        // So is the 绩效目标 wizard's state (positions, choices, 完成).
        resetWizardState(store);
      });
    } catch (err) {
      refusalFrom(err);
    }
    this.load();
    this.remember(store.path);
    return this.info();
  }

  'exchange.export'(input: ApiParsedInput<'exchange.export'>): ApiOutputs['exchange.export'] {
    const { budget } = this.requireBudget();
    const current: Budget = { ...budget, lines: [...this.lines.values()].sort((a, b) => a.id - b.id) };
    const text = serializeExchange(current);
    const fileName = `${safeFileName(budget.department.name)}-${budget.fiscalYear}年部门预算.json`;
    let path: string | null = null;
    if (input.path !== undefined) {
      path = resolve(input.path);
      try {
        writeFileSync(path, text, 'utf8');
      } catch {
        throw new ApiRefusal(`无法写入“${path}”：请检查文件夹是否存在、是否有写入权限`);
      }
    }
    return { text, fileName, path };
  }

  // ---- API: lines ---------------------------------------------------------------------------------------

  'lines.list'(): ApiOutputs['lines.list'] {
    const { offset: _offset, lineCount: _count, ...list } = this['lines.page']({ offset: 0, limit: Number.MAX_SAFE_INTEGER });
    return list;
  }

  'lines.page'(input: ApiParsedInput<'lines.page'>): ApiOutputs['lines.page'] {
    const { engine } = this.requireBudget();
    const ordered = (this.ordered ??= [...this.lines.values()].sort(compareLines));
    const lines = ordered.slice(input.offset, input.offset + input.limit);
    const subtotals: Subtotal[] = [];
    for (const [code, amount] of engine.functionalSubtotals()) subtotals.push(this.subtotal(code, amount));
    subtotals.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    return {
      amountUnit: this.unit,
      offset: input.offset,
      lineCount: ordered.length,
      lines: lines.map((l) => this.row(l)),
      names: this.names(lines),
      subtotals,
      totals: this.totals(),
    };
  }

  'lines.update'(input: ApiParsedInput<'lines.update'>): ChangeSet {
    this.requireBudget();
    const line = this.lines.get(input.id);
    if (!line) throw new ApiRefusal(`预算行 #${input.id} 不存在（可能已被删除）`);
    // Delete in a spreadsheet clears an amount to zero.
    const text = input.field === 'amount' && input.value.trim() === '' ? '0' : input.value;
    const read = readField(input.field, text, this.inputContext(input.unit));
    if (!read.ok) throw new ApiRefusal(`${LINE_FIELD_LABELS[input.field]}：${read.reason}`);
    const { fields, problem } = this.patched(lineFields(line), [read.value]);
    if (problem) throw new ApiRefusal(problem);
    return this.act((store) => {
      const result = store.updateLine(line.id, fields);
      return sameLine(result.before, result.after) ? null : { label: `修改${LINE_FIELD_LABELS[input.field]}`, changes: [result] };
    });
  }

  'lines.add'(input: ApiParsedInput<'lines.add'>): ChangeSet {
    const { budget } = this.requireBudget();
    const like = input.like !== undefined ? this.lines.get(input.like) : undefined;
    if (input.like !== undefined && !like) throw new ApiRefusal(`预算行 #${input.like} 不存在（可能已被删除）`);
    const template = like ?? [...this.lines.values()].sort(compareLines).at(-1);
    const base: LineFields = template
      ? { ...lineFields(template), amount: 0n, assumed: false }
      : this.defaultLine(budget);
    delete base.remark;
    base.assumed = false;
    const values: FieldValue[] = [];
    const ctx = this.inputContext();
    for (const [field, text] of Object.entries(input.values ?? {}) as [LineField, string][]) {
      const read = readField(field, text, ctx);
      if (!read.ok) throw new ApiRefusal(`${LINE_FIELD_LABELS[field]}：${read.reason}`);
      values.push(read.value);
    }
    const { fields, problem } = this.patched(base, values);
    if (problem) throw new ApiRefusal(problem);
    return this.act((store) => ({ label: '新增行', changes: [{ before: null, after: store.insertLine(fields) }] }));
  }

  /** A first line for an empty budget: the first unit, the first 项 and 款 of the year's lists. */
  private defaultLine(budget: Budget): LineFields {
    const book = this.book!;
    const unit = budget.units[0];
    const functional = book.functional.entries().find((e) => e.level === '项');
    const economic = book.economic.entries().find((e) => e.level === '款');
    if (!unit || !functional || !economic) throw new ApiRefusal('无法新增行：预算中没有单位，或科目表为空');
    return { unit: unit.code, functional: functional.code, economic: economic.code, kind: 'basic', project: null, fund: 'gpb.appropriation', amount: 0n };
  }

  'lines.duplicate'(input: ApiParsedInput<'lines.duplicate'>): ChangeSet {
    this.requireBudget();
    const sources = input.ids.map((id) => {
      const l = this.lines.get(id);
      if (!l) throw new ApiRefusal(`预算行 #${id} 不存在（可能已被删除）`);
      return l;
    });
    return this.act((store) => ({
      label: sources.length > 1 ? `复制 ${sources.length} 行` : '复制行',
      changes: sources.map((l) => ({ before: null, after: store.insertLine(lineFields(l)) })),
    }));
  }

  'lines.delete'(input: ApiParsedInput<'lines.delete'>): ChangeSet {
    this.requireBudget();
    const ids = [...new Set(input.ids)];
    for (const id of ids) if (!this.lines.has(id)) throw new ApiRefusal(`预算行 #${id} 不存在（可能已被删除）`);
    return this.act((store) => ({
      label: ids.length > 1 ? `删除 ${ids.length} 行` : '删除行',
      changes: ids.map((id) => ({ before: store.deleteLine(id), after: null })),
    }));
  }

  'lines.paste'(input: ApiParsedInput<'lines.paste'>): ApiOutputs['lines.paste'] {
    this.requireBudget();
    const ctx = this.inputContext(input.unit);
    const startColumn = LINE_FIELDS.indexOf(input.startField);
    const ordered = [...this.lines.values()].sort(compareLines);
    let targetIndex = ordered.length;
    let template: BudgetLine | undefined;
    if (input.startId !== null) {
      targetIndex = ordered.findIndex((l) => l.id === input.startId);
      if (targetIndex < 0) throw new ApiRefusal(`预算行 #${input.startId} 不存在（可能已被删除）`);
      template = ordered[targetIndex];
    }
    const rows = dropHeaderRow(input.rows, startColumn);
    let lineContext: ReturnType<BudgetSession['lineContextFor']> | undefined;
    const rejected: { row: number; reason: string }[] = [];
    const changes: EditStep['changes'] = [];
    let added = 0;
    let updated = 0;
    const cs = this.act((store) => {
      rows.forEach(({ cells, row }) => {
        // An empty row keeps its place over an existing line (it changes nothing) and adds nothing.
        if (cells.every((c) => c.trim() === '')) {
          targetIndex++;
          return;
        }
        if (startColumn + cells.length > LINE_FIELDS.length) {
          rejected.push({ row, reason: `有 ${cells.length} 列，从“${LINE_FIELD_LABELS[input.startField]}”列起超出了表格的列数` });
          return;
        }
        const target = ordered[targetIndex++];
        const values: FieldValue[] = [];
        const reasons: string[] = [];
        cells.forEach((cell, i) => {
          const field = LINE_FIELDS[startColumn + i]!;
          // An empty cell keeps what is there (a new line takes it from the line pasted at); an empty amount
          // or remark clears it, as in a spreadsheet.
          if (cell.trim() === '' && field !== 'amount' && field !== 'remark') return;
          const read = readField(field, field === 'amount' && cell.trim() === '' ? '0' : cell, ctx);
          if (read.ok) values.push(read.value);
          else reasons.push(`${LINE_FIELD_LABELS[field]}：${read.reason}`);
        });
        if (reasons.length) {
          rejected.push({ row, reason: reasons.join('；') });
          return;
        }
        const base = target ?? template;
        if (!base) {
          const missing = (['unit', 'functional', 'economic', 'fund'] as const).filter(
            (f) => !values.some((v) => v.field === f),
          );
          if (missing.length) {
            rejected.push({ row, reason: `新增行缺少${missing.map((f) => LINE_FIELD_LABELS[f]).join('、')}` });
            return;
          }
        }
        const start: LineFields = base
          ? { ...lineFields(base), ...(target ? {} : { amount: 0n, assumed: false }) }
          : { unit: '', functional: '', economic: '', kind: 'basic', project: null, fund: 'gpb.appropriation', amount: 0n };
        if (!target) delete start.remark;
        const { fields, problem } = this.patched(start, values);
        if (problem) {
          rejected.push({ row, reason: problem });
          return;
        }
        const ctxProblems = target ? [] : lineProblems(fields, (lineContext ??= this.lineContextFor()));
        if (ctxProblems.length) {
          rejected.push({ row, reason: ctxProblems.map((p) => p.message).join('；') });
          return;
        }
        try {
          if (target) {
            const r = store.updateLine(target.id, fields);
            if (!sameLine(r.before, r.after)) {
              changes.push(r);
              updated++;
            }
          } else {
            changes.push({ before: null, after: store.insertLine(fields) });
            added++;
          }
        } catch (err) {
          if (err instanceof StoreError) rejected.push({ row, reason: err.message });
          else throw err;
        }
      });
      return { label: `粘贴 ${added + updated} 行`, changes };
    });
    return { ...cs, addedCount: added, updatedCount: updated, rejected };
  }

  private lineContextFor() {
    const { budget, book } = this.requireBudget();
    return { book, unitCodes: new Set(budget.units.map((u) => u.code)), projectCodes: new Set(budget.projects.map((p) => p.code)) };
  }

  // ---- API: undo / redo ---------------------------------------------------------------------------------

  private step(direction: 'undo' | 'redo'): ApiOutputs['edit.undo'] {
    const { store } = this.requireBudget();
    const from = direction === 'undo' ? this.stacks.undo : this.stacks.redo;
    const to = direction === 'undo' ? this.stacks.redo : this.stacks.undo;
    const step = from.at(-1);
    if (!step) return { ...this.absorb([]), done: false };
    const order = direction === 'undo' ? [...step.changes].reverse() : step.changes;
    // The step must start from what the file holds now; anything else (the file was changed by another
    // program, or a project code was renamed under the lines) would write history over the wrong data.
    const simulated = new Map<number, BudgetLine | null>();
    for (const c of order) {
      const [expected, next] = direction === 'undo' ? [c.after, c.before] : [c.before, c.after];
      const id = (expected ?? next)!.id;
      const current = simulated.has(id) ? simulated.get(id)! : (this.lines.get(id) ?? null);
      const matches = expected === null ? current === null : current !== null && sameLine(current, expected);
      if (!matches) {
        this.stacks = { undo: [], redo: [] };
        this.saveStacks();
        throw new ApiRefusal(
          `无法${direction === 'undo' ? '撤销' : '重做'}“${step.label}”：预算数据已在别处被修改，与撤销记录不一致。已清空撤销记录，预算未作任何改动`,
        );
      }
      simulated.set(id, next);
    }
    const doc = step.document;
    const [docFrom, docTo] = direction === 'undo' ? (['after', 'before'] as const) : (['before', 'after'] as const);
    if (doc && !documentHolds(this.budget!, doc, docFrom)) {
      this.stacks = { undo: [], redo: [] };
      this.saveStacks();
      throw new ApiRefusal(`无法${direction === 'undo' ? '撤销' : '重做'}“${step.label}”：预算说明已在别处被修改，与撤销记录不一致。已清空撤销记录，预算未作任何改动`);
    }
    let applied: EditStep['changes'];
    try {
      applied = store.transaction(() => {
        const out: EditStep['changes'] = order.map((c) =>
          direction === 'undo' ? this.replay(store, c.after, c.before) : this.replay(store, c.before, c.after),
        );
        if (doc) writeDocumentSide(store, doc, docTo);
        from.pop();
        to.push(step);
        store.setMeta(UNDO_META_KEY, stepsToJson(this.stacks));
        return out;
      });
    } catch (err) {
      // The file and the stack are as they were (the transaction rolled back); re-read the stack to be sure.
      this.stacks = stepsFromJson(store.getMeta(UNDO_META_KEY));
      const why = sqliteFailure(err) ?? (err instanceof StoreError ? err : null);
      if (why) throw new ApiRefusal(`无法${direction === 'undo' ? '撤销' : '重做'}“${step.label}”，未作改动：${why.message}`);
      throw err;
    }
    if (doc) {
      adoptDocumentSide(this.budget!, this.engine!, doc, docTo);
      this.budgetPartsChanged();
    }
    const verb = direction === 'undo' ? '已撤销' : '已重做';
    return { ...this.absorb(applied, `${verb}：${step.label}`), done: true };
  }

  'edit.undo'(): ApiOutputs['edit.undo'] {
    return this.step('undo');
  }

  'edit.redo'(): ApiOutputs['edit.redo'] {
    return this.step('redo');
  }

  // ---- API: lookups -------------------------------------------------------------------------------------

  'codes.search'(input: ApiParsedInput<'codes.search'>): CodeOption[] {
    const limit = input.limit ?? 50;
    const q = input.query.normalize('NFKC').trim();
    const leafOnly = input.leafOnly ?? true;
    let options: CodeOption[];
    switch (input.kind) {
      case 'functional':
      case 'economic': {
        const { book } = this.requireBudget();
        const list = input.kind === 'functional' ? book.functional : book.economic;
        const leaf = input.kind === 'functional' ? '项' : '款';
        const pathOf = (parent: string | null): string => {
          const names: string[] = [];
          for (let at: string | null = parent; at; at = list.get(at)?.parent ?? null) names.unshift(list.name(at));
          return names.join(' › ');
        };
        options = list
          .entries()
          .filter((e) => !leafOnly || e.level === leaf)
          .map((e) => ({ code: e.code, name: e.name, level: e.level, path: pathOf(e.parent) }));
        break;
      }
      case 'unit':
        options = this.requireBudget().budget.units.map((u) => ({ code: u.code, name: u.name, level: UNIT_KIND_LABELS[u.kind] }));
        break;
      case 'project':
        options = this.requireBudget().budget.projects.map((p) => ({ code: p.code, name: p.name, level: PROJECT_CATEGORY_LABELS[p.category] }));
        break;
      case 'fund':
        options = FUNDS.map((f) => ({ code: f.code, name: fundLabel(f.code) }));
        break;
      case 'kind':
        options = (['basic', 'project'] as const).map((k) => ({ code: k, name: KIND_LABELS[k] }));
        break;
    }
    return rankOptions(options, q, input.kind === 'fund').slice(0, limit);
  }

  /**
   * Loads a year's code list into the file, all or nothing. Problems are reported by CSV line (the file's own
   * lines and the parents the year's list lacks); afterwards the pickers, names, tables and 审核 use the list.
   */
  'codes.import'(input: ApiParsedInput<'codes.import'>): ApiOutputs['codes.import'] {
    const store = this.store;
    if (!store) throw new ApiRefusal('尚未打开预算文件：请新建预算或打开预算文件');
    const year = input.year ?? this.budget?.fiscalYear;
    if (year === undefined) throw new ApiRefusal('预算文件中还没有预算，无法确定科目表的年度：请指定年度');
    const label = CODE_LIST_KIND_LABELS[input.kind];
    const parsed = parseCodeListCsv(input.csvText, input.kind);
    const problems: CsvProblem[] = parsed.ok ? [] : parsed.problems;
    if (parsed.ok) {
      // A parent must be in the file or already in the year's list (the store checks the same, by entry).
      const current = store.codeBook(year)[input.kind === 'government-economic' ? 'government' : input.kind];
      const incoming = new Set(parsed.entries.map((e) => e.code));
      parsed.entries.forEach((e, i) => {
        if (e.parent !== null && !incoming.has(e.parent) && !current.has(e.parent)) {
          problems.push({ line: i + 2, field: 'parent_code', message: `上级科目“${e.parent}”既不在此表中，也不在 ${year} 年的科目表中` });
        }
      });
    }
    if (!parsed.ok || problems.length > 0) {
      const shown = problems.slice(0, CODE_IMPORT_PROBLEMS_SHOWN);
      throw new ApiRefusal(
        `科目表有 ${problems.length} 处问题，未导入（预算文件未作改动）。${codeProblemText(problems[0]!)}` +
          (problems.length > shown.length ? `（以下列出前 ${shown.length} 处）` : ''),
        shown.map((p) => ({ path: `第 ${p.line} 行${p.field ? `（${p.field}）` : ''}`, message: p.message })),
      );
    }
    let counts: { added: number; changed: number };
    try {
      counts = store.importCodeList(input.kind, year, parsed.entries);
    } catch (err) {
      refusalFrom(err);
    }
    // Names, pickers, tables and 审核 read the year's lists: start them afresh from the file.
    if (this.budget?.fiscalYear === year) this.load();
    return {
      kind: input.kind,
      kindLabel: label,
      year,
      entries: parsed.entries.length,
      ...counts,
      message: `已载入 ${year} 年${label}（${parsed.entries.length} 个科目）：新增 ${counts.added} 个，修改 ${counts.changed} 个`,
    };
  }

  'projects.list'(): ApiOutputs['projects.list'] {
    const { budget, engine } = this.requireBudget();
    const sums = engine.projectLineTotals();
    return budget.projects.map((p) => ({
      code: p.code,
      unit: p.unit,
      name: p.name,
      category: p.category,
      categoryLabel: PROJECT_CATEGORY_LABELS[p.category],
      yearAmount: this.money(p.yearAmount),
      linesAmount: this.money(sums.get(p.code) ?? 0n),
    }));
  }

  // ---- API: publication formats ------------------------------------------------------------------------

  private formatsInfo(store: BudgetStore): ApiOutputs['formats.list'] {
    return {
      current: chosenFormat(store).id,
      formats: availableFormats(store).map((f) => ({ id: f.id, name: f.name, builtin: f.builtin, tables: f.format.tables.map((t) => t.id) })),
    };
  }

  'formats.list'(): ApiOutputs['formats.list'] {
    const { store } = this.requireBudget();
    return this.formatsInfo(store);
  }

  'formats.choose'(input: ApiParsedInput<'formats.choose'>): ApiOutputs['formats.choose'] {
    const { store } = this.requireBudget();
    try {
      chooseFormat(store, input.id);
    } catch (err) {
      refusalFrom(err);
    }
    // The tables are the format's: start the engine afresh.
    this.load();
    return this.formatsInfo(store);
  }

  'formats.import'(input: ApiParsedInput<'formats.import'>): ApiOutputs['formats.import'] {
    const { store } = this.requireBudget();
    const checked = checkFormatFile(input.text);
    if (!checked.ok) {
      throw new ApiRefusal(
        `公开表格式文件有 ${checked.problems.length} 处问题，未载入（预算文件未作改动）`,
        checked.problems.map((p) => ({ path: p.path, message: p.message })),
      );
    }
    try {
      storeUserFormat(store, checked.format);
    } catch (err) {
      refusalFrom(err);
    }
    return { ...this.formatsInfo(store), message: `已载入公开表格式“${checked.format.name}”（${checked.format.tables.length} 张表），可在上方选用` };
  }

  // ---- API: reports and audit ---------------------------------------------------------------------------

  'reports.tables'(input: ApiParsedInput<'reports.tables'>): ApiOutputs['reports.tables'] {
    const { engine, budget, store } = this.requireBudget();
    const displayUnit = input.displayUnit ?? this.unit;
    // The indicator trees chosen in the wizard, so the T10/T11 sheets follow the same tree as the wizard.
    const choices = templateChoicesFromWizardState(store.getMeta(WIZARD_STATE_META_KEY));
    // Only the tables asked for, each read from the engine's kept cells (nothing is computed for the others).
    const tables = input.tables ? input.tables.map((id) => engine.sharedTable(id as CoreTableId)) : engine.sharedTables();
    return { displayUnit, tables: tables.flatMap((t) => reportToView(t, displayUnit, budget.fiscalYear, choices)) };
  }

  'reports.linesBehind'(input: ApiParsedInput<'reports.linesBehind'>): ApiOutputs['reports.linesBehind'] {
    const { engine } = this.requireBudget();
    let ids: number[];
    try {
      ids = engine.linesBehind(input.table as CoreTableId, input.row, input.column);
    } catch {
      throw new ApiRefusal(`表 ${input.table} 中没有这个数字`);
    }
    const lines = ids.map((id) => this.lines.get(id)).filter((l): l is BudgetLine => !!l).sort(compareLines);
    let total = 0n;
    for (const l of lines) total += l.amount;
    const table = engine.sharedTable(input.table as CoreTableId);
    const row = table?.rows.find((r) => r.key === input.row);
    const title = `${table?.title ?? input.table}${row ? ` · ${row.label}` : ''}`;
    return { title, total: this.money(total), lines: lines.map((l) => this.row(l)), names: this.names(lines) };
  }

  'audit.run'(): ApiOutputs['audit.run'] {
    this.auditCache = null;
    const { findings, summary } = this.auditNow();
    return {
      summary,
      findings: findings.map((f) => ({
        severity: f.severity === 'hard' ? 'error' : 'warning',
        rule: f.rule,
        ruleDescription: auditRule(f.rule)?.description ?? '',
        message: f.message,
        place: { ...f.place },
      })),
    };
  }

  // ---- API: 绩效目标 wizard (api/wizard-service.ts) ------------------------------------------------------

  /** The open budget for the wizard, with the hooks that keep this session in step after it writes. */
  private wizardSession(): WizardSession {
    const { store, budget, book, engine } = this.requireBudget();
    const replaceProject = (code: string, next: Project | null) => {
      const i = budget.projects.findIndex((p) => p.code === code);
      if (next && i >= 0) budget.projects[i] = next;
      else if (next) budget.projects.push(next);
      else if (i >= 0) budget.projects.splice(i, 1);
    };
    return {
      store,
      budget,
      book,
      engine,
      lines: () => [...this.lines.values()].sort((a, b) => a.id - b.id),
      projectSaved: (before: Project | null, after: Project) => {
        // A new code was carried to the project's lines in the file (ON UPDATE CASCADE): re-read everything.
        if (before && before.code !== after.code) return this.load();
        replaceProject(after.code, after);
        engine.updateProject(after);
        this.budgetPartsChanged();
      },
      projectRemoved: (project: Project) => {
        replaceProject(project.code, null);
        engine.removeProject(project.code);
        this.budgetPartsChanged();
      },
      departmentSaved: (performance: DepartmentPerformance | null) => {
        budget.departmentPerformance = performance;
        engine.setDepartmentPerformance(performance);
        this.budgetPartsChanged();
      },
    };
  }

  'wizard.list'(): ApiOutputs['wizard.list'] {
    return WIZARD_HANDLERS['wizard.list'](this.wizardSession());
  }
  'wizard.project'(input: ApiParsedInput<'wizard.project'>): ApiOutputs['wizard.project'] {
    return WIZARD_HANDLERS['wizard.project'](this.wizardSession(), input);
  }
  'wizard.saveBasics'(input: ApiParsedInput<'wizard.saveBasics'>): ApiOutputs['wizard.saveBasics'] {
    return WIZARD_HANDLERS['wizard.saveBasics'](this.wizardSession(), input);
  }
  'wizard.saveDetails'(input: ApiParsedInput<'wizard.saveDetails'>): ApiOutputs['wizard.saveDetails'] {
    return WIZARD_HANDLERS['wizard.saveDetails'](this.wizardSession(), input);
  }
  'wizard.saveGoals'(input: ApiParsedInput<'wizard.saveGoals'>): ApiOutputs['wizard.saveGoals'] {
    return WIZARD_HANDLERS['wizard.saveGoals'](this.wizardSession(), input);
  }
  'wizard.saveIndicators'(input: ApiParsedInput<'wizard.saveIndicators'>): ApiOutputs['wizard.saveIndicators'] {
    return WIZARD_HANDLERS['wizard.saveIndicators'](this.wizardSession(), input);
  }
  'wizard.visit'(input: ApiParsedInput<'wizard.visit'>): ApiOutputs['wizard.visit'] {
    return WIZARD_HANDLERS['wizard.visit'](this.wizardSession(), input);
  }
  'wizard.setTemplate'(input: ApiParsedInput<'wizard.setTemplate'>): ApiOutputs['wizard.setTemplate'] {
    return WIZARD_HANDLERS['wizard.setTemplate'](this.wizardSession(), input);
  }
  'wizard.setDepartmentTemplate'(input: ApiParsedInput<'wizard.setDepartmentTemplate'>): ApiOutputs['wizard.setDepartmentTemplate'] {
    return WIZARD_HANDLERS['wizard.setDepartmentTemplate'](this.wizardSession(), input);
  }
  'wizard.suggest'(input: ApiParsedInput<'wizard.suggest'>): ApiOutputs['wizard.suggest'] {
    return WIZARD_HANDLERS['wizard.suggest'](this.wizardSession(), input);
  }
  'wizard.readTarget'(input: ApiParsedInput<'wizard.readTarget'>): ApiOutputs['wizard.readTarget'] {
    return WIZARD_HANDLERS['wizard.readTarget'](this.wizardSession(), input);
  }
  'wizard.complete'(input: ApiParsedInput<'wizard.complete'>): ApiOutputs['wizard.complete'] {
    return WIZARD_HANDLERS['wizard.complete'](this.wizardSession(), input);
  }
  'wizard.deleteProject'(input: ApiParsedInput<'wizard.deleteProject'>): ApiOutputs['wizard.deleteProject'] {
    return WIZARD_HANDLERS['wizard.deleteProject'](this.wizardSession(), input);
  }
  'wizard.department'(): ApiOutputs['wizard.department'] {
    return WIZARD_HANDLERS['wizard.department'](this.wizardSession());
  }
  'wizard.saveDepartment'(input: ApiParsedInput<'wizard.saveDepartment'>): ApiOutputs['wizard.saveDepartment'] {
    return WIZARD_HANDLERS['wizard.saveDepartment'](this.wizardSession(), input);
  }

  // ---- API: 上报 (api/submission-service.ts) -------------------------------------------------------------

  private submissionSession(): SubmissionSession {
    return {
      store: this.store,
      state: this.submission,
      requireBudget: () => this.requireBudget(),
      lines: () => [...this.lines.values()].sort((a, b) => a.id - b.id),
      commitLines: (label, write) => this.act((store) => ({ label, changes: write(store) })),
    };
  }

  'submission.status'(): ApiOutputs['submission.status'] {
    return SUBMISSION_HANDLERS['submission.status'](this.submissionSession());
  }
  'submission.prepare'(): ApiOutputs['submission.prepare'] {
    return SUBMISSION_HANDLERS['submission.prepare'](this.submissionSession());
  }
  'submission.saveNotes'(input: ApiParsedInput<'submission.saveNotes'>): ApiOutputs['submission.saveNotes'] {
    return SUBMISSION_HANDLERS['submission.saveNotes'](this.submissionSession(), input);
  }
  'submission.export'(input: ApiParsedInput<'submission.export'>): ApiOutputs['submission.export'] {
    return SUBMISSION_HANDLERS['submission.export'](this.submissionSession(), input);
  }
  'submission.exportProgress'(input: ApiParsedInput<'submission.exportProgress'>): ApiOutputs['submission.exportProgress'] {
    return SUBMISSION_HANDLERS['submission.exportProgress'](this.submissionSession(), input);
  }
  'submission.unlock'(input: ApiParsedInput<'submission.unlock'>): ApiOutputs['submission.unlock'] {
    return SUBMISSION_HANDLERS['submission.unlock'](this.submissionSession(), input);
  }
  'submission.diff'(input: ApiParsedInput<'submission.diff'>): ApiOutputs['submission.diff'] {
    return SUBMISSION_HANDLERS['submission.diff'](this.submissionSession(), input);
  }
  'submission.choose'(input: ApiParsedInput<'submission.choose'>): Promise<ApiOutputs['submission.choose']> {
    return SUBMISSION_HANDLERS['submission.choose'](this.submissionSession(), input);
  }
  'submission.inspect'(input: ApiParsedInput<'submission.inspect'>): Promise<ApiOutputs['submission.inspect']> {
    return SUBMISSION_HANDLERS['submission.inspect'](this.submissionSession(), input);
  }
  'submission.receive'(input: ApiParsedInput<'submission.receive'>): Promise<ApiOutputs['submission.receive']> {
    return SUBMISSION_HANDLERS['submission.receive'](this.submissionSession(), input);
  }
  'submission.discard'(input: ApiParsedInput<'submission.discard'>): ApiOutputs['submission.discard'] {
    return SUBMISSION_HANDLERS['submission.discard'](this.submissionSession(), input);
  }
  'submission.tables'(input: ApiParsedInput<'submission.tables'>): ApiOutputs['submission.tables'] {
    return SUBMISSION_HANDLERS['submission.tables'](this.submissionSession(), input);
  }
  'submission.linesTemplate'(input: ApiParsedInput<'submission.linesTemplate'>): Promise<ApiOutputs['submission.linesTemplate']> {
    return SUBMISSION_HANDLERS['submission.linesTemplate'](this.submissionSession(), input);
  }
  'submission.importLines'(input: ApiParsedInput<'submission.importLines'>): Promise<ApiOutputs['submission.importLines']> {
    return SUBMISSION_HANDLERS['submission.importLines'](this.submissionSession(), input);
  }

  // ---- API: 预算说明 (api/document-service.ts) ------------------------------------------------------------

  private documentSession(): DocumentSession {
    const { store, budget, book, engine } = this.requireBudget();
    // The narrative and last year's figures are read by 审核 rules that look at no line: count them again.
    return {
      store,
      budget,
      book,
      engine,
      changed: () => this.budgetPartsChanged(),
      // One 预算说明 action: its writes and its undo step in one transaction (as act() does for lines).
      commit: (label, document, write) => {
        try {
          store.transaction(() => {
            write();
            this.record({ label, changes: [], document });
          });
        } catch (err) {
          this.stacks = stepsFromJson(store.getMeta(UNDO_META_KEY));
          refusalFrom(err);
        }
        this.dailyBackup();
      },
    };
  }

  'document.view'(): ApiOutputs['document.view'] {
    return DOCUMENT_HANDLERS['document.view'](this.documentSession());
  }
  'document.saveTexts'(input: ApiParsedInput<'document.saveTexts'>): ApiOutputs['document.saveTexts'] {
    return DOCUMENT_HANDLERS['document.saveTexts'](this.documentSession(), input);
  }
  'document.savePrior'(input: ApiParsedInput<'document.savePrior'>): ApiOutputs['document.savePrior'] {
    return DOCUMENT_HANDLERS['document.savePrior'](this.documentSession(), input);
  }
  'document.importPrior'(input: ApiParsedInput<'document.importPrior'>): Promise<ApiOutputs['document.importPrior']> {
    return DOCUMENT_HANDLERS['document.importPrior'](this.documentSession(), input);
  }
  'document.priorFunctional'(): ApiOutputs['document.priorFunctional'] {
    return DOCUMENT_HANDLERS['document.priorFunctional'](this.documentSession());
  }
  'document.file'(input: ApiParsedInput<'document.file'>): Promise<ApiOutputs['document.file']> {
    return DOCUMENT_HANDLERS['document.file'](this.documentSession(), input);
  }
}

function sameLine(a: BudgetLine, b: BudgetLine): boolean {
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

/** Code prefix matches first, then names starting with the text, then names containing it. */
function rankOptions(options: CodeOption[], q: string, matchLabelsOnly: boolean): CodeOption[] {
  if (q === '') return options;
  const digits = /^\d+$/.test(q);
  // "农业农村 行政运行": every word somewhere in the code, the parents' names or the name.
  const words = q.split(/\s+/).filter((w) => w !== '');
  const scored: { o: CodeOption; score: number; i: number }[] = [];
  options.forEach((o, i) => {
    let score = -1;
    if (!matchLabelsOnly && o.code === q) score = 0;
    else if (!matchLabelsOnly && o.code.startsWith(q)) score = 1;
    else if (o.name.startsWith(q)) score = 2;
    else if (o.name.includes(q)) score = 3;
    else if (!digits && `${o.code} ${o.name}`.includes(q)) score = 4;
    else if (o.path && words.every((w) => `${o.code} ${o.path} ${o.name}`.includes(w))) score = 5;
    if (score >= 0) scored.push({ o, score, i });
  });
  scored.sort((a, b) => a.score - b.score || a.i - b.i);
  return scored.map((s) => s.o);
}

/** A pasted block may start with the header row copied from the grid; it is not data. */
function dropHeaderRow(rows: string[][], startColumn: number): { cells: string[]; row: number }[] {
  const numbered = rows.map((cells, i) => ({ cells, row: i + 1 }));
  const first = rows[0];
  if (!first) return numbered;
  const isHeader = first.every((c, i) => {
    const field = LINE_FIELDS[startColumn + i];
    return field !== undefined && c.replace(/（.*）|\(.*\)/g, '').trim() === LINE_FIELD_LABELS[field];
  });
  return isHeader ? numbered.slice(1) : numbered;
}

function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim().slice(0, 80) || '部门预算';
}

export function createBudgetService(options: BudgetServiceOptions = {}): BudgetSession {
  return new BudgetSession(options);
}

/** For the desktop host's service process: journal files on removable and network drives DELETE, checkpoint when idle. */
export { checkpointOpenFiles, setJournalPolicy } from '../db/store.js';
