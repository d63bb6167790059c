// 目标值 as the wizard shows them: the reading, its warnings with their 审核 rule, and the choices offered.
import { auditRule } from '../../../core/audit/index.js';
import { GENERAL_PROJECT_TYPE, LIBRARY, templateById } from '../../../core/indicators.js';
import { PROJECT_CATEGORY_LABELS, type Indicator } from '../../../core/model.js';
import { DEFAULT_TARGET_GRAMMAR, formatTarget, readTarget, targetWarnings, type TargetContext, type TargetReading, type TargetWarningCode } from '../../../core/targets.js';
import { TARGET_COMPARATORS, type TargetView, type TargetWarningView, type WizardChoices, type WizardIndicator } from '../../wizard.js';
import type { WizardSession } from './state.js';
import type { AuditConfig } from '../../../core/audit/rule-set.js';

// ---- targets --------------------------------------------------------------------------------------------

/** Target problems that must be fixed before a table is 完成; the others are shown for the user to check. */
export const TARGET_ERROR_CODES: ReadonlySet<string> = new Set(['placeholder', 'missing-unit', 'implicit-comparator', 'result-grade']);

/** The 审核 rule that reports each target warning: its severity is the one shown everywhere. */
export const TARGET_WARNING_RULES: Readonly<Record<TargetWarningCode, string>> = {
  placeholder: 'indicator.target-placeholder',
  'missing-unit': 'indicator.target-missing-unit',
  'implicit-comparator': 'indicator.target-implicit-comparator',
  'text-target': 'indicator.target-text',
  'rate-over-100': 'indicator.target-rate-over-100',
  'percent-on-count': 'indicator.target-percent-on-count',
  'result-grade': 'indicator.target-result-grade',
};

/** A rule's severity as the wizard shows it; null when the file's rule set switched it off. */
export type SeverityOf = (rule: string) => 'error' | 'warning' | null;

/**
 * One severity everywhere: a rule's level in the file's rule set (hard = 必须修改, soft = 提示), else the
 * built-in one, in 审核, the wizard and the list.
 */
export function severityOf(config?: AuditConfig): SeverityOf {
  return (id) => {
    const level = config?.entries.find((e) => e.id === id)?.level ?? auditRule(id)?.severity;
    return level === 'off' ? null : level === 'hard' ? 'error' : 'warning';
  };
}

function warningViews(reading: TargetReading, context: TargetContext, severity: SeverityOf): TargetWarningView[] {
  const out: TargetWarningView[] = [];
  for (const w of targetWarnings(reading, context)) {
    const s = severity(TARGET_WARNING_RULES[w.code]);
    if (s !== null) out.push({ code: w.code, severity: s, message: w.message });
  }
  return out;
}

export function targetView(text: string, context: TargetContext = {}, severity: SeverityOf = severityOf()): TargetView {
  const reading = readTarget(text);
  return {
    text,
    kind: text.trim() === '' ? 'empty' : reading.kind,
    comparator: reading.comparator,
    number: reading.number,
    unit: reading.unit,
    qualitative: reading.qualitative,
    implicitComparator: reading.comparatorImplicit === true,
    canonical: formatTarget(reading),
    warnings: warningViews(reading, context, severity),
  };
}

export function indicatorView(x: Indicator, severity: SeverityOf = severityOf()): WizardIndicator {
  return {
    level1: x.level1,
    level2: x.level2,
    name: x.name,
    note: x.note ?? '',
    target: targetView(x.target, { level1: x.level1, level2: x.level2, name: x.name }, severity),
  };
}

/** Qualitative values a target may be given: the grammar's terms and grades, without result-only grades. */
export function qualitativeChoices(): string[] {
  const terms = [
    ...DEFAULT_TARGET_GRAMMAR.qualitative.map((q) => q.term),
    ...(DEFAULT_TARGET_GRAMMAR.gradeScales ?? []).flatMap((g) => g.grades),
  ];
  return [...new Set(terms)].filter((term) => {
    const reading = readTarget(term);
    return reading.kind === 'qualitative' && !targetWarnings(reading).some((w) => TARGET_ERROR_CODES.has(w.code));
  });
}

export function choices(s: WizardSession): WizardChoices {
  const usages = new Set<string>();
  for (const p of s.budget.projects) if (p.usage?.trim()) usages.add(p.usage.trim());
  // Types a project can be given: those of the library's project entries; 通用 is always ranked in anyway.
  const types = new Set<string>();
  for (const e of LIBRARY) {
    if (templateById(e.template)?.scope !== 'project') continue;
    for (const t of e.projectTypes) if (t !== GENERAL_PROJECT_TYPE) types.add(t);
  }
  return {
    units: s.budget.units.map((u) => ({ code: u.code, name: u.name })),
    categories: (Object.keys(PROJECT_CATEGORY_LABELS) as ('general' | 'special')[]).map((code) => ({ code, label: PROJECT_CATEGORY_LABELS[code] })),
    usages: [...usages].sort(),
    comparators: [...TARGET_COMPARATORS],
    qualitative: qualitativeChoices(),
    targetUnits: DEFAULT_TARGET_GRAMMAR.units.map((u) => u.unit),
    projectTypes: [...types].sort((a, b) => a.localeCompare(b, 'zh-CN')),
  };
}
