// The 绩效目标 wizard's handlers: each project's 项目支出绩效目标表 (T11) step by step, and the department's
// overall table (T10). The session (api/service.ts) hands in the open budget and the hooks that keep its
// in-memory budget, the table engine and the audit in step after a write.
//
// Drafts: every step is written to the budget file as soon as it is saved (the project itself is the draft);
// the wizard's own state per project — position, chosen template, project types, 完成 — is one JSON value in
// the file's meta table, so it travels with the budget file and needs no schema change.
import type { CodeBook } from '../core/codelists.js';
import { functionalCodeProblem, isIsoDate } from '../core/exchange.js';
import { auditBudget, auditRule, DEFAULT_AUDIT_SETTINGS, type AuditRule, type Finding as CoreFinding } from '../core/audit/index.js';
import {
  GENERAL_PROJECT_TYPE,
  LIBRARY,
  TEMPLATES,
  skeleton,
  standardRows,
  suggestions,
  templateById,
  templateFor,
  templateForDepartment,
  templateForProject,
  WIZARD_STATE_META_KEY,
  type IndicatorTemplate,
  type TemplateChoice,
  type TemplateReason,
  type TemplateScope,
} from '../core/indicators.js';
import {
  PROJECT_CATEGORY_LABELS,
  type Budget,
  type BudgetLine,
  type DepartmentPerformance,
  type Indicator,
  type Project,
} from '../core/model.js';
import { formatAmount, parseAmount, toExactString, toFixedExact, type AmountUnit, type Fen } from '../core/money.js';
import type { AmountFormat } from '../core/tables/report.js';
import type { TableEngine } from '../core/tables/engine.js';
import { DEFAULT_TARGET_GRAMMAR, formatTarget, readTarget, targetWarnings, type TargetContext, type TargetReading, type TargetWarningCode } from '../core/targets.js';
import { StoreError, type BudgetStore } from '../db/store.js';
import { FORM_COLUMN_WIDTHS, departmentForm, projectForm } from '../core/tables/layout.js';
import type { ApiParsedInput, TableView } from './contract.js';
import { blockToView } from './tables-view.js';
import { ApiRefusal } from './errors.js';
import {
  BASIC_FIELDS,
  DETAIL_FIELDS,
  GOAL_FIELDS,
  PROJECT_FIELD_LABELS,
  TARGET_COMPARATORS,
  WIZARD_STEPS,
  WIZARD_STEP_LABELS,
  type IndicatorInput,
  type ReadTargetResult,
  type StepStateCode,
  type TargetView,
  type TargetWarningView,
  type WizardChoices,
  type WizardDepartment,
  type WizardFinding,
  type WizardIndicator,
  type WizardIndicatorDraft,
  type WizardList,
  type WizardProject,
  type WizardProjectFields,
  type WizardProjectSummary,
  type WizardStatus,
  type WizardStep,
  type WizardStepState,
  type WizardSuggestion,
  type WizardTemplate,
  type WizardTemplateInfo,
} from './wizard.js';

/** What the wizard reads from the open session, and the hooks it calls after writing to the store. */
export interface WizardSession {
  store: BudgetStore;
  /** The session's budget; its `projects` and `departmentPerformance` are current, its `lines` are not. */
  budget: Budget;
  book: CodeBook;
  engine: TableEngine;
  /** The current lines. */
  lines(): BudgetLine[];
  /** A project was written (before null: added). Keeps the budget, the tables and the audit in step. */
  projectSaved(before: Project | null, after: Project): void;
  projectRemoved(project: Project): void;
  departmentSaved(performance: DepartmentPerformance | null): void;
}

// ---- the wizard's own state in the budget file ---------------------------------------------------------

const META_KEY = WIZARD_STATE_META_KEY;

interface ProjectDraftState {
  position?: WizardStep;
  /** Indicator rows saved as a draft while some of them cannot be stored (see saveIndicators). */
  indicatorDraft?: IndicatorInput[];
  template?: string;
  projectTypes?: string[];
  completed?: boolean;
}

interface WizardMeta {
  projects: Record<string, ProjectDraftState>;
  department: { template?: string };
}

function readMeta(store: BudgetStore): WizardMeta {
  const raw = store.getMeta(META_KEY);
  const meta: WizardMeta = { projects: {}, department: {} };
  if (!raw) return meta;
  try {
    const parsed = JSON.parse(raw) as Partial<WizardMeta>;
    if (parsed && typeof parsed.projects === 'object' && parsed.projects) meta.projects = parsed.projects;
    if (parsed && typeof parsed.department === 'object' && parsed.department) meta.department = parsed.department;
  } catch {
    // A damaged wizard state costs the positions and choices, never the project data.
  }
  return meta;
}

function writeMeta(store: BudgetStore, meta: WizardMeta): void {
  store.setMeta(META_KEY, JSON.stringify(meta));
}

