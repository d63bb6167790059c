// The parameter package's settings in the budget file (migration 0004): rule levels and parameters (from a
// package, or the user's with a reason), rules written as data, 控制数, the budget of each functional 项, the
// reasons for large changes, and the record of every package imported. `auditConfigFor` is the one place the
// rules a budget is audited with come from (the session, 上报, the command line).
import type { CodeListKind } from '../core/codelists.js';
import { CODE_LIST_KIND_LABELS } from '../core/codelists.js';
import type { Ceiling } from '../core/audit/context.js';
import {
  auditConfig,
  BUILTIN_RULE_IDS,
  normalizeParams,
  ruleSettingProblems,
  RULE_LEVELS,
  RULE_PARAMS,
  type AuditConfig,
  type IdentityRuleSpec,
  type RuleLevel,
  type RuleSetting,
  type RuleSettings,
} from '../core/audit/rule-set.js';
import { ceilingId, EXPENDITURE_KIND_LABELS, fundGroupLabel } from '../core/audit/param-rules.js';
import type { FundGroup } from '../core/funds.js';
import { toExactString, type Fen } from '../core/money.js';
import { ITEM_BUDGET_LABELS, ITEM_BUDGETS, type ItemBudget, type ReadParams } from '../core/params/package.js';
import { SHIPPED_FORMATS } from '../core/tables/definitions.js';
import type { PublicationFormat } from '../core/tables/format.js';
import { chooseFormat, chosenFormat, findFormat, storeUserFormat, userFormats } from './publication-formats.js';
import { StoreError, type BudgetStore } from './store.js';

// ---- reading what the file holds ------------------------------------------------------------------------

export interface StoredRuleSetting {
  rule: string;
  level: RuleLevel | null;
  params: Record<string, string>;
  source: 'package' | 'user';
  /** The package that set it (its record id), for source = package. */
  package: number | null;
  reason: string | null;
  changedAt: string;
}

function parseObject(text: unknown): Record<string, string> {
  try {
    const v = JSON.parse(String(text)) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) as Record<string, string>;
  } catch {
    return {};
  }
}

/** A file of an older app read before its upgrade has none of these tables: it has the defaults. */
function hasParams(store: BudgetStore): boolean {
  return store.hasTable('rule_settings');
}

export function storedRuleSettings(store: BudgetStore): StoredRuleSetting[] {
  if (!hasParams(store)) return [];
  return store.select('SELECT * FROM rule_settings ORDER BY rule').map((r) => ({
    rule: r.rule as string,
    level: (r.level as RuleLevel | null) ?? null,
    params: parseObject(r.params),
    source: r.source as 'package' | 'user',
    package: r.package === null ? null : Number(r.package),
    reason: (r.reason as string | null) ?? null,
    changedAt: r.changed_at as string,
  }));
}

export function ruleSettingsOf(store: BudgetStore): RuleSettings {
  const out: Record<string, RuleSetting> = {};
  for (const s of storedRuleSettings(store)) out[s.rule] = { ...(s.level ? { level: s.level } : {}), params: s.params };
  return out;
}

export function storedIdentities(store: BudgetStore): IdentityRuleSpec[] {
  if (!hasParams(store)) return [];
  return store.select('SELECT * FROM rule_identities ORDER BY position, id').map((r) => ({
    id: r.id as string,
    level: r.level as RuleLevel,
    description: r.description as string,
    expressions: JSON.parse(r.expressions as string) as IdentityRuleSpec['expressions'],
  }));
}

export function storedCeilings(store: BudgetStore): Ceiling[] {
  if (!hasParams(store)) return [];
  return store.select('SELECT unit, fund_group, kind, project, amount FROM ceilings ORDER BY unit, fund_group, kind, project').map((r) => ({
    unit: r.unit as string,
    fundGroup: r.fund_group as FundGroup,
    kind: r.kind as 'basic' | 'project',
    ...((r.project as string) !== '' ? { project: r.project as string } : {}),
    amount: r.amount as bigint,
  }));
}

/** The budget each functional 项 belongs to in the year's list, as a package stated it. */
export function itemBudgets(store: BudgetStore, year: number): Map<string, ItemBudget> {
  if (!hasParams(store)) return new Map();
  return new Map(store.select('SELECT code, budget FROM code_item_budgets WHERE year = ? ORDER BY code', year).map((r) => [r.code as string, r.budget as ItemBudget]));
}

