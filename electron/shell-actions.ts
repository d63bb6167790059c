// What the 文件 / 编辑 / 帮助 menu items do: ask for a file, call the API (the same contract the page uses),
// report a refusal in the user's words, and reload the page when another budget is open. Electron's dialogs
// and window come in as functions, so this runs under test without Electron.
import { dirname, join, resolve } from 'node:path';
import type { ApiError, ApiInput, ApiMethod, ApiOutputs, ApiResponse } from '../api/contract.js';
import type { FileDialogKind } from './dialogs.js';
import { EXCHANGE_FILE_EXTENSION, siblingName } from './dialogs.js';
import type { ApiCaller } from './ipc.js';
import type { MenuActions } from './menu.js';
import { BUDGET_FILE_EXTENSION } from './paths.js';
import type { ShellCommand } from './preload.cjs';

export interface ShellDeps {
  call: ApiCaller;
  /** Shows the dialog of `kind`; the chosen path (with its extension), or null when cancelled. */
  chooseFile(kind: FileDialogKind, suggested?: string): Promise<string | null>;
  /** True when the user agrees. */
  confirm(message: string, detail: string): Promise<boolean>;
  showError(title: string, message: string): void;
  showInfo(message: string, detail?: string): void;
  sendCommand(command: ShellCommand): void;
  /** The page starts afresh on the budget now open. */
  reloadPage(): void;
  showAbout(): void;
  /** Where new budgets are suggested (the user's 文档/部门预算 folder). */
  budgetsFolder: string;
}

async function request<M extends ApiMethod>(
  call: ApiCaller,
  method: M,
  input: ApiInput<M>,
): Promise<{ result: ApiOutputs[M] } | { error: ApiError }> {
  return (await call(method, input)) as ApiResponse<M>;
}

export type ShellActions = MenuActions & { openPath(path: string): Promise<void> };

export function createShellActions(deps: ShellDeps): ShellActions {
  const { call } = deps;

  async function currentPath(): Promise<string | null> {
    const info = await request(call, 'budget.info', {});
    return 'result' in info && info.result.open ? info.result.path : null;
  }

  async function openPath(path: string): Promise<void> {
    const current = await currentPath();
    if (current && resolve(current) === resolve(path)) return;
    const opened = await request(call, 'budget.open', { path });
    if ('error' in opened) return deps.showError('无法打开预算', opened.error.message);
    deps.reloadPage();
  }

  async function newBudget(): Promise<void> {
    const path = await deps.chooseFile('new-budget', join(deps.budgetsFolder, `新建预算.${BUDGET_FILE_EXTENSION}`));
    if (path) deps.sendCommand({ command: 'new-budget', path });
  }

  async function openBudget(): Promise<void> {
    const current = await currentPath();
    const path = await deps.chooseFile('open-budget', current ? dirname(current) : deps.budgetsFolder);
    if (path) await openPath(path);
  }

  async function importExchange(): Promise<void> {
    const path = await deps.chooseFile('import-exchange');
    if (!path) return;
    const agreed = await deps.confirm('导入交换文件将替换当前预算的全部内容。', '要继续导入吗？');
    if (!agreed) return;
    const imported = await request(call, 'exchange.import', { path });
    if ('error' in imported) return deps.showError('导入失败', imported.error.message);
    deps.reloadPage();
  }

  async function exportExchange(): Promise<void> {
    const current = await currentPath();
    if (!current) return deps.showError('无法导出', '当前没有打开的预算。');
    const path = await deps.chooseFile('export-exchange', siblingName(current, '', EXCHANGE_FILE_EXTENSION));
    if (!path) return;
    const exported = await request(call, 'exchange.export', { path });
    if ('error' in exported) return deps.showError('导出失败', exported.error.message);
    deps.showInfo('交换文件已导出。', exported.result.path ?? path);
  }

  /**
   * 另存为: a copy of the whole budget file (SQLite backup: lines, code lists, undo history, wizard state),
   * which is then the one open, as in any editor. The system dialog has asked before replacing a file. On a
   * refusal the original stays open and unchanged.
   */
  async function saveBudgetAs(): Promise<void> {
    const infoResponse = await request(call, 'budget.info', {});
    if ('error' in infoResponse) return deps.showError('无法另存为', infoResponse.error.message);
    const info = infoResponse.result;
    if (!info.open || !info.path) return deps.showError('无法另存为', '当前没有打开的预算。');
    const original = info.path;
    const target = await deps.chooseFile('save-budget-as', siblingName(original, '（副本）', BUDGET_FILE_EXTENSION));
    if (!target) return;
    if (resolve(target) === resolve(original)) return deps.showInfo('预算已保存。', '每次修改都会立即写入文件，无需另行保存。');
    const saved = await request(call, 'budget.saveAs', { path: resolve(target), overwrite: true });
    if ('error' in saved) return deps.showError('另存为失败', saved.error.message);
    deps.reloadPage();
  }

  // The promise is for whoever wants to know when the action is over (tests); a menu ignores it.
  const run = (action: () => Promise<void>) => (): Promise<void> =>
    action().catch((err: unknown) => deps.showError('操作失败', err instanceof Error ? err.message : String(err)));

  return {
    newBudget: run(newBudget),
    openBudget: run(openBudget),
    openRecent: (path) => run(() => openPath(path))(),
    saveBudgetAs: run(saveBudgetAs),
    importExchange: run(importExchange),
    exportExchange: run(exportExchange),
    // The page asks for the kind and the file, and shows what was loaded or every problem.
    importCodeList: () => deps.sendCommand({ command: 'import-code-list' }),
    undo: () => deps.sendCommand({ command: 'undo' }),
    redo: () => deps.sendCommand({ command: 'redo' }),
    about: () => deps.showAbout(),
    openPath,
  };
}
