// The wizard's findings per project (the 审核 rules that concern a project's fields) and each step's state.
import { auditBudget, auditRule, DEFAULT_AUDIT_SETTINGS, type AuditRule, type AuditSettings, type Finding as CoreFinding } from '../../../core/audit/index.js';
import { skeleton } from '../../../core/indicators.js';
import type { Budget, DepartmentPerformance, Project } from '../../../core/model.js';
import { toFixedExact, type AmountUnit, type Fen } from '../../../core/money.js';
import { BASIC_FIELDS, DETAIL_FIELDS, GOAL_FIELDS, WIZARD_STEPS, WIZARD_STEP_LABELS, type StepStateCode, type WizardFinding, type WizardStatus, type WizardStep, type WizardStepState } from '../../wizard.js';
import { type WizardMeta, type WizardSession, draftOf } from './state.js';
import { pairKey, projectTemplate } from './templates.js';
import { TARGET_WARNING_RULES, severityOf } from './targets.js';

// ---- findings -------------------------------------------------------------------------------------------

const FIELD_STEP = new Map<string, WizardStep>([
  ...BASIC_FIELDS.map((f): [string, WizardStep] => [f, 'basics']),
  ...DETAIL_FIELDS.map((f): [string, WizardStep] => [f, 'details']),
  ...GOAL_FIELDS.map((f): [string, WizardStep] => [f, 'goals']),
  ['indicators', 'indicators'],
  ['target', 'indicators'],
]);

/**
 * The core audit rules the wizard runs on its tables, each at its level in the file's rule set (severityOf): an
 * error must be fixed before 完成, a 提示 is shown to be checked, exactly as in 审核. A table may be finished
 * before its budget lines are entered, so a project without lines gets its 本年度金额 comparison as a
 * warning (see projectFindings).
 */
const WIZARD_RULES: readonly string[] = [
  'project.unit-exists',
  'project.dates',
  'project.total-below-year',
  'project.year-amount-lines',
  'project.no-quantitative-output',
  ...Object.values(TARGET_WARNING_RULES),
];

const WIZARD_AUDIT_RULES: readonly AuditRule[] = WIZARD_RULES
  .map((id) => auditRule(id))
  .filter((r): r is AuditRule => r !== undefined);

/** The wizard's rules at the file's levels and parameters (a rule switched off does not run). */
function wizardAudit(s: WizardSession): { rules: readonly AuditRule[]; settings?: AuditSettings } {
  if (!s.config) return { rules: WIZARD_AUDIT_RULES };
  return { rules: s.config.rules.filter((r) => WIZARD_RULES.includes(r.id)), settings: s.config.settings };
}

/** A finding's severity as the wizard shows it: the level it ran at. */
function findingSeverity(f: CoreFinding): 'error' | 'warning' {
  return f.severity === 'hard' ? 'error' : 'warning';
}

