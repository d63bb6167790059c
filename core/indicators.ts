// 绩效目标 indicator trees (templates) and the suggestion library, as data.
//
// Trees change by fiscal year and region, so they live in data/indicators/templates.json and reach units in
// the yearly parameter package; nothing here names a tree. Every function takes the template list as an
// optional argument so a loaded parameter package can replace the shipped one.
import templatesJson from '../data/indicators/templates.json' with { type: 'json' };
import libraryJson from '../data/indicators/library.json' with { type: 'json' };
import type { DepartmentPerformance, Indicator, Project } from './model.js';

export type TemplateScope = 'project' | 'department';

export interface TemplateRow {
  level1: string;
  level2: string;
  name: string;
  target: string;
  note?: string;
  seenIn?: number;
}

export interface TemplateLevel {
  level1: string;
  level2: string[];
  /** Parallel to level2: the template-neutral dimension of each 二级. */
  dimensions: string[];
  level2Notes?: Record<string, string>;
}

export interface IndicatorTemplate {
  id: string;
  name: string;
  source: string;
  region: string;
  /** A list of fiscal years, or "YYYY+" for that year and later. */
  years: number[] | string;
  scope: TemplateScope;
  levels: TemplateLevel[];
  standardRows: TemplateRow[];
  optionalRows?: TemplateRow[];
  optionalLevel2?: { level1: string; level2: string; dimension: string; note?: string }[];
}

export interface LibraryEntry {
  id: string;
  level1: string;
  level2: string;
  name: string;
  unit: string | null;
  comparator: string | null;
  /** Allowed qualitative values, the usual first; null for a quantitative entry. */
  qualitative: string[] | null;
  projectTypes: string[];
  example: string;
  source: string;
  template: string;
  dimension: string;
  seenIn: string[];
  ref?: string;
  note?: string;
  nameAsPublished?: string;
  targetsSeen?: string[];
  suggest?: boolean;
}

export const TEMPLATES: readonly IndicatorTemplate[] = templatesJson as unknown as IndicatorTemplate[];
export const LIBRARY: readonly LibraryEntry[] = libraryJson as unknown as LibraryEntry[];

const pairKey = (level1: string, level2: string): string => `${level1}\u0000${level2}`;

/** The project type that means "fits any project". */
export const GENERAL_PROJECT_TYPE = '通用';

/** A wide dimension of the department table covers these narrower ones when suggesting. */
const WIDER_DIMENSIONS: Record<string, readonly string[]> = {
  产出: ['数量', '质量', '时效', '成本'],
  效益: ['经济效益', '社会效益', '生态效益', '可持续影响'],
};

export function templateById(id: string, templates: readonly IndicatorTemplate[] = TEMPLATES): IndicatorTemplate | undefined {
  return templates.find((t) => t.id === id);
}

/** Whether a template applies to a fiscal year, and how specifically: an explicit list beats a range. */
function yearMatch(t: IndicatorTemplate, year: number): { explicit: boolean; from: number } | null {
  if (Array.isArray(t.years)) return t.years.includes(year) ? { explicit: true, from: year } : null;
  const m = /^(\d{4})\+$/.exec(t.years.trim());
  if (!m) return null;
  const from = Number(m[1]);
  return year >= from ? { explicit: false, from } : null;
}

function isNational(t: IndicatorTemplate): boolean {
  return t.region.startsWith('全国');
}

/** "河南" covers "河南", "河南省" and "河南省济源市". */
function regionMatches(t: IndicatorTemplate, region: string): boolean {
  const r = region.trim();
  return r !== '' && !isNational(t) && r.startsWith(t.region);
}

function mostSpecific(candidates: { t: IndicatorTemplate; m: { explicit: boolean; from: number } }[]): IndicatorTemplate | null {
  const sorted = [...candidates].sort((a, b) => Number(b.m.explicit) - Number(a.m.explicit) || b.m.from - a.m.from);
  return sorted[0]?.t ?? null;
}

/**
 * The tree for a fiscal year: the region's own template for that year first, else the national one for the
 * year (the latest that applies). `override` (a template id chosen by the user or the parameter package) wins.
 * Null when nothing applies (e.g. a department table outside a region that has one).
 */
