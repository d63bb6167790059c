// What the wizard shows of a project or the department: fields as typed, lines, template, findings, steps.
import { DEFAULT_AUDIT_SETTINGS } from '../../../core/audit/index.js';
import { standardRows } from '../../../core/indicators.js';
import type { DepartmentPerformance, Project } from '../../../core/model.js';
import { toExactString, type AmountUnit, type Fen } from '../../../core/money.js';
import { WIZARD_STEPS, WIZARD_STEP_LABELS, type WizardDepartment, type WizardIndicatorDraft, type WizardProject, type WizardProjectFields, type BasicsValues } from '../../wizard.js';
import { type ProjectDraftState, type WizardMeta, type WizardSession, draftOf, isStep } from './state.js';
import { departmentTemplate, projectTemplate, templateView, templatesFor } from './templates.js';
import { choices, indicatorView, severityOf, targetView } from './targets.js';
import { STATUS_LABELS, departmentFindings, money, projectFindings, signed, statusOf, stepStates } from './findings.js';
import { departmentBudget, departmentPreview, projectPreview } from './preview.js';
import { indicatorRules, readIndicators } from './input.js';

// ---- views ----------------------------------------------------------------------------------------------

/** A project's master data as its forms show it: amounts in the budget's unit, '' where not filled. */
export function basicsOf(p: Project, unit: AmountUnit): BasicsValues {
  const amount = (fen: Fen | undefined) => (fen === undefined ? '' : toExactString(fen, unit));
  return {
    code: p.code,
    name: p.name,
    unit: p.unit,
    category: p.category,
    functional: p.functional ?? '',
    usage: p.usage ?? '',
    leader: p.leader ?? '',
    contact: p.contact ?? '',
    phone: p.phone ?? '',
    start: p.start ?? '',
    end: p.end ?? '',
    totalAmount: amount(p.totalAmount),
    yearAmount: amount(p.yearAmount),
    priorTotalAmount: amount(p.priorTotalAmount),
    priorYearAmount: amount(p.priorYearAmount),
  };
}

function fieldsOf(p: Project, unit: AmountUnit): WizardProjectFields {
  return {
    ...basicsOf(p, unit),
    overview: p.overview ?? '',
    basis: p.basis ?? '',
    necessity: p.necessity ?? '',
    measures: p.measures ?? '',
    plan: p.plan ?? '',
    remarks: p.remarks ?? '',
    overallGoal: p.overallGoal ?? '',
    annualGoal: p.annualGoal ?? '',
  };
}

function linesInfo(s: WizardSession, p: Project | null): WizardProject['lines'] {
  const unit = s.budget.amountUnit;
  if (!p) return { count: 0, amount: '0', difference: '0', matches: true, explanation: '新项目还没有支出明细' };
  const entry = s.engine.projectLineSum(p.code);
  const difference = p.yearAmount - entry.amount;
  let explanation: string;
  if (entry.count === 0) {
    explanation =
      p.yearAmount === 0n
        ? '本项目还没有支出明细'
        : `本项目还没有支出明细：在“预算明细”中录入所属项目为 ${p.code} 的支出后，其合计应等于本年度金额 ${money(p.yearAmount, unit)}`;
  } else if (difference === 0n) {
    explanation = `与 ${entry.count} 条支出明细之和 ${money(entry.amount, unit)} 相等`;
  } else {
    explanation = `本年度金额 ${money(p.yearAmount, unit)} 与 ${entry.count} 条支出明细之和 ${money(entry.amount, unit)} 不相等（差额 ${signed(difference, unit)}）：请改正本年度金额，或在“预算明细”中调整该项目的支出`;
  }
  return {
    count: entry.count,
    amount: toExactString(entry.amount, unit),
    difference: toExactString(difference, unit),
    matches: entry.count === 0 ? p.yearAmount === 0n : difference === 0n,
    explanation,
  };
}

function blankProject(s: WizardSession): Project {
  const year = s.budget.fiscalYear;
  return {
    code: nextProjectCode(s.budget.projects.map((p) => p.code)),
    unit: s.budget.units[0]?.code ?? '',
    name: '',
    category: 'general',
    start: `${year}-01-01`,
    end: `${year}-12-31`,
    yearAmount: 0n,
    indicators: [],
  };
}

