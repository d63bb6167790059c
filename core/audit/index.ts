// 审核: every rule over a budget, its code book and (when computed) the published tables.
//
// Rules are data: a list of objects with a stable id, a severity, a Chinese description and a check. The audit
// screen lists them; a finding names its rule, its place and the figures. Hard findings block submission;
// soft findings ask for a 说明.
import type { CodeBook } from '../codelists.js';
import type { Budget } from '../model.js';
import type { ReportTable } from '../tables/report.js';
import { BUDGET_HARD_RULES } from './budget-rules.js';
import { AuditContext, DEFAULT_AUDIT_SETTINGS, type AuditSettings } from './context.js';
import { SOFT_RULES } from './soft-rules.js';
import { TABLE_RULES } from './table-rules.js';
import { DOCUMENT_RULES } from '../document/audit.js';
import { PARAMETER_HARD_RULES, PARAMETER_SOFT_RULES } from './param-rules.js';
import type { AuditRule, Finding } from './types.js';

export type { AuditRule, Finding, FindingDraft, FindingPlace, Severity } from './types.js';
export { AuditContext, DEFAULT_AUDIT_SETTINGS, CrossCheckSumsAccumulator, type AuditSettings, type IndicatorAt } from './context.js';
export { IncrementalAudit, type AuditCounts } from './incremental.js';
export { type Ceiling, type ItemChangeLevel } from './context.js';

/** Every rule, hard first, in the order findings are reported. */
export const AUDIT_RULES: readonly AuditRule[] = [
  ...BUDGET_HARD_RULES,
  ...PARAMETER_HARD_RULES,
  ...TABLE_RULES,
  ...DOCUMENT_RULES,
  ...SOFT_RULES,
  ...PARAMETER_SOFT_RULES,
];

export function auditRule(id: string): AuditRule | undefined {
  return AUDIT_RULES.find((r) => r.id === id);
}

/**
 * Runs every rule. Table rules run only when `tables` are given (computed from this budget and book).
 * A rule that fails is reported as a hard finding of its own rather than hiding the others.
 */
export function auditBudget(
  budget: Budget,
  book: CodeBook,
  tables?: readonly ReportTable[] | null,
  options: {
    settings?: Partial<AuditSettings>;
    rules?: readonly AuditRule[];
    /** The 河南 2020 tables of the budget when `tables` are another format's (the 预算说明 reads them). */
    documentTables?: readonly ReportTable[] | null;
  } = {},
): Finding[] {
  const settings: AuditSettings = { ...DEFAULT_AUDIT_SETTINGS, ...options.settings };
  const documentTables = options.documentTables;
  const context = new AuditContext(budget, book, tables ?? null, settings, documentTables ? { documentTables: () => documentTables } : {});
  const findings: Finding[] = [];
  for (const rule of options.rules ?? AUDIT_RULES) {
    if (rule.needsTables && !tables) continue;
    try {
      if (rule.line) {
        for (const line of budget.lines) {
          for (const draft of rule.line(context, line)) {
            findings.push({ rule: rule.id, severity: rule.severity, place: draft.place, message: draft.message });
          }
        }
      }
      if (rule.row) {
        for (const id of rule.rowTables ?? []) {
          const table = context.table(id);
          for (const row of table?.rows ?? []) {
            for (const draft of rule.row(context, table!, row)) {
              findings.push({ rule: rule.id, severity: rule.severity, place: draft.place, message: draft.message });
            }
          }
        }
      }
      for (const draft of rule.check(context)) {
        findings.push({ rule: rule.id, severity: rule.severity, place: draft.place, message: draft.message });
      }
    } catch (error) {
      findings.push({
        rule: rule.id,
        severity: 'hard',
        place: {},
        message: `审核规则“${rule.description}”执行出错：${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  return findings;
}

export function hardFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'hard');
}