export function templateFor(
  year: number,
  region: string | null | undefined,
  scope: TemplateScope,
  options: { override?: string | null; templates?: readonly IndicatorTemplate[] } = {},
): IndicatorTemplate | null {
  const templates = options.templates ?? TEMPLATES;
  if (options.override) {
    const chosen = templateById(options.override, templates);
    if (chosen) return chosen;
  }
  const applicable = templates
    .filter((t) => t.scope === scope)
    .map((t) => ({ t, m: yearMatch(t, year) }))
    .filter((c): c is { t: IndicatorTemplate; m: { explicit: boolean; from: number } } => c.m !== null);
  if (region) {
    const regional = mostSpecific(applicable.filter((c) => regionMatches(c.t, region)));
    if (regional) return regional;
  }
  return mostSpecific(applicable.filter((c) => isNational(c.t)));
}

// ---- which tree a table follows ---------------------------------------------------------------------------

/**
 * Why a tree was taken for a table, in the order they are tried: the user's choice, the tree its own
 * indicators fit, the tree the budget's other projects fit (a new project follows its department), the year's.
 */
export type TemplateReason = 'chosen' | 'own' | 'budget' | 'year';

export interface TemplateChoice {
  template: IndicatorTemplate;
  reason: TemplateReason;
}

/** The trees the user chose per table (the wizard keeps them in the budget file). */
export interface TemplateChoices {
  /** Project code → template id. */
  projects: Record<string, string>;
  department?: string;
}

export interface TemplateChoiceOptions {
  /** The template id the user chose for this table; an id no template has is ignored. */
  chosen?: string | null;
  templates?: readonly IndicatorTemplate[];
}

/** The meta key of the wizard's state in a budget file (positions, chosen trees, 完成 per project). */
export const WIZARD_STATE_META_KEY = 'wizard.state';

/** The chosen trees out of the wizard's stored state; a damaged state is no choice at all. */
export function templateChoicesFromWizardState(raw: string | null | undefined): TemplateChoices {
  const out: TemplateChoices = { projects: {} };
  if (!raw) return out;
  try {
    const state = JSON.parse(raw) as { projects?: unknown; department?: unknown };
    if (state.projects && typeof state.projects === 'object') {
      for (const [code, draft] of Object.entries(state.projects as Record<string, unknown>)) {
        const template = draft && typeof draft === 'object' ? (draft as { template?: unknown }).template : undefined;
        if (typeof template === 'string' && template !== '') out.projects[code] = template;
      }
    }
    const department = state.department && typeof state.department === 'object' ? (state.department as { template?: unknown }).template : undefined;
    if (typeof department === 'string' && department !== '') out.department = department;
  } catch {
    // As the wizard itself does: the state costs the choices, never the data.
  }
  return out;
}

/** The (一级, 二级) pairs of a tree, worked out once per tree (a list of 2,000 projects asks for each). */
const PAIRS = new WeakMap<IndicatorTemplate, ReadonlySet<string>>();
function templatePairs(t: IndicatorTemplate): ReadonlySet<string> {
  let pairs = PAIRS.get(t);
  if (!pairs) {
    pairs = new Set(skeleton(t).map((s) => pairKey(s.level1, s.level2)));
    PAIRS.set(t, pairs);
  }
  return pairs;
}

/** Lexicographic: the first place where the two differ decides. */
function outranks(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
}

function appliesTo(t: IndicatorTemplate, year: number): boolean {
  return yearMatch(t, year) !== null;
}

/**
 * The tree whose (一级, 二级) pairs hold the most of the indicators; null when none holds any. A tie goes to a
 * tree that applies to the year, then to the one the year would pick, then to the first listed.
 */
export function bestFitTemplate(
  scope: TemplateScope,
  year: number,
  indicators: readonly Pick<Indicator, 'level1' | 'level2'>[],
  templates: readonly IndicatorTemplate[] = TEMPLATES,
): IndicatorTemplate | null {
  if (indicators.length === 0) return null;
  const byYear = templateFor(year, null, scope, { templates });
  let best: { t: IndicatorTemplate; rank: number[] } | null = null;
  for (const t of templates) {
    if (t.scope !== scope) continue;
    const pairs = templatePairs(t);
    const score = indicators.filter((i) => pairs.has(pairKey(i.level1, i.level2))).length;
    if (score === 0) continue;
    const rank = [score, appliesTo(t, year) ? 1 : 0, t === byYear ? 1 : 0];
    if (!best || outranks(rank, best.rank)) best = { t, rank };
  }
  return best?.t ?? null;
}