/** Forgets every project's wizard state: the budget it described was replaced (an import). */
export function resetWizardState(store: BudgetStore): void {
  writeMeta(store, { projects: {}, department: {} });
}

function draftOf(meta: WizardMeta, code: string): ProjectDraftState {
  const d = meta.projects[code];
  return d && typeof d === 'object' ? d : {};
}

function isStep(value: unknown): value is WizardStep {
  return typeof value === 'string' && (WIZARD_STEPS as readonly string[]).includes(value);
}

// ---- templates ----------------------------------------------------------------------------------------

const pairKey = (level1: string, level2: string): string => `${level1}\u0000${level2}`;

function appliesToYear(t: IndicatorTemplate, year: number): boolean {
  // templateFor over this one template answers whether its years (and its own region) cover the year.
  return templateFor(year, t.region, t.scope, { templates: [t] }) !== null;
}

function templateInfo(t: IndicatorTemplate, year: number): WizardTemplateInfo {
  return {
    id: t.id,
    name: t.name,
    region: t.region,
    years: Array.isArray(t.years) ? t.years.join('、') : t.years.replace(/\+$/, ' 年起'),
    appliesToYear: appliesToYear(t, year),
  };
}

function templatesFor(scope: TemplateScope, year: number): WizardTemplateInfo[] {
  return TEMPLATES.filter((t) => t.scope === scope)
    .map((t) => templateInfo(t, year))
    .sort((a, b) => Number(b.appliesToYear) - Number(a.appliesToYear));
}

interface ResolvedTemplate {
  template: IndicatorTemplate;
  chosen: boolean;
  reason: string;
}

function resolved(choice: TemplateChoice | null, year: number, scope: TemplateScope): ResolvedTemplate | null {
  if (!choice) return null;
  const reasons: Record<TemplateReason, string> = {
    chosen: '由用户选择',
    own: scope === 'project' ? '按本项目已有的指标自动匹配' : '按已有的指标自动匹配',
    budget: '按本预算其他项目的指标自动匹配',
    year: `${year} 年度适用的模板`,
  };
  return { template: choice.template, chosen: choice.reason === 'chosen', reason: reasons[choice.reason] };
}

/** A project's tree (core/indicators.ts templateForProject, the same choice the tables and the files make). */
function projectTemplate(s: WizardSession, project: Project | null, meta: WizardMeta): ResolvedTemplate | null {
  const chosen = project ? draftOf(meta, project.code).template : undefined;
  return resolved(templateForProject(s.budget, project, { chosen }), s.budget.fiscalYear, 'project');
}

function departmentTemplate(s: WizardSession, meta: WizardMeta, indicators: readonly Indicator[]): ResolvedTemplate | null {
  const choice = templateForDepartment(s.budget, { chosen: meta.department.template, indicators });
  return resolved(choice, s.budget.fiscalYear, 'department');
}

function templateView(r: ResolvedTemplate | null, year: number): WizardTemplate | null {
  if (!r) return null;
  const t = r.template;
  return {
    ...templateInfo(t, year),
    chosen: r.chosen,
    reason: r.reason,
    slots: skeleton(t),
    standardRows: t.standardRows.map((row) => ({
      level1: row.level1,
      level2: row.level2,
      name: row.name,
      target: row.target,
      note: row.note ?? '',
      reading: targetView(row.target, { level1: row.level1, level2: row.level2, name: row.name }),
    })),
  };
}

// ---- targets --------------------------------------------------------------------------------------------

/** Target problems that must be fixed before a table is 完成; the others are shown for the user to check. */
const TARGET_ERROR_CODES: ReadonlySet<string> = new Set(['placeholder', 'missing-unit', 'implicit-comparator', 'result-grade']);

/** The 审核 rule that reports each target warning: its severity is the one shown everywhere. */
const TARGET_WARNING_RULES: Readonly<Record<TargetWarningCode, string>> = {
  placeholder: 'indicator.target-placeholder',
  'missing-unit': 'indicator.target-missing-unit',
  'implicit-comparator': 'indicator.target-implicit-comparator',
  'text-target': 'indicator.target-text',
  'rate-over-100': 'indicator.target-rate-over-100',
  'percent-on-count': 'indicator.target-percent-on-count',
  'result-grade': 'indicator.target-result-grade',
};

/** One severity everywhere: a core rule's own (hard = 必须修改, soft = 提示) in 审核, the wizard and the list. */
function ruleSeverity(id: string): 'error' | 'warning' {
  return auditRule(id)?.severity === 'hard' ? 'error' : 'warning';
}

function warningViews(reading: TargetReading, context: TargetContext): TargetWarningView[] {
  return targetWarnings(reading, context).map((w) => ({
    code: w.code,
    severity: ruleSeverity(TARGET_WARNING_RULES[w.code]),
    message: w.message,
  }));
}

function targetView(text: string, context: TargetContext = {}): TargetView {
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
    warnings: warningViews(reading, context),
  };
}

