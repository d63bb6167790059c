// Lines: the grid's rows, one-field edits, new and copied lines, deletes and pasted blocks. Every change is
// one user action (Session.act): written with its undo step in one transaction, answered with a ChangeSet.
import { lineProblems, type LineFields } from '../../core/validate.js';
import type { Budget, BudgetLine, Project } from '../../core/model.js';
import { StoreError } from '../../db/store.js';
import { LINE_FIELDS, LINE_FIELD_LABELS, type ApiOutputs, type ApiParsedInput, type LineField } from '../contract.js';
import type { ChangeSet, Subtotal } from '../views.js';
import { ApiRefusal } from '../errors.js';
import { defineArea } from '../handlers.js';
import { readField, type FieldValue, type Read } from '../line-input.js';
import { compareLines, lineFields, sameLine, type Session } from '../session.js';
import type { LineChange } from '../undo-stack.js';

/** Applies read field values to a line's fields, with the couplings a user expects between kind and project. */
function patched(base: LineFields, values: FieldValue[]): { fields: LineFields; problem?: string } {
  const next: LineFields = { ...base };
  let setKind = false;
  let setProject = false;
  for (const v of values) {
    switch (v.field) {
      case 'amount':
        next.amount = v.value;
        break;
      case 'kind':
        next.kind = v.value;
        setKind = true;
        break;
      case 'project':
        next.project = v.value;
        setProject = true;
        break;
      case 'fund':
        next.fund = v.value;
        break;
      case 'remark':
        // The key stays even when cleared: the store merges a patch over the line, so an absent key
        // would keep the old remark.
        next.remark = v.value === '' ? undefined : v.value;
        break;
      default:
        next[v.field] = v.value;
    }
  }
  // Choosing a project makes the line a project line; clearing it makes it basic; making a line basic drops
  // its project. Making a line a project line needs a project.
  if (setProject && !setKind) next.kind = next.project === null ? 'basic' : 'project';
  if (setKind && next.kind === 'basic' && !setProject) next.project = null;
  if (next.kind === 'project' && next.project === null) {
    return { fields: next, problem: '项目支出必须指明所属项目：请在“项目”列选择项目（选择后支出类型自动改为项目支出）' };
  }
  return { fields: next };
}

/**
 * The 功能分类 a line takes from its project when it has none of its own: `values` give it a project and no
 * 功能分类 (a new line, a pasted row without one, a cleared cell), and the project has one.
 */
function functionalFromProject(values: readonly FieldValue[], projects: readonly Project[]): string | undefined {
  if (values.some((v) => v.field === 'functional' && v.value !== '')) return undefined;
  const given = values.find((v) => v.field === 'project');
  const code = given?.field === 'project' ? given.value : null;
  return code === null ? undefined : projects.find((p) => p.code === code)?.functional;
}

/**
 * Reads a field typed into an existing line. A cleared 功能分类 of a project line takes the project's (refused
 * as empty otherwise).
 */
function readLineField(s: Session, line: BudgetLine, field: LineField, text: string, unit: ApiParsedInput<'lines.update'>['unit']): Read<FieldValue> {
  if (field === 'functional' && text.trim() === '' && line.project !== null) {
    const functional = s.requireBudget().budget.projects.find((p) => p.code === line.project)?.functional;
    if (functional) return { ok: true, value: { field: 'functional', value: functional } };
  }
  return readField(field, text, s.inputContext(unit));
}

/** A first line for an empty budget: the first unit, the first 项 and 款 of the year's lists. */
function defaultLine(s: Session, budget: Budget): LineFields {
  const book = s.book!;
  const unit = budget.units[0];
  const functional = book.functional.entries().find((e) => e.level === '项');
  const economic = book.economic.entries().find((e) => e.level === '款');
  if (!unit || !functional || !economic) throw new ApiRefusal('无法新增行：预算中没有单位，或科目表为空');
  return { unit: unit.code, functional: functional.code, economic: economic.code, kind: 'basic', project: null, fund: 'gpb.appropriation', amount: 0n };
}

/** A pasted block may start with the header row copied from the grid; it is not data. */
function dropHeaderRow(rows: string[][], startColumn: number): { cells: string[]; row: number }[] {
  const numbered = rows.map((cells, i) => ({ cells, row: i + 1 }));
  const first = rows[0];
  if (!first) return numbered;
  const isHeader = first.every((c, i) => {
    const field = LINE_FIELDS[startColumn + i];
    return field !== undefined && c.replace(/（.*）|\(.*\)/g, '').trim() === LINE_FIELD_LABELS[field];
  });
  return isHeader ? numbered.slice(1) : numbered;
}


