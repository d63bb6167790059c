// 预算说明 edits on the app's undo stack. A saved text, a saved set of 上年数 or an 导入上年数据 is one user
// action and one undo step, like a line edit: the step holds what the texts and last year's figures were before
// and after it. The session's undo/redo (service.ts) checks the file still holds the side it starts from,
// writes the other side in the same transaction as the stack, then takes it into memory.
import { THREE_PUBLIC_ITEMS, type Budget, type PriorYear } from '../core/model.js';
import type { TableEngine } from '../core/tables/index.js';
import { carryChangeReasons, changeReasonRows } from '../db/params.js';
import type { BudgetStore } from '../db/store.js';

/** What one 预算说明 action changed. */
export interface DocumentChange {
  /** User-typed texts by key; null = not typed (the document drafts its default). */
  texts?: { key: string; before: string | null; after: string | null }[];
  /** Last year's figures as a whole. */
  prior?: { before: PriorYear | null; after: PriorYear | null };
  /** Last year's reasons for large changes, this year's starting texts (导入上年数据 brings them), by code. */
  priorReasons?: { before: Record<string, string>; after: Record<string, string> };
}

export type DocumentSide = 'before' | 'after';

// ---- kept in the file's undo stack: amounts as decimal strings of 分 -----------------------------------------

type StoredAmounts = Record<string, string>;
interface StoredPrior {
  amounts: StoredAmounts;
  threePublicItems?: StoredAmounts;
  functional?: StoredAmounts;
  economic?: StoredAmounts;
}
export interface StoredDocumentChange {
  texts?: DocumentChange['texts'];
  prior?: { before: StoredPrior | null; after: StoredPrior | null };
  priorReasons?: DocumentChange['priorReasons'];
}

const SCALARS = ['total', 'threePublic', 'basic', 'project', 'generalPublicBudget', 'governmentFund', 'operatingCost'] as const satisfies readonly (keyof PriorYear)[];

const encodeMap = (m: Readonly<Record<string, bigint | undefined>> | undefined): StoredAmounts | undefined => {
  if (!m) return undefined;
  const out: StoredAmounts = {};
  for (const [k, v] of Object.entries(m)) if (v !== undefined) out[k] = v.toString();
  return out;
};
const decodeMap = (m: StoredAmounts | undefined): Record<string, bigint> | undefined => {
  if (!m) return undefined;
  const out: Record<string, bigint> = {};
  for (const [k, v] of Object.entries(m)) out[k] = BigInt(v);
  return out;
};

function encodePrior(p: PriorYear | null): StoredPrior | null {
  if (!p) return null;
  const amounts: StoredAmounts = {};
  for (const k of SCALARS) if (p[k] !== undefined) amounts[k] = p[k].toString();
  const out: StoredPrior = { amounts };
  const items = encodeMap(p.threePublicItems);
  if (items) out.threePublicItems = items;
  const functional = encodeMap(p.functional);
  if (functional) out.functional = functional;
  const economic = encodeMap(p.economic);
  if (economic) out.economic = economic;
  return out;
}

function decodePrior(p: StoredPrior | null): PriorYear | null {
  if (!p) return null;
  const out: PriorYear = {};
  for (const k of SCALARS) if (p.amounts[k] !== undefined) out[k] = BigInt(p.amounts[k]);
  if (p.threePublicItems) {
    const items: PriorYear['threePublicItems'] = {};
    for (const k of THREE_PUBLIC_ITEMS) if (p.threePublicItems[k] !== undefined) items[k] = BigInt(p.threePublicItems[k]);
    out.threePublicItems = items;
  }
  if (p.functional) out.functional = decodeMap(p.functional)!;
  if (p.economic) out.economic = decodeMap(p.economic)!;
  return out;
}