/** The next free code in the style of the existing ones ("P13" → "P14", "074001003" → "074001004"). */
export function nextProjectCode(codes: readonly string[]): string {
  const taken = new Set(codes);
  let best: { prefix: string; digits: string } | null = null;
  for (const code of codes) {
    const m = /^(.*?)(\d+)$/.exec(code);
    if (!m) continue;
    if (!best || BigInt(m[2]!) > BigInt(best.digits)) best = { prefix: m[1]!, digits: m[2]! };
  }
  const prefix = best?.prefix ?? 'P';
  const width = best?.digits.length ?? 2;
  let n = best ? BigInt(best.digits) + 1n : 1n;
  for (;;) {
    const code = `${prefix}${n.toString().padStart(width, '0')}`;
    if (!taken.has(code)) return code;
    n++;
  }
}

export function projectView(s: WizardSession, p: Project | null, meta: WizardMeta): WizardProject {
  const year = s.budget.fiscalYear;
  const unit = s.budget.amountUnit;
  const shown = p ?? blankProject(s);
  const draft = p ? draftOf(meta, p.code) : {};
  const resolved = projectTemplate(s, p, meta);
  const findings = p ? (projectFindings(s, [p], meta).get(p.code) ?? []) : [];
  const completed = draft.completed === true;
  const steps = p ? stepStates(p, findings, completed) : WIZARD_STEPS.map((step) => ({ step, label: WIZARD_STEP_LABELS[step], state: 'empty' as const, errors: 0, warnings: 0 }));
  const errors = findings.filter((f) => f.severity === 'error').length;
  const status = p ? statusOf(steps, errors, completed) : 'in-progress';
  return {
    isNew: p === null,
    code: p?.code ?? null,
    fiscalYear: year,
    amountUnit: unit,
    departmentName: s.budget.department.name,
    fields: fieldsOf(shown, unit),
    requiredFields: DEFAULT_AUDIT_SETTINGS.requiredProjectFields.map((f) => String(f.field)),
    functionalName: shown.functional ? s.book.functional.name(shown.functional) : '',
    indicators: shown.indicators.map((x) => indicatorView(x, severityOf(s.config))),
    projectTypes: Array.isArray(draft.projectTypes) ? draft.projectTypes : [],
    lines: linesInfo(s, p),
    template: templateView(resolved, year),
    templates: templatesFor('project', year),
    position: isStep(draft.position) ? draft.position : 'basics',
    completed,
    status,
    statusLabel: STATUS_LABELS[status],
    steps,
    findings,
    choices: choices(s),
    preview: p ? projectPreview(s, p, resolved?.template ?? null) : null,
    indicatorDraft: p ? indicatorDraftView(s, p, meta, draft) : null,
  };
}

/** The draft rows with what is still wrong with them (read again, so a changed template or list is seen). */
function indicatorDraftView(s: WizardSession, p: Project, meta: WizardMeta, draft: ProjectDraftState): WizardIndicatorDraft | null {
  const rows = Array.isArray(draft.indicatorDraft) ? draft.indicatorDraft : null;
  if (!rows) return null;
  const template = projectTemplate(s, p, meta)?.template ?? null;
  const { issues } = readIndicators(rows, indicatorRules(template, p.indicators, false));
  return {
    rows: rows.map((input) => ({
      input,
      keep: input.target.kind === 'keep' ? targetView(input.target.text, { level1: input.level1, level2: input.level2, name: input.name }, severityOf(s.config)) : null,
    })),
    issues: issues.map((i) => ({ path: i.path, message: i.message })),
  };
}

function emptyPerformance(): DepartmentPerformance {
  return { dutyGoal: '', tasks: [], indicators: [] };
}

export function departmentView(s: WizardSession, meta: WizardMeta): WizardDepartment {
  const year = s.budget.fiscalYear;
  const stored = s.budget.departmentPerformance;
  const resolved = departmentTemplate(s, meta, stored?.indicators ?? []);
  // A table never saved starts from the tree's standard rows (editable, stored on the first save).
  const perf = stored ?? { ...emptyPerformance(), indicators: resolved ? standardRows(resolved.template) : [] };
  const budget = departmentBudget(s).rows.map(({ key, label, exact, text }) => ({ key, label, exact, text }));
  return {
    fiscalYear: year,
    amountUnit: s.budget.amountUnit,
    departmentName: s.budget.department.name,
    saved: stored !== null,
    dutyGoal: perf.dutyGoal,
    tasks: perf.tasks.map((t) => ({ ...t })),
    indicators: perf.indicators.map((x) => indicatorView(x, severityOf(s.config))),
    budget,
    template: templateView(resolved, year),
    templates: templatesFor('department', year),
    findings: departmentFindings(s, perf),
    choices: choices(s),
    preview: departmentPreview(s, perf, resolved?.template ?? null),
  };
}
