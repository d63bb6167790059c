// The file dialogs of the 文件 menu: what each asks, which files it offers, and the path it settles on.
import { basename, dirname, extname, join } from 'node:path';
import type { FileFilter, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { BUDGET_FILE_EXTENSION } from './paths.js';

export const EXCHANGE_FILE_EXTENSION = 'json';

export const BUDGET_FILTER: FileFilter = { name: '部门预算文件', extensions: [BUDGET_FILE_EXTENSION] };
export const EXCHANGE_FILTER: FileFilter = { name: '预算交换文件', extensions: [EXCHANGE_FILE_EXTENSION] };

export type FileDialogKind = 'open-budget' | 'new-budget' | 'save-budget-as' | 'import-exchange' | 'export-exchange';

export type FileDialogSpec =
  | { mode: 'open'; extension: string; options: OpenDialogOptions }
  | { mode: 'save'; extension: string; options: SaveDialogOptions };

interface DialogChoice {
  mode: 'open' | 'save';
  title: string;
  buttonLabel?: string;
  filter: FileFilter;
  /**
   * The system dialog asks before replacing a file: exchange files and 另存为 (budget.saveAs with overwrite)
   * may replace one; budget.create never replaces a budget file, it says so instead.
   */
  confirmOverwrite?: boolean;
}

const DIALOGS: Record<FileDialogKind, DialogChoice> = {
  'open-budget': { mode: 'open', title: '打开预算', filter: BUDGET_FILTER },
  'new-budget': { mode: 'save', title: '新建预算：选择保存位置', buttonLabel: '新建', filter: BUDGET_FILTER },
  'save-budget-as': { mode: 'save', title: '预算另存为', buttonLabel: '保存', filter: BUDGET_FILTER, confirmOverwrite: true },
  'import-exchange': { mode: 'open', title: '导入交换文件', filter: EXCHANGE_FILTER },
  'export-exchange': { mode: 'save', title: '导出交换文件', buttonLabel: '导出', filter: EXCHANGE_FILTER, confirmOverwrite: true },
};

/** `suggested` is a full path (folder + name) or a bare name. */
export function fileDialogSpec(kind: FileDialogKind, suggested?: string): FileDialogSpec {
  const { mode, title, buttonLabel, filter, confirmOverwrite } = DIALOGS[kind];
  const extension = filter.extensions[0]!;
  const common = { title, filters: [filter], ...(buttonLabel ? { buttonLabel } : {}), ...(suggested ? { defaultPath: suggested } : {}) };
  if (mode === 'open') return { mode, extension, options: { ...common, properties: ['openFile'] } };
  const properties: SaveDialogOptions['properties'] = confirmOverwrite ? ['createDirectory', 'showOverwriteConfirmation'] : ['createDirectory'];
  return { mode, extension, options: { ...common, properties } };
}

/** Save dialogs on Linux do not add the filter's extension: add it when the name has none or another one. */
export function withExtension(path: string, extension: string): string {
  return extname(path).toLowerCase() === `.${extension}` ? path : `${path}.${extension}`;
}

/** A suggestion beside `current`: same folder, the name with `suffix` before the extension. */
export function siblingName(current: string, suffix: string, extension: string): string {
  const stem = basename(current, extname(current));
  return join(dirname(current), `${stem}${suffix}.${extension}`);
}