/** The rules and settings this file's budget is audited with (its format's identities included). */
export function auditConfigFor(store: BudgetStore, format: PublicationFormat = chosenFormat(store)): AuditConfig {
  return auditConfig({
    settings: ruleSettingsOf(store),
    formatIdentities: format.identities ?? [],
    packageIdentities: storedIdentities(store),
    ceilings: storedCeilings(store),
  });
}

export interface ParamPackageRecord {
  id: number;
  importedAt: string;
  fileName: string;
  sha256: string;
  fiscalYear: number;
  authority: { code: string; name: string };
  issuedAt: string;
  changes: ParamsPreview;
}

export function paramPackages(store: BudgetStore): ParamPackageRecord[] {
  if (!hasParams(store)) return [];
  return store.select('SELECT * FROM param_packages ORDER BY id').map((r) => ({
    id: Number(r.id),
    importedAt: r.imported_at as string,
    fileName: r.file_name as string,
    sha256: r.package_sha256 as string,
    fiscalYear: Number(r.fiscal_year),
    authority: { code: r.authority_code as string, name: r.authority_name as string },
    issuedAt: r.issued_at as string,
    changes: JSON.parse(r.changes as string) as ParamsPreview,
  }));
}

// ---- the user's changes ---------------------------------------------------------------------------------

function ruleIds(store: BudgetStore): Set<string> {
  const config = auditConfigFor(store);
  return new Set(config.entries.map((e) => e.id));
}

function logRule(store: BudgetStore, rule: string, before: unknown, after: unknown, source: 'package' | 'user', pkg: number | null, reason: string | null, at: string): void {
  store.write(
    'INSERT INTO rule_setting_log (at, rule, before, after, source, package, reason) VALUES (?, ?, ?, ?, ?, ?, ?)',
    at, rule, JSON.stringify(before), JSON.stringify(after), source, pkg, reason,
  );
}

/**
 * The user changes a rule's level or parameters, with a reason (kept with the setting and in the log). Refused
 * (nothing written) for an unknown rule, level or value, or without a reason.
 */
export function setRuleByUser(store: BudgetStore, rule: string, change: RuleSetting, reason: string, now = new Date()): void {
  store.assertWritable();
  if (reason.trim() === '') throw new StoreError('invalid', '修改审核规则须填写原因');
  const problems = ruleSettingProblems({ [rule]: change }, ruleIds(store), '规则');
  if (problems.length) throw new StoreError('invalid', problems[0]!.message, problems.map((p) => ({ field: p.path, message: p.message })));
  store.transaction(() => {
    const before = storedRuleSettings(store).find((s) => s.rule === rule);
    const level = change.level ?? before?.level ?? null;
    const params = { ...(before?.params ?? {}), ...normalizeParams(rule, change.params ?? {}) };
    const at = now.toISOString();
    store.write(
      `INSERT INTO rule_settings (rule, level, params, source, package, reason, changed_at) VALUES (?, ?, ?, 'user', NULL, ?, ?)
       ON CONFLICT (rule) DO UPDATE SET level = excluded.level, params = excluded.params, source = 'user', package = NULL,
         reason = excluded.reason, changed_at = excluded.changed_at`,
      rule, level, JSON.stringify(params), reason.trim(), at,
    );
    logRule(store, rule, before ? { level: before.level, params: before.params } : null, { level, params }, 'user', null, reason.trim(), at);
  });
}

export interface ChangeReasonRow {
  code: string;
  reason: string | null;
  /** Last year's reason for the same code: a starting text. */
  prior: string | null;
}

export function changeReasonRows(store: BudgetStore): ChangeReasonRow[] {
  if (!hasParams(store)) return [];
  return store.select('SELECT code, reason, prior_reason FROM change_reasons ORDER BY code').map((r) => ({
    code: r.code as string,
    reason: (r.reason as string | null) ?? null,
    prior: (r.prior_reason as string | null) ?? null,
  }));
}

/** Sets reasons (null or blank clears one; last year's starting text stays), in one transaction. */
export function setChangeReasons(store: BudgetStore, reasons: Readonly<Record<string, string | null>>): void {
  store.assertWritable();
  for (const code of Object.keys(reasons)) {
    if (!/^\d{3}(\d{2}){0,2}$/.test(code)) throw new StoreError('invalid', `“${code}”不是功能分类的类、款或项编码`);
  }
  store.transaction(() => {
    for (const [code, value] of Object.entries(reasons)) {
      const text = value === null || value.trim() === '' ? null : value.trim();
      store.write('INSERT INTO change_reasons (code, reason) VALUES (?, ?) ON CONFLICT (code) DO UPDATE SET reason = excluded.reason', code, text);
    }
    store.write('DELETE FROM change_reasons WHERE reason IS NULL AND prior_reason IS NULL');
  });
}

