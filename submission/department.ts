// A budget file's 上报 state, for every host (CLI, desktop, browser): the budget its tables are computed from
// (汇总 with the received unit packages, or its own), whether it is locked after a submission, and what
// changed since that submission.
import { userInfo } from 'node:os';
import type { CodeBook } from '../core/codelists.js';
import {
  consolidate,
  type ConsolidatedPart,
  type ConsolidationProblem,
  type QualifiedProject,
  type ReceivedPart,
} from '../core/consolidate.js';
import { diffBudgets, type BudgetDiff } from '../core/diff.js';
import { parseExchange } from '../core/exchange.js';
import type { PackageManifest } from '../core/manifest.js';
import type { Budget } from '../core/model.js';
import { formatProblem } from '../core/problems.js';
import { BudgetStore, StoreError, type LockEvent, type SubmissionRecord } from '../db/store.js';

export interface ReceivedUnitSummary {
  code: string;
  name: string;
  createdAt: string;
  receivedAt: string;
  fileName: string;
}

export interface ConsolidatedBudget {
  /** The budget the tables, 审核 and the package use. */
  budget: Budget;
  book: CodeBook;
  /** True when received unit budgets are merged in (false: the file's own budget, or --own-only). */
  consolidated: boolean;
  /** Errors (a received budget left out) and warnings (merged with a change), in Chinese. */
  problems: ConsolidationProblem[];
  /** No received budget was left out. */
  ok: boolean;
  parts: ConsolidatedPart[];
  qualifiedProjects: QualifiedProject[];
  received: ReceivedUnitSummary[];
}

/** The received packages of the file as budgets ready to merge; one that no longer reads is a problem. */
export function receivedParts(store: BudgetStore): { parts: ReceivedPart[]; problems: ConsolidationProblem[]; received: ReceivedUnitSummary[] } {
  const parts: ReceivedPart[] = [];
  const problems: ConsolidationProblem[] = [];
  const received: ReceivedUnitSummary[] = [];
  for (const p of store.receivedPackages()) {
    const label = `${p.unitCode} ${p.unitName}`;
    received.push({ code: p.unitCode, name: p.unitName, createdAt: p.createdAt, receivedAt: p.receivedAt, fileName: p.fileName });
    const parsed = parseExchange(p.budgetJson, (y) => store.codeBook(y));
    if (!parsed.ok) {
      problems.push({
        severity: 'error',
        code: 'unreadable',
        source: p.unitCode,
        message: `${label}的数据包（${p.fileName}）已无法按本文件的科目表读取，未汇总：${formatProblem(parsed.problems[0]!)}`,
      });
      continue;
    }
    let declaredUnits: string[] | undefined;
    try {
      declaredUnits = (JSON.parse(p.manifestJson) as PackageManifest).units.map((u) => u.code);
    } catch {
      declaredUnits = undefined;
    }
    parts.push({ budget: parsed.budget, source: p.unitCode, label, declaredUnits });
  }
  return { parts, problems, received };
}

/**
 * The budget of the file as its tables show it: with received unit packages, the department's consolidated
 * budget (汇总: its own units and lines, then one part per received unit); else, or with `ownOnly`, its own.
 */
export function loadConsolidatedBudget(store: BudgetStore, options: { ownOnly?: boolean } = {}): ConsolidatedBudget {
  const own = store.loadBudget();
  const book = store.codeBook(own.fiscalYear);
  const ownOnly = (): ConsolidatedBudget => ({
    budget: own,
    book,
    consolidated: false,
    problems: [],
    ok: true,
    parts: [{ source: null, label: `${own.department.code} ${own.department.name}（本部门）`, units: own.units.map((u) => u.code), lineIds: null }],
    qualifiedProjects: [],
    received: [],
  });
  if (options.ownOnly) return ownOnly();
  const { parts, problems: unreadable, received } = receivedParts(store);
  if (received.length === 0) return ownOnly();
  const result = consolidate(own, parts);
  const problems = [...unreadable, ...result.problems];
  return {
    budget: result.budget,
    book,
    consolidated: true,
    problems,
    ok: !problems.some((p) => p.severity === 'error'),
    parts: result.parts,
    qualifiedProjects: result.qualifiedProjects,
    received,
  };
}

