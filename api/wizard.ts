// The 绩效目标 wizard's part of the API contract: the input schema of every wizard method (WIZARD_API, spread
// into API) and the output types (WizardOutputs, part of ApiOutputs). Only zod and types here: the renderer
// bundles this file through contract.ts, so the handlers live in areas/wizard.ts.
//
// Amounts cross as exact decimal strings in the budget's unit; a 目标值 crosses as its published text plus
// its reading (comparator, number, unit or qualitative term), and comes back either as "keep this text" or
// as parts that the service formats.
import { z } from 'zod';
import { PROJECT_FIELD_LABELS as PROJECT_DATE_AND_AMOUNT_LABELS } from '../core/budget-fields.js';
import type { TableView } from './views.js';

export const WIZARD_STEPS = ['basics', 'details', 'goals', 'indicators', 'audit', 'preview'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];
export const WIZARD_STEP_LABELS: Record<WizardStep, string> = {
  basics: '基本信息',
  details: '项目详情',
  goals: '绩效目标',
  indicators: '绩效指标',
  audit: '审核',
  preview: '预览',
};

/** The fields of 基本信息 as typed (amounts in the budget unit; empty = not filled). */
export const BASIC_FIELDS = [
  'code', 'name', 'unit', 'category', 'functional', 'usage', 'leader', 'contact', 'phone', 'start', 'end',
  'totalAmount', 'yearAmount', 'priorTotalAmount', 'priorYearAmount',
] as const;
export const DETAIL_FIELDS = ['overview', 'basis', 'necessity', 'measures', 'plan', 'remarks'] as const;
export const GOAL_FIELDS = ['overallGoal', 'annualGoal'] as const;
export type BasicField = (typeof BASIC_FIELDS)[number];
export type DetailField = (typeof DETAIL_FIELDS)[number];
export type GoalField = (typeof GOAL_FIELDS)[number];
export type ProjectTextField = BasicField | DetailField | GoalField;

/** Printed labels (T11) of every field the wizard edits. */
export const PROJECT_FIELD_LABELS: Record<ProjectTextField | 'indicators', string> = {
  code: '项目编码',
  name: '项目名称',
  unit: '单位',
  category: '项目类别',
  functional: '功能分类',
  usage: '资金用途',
  leader: '项目负责人',
  contact: '联系人',
  phone: '联系电话',
  // 开始时间 … 项目上年度金额: as core states them for every layer.
  ...PROJECT_DATE_AND_AMOUNT_LABELS,
  overview: '项目概况',
  basis: '立项依据',
  necessity: '项目设立的必要性',
  measures: '项目配套制度措施',
  plan: '项目实施计划',
  remarks: '备注',
  overallGoal: '项目总目标',
  annualGoal: '年度绩效目标',
  indicators: '绩效指标',
};

export const TARGET_COMPARATORS = ['=', '≥', '≤', '>', '<'] as const;

const text = (max: number) => z.string().max(max);
const projectCode = text(64).min(1);
const longText = text(20_000);
const step = z.enum(WIZARD_STEPS);
const empty = z.object({}).strict();

/** A 目标值 as the editor hands it back. */
const targetInput = z.discriminatedUnion('kind', [
  /** Unchanged: the text exactly as stored (published), never rewritten. */
  z.object({ kind: z.literal('keep'), text: text(2000) }).strict(),
  z.object({ kind: z.literal('quantitative'), comparator: z.enum(TARGET_COMPARATORS), number: text(40), unit: text(20) }).strict(),
  z.object({ kind: z.literal('qualitative'), value: text(40) }).strict(),
  /** A row added but not filled yet (a draft may hold it; 审核 reports it). */
  z.object({ kind: z.literal('empty') }).strict(),
]);
export type TargetInput = z.infer<typeof targetInput>;

const indicatorInput = z
  .object({
    level1: text(100).min(1),
    level2: text(100).min(1),
    name: text(500),
    /** 指标值说明 (department table). */
    note: text(5000).optional(),
    target: targetInput,
  })
  .strict();