/** Last year's reasons become this year's starting texts (the reasons written this year stay). */
export function carryChangeReasons(store: BudgetStore, reasons: Readonly<Record<string, string>>): number {
  store.assertWritable();
  let n = 0;
  store.transaction(() => {
    store.write('UPDATE change_reasons SET prior_reason = NULL');
    for (const [code, text] of Object.entries(reasons)) {
      if (text.trim() === '') continue;
      store.write('INSERT INTO change_reasons (code, prior_reason) VALUES (?, ?) ON CONFLICT (code) DO UPDATE SET prior_reason = excluded.prior_reason', code, text.trim());
      n++;
    }
    store.write('DELETE FROM change_reasons WHERE reason IS NULL AND prior_reason IS NULL');
  });
  return n;
}

// ---- a package against the file: the preview, then the import ------------------------------------------

export interface RuleChange {
  id: string;
  description: string;
  before: { level: RuleLevel; params: Record<string, string> };
  after: { level: RuleLevel; params: Record<string, string> };
  /** The user had changed it (with a reason); the package's setting replaces theirs. */
  replacesUser: boolean;
}

export interface CeilingChange {
  id: string;
  unit: string;
  unitName: string;
  fundGroup: string;
  fundGroupLabel: string;
  kind: 'basic' | 'project';
  kindLabel: string;
  project: string | null;
  /** Exact amounts in the budget's unit; null where there is none. */
  before: string | null;
  after: string | null;
  /** The unit is one of this budget's. */
  inBudget: boolean;
}

export interface ParamsPreview {
  fiscalYear: number;
  authority: { code: string; name: string };
  issuedAt: string;
  note: string | null;
  amountUnit: string;
  codeLists: {
    kind: CodeListKind;
    label: string;
    entries: number;
    added: { code: string; name: string }[];
    changed: { code: string; before: string; after: string }[];
    budgets: { code: string; name: string; before: string | null; after: string }[];
  }[];
  rules: RuleChange[];
  identities: { id: string; description: string; level: RuleLevel; change: 'added' | 'changed' }[];
  ceilings: CeilingChange[];
  formatsLoaded: { id: string; name: string }[];
  format: { before: { id: string; name: string }; after: { id: string; name: string } } | null;
  /** Nothing in the package differs from the file. */
  unchanged: boolean;
}

