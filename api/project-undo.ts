// 项目库 edits on the app's undo stack. Adding, changing or deleting a project (and a line taking a new project
// in the same action) is one user action and one undo step, like a line edit: the step holds the project before
// and after it, and the wizard's own state of the project (position, template, 完成) when the step adds,
// removes or renames it. Undo and redo (areas/undo.ts) check that the file still holds the side they start from,
// write the other side in the same transaction as the stack, then take it into the session here.
//
// A step that changes a project keeps what the wizard wrote since (texts, indicators): only the master data
// 项目库 edits is compared and written back. A step that adds or removes a project compares it whole, since
// undoing it removes the project with everything it holds.
import type { Budget, BudgetLine, Project } from '../core/model.js';
import type { BudgetStore } from '../db/store.js';
import { readMeta, writeMeta, type ProjectDraftState } from './areas/wizard/state.js';
import type { Session } from './session.js';
import type { LineChange } from './undo-stack.js';
import type { ChangeSet } from './views.js';
import { BASIC_FIELDS } from './wizard.js';

/** What one 项目库 action did to one project. */
export interface ProjectChange {
  before: Project | null;
  after: Project | null;
  /** The wizard's state of the project on each side (null: none), when the step adds, removes or renames it. */
  drafts?: { before: ProjectDraftState | null; after: ProjectDraftState | null };
}

export type ProjectSide = 'before' | 'after';

const otherSide = (side: ProjectSide): ProjectSide => (side === 'before' ? 'after' : 'before');

/** The master data 项目库 edits (the 基本信息 of T11); the wizard's texts and indicators are the rest. */
const MASTER_FIELDS: readonly (keyof Project)[] = BASIC_FIELDS;
const AMOUNT_FIELDS = ['yearAmount', 'totalAmount', 'priorTotalAmount', 'priorYearAmount'] as const satisfies readonly (keyof Project)[];

// ---- kept in the file's undo stack: amounts as decimal strings of 分 -----------------------------------------

type StoredProject = Record<string, unknown>;
export interface StoredProjectChange {
  before: StoredProject | null;
  after: StoredProject | null;
  drafts?: ProjectChange['drafts'];
}

function encodeProject(p: Project | null): StoredProject | null {
  if (!p) return null;
  const out: StoredProject = { ...p, indicators: p.indicators.map((x) => ({ ...x })) };
  for (const k of AMOUNT_FIELDS) if (p[k] !== undefined) out[k] = p[k].toString();
  return out;
}

function decodeProject(s: StoredProject | null): Project | null {
  if (!s) return null;
  const out = { ...s, indicators: Array.isArray(s.indicators) ? s.indicators.map((x) => ({ ...(x as object) })) : [] } as Record<string, unknown>;
  for (const k of AMOUNT_FIELDS) if (typeof s[k] === 'string') out[k] = BigInt(s[k]);
  return out as unknown as Project;
}

export function encodeProjectChange(c: ProjectChange): StoredProjectChange {
  return { before: encodeProject(c.before), after: encodeProject(c.after), ...(c.drafts ? { drafts: c.drafts } : {}) };
}

export function decodeProjectChange(s: StoredProjectChange): ProjectChange {
  return { before: decodeProject(s.before), after: decodeProject(s.after), ...(s.drafts ? { drafts: s.drafts } : {}) };
}

// ---- comparing --------------------------------------------------------------------------------------------

/** A value in a form that compares exactly: bigints as text, object keys in order, absent fields left out. */
function canonical(value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, canonical(v)]);
  }
  return value;
}

/** Whether two projects hold the same (master data only, or everything). */
export function sameProject(a: Project, b: Project, masterOnly = false): boolean {
  const pick = (p: Project) => (masterOnly ? Object.fromEntries(MASTER_FIELDS.map((f) => [f, p[f]])) : p);
  return JSON.stringify(canonical(pick(a))) === JSON.stringify(canonical(pick(b)));
}

