// The rule set a budget is audited with: today's built-in rules (their default levels are the default rule
// set), each with an id, a level (hard / soft / off) and parameters that the finance bureau's parameter
// package (or the user, with a reason) may change; then the identities written as data that the publication
// format and the package bring. `auditConfig` turns the stored settings into the rules and AuditSettings that
// auditBudget and IncrementalAudit take; with no settings it gives exactly the built-in rules and defaults.
import Decimal from 'decimal.js';
import { DEFAULT_AUDIT_SETTINGS, type AuditSettings, type Ceiling, type ItemChangeLevel } from './context.js';
import { identityRule, RULE_LEVELS, type IdentityRuleSpec, type RuleLevel } from './identities.js';
import { AUDIT_RULES } from './index.js';
import type { AuditRule } from './types.js';

export { RULE_LEVELS, RULE_LEVEL_LABELS, type IdentityRuleSpec, type RuleLevel } from './identities.js';

/** A rule's setting: its level and parameter values (text, as a package or the user gives them). */
export interface RuleSetting {
  level?: RuleLevel;
  params?: Record<string, string>;
}

export type RuleSettings = Readonly<Record<string, RuleSetting>>;

export interface RuleParamSpec {
  key: string;
  /** Chinese, for the screens and messages. */
  label: string;
  /** What may be written, e.g. "0 到 10 之间的比例，如 0.1 或 10%". */
  hint: string;
  /** The value of the default settings, as text. */
  value(settings: AuditSettings): string;
  /** Reads a value; on success `apply` sets it. */
  read(text: string): { ok: true; text: string; apply(settings: AuditSettings): AuditSettings } | { ok: false; message: string };
}

function ratioParam(key: string, label: string, field: 'largeChangeRatio' | 'itemChangeRatio'): RuleParamSpec {
  return {
    key,
    label,
    hint: '大于 0、不超过 10 的比例，如 0.1 或 10%',
    value: (s) => s[field],
    read(text) {
      const t = text.normalize('NFKC').trim();
      const m = /^(\d+(?:\.\d+)?)(%)?$/.exec(t);
      if (!m) return { ok: false, message: `“${text}”不是比例，应写成 0.1 或 10%` };
      let v = new Decimal(m[1]!);
      if (m[2]) v = v.dividedBy(100);
      if (v.lte(0) || v.gt(10)) return { ok: false, message: `比例“${text}”应大于 0、不超过 10（1000%）` };
      const normal = v.toString();
      return { ok: true, text: normal, apply: (s) => ({ ...s, [field]: normal }) };
    },
  };
}

const ITEM_LEVELS: readonly ItemChangeLevel[] = ['类', '款', '项'];

export const RULE_PARAMS: Readonly<Record<string, readonly RuleParamSpec[]>> = {
  'budget.large-change': [ratioParam('ratio', '变动比例', 'largeChangeRatio')],
  'item.large-change': [
    ratioParam('ratio', '变动比例', 'itemChangeRatio'),
    {
      key: 'level',
      label: '比较的科目级次',
      hint: '类、款或项',
      value: (s) => s.itemChangeLevel,
      read(text) {
        const t = text.trim() as ItemChangeLevel;
        if (!ITEM_LEVELS.includes(t)) return { ok: false, message: `级次“${text}”应为 类、款 或 项` };
        return { ok: true, text: t, apply: (s) => ({ ...s, itemChangeLevel: t }) };
      },
    },
  ],
  'indicator.target-placeholder': [
    {
      key: 'minIndicators',
      label: '同一数字的最少指标个数',
      hint: '2 到 100 的整数',
      value: (s) => String(s.placeholderMinIndicators),
      read(text) {
        const t = text.normalize('NFKC').trim();
        if (!/^\d{1,3}$/.test(t) || Number(t) < 2 || Number(t) > 100) return { ok: false, message: `“${text}”应为 2 到 100 的整数` };
        return { ok: true, text: String(Number(t)), apply: (s) => ({ ...s, placeholderMinIndicators: Number(t) }) };
      },
    },
  ],
  'text.placeholder': [
    {
      key: 'words',
      label: '占位词',
      hint: '用“、”分隔的词，如 待填写、待补充',
      value: (s) => s.placeholderWords.join('、'),
      read(text) {
        const words = text
          .split(/[、,，;；\n]/)
          .map((w) => w.trim())
          .filter((w) => w !== '');
        if (words.length > 50 || words.some((w) => w.length > 20)) return { ok: false, message: '占位词最多 50 个，每个不超过 20 个字' };
        return { ok: true, text: words.join('、'), apply: (s) => ({ ...s, placeholderWords: words }) };
      },
    },
  ],
};

export interface SettingProblem {
  path: string;
  message: string;
}

