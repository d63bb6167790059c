// Classification code lists (政府收支分类科目) as data, per fiscal year.
// The app ships default lists; a user loads the official list of a year, which adds and corrects codes.
import type { UnitKind } from './model.js';

export type CodeLevel = '类' | '款' | '项';
export type CodeListKind = 'functional' | 'economic' | 'government-economic';

export const CODE_LIST_KIND_LABELS: Record<CodeListKind, string> = {
  functional: '支出功能分类科目',
  economic: '部门预算支出经济分类科目',
  'government-economic': '政府预算支出经济分类科目',
};

/** Code length at each level: functional 3/5/7, economic 3/5. */
export const LEVEL_LENGTH: Record<CodeListKind, Partial<Record<CodeLevel, number>>> = {
  functional: { 类: 3, 款: 5, 项: 7 },
  economic: { 类: 3, 款: 5 },
  'government-economic': { 类: 3, 款: 5 },
};

/**
 * Which budget a functional 科目 belongs to: 一般公共预算, 政府性基金预算 or 国有资本经营预算. A line must be paid
 * from funds of that budget (审核 `line.fund-budget`).
 */
export type FunctionalBudget = 'general' | 'fund' | 'state-capital';

export const FUNCTIONAL_BUDGET_LABELS: Record<FunctionalBudget, string> = {
  general: '一般公共预算',
  fund: '政府性基金预算',
  'state-capital': '国有资本经营预算',
};

/** The `budget` column of a functional code list: the budget's Chinese name (or its short form). */
export function readFunctionalBudget(text: string): FunctionalBudget | null {
  const t = text.normalize('NFKC').trim();
  for (const [key, label] of Object.entries(FUNCTIONAL_BUDGET_LABELS) as [FunctionalBudget, string][]) {
    if (t === key || t === label || t === label.replace(/预算$/, '')) return key;
  }
  return null;
}

export interface CodeEntry {
  code: string;
  name: string;
  level: CodeLevel;
  parent: string | null;
  /** Functional lists: the budget the 科目 belongs to; absent, it belongs where its parent does. */
  budget?: FunctionalBudget;
}

export class CodeList {
  readonly kind: CodeListKind;
  private readonly byCode: Map<string, CodeEntry>;
  private readonly childrenOf = new Map<string, CodeEntry[]>();

  constructor(kind: CodeListKind, entries: Iterable<CodeEntry>) {
    this.kind = kind;
    this.byCode = new Map();
    for (const e of entries) this.byCode.set(e.code, e);
    for (const e of [...this.byCode.values()].sort((a, b) => compareCodes(a.code, b.code))) {
      const key = e.parent ?? '';
      const list = this.childrenOf.get(key) ?? [];
      list.push(e);
      this.childrenOf.set(key, list);
    }
  }

