// Paths as capabilities: in the desktop host the page reads or writes only files the user picked in a system
// dialog that the main process showed (or budgets the app itself lists under 最近打开), each for the one
// purpose it was picked for. Any other path the page names — invented, typed, or a network (UNC) path — is
// refused before the service sees the call. The menus' own dialogs go to the service directly (main trusts
// itself); the browser host, which has no dialogs, keeps explicit paths (its tests and the CLI use them).
import type { ApiMethod } from '../api/contract.js';
import type { ChooseKind } from '../api/submission.js';
import { isUncPath } from './drives.js';

/**
 * What a granted path may be used for: the kind of dialog that chose it. Stricter than read or write: a folder
 * picked for 上报 cannot be used to open a budget, a package picked to receive cannot be written.
 */
export type GrantPurpose = ChooseKind | 'open-budget' | 'new-budget';

/** The path field of each method that names a file, and the grant it needs; null: never from the page. */
const PAGE_FILE_FIELDS: Partial<Record<ApiMethod, { field: string; purpose: GrantPurpose | null; what: string }>> = {
  'budget.open': { field: 'path', purpose: 'open-budget', what: '要打开的预算（用“文件 › 打开…”或最近打开的预算）' },
  'budget.create': { field: 'path', purpose: 'new-budget', what: '新预算的保存位置（用“文件 › 新建预算…”）' },
  'budget.saveAs': { field: 'path', purpose: null, what: '另存为的位置（用“文件 › 另存为…”）' },
  'exchange.import': { field: 'path', purpose: null, what: '交换文件（用“文件 › 导入交换文件…”）' },
  'exchange.export': { field: 'path', purpose: null, what: '交换文件的保存位置（用“文件 › 导出交换文件…”）' },
  'submission.export': { field: 'outDir', purpose: 'package-folder', what: '保存数据包的文件夹（点“选择…”）' },
  'submission.inspect': { field: 'path', purpose: 'receive-package', what: '要接收的数据包（点“选择…”）' },
  'submission.linesTemplate': { field: 'path', purpose: 'lines-template', what: '明细模板的保存位置' },
  'submission.tableFile': { field: 'path', purpose: 'table-file', what: '导出本表的保存位置' },
  'submission.importLines': { field: 'path', purpose: 'import-lines', what: '要导入的 Excel 文件' },
};

export const UNC_REFUSED_MESSAGE = '不能使用网络路径（\\\\服务器\\共享…）：请先把文件复制到本机或 U 盘，或把网络文件夹映射为盘符。';

export function uncRefusal(path: string): string {
  return `“${path.slice(0, 200)}”是网络路径。${UNC_REFUSED_MESSAGE}`;
}

export class FileGrants {
  private readonly granted = new Map<string, Set<GrantPurpose>>();

  /** Records that the page may use `path` for `purpose`. A network path is never granted: false then. */
  grant(path: string, purpose: GrantPurpose): boolean {
    if (isUncPath(path)) return false;
    let purposes = this.granted.get(path);
    if (!purposes) this.granted.set(path, (purposes = new Set()));
    purposes.add(purpose);
    return true;
  }

  has(path: string, purpose: GrantPurpose): boolean {
    return this.granted.get(path)?.has(purpose) ?? false;
  }

  /**
   * Null when the page may make this call as it is; otherwise the refusal (in Chinese). Input that is not an
   * object, or whose path field is absent or not text, is left to the contract's validation.
   */
  refusal(method: string, input: unknown): string | null {
    const rule = PAGE_FILE_FIELDS[method as ApiMethod];
    if (!rule || typeof input !== 'object' || input === null) return null;
    const raw = (input as Record<string, unknown>)[rule.field];
    if (typeof raw !== 'string') return null;
    const path = raw.trim();
    if (isUncPath(path)) return uncRefusal(path);
    if (rule.purpose && this.has(path, rule.purpose)) return null;
    return `桌面版只读写您在系统对话框中选择的文件，“${path.slice(0, 200)}”不是为此选择的。请重新选择${rule.what}。`;
  }
}
