// The 目标值 (indicator target) reader.
//
// A target is published text ("=100%", "≥422 条", "健全", a sentence). The text is what gets printed back;
// the reading (comparator, number, unit or qualitative term) exists for checks and for editing. The grammar
// — comparator variants and word forms, qualitative terms, units and their aliases — is data
// (data/indicators/targets.json), so a new region's spelling is a data change, not a code change.
import Decimal from 'decimal.js';
import targetsJson from '../data/indicators/targets.json' with { type: 'json' };
import { dimensionOfLevel2 } from './indicators.js';

export type Comparator = '≥' | '≤' | '=' | '>' | '<';
export const COMPARATORS: readonly Comparator[] = ['≥', '≤', '=', '>', '<'];
export type TargetKind = 'quantitative' | 'qualitative' | 'text';

export interface TargetReading {
  kind: TargetKind;
  comparator: Comparator | null;
  /** Decimal string as written, without thousands separators ("20000", "98.5"); never a float. */
  number: string | null;
  unit: string | null;
  qualitative: string | null;
  /** No comparator was written before the number; '=' is assumed ("100%"). */
  comparatorImplicit?: boolean;
  /** The unit as written when an alias was mapped ("万" → 万元). */
  unitAsWritten?: string;
  /** The qualitative word as written when it was mapped ("完整性" → 完整). */
  qualitativeAsWritten?: string;
  /** The text the reading came from, unchanged. Absent for a reading built by editing. */
  source?: string;
}

export interface TargetGrammar {
  comparators: { canonical: string; direction: string; variants: string[]; wordForms: string[] }[];
  qualitative: { term: string }[];
  qualitativeAliases: Record<string, string>;
  gradeScales?: { id: string; grades: string[] }[];
  units: { unit: string; kind: string; aliases: string[] }[];
}

export const DEFAULT_TARGET_GRAMMAR: TargetGrammar = targetsJson as unknown as TargetGrammar;

/**
 * Suffix forms ("95%以上") are not in the grammar file but are common in submissions; they only apply when
 * no comparator was written in front. Longest first.
 */
const SUFFIX_COMPARATORS: readonly [string, Comparator][] = [
  ['及以上', '≥'],
  ['及以下', '≤'],
  ['以上', '≥'],
  ['以下', '≤'],
];

/** A "unit" that starts with one of these is an approximation inside a phrase ("30多个部门"), not a unit. */
const APPROXIMATION_WORDS: readonly string[] = ['多', '余', '约', '左右', '上下', '近'];

/** An unknown unit is accepted when it is short and plain: "个工作日", "GB", "台(套)". */
const PLAIN_UNIT = /^[A-Za-z\u3400-\u9fff/·()（）]{1,6}$/;

const NUMBER_AT_START = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?/;

interface CompiledGrammar {
  /** Every written form of a comparator, longest first. */
  comparatorForms: { form: string; canonical: Comparator }[];
  directions: Map<Comparator, 'positive' | 'negative'>;
  qualitativeTerms: Set<string>;
  qualitativeAliases: Map<string, string>;
  /** Written unit (NFKC, no spaces) → canonical unit. */
  units: Map<string, string>;
  unitKinds: Map<string, string>;
}

const compiledCache = new WeakMap<TargetGrammar, CompiledGrammar>();

/** NFKC and no whitespace at all: the form every comparison is made in. */
function squeeze(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, '');
}

function isComparator(value: string): value is Comparator {
  return (COMPARATORS as readonly string[]).includes(value);
}

function compile(grammar: TargetGrammar): CompiledGrammar {
  const cached = compiledCache.get(grammar);
  if (cached) return cached;
  const comparatorForms: CompiledGrammar['comparatorForms'] = [];
  const directions = new Map<Comparator, 'positive' | 'negative'>();
  for (const c of grammar.comparators) {
    if (!isComparator(c.canonical)) continue;
    directions.set(c.canonical, c.direction === 'negative' ? 'negative' : 'positive');
    for (const form of new Set([c.canonical, ...c.variants, ...c.wordForms].map(squeeze))) {
      if (form) comparatorForms.push({ form, canonical: c.canonical });
    }
  }
  comparatorForms.sort((a, b) => b.form.length - a.form.length);
  const qualitativeTerms = new Set(grammar.qualitative.map((q) => squeeze(q.term)));
  for (const scale of grammar.gradeScales ?? []) for (const g of scale.grades) qualitativeTerms.add(squeeze(g));
  const qualitativeAliases = new Map(Object.entries(grammar.qualitativeAliases).map(([k, v]) => [squeeze(k), v]));
  const units = new Map<string, string>();
  const unitKinds = new Map<string, string>();
  for (const u of grammar.units) {
    units.set(squeeze(u.unit), u.unit);
    unitKinds.set(u.unit, u.kind);
  }
  // Aliases after the units themselves, and never over a unit: a unit written as itself stays itself.
  for (const u of grammar.units) for (const a of u.aliases) if (!units.has(squeeze(a))) units.set(squeeze(a), u.unit);
  const compiled = { comparatorForms, directions, qualitativeTerms, qualitativeAliases, units, unitKinds };
  compiledCache.set(grammar, compiled);
  return compiled;
}