/**
 * The budget the tables of a department file are computed from where no one can look at the problems first
 * (the command line's report and check): consolidated with the received unit packages unless `ownOnly`. A
 * received package that cannot be merged refuses (the totals would silently miss a unit); the warnings are
 * in `problems`.
 */
export function tablesBudget(store: BudgetStore, ownOnly: boolean): ConsolidatedBudget {
  const loaded = loadConsolidatedBudget(store, { ownOnly });
  const errors = loaded.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    throw new StoreError(
      'invalid',
      `汇总下级单位的预算时有 ${errors.length} 个数据包无法汇总（可用 --own-only 只看本部门自身的预算）：`,
      errors.map((p) => ({ message: p.message })),
    );
  }
  return loaded;
}

/** Who is at the machine, for the 上报 and 解锁 records (null when the system does not say). */
export function operatorName(): string | null {
  try {
    return userInfo().username || null;
  } catch {
    return null;
  }
}

export interface SubmissionSummary {
  id: number;
  createdAt: string;
  fileName: string;
  manifest: PackageManifest;
  /** The submitted budget held the received units (汇总). */
  consolidated: boolean;
}

export interface SubmissionStatus {
  locked: boolean;
  /** When the current lock began (the latest submission), null when unlocked. */
  lockedAt: string | null;
  lastSubmission: SubmissionSummary | null;
  /** The lock's history, oldest first (submitted / unlocked, with who and why). */
  events: LockEvent[];
  submissions: number;
  received: ReceivedUnitSummary[];
}

function summary(s: SubmissionRecord): SubmissionSummary {
  return { id: s.id, createdAt: s.createdAt, fileName: s.fileName, manifest: s.manifest, consolidated: s.lineIds === null };
}

/** Whether the budget is locked, its last submission and the lock's history. */
export function submissionStatus(store: BudgetStore): SubmissionStatus {
  const events = store.lockEvents();
  const locked = store.isLocked();
  const last = store.lastSubmission();
  return {
    locked,
    lockedAt: locked ? (events.at(-1)?.at ?? null) : null,
    lastSubmission: last ? summary(last) : null,
    events,
    submissions: store.submissions().length,
    received: store.receivedPackages().map((p) => ({
      code: p.unitCode,
      name: p.unitName,
      createdAt: p.createdAt,
      receivedAt: p.receivedAt,
      fileName: p.fileName,
    })),
  };
}

export interface DiffSinceSubmission {
  submission: SubmissionSummary;
  diff: BudgetDiff;
  /** The current side is the consolidated budget (as a package made now would carry). */
  consolidated: boolean;
}

/**
 * What changed since the last submission: the submitted budget against the budget a package made now would
 * carry. Null when the file never submitted. A snapshot of the file's own budget is matched line by line
 * through the storage ids it kept; a consolidated one by the lines' identifying fields.
 */
export function diffSinceSubmission(store: BudgetStore, options: { ownOnly?: boolean } = {}): DiffSinceSubmission | null {
  const last = store.lastSubmission();
  if (!last) return null;
  const parsed = parseExchange(last.snapshotJson, (y) => store.codeBook(y));
  if (!parsed.ok) {
    throw new StoreError('invalid', `上报时保存的预算（${last.createdAt}，${last.fileName}）已无法按本文件的科目表读取：${formatProblem(parsed.problems[0]!)}`);
  }
  const before = parsed.budget;
  const current = loadConsolidatedBudget(store, { ownOnly: options.ownOnly });
  const byId = last.lineIds !== null && last.lineIds.length === before.lines.length && !current.consolidated;
  if (byId) before.lines.forEach((l, i) => (l.id = last.lineIds![i]!));
  const diff = diffBudgets(before, current.budget, current.book, {
    matchBy: byId ? 'id' : 'key',
    bookBefore: before.fiscalYear === current.budget.fiscalYear ? current.book : store.codeBook(before.fiscalYear),
  });
  return { submission: summary(last), diff, consolidated: current.consolidated };
}
