// 项目库: the budget's projects with their master data, to add, edit and delete apart from the 绩效 wizard (the
// wizard's texts and indicators stay as they are). Every save and delete is one user action (Session.act): the
// project, a line that takes it, and the undo step in one transaction (api/project-undo.ts). A project that
// lines or 政府采购 use is not deleted: the refusal says how many and where.
import { standardRows } from '../../core/indicators.js';
import { PROJECT_CATEGORY_LABELS, type Project } from '../../core/model.js';
import { toExactString } from '../../core/money.js';
import { projectUsage } from '../../db/projects.js';
import type { ApiOutputs, ApiParsedInput } from '../contract.js';
import { ApiRefusal } from '../errors.js';
import { defineArea } from '../handlers.js';
import { sameProject, type ProjectChange } from '../project-undo.js';
import type { ProjectChoices, ProjectRecord } from '../projects.js';
import { lineFields, sameLine, type Session } from '../session.js';
import type { LineChange } from '../undo-stack.js';
import type { BasicsValues } from '../wizard.js';
import { readBasics, refuse } from './wizard/input.js';
import { draftOf, readMeta, writeMeta } from './wizard/state.js';
import { projectTemplate } from './wizard/templates.js';
import { basicsOf, nextProjectCode } from './wizard/views.js';

const CATEGORIES = (Object.keys(PROJECT_CATEGORY_LABELS) as ('general' | 'special')[]).map((code) => ({ code, label: PROJECT_CATEGORY_LABELS[code] }));

function choices(s: Session): ProjectChoices {
  const { budget } = s.requireBudget();
  const usages = new Set<string>();
  for (const p of budget.projects) if (p.usage?.trim()) usages.add(p.usage.trim());
  return {
    fiscalYear: budget.fiscalYear,
    amountUnit: budget.amountUnit,
    units: budget.units.map((u) => ({ code: u.code, name: u.name })),
    categories: CATEGORIES,
    usages: [...usages].sort(),
  };
}

/** A project's master data as the form shows it (amounts in the budget's unit, '' when not filled). */
const valuesOf = (s: Session, p: Project): BasicsValues => basicsOf(p, s.unit);

function recordsOf(s: Session, projects: readonly Project[]): ProjectRecord[] {
  const { budget, book, engine } = s.requireBudget();
  const unitNames = new Map(budget.units.map((u) => [u.code, u.name]));
  return projects.map((p) => {
    // The engine's per-project count and sum, kept line by line.
    const lines = engine.projectLineSum(p.code);
    return {
      ...valuesOf(s, p),
      unitName: unitNames.get(p.unit) ?? '',
      categoryLabel: PROJECT_CATEGORY_LABELS[p.category],
      functionalName: p.functional ? book.functional.name(p.functional) : '',
      lineCount: lines.count,
      linesAmount: toExactString(lines.amount, budget.amountUnit),
      indicatorCount: p.indicators.length,
    };
  });
}

function requireProject(s: Session, code: string): Project {
  const p = s.requireBudget().budget.projects.find((x) => x.code === code);
  if (!p) throw new ApiRefusal(`项目“${code}”不存在（可能已被删除）`);
  return p;
}

/** Text typed in the grid's 项目 cell: a code when it looks like one (letters, digits, - _ .), else a name. */
function looksLikeCode(text: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(text) && /\d/.test(text);
}

function blank(s: Session, input: ApiParsedInput<'projects.blank'>): ApiOutputs['projects.blank'] {
  const { budget, book } = s.requireBudget();
  const year = budget.fiscalYear;
  const line = input.line === undefined ? undefined : s.lines.get(input.line);
  if (input.line !== undefined && !line) throw new ApiRefusal(`预算行 #${input.line} 不存在（可能已被删除）`);
  const text = (input.text ?? '').normalize('NFKC').trim();
  const code = looksLikeCode(text) && !budget.projects.some((p) => p.code === text) ? text : nextProjectCode(budget.projects.map((p) => p.code));
  const functional = line?.functional ?? '';
  return {
    ...choices(s),
    values: {
      code,
      name: looksLikeCode(text) ? '' : text,
      unit: line?.unit ?? budget.units[0]?.code ?? '',
      category: 'general',
      functional,
      usage: '',
      leader: '',
      contact: '',
      phone: '',
      start: `${year}-01-01`,
      end: `${year}-12-31`,
      totalAmount: '',
      // The line's amount is the project's first 本年度金额: the 审核 compares the two.
      yearAmount: line ? s.money(line.amount) : '0',
      priorTotalAmount: '',
      priorYearAmount: '',
    },
    functionalName: functional ? book.functional.name(functional) : '',
  };
}

