// The finance bureau's yearly parameter package (参数包, `budget-params/1`): what a unit must budget within.
// A flat .zip like the 上报 package: manifest.json (format, year, issuing authority, and every other file with
// its size and SHA-256), params.json (rule settings, rules written as data, 控制数, the publication format to
// use), the year's code lists as CSV (functional.csv with a `budget` column for each 项, economic.csv,
// government-economic.csv) and publication formats (format-<id>.json). This module is the pure half: the
// documents' models, their readers (every problem with its path, in Chinese) and writers. Zip bytes and the
// budget file live in submission/params-package.ts and db/params.ts.
import { z } from 'zod';
import { readCsv, type CodeEntry, type CodeListKind, parseCodeListCsv, type CsvProblem } from '../codelists.js';
import { parseJson } from '../json-lines.js';
import { FUNDS, type FundGroup } from '../funds.js';
import { parseAmount, toExactString, type AmountUnit, type Fen } from '../money.js';
import type { Problem } from '../problems.js';
import { BUILTIN_RULE_IDS, normalizeParams, ruleSettingProblems, type IdentityRuleSpec, type RuleSettings } from '../audit/rule-set.js';
import { identitiesProblems, identityRuleSchema } from '../tables/format.js';
import type { Ceiling } from '../audit/context.js';

export const PARAMS_FORMAT_NAME = 'budget-params';
export const PARAMS_FORMAT_VERSION = 1;
export const PARAMS_FORMAT = `${PARAMS_FORMAT_NAME}/${PARAMS_FORMAT_VERSION}`;

export const PARAMS_MANIFEST_FILE = 'manifest.json';
export const PARAMS_FILE = 'params.json';
/** Code list files by kind, in archive order. */
export const CODE_LIST_FILES: readonly { kind: CodeListKind; file: string }[] = [
  { kind: 'functional', file: 'functional.csv' },
  { kind: 'economic', file: 'economic.csv' },
  { kind: 'government-economic', file: 'government-economic.csv' },
];
const FORMAT_FILE = /^format-([a-z0-9][a-z0-9-]{1,39})\.json$/;
export function formatFileName(id: string): string {
  return `format-${id}.json`;
}

/** Whether a file name belongs in a parameter package (besides the manifest). */
export function isParamsContentFile(name: string): boolean {
  return name === PARAMS_FILE || CODE_LIST_FILES.some((f) => f.file === name) || FORMAT_FILE.test(name);
}

/** A parameter package is small: code lists of a few thousand rows, a format or two. */
export const PARAMS_LIMITS = {
  maxArchiveBytes: 32 * 1024 * 1024,
  maxEntries: 16,
  maxEntryBytes: 16 * 1024 * 1024,
  maxTotalBytes: 48 * 1024 * 1024,
  maxManifestBytes: 1024 * 1024,
  maxNameBytes: 255,
} as const;

/** The budget a functional 项 belongs to (the `budget` column of functional.csv). */
export type ItemBudget = 'gpb' | 'gfb' | 'state-capital-budget';
export const ITEM_BUDGETS: readonly ItemBudget[] = ['gpb', 'gfb', 'state-capital-budget'];
export const ITEM_BUDGET_LABELS: Record<ItemBudget, string> = {
  gpb: '一般公共预算',
  gfb: '政府性基金预算',
  'state-capital-budget': '国有资本经营预算',
};
/** What the budget column may say: the code or the Chinese name (with or without 预算). */
function readItemBudget(text: string): ItemBudget | null {
  const t = text.trim();
  for (const b of ITEM_BUDGETS) if (t === b || t === ITEM_BUDGET_LABELS[b] || t === ITEM_BUDGET_LABELS[b].replace(/预算$/, '')) return b;
  return null;
}

// ---- manifest ------------------------------------------------------------------------------------------

export interface ParamsManifestFile {
  name: string;
  size: number;
  sha256: string;
}

