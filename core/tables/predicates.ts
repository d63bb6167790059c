// Which lines feed a row or a column, written as data.
//
// A table definition says "this column counts 基本支出 lines of class 301" as a plain object
// ({ all: [{ kind: 'basic' }, { economicClass: ['301'] }] }) rather than as code, so the eleven tables can be
// read, compared across years and serialised. The engine compiles each predicate once into a closure.
import type { FundCode, FundGroup } from '../funds.js';
import type { ExpenditureKind, ProjectCategory, UnitKind } from '../model.js';

export type LinePredicate =
  | { always: true }
  | { all: readonly LinePredicate[] }
  | { any: readonly LinePredicate[] }
  | { not: LinePredicate }
  | { kind: ExpenditureKind }
  | { fund: readonly FundCode[] }
  | { fundGroup: readonly FundGroup[] }
  | { economic: readonly string[] }
  | { economicClass: readonly string[] }
  | { functionalClass: readonly string[] }
  | { category: ProjectCategory }
  | { unitKind: readonly UnitKind[] };

/**
 * What a predicate can see of a line: its own attributes and those it takes from its unit and project.
 * An income line (收入预算) has only unit and fund; its expenditure attributes are null and match nothing.
 */
export interface LineFacts {
  unit: string;
  functional: string | null;
  economic: string | null;
  kind: ExpenditureKind | null;
  fund: FundCode;
  fundGroup: FundGroup;
  /** Category of the line's project; null for basic lines and for a project the budget does not have. */
  category: ProjectCategory | null;
  /** Kind of the line's unit; null when the unit is not in the budget. */
  unitKind: UnitKind | null;
  /** Government economic 款 the department 款 maps to for this unit kind; null when unmapped. */
  government: string | null;
}

export type CompiledPredicate = (facts: LineFacts) => boolean;

export const ALWAYS: LinePredicate = { always: true };

export function compilePredicate(p: LinePredicate): CompiledPredicate {
  if ('always' in p) return () => true;
  if ('all' in p) {
    const parts = p.all.map(compilePredicate);
    return (f) => parts.every((part) => part(f));
  }
  if ('any' in p) {
    const parts = p.any.map(compilePredicate);
    return (f) => parts.some((part) => part(f));
  }
  if ('not' in p) {
    const inner = compilePredicate(p.not);
    return (f) => !inner(f);
  }
  if ('kind' in p) {
    const kind = p.kind;
    return (f) => f.kind === kind;
  }
  if ('fund' in p) {
    const set = new Set<string>(p.fund);
    return (f) => set.has(f.fund);
  }
  if ('fundGroup' in p) {
    const set = new Set<string>(p.fundGroup);
    return (f) => set.has(f.fundGroup);
  }
  if ('economic' in p) {
    const set = new Set(p.economic);
    return (f) => f.economic !== null && set.has(f.economic);
  }
  if ('economicClass' in p) {
    const set = new Set(p.economicClass);
    return (f) => f.economic !== null && set.has(f.economic.slice(0, 3));
  }
  if ('functionalClass' in p) {
    const set = new Set(p.functionalClass);
    return (f) => f.functional !== null && set.has(f.functional.slice(0, 3));
  }
  if ('category' in p) {
    const category = p.category;
    return (f) => f.category === category;
  }
  if ('unitKind' in p) {
    const set = new Set<string>(p.unitKind);
    return (f) => f.unitKind !== null && set.has(f.unitKind);
  }
  throw new Error(`unknown line predicate ${JSON.stringify(p)}`);
}

/** Shorthands that keep the definitions readable. */
export const all = (...parts: LinePredicate[]): LinePredicate => ({ all: parts });
export const not = (inner: LinePredicate): LinePredicate => ({ not: inner });
export const kindIs = (kind: ExpenditureKind): LinePredicate => ({ kind });
export const fundIs = (...fund: FundCode[]): LinePredicate => ({ fund });
export const fundGroupIs = (...fundGroup: FundGroup[]): LinePredicate => ({ fundGroup });
export const economicIs = (...economic: string[]): LinePredicate => ({ economic });
export const economicClassIs = (...economicClass: string[]): LinePredicate => ({ economicClass });
export const functionalClassIs = (...functionalClass: string[]): LinePredicate => ({ functionalClass });
export const categoryIs = (category: ProjectCategory): LinePredicate => ({ category });

/** Attributes of a line a predicate can read; a table's cells depend on the line through these only. */
export type LineAttribute = 'unit' | 'functional' | 'functionalClass' | 'economic' | 'economicClass' | 'kind' | 'fund' | 'category' | 'unitKind' | 'government';

export const ATTRIBUTE_VALUE: Record<LineAttribute, (f: LineFacts) => string> = {
  unit: (f) => f.unit,
  functional: (f) => f.functional ?? '',
  functionalClass: (f) => f.functional?.slice(0, 3) ?? '',
  economic: (f) => f.economic ?? '',
  economicClass: (f) => f.economic?.slice(0, 3) ?? '',
  kind: (f) => f.kind ?? '',
  fund: (f) => f.fund,
  category: (f) => f.category ?? '',
  unitKind: (f) => f.unitKind ?? '',
  government: (f) => f.government ?? '',
};

/** Every attribute a predicate reads (fund groups are read through the fund). */
export function predicateAttributes(p: LinePredicate, into: Set<LineAttribute> = new Set()): Set<LineAttribute> {
  if ('all' in p) p.all.forEach((q) => predicateAttributes(q, into));
  else if ('any' in p) p.any.forEach((q) => predicateAttributes(q, into));
  else if ('not' in p) predicateAttributes(p.not, into);
  else if ('kind' in p) into.add('kind');
  else if ('fund' in p || 'fundGroup' in p) into.add('fund');
  else if ('economic' in p) into.add('economic');
  else if ('economicClass' in p) into.add('economicClass');
  else if ('functionalClass' in p) into.add('functionalClass');
  else if ('category' in p) into.add('category');
  else if ('unitKind' in p) into.add('unitKind');
  return into;
}