  get(code: string): CodeEntry | undefined {
    return this.byCode.get(code);
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  name(code: string): string {
    return this.byCode.get(code)?.name ?? '';
  }

  /** The budget a functional 科目 belongs to: its own, else its 款's or 类's, else 一般公共预算. */
  budgetOf(code: string): FunctionalBudget {
    for (let e = this.byCode.get(code); e; e = e.parent ? this.byCode.get(e.parent) : undefined) {
      if (e.budget) return e.budget;
    }
    return 'general';
  }

  /** Entries in code order. */
  entries(): CodeEntry[] {
    return [...this.byCode.values()].sort((a, b) => compareCodes(a.code, b.code));
  }

  /** Children in code order; the top level for parent null. */
  children(parent: string | null): CodeEntry[] {
    return this.childrenOf.get(parent ?? '') ?? [];
  }

  get size(): number {
    return this.byCode.size;
  }

  /** A new list with `overrides` added or replacing entries of the same code. */
  merged(overrides: Iterable<CodeEntry>): CodeList {
    const map = new Map(this.byCode);
    for (const e of overrides) map.set(e.code, e);
    return new CodeList(this.kind, map.values());
  }
}

export function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Department economic 款 → government economic 款, by unit kind. */
export interface EconomicMappingEntry {
  department: string;
  administrative: string | null;
  institution: string | null;
}

export class EconomicMapping {
  private readonly map: Map<string, EconomicMappingEntry>;
  constructor(entries: Iterable<EconomicMappingEntry>) {
    this.map = new Map([...entries].map((e) => [e.department, e]));
  }
  /** 参公 units map like administrative units. */
  government(departmentCode: string, kind: UnitKind): string | null {
    const e = this.map.get(departmentCode);
    if (!e) return null;
    return kind === 'public-institution' ? e.institution : e.administrative;
  }
  entries(): EconomicMappingEntry[] {
    return [...this.map.values()];
  }
}

/** Everything a budget of one fiscal year is compiled against. */
export interface CodeBook {
  year: number;
  functional: CodeList;
  economic: CodeList;
  government: CodeList;
  mapping: EconomicMapping;
}

export interface CsvProblem {
  line: number;
  field?: string;
  message: string;
}

/** Minimal RFC 4180 CSV reader (quoted fields, doubled quotes, CRLF), enough for code lists. */
export function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

const LEVELS: readonly CodeLevel[] = ['类', '款', '项'];

/**
 * Parses a code list CSV with the reference files' columns: code,name,level,parent_code, then optionally
 * year and (functional lists) budget — 一般公共预算 / 政府性基金预算 / 国有资本经营预算, empty: as its parent.
 * Every row is checked; the result lists every problem with its line, or the entries.
 */
export function parseCodeListCsv(
  text: string,
  kind: CodeListKind,
): { ok: true; entries: CodeEntry[] } | { ok: false; problems: CsvProblem[] } {
  const rows = readCsv(text);
  const problems: CsvProblem[] = [];
  const header = rows[0]?.map((h) => h.trim());
  const expected = ['code', 'name', 'level', 'parent_code'];
  if (!header || expected.some((h, i) => header[i] !== h)) {
    return {
      ok: false,
      problems: [{ line: 1, message: `表头应为 ${expected.join(',')}（可再加 year、budget 列），实际为“${(rows[0] ?? []).join(',')}”` }],
    };
  }
  const budgetColumn = header.indexOf('budget');
  if (budgetColumn >= 0 && kind !== 'functional') {
    return { ok: false, problems: [{ line: 1, field: 'budget', message: 'budget 列（所属预算）只用于支出功能分类科目表' }] };
  }
  const entries: CodeEntry[] = [];
  const seen = new Set<string>();
  const lengths = LEVEL_LENGTH[kind];
  rows.slice(1).forEach((r, idx) => {
    const line = idx + 2;
    const [code = '', name = '', level = '', parent = ''] = r.map((c) => c.trim());
    if (r.length < 4) {
      problems.push({ line, message: `应有 4 列，实际只有 ${r.length} 列` });
      return;
    }
    if (!/^\d+$/.test(code)) problems.push({ line, field: 'code', message: `科目编码“${code}”应为数字` });
    if (name === '') problems.push({ line, field: 'name', message: '科目名称为空' });
    if (!LEVELS.includes(level as CodeLevel) || lengths[level as CodeLevel] === undefined) {
      problems.push({ line, field: 'level', message: `级次“${level}”无效，应为 ${Object.keys(lengths).join('、')}` });
      return;
    }
    const want = lengths[level as CodeLevel]!;
    if (code.length !== want) problems.push({ line, field: 'code', message: `${level}级科目编码应为 ${want} 位，“${code}”为 ${code.length} 位` });
    if (level === '类' && parent !== '') problems.push({ line, field: 'parent_code', message: '类级科目不应有上级编码' });
    if (level !== '类' && !code.startsWith(parent)) {
      problems.push({ line, field: 'parent_code', message: `上级编码“${parent}”不是“${code}”的前缀` });
    }
    if (seen.has(code)) problems.push({ line, field: 'code', message: `科目编码“${code}”重复` });
    seen.add(code);
    const entry: CodeEntry = { code, name, level: level as CodeLevel, parent: parent === '' ? null : parent };
    const budgetText = budgetColumn >= 0 ? (r[budgetColumn] ?? '').trim() : '';
    if (budgetText !== '') {
      const budget = readFunctionalBudget(budgetText);
      if (budget) entry.budget = budget;
      else problems.push({ line, field: 'budget', message: `所属预算“${budgetText}”无效，应为 ${Object.values(FUNCTIONAL_BUDGET_LABELS).join('、')} 或留空（同上级科目）` });
    }
    entries.push(entry);
  });
  if (rows.length < 2) problems.push({ line: 1, message: '文件中没有科目' });
  return problems.length ? { ok: false, problems } : { ok: true, entries };
}

/** Parses economic-mapping.csv: department_code,government_code_for_administrative_unit,government_code_for_public_institution */
export function parseEconomicMappingCsv(text: string): EconomicMappingEntry[] {
  const rows = readCsv(text);
  return rows.slice(1).map((r) => ({
    department: (r[0] ?? '').trim(),
    administrative: (r[1] ?? '').trim() || null,
    institution: (r[2] ?? '').trim() || null,
  }));
}