/** What a checked package would change in the file, or the problems that refuse it (nothing is written). */
export function previewParams(store: BudgetStore, pkg: ReadPackage): { ok: true; preview: ParamsPreview } | { ok: false; problems: string[] } {
  if (!store.hasBudget()) return { ok: false, problems: ['此预算文件中还没有预算：请先导入或新建预算，再导入年度参数包'] };
  const budget = store.loadBudget();
  const year = budget.fiscalYear;
  const problems: string[] = [];
  if (pkg.manifest.fiscalYear !== year) {
    return { ok: false, problems: [`参数包是 ${pkg.manifest.fiscalYear} 年度的（${pkg.manifest.authority.name}），本预算为 ${year} 年度，不能导入`] };
  }
  const book = store.codeBook(year);
  const money = (fen: Fen) => toExactString(fen, budget.amountUnit);

  // Code lists: merged like `codes import` (codes added, names corrected); parents must exist.
  const codeLists: ParamsPreview['codeLists'] = [];
  const currentBudgets = itemBudgets(store, year);
  for (const list of pkg.codeLists) {
    const current = book[list.kind === 'government-economic' ? 'government' : list.kind];
    const incoming = new Set(list.entries.map((e) => e.code));
    const added: { code: string; name: string }[] = [];
    const changed: { code: string; before: string; after: string }[] = [];
    list.entries.forEach((e, i) => {
      if (e.parent !== null && !incoming.has(e.parent) && !current.has(e.parent)) {
        problems.push(`${CODE_LIST_KIND_LABELS[list.kind]}第 ${i + 2} 行：上级科目“${e.parent}”既不在此表中，也不在 ${year} 年的科目表中`);
      }
      const before = current.get(e.code);
      if (!before) added.push({ code: e.code, name: e.name });
      else if (before.name !== e.name || before.level !== e.level || before.parent !== e.parent) changed.push({ code: e.code, before: before.name, after: e.name });
    });
    const budgets: ParamsPreview['codeLists'][number]['budgets'] = [];
    for (const [code, b] of list.budgets) {
      const was = currentBudgets.get(code) ?? null;
      if (was !== b) budgets.push({ code, name: list.entries.find((e) => e.code === code)?.name ?? '', before: was ? ITEM_BUDGET_LABELS[was] : null, after: ITEM_BUDGET_LABELS[b] });
    }
    codeLists.push({ kind: list.kind, label: CODE_LIST_KIND_LABELS[list.kind], entries: list.entries.length, added, changed, budgets });
  }

  // Formats: loaded (a shipped id may not be reused), then the one to use.
  const formatsLoaded: { id: string; name: string }[] = [];
  for (const f of pkg.formats) {
    if (SHIPPED_FORMATS.has(f.id)) {
      problems.push(`参数包中的公开表格式“${f.id}”使用了内置格式的编号`);
      continue;
    }
    const existing = userFormats(store).find((u) => u.id === f.id);
    if (!existing || JSON.stringify(existing) !== JSON.stringify(f)) formatsLoaded.push({ id: f.id, name: f.name });
  }
  const chosen = chosenFormat(store);
  let format: ParamsPreview['format'] = null;
  let formatAfter = chosen;
  if (pkg.params.format !== null) {
    const next = pkg.formats.find((f) => f.id === pkg.params.format) ?? findFormat(store, pkg.params.format);
    if (!next) problems.push(`参数包指定的公开表格式“${pkg.params.format}”既不是内置格式，也不在参数包和预算文件中`);
    else {
      formatAfter = next;
      if (next.id !== chosen.id) format = { before: { id: chosen.id, name: chosen.name }, after: { id: next.id, name: next.name } };
    }
  }

  // Rules: the package's settings over the file's; data rules added or replaced.
  const storedSettings = new Map(storedRuleSettings(store).map((s) => [s.rule, s]));
  const known = new Set([...BUILTIN_RULE_IDS, ...(formatAfter.identities ?? []).map((r) => r.id), ...storedIdentities(store).map((r) => r.id), ...pkg.params.identities.map((r) => r.id)]);
  for (const id of Object.keys(pkg.params.rules)) if (!known.has(id)) problems.push(`参数包设置了不存在的审核规则“${id}”`);
  if (problems.length) return { ok: false, problems };

  const before = auditConfigFor(store);
  const after = auditConfig({
    settings: mergedSettings(ruleSettingsOf(store), pkg.params.rules),
    formatIdentities: formatAfter.identities ?? [],
    packageIdentities: mergedIdentities(storedIdentities(store), pkg.params.identities),
    ceilings: [],
  });
  const paramsOf = (e: AuditConfig['entries'][number]) => Object.fromEntries(e.params.map((p) => [p.key, p.value]));
  const rules: RuleChange[] = [];
  for (const a of after.entries) {
    const b = before.entries.find((x) => x.id === a.id);
    if (!b) continue;
    const bp = paramsOf(b);
    const ap = paramsOf(a);
    if (b.level === a.level && JSON.stringify(bp) === JSON.stringify(ap)) continue;
    rules.push({ id: a.id, description: a.description, before: { level: b.level, params: bp }, after: { level: a.level, params: ap }, replacesUser: storedSettings.get(a.id)?.source === 'user' && a.id in pkg.params.rules });
  }
  const storedIds = new Map(storedIdentities(store).map((r) => [r.id, r]));
  const identities: ParamsPreview['identities'] = [];
  for (const r of pkg.params.identities) {
    const was = storedIds.get(r.id);
    if (!was) identities.push({ id: r.id, description: r.description, level: r.level, change: 'added' });
    else if (JSON.stringify(was) !== JSON.stringify(r)) identities.push({ id: r.id, description: r.description, level: r.level, change: 'changed' });
  }

  // 控制数 of the units the package names.
  const unitNames = new Map(budget.units.map((u) => [u.code, u.name]));
  const packageUnits = new Set(pkg.params.ceilings.map((c) => c.unit));
  const beforeCeilings = new Map(storedCeilings(store).filter((c) => packageUnits.has(c.unit)).map((c) => [ceilingId(c), c]));
  const afterCeilings = new Map(pkg.params.ceilings.map((c) => [ceilingId(c), c]));
  const ceilings: CeilingChange[] = [];
  for (const id of [...new Set([...beforeCeilings.keys(), ...afterCeilings.keys()])].sort()) {
    const b = beforeCeilings.get(id);
    const a = afterCeilings.get(id);
    if (b && a && b.amount === a.amount) continue;
    const c = (a ?? b)!;
    ceilings.push({
      id,
      unit: c.unit,
      unitName: unitNames.get(c.unit) ?? pkg.params.ceilings.find((x) => x.unit === c.unit && x.unitName)?.unitName ?? '',
      fundGroup: c.fundGroup,
      fundGroupLabel: fundGroupLabel(c.fundGroup),
      kind: c.kind,
      kindLabel: EXPENDITURE_KIND_LABELS[c.kind],
      project: c.project ?? null,
      before: b ? money(b.amount) : null,
      after: a ? money(a.amount) : null,
      inBudget: unitNames.has(c.unit),
    });
  }
  const unchanged =
    codeLists.every((l) => l.added.length + l.changed.length + l.budgets.length === 0) &&
    rules.length + identities.length + ceilings.length + formatsLoaded.length === 0 &&
    format === null;
  return {
    ok: true,
    preview: {
      fiscalYear: year,
      authority: pkg.manifest.authority,
      issuedAt: pkg.manifest.issuedAt,
      note: pkg.manifest.note ?? null,
      amountUnit: budget.amountUnit,
      codeLists,
      rules,
      identities,
      ceilings,
      formatsLoaded,
      format,
      unchanged,
    },
  };
}

