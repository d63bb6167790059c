// The preload of the (sandboxed, context-isolated) page. A sandboxed preload runs as a plain CommonJS script
// that can require nothing but 'electron' and a few Node built-ins, hence this file is .cts and self-contained:
// the method names are listed here, and a unit test holds them equal to api/contract.ts.
// The page gets named functions only, never ipcRenderer: window.budgetApi[method](input) → ApiResponse,
// and window.budgetShell.onCommand(listener) for what the menus ask of the page.
import { contextBridge, ipcRenderer } from 'electron';

export const API_METHODS = [
  'budget.info',
  'budget.create',
  'budget.open',
  'budget.recent',
  'budget.saveAs',
  'backups.list',
  'backups.restore',
  'exchange.import',
  'exchange.export',
  'lines.list',
  'lines.page',
  'lines.update',
  'lines.updateMany',
  'lines.add',
  'lines.duplicate',
  'lines.delete',
  'lines.paste',
  'edit.undo',
  'edit.redo',
  'codes.search',
  'codes.import',
  'projects.list',
  'projects.library',
  'projects.blank',
  'projects.save',
  'projects.delete',
  'formats.list',
  'formats.choose',
  'formats.import',
  'reports.tables',
  'reports.linesBehind',
  'audit.run',
  'wizard.list',
  'wizard.project',
  'wizard.saveBasics',
  'wizard.saveDetails',
  'wizard.saveGoals',
  'wizard.saveIndicators',
  'wizard.visit',
  'wizard.setTemplate',
  'wizard.setDepartmentTemplate',
  'wizard.suggest',
  'wizard.readTarget',
  'wizard.complete',
  'wizard.deleteProject',
  'wizard.department',
  'wizard.saveDepartment',
  'submission.status',
  'submission.prepare',
  'submission.saveNotes',
  'submission.export',
  'submission.exportProgress',
  'submission.unlock',
  'submission.diff',
  'submission.choose',
  'submission.inspect',
  'submission.receive',
  'submission.discard',
  'submission.tables',
  'submission.linesTemplate',
  'submission.tableFile',
  'submission.importLines',
  'document.view',
  'document.saveTexts',
  'document.savePrior',
  'document.importPrior',
  'document.priorFunctional',
  'document.file',
  'params.view',
  'params.ceilings',
  'params.inspect',
  'params.import',
  'params.setRule',
  'params.saveReasons',
  'reports.index',
  'reports.window',
  'reports.find',
  'audit.groups',
  'audit.places',
] as const;

/** Channel of one API method; the main process registers exactly these (electron/ipc.ts). */
export function apiChannel(method: string): string {
  return `api:${method}`;
}

/** Main → page: what a menu item asks the page to do. */
export const SHELL_COMMAND_CHANNEL = 'shell:command';

/**
 * What the menus ask of the page. The page owns the grid, so it decides what 撤销/重做 mean (an open cell
 * editor undoes its own typing; otherwise edit.undo / edit.redo). 新建预算 carries the file chosen in the
 * save dialog for budget.create({ path, … }). 导入科目代码表 opens the page's dialog (it asks for the kind and
 * the file, calls codes.import and shows every problem). After open, import and save-as the main process
 * reloads the page.
 * A page that handles Ctrl+Z / Ctrl+Y itself calls preventDefault(), so the menu accelerator does not fire too.
 */
export type ShellCommand =
  | { command: 'undo' }
  | { command: 'redo' }
  | { command: 'new-budget'; path: string }
  | { command: 'import-code-list' };

export interface BudgetShell {
  readonly host: 'electron';
  /** Returns a function that removes the listener. */
  onCommand(listener: (command: ShellCommand) => void): () => void;
}

type Invoke = (channel: string, input: unknown) => Promise<unknown>;
type Subscribe = (channel: string, handler: (event: unknown, payload: unknown) => void) => () => void;

export function buildBudgetApi(invoke: Invoke): Readonly<Record<string, (input?: unknown) => Promise<unknown>>> {
  const api: Record<string, (input?: unknown) => Promise<unknown>> = {};
  for (const method of API_METHODS) api[method] = (input?: unknown) => invoke(apiChannel(method), input);
  return Object.freeze(api);
}

export function buildBudgetShell(subscribe: Subscribe): BudgetShell {
  return Object.freeze({
    host: 'electron' as const,
    // The IPC event (whose sender is ipcRenderer itself) never reaches the page: only the payload does.
    onCommand: (listener: (command: ShellCommand) => void) =>
      subscribe(SHELL_COMMAND_CHANNEL, (_event, payload) => listener(payload as ShellCommand)),
  });
}

contextBridge.exposeInMainWorld(
  'budgetApi',
  buildBudgetApi((channel, input) => ipcRenderer.invoke(channel, input)),
);
contextBridge.exposeInMainWorld(
  'budgetShell',
  buildBudgetShell((channel, handler) => {
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  }),
);
