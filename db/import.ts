// Replacing a file's budget by an imported one: the same steps whoever imports (the app's 导入交换文件 through
// the API, the command line's `import`), so both leave the file in the same state.
import { WIZARD_STATE_META_KEY } from '../core/indicators.js';
import type { Budget } from '../core/model.js';
import { chooseFormat } from './publication-formats.js';
import type { BudgetStore } from './store.js';

/** The meta key of the app's undo history (api/undo-stack.ts reads and writes it). */
export const UNDO_META_KEY = 'app.undo';
const EMPTY_UNDO = JSON.stringify({ undo: [], redo: [] });
const EMPTY_WIZARD_STATE = JSON.stringify({ projects: {}, department: {} });

/**
 * Puts `budget` (checked already) in place of the file's budget: the budget it replaces is kept in a backup
 * first; then in one transaction (which also brings a file of an older app up to date) the budget is
 * replaced, the undo history and the 绩效目标 wizard's state (positions, choices, 完成) are cleared — they
 * belong to the budget they described — and the publication format is chosen when one is given.
 */
export function importBudget(store: BudgetStore, budget: Budget, options: { formatId?: string } = {}): void {
  if (store.hasBudget()) store.backup('import');
  store.upgradeWith(() => {
    store.replaceBudget(budget);
    store.setMeta(UNDO_META_KEY, EMPTY_UNDO);
    store.setMeta(WIZARD_STATE_META_KEY, EMPTY_WIZARD_STATE);
    if (options.formatId !== undefined) chooseFormat(store, options.formatId);
  });
}