export interface ParamsManifest {
  format: string;
  app: { name: string; version: string };
  fiscalYear: number;
  /** Who issued it: the finance bureau, or a supervising department for its units. */
  authority: { code: string; name: string };
  /** ISO 8601 with the local offset. */
  issuedAt: string;
  /** A title or note of the issuer, shown in the preview. */
  note?: string;
  files: ParamsManifestFile[];
}

// ---- params.json ---------------------------------------------------------------------------------------

export interface CeilingInput {
  unit: string;
  /** The unit's name as the issuer knows it (shown where the budget does not have the unit). */
  unitName?: string;
  fundGroup: FundGroup;
  kind: 'basic' | 'project';
  project?: string;
  /** Decimal string in the document's amountUnit. */
  amount: string;
}

export interface ParamsDocument {
  /** The unit of the 控制数 amounts. */
  amountUnit: AmountUnit;
  /** Rule settings by rule id: level (hard / soft / off) and parameters; rules not listed keep the file's. */
  rules?: Record<string, { level?: 'hard' | 'soft' | 'off'; params?: Record<string, string> }>;
  /** Rules written as data (identities between table cells); each replaces the file's rule of the same id. */
  identities?: IdentityRuleSpec[];
  /** 控制数; they replace the ceilings of the units they name. */
  ceilings?: CeilingInput[];
  /** The publication format the budget uses (a shipped one, or one of the package's format files). */
  format?: string;
}

const FUND_GROUPS = [...new Set(FUNDS.map((f) => f.group))] as [FundGroup, ...FundGroup[]];
const code = z.string().min(1).max(32);

const paramsSchema = z
  .object({
    amountUnit: z.enum(['万元', '元']),
    rules: z
      .record(
        z.string().max(80),
        z
          .object({ level: z.enum(['hard', 'soft', 'off']).optional(), params: z.record(z.string().max(40), z.string().max(2000)).optional() })
          .strict(),
      )
      .optional(),
    identities: z.array(identityRuleSchema).max(200).optional(),
    ceilings: z
      .array(
        z
          .object({
            unit: code,
            unitName: z.string().max(200).optional(),
            fundGroup: z.enum(FUND_GROUPS),
            kind: z.enum(['basic', 'project']),
            project: code.optional(),
            amount: z.string().max(40),
          })
          .strict(),
      )
      .max(20_000)
      .optional(),
    format: z.string().min(1).max(40).optional(),
  })
  .strict();