const LEVEL_TEXT: Record<RuleLevel, string> = { hard: '错误', soft: '提示', off: '不审核' };

function paramLabel(rule: string, key: string): string {
  return RULE_PARAMS[rule]?.find((p) => p.key === key)?.label ?? key;
}

/** A preview as lines under headings (科目表, 审核规则, 控制数, 公开表格式), for the dialog and the terminal. */
export function previewSections(p: ParamsPreview): { title: string; lines: string[] }[] {
  const out: { title: string; lines: string[] }[] = [];
  for (const l of p.codeLists) {
    const lines = [
      ...l.added.map((e) => `新增 ${e.code} ${e.name}`),
      ...l.changed.map((e) => `修改 ${e.code}：${e.before} → ${e.after}`),
      ...l.budgets.map((e) => `${e.code} ${e.name} 的预算类别：${e.before ?? '未定'} → ${e.after}`),
    ];
    if (lines.length) out.push({ title: `${l.label}（新增 ${l.added.length} 个，修改 ${l.changed.length} 个，预算类别 ${l.budgets.length} 个）`, lines });
  }
  const rules = p.rules.map((r) => {
    const changes = [
      ...(r.before.level !== r.after.level ? [`${LEVEL_TEXT[r.before.level]} → ${LEVEL_TEXT[r.after.level]}`] : []),
      ...Object.keys(r.after.params)
        .filter((k) => r.after.params[k] !== r.before.params[k])
        .map((k) => `${paramLabel(r.id, k)}：${r.before.params[k] ?? '—'} → ${r.after.params[k]}`),
    ];
    return `${r.description.replace(/。$/, '')}：${changes.join('，')}${r.replacesUser ? '（替换本单位自行作出的修改）' : ''}`;
  });
  rules.push(...p.identities.map((r) => `${r.change === 'added' ? '新增' : '修改'}审核规则（表间关系）：${r.description.replace(/。$/, '')}（${LEVEL_TEXT[r.level]}）`));
  if (rules.length) out.push({ title: '审核规则', lines: rules });
  const ceilings = p.ceilings.map(
    (c) =>
      `${c.unit}${c.unitName ? ` ${c.unitName}` : ''} ${c.fundGroupLabel}${c.kindLabel}${c.project ? `（项目 ${c.project}）` : ''}：` +
      `${c.before === null ? '无' : `${c.before}${p.amountUnit}`} → ${c.after === null ? '取消' : `${c.after}${p.amountUnit}`}${c.inBudget ? '' : '（不属于本预算的单位）'}`,
  );
  if (ceilings.length) out.push({ title: '控制数', lines: ceilings });
  const formats = [...p.formatsLoaded.map((f) => `载入 ${f.name}`), ...(p.format ? [`选用：${p.format.before.name} → ${p.format.after.name}`] : [])];
  if (formats.length) out.push({ title: '公开表格式', lines: formats });
  return out;
}

