// The 绩效目标 wizard's handlers: each project's 项目支出绩效目标表 (T11) step by step, and the department's
// overall table (T10). The session hands in the open budget and the hooks that keep its in-memory budget, the
// table engine and the audit in step after a write (wizardSession below); the parts live in api/areas/wizard/.
//
// Drafts: every step is written to the budget file as soon as it is saved (the project itself is the draft);
// the wizard's own state per project — position, chosen template, project types, 完成 — is one JSON value in
// the file's meta table, so it travels with the budget file and needs no schema change.
import { LIBRARY, standardRows, suggestions, templateById, type TemplateScope } from '../../core/indicators.js';
import { PROJECT_CATEGORY_LABELS, type DepartmentPerformance, type Project } from '../../core/model.js';
import { toExactString } from '../../core/money.js';
import { readTarget, type TargetContext } from '../../core/targets.js';
import type { ApiParsedInput } from '../contract.js';
import { ApiRefusal } from '../errors.js';
import { DETAIL_FIELDS, GOAL_FIELDS, type ReadTargetResult, type WizardDepartment, type WizardList, type WizardProject, type WizardProjectSummary, type WizardStep, type WizardSuggestion } from '../wizard.js';
import { type ProjectDraftState, type WizardSession, draftOf, isStep, readMeta, writeMeta } from './wizard/state.js';
import { departmentTemplate, projectTemplate } from './wizard/templates.js';
import { TARGET_ERROR_CODES, severityOf, targetView, type SeverityOf } from './wizard/targets.js';
import { STATUS_LABELS, departmentFindings, projectFindings, statusOf, stepStates } from './wizard/findings.js';
import { departmentView, projectView } from './wizard/views.js';
import { indicatorRules, readBasics, readIndicators, refuse, storeRefusal, textValue } from './wizard/input.js';
import { defineAreaOver } from '../handlers.js';
import type { Session } from '../session.js';

/** The open budget for the wizard, with the hooks that keep this session in step after it writes. */
function wizardSession(s: Session): WizardSession {
  const { store, budget, book, engine } = s.requireBudget();
  const replaceProject = (code: string, next: Project | null) => {
    const i = budget.projects.findIndex((p) => p.code === code);
    if (next && i >= 0) budget.projects[i] = next;
    else if (next) budget.projects.push(next);
    else if (i >= 0) budget.projects.splice(i, 1);
  };
  return {
    store,
    budget,
    book,
    // The session's engine at each read: a renamed project reloads the session (and its engine) mid-request.
    get engine() {
      return s.requireBudget().engine;
    },
    lines: () => [...s.lines.values()].sort((a, b) => a.id - b.id),
    projectSaved: (before: Project | null, after: Project) => {
      // A new code was carried to the project's lines in the file (ON UPDATE CASCADE): re-read everything.
      if (before && before.code !== after.code) return s.load();
      replaceProject(after.code, after);
      engine.updateProject(after);
      s.budgetPartsChanged();
    },
    projectRemoved: (project: Project) => {
      replaceProject(project.code, null);
      engine.removeProject(project.code);
      s.budgetPartsChanged();
    },
    departmentSaved: (performance: DepartmentPerformance | null) => {
      budget.departmentPerformance = performance;
      engine.setDepartmentPerformance(performance);
      s.budgetPartsChanged();
    },
    ...(s.auditConfig ? { config: s.auditConfig } : {}),
  };
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
      linesAmount: toExactString(s.engine.projectLineSum(p.code).amount, unit),
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

function readTargetText(input: ApiParsedInput<'wizard.readTarget'>, severity: SeverityOf): ReadTargetResult {
  const context: TargetContext = {};
  if (input.level1 !== undefined) context.level1 = input.level1;
  if (input.level2 !== undefined) context.level2 = input.level2;
  if (input.name !== undefined) context.name = input.name;
  const view = targetView(input.text, context, severity);
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

/** The wizard's methods, registered over the wizard's view of the session. */
export const wizardArea = defineAreaOver('wizard', wizardSession, {
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
  'wizard.readTarget': (s: WizardSession, input: ApiParsedInput<'wizard.readTarget'>) => readTargetText(input, severityOf(s.config)),
  'wizard.complete': complete,
  'wizard.deleteProject': deleteProject,
  'wizard.department': (s: WizardSession) => departmentView(s, readMeta(s.store)),
  'wizard.saveDepartment': saveDepartment,
});
