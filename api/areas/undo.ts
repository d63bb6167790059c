// Undo and redo: the last step of the history replayed backwards or forwards through the same store calls
// as a typed edit, in one transaction, after checking that the file still holds what the step expects.
import type { BudgetLine } from '../../core/model.js';
import { StoreError, sqliteFailure, type BudgetStore } from '../../db/store.js';
import type { ApiOutputs } from '../contract.js';
import { ApiRefusal } from '../errors.js';
import { defineArea } from '../handlers.js';
import { lineFields, sameLine, type Session } from '../session.js';
import { UNDO_META_KEY, emptyStacks, stepsFromJson, stepsToJson, type LineChange } from '../undo-stack.js';
import { adoptDocumentSide, documentHolds, writeDocumentSide } from '../document-undo.js';
import { absorbProjectStep, projectsHold, writeProjectSide } from '../project-undo.js';

/** Writes one change to the store in the given direction; returns what is stored afterwards. */
function replay(store: BudgetStore, from: BudgetLine | null, to: BudgetLine | null): { before: BudgetLine | null; after: BudgetLine | null } {
  if (from && to) {
    // Every field explicitly, optional ones included: the store keeps what a patch leaves out.
    const r = store.updateLine(from.id, { ...lineFields(to), remark: to.remark, assumed: !!to.assumed });
    return { before: r.before, after: r.after };
  }
  if (to) return { before: null, after: store.restoreLine(to) };
  if (from) return { before: store.deleteLine(from.id), after: null };
  return { before: null, after: null };
}

function undoOrRedo(s: Session, direction: 'undo' | 'redo'): ApiOutputs['edit.undo'] {
  const { store } = s.requireBudget();
  const from = direction === 'undo' ? s.stacks.undo : s.stacks.redo;
  const to = direction === 'undo' ? s.stacks.redo : s.stacks.undo;
  const step = from.at(-1);
  if (!step) return { ...s.absorb([]), done: false };
  const order = direction === 'undo' ? [...step.changes].reverse() : step.changes;
  // The step must start from what the file holds now; anything else (the file was changed by another
  // program, or a project code was renamed under the lines) would write history over the wrong data.
  const simulated = new Map<number, BudgetLine | null>();
  for (const c of order) {
    const [expected, next] = direction === 'undo' ? [c.after, c.before] : [c.before, c.after];
    const id = (expected ?? next)!.id;
    const current = simulated.has(id) ? simulated.get(id)! : (s.lines.get(id) ?? null);
    const matches = expected === null ? current === null : current !== null && sameLine(current, expected);
    if (!matches) {
      s.stacks = emptyStacks();
      s.saveStacks();
      throw new ApiRefusal(
        `无法${direction === 'undo' ? '撤销' : '重做'}“${step.label}”：预算数据已在别处被修改，与撤销记录不一致。已清空撤销记录，预算未作任何改动`,
      );
    }
    simulated.set(id, next);
  }
  // A 预算说明 step (texts, 上年数) likewise starts from what the file holds.
  const doc = step.document;
  const [docFrom, docTo] = direction === 'undo' ? (['after', 'before'] as const) : (['before', 'after'] as const);
  if (doc && !documentHolds(s.requireBudget().budget, store, doc, docFrom)) {
    s.stacks = emptyStacks();
    s.saveStacks();
    throw new ApiRefusal(`无法${direction === 'undo' ? '撤销' : '重做'}“${step.label}”：预算说明已在别处被修改，与撤销记录不一致。已清空撤销记录，预算未作任何改动`);
  }
  // A 项目库 step likewise (the project as the step left it; the wizard's later texts may stay).
  const projects = step.projects;
  if (projects && !projectsHold(s.requireBudget().budget, projects, docFrom)) {
    s.stacks = emptyStacks();
    s.saveStacks();
    throw new ApiRefusal(`无法${direction === 'undo' ? '撤销' : '重做'}“${step.label}”：项目已在别处被修改，与撤销记录不一致。已清空撤销记录，预算未作任何改动`);
  }
  let applied: LineChange[];
  try {
    applied = store.transaction(() => {
      // Projects exist before the lines that use them: added first on redo, removed last on undo.
      if (projects && direction === 'redo') for (const c of projects) writeProjectSide(store, c, docTo);
      const out: LineChange[] = order.map((c) =>
        direction === 'undo' ? replay(store, c.after, c.before) : replay(store, c.before, c.after),
      );
      if (projects && direction === 'undo') for (const c of [...projects].reverse()) writeProjectSide(store, c, docTo);
      if (doc) writeDocumentSide(store, doc, docTo);
      from.pop();
      to.push(step);
      store.setMeta(UNDO_META_KEY, stepsToJson(s.stacks));
      return out;
    });
  } catch (err) {
    // The file and the stack are as they were (the transaction rolled back); re-read the stack to be sure.
    s.stacks = stepsFromJson(store.getMeta(UNDO_META_KEY));
    const why = sqliteFailure(err) ?? (err instanceof StoreError ? err : null);
    if (why) throw new ApiRefusal(`无法${direction === 'undo' ? '撤销' : '重做'}“${step.label}”，未作改动：${why.message}`);
    throw err;
  }
  if (doc) {
    const { budget, engine } = s.requireBudget();
    adoptDocumentSide(budget, engine, doc, docTo);
    s.budgetPartsChanged();
  }
  const verb = direction === 'undo' ? '已撤销' : '已重做';
  if (projects?.length) return { ...absorbProjectStep(s, projects, applied, docTo, `${verb}：${step.label}`), done: true };
  return { ...s.absorb(applied, `${verb}：${step.label}`), done: true };
}

export const undoArea = defineArea('undo', {
  'edit.undo': (s) => undoOrRedo(s, 'undo'),
  'edit.redo': (s) => undoOrRedo(s, 'redo'),
});