const manifestSchema = z
  .object({
    format: z.string(),
    app: z.object({ name: z.string().min(1).max(100), version: z.string().min(1).max(40) }).strict(),
    fiscalYear: z.number().int().min(2000).max(2100),
    authority: z.object({ code: z.string().min(1).max(32), name: z.string().min(1).max(200) }).strict(),
    issuedAt: z.string().min(1).max(40),
    note: z.string().max(2000).optional(),
    files: z
      .array(z.object({ name: z.string().min(1).max(255), size: z.number().int().min(0).max(PARAMS_LIMITS.maxEntryBytes), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict())
      .max(PARAMS_LIMITS.maxEntries),
  })
  .strict();

function pathOf(path: readonly PropertyKey[], base = '$'): string {
  let out = base;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return out;
}

const TYPE_NAMES: Record<string, string> = { string: '文字', number: '数字', boolean: 'true 或 false', array: '数组', object: '对象' };

function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? '缺少此项' : `应为${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `应为 ${JSON.stringify(issue.values[0])}` : `不是可用的值（可用：${issue.values.map((v) => String(v)).join('、')}）`;
    case 'unrecognized_keys':
      return `未知的字段：${issue.keys.join('、')}`;
    case 'too_small':
      return issue.origin === 'array' ? `至少应有 ${String(issue.minimum)} 项` : issue.origin === 'string' ? '不能为空' : `不能小于 ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array' ? `最多 ${String(issue.maximum)} 项` : issue.origin === 'string' ? `太长（最多 ${String(issue.maximum)} 个字符）` : `不能大于 ${String(issue.maximum)}`;
    case 'invalid_format':
      return '格式不对';
    default:
      return '不是可用的值';
  }
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

export type FormatCheck = { ok: true } | { ok: false; reason: 'newer' | 'unknown'; message: string };

export function checkParamsFormat(format: unknown): FormatCheck {
  if (format === PARAMS_FORMAT) return { ok: true };
  const m = typeof format === 'string' ? /^budget-params\/(\d{1,6})$/.exec(format) : null;
  if (m && Number(m[1]) > PARAMS_FORMAT_VERSION) {
    return { ok: false, reason: 'newer', message: `参数包格式为“${format}”，由更新版本的程序生成；当前程序只能读取“${PARAMS_FORMAT}”，请升级程序后再导入` };
  }
  return { ok: false, reason: 'unknown', message: `参数包格式“${typeof format === 'string' ? format : JSON.stringify(format)}”无法识别，应为“${PARAMS_FORMAT}”` };
}

/** Reads manifest.json: the format first (a newer or unknown one is refused alone), then every field. */
export function parseParamsManifest(text: string): Parsed<ParamsManifest> {
  const json = parseJson(text);
  if (!json.ok) return { ok: false, problems: [{ path: '$', message: `清单 manifest.json ${json.message}` }] };
  const doc = json.value as Record<string, unknown> | null;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { ok: false, problems: [{ path: '$', message: '清单 manifest.json 应为 JSON 对象' }] };
  const format = checkParamsFormat(doc.format);
  if (!format.ok) return { ok: false, problems: [{ path: '$.format', message: format.message }] };
  const parsed = manifestSchema.safeParse(doc);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => ({ path: pathOf(i.path), message: issueMessage(i) })) };
  const problems: Problem[] = [];
  if (Number.isNaN(Date.parse(parsed.data.issuedAt))) problems.push({ path: '$.issuedAt', message: `下达时间“${parsed.data.issuedAt}”不是有效的日期时间` });
  if (problems.length) return { ok: false, problems };
  const m = parsed.data;
  return {
    ok: true,
    value: { format: PARAMS_FORMAT, app: m.app, fiscalYear: m.fiscalYear, authority: m.authority, issuedAt: m.issuedAt, ...(m.note !== undefined ? { note: m.note } : {}), files: m.files },
  };
}

/** What params.json means once read: settings with their values normalised and 控制数 in 分. */
export interface ReadParams {
  rules: RuleSettings;
  identities: IdentityRuleSpec[];
  ceilings: (Ceiling & { unitName?: string })[];
  format: string | null;
  /** Which sections the document carries (a section it leaves out keeps the file's settings). */
  has: { rules: boolean; identities: boolean; ceilings: boolean };
}