function indicatorView(x: Indicator): WizardIndicator {
  return {
    level1: x.level1,
    level2: x.level2,
    name: x.name,
    note: x.note ?? '',
    target: targetView(x.target, { level1: x.level1, level2: x.level2, name: x.name }),
  };
}

/** Qualitative values a target may be given: the grammar's terms and grades, without result-only grades. */
function qualitativeChoices(): string[] {
  const terms = [
    ...DEFAULT_TARGET_GRAMMAR.qualitative.map((q) => q.term),
    ...(DEFAULT_TARGET_GRAMMAR.gradeScales ?? []).flatMap((g) => g.grades),
  ];
  return [...new Set(terms)].filter((term) => {
    const reading = readTarget(term);
    return reading.kind === 'qualitative' && !targetWarnings(reading).some((w) => TARGET_ERROR_CODES.has(w.code));
  });
}

function choices(s: WizardSession): WizardChoices {
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

// ---- findings -------------------------------------------------------------------------------------------

const FIELD_STEP = new Map<string, WizardStep>([
  ...BASIC_FIELDS.map((f): [string, WizardStep] => [f, 'basics']),
  ...DETAIL_FIELDS.map((f): [string, WizardStep] => [f, 'details']),
  ...GOAL_FIELDS.map((f): [string, WizardStep] => [f, 'goals']),
  ['indicators', 'indicators'],
  ['target', 'indicators'],
]);

/**
 * The core audit rules the wizard runs on its tables, each with the rule's own severity (ruleSeverity): an
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

function isBlank(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

/** "6.00万元", as the audit writes amounts (two decimals, more only when the amount has them). */
function money(fen: Fen, unit: AmountUnit): string {
  return `${toFixedExact(fen, unit, 2)}${unit}`;
}

function signed(fen: Fen, unit: AmountUnit): string {
  return fen > 0n ? `+${money(fen, unit)}` : money(fen, unit);
}

function linesOf(lines: readonly BudgetLine[]): Map<string, { count: number; amount: Fen }> {
  const out = new Map<string, { count: number; amount: Fen }>();
  for (const l of lines) {
    if (l.project === null) continue;
    const entry = out.get(l.project) ?? { count: 0, amount: 0n };
    entry.count++;
    entry.amount += l.amount;
    out.set(l.project, entry);
  }
  return out;
}

/** The findings of each given project: the core rules above, each required field, and the wizard's own checks. */
function projectFindings(s: WizardSession, projects: readonly Project[], meta: WizardMeta): Map<string, WizardFinding[]> {
  const out = new Map<string, WizardFinding[]>(projects.map((p) => [p.code, []]));
  const lines = s.lines();
  const byProject = linesOf(lines);
  const budget: Budget = { ...s.budget, projects: [...projects], lines, departmentPerformance: null };
  const core: CoreFinding[] = auditBudget(budget, s.book, null, { rules: WIZARD_AUDIT_RULES });
  const unit = s.budget.amountUnit;
  for (const f of core) {
    const code = f.place.project;
    const list = code !== undefined ? out.get(code) : undefined;
    if (!list) continue;
    const field = f.place.field ?? 'indicators';
    let severity = ruleSeverity(f.rule);
    let message = f.message;
    if (f.rule === 'project.year-amount-lines' && !byProject.has(code!)) {
      severity = 'warning';
      message = `${message}。表可以先填写；录入该项目的支出明细（“预算明细”中所属项目选 ${code}）后，两者应相等`;
    }
    list.push({ severity, rule: f.rule, step: FIELD_STEP.get(field) ?? 'indicators', field, indicator: f.place.indicator ?? null, message });
  }
  for (const p of projects) {
    const list = out.get(p.code)!;
    for (const req of DEFAULT_AUDIT_SETTINGS.requiredProjectFields) {
      if (!isBlank(p[req.field])) continue;
      const field = String(req.field);
      list.push({
        severity: ruleSeverity('project.missing-fields'),
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

function departmentFindings(s: WizardSession, perf: DepartmentPerformance): WizardFinding[] {
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
  for (const f of auditBudget(budget, s.book, null, { rules: WIZARD_AUDIT_RULES })) {
    if (f.place.project !== undefined) continue;
    out.push({
      severity: ruleSeverity(f.rule),
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

const STATUS_LABELS: Record<WizardStatus, string> = {
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

function stepStates(p: Project, findings: readonly WizardFinding[], completed: boolean): WizardStepState[] {
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

function statusOf(steps: readonly WizardStepState[], errors: number, completed: boolean): WizardStatus {
  if (completed) return errors > 0 ? 'needs-fix' : 'complete';
  return errors === 0 && steps.slice(0, 4).every((x) => x.state === 'done') ? 'ready' : 'in-progress';
}

// ---- printed layout (T11, T10) ---------------------------------------------------------------------------

/** One project's 项目支出绩效目标表 as printed (docs/domain/TABLES.md T11): the draft on the one print layout. */
function projectPreview(s: WizardSession, p: Project, template: IndicatorTemplate | null): TableView {
  const t11 = s.engine.table('T11');
  return blockToView(projectForm(t11, p, undefined, template), t11, { amountUnit: t11.amountUnit, columnWidths: FORM_COLUMN_WIDTHS.projects });
}

function departmentBudget(s: WizardSession): { rows: WizardBudgetRowLike[]; format: AmountFormat } {
  const t10 = s.engine.table('T10');
  const unit = s.budget.amountUnit;
  return {
    format: t10.format,
    rows: t10.rows.map((r) => {
      const fen = r.cells.amount ?? 0n;
      return { key: r.key, label: r.label, fen, exact: toExactString(fen, unit), text: formatAmount(fen, unit, t10.format) };
    }),
  };
}

interface WizardBudgetRowLike {
  key: string;
  label: string;
  fen: Fen;
  exact: string;
  text: string;
}

/** The department's 整体绩效目标表 as printed (docs/domain/TABLES.md T10): the draft on the one print layout. */
function departmentPreview(s: WizardSession, perf: DepartmentPerformance, template: IndicatorTemplate | null): TableView {
  const t10 = s.engine.table('T10');
  const block = departmentForm(t10, perf, template);
  return blockToView(block, t10, { amountUnit: t10.amountUnit, columnWidths: FORM_COLUMN_WIDTHS.form });
}

// ---- views ----------------------------------------------------------------------------------------------

function fieldsOf(p: Project, unit: AmountUnit): WizardProjectFields {
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
  const entry = linesOf(s.lines()).get(p.code) ?? { count: 0, amount: 0n };
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

function projectView(s: WizardSession, p: Project | null, meta: WizardMeta): WizardProject {
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
    indicators: shown.indicators.map(indicatorView),
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
      keep: input.target.kind === 'keep' ? targetView(input.target.text, { level1: input.level1, level2: input.level2, name: input.name }) : null,
    })),
    issues: issues.map((i) => ({ path: i.path, message: i.message })),
  };
}

function emptyPerformance(): DepartmentPerformance {
  return { dutyGoal: '', tasks: [], indicators: [] };
}

function departmentView(s: WizardSession, meta: WizardMeta): WizardDepartment {
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
    indicators: perf.indicators.map(indicatorView),
    budget,
    template: templateView(resolved, year),
    templates: templatesFor('department', year),
    findings: departmentFindings(s, perf),
    choices: choices(s),
    preview: departmentPreview(s, perf, resolved?.template ?? null),
  };
}

// ---- reading what the user typed ---------------------------------------------------------------------------

interface Issue {
  path: string;
  message: string;
}

function refuse(summary: string, issues: Issue[]): never {
  throw new ApiRefusal(issues.length === 1 ? issues[0]!.message : `${summary}：${issues[0]!.message}（共 ${issues.length} 处）`, issues);
}

function storeRefusal(err: unknown): never {
  if (err instanceof StoreError) {
    throw new ApiRefusal(err.message, err.problems.length ? err.problems.map((p) => ({ path: p.field ?? '$', message: p.message })) : undefined);
  }
  throw err;
}

/** "2020/1/1", "2020.1.1", "2020年1月1日" → "2020-01-01"; anything else unchanged (then refused as a date). */
function normaliseDate(text: string): string {
  const s = text.normalize('NFKC').trim();
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : s;
}

/** A text field: '' clears it, except that a field stored as '' stays '' (imports keep their exact form). */
function textValue(typed: string, before: string | undefined, trim: boolean): string | undefined {
  const v = trim ? typed.trim() : typed;
  if (v.trim() === '') return before === '' ? '' : undefined;
  return v;
}

function readBasics(
  s: WizardSession,
  values: ApiParsedInput<'wizard.saveBasics'>['values'],
  before: Project | null,
): { project: Project; issues: Issue[] } {
  const issues: Issue[] = [];
  const unit = s.budget.amountUnit;
  const code = values.code.normalize('NFKC').trim();
  if (code === '') issues.push({ path: 'code', message: '请填写项目编码' });
  else if (/\s/.test(code)) issues.push({ path: 'code', message: `项目编码“${code}”不能包含空格` });
  else if (code !== before?.code) {
    const other = s.budget.projects.find((p) => p.code === code);
    if (other) issues.push({ path: 'code', message: `项目编码“${code}”已被项目“${other.name}”使用` });
  }
  const name = values.name.trim();
  if (name === '') issues.push({ path: 'name', message: '请填写项目名称' });
  if (!s.budget.units.some((u) => u.code === values.unit)) {
    issues.push({ path: 'unit', message: values.unit === '' ? '请选择项目所属单位' : `单位“${values.unit}”不在本预算中` });
  }
  let functional: string | undefined;
  const functionalText = values.functional.normalize('NFKC').trim();
  if (functionalText !== '') {
    // A pick from the list may carry the name after the code ("2010306 政务公开审批").
    functional = /^\d+/.exec(functionalText)?.[0] ?? functionalText;
    const why = functionalCodeProblem(functional, s.book.functional, s.budget.fiscalYear);
    if (why) issues.push({ path: 'functional', message: why });
  }
  const dates: Partial<Record<'start' | 'end', string>> = {};
  for (const field of ['start', 'end'] as const) {
    const typed = normaliseDate(values[field]);
    if (typed === '') continue;
    if (!isIsoDate(typed)) issues.push({ path: field, message: `${PROJECT_FIELD_LABELS[field]}“${values[field]}”不是有效日期，应为 年-月-日（如 ${s.budget.fiscalYear}-01-01）` });
    else dates[field] = typed;
  }
  const amounts: Partial<Record<'totalAmount' | 'yearAmount' | 'priorTotalAmount' | 'priorYearAmount', Fen>> = {};
  for (const field of ['totalAmount', 'yearAmount', 'priorTotalAmount', 'priorYearAmount'] as const) {
    const typed = values[field].trim();
    if (typed === '') {
      if (field === 'yearAmount') issues.push({ path: field, message: `请填写${PROJECT_FIELD_LABELS[field]}（没有则填 0）` });
      continue;
    }
    const r = parseAmount(typed, unit, { loose: true });
    if (r.ok) amounts[field] = r.fen;
    else issues.push({ path: field, message: `${PROJECT_FIELD_LABELS[field]}：${r.reason}` });
  }
  const project: Project = {
    ...(before ?? { indicators: [] }),
    code,
    name: before?.name === values.name ? before.name : name,
    unit: values.unit,
    category: values.category,
    yearAmount: amounts.yearAmount ?? 0n,
  } as Project;
  const set = <K extends keyof Project>(field: K, value: Project[K] | undefined) => {
    if (value === undefined) delete project[field];
    else project[field] = value;
  };
  set('functional', functional);
  for (const field of ['usage', 'leader', 'contact', 'phone'] as const) set(field, textValue(values[field], before?.[field], true));
  set('start', dates.start ?? (values.start.trim() === '' && before?.start === '' ? '' : undefined));
  set('end', dates.end ?? (values.end.trim() === '' && before?.end === '' ? '' : undefined));
  set('totalAmount', amounts.totalAmount);
  set('priorTotalAmount', amounts.priorTotalAmount);
  set('priorYearAmount', amounts.priorYearAmount);
  return { project, issues };
}

interface IndicatorRules {
  /** Targets stored now or in the tree: a "keep" must name one of them (nothing else bypasses the parts). */
  storedTargets: ReadonlySet<string>;
  storedNames: ReadonlySet<string>;
  /** (一级, 二级) pairs an indicator may use: the tree's and those already stored. */
  pairs: ReadonlySet<string>;
  withNotes: boolean;
}

function readIndicators(inputs: readonly IndicatorInput[], rules: IndicatorRules): { indicators: Indicator[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const qualitative = new Set(qualitativeChoices());
  const indicators = inputs.map((x, i): Indicator => {
    const at = `indicators[${i}]`;
    const label = x.name.trim() || `第 ${i + 1} 个指标`;
    if (!rules.pairs.has(pairKey(x.level1, x.level2))) {
      issues.push({ path: `${at}.level2`, message: `“${x.level1} / ${x.level2}”不是所选模板中的指标层级` });
    }
    const name = rules.storedNames.has(x.name) ? x.name : x.name.trim();
    let target = '';
    const t = x.target;
    if (t.kind === 'keep') {
      if (rules.storedTargets.has(t.text)) target = t.text;
      else issues.push({ path: `${at}.target`, message: `${label}：目标值请按“比较符 + 数值 + 单位”或定性值填写` });
    } else if (t.kind === 'quantitative') {
      const number = t.number.normalize('NFKC').trim().replace(/,/g, '');
      const unit = t.unit.normalize('NFKC').trim();
      if (!/^[+-]?\d+(\.\d+)?$/.test(number)) {
        issues.push({ path: `${at}.number`, message: number === '' ? `${label}：请填写目标值的数值` : `${label}：目标值的数值“${t.number}”不是数字` });
      } else if (unit === '') {
        issues.push({ path: `${at}.unit`, message: `${label}：目标值缺少计量单位（如 %、次、套）` });
      } else {
        const reading = readTarget(`${t.comparator}${number}${unit}`);
        const problem = reading.kind !== 'quantitative' || reading.unit === null
          ? `计量单位“${unit}”无法识别，请填写如 %、次、套、个工作日`
          : targetWarnings(reading, { level1: x.level1, level2: x.level2, name: x.name }).find((w) => TARGET_ERROR_CODES.has(w.code))?.message;
        if (problem) issues.push({ path: `${at}.unit`, message: `${label}：${problem}` });
        else target = formatTarget(reading);
      }
    } else if (t.kind === 'qualitative') {
      const reading = readTarget(t.value);
      if (reading.kind !== 'qualitative' || !qualitative.has(reading.qualitative ?? '')) {
        issues.push({ path: `${at}.target`, message: `${label}：“${t.value}”不是可选的定性目标值` });
      } else target = formatTarget(reading);
    }
    const out: Indicator = { level1: x.level1, level2: x.level2, name, target };
    if (rules.withNotes && x.note !== undefined && x.note !== '') out.note = x.note;
    return out;
  });
  return { indicators, issues };
}

// ---- handlers ---------------------------------------------------------------------------------------------

function requireProject(s: WizardSession, code: string): Project {
  const p = s.budget.projects.find((x) => x.code === code);
  if (!p) throw new ApiRefusal(`项目“${code}”不存在（可能已被删除）`);
  return p;
}

/** Writes a project, tells the session, and records the wizard position. */
function saveProject(s: WizardSession, project: Project, before: Project | null, position: WizardStep | undefined): WizardProject {
  let after: Project;
  try {
    after = s.store.upsertProject(project, before?.code ?? project.code).after;
  } catch (err) {
    storeRefusal(err);
  }
  s.projectSaved(before, after);
  const meta = readMeta(s.store);
  if (before && before.code !== after.code && meta.projects[before.code]) {
    meta.projects[after.code] = meta.projects[before.code]!;
    delete meta.projects[before.code];
  }
  const draft = { ...draftOf(meta, after.code) };
  if (position) draft.position = position;
  meta.projects[after.code] = draft;
  writeMeta(s.store, meta);
  return projectView(s, after, meta);
}

function list(s: WizardSession): WizardList {
  const meta = readMeta(s.store);
  const unit = s.budget.amountUnit;
  const findings = projectFindings(s, s.budget.projects, meta);
  const byProject = linesOf(s.lines());
  const unitNames = new Map(s.budget.units.map((u) => [u.code, u.name]));
  const projects = s.budget.projects.map((p): WizardProjectSummary => {
    const draft = draftOf(meta, p.code);
    const f = findings.get(p.code) ?? [];
    const completed = draft.completed === true;
    const steps = stepStates(p, f, completed);
    const errors = f.filter((x) => x.severity === 'error').length;
    const status = statusOf(steps, errors, completed);
    return {
      code: p.code,
      name: p.name,
      unit: p.unit,
      unitName: unitNames.get(p.unit) ?? '',
      categoryLabel: PROJECT_CATEGORY_LABELS[p.category],
      yearAmount: toExactString(p.yearAmount, unit),
      linesAmount: toExactString(byProject.get(p.code)?.amount ?? 0n, unit),
      indicatorCount: p.indicators.length,
      status,
      statusLabel: STATUS_LABELS[status],
      steps,
      errors,
      warnings: f.length - errors,
      position: isStep(draft.position) ? draft.position : 'basics',
      templateName: projectTemplate(s, p, meta)?.template.name ?? '',
    };
  });
  const perf = s.budget.departmentPerformance;
  const deptFindings = perf ? departmentFindings(s, perf) : [];
  const deptErrors = deptFindings.filter((f) => f.severity === 'error').length;
  return {
    fiscalYear: s.budget.fiscalYear,
    amountUnit: unit,
    projects,
    department: {
      filled: perf !== null,
      taskCount: perf?.tasks.length ?? 0,
      indicatorCount: perf?.indicators.length ?? 0,
      errors: deptErrors,
      warnings: deptFindings.length - deptErrors,
    },
  };
}

function saveBasics(s: WizardSession, input: ApiParsedInput<'wizard.saveBasics'>): WizardProject {
  const before = input.code === null ? null : requireProject(s, input.code);
  const { project, issues } = readBasics(s, input.values, before);
  if (issues.length) refuse('基本信息有误，未保存', issues);
  if (!before) {
    // A new table starts with its tree's standard rows (editable); the tree is the one the budget's projects use.
    const resolved = projectTemplate(s, null, readMeta(s.store));
    project.indicators = resolved ? standardRows(resolved.template) : [];
  }
  return saveProject(s, project, before, input.position);
}

function saveTexts<F extends string>(
  s: WizardSession,
  code: string,
  fields: readonly F[],
  values: Record<F, string>,
  position: WizardStep | undefined,
): WizardProject {
  const before = requireProject(s, code);
  const project: Project = { ...before };
  const record = project as unknown as Record<string, unknown>;
  for (const field of fields) {
    const value = textValue(values[field], (before as unknown as Record<string, string | undefined>)[field], false);
    if (value === undefined) delete record[field];
    else record[field] = value;
  }
  return saveProject(s, project, before, position);
}

function indicatorRules(template: IndicatorTemplate | null, stored: readonly Indicator[], withNotes: boolean): IndicatorRules {
  const pairs = new Set(stored.map((x) => pairKey(x.level1, x.level2)));
  if (template) for (const slot of skeleton(template)) pairs.add(pairKey(slot.level1, slot.level2));
  // The tree's own rows are data the app ships: their targets may be added back unchanged too.
  const treeTargets = template ? [...template.standardRows, ...(template.optionalRows ?? [])].map((r) => r.target) : [];
  return {
    storedTargets: new Set([...stored.map((x) => x.target), ...treeTargets]),
    storedNames: new Set(stored.map((x) => x.name)),
    pairs,
    withNotes,
  };
}

function saveIndicators(s: WizardSession, input: ApiParsedInput<'wizard.saveIndicators'>): WizardProject {
  const before = requireProject(s, input.code);
  const meta = readMeta(s.store);
  const template = projectTemplate(s, before, meta)?.template ?? null;
  const { indicators, issues } = readIndicators(input.indicators, indicatorRules(template, before.indicators, false));
  const state: ProjectDraftState = { ...draftOf(meta, before.code) };
  if (input.projectTypes) state.projectTypes = [...new Set(input.projectTypes)];
  if (issues.length) {
    if (!input.draft) refuse('绩效指标有误，未保存', issues);
    // 保存草稿 keeps every row as typed; the stored table stays as it was until the rows can be read.
    state.indicatorDraft = input.indicators;
    if (input.position) state.position = input.position;
    meta.projects[before.code] = state;
    writeMeta(s.store, meta);
    return projectView(s, before, meta);
  }
  const hadDraft = state.indicatorDraft !== undefined;
  delete state.indicatorDraft;
  if (input.projectTypes || hadDraft) {
    meta.projects[before.code] = state;
    writeMeta(s.store, meta);
  }
  return saveProject(s, { ...before, indicators }, before, input.position);
}

function visit(s: WizardSession, input: ApiParsedInput<'wizard.visit'>): WizardProject {
  const p = requireProject(s, input.code);
  const meta = readMeta(s.store);
  meta.projects[p.code] = { ...draftOf(meta, p.code), position: input.position };
  writeMeta(s.store, meta);
  return projectView(s, p, meta);
}

function chosenTemplate(id: string | null, scope: TemplateScope): string | undefined {
  if (id === null) return undefined;
  const t = templateById(id);
  if (!t) throw new ApiRefusal(`没有编号为“${id}”的指标模板`);
  if (t.scope !== scope) throw new ApiRefusal(`模板“${t.name}”不是${scope === 'project' ? '项目支出' : '部门整体'}绩效目标表的模板`);
  return t.id;
}

function setTemplate(s: WizardSession, input: ApiParsedInput<'wizard.setTemplate'>): WizardProject {
  const p = requireProject(s, input.code);
  const meta = readMeta(s.store);
  const draft = { ...draftOf(meta, p.code) };
  const id = chosenTemplate(input.template, 'project');
  if (id === undefined) delete draft.template;
  else draft.template = id;
  meta.projects[p.code] = draft;
  writeMeta(s.store, meta);
  return projectView(s, p, meta);
}

function setDepartmentTemplate(s: WizardSession, input: ApiParsedInput<'wizard.setDepartmentTemplate'>): WizardDepartment {
  const meta = readMeta(s.store);
  const id = chosenTemplate(input.template, 'department');
  meta.department = id === undefined ? {} : { template: id };
  writeMeta(s.store, meta);
  return departmentView(s, meta);
}

function suggest(s: WizardSession, input: ApiParsedInput<'wizard.suggest'>): WizardSuggestion[] {
  const meta = readMeta(s.store);
  const project = input.code === null ? null : requireProject(s, input.code);
  const resolved = project
    ? projectTemplate(s, project, meta)
    : departmentTemplate(s, meta, s.budget.departmentPerformance?.indicators ?? []);
  const types = input.projectTypes ?? (project ? (draftOf(meta, project.code).projectTypes ?? []) : ['部门整体']);
  const out: WizardSuggestion[] = [];
  const template = resolved?.template;
  for (const row of template?.optionalRows ?? []) {
    if (row.level1 !== input.level1 || row.level2 !== input.level2) continue;
    const reading = readTarget(row.target);
    out.push({
      name: row.name,
      level1: row.level1,
      level2: row.level2,
      kind: reading.kind === 'qualitative' ? 'qualitative' : 'quantitative',
      comparator: reading.comparator,
      number: reading.kind === 'quantitative' ? reading.number : null,
      unit: reading.unit,
      qualitative: reading.qualitative ? [reading.qualitative] : [],
      example: row.target,
      projectTypes: [],
      source: 'template',
      seen: row.seenIn ?? 0,
    });
  }
  const entries = template ? suggestions(template, input.level2, types) : LIBRARY.filter((e) => e.suggest !== false && e.level2 === input.level2);
  const seenNames = new Set(out.map((x) => x.name));
  for (const e of entries) {
    if (seenNames.has(e.name)) continue;
    seenNames.add(e.name);
    const example = e.qualitative ? null : readTarget(e.example);
    out.push({
      name: e.name,
      level1: input.level1,
      level2: input.level2,
      kind: e.qualitative ? 'qualitative' : 'quantitative',
      comparator: e.comparator,
      number: example?.kind === 'quantitative' ? example.number : null,
      unit: e.unit,
      qualitative: e.qualitative ?? [],
      example: e.example,
      projectTypes: e.projectTypes,
      source: 'library',
      seen: e.seenIn.length,
    });
    if (out.length >= 40) break;
  }
  return out;
}

function readTargetText(input: ApiParsedInput<'wizard.readTarget'>): ReadTargetResult {
  const context: TargetContext = {};
  if (input.level1 !== undefined) context.level1 = input.level1;
  if (input.level2 !== undefined) context.level2 = input.level2;
  if (input.name !== undefined) context.name = input.name;
  const view = targetView(input.text, context);
  // Typed into the parts editor, "100%" becomes "=100%": a missing comparator is not a reason to refuse.
  const blocking = view.warnings.find((w) => TARGET_ERROR_CODES.has(w.code) && w.code !== 'implicit-comparator');
  let refusal: string | null = blocking?.message ?? null;
  if (!refusal && view.kind === 'text') refusal = view.warnings[0]?.message ?? '目标值应为“比较符+数值+单位”或定性值';
  return { ...view, refusal };
}

function complete(s: WizardSession, input: ApiParsedInput<'wizard.complete'>): WizardProject {
  const p = requireProject(s, input.code);
  const meta = readMeta(s.store);
  const findings = projectFindings(s, [p], meta).get(p.code) ?? [];
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length) {
    throw new ApiRefusal(
      `项目 ${p.code}“${p.name}”还有 ${errors.length} 处必须修改的问题，不能完成：${errors[0]!.message}`,
      errors.map((f) => ({ path: f.indicator !== null ? `indicators[${f.indicator}].${f.field}` : f.field, message: f.message })),
    );
  }
  meta.projects[p.code] = { ...draftOf(meta, p.code), completed: true, position: 'preview' };
  writeMeta(s.store, meta);
  return projectView(s, p, meta);
}

function deleteProject(s: WizardSession, input: ApiParsedInput<'wizard.deleteProject'>): WizardList {
  requireProject(s, input.code);
  let removed: Project;
  try {
    removed = s.store.deleteProject(input.code);
  } catch (err) {
    storeRefusal(err);
  }
  s.projectRemoved(removed);
  const meta = readMeta(s.store);
  delete meta.projects[input.code];
  writeMeta(s.store, meta);
  return list(s);
}

function saveDepartment(s: WizardSession, input: ApiParsedInput<'wizard.saveDepartment'>): WizardDepartment {
  const meta = readMeta(s.store);
  const stored = s.budget.departmentPerformance;
  const template = departmentTemplate(s, meta, stored?.indicators ?? [])?.template ?? null;
  // Before the first save the rows shown are the tree's standard rows: their texts may be kept too.
  const existing = stored?.indicators ?? (template ? standardRows(template) : []);
  const { indicators, issues } = readIndicators(input.indicators, indicatorRules(template, existing, true));
  const tasks = input.tasks.filter((t) => t.name.trim() !== '' || t.content.trim() !== '').map((t) => ({ name: t.name.trim(), content: t.content }));
  if (issues.length) refuse('绩效指标有误，未保存', issues);
  const perf: DepartmentPerformance = { dutyGoal: input.dutyGoal, tasks, indicators };
  try {
    s.store.setDepartmentPerformance(perf);
  } catch (err) {
    storeRefusal(err);
  }
  s.departmentSaved(perf);
  return departmentView(s, meta);
}

/** The wizard's methods over a session; api/service.ts delegates to these. */
export const WIZARD_HANDLERS = {
  'wizard.list': (s: WizardSession) => list(s),
  'wizard.project': (s: WizardSession, input: ApiParsedInput<'wizard.project'>) =>
    projectView(s, input.code === null ? null : requireProject(s, input.code), readMeta(s.store)),
  'wizard.saveBasics': saveBasics,
  'wizard.saveDetails': (s: WizardSession, input: ApiParsedInput<'wizard.saveDetails'>) =>
    saveTexts(s, input.code, DETAIL_FIELDS, input.values, input.position),
  'wizard.saveGoals': (s: WizardSession, input: ApiParsedInput<'wizard.saveGoals'>) =>
    saveTexts(s, input.code, GOAL_FIELDS, input.values, input.position),
  'wizard.saveIndicators': saveIndicators,
  'wizard.visit': visit,
  'wizard.setTemplate': setTemplate,
  'wizard.setDepartmentTemplate': setDepartmentTemplate,
  'wizard.suggest': suggest,
  'wizard.readTarget': (_s: WizardSession, input: ApiParsedInput<'wizard.readTarget'>) => readTargetText(input),
  'wizard.complete': complete,
  'wizard.deleteProject': deleteProject,
  'wizard.department': (s: WizardSession) => departmentView(s, readMeta(s.store)),
  'wizard.saveDepartment': saveDepartment,
} as const;