/**
 * The tree a project's 绩效目标表 (T11) follows. The budget names no region, so: the user's choice; else the
 * tree the project's own indicators fit; else the tree the budget's projects fit; else the year's default.
 * Null only when no tree applies at all. The wizard, the tables on screen and the printed files all ask here.
 */
export function templateForProject(
  budget: { fiscalYear: number; projects: readonly Pick<Project, 'indicators'>[] },
  project: Pick<Project, 'indicators'> | null,
  options: TemplateChoiceOptions = {},
): TemplateChoice | null {
  const templates = options.templates ?? TEMPLATES;
  const chosen = options.chosen ? templateById(options.chosen, templates) : undefined;
  if (chosen && chosen.scope === 'project') return { template: chosen, reason: 'chosen' };
  const own = project ? bestFitTemplate('project', budget.fiscalYear, project.indicators, templates) : null;
  if (own) return { template: own, reason: 'own' };
  const budgetWide = bestFitTemplate('project', budget.fiscalYear, budget.projects.flatMap((p) => p.indicators), templates);
  if (budgetWide) return { template: budgetWide, reason: 'budget' };
  const byYear = templateFor(budget.fiscalYear, null, 'project', { templates });
  return byYear ? { template: byYear, reason: 'year' } : null;
}

/**
 * The tree the department's 整体绩效目标表 (T10) follows: the user's choice; else the tree its indicators fit
 * (`indicators`, default the stored table's); else the year's default (null where the year has none).
 */
export function templateForDepartment(
  budget: { fiscalYear: number; departmentPerformance?: Pick<DepartmentPerformance, 'indicators'> | null },
  options: TemplateChoiceOptions & { indicators?: readonly Indicator[] } = {},
): TemplateChoice | null {
  const templates = options.templates ?? TEMPLATES;
  const chosen = options.chosen ? templateById(options.chosen, templates) : undefined;
  if (chosen && chosen.scope === 'department') return { template: chosen, reason: 'chosen' };
  const indicators = options.indicators ?? budget.departmentPerformance?.indicators ?? [];
  const own = bestFitTemplate('department', budget.fiscalYear, indicators, templates);
  if (own) return { template: own, reason: 'own' };
  const byYear = templateFor(budget.fiscalYear, null, 'department', { templates });
  return byYear ? { template: byYear, reason: 'year' } : null;
}

export interface SkeletonSlot {
  level1: string;
  level2: string;
  dimension: string;
}

/** The tree's (一级, 二级) pairs in printed order. */
export function skeleton(template: IndicatorTemplate): SkeletonSlot[] {
  return template.levels.flatMap((l) =>
    l.level2.map((level2, i) => ({ level1: l.level1, level2, dimension: l.dimensions[i] ?? '' })),
  );
}

/** The rows a new table starts with (editable copies). */
export function standardRows(template: IndicatorTemplate): Indicator[] {
  return template.standardRows.map((r) => {
    const row: Indicator = { level1: r.level1, level2: r.level2, name: r.name, target: r.target };
    if (r.note !== undefined) row.note = r.note;
    return row;
  });
}

/** The optional rows a table may add with one click (henan project: management rows seen in some tables). */
export function optionalRows(template: IndicatorTemplate): Indicator[] {
  return (template.optionalRows ?? []).map((r) => ({ level1: r.level1, level2: r.level2, name: r.name, target: r.target }));
}

/**
 * The dimension of a 二级: from the given template when it has the 二级, else from any shipped template
 * ("数量指标" and "数量" are both 数量). Null for a 二级 no template knows.
 */
export function dimensionOfLevel2(
  level2: string,
  template?: IndicatorTemplate | null,
  templates: readonly IndicatorTemplate[] = TEMPLATES,
): string | null {
  const search = template ? [template, ...templates] : templates;
  for (const t of search) {
    for (const l of t.levels) {
      const i = l.level2.indexOf(level2);
      if (i >= 0) return l.dimensions[i] ?? null;
    }
    for (const o of t.optionalLevel2 ?? []) if (o.level2 === level2) return o.dimension;
  }
  return null;
}

/**
 * Library entries to offer for a 二级, best first: the same template and 二级; then the same dimension
 * (产出 widens to 数量/质量/时效/成本, 效益 to the four 效益 dimensions); within each, entries of the given
 * project types before 通用 before the rest, then the most often seen. Entries marked suggest:false are never
 * offered, and a name is offered once.
 */