function save(s: Session, input: ApiParsedInput<'projects.save'>): ApiOutputs['projects.save'] {
  const { budget, book, store } = s.requireBudget();
  const before = input.code === null ? null : requireProject(s, input.code);
  const line = input.assignLine === undefined ? undefined : s.lines.get(input.assignLine);
  if (input.assignLine !== undefined && !line) throw new ApiRefusal(`预算行 #${input.assignLine} 不存在（可能已被删除），项目未保存`);
  const { project, issues } = readBasics({ budget, book }, input.values, before);
  if (issues.length) refuse('项目信息有误，未保存', issues);
  if (!before) {
    // A new project's 绩效目标表 starts with its tree's standard rows, as one begun in the wizard does.
    const resolved = projectTemplate({ budget }, null, readMeta(store));
    project.indicators = resolved ? standardRows(resolved.template) : [];
  }
  const renamed = before !== null && before.code !== project.code;
  let after: Project | null = null;
  let changed = false;
  const changes = s.act((st) => {
    after = st.upsertProject(project, before?.code ?? project.code).after;
    const lineChanges: LineChange[] = [];
    if (line) {
      // The line takes the project (a project line now), and the project's 功能分类 when it has none.
      const fields = { ...lineFields(line), kind: 'project' as const, project: after.code };
      if (fields.functional === '' && after.functional) fields.functional = after.functional;
      const r = st.updateLine(line.id, fields);
      if (!sameLine(r.before, r.after)) lineChanges.push(r);
    }
    if (before && sameProject(before, after) && lineChanges.length === 0) return null;
    const change: ProjectChange = { before, after };
    if (renamed && before) {
      // The wizard's state (position, template, 完成) goes with the new code.
      const meta = readMeta(st);
      const draft = meta.projects[before.code];
      if (draft) {
        meta.projects[after.code] = draft;
        delete meta.projects[before.code];
        writeMeta(st, meta);
      }
      change.drafts = { before: draft ?? null, after: draft ?? null };
    }
    changed = true;
    const label = !before ? `新建项目 ${after.code}` : renamed ? `修改项目 ${before.code} → ${after.code}` : `修改项目 ${after.code}`;
    return { label: line ? `${label}并用于预算行` : label, changes: lineChanges, projects: [change] };
  });
  const saved = after as Project | null;
  if (!saved) throw new Error('projects.save: the store returned no project');
  const [record] = recordsOf(s, [s.requireBudget().budget.projects.find((p) => p.code === saved.code) ?? saved]);
  const what = `${saved.code}“${saved.name}”`;
  const message = !changed
    ? `项目 ${what}没有改动`
    : !before
    ? line
      ? `已新建项目 ${what}，并用于所选预算行（可撤销）`
      : `已新建项目 ${what}（可撤销）`
    : renamed
      ? `已修改项目 ${what}，其 ${record!.lineCount} 条预算行随之改用新编码（可撤销）`
      : `已修改项目 ${what}（可撤销）`;
  return { project: record!, changes, message };
}

/** Where a project's lines are, for the refusal of its delete: "101 某局 2 条、102 某中心 1 条". */
function usageText(s: Session, code: string): { lines: number; procurement: number; text: string } {
  const { store, book } = s.requireBudget();
  const usage = projectUsage(store, code);
  const units = usage.byUnit.map((u) => `${u.unit}${u.name ? ` ${u.name}` : ''} ${u.lines} 条`).join('、');
  const shown = usage.functional.slice(0, 3).map((f) => `${f} ${book.functional.name(f)}`.trim());
  const functional = shown.length ? `，功能分类 ${shown.join('、')}${usage.functional.length > shown.length ? ` 等 ${usage.functional.length} 个` : ''}` : '';
  return { lines: usage.lines, procurement: usage.procurement, text: usage.lines ? `（${units}${functional}）` : '' };
}

function remove(s: Session, input: ApiParsedInput<'projects.delete'>): ApiOutputs['projects.delete'] {
  const project = requireProject(s, input.code);
  const what = `${project.code}“${project.name}”`;
  const usage = usageText(s, project.code);
  if (usage.lines + usage.procurement > 0) {
    const parts = [usage.lines ? `${usage.lines} 条预算行${usage.text}` : '', usage.procurement ? `${usage.procurement} 条政府采购` : ''].filter((x) => x !== '');
    throw new ApiRefusal(
      `项目 ${what}仍被 ${parts.join('和 ')}使用，不能删除（预算未作改动）。请先在「预算明细」中把这些行改挂其他项目或删除，再删除项目`,
    );
  }
  const changes = s.act((store) => {
    const removed = store.deleteProject(project.code);
    const meta = readMeta(store);
    const draft = meta.projects[project.code] ? draftOf(meta, project.code) : null;
    if (draft) {
      delete meta.projects[project.code];
      writeMeta(store, meta);
    }
    return { label: `删除项目 ${project.code}`, changes: [], projects: [{ before: removed, after: null, drafts: { before: draft, after: null } }] };
  });
  return { changes, message: `已删除项目 ${what}（可撤销）` };
}

export const projectsArea = defineArea('projects', {
  'projects.library': (s): ApiOutputs['projects.library'] => {
    const { budget } = s.requireBudget();
    return { ...choices(s), projects: recordsOf(s, budget.projects), nextCode: nextProjectCode(budget.projects.map((p) => p.code)) };
  },
  'projects.blank': blank,
  'projects.save': save,
  'projects.delete': remove,
});
