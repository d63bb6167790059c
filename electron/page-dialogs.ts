// The system dialogs the page asks for through the API (submission.choose): the folder to write a 上报
// package to (a USB stick), a unit's package to receive, and line items as .xlsx. The page cannot open a
// native dialog itself (it is sandboxed), and the browser host has none: there it gets { available: false }.
import type { BrowserWindow, Dialog, FileFilter } from 'electron';
import type { ChooseKind } from '../api/submission.js';
import type { FileChooser } from '../api/areas/submission/state.js';
import { withExtension, type FileDialogSpec } from './dialogs.js';

export const PACKAGE_FILTER: FileFilter = { name: '上报数据包', extensions: ['zip'] };
export const XLSX_FILTER: FileFilter = { name: 'Excel 工作簿', extensions: ['xlsx'] };
export const PDF_FILTER: FileFilter = { name: 'PDF 文件', extensions: ['pdf'] };

/** `suggested`: a folder for package-folder, a full path or bare file name otherwise. */
export function pageDialogSpec(kind: ChooseKind, suggested?: string): FileDialogSpec {
  const at = suggested ? { defaultPath: suggested } : {};
  switch (kind) {
    case 'package-folder':
      return {
        mode: 'open',
        extension: '',
        options: { title: '上报：选择保存数据包的文件夹（如 U 盘）', buttonLabel: '选择此文件夹', properties: ['openDirectory', 'createDirectory'], ...at },
      };
    case 'receive-package':
      return { mode: 'open', extension: 'zip', options: { title: '接收上报数据包', filters: [PACKAGE_FILTER], properties: ['openFile'], ...at } };
    case 'lines-template':
      return {
        mode: 'save',
        extension: 'xlsx',
        options: { title: '导出明细模板', buttonLabel: '导出', filters: [XLSX_FILTER], properties: ['createDirectory', 'showOverwriteConfirmation'], ...at },
      };
    case 'table-file': {
      // The table on screen, as .xlsx or PDF: the suggested name says which.
      const pdf = suggested?.toLowerCase().endsWith('.pdf') ?? false;
      return {
        mode: 'save',
        extension: pdf ? 'pdf' : 'xlsx',
        options: { title: '导出本表', buttonLabel: '导出', filters: [pdf ? PDF_FILTER : XLSX_FILTER], properties: ['createDirectory', 'showOverwriteConfirmation'], ...at },
      };
    }
    case 'import-lines':
      return { mode: 'open', extension: 'xlsx', options: { title: '从 Excel 导入明细', filters: [XLSX_FILTER], properties: ['openFile'], ...at } };
  }
}

/** A FileChooser over Electron's dialogs, modal to the window once there is one. */
export function pageFileChooser(dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>, parent: () => BrowserWindow | null): FileChooser {
  return async ({ kind, suggested }) => {
    const spec = pageDialogSpec(kind, suggested);
    const window = parent();
    if (spec.mode === 'open') {
      const chosen = window ? await dialog.showOpenDialog(window, spec.options) : await dialog.showOpenDialog(spec.options);
      return chosen.canceled ? null : (chosen.filePaths[0] ?? null);
    }
    const chosen = window ? await dialog.showSaveDialog(window, spec.options) : await dialog.showSaveDialog(spec.options);
    return chosen.canceled || !chosen.filePath ? null : withExtension(chosen.filePath, spec.extension);
  };
}