function mergedSettings(current: RuleSettings, incoming: ReadParams['rules']): RuleSettings {
  const out: Record<string, RuleSetting> = { ...current };
  for (const [id, s] of Object.entries(incoming)) out[id] = { ...(s.level ? { level: s.level } : current[id]?.level ? { level: current[id]!.level } : {}), params: { ...(current[id]?.params ?? {}), ...(s.params ?? {}) } };
  return out;
}

function mergedIdentities(current: readonly IdentityRuleSpec[], incoming: readonly IdentityRuleSpec[]): IdentityRuleSpec[] {
  const ids = new Set(incoming.map((r) => r.id));
  return [...current.filter((r) => !ids.has(r.id)), ...incoming];
}

/** What previewParams and importParams need of a checked package (submission/params-package.ts reads it). */
export interface ReadPackage {
  manifest: { fiscalYear: number; authority: { code: string; name: string }; issuedAt: string; note?: string };
  params: ReadParams;
  codeLists: { kind: CodeListKind; entries: import('../core/codelists.js').CodeEntry[]; budgets: Map<string, ItemBudget> }[];
  formats: PublicationFormat[];
  sha256: string;
}

/**
 * Imports a checked package into the file, all in one transaction, and records it with its source and the
 * preview of what it changed. Refused (StoreError, nothing written) when the preview finds problems.
 */
