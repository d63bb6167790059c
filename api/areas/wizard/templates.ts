// The indicator templates the wizard offers for a project or the department, and the one chosen.
import { TEMPLATES, skeleton, templateFor, templateForDepartment, templateForProject, type IndicatorTemplate, type TemplateChoice, type TemplateReason, type TemplateScope } from '../../../core/indicators.js';
import type { Indicator, Project } from '../../../core/model.js';
import type { WizardTemplate, WizardTemplateInfo } from '../../wizard.js';
import { type WizardMeta, type WizardSession, draftOf } from './state.js';
import { targetView } from './targets.js';

// ---- templates ----------------------------------------------------------------------------------------

export const pairKey = (level1: string, level2: string): string => `${level1}\u0000${level2}`;

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

export function templatesFor(scope: TemplateScope, year: number): WizardTemplateInfo[] {
  return TEMPLATES.filter((t) => t.scope === scope)
    .map((t) => templateInfo(t, year))
    .sort((a, b) => Number(b.appliesToYear) - Number(a.appliesToYear));
}

interface ResolvedTemplate {
  template: IndicatorTemplate;
  chosen: boolean;
  reason: string;
}

export function resolved(choice: TemplateChoice | null, year: number, scope: TemplateScope): ResolvedTemplate | null {
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
export function projectTemplate(s: Pick<WizardSession, 'budget'>, project: Project | null, meta: WizardMeta): ResolvedTemplate | null {
  const chosen = project ? draftOf(meta, project.code).template : undefined;
  return resolved(templateForProject(s.budget, project, { chosen }), s.budget.fiscalYear, 'project');
}

export function departmentTemplate(s: WizardSession, meta: WizardMeta, indicators: readonly Indicator[]): ResolvedTemplate | null {
  const choice = templateForDepartment(s.budget, { chosen: meta.department.template, indicators });
  return resolved(choice, s.budget.fiscalYear, 'department');
}

export function templateView(r: ResolvedTemplate | null, year: number): WizardTemplate | null {
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