export function encodeDocumentChange(c: DocumentChange): StoredDocumentChange {
  return {
    ...(c.texts ? { texts: c.texts.map((t) => ({ ...t })) } : {}),
    ...(c.prior ? { prior: { before: encodePrior(c.prior.before), after: encodePrior(c.prior.after) } } : {}),
    ...(c.priorReasons ? { priorReasons: { before: { ...c.priorReasons.before }, after: { ...c.priorReasons.after } } } : {}),
  };
}

export function decodeDocumentChange(s: StoredDocumentChange): DocumentChange {
  return {
    ...(s.texts ? { texts: s.texts.map((t) => ({ key: t.key, before: t.before ?? null, after: t.after ?? null })) } : {}),
    ...(s.prior ? { prior: { before: decodePrior(s.prior.before), after: decodePrior(s.prior.after) } } : {}),
    ...(s.priorReasons ? { priorReasons: { before: { ...s.priorReasons.before }, after: { ...s.priorReasons.after } } } : {}),
  };
}

// ---- comparing and applying ---------------------------------------------------------------------------------

/** The stored form compares exactly (bigints as strings, keys in a fixed order per map). */
function samePrior(a: PriorYear | null | undefined, b: PriorYear | null | undefined): boolean {
  const norm = (p: PriorYear | null | undefined) => {
    const e = encodePrior(p ?? null);
    if (!e) return 'null';
    const sorted = (m: StoredAmounts | undefined) => (m ? Object.fromEntries(Object.entries(m).sort(([x], [y]) => x.localeCompare(y))) : null);
    return JSON.stringify([sorted(e.amounts), sorted(e.threePublicItems), sorted(e.functional), sorted(e.economic)]);
  };
  return norm(a) === norm(b);
}

/** Last year's reasons the file holds as starting texts, by code. */
export function priorReasonsOf(store: BudgetStore): Record<string, string> {
  return Object.fromEntries(changeReasonRows(store).flatMap((r) => (r.prior === null ? [] : [[r.code, r.prior] as const])));
}

const sameTexts = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) => {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
};

/** Whether the budget (and its file) holds `side` of the change, so the other side may be written over it. */
export function documentHolds(budget: Budget, store: BudgetStore, c: DocumentChange, side: DocumentSide): boolean {
  for (const t of c.texts ?? []) {
    if ((budget.narrative?.[t.key] ?? null) !== t[side]) return false;
  }
  if (c.prior && !samePrior(budget.priorYear, c.prior[side])) return false;
  if (c.priorReasons && !sameTexts(priorReasonsOf(store), c.priorReasons[side])) return false;
  return true;
}

/** Writes `side` of the change into the file (inside the caller's transaction). */
export function writeDocumentSide(store: BudgetStore, c: DocumentChange, side: DocumentSide): void {
  if (c.texts && c.texts.length > 0) store.setNarrativeTexts(Object.fromEntries(c.texts.map((t) => [t.key, t[side]])));
  if (c.prior) store.setPriorYear(c.prior[side]);
  if (c.priorReasons) carryChangeReasons(store, c.priorReasons[side]);
}

/** Takes `side` of the change into the session's budget and table engine (after the file holds it). */
export function adoptDocumentSide(budget: Budget, engine: TableEngine, c: DocumentChange, side: DocumentSide): void {
  if (c.texts && c.texts.length > 0) {
    const next = { ...(budget.narrative ?? {}) };
    for (const t of c.texts) {
      const v = t[side];
      if (v === null) delete next[t.key];
      else next[t.key] = v;
    }
    budget.narrative = next;
  }
  if (c.prior) {
    budget.priorYear = c.prior[side];
    engine.setPriorYear(c.prior[side]);
  }
}

/** A change that changes nothing (every text and the figures as they were) is not an action worth a step. */
export function isNoChange(c: DocumentChange): boolean {
  const textsSame = (c.texts ?? []).every((t) => t.before === t.after);
  const priorSame = !c.prior || samePrior(c.prior.before, c.prior.after);
  const reasonsSame = !c.priorReasons || sameTexts(c.priorReasons.before, c.priorReasons.after);
  return textsSame && priorSame && reasonsSame;
}