function textReading(source: string): TargetReading {
  return { kind: 'text', comparator: null, number: null, unit: null, qualitative: null, source };
}

/** The qualitative term a whole target names, if any: a term, an alias, or a term + 性 ("规范性"). */
function readQualitative(s: string, g: CompiledGrammar): { term: string; asWritten?: string } | null {
  if (g.qualitativeTerms.has(s)) return { term: s };
  const alias = g.qualitativeAliases.get(s);
  if (alias !== undefined) return { term: alias, asWritten: s };
  if (s.endsWith('性') && g.qualitativeTerms.has(s.slice(0, -1))) return { term: s.slice(0, -1), asWritten: s };
  return null;
}

function readUnit(rest: string, g: CompiledGrammar): { unit: string | null; asWritten?: string } | null {
  if (rest === '') return { unit: null };
  const known = g.units.get(rest);
  if (known !== undefined) return known === rest ? { unit: known } : { unit: known, asWritten: rest };
  if (APPROXIMATION_WORDS.some((w) => rest.startsWith(w))) return null;
  if (!PLAIN_UNIT.test(rest)) return null;
  // 万 before another unit is a multiplier and belongs to the unit ("2万人次", "3万份").
  return { unit: rest };
}

/**
 * Reads a 目标值. Total: any string gives a reading, never an exception. Rules (targets.json readingRules):
 * NFKC, spaces removed; a whole qualitative term first; then a comparator (longest written form first,
 * word forms included) or none (implicit '='), a number (thousands separators dropped) and a unit
 * (aliases mapped). Anything else is 'text' — numbers are never picked out of a sentence.
 */
export function readTarget(text: string, grammar: TargetGrammar = DEFAULT_TARGET_GRAMMAR): TargetReading {
  const source = typeof text === 'string' ? text : String(text ?? '');
  const g = compile(grammar);
  const s = squeeze(source);
  if (s === '') return textReading(source);

  const q = readQualitative(s, g);
  if (q) {
    const reading: TargetReading = { kind: 'qualitative', comparator: null, number: null, unit: null, qualitative: q.term, source };
    if (q.asWritten !== undefined) reading.qualitativeAsWritten = q.asWritten;
    return reading;
  }

  let rest = s;
  let comparator: Comparator | null = null;
  const written = g.comparatorForms.find((c) => rest.startsWith(c.form));
  if (written) {
    comparator = written.canonical;
    rest = rest.slice(written.form.length);
  }
  const m = NUMBER_AT_START.exec(rest);
  if (!m) return textReading(source);
  const [whole, sign = '', intPart = '', fraction] = m;
  rest = rest.slice(whole.length);
  let implicit = false;
  if (comparator === null) {
    const suffix = SUFFIX_COMPARATORS.find(([form]) => rest.endsWith(form));
    if (suffix) {
      comparator = suffix[1];
      rest = rest.slice(0, -suffix[0].length);
    } else {
      comparator = '=';
      implicit = true;
    }
  }
  const unit = readUnit(rest, g);
  if (!unit) return textReading(source);
  const digits = intPart.replace(/,/g, '').replace(/^0+(?=\d)/, '');
  const number = (sign === '-' ? '-' : '') + digits + (fraction !== undefined ? '.' + fraction : '');
  const reading: TargetReading = { kind: 'quantitative', comparator, number, unit: unit.unit, qualitative: null, source };
  if (implicit) reading.comparatorImplicit = true;
  if (unit.asWritten !== undefined) reading.unitAsWritten = unit.asWritten;
  return reading;
}

/** The canonical written form: symbol + number + unit ("≥95%", "=1套"), the term, or the text trimmed. */
export function formatTarget(reading: TargetReading): string {
  switch (reading.kind) {
    case 'quantitative':
      return `${reading.comparator ?? '='}${reading.number ?? ''}${reading.unit ?? ''}`;
    case 'qualitative':
      return reading.qualitative ?? '';
    case 'text':
      return (reading.source ?? '').trim();
  }
}

/**
 * The text to print: the published text unchanged when the reading came from text, else the canonical form.
 * Printing never rewrites what the user or the source wrote ("≥70", "100%", "=58 万" stay as they are).
 */
export function targetText(reading: TargetReading): string {
  return reading.source ?? formatTarget(reading);
}