export function importParams(store: BudgetStore, pkg: ReadPackage, source: { fileName: string; manifestJson: string }, now = new Date()): ParamsPreview {
  store.assertWritable();
  const checked = previewParams(store, pkg);
  if (!checked.ok) throw new StoreError('invalid', `年度参数包不能导入：${checked.problems[0]}`, checked.problems.map((message) => ({ message })));
  const preview = checked.preview;
  const year = preview.fiscalYear;
  const at = now.toISOString();
  store.transaction(() => {
    store.write(
      `INSERT INTO param_packages (imported_at, file_name, package_sha256, fiscal_year, authority_code, authority_name, issued_at, manifest, changes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      at, source.fileName, pkg.sha256, year, pkg.manifest.authority.code, pkg.manifest.authority.name, pkg.manifest.issuedAt, source.manifestJson, JSON.stringify(preview),
    );
    const id = Number(store.selectOne('SELECT last_insert_rowid() AS id')!.id);
    for (const list of pkg.codeLists) {
      store.importCodeList(list.kind, year, list.entries);
      for (const [code, b] of list.budgets) {
        if (!ITEM_BUDGETS.includes(b)) continue;
        store.write('INSERT INTO code_item_budgets (year, code, budget) VALUES (?, ?, ?) ON CONFLICT (year, code) DO UPDATE SET budget = excluded.budget', year, code, b);
      }
    }
    for (const f of pkg.formats) storeUserFormat(store, f);
    if (pkg.params.format !== null) chooseFormat(store, pkg.params.format);
    const stored = new Map(storedRuleSettings(store).map((s) => [s.rule, s]));
    for (const [rule, s] of Object.entries(pkg.params.rules)) {
      const before = stored.get(rule);
      const level = s.level ?? before?.level ?? null;
      const params = { ...(before?.params ?? {}), ...(s.params ?? {}) };
      store.write(
        `INSERT INTO rule_settings (rule, level, params, source, package, reason, changed_at) VALUES (?, ?, ?, 'package', ?, NULL, ?)
         ON CONFLICT (rule) DO UPDATE SET level = excluded.level, params = excluded.params, source = 'package', package = excluded.package,
           reason = NULL, changed_at = excluded.changed_at`,
        rule, level, JSON.stringify(params), id, at,
      );
      logRule(store, rule, before ? { level: before.level, params: before.params } : null, { level, params }, 'package', id, null, at);
    }
    const position = Number(store.selectOne('SELECT coalesce(max(position), -1) AS p FROM rule_identities')!.p);
    pkg.params.identities.forEach((r, i) => {
      store.write(
        `INSERT INTO rule_identities (id, position, level, description, expressions, package) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET level = excluded.level, description = excluded.description, expressions = excluded.expressions, package = excluded.package`,
        r.id, position + 1 + i, r.level, r.description, JSON.stringify(r.expressions), id,
      );
    });
    const units = [...new Set(pkg.params.ceilings.map((c) => c.unit))];
    for (const unit of units) store.write('DELETE FROM ceilings WHERE unit = ?', unit);
    for (const c of pkg.params.ceilings) {
      store.write('INSERT INTO ceilings (unit, fund_group, kind, project, amount, package) VALUES (?, ?, ?, ?, ?, ?)', c.unit, c.fundGroup, c.kind, c.project ?? '', c.amount, id);
    }
  });
  store.forgetCodeBooks();
  return preview;
}

/**
 * Replaces the 控制数 of the units named (a department setting them for its units, before `params export`), in
 * one transaction; the other units' stay.
 */
export function replaceCeilings(store: BudgetStore, ceilings: readonly Ceiling[]): void {
  store.assertWritable();
  const seen = new Set<string>();
  for (const c of ceilings) {
    const key = ceilingId(c);
    if (seen.has(key)) throw new StoreError('invalid', `控制数重复：${c.unit} ${fundGroupLabel(c.fundGroup)}${EXPENDITURE_KIND_LABELS[c.kind]}${c.project ? `（项目 ${c.project}）` : ''}`);
    seen.add(key);
    if (c.amount < 0n) throw new StoreError('invalid', '控制数不能为负数');
  }
  store.transaction(() => {
    for (const unit of new Set(ceilings.map((c) => c.unit))) store.write('DELETE FROM ceilings WHERE unit = ?', unit);
    for (const c of ceilings) store.write('INSERT INTO ceilings (unit, fund_group, kind, project, amount, package) VALUES (?, ?, ?, ?, ?, NULL)', c.unit, c.fundGroup, c.kind, c.project ?? '', c.amount);
  });
}

/** Whether a level text is one of the rule levels. */
export function isRuleLevel(v: unknown): v is RuleLevel {
  return typeof v === 'string' && (RULE_LEVELS as readonly string[]).includes(v);
}

// ---- a department's settings as a package for its units (`params export`) ----------------------------------

export interface ParamsExport {
  fiscalYear: number;
  department: { code: string; name: string };
  params: import('../core/params/package.js').ParamsDocument;
  codeLists: { kind: CodeListKind; entries: import('../core/codelists.js').CodeEntry[]; budgets: Map<string, ItemBudget> }[];
  formats: PublicationFormat[];
}

/**
 * Everything the file's budget is compiled and audited with, stated in full: every rule's level and parameters,
 * the rules written as data, the 控制数, the year's code lists with each 项's budget, and the publication format
 * (its file too when it is not a shipped one).
 */
export function paramsForExport(store: BudgetStore): ParamsExport {
  if (!store.hasBudget()) throw new StoreError('empty', '此预算文件中还没有预算，无法导出年度参数包');
  const budget = store.loadBudget();
  const year = budget.fiscalYear;
  const config = auditConfigFor(store);
  const rules: Record<string, { level: RuleLevel; params?: Record<string, string> }> = {};
  for (const e of config.entries) {
    if (e.source === 'format') continue;
    rules[e.id] = { level: e.level, ...(e.params.length ? { params: Object.fromEntries(e.params.map((p) => [p.key, p.value])) } : {}) };
  }
  const identities = storedIdentities(store);
  const format = chosenFormat(store);
  const book = store.codeBook(year);
  const budgets = itemBudgets(store, year);
  return {
    fiscalYear: year,
    department: budget.department,
    params: {
      amountUnit: budget.amountUnit,
      rules,
      identities,
      ceilings: storedCeilings(store).map((c) => ({
        unit: c.unit,
        ...(budget.units.find((u) => u.code === c.unit) ? { unitName: budget.units.find((u) => u.code === c.unit)!.name } : {}),
        fundGroup: c.fundGroup,
        kind: c.kind,
        ...(c.project ? { project: c.project } : {}),
        amount: toExactString(c.amount, budget.amountUnit),
      })),
      format: format.id,
    },
    codeLists: [
      { kind: 'functional', entries: book.functional.entries(), budgets },
      { kind: 'economic', entries: book.economic.entries(), budgets: new Map() },
      { kind: 'government-economic', entries: book.government.entries(), budgets: new Map() },
    ],
    formats: SHIPPED_FORMATS.has(format.id) ? [] : [format],
  };
}