export type IndicatorInput = z.infer<typeof indicatorInput>;

/** 基本信息 as typed; 项目库 (api/projects.ts) edits the same fields. */
export const basicsValues = z
  .object({
    code: text(64),
    name: text(500),
    unit: text(64),
    category: z.enum(['general', 'special']),
    functional: text(64),
    usage: text(200),
    leader: text(200),
    contact: text(200),
    phone: text(200),
    start: text(40),
    end: text(40),
    totalAmount: text(64),
    yearAmount: text(64),
    priorTotalAmount: text(64),
    priorYearAmount: text(64),
  })
  .strict();
export type BasicsValues = z.infer<typeof basicsValues>;

const detailsValues = z
  .object({ overview: longText, basis: longText, necessity: longText, measures: longText, plan: longText, remarks: longText })
  .strict();
const goalsValues = z.object({ overallGoal: longText, annualGoal: longText }).strict();
const projectTypes = z.array(text(40)).max(30);

export const WIZARD_API = {
  /** Every project with its completion state (steps done, 审核 findings) and the department table's state. */
  'wizard.list': { input: empty },
  /** One project as the wizard edits it; `code: null` gives a blank new project (not stored until saved). */
  'wizard.project': { input: z.object({ code: projectCode.nullable() }).strict() },
  /**
   * Step 1. `code` is the project being edited (null: a new one, created by this call). A value that cannot be
   * read is refused with its field in the issues' path, and nothing is stored. `position` records where the
   * wizard goes next.
   */
  'wizard.saveBasics': { input: z.object({ code: projectCode.nullable(), values: basicsValues, position: step.optional() }).strict() },
  /** Step 2. */
  'wizard.saveDetails': { input: z.object({ code: projectCode, values: detailsValues, position: step.optional() }).strict() },
  /** Step 3. */
  'wizard.saveGoals': { input: z.object({ code: projectCode, values: goalsValues, position: step.optional() }).strict() },
  /** Step 4: the whole indicator list in order, and the project types suggestions are ranked by. */
  'wizard.saveIndicators': {
    input: z
      .object({
        code: projectCode,
        indicators: z.array(indicatorInput).max(500),
        projectTypes: projectTypes.optional(),
        position: step.optional(),
        /**
         * 保存草稿: rows that cannot be stored yet (a missing 数值, a placeholder) are kept exactly as typed in
         * the wizard's draft instead of refusing the step; 完成 stays refused until they are fixed.
         */
        draft: z.boolean().optional(),
      })
      .strict(),
  },
  /** Records the wizard position without changing the project (审核 / 预览, or moving on without edits). */
  'wizard.visit': { input: z.object({ code: projectCode, position: step }).strict() },
  /** Chooses a project's indicator tree; `template: null` goes back to the automatic choice. */
  'wizard.setTemplate': { input: z.object({ code: projectCode, template: text(100).nullable() }).strict() },
  /** Chooses the department table's indicator tree; null = automatic. */
  'wizard.setDepartmentTemplate': { input: z.object({ template: text(100).nullable() }).strict() },
  /** Suggestions for a new 三级 under a 二级: the template's optional rows, then the library by project type. */
  'wizard.suggest': {
    input: z
      .object({ code: projectCode.nullable(), level1: text(100).min(1), level2: text(100).min(1), projectTypes: projectTypes.optional() })
      .strict(),
  },
  /** Reads a typed or pasted 目标值 ("≥20次", "合理") into its parts, with the reasons it cannot be a target. */
  'wizard.readTarget': {
    input: z.object({ text: text(2000), level1: text(100).optional(), level2: text(100).optional(), name: text(500).optional() }).strict(),
  },
  /** 完成: refused while the project has findings that must be fixed. */
  'wizard.complete': { input: z.object({ code: projectCode }).strict() },
  /** Deletes a project that has no budget lines or procurement left. */
  'wizard.deleteProject': { input: z.object({ code: projectCode }).strict() },
  /** The department's overall table (T10): texts, indicators, and its budget block computed from the lines. */
  'wizard.department': { input: empty },
  'wizard.saveDepartment': {
    input: z
      .object({
        dutyGoal: longText,
        tasks: z.array(z.object({ name: text(500), content: longText }).strict()).max(200),
        indicators: z.array(indicatorInput).max(500),
      })
      .strict(),
  },
} as const;