/** A page of the lines in the grid's order, with the subtotals and totals. */
function page(s: Session, input: ApiParsedInput<'lines.page'>): ApiOutputs['lines.page'] {
  const { engine } = s.requireBudget();
  const ordered = (s.ordered ??= [...s.lines.values()].sort(compareLines));
  const lines = ordered.slice(input.offset, input.offset + input.limit);
  const subtotals: Subtotal[] = [];
  for (const [code, amount] of engine.functionalSubtotals()) subtotals.push(s.subtotal(code, amount));
  subtotals.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return {
    amountUnit: s.unit,
    offset: input.offset,
    lineCount: ordered.length,
    lines: lines.map((l) => s.row(l)),
    names: s.names(lines),
    subtotals,
    totals: s.totals(),
  };
}

export const linesArea = defineArea('lines', {
  'lines.page': page,
  'lines.list': (s): ApiOutputs['lines.list'] => {
    const { offset: _offset, lineCount: _count, ...list } = page(s, { offset: 0, limit: Number.MAX_SAFE_INTEGER });
    return list;
  },

  'lines.update': (s, input: ApiParsedInput<'lines.update'>): ChangeSet => {
    s.requireBudget();
    const line = s.lines.get(input.id);
    if (!line) throw new ApiRefusal(`预算行 #${input.id} 不存在（可能已被删除）`);
    // Delete in a spreadsheet clears an amount to zero.
    const text = input.field === 'amount' && input.value.trim() === '' ? '0' : input.value;
    const read = readLineField(s, line, input.field, text, input.unit);
    if (!read.ok) throw new ApiRefusal(`${LINE_FIELD_LABELS[input.field]}：${read.reason}`);
    const { fields, problem } = patched(lineFields(line), [read.value]);
    if (problem) throw new ApiRefusal(problem);
    return s.act((store) => {
      const result = store.updateLine(line.id, fields);
      return sameLine(result.before, result.after) ? null : { label: `修改${LINE_FIELD_LABELS[input.field]}`, changes: [result] };
    });
  },

  /** 批量修改: one field of several lines set to one value, all or nothing, one undo step. */
  'lines.updateMany': (s, input: ApiParsedInput<'lines.updateMany'>): ChangeSet => {
    s.requireBudget();
    const lines = [...new Set(input.ids)].map((id) => {
      const l = s.lines.get(id);
      if (!l) throw new ApiRefusal(`预算行 #${id} 不存在（可能已被删除）`);
      return l;
    });
    const label = LINE_FIELD_LABELS[input.field];
    const text = input.field === 'amount' && input.value.trim() === '' ? '0' : input.value;
    // A cleared 功能分类 is read per line (each takes its project's); anything else reads the same for all.
    const perLine = input.field === 'functional' && text.trim() === '';
    const shared = perLine ? null : readField(input.field, text, s.inputContext(input.unit));
    const edits = lines.map((l, i) => {
      const read = shared ?? readLineField(s, l, input.field, text, input.unit);
      if (!read.ok) throw new ApiRefusal(`${label}：${read.reason}`);
      const { fields, problem } = patched(lineFields(l), [read.value]);
      if (problem) throw new ApiRefusal(`所选第 ${i + 1} 行不能这样修改（${problem}），所有行均未修改`);
      return { id: l.id, fields };
    });
    return s.act((store) => {
      const changes = edits.map((e) => store.updateLine(e.id, e.fields)).filter((r) => !sameLine(r.before, r.after));
      return changes.length ? { label: `批量修改${label}（${changes.length} 行）`, changes } : null;
    });
  },

  'lines.add': (s, input: ApiParsedInput<'lines.add'>): ChangeSet => {
    const { budget } = s.requireBudget();
    const like = input.like !== undefined ? s.lines.get(input.like) : undefined;
    if (input.like !== undefined && !like) throw new ApiRefusal(`预算行 #${input.like} 不存在（可能已被删除）`);
    const template = like ?? [...s.lines.values()].sort(compareLines).at(-1);
    const base: LineFields = template
      ? { ...lineFields(template), amount: 0n, assumed: false }
      : defaultLine(s, budget);
    delete base.remark;
    base.assumed = false;
    const values: FieldValue[] = [];
    const ctx = s.inputContext();
    for (const [field, text] of Object.entries(input.values ?? {}) as [LineField, string][]) {
      const read = readField(field, text, ctx);
      if (!read.ok) throw new ApiRefusal(`${LINE_FIELD_LABELS[field]}：${read.reason}`);
      values.push(read.value);
    }
    // A new line for a project is booked on the project's 功能分类 unless one is given.
    const fromProject = functionalFromProject(values, budget.projects);
    if (fromProject) values.push({ field: 'functional', value: fromProject });
    const { fields, problem } = patched(base, values);
    if (problem) throw new ApiRefusal(problem);
    return s.act((store) => ({ label: '新增行', changes: [{ before: null, after: store.insertLine(fields) }] }));
  },

  'lines.duplicate': (s, input: ApiParsedInput<'lines.duplicate'>): ChangeSet => {
    s.requireBudget();
    const sources = input.ids.map((id) => {
      const l = s.lines.get(id);
      if (!l) throw new ApiRefusal(`预算行 #${id} 不存在（可能已被删除）`);
      return l;
    });
    return s.act((store) => ({
      label: sources.length > 1 ? `复制 ${sources.length} 行` : '复制行',
      changes: sources.map((l) => ({ before: null, after: store.insertLine(lineFields(l)) })),
    }));
  },

  'lines.delete': (s, input: ApiParsedInput<'lines.delete'>): ChangeSet => {
    s.requireBudget();
    const ids = [...new Set(input.ids)];
    for (const id of ids) if (!s.lines.has(id)) throw new ApiRefusal(`预算行 #${id} 不存在（可能已被删除）`);
    return s.act((store) => ({
      label: ids.length > 1 ? `删除 ${ids.length} 行` : '删除行',
      changes: ids.map((id) => ({ before: store.deleteLine(id), after: null })),
    }));
  },

  'lines.paste': (s, input: ApiParsedInput<'lines.paste'>): ApiOutputs['lines.paste'] => {
    s.requireBudget();
    const ctx = s.inputContext(input.unit);
    const startColumn = LINE_FIELDS.indexOf(input.startField);
    const ordered = [...s.lines.values()].sort(compareLines);
    let targetIndex = ordered.length;
    let template: BudgetLine | undefined;
    if (input.startId !== null) {
      targetIndex = ordered.findIndex((l) => l.id === input.startId);
      if (targetIndex < 0) throw new ApiRefusal(`预算行 #${input.startId} 不存在（可能已被删除）`);
      template = ordered[targetIndex];
    }
    const rows = dropHeaderRow(input.rows, startColumn);
    let lineContext: ReturnType<Session['lineContextFor']> | undefined;
    const rejected: { row: number; reason: string }[] = [];
    const changes: LineChange[] = [];
    let added = 0;
    let updated = 0;
    const cs = s.act((store) => {
      rows.forEach(({ cells, row }) => {
        // An empty row keeps its place over an existing line (it changes nothing) and adds nothing.
        if (cells.every((c) => c.trim() === '')) {
          targetIndex++;
          return;
        }
        if (startColumn + cells.length > LINE_FIELDS.length) {
          rejected.push({ row, reason: `有 ${cells.length} 列，从“${LINE_FIELD_LABELS[input.startField]}”列起超出了表格的列数` });
          return;
        }
        const target = ordered[targetIndex++];
        const values: FieldValue[] = [];
        const reasons: string[] = [];
        cells.forEach((cell, i) => {
          const field = LINE_FIELDS[startColumn + i]!;
          // An empty cell keeps what is there (a new line takes it from the line pasted at); an empty amount
          // or remark clears it, as in a spreadsheet.
          if (cell.trim() === '' && field !== 'amount' && field !== 'remark') return;
          const read = readField(field, field === 'amount' && cell.trim() === '' ? '0' : cell, ctx);
          if (read.ok) values.push(read.value);
          else reasons.push(`${LINE_FIELD_LABELS[field]}：${read.reason}`);
        });
        if (reasons.length) {
          rejected.push({ row, reason: reasons.join('；') });
          return;
        }
        // A new line for a project without a 功能分类 of its own is booked on the project's.
        const fromProject = target ? undefined : functionalFromProject(values, ctx.projects);
        if (fromProject) values.push({ field: 'functional', value: fromProject });
        const base = target ?? template;
        if (!base) {
          const missing = (['unit', 'functional', 'economic', 'fund'] as const).filter(
            (f) => !values.some((v) => v.field === f),
          );
          if (missing.length) {
            rejected.push({ row, reason: `新增行缺少${missing.map((f) => LINE_FIELD_LABELS[f]).join('、')}` });
            return;
          }
        }
        const start: LineFields = base
          ? { ...lineFields(base), ...(target ? {} : { amount: 0n, assumed: false }) }
          : { unit: '', functional: '', economic: '', kind: 'basic', project: null, fund: 'gpb.appropriation', amount: 0n };
        if (!target) delete start.remark;
        const { fields, problem } = patched(start, values);
        if (problem) {
          rejected.push({ row, reason: problem });
          return;
        }
        const ctxProblems = target ? [] : lineProblems(fields, (lineContext ??= s.lineContextFor()));
        if (ctxProblems.length) {
          rejected.push({ row, reason: ctxProblems.map((p) => p.message).join('；') });
          return;
        }
        try {
          if (target) {
            const r = store.updateLine(target.id, fields);
            if (!sameLine(r.before, r.after)) {
              changes.push(r);
              updated++;
            }
          } else {
            changes.push({ before: null, after: store.insertLine(fields) });
            added++;
          }
        } catch (err) {
          if (err instanceof StoreError) rejected.push({ row, reason: err.message });
          else throw err;
        }
      });
      return { label: `粘贴 ${added + updated} 行`, changes };
    });
    return { ...cs, addedCount: added, updatedCount: updated, rejected };
  },

});