/** Reads params.json; every problem with its path (under "params.json $"). */
export function parseParamsDocument(text: string): Parsed<ReadParams> {
  const json = parseJson(text);
  if (!json.ok) return { ok: false, problems: [{ path: '$', message: json.message }] };
  const parsed = paramsSchema.safeParse(json.value);
  const problems: Problem[] = [];
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => ({ path: pathOf(i.path), message: issueMessage(i) })));
    return { ok: false, problems };
  }
  const doc = parsed.data;
  const rules: Record<string, { level?: 'hard' | 'soft' | 'off'; params?: Record<string, string> }> = {};
  const identities = doc.identities ?? [];
  const dataIds = new Set(identities.map((r) => r.id));
  // A package may set the level of a rule it brings as data, or of a built-in rule.
  problems.push(...ruleSettingProblems(doc.rules ?? {}, new Set([...BUILTIN_RULE_IDS, ...dataIds]), '$.rules'));
  for (const [id, s] of Object.entries(doc.rules ?? {})) {
    rules[id] = { ...(s.level !== undefined ? { level: s.level } : {}), ...(s.params ? { params: normalizeParams(id, s.params) } : {}) };
  }
  problems.push(...identitiesProblems(identities, '$.identities', null));
  const ceilings: ReadParams['ceilings'] = [];
  const seen = new Map<string, number>();
  (doc.ceilings ?? []).forEach((c, i) => {
    const at = `$.ceilings[${i}]`;
    const read = parseAmount(c.amount, doc.amountUnit);
    if (!read.ok) problems.push({ path: `${at}.amount`, message: read.reason });
    if (c.project !== undefined && c.kind !== 'project') problems.push({ path: `${at}.project`, message: '单列到项目的控制数只能是项目支出（kind 为 project）' });
    const key = [c.unit, c.fundGroup, c.kind, c.project ?? ''].join(':');
    const first = seen.get(key);
    if (first !== undefined) problems.push({ path: at, message: `与第 ${first + 1} 个控制数重复（同一单位、资金来源、支出类型${c.project ? '、项目' : ''}）` });
    else seen.set(key, i);
    if (read.ok) {
      ceilings.push({
        unit: c.unit,
        fundGroup: c.fundGroup,
        kind: c.kind,
        ...(c.project !== undefined ? { project: c.project } : {}),
        amount: read.fen,
        ...(c.unitName !== undefined ? { unitName: c.unitName } : {}),
      });
    }
  });
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    value: {
      rules,
      identities,
      ceilings,
      format: doc.format ?? null,
      has: { rules: doc.rules !== undefined, identities: doc.identities !== undefined, ceilings: doc.ceilings !== undefined },
    },
  };
}

/** params.json as written into a package: two-space JSON, final newline. */
export function serializeParams(doc: ParamsDocument): string {
  return JSON.stringify(doc, null, 2) + '\n';
}

export function serializeParamsManifest(m: ParamsManifest): string {
  return JSON.stringify(m, null, 2) + '\n';
}

export function ceilingAmountText(fen: Fen, unit: AmountUnit): string {
  return toExactString(fen, unit);
}


// ---- code lists with the 项's budget ------------------------------------------------------------------

export interface PackageCodeList {
  kind: CodeListKind;
  entries: CodeEntry[];
  /** functional.csv: the budget of each 项 that states one. */
  budgets: Map<string, ItemBudget>;
}

/**
 * Reads one code list of a package: the columns of `codes import` (code,name,level,parent_code[,year]) and, in
 * functional.csv, a `budget` column (一般公共预算 / 政府性基金预算 / 国有资本经营预算, or gpb / gfb /
 * state-capital-budget) for each 项.
 */
export function parsePackageCodeList(text: string, kind: CodeListKind): { ok: true; list: PackageCodeList } | { ok: false; problems: CsvProblem[] } {
  const parsed = parseCodeListCsv(text, kind);
  if (!parsed.ok) return parsed;
  const rows = readCsv(text);
  const header = rows[0]!.map((h) => h.trim());
  const at = header.indexOf('budget');
  const budgets = new Map<string, ItemBudget>();
  const problems: CsvProblem[] = [];
  if (at >= 0) {
    if (kind !== 'functional') problems.push({ line: 1, field: 'budget', message: '只有支出功能分类科目表可以有 budget 列' });
    rows.slice(1).forEach((r, i) => {
      const text = (r[at] ?? '').trim();
      if (text === '') return;
      const entry = parsed.entries[i]!;
      const b = readItemBudget(text);
      if (!b) problems.push({ line: i + 2, field: 'budget', message: `“${text}”不是预算类别，应为 一般公共预算、政府性基金预算 或 国有资本经营预算` });
      else if (entry.level !== '项') problems.push({ line: i + 2, field: 'budget', message: `${entry.level}级科目“${entry.code}”不填预算类别（只有项级科目填写）` });
      else budgets.set(entry.code, b);
    });
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, list: { kind, entries: parsed.entries, budgets } };
}