// ---- outputs -------------------------------------------------------------------------------------------

export interface TargetWarningView {
  code: string;
  /** error: must be fixed before 完成 (placeholder, no unit, no comparator…); warning: to check or explain. */
  severity: 'error' | 'warning';
  message: string;
}

export interface TargetView {
  /** The stored text exactly as it will be printed. */
  text: string;
  kind: 'quantitative' | 'qualitative' | 'text' | 'empty';
  comparator: string | null;
  number: string | null;
  unit: string | null;
  qualitative: string | null;
  /** No comparator was written ("100%"): '=' is assumed. */
  implicitComparator: boolean;
  /** The canonical form ("=100%"), what the text becomes when converted. */
  canonical: string;
  warnings: TargetWarningView[];
}

export interface ReadTargetResult extends TargetView {
  /** Why the text cannot be entered as a target (a placeholder, a sentence …); null when it can. */
  refusal: string | null;
}

export interface WizardIndicator {
  level1: string;
  level2: string;
  name: string;
  note: string;
  target: TargetView;
}

export interface WizardFinding {
  severity: 'error' | 'warning';
  rule: string;
  step: WizardStep;
  /** The field it belongs to (a project field, 'indicators', or 'target' with `indicator`). */
  field: string;
  indicator: number | null;
  message: string;
}

export type StepStateCode = 'done' | 'partial' | 'empty' | 'error';

export interface WizardStepState {
  step: WizardStep;
  label: string;
  state: StepStateCode;
  errors: number;
  warnings: number;
}

export type WizardStatus = 'in-progress' | 'ready' | 'complete' | 'needs-fix';

export interface WizardTemplateInfo {
  id: string;
  name: string;
  region: string;
  years: string;
  /** The template applies to the budget's fiscal year. */
  appliesToYear: boolean;
}

export interface WizardSlot {
  level1: string;
  level2: string;
  dimension: string;
}

export interface WizardTemplateRow {
  level1: string;
  level2: string;
  name: string;
  target: string;
  note: string;
  /** The target read into its parts (a standard row may be added back as is). */
  reading: TargetView;
}

export interface WizardTemplate extends WizardTemplateInfo {
  /** Chosen by the user (else picked automatically). */
  chosen: boolean;
  /** Why this tree, in Chinese ("按本项目已有指标匹配"). */
  reason: string;
  slots: WizardSlot[];
  standardRows: WizardTemplateRow[];
}

export interface WizardProjectFields {
  code: string;
  name: string;
  unit: string;
  category: 'general' | 'special';
  functional: string;
  usage: string;
  leader: string;
  contact: string;
  phone: string;
  start: string;
  end: string;
  totalAmount: string;
  yearAmount: string;
  priorTotalAmount: string;
  priorYearAmount: string;
  overview: string;
  basis: string;
  necessity: string;
  measures: string;
  plan: string;
  remarks: string;
  overallGoal: string;
  annualGoal: string;
}

export interface WizardLinesInfo {
  /** Budget lines booked on the project. */
  count: number;
  /** Their sum, exact, in the budget unit. */
  amount: string;
  /** 本年度金额 minus the lines' sum. */
  difference: string;
  matches: boolean;
  /** Chinese: the comparison and, on a mismatch, what to do. */
  explanation: string;
}

export interface WizardChoices {
  units: { code: string; name: string }[];
  categories: { code: 'general' | 'special'; label: string }[];
  /** 资金用途 values already used in this budget. */
  usages: string[];
  comparators: string[];
  /** Qualitative values a target may take. */
  qualitative: string[];
  /** Units of measure known to the grammar. */
  targetUnits: string[];
  /** Project types of the suggestion library. */
  projectTypes: string[];
}

