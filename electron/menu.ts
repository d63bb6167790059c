// The application menu (Chinese labels), as a template built from plain data so its shape can be tested.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  newBudget(): void;
  openBudget(): void;
  openRecent(path: string): void;
  saveBudgetAs(): void;
  importExchange(): void;
  exportExchange(): void;
  importCodeList(): void;
  undo(): void;
  redo(): void;
  about(): void;
}

export interface RecentEntry {
  path: string;
  name: string;
}

export interface MenuInput {
  actions: MenuActions;
  recent: readonly RecentEntry[];
  /** Unpackaged run: 重新加载 and 开发者工具 are offered. */
  dev: boolean;
  platform: NodeJS.Platform;
}

/** At most this many recent files: a longer list is a search, not a menu. */
const RECENT_LIMIT = 10;

function recentItems(recent: readonly RecentEntry[], actions: MenuActions): MenuItemConstructorOptions[] {
  if (recent.length === 0) return [{ label: '（无）', enabled: false }];
  return recent.slice(0, RECENT_LIMIT).map((entry, i) => ({
    // "&" would make the next letter a mnemonic on Windows; the full path is in the tooltip.
    label: `${i + 1}. ${entry.name.replaceAll('&', '&&')}`,
    toolTip: entry.path,
    click: () => actions.openRecent(entry.path),
  }));
}

export function buildMenuTemplate({ actions, recent, dev, platform }: MenuInput): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: '文件',
    submenu: [
      { label: '新建预算…', accelerator: 'CmdOrCtrl+N', click: () => actions.newBudget() },
      { label: '打开…', accelerator: 'CmdOrCtrl+O', click: () => actions.openBudget() },
      { label: '最近打开', submenu: recentItems(recent, actions) },
      { type: 'separator' },
      { label: '另存为…', accelerator: 'CmdOrCtrl+Shift+S', click: () => actions.saveBudgetAs() },
      { type: 'separator' },
      { label: '导入交换文件…', click: () => actions.importExchange() },
      { label: '导出交换文件…', click: () => actions.exportExchange() },
      { label: '导入科目代码表…', click: () => actions.importCodeList() },
      { type: 'separator' },
      { label: '退出', role: 'quit', accelerator: platform === 'darwin' ? 'Cmd+Q' : 'Ctrl+Q' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '编辑',
    submenu: [
      { label: '撤销', accelerator: 'CmdOrCtrl+Z', click: () => actions.undo() },
      { label: '重做', accelerator: platform === 'darwin' ? 'Cmd+Shift+Z' : 'Ctrl+Y', click: () => actions.redo() },
      { type: 'separator' },
      { label: '剪切', role: 'cut' },
      { label: '复制', role: 'copy' },
      { label: '粘贴', role: 'paste' },
    ],
  };
  const devItems: MenuItemConstructorOptions[] = dev
    ? [
        { label: '重新加载', role: 'reload' },
        { label: '开发者工具', role: 'toggleDevTools' },
        { type: 'separator' },
      ]
    : [];
  const view: MenuItemConstructorOptions = {
    label: '视图',
    submenu: [
      ...devItems,
      { label: '实际大小', role: 'resetZoom' },
      { label: '放大', role: 'zoomIn' },
      { label: '缩小', role: 'zoomOut' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    label: '帮助',
    submenu: [{ label: '关于', click: () => actions.about() }],
  };
  return [file, edit, view, help];
}