/** ≥, >, = : higher is better; ≤, < : lower is better (for monitoring). */
export function comparatorDirection(c: Comparator, grammar: TargetGrammar = DEFAULT_TARGET_GRAMMAR): 'positive' | 'negative' {
  return compile(grammar).directions.get(c) ?? 'positive';
}

/** The kind of a unit in the grammar ('ratio', 'count', 'money', …), or null for an unknown unit. */
export function unitKind(unit: string, grammar: TargetGrammar = DEFAULT_TARGET_GRAMMAR): string | null {
  return compile(grammar).unitKinds.get(unit) ?? null;
}

export type TargetWarningCode =
  | 'placeholder'
  | 'missing-unit'
  | 'implicit-comparator'
  | 'text-target'
  | 'rate-over-100'
  | 'percent-on-count'
  | 'result-grade';

export interface TargetWarning {
  code: TargetWarningCode;
  message: string;
}

export interface TargetContext {
  level1?: string;
  level2?: string;
  /** Template-neutral dimension (数量, 质量, …); derived from level2 when absent. */
  dimension?: string;
  name?: string;
}

/** Written in place of a value by people who had nothing to say; never a target. */
export const PLACEHOLDER_TARGETS: readonly string[] = ['', '无', '/', '-', '—', '－', '——', '略', '暂无', '待定', 'N/A', 'NA'];

const PLACEHOLDER_SET: ReadonlySet<string> = new Set(PLACEHOLDER_TARGETS.map(squeeze));

/** Rows whose % may legitimately exceed 100 (growth, not a share). */
const GROWTH_WORDS: readonly string[] = ['增长', '增幅', '增速', '同比', '环比', '倍'];

/** Grades that describe an outcome after the year, not a target (targets.json: 未达成 is "never a target"). */
const RESULT_ONLY_GRADES: readonly string[] = ['未达成'];

function quote(s: string): string {
  return `“${s}”`;
}

/**
 * Soft warnings on one target, for the user to fix or explain: a placeholder ("88100", "无", empty), no unit,
 * no comparator, text instead of a value, ≥100% on a rate, a % on a 数量 row.
 */
export function targetWarnings(reading: TargetReading, context: TargetContext = {}): TargetWarning[] {
  const shown = quote(targetText(reading));
  const where = context.name ? `指标“${context.name}”的目标值${shown}` : `目标值${shown}`;
  const squeezed = squeeze(reading.source ?? formatTarget(reading));
  if (PLACEHOLDER_SET.has(squeezed)) {
    return [{ code: 'placeholder', message: squeezed === '' ? `${context.name ? `指标“${context.name}”` : '指标'}未填写目标值` : `${where}是占位符，请填写实际目标值` }];
  }
  if (reading.kind === 'text') {
    return [{ code: 'text-target', message: `${where}是一段文字而不是可衡量的值，请改为“比较符+数值+单位”（如 ≥95%）或定性值（如 健全）` }];
  }
  if (reading.kind === 'qualitative') {
    if (reading.qualitative && RESULT_ONLY_GRADES.includes(reading.qualitative)) {
      return [{ code: 'result-grade', message: `${where}是评价结果等级，不能作为目标值` }];
    }
    return [];
  }
  // Quantitative from here on.
  if (reading.comparatorImplicit && reading.unit === null) {
    return [{ code: 'placeholder', message: `${where}只有一个数字，没有比较符和单位，疑似占位数，请填写实际目标值` }];
  }
  const warnings: TargetWarning[] = [];
  if (reading.unit === null) {
    warnings.push({ code: 'missing-unit', message: `${where}缺少计量单位（如 %、次、套）` });
  }
  if (reading.comparatorImplicit) {
    warnings.push({ code: 'implicit-comparator', message: `${where}缺少比较符，按“=”理解，建议写作“${formatTarget(reading)}”` });
  }
  const dimension = context.dimension ?? (context.level2 ? dimensionOfLevel2(context.level2) : null);
  const number = reading.number ?? '';
  // A reading built by editing may carry any string; only a decimal is compared.
  const atLeastHundred = /^-?\d+(\.\d+)?$/.test(number) && new Decimal(number).gte(100);
  const name = context.name ?? '';
  if (
    reading.unit === '%' &&
    (reading.comparator === '≥' || reading.comparator === '>') &&
    atLeastHundred &&
    !GROWTH_WORDS.some((w) => name.includes(w))
  ) {
    warnings.push({ code: 'rate-over-100', message: `${where}要求比率${reading.comparator}${number}%，比率不会超过100%，请改为“=100%”或更低的值` });
  }
  if (reading.unit === '%' && dimension === '数量') {
    warnings.push({ code: 'percent-on-count', message: `${where}是百分比，但该指标属于数量指标，应填写数量和单位（如 ≥20次）` });
  }
  return warnings;
}