function isBlank(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

/** "6.00万元", as the audit writes amounts (two decimals, more only when the amount has them). */
export function money(fen: Fen, unit: AmountUnit): string {
  return `${toFixedExact(fen, unit, 2)}${unit}`;
}

export function signed(fen: Fen, unit: AmountUnit): string {
  return fen > 0n ? `+${money(fen, unit)}` : money(fen, unit);
}

/** The findings of each given project: the core rules above, each required field, and the wizard's own checks. */
export function projectFindings(s: WizardSession, projects: readonly Project[], meta: WizardMeta): Map<string, WizardFinding[]> {
  const out = new Map<string, WizardFinding[]>(projects.map((p) => [p.code, []]));
  const lines = s.lines();
  const budget: Budget = { ...s.budget, projects: [...projects], lines, departmentPerformance: null };
  const core: CoreFinding[] = auditBudget(budget, s.book, null, wizardAudit(s));
  const unit = s.budget.amountUnit;
  for (const f of core) {
    const code = f.place.project;
    const list = code !== undefined ? out.get(code) : undefined;
    if (!list) continue;
    const field = f.place.field ?? 'indicators';
    let severity = findingSeverity(f);
    let message = f.message;
    if (f.rule === 'project.year-amount-lines' && s.engine.projectLineSum(code!).count === 0) {
      severity = 'warning';
      message = `${message}。表可以先填写；录入该项目的支出明细（“预算明细”中所属项目选 ${code}）后，两者应相等`;
    }
    list.push({ severity, rule: f.rule, step: FIELD_STEP.get(field) ?? 'indicators', field, indicator: f.place.indicator ?? null, message });
  }
  const missingFields = severityOf(s.config)('project.missing-fields');
  for (const p of projects) {
    const list = out.get(p.code)!;
    for (const req of DEFAULT_AUDIT_SETTINGS.requiredProjectFields) {
      if (missingFields === null || !isBlank(p[req.field])) continue;
      const field = String(req.field);
      list.push({
        severity: missingFields,
        rule: 'project.missing-fields',
        step: FIELD_STEP.get(field) ?? 'basics',
        field,
        indicator: null,
        message: field === 'indicators' ? '尚未填写绩效指标：至少应有一项产出指标' : `尚未填写${req.label}`,
      });
    }
    if (p.priorTotalAmount !== undefined && p.priorYearAmount !== undefined && p.priorTotalAmount < p.priorYearAmount) {
      list.push({
        severity: 'error',
        rule: 'wizard.prior-total-below-year',
        step: 'basics',
        field: 'priorTotalAmount',
        indicator: null,
        message: `上年度项目总金额 ${money(p.priorTotalAmount, unit)} 小于项目上年度金额 ${money(p.priorYearAmount, unit)}`,
      });
    }
    const rowsDraft = draftOf(meta, p.code).indicatorDraft;
    if (Array.isArray(rowsDraft)) {
      list.push({
        severity: 'error',
        rule: 'wizard.indicator-draft',
        step: 'indicators',
        field: 'indicators',
        indicator: null,
        message: '绩效指标中有尚未填写完整的行（已存为草稿），请在“指标”步骤改正后再完成',
      });
    }
    const template = projectTemplate(s, p, meta)?.template;
    const pairs = template ? new Set(skeleton(template).map((x) => pairKey(x.level1, x.level2))) : null;
    p.indicators.forEach((x, i) => {
      if (x.name.trim() === '') {
        list.push({ severity: 'error', rule: 'wizard.indicator-name', step: 'indicators', field: 'name', indicator: i, message: `第 ${i + 1} 个指标（${x.level2}）未填写三级指标名称` });
      }
      if (pairs && !pairs.has(pairKey(x.level1, x.level2))) {
        list.push({
          severity: 'warning',
          rule: 'wizard.indicator-outside-template',
          step: 'indicators',
          field: 'level2',
          indicator: i,
          message: `指标“${x.name}”的层级“${x.level1} / ${x.level2}”不在模板“${template!.name}”中，打印在模板指标之后`,
        });
      }
    });
  }
  for (const list of out.values()) list.sort((a, b) => WIZARD_STEPS.indexOf(a.step) - WIZARD_STEPS.indexOf(b.step));
  return out;
}

export function departmentFindings(s: WizardSession, perf: DepartmentPerformance): WizardFinding[] {
  const out: WizardFinding[] = [];
  if (perf.dutyGoal.trim() === '') out.push({ severity: 'error', rule: 'department.missing-fields', step: 'details', field: 'dutyGoal', indicator: null, message: '尚未填写年度履职目标' });
  if (perf.tasks.length === 0) out.push({ severity: 'error', rule: 'department.missing-fields', step: 'details', field: 'tasks', indicator: null, message: '尚未填写年度主要任务' });
  perf.tasks.forEach((t, i) => {
    if (t.name.trim() === '' || t.content.trim() === '') {
      out.push({ severity: 'error', rule: 'department.task', step: 'details', field: 'tasks', indicator: i, message: `第 ${i + 1} 项主要任务的名称或主要内容未填写` });
    }
  });
  if (perf.indicators.length === 0) out.push({ severity: 'error', rule: 'department.missing-fields', step: 'indicators', field: 'indicators', indicator: null, message: '尚未填写绩效指标' });
  const budget: Budget = { ...s.budget, projects: [], lines: [], departmentPerformance: perf };
  for (const f of auditBudget(budget, s.book, null, wizardAudit(s))) {
    if (f.place.project !== undefined) continue;
    out.push({
      severity: findingSeverity(f),
      rule: f.rule,
      step: 'indicators',
      field: f.place.field ?? 'target',
      indicator: f.place.indicator ?? null,
      message: f.message,
    });
  }
  return out;
}

// ---- states ---------------------------------------------------------------------------------------------

export const STATUS_LABELS: Record<WizardStatus, string> = {
  'in-progress': '填写中',
  ready: '待完成',
  complete: '已完成',
  'needs-fix': '需修改',
};

const STEP_FIELDS: Record<'basics' | 'details' | 'goals' | 'indicators', readonly string[]> = {
  basics: BASIC_FIELDS,
  details: DETAIL_FIELDS,
  goals: GOAL_FIELDS,
  indicators: ['indicators'],
};

export function stepStates(p: Project, findings: readonly WizardFinding[], completed: boolean): WizardStepState[] {
  const required = new Set(DEFAULT_AUDIT_SETTINGS.requiredProjectFields.map((f) => String(f.field)));
  const value = (field: string) => (p as unknown as Record<string, unknown>)[field];
  const count = (step: WizardStep, severity: 'error' | 'warning') => findings.filter((f) => f.step === step && f.severity === severity).length;
  const editing = (['basics', 'details', 'goals', 'indicators'] as const).map((step): WizardStepState => {
    const fields = STEP_FIELDS[step];
    const errors = count(step, 'error');
    const filled = fields.filter((f) => !isBlank(value(f)));
    const requiredHere = fields.filter((f) => required.has(f));
    let state: StepStateCode;
    if (errors > 0) state = 'error';
    else if (requiredHere.every((f) => !isBlank(value(f))) && filled.length > 0) state = 'done';
    else state = filled.length > 0 ? 'partial' : 'empty';
    return { step, label: WIZARD_STEP_LABELS[step], state, errors, warnings: count(step, 'warning') };
  });
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  const allDone = editing.every((x) => x.state === 'done');
  return [
    ...editing,
    { step: 'audit', label: WIZARD_STEP_LABELS.audit, state: errors > 0 ? 'error' : allDone ? 'done' : 'empty', errors, warnings },
    { step: 'preview', label: WIZARD_STEP_LABELS.preview, state: completed && errors === 0 ? 'done' : 'empty', errors: 0, warnings: 0 },
  ];
}

export function statusOf(steps: readonly WizardStepState[], errors: number, completed: boolean): WizardStatus {
  if (completed) return errors > 0 ? 'needs-fix' : 'complete';
  return errors === 0 && steps.slice(0, 4).every((x) => x.state === 'done') ? 'ready' : 'in-progress';
}