export interface WizardProject {
  isNew: boolean;
  code: string | null;
  fiscalYear: number;
  amountUnit: '万元' | '元';
  departmentName: string;
  fields: WizardProjectFields;
  /** Fields the table must have before 完成 (the 二上 list). */
  requiredFields: string[];
  functionalName: string;
  indicators: WizardIndicator[];
  projectTypes: string[];
  lines: WizardLinesInfo;
  template: WizardTemplate | null;
  templates: WizardTemplateInfo[];
  position: WizardStep;
  completed: boolean;
  status: WizardStatus;
  statusLabel: string;
  steps: WizardStepState[];
  findings: WizardFinding[];
  choices: WizardChoices;
  /** The project's 项目支出绩效目标表 exactly as it prints (T11 layout); null for a project not yet stored. */
  preview: TableView | null;
  /** Indicator rows kept as typed by 保存草稿 while some cannot be stored yet, with what is wrong; else null. */
  indicatorDraft: WizardIndicatorDraft | null;
}

export interface WizardIndicatorDraft {
  /** Each row as typed; a row that keeps a stored text carries that text's reading for the editor. */
  rows: { input: IndicatorInput; keep: TargetView | null }[];
  /** What must be fixed before the rows can be stored, by path ("indicators[3].number"). */
  issues: { path: string; message: string }[];
}

export interface WizardProjectSummary {
  code: string;
  name: string;
  unit: string;
  unitName: string;
  categoryLabel: string;
  yearAmount: string;
  linesAmount: string;
  indicatorCount: number;
  status: WizardStatus;
  statusLabel: string;
  steps: WizardStepState[];
  errors: number;
  warnings: number;
  position: WizardStep;
  templateName: string;
}

export interface WizardList {
  fiscalYear: number;
  amountUnit: '万元' | '元';
  projects: WizardProjectSummary[];
  department: { filled: boolean; taskCount: number; indicatorCount: number; errors: number; warnings: number };
}

export interface WizardSuggestion {
  name: string;
  level1: string;
  level2: string;
  kind: 'quantitative' | 'qualitative';
  comparator: string | null;
  /** The number of its example ("=100%" → "100"), which a chosen suggestion starts with. */
  number: string | null;
  unit: string | null;
  /** Allowed qualitative values, the usual first. */
  qualitative: string[];
  example: string;
  projectTypes: string[];
  /** 'template': an optional row of the tree; 'library': the suggestion library. */
  source: 'template' | 'library';
  /** How many published tables carry it. */
  seen: number;
}

export interface WizardBudgetRow {
  key: string;
  label: string;
  /** Exact, in the budget unit. */
  exact: string;
  /** As printed in T10 (zero blank). */
  text: string;
}

export interface WizardDepartment {
  fiscalYear: number;
  amountUnit: '万元' | '元';
  departmentName: string;
  /** False while the department table has never been saved (the indicators shown are the template's). */
  saved: boolean;
  dutyGoal: string;
  tasks: { name: string; content: string }[];
  indicators: WizardIndicator[];
  /** 预算情况: computed from the lines, never edited here. */
  budget: WizardBudgetRow[];
  template: WizardTemplate | null;
  templates: WizardTemplateInfo[];
  findings: WizardFinding[];
  choices: WizardChoices;
  preview: TableView;
}

export interface WizardOutputs {
  'wizard.list': WizardList;
  'wizard.project': WizardProject;
  'wizard.saveBasics': WizardProject;
  'wizard.saveDetails': WizardProject;
  'wizard.saveGoals': WizardProject;
  'wizard.saveIndicators': WizardProject;
  'wizard.visit': WizardProject;
  'wizard.setTemplate': WizardProject;
  'wizard.setDepartmentTemplate': WizardDepartment;
  'wizard.suggest': WizardSuggestion[];
  'wizard.readTarget': ReadTargetResult;
  'wizard.complete': WizardProject;
  'wizard.deleteProject': WizardList;
  'wizard.department': WizardDepartment;
  'wizard.saveDepartment': WizardDepartment;
}

export type WizardMethod = keyof typeof WIZARD_API;