export function suggestions(
  template: IndicatorTemplate,
  level2: string,
  projectTypes: readonly string[] = [],
  library: readonly LibraryEntry[] = LIBRARY,
): LibraryEntry[] {
  const dimension = dimensionOfLevel2(level2, template);
  const dimensions = new Set<string>(dimension ? [dimension, ...(WIDER_DIMENSIONS[dimension] ?? [])] : []);
  const wanted = new Set(projectTypes);
  const ranked: { entry: LibraryEntry; tier: number; typeRank: number }[] = [];
  for (const entry of library) {
    if (entry.suggest === false) continue;
    let tier: number;
    if (entry.template === template.id && entry.level2 === level2) tier = 0;
    else if (dimensions.has(entry.dimension)) tier = 1;
    else if (dimension === null && entry.level2 === level2) tier = 1;
    else continue;
    const typeRank = entry.projectTypes.some((p) => wanted.has(p))
      ? 0
      : entry.projectTypes.includes(GENERAL_PROJECT_TYPE)
        ? 1
        : 2;
    ranked.push({ entry, tier, typeRank });
  }
  ranked.sort(
    (a, b) =>
      a.tier - b.tier ||
      a.typeRank - b.typeRank ||
      b.entry.seenIn.length - a.entry.seenIn.length ||
      (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0),
  );
  const seen = new Set<string>();
  const out: LibraryEntry[] = [];
  for (const r of ranked) {
    if (seen.has(r.entry.name)) continue;
    seen.add(r.entry.name);
    out.push(r.entry);
  }
  return out;
}

/** One printed row of an indicator table (T11, or T10's indicator part). */
export interface PublishedIndicatorRow {
  level1: string;
  level2: string;
  /** Null for the one empty row of a 二级 that has no indicator. */
  indicator: Indicator | null;
  /** Position of the indicator in the project's list; null for an empty row. */
  index: number | null;
  /** Rows the 一级 cell spans, on the first row of the span; 0 on the rows it covers. */
  level1RowSpan: number;
  /** Rows the 二级 cell spans, on the first row of the span; 0 on the rows it covers. */
  level2RowSpan: number;
  /** False for indicators whose (一级, 二级) is not in the template: printed after the template's rows. */
  inTemplate: boolean;
}


/**
 * The printed rows of an indicator table: every 二级 of the template in order, each with its indicators in
 * their entered order, or one empty row when it has none. Indicators under a (一级, 二级) the template does not
 * have are kept and printed after, grouped the same way: user data is never dropped.
 */
export function publishedIndicatorRows(
  source: Pick<Project, 'indicators'> | readonly Indicator[],
  template: IndicatorTemplate,
): PublishedIndicatorRow[] {
  const indicators: readonly Indicator[] = Array.isArray(source) ? source : (source as Pick<Project, 'indicators'>).indicators;
  const groups = new Map<string, { level1: string; level2: string; items: { indicator: Indicator; index: number }[] }>();
  const order: string[] = [];
  const slots = skeleton(template);
  for (const s of slots) {
    const key = pairKey(s.level1, s.level2);
    if (!groups.has(key)) {
      groups.set(key, { level1: s.level1, level2: s.level2, items: [] });
      order.push(key);
    }
  }
  const templateKeys = new Set(order);
  indicators.forEach((indicator, index) => {
    const key = pairKey(indicator.level1, indicator.level2);
    let group = groups.get(key);
    if (!group) {
      group = { level1: indicator.level1, level2: indicator.level2, items: [] };
      groups.set(key, group);
      order.push(key);
    }
    group.items.push({ indicator, index });
  });

  const rows: PublishedIndicatorRow[] = [];
  for (const key of order) {
    const g = groups.get(key)!;
    const inTemplate = templateKeys.has(key);
    const items = g.items.length > 0 ? g.items : [null];
    items.forEach((item, i) => {
      rows.push({
        level1: g.level1,
        level2: g.level2,
        indicator: item?.indicator ?? null,
        index: item?.index ?? null,
        level1RowSpan: 0,
        level2RowSpan: i === 0 ? items.length : 0,
        inTemplate,
      });
    });
  }
  // 一级 spans consecutive rows with the same 一级 (template rows and extra rows are spanned separately).
  for (let start = 0; start < rows.length; ) {
    let end = start + 1;
    while (end < rows.length && rows[end]!.level1 === rows[start]!.level1 && rows[end]!.inTemplate === rows[start]!.inTemplate) end++;
    rows[start]!.level1RowSpan = end - start;
    start = end;
  }
  return rows;
}
