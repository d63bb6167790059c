// Last year's figures and the 预算说明 texts as rows of the budget file (migration 0003): the mapping between
// PriorYear and (kind, code, amount) rows, kept apart from the store's own code.
import type { Fen } from '../core/money.js';
import { THREE_PUBLIC_ITEMS, type PriorYear, type ThreePublicItem } from '../core/model.js';

export interface PriorYearRow {
  kind: 'summary' | 'three-public' | 'functional' | 'economic';
  code: string;
  amount: Fen;
}

const SUMMARY = [
  ['basic', 'basic'],
  ['project', 'project'],
  ['generalPublicBudget', 'general-public-budget'],
  ['governmentFund', 'government-fund'],
  ['operatingCost', 'operating-cost'],
] as const;

/** The rows of prior_year_amounts for a PriorYear (total and threePublic live in prior_year). */
export function priorYearRows(py: PriorYear | null): PriorYearRow[] {
  if (!py) return [];
  const out: PriorYearRow[] = [];
  for (const [key, code] of SUMMARY) {
    const v = py[key];
    if (v !== undefined) out.push({ kind: 'summary', code, amount: v });
  }
  for (const item of THREE_PUBLIC_ITEMS) {
    const v = py.threePublicItems?.[item];
    if (v !== undefined) out.push({ kind: 'three-public', code: item, amount: v });
  }
  for (const kind of ['functional', 'economic'] as const) {
    for (const [code, amount] of Object.entries(py[kind] ?? {})) out.push({ kind, code, amount });
  }
  return out;
}

/** Every amount of a PriorYear (for the store's check that none is negative). */
export function priorYearAmounts(py: PriorYear | null): Fen[] {
  if (!py) return [];
  return [py.total, py.threePublic, ...priorYearRows(py).map((r) => r.amount)].filter((v): v is Fen => v !== undefined);
}

/** Adds the rows of prior_year_amounts to a PriorYear read from prior_year (or creates one). */
export function withPriorYearRows(base: PriorYear | null, rows: readonly PriorYearRow[]): PriorYear | null {
  if (rows.length === 0) return base;
  const py: PriorYear = { ...(base ?? {}) };
  for (const r of rows) {
    if (r.kind === 'summary') {
      const key = SUMMARY.find(([, code]) => code === r.code)?.[0];
      if (key) py[key] = r.amount;
    } else if (r.kind === 'three-public') {
      if ((THREE_PUBLIC_ITEMS as readonly string[]).includes(r.code)) (py.threePublicItems ??= {})[r.code as ThreePublicItem] = r.amount;
    } else {
      (py[r.kind] ??= {})[r.code] = r.amount;
    }
  }
  return py;
}
