// The app's undo history: each step is the list of line changes an action made ({before, after}). It is kept
// in the budget file's meta (so it survives a reload or a restart) as JSON, amounts as decimal strings of 分.
import type { BudgetLine } from '../core/model.js';
import { decodeDocumentChange, encodeDocumentChange, type DocumentChange, type StoredDocumentChange } from './document-undo.js';
import { decodeProjectChange, encodeProjectChange, type ProjectChange, type StoredProjectChange } from './project-undo.js';

export { UNDO_META_KEY } from '../db/import.js';
const UNDO_LIMIT = 200;
const UNDO_MAX_LINE_CHANGES = 50_000;

/** One line change: before and after (null when the line did not exist on that side). */
export interface LineChange {
  before: BudgetLine | null;
  after: BudgetLine | null;
}

/** One undoable step: the line changes it made, in order (and the 预算说明 texts or 上年数, or the projects, it changed). */
export interface EditStep {
  label: string;
  changes: LineChange[];
  document?: DocumentChange;
  /** 项目库: projects added, changed or removed (written before the step's lines on redo, after them on undo). */
  projects?: ProjectChange[];
}

export interface Stacks {
  undo: EditStep[];
  redo: EditStep[];
}

export const emptyStacks = (): Stacks => ({ undo: [], redo: [] });

type StoredLine = Omit<BudgetLine, 'amount'> & { amount: string };
const toStored = (l: BudgetLine | null): StoredLine | null => (l ? { ...l, amount: l.amount.toString() } : null);
const fromStored = (l: StoredLine | null): BudgetLine | null => (l ? { ...l, amount: BigInt(l.amount) } : null);

/** Each step's JSON, written once: the stack is saved on every edit, and a pasted block may hold many lines. */
const STEP_JSON = new WeakMap<EditStep, string>();

export function stepsToJson(stacks: Stacks): string {
  const enc = (s: EditStep) => {
    let json = STEP_JSON.get(s);
    if (json === undefined) {
      json = JSON.stringify({
        label: s.label,
        changes: s.changes.map((c) => ({ before: toStored(c.before), after: toStored(c.after) })),
        ...(s.document ? { document: encodeDocumentChange(s.document) } : {}),
        ...(s.projects ? { projects: s.projects.map(encodeProjectChange) } : {}),
      });
      STEP_JSON.set(s, json);
    }
    return json;
  };
  return `{"undo":[${stacks.undo.map(enc).join(',')}],"redo":[${stacks.redo.map(enc).join(',')}]}`;
}

export function stepsFromJson(text: string | null): Stacks {
  if (!text) return emptyStacks();
  try {
    const raw = JSON.parse(text) as {
      undo: {
        label: string;
        changes: { before: StoredLine | null; after: StoredLine | null }[];
        document?: StoredDocumentChange;
        projects?: StoredProjectChange[];
      }[];
      redo: typeof raw.undo;
    };
    const dec = (s: (typeof raw.undo)[number]): EditStep => ({
      label: s.label,
      changes: s.changes.map((c) => ({ before: fromStored(c.before), after: fromStored(c.after) })),
      ...(s.document ? { document: decodeDocumentChange(s.document) } : {}),
      ...(s.projects ? { projects: s.projects.map(decodeProjectChange) } : {}),
    });
    return { undo: raw.undo.map(dec), redo: raw.redo.map(dec) };
  } catch {
    // A damaged stack only costs the history, never the budget.
    return emptyStacks();
  }
}

/** Pushes a new step (clearing redo), keeping the history within its bounds of steps and of lines held. */
export function pushStep(stacks: Stacks, step: EditStep): void {
  stacks.undo.push(step);
  if (stacks.undo.length > UNDO_LIMIT) stacks.undo.splice(0, stacks.undo.length - UNDO_LIMIT);
  // The history is rewritten into the file on every edit: bound its size by the lines it holds too.
  let held = stacks.undo.reduce((n, s) => n + s.changes.length, 0);
  while (held > UNDO_MAX_LINE_CHANGES && stacks.undo.length > 1) held -= stacks.undo.shift()!.changes.length;
  stacks.redo = [];
}