/** A code list as CSV for a package (the budget column in functional.csv). */
export function codeListCsv(entries: readonly CodeEntry[], kind: CodeListKind, budgets: ReadonlyMap<string, ItemBudget>): string {
  const q = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const withBudget = kind === 'functional';
  const lines = [withBudget ? 'code,name,level,parent_code,budget' : 'code,name,level,parent_code'];
  for (const e of entries) {
    const cells = [e.code, e.name, e.level, e.parent ?? ''];
    if (withBudget) cells.push(budgets.has(e.code) ? ITEM_BUDGET_LABELS[budgets.get(e.code)!] : '');
    lines.push(cells.map(q).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

export function formatIdOfFile(name: string): string | null {
  return FORMAT_FILE.exec(name)?.[1] ?? null;
}

// ---- 控制数 as a spreadsheet (a department setting them for its units) ------------------------------------

const KIND_WORDS: Record<string, 'basic' | 'project'> = { basic: 'basic', project: 'project', 基本支出: 'basic', 项目支出: 'project', 基本: 'basic', 项目: 'project' };

function readFundGroup(text: string): FundGroup | null {
  const t = text.normalize('NFKC').trim();
  for (const g of FUND_GROUPS) if (t === g) return g;
  for (const [g, label] of [
    ['gpb', '一般公共预算'],
    ['gfb', '政府性基金预算'],
    ['gfb', '政府性基金'],
    ['state-capital-budget', '国有资本经营预算'],
  ] as const) {
    if (t === label) return g;
  }
  const byLabel = FUNDS.find((f) => f.label === t && f.group === f.code);
  return byLabel ? (byLabel.group as FundGroup) : null;
}

/**
 * 控制数 from CSV (as saved from Excel/WPS): `unit,fund_group,kind,project,amount` — fund_group 一般公共预算 /
 * 政府性基金预算 / 国有资本经营预算 (or a group code), kind 基本支出 / 项目支出, project empty or a project code,
 * amount in `unit`. Every problem with its line.
 */
export function parseCeilingsCsv(text: string, unit: AmountUnit): { ok: true; ceilings: Ceiling[] } | { ok: false; problems: CsvProblem[] } {
  const rows = readCsv(text);
  const header = rows[0]?.map((h) => h.trim()) ?? [];
  const expected = ['unit', 'fund_group', 'kind', 'project', 'amount'];
  if (expected.some((h, i) => header[i] !== h)) return { ok: false, problems: [{ line: 1, message: `表头应为 ${expected.join(',')}，实际为“${header.join(',')}”` }] };
  const problems: CsvProblem[] = [];
  const ceilings: Ceiling[] = [];
  const seen = new Map<string, number>();
  rows.slice(1).forEach((r, i) => {
    const line = i + 2;
    const [u = '', g = '', k = '', project = '', amount = ''] = r.map((c) => c.trim());
    if (u === '') problems.push({ line, field: 'unit', message: '单位编码为空' });
    const group = readFundGroup(g);
    if (!group) problems.push({ line, field: 'fund_group', message: `资金来源“${g}”应为 一般公共预算、政府性基金预算 或 国有资本经营预算` });
    const kind = KIND_WORDS[k];
    if (!kind) problems.push({ line, field: 'kind', message: `支出类型“${k}”应为 基本支出 或 项目支出` });
    if (project !== '' && kind === 'basic') problems.push({ line, field: 'project', message: '单列到项目的控制数只能是项目支出' });
    const read = parseAmount(amount, unit, { loose: true });
    if (!read.ok) problems.push({ line, field: 'amount', message: read.reason });
    const key = [u, group, kind, project].join(':');
    const first = seen.get(key);
    if (first !== undefined) problems.push({ line, message: `与第 ${first} 行重复` });
    else seen.set(key, line);
    if (u !== '' && group && kind && read.ok) ceilings.push({ unit: u, fundGroup: group, kind, ...(project !== '' ? { project } : {}), amount: read.fen });
  });
  if (rows.length < 2) problems.push({ line: 1, message: '文件中没有控制数' });
  return problems.length ? { ok: false, problems } : { ok: true, ceilings };
}