/** Every problem of rule settings: unknown rules and parameters, levels, values. */
export function ruleSettingProblems(settings: RuleSettings, knownIds: ReadonlySet<string>, path: string): SettingProblem[] {
  const out: SettingProblem[] = [];
  for (const [id, s] of Object.entries(settings)) {
    const at = `${path}.${id}`;
    if (!knownIds.has(id)) {
      out.push({ path: at, message: `没有编号为“${id}”的审核规则` });
      continue;
    }
    if (s.level !== undefined && !RULE_LEVELS.includes(s.level)) out.push({ path: `${at}.level`, message: '级别应为 hard、soft 或 off' });
    const specs = RULE_PARAMS[id] ?? [];
    for (const [key, value] of Object.entries(s.params ?? {})) {
      const spec = specs.find((p) => p.key === key);
      if (!spec) {
        out.push({
          path: `${at}.params.${key}`,
          message: specs.length ? `规则“${id}”没有参数“${key}”（可用：${specs.map((p) => p.key).join('、')}）` : `规则“${id}”没有可设置的参数`,
        });
        continue;
      }
      const read = spec.read(value);
      if (!read.ok) out.push({ path: `${at}.params.${key}`, message: read.message });
    }
  }
  return out;
}

/** Parameter values written the way they are stored (“10%” → “0.1”); values that do not read are kept as given. */
export function normalizeParams(id: string, params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const read = RULE_PARAMS[id]?.find((p) => p.key === key)?.read(value);
    out[key] = read?.ok ? read.text : value;
  }
  return out;
}

export type RuleSource = 'builtin' | 'format' | 'package';

export interface RuleEntry {
  id: string;
  description: string;
  source: RuleSource;
  defaultLevel: RuleLevel;
  level: RuleLevel;
  params: { key: string; label: string; hint: string; value: string; defaultValue: string }[];
  /** The data rule's expressions (format and package rules). */
  expressions?: string[];
}

export interface AuditConfig {
  /** The rules that run, in report order. */
  rules: AuditRule[];
  settings: AuditSettings;
  /** Every rule with its level and parameters, for the screens (switched-off ones included). */
  entries: RuleEntry[];
}

export interface AuditConfigInput {
  settings?: RuleSettings;
  /** Identities of the budget's publication format. */
  formatIdentities?: readonly IdentityRuleSpec[];
  /** Identities the parameter package brought. */
  packageIdentities?: readonly IdentityRuleSpec[];
  ceilings?: readonly Ceiling[];
}

/** The rules and settings of a budget: built-in rules at their levels, then the data rules. */
export function auditConfig(input: AuditConfigInput = {}): AuditConfig {
  const settingsIn = input.settings ?? {};
  let settings: AuditSettings = { ...DEFAULT_AUDIT_SETTINGS, ceilings: [...(input.ceilings ?? [])] };
  const entries: RuleEntry[] = [];
  const rules: AuditRule[] = [];
  for (const rule of AUDIT_RULES) {
    const s = settingsIn[rule.id];
    const params = (RULE_PARAMS[rule.id] ?? []).map((spec) => {
      const given = s?.params?.[spec.key];
      const read = given !== undefined ? spec.read(given) : null;
      if (read?.ok) settings = read.apply(settings);
      return { key: spec.key, label: spec.label, hint: spec.hint, value: read?.ok ? read.text : spec.value(DEFAULT_AUDIT_SETTINGS), defaultValue: spec.value(DEFAULT_AUDIT_SETTINGS) };
    });
    const level = s?.level ?? rule.severity;
    entries.push({ id: rule.id, description: rule.description, source: 'builtin', defaultLevel: rule.severity, level, params });
    if (level === 'off') continue;
    rules.push(level === rule.severity ? rule : { ...rule, severity: level });
  }
  // A package's rule of the same id stands in for the format's.
  const fromPackage = new Set((input.packageIdentities ?? []).map((r) => r.id));
  for (const [source, specs] of [
    ['format', (input.formatIdentities ?? []).filter((r) => !fromPackage.has(r.id))],
    ['package', input.packageIdentities ?? []],
  ] as const) {
    for (const spec of specs) {
      const level = settingsIn[spec.id]?.level ?? spec.level;
      entries.push({
        id: spec.id,
        description: spec.description,
        source,
        defaultLevel: spec.level,
        level,
        params: [],
        expressions: spec.expressions.map((e) => e.expression),
      });
      const rule = identityRule({ ...spec, level });
      if (rule) rules.push(rule);
    }
  }
  return { rules, settings, entries };
}

/** The built-in rules' ids (data rules may not take them). */
export const BUILTIN_RULE_IDS: ReadonlySet<string> = new Set(AUDIT_RULES.map((r) => r.id));