/** Whether the budget holds `side` of every change, so the other side may be written over it. */
export function projectsHold(budget: Budget, changes: readonly ProjectChange[], side: ProjectSide): boolean {
  for (const c of changes) {
    const expected = c[side];
    const other = c[otherSide(side)];
    if (!expected) {
      if (other && budget.projects.some((p) => p.code === other.code)) return false;
      continue;
    }
    const current = budget.projects.find((p) => p.code === expected.code);
    // Removing it (no other side) takes everything it holds: it must be whole as the step left it.
    if (!current || !sameProject(current, expected, other !== null)) return false;
  }
  return true;
}

// ---- writing and taking into the session --------------------------------------------------------------------

/** `current` with the master data of `master` (fields `master` lacks are cleared). */
function withMaster(current: Project, master: Project): Project {
  const out = { ...current } as unknown as Record<string, unknown>;
  const from = master as unknown as Record<string, unknown>;
  for (const f of MASTER_FIELDS) {
    if (from[f] === undefined) delete out[f];
    else out[f] = from[f];
  }
  return out as unknown as Project;
}

/** Writes `side` of the change into the file (inside the caller's transaction); refusals are StoreErrors. */
export function writeProjectSide(store: BudgetStore, c: ProjectChange, side: ProjectSide): void {
  const from = c[otherSide(side)];
  const to = c[side];
  if (to && from) {
    const current = store.getProject(from.code) ?? from;
    store.upsertProject(withMaster(current, to), from.code);
  } else if (to) {
    store.upsertProject(to);
  } else if (from) {
    store.deleteProject(from.code);
  }
  // The wizard's state goes with the project: removed with it, moved with its code, restored as recorded.
  const meta = readMeta(store);
  let changed = false;
  let moved: ProjectDraftState | undefined;
  if (from && (!to || to.code !== from.code) && meta.projects[from.code]) {
    moved = meta.projects[from.code];
    delete meta.projects[from.code];
    changed = true;
  }
  const recorded = c.drafts?.[side];
  if (to && recorded) {
    meta.projects[to.code] = recorded;
    changed = true;
  } else if (to && moved) {
    meta.projects[to.code] = moved;
  }
  if (changed) writeMeta(store, meta);
}

/** The grid's order of lines (as the session keeps it): by functional code, then id. */
const byGridOrder = (a: BudgetLine, b: BudgetLine) => (a.functional !== b.functional ? (a.functional < b.functional ? -1 : 1) : a.id - b.id);

/**
 * Takes `side` of a step's project changes into the session once the file holds them, with the step's line
 * changes: projects that exist on `side` before the lines (which may use them), removed ones after. A new code
 * for a project reaches its lines in the file (ON UPDATE CASCADE): the session re-reads the file and answers
 * with those lines as changed.
 */
export function absorbProjectStep(s: Session, projects: readonly ProjectChange[], lines: LineChange[], side: ProjectSide, message?: string): ChangeSet {
  const renamed = projects.some((c) => c.before && c.after && c.before.code !== c.after.code);
  if (renamed) {
    s.load();
    const codes = new Set(projects.flatMap((c) => {
      const p = c[side];
      return p ? [p.code] : [];
    }));
    const moved = [...s.lines.values()].filter((l) => l.project !== null && codes.has(l.project)).sort(byGridOrder);
    const cs = s.absorb([], message);
    return { ...cs, changed: moved.map((l) => s.row(l)), names: s.names(moved) };
  }
  const { store, budget, engine } = s.requireBudget();
  for (const c of projects) {
    const to = c[side];
    if (!to) continue;
    const stored = store.getProject(to.code);
    if (!stored) continue;
    const at = budget.projects.findIndex((p) => p.code === (c[otherSide(side)]?.code ?? to.code));
    if (at >= 0) budget.projects[at] = stored;
    else budget.projects.push(stored);
    engine.updateProject(stored);
  }
  s.budgetPartsChanged();
  const cs = s.absorb(lines, message);
  let removed = false;
  for (const c of projects) {
    const from = c[otherSide(side)];
    if (c[side] || !from) continue;
    const at = budget.projects.findIndex((p) => p.code === from.code);
    if (at >= 0) budget.projects.splice(at, 1);
    engine.removeProject(from.code);
    removed = true;
  }
  if (!removed) return cs;
  s.budgetPartsChanged();
  return { ...cs, audit: s.auditSummary() };
}
