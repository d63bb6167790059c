// The desktop host, with Electron's modules passed in (electron/main.ts passes the real ones; tests pass
// fakes): registers app:// and the security guards, starts the budget service in its own process, answers IPC,
// builds the menu and the one window. Everything the page can reach goes through the guards in security.ts,
// the file grants in file-grants.ts and the contract in api/.
import { join, resolve } from 'node:path';
import type {
  App,
  BrowserWindow,
  BrowserWindowConstructorOptions,
  Dialog,
  DownloadItem,
  Event as ElectronEvent,
  ForkOptions,
  IpcMain,
  Menu as MenuInstance,
  MenuItemConstructorOptions,
  Protocol,
  RenderProcessGoneDetails,
  WebContents,
} from 'electron';
import type { ApiMethod, ApiResponse } from '../api/contract.js';
import { API } from '../api/contract.js';
import { createAppRequestHandler } from './app-protocol.js';
import { EXCHANGE_FILTER, fileDialogSpec, withExtension } from './dialogs.js';
import { isUncPath } from './drives.js';
import { FileGrants, uncRefusal, UNC_REFUSED_MESSAGE } from './file-grants.js';
import { createApiCaller, registerApiHandlers, SHELL_COMMAND_CHANNEL, type ApiCaller } from './ipc.js';
import { buildMenuTemplate, type RecentEntry } from './menu.js';
import { pageFileChooser } from './page-dialogs.js';
import {
  APP_USER_MODEL_ID,
  budgetFileFromArgs,
  defaultBudgetFile,
  localProfileFolder,
  userDataFolder,
  type PlatformContext,
} from './paths.js';
import type { ShellCommand } from './preload.cjs';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  installPermissionGuards,
  installSecurityHandlers,
  windowOptions,
  type GuardedSession,
} from './security.js';
import { createServiceClient, type RestartInfo, type ServiceClient } from './service-client.js';
import type { ServiceProcess } from './service-protocol.js';
import { createShellActions, type ShellActions } from './shell-actions.js';

export const PRODUCT_NAME = '部门预算编制';
/** The service's process, as the system's task manager names it. */
export const SERVICE_NAME = '部门预算编制 数据服务';
/** The compiled child module beside main.js (electron/service-child.ts). */
export const SERVICE_MODULE = 'service-child.js';

type WindowLike = Pick<BrowserWindow, 'on' | 'once' | 'show' | 'focus' | 'isMinimized' | 'restore' | 'setTitle' | 'loadURL'> & {
  webContents: Pick<BrowserWindow['webContents'], 'send' | 'reload' | 'on'>;
};

type SessionLike = GuardedSession & {
  on(event: 'will-download', listener: (event: ElectronEvent, item: DownloadItem, contents: WebContents) => void): unknown;
};

/** The parts of Electron the host uses. */
export interface ElectronModules {
  app: Pick<
    App,
    | 'whenReady'
    | 'on'
    | 'quit'
    | 'isPackaged'
    | 'getPath'
    | 'setPath'
    | 'getVersion'
    | 'enableSandbox'
    | 'requestSingleInstanceLock'
    | 'setAppUserModelId'
  >;
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => WindowLike;
  Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): MenuInstance; setApplicationMenu(menu: MenuInstance | null): void };
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog' | 'showSaveDialogSync' | 'showMessageBox'>;
  ipcMain: Pick<IpcMain, 'handle'>;
  protocol: Pick<Protocol, 'registerSchemesAsPrivileged' | 'handle'>;
  session: { defaultSession: SessionLike };
  utilityProcess: { fork(modulePath: string, args?: string[], options?: ForkOptions): ServiceProcess };
}

export interface DesktopOptions {
  /** The app folder: dist/renderer and build/icon.png are found under it. */
  appRoot: string;
  /** Folder of the compiled main process (holds preload.cjs and service-child.js). */
  mainDir: string;
  argv: readonly string[];
  cwd: string;
  platform: PlatformContext;
}

export interface DesktopHost {
  window: WindowLike;
  service: ServiceClient;
  /** The main process's own calls (menus): trusted, no file grants needed. */
  call: ApiCaller;
  /** What the page's IPC calls go through: file grants, then the same queue. */
  pageCall: ApiCaller;
  grants: FileGrants;
  actions: ShellActions;
  /** Resolves when the page has been asked to load. */
  loaded: Promise<void>;
  /** Resolves when the service has loaded and any start-up problem has been shown. */
  ready: Promise<void>;
}

export function windowTitle(info: { open: boolean; department: { name: string }; fiscalYear: number }): string {
  return info.open ? `${info.department.name} ${info.fiscalYear}年部门预算 — ${PRODUCT_NAME}` : PRODUCT_NAME;
}

/**
 * Starts the host. Returns null when another instance already runs (it receives our arguments and opens the
 * file named there), otherwise a promise of the running host once the app is ready.
 */
export function startDesktop(electron: ElectronModules, options: DesktopOptions): Promise<DesktopHost> | null {
  const { app, protocol } = electron;
  // Before ready: the scheme's privileges, the sandbox for every renderer, the profile folder.
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
  app.enableSandbox();
  // Chromium's profile (caches) stays on this PC; budgets and the recent list stay in the data folder.
  const profile = localProfileFolder(options.platform);
  app.setPath('userData', profile);
  app.setPath('sessionData', profile);
  if (options.platform.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  // At once, before the service (or even the window) is there: a file double-clicked during a slow start is
  // kept and opened once the host runs.
  const secondInstance: { open: ((path: string | null) => void) | null; early: (string | null)[] } = { open: null, early: [] };
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const file = budgetFileFromArgs(argv);
    const path = file && !isUncPath(file) ? resolve(workingDirectory, file) : file;
    if (secondInstance.open) secondInstance.open(path);
    else secondInstance.early.push(path);
  });
  app.on('web-contents-created', (_event, contents) => installSecurityHandlers(contents));
  return app.whenReady().then(() => run(electron, options, secondInstance));
}

function run(
  electron: ElectronModules,
  options: DesktopOptions,
  secondInstance: { open: ((path: string | null) => void) | null; early: (string | null)[] },
): DesktopHost {
  const { app, BrowserWindow, Menu, dialog, ipcMain, protocol, session } = electron;
  const dev = !app.isPackaged;
  installPermissionGuards(session.defaultSession);
  protocol.handle(APP_SCHEME, createAppRequestHandler({ root: join(options.appRoot, 'dist', 'renderer') }));

  // The window first: it shows while the service loads (calls wait for it).
  const window = new BrowserWindow(
    windowOptions({
      preloadPath: join(options.mainDir, 'preload.cjs'),
      devTools: dev,
      iconPath: join(options.appRoot, 'build', 'icon.png'),
    }),
  );
  window.once('ready-to-show', () => window.show());
  // The title names the open budget (set below), not the page's static <title>.
  window.on('page-title-updated', (event) => event.preventDefault());
  // Dialogs are modal to the window; the stand-in window of the tests is not a real BrowserWindow.
  const parent = window as unknown as BrowserWindow;
  const messageBox = (type: 'error' | 'info' | 'warning', message: string, detail?: string, buttons = ['确定']) =>
    dialog.showMessageBox(parent, {
      type,
      title: PRODUCT_NAME,
      message,
      ...(detail ? { detail } : {}),
      buttons,
      defaultId: buttons.length - 1,
      cancelId: buttons.length - 1,
      noLink: true,
    });

  // Which budget to open: the one named at launch (a double-clicked file, --db), else the default one. A
  // named file that cannot be opened (a removed USB stick) falls back to the default, with a message.
  const named = budgetFileFromArgs(options.argv);
  const defaultFile = defaultBudgetFile(options.platform);
  // Checked as given: resolving it against the working folder would hide a network path on the build machine.
  const launchProblem = named && isUncPath(named) ? uncRefusal(named) : null;
  const namedPath = named && !launchProblem ? resolve(options.cwd, named) : null;
  const budgetsDir = join(app.getPath('documents'), PRODUCT_NAME);
  const service = createServiceClient({
    spawn: () => electron.utilityProcess.fork(join(options.mainDir, SERVICE_MODULE), [], { serviceName: SERVICE_NAME }),
    start: {
      ...(namedPath ? { dbPath: namedPath } : {}),
      fallbackDbPath: defaultFile,
      budgetsDir,
      recentFile: join(userDataFolder(options.platform), 'recent.json'),
      journal: { platform: options.platform.platform, ...(options.platform.env.SystemDrive ? { systemDrive: options.platform.env.SystemDrive } : {}) },
    },
    onRestart: (info) => void serviceRestarted(info),
  });

  const call = createApiCaller((method, input) => service.call(method, input), () => void refreshShell());
  const grants = new FileGrants();
  const pageDialogs = pageFileChooser(dialog, () => parent);

  /** The page's calls: its files only as granted, its dialogs shown here (they never reach the service). */
  const pageCall: ApiCaller = async (method, input) => {
    const refused = grants.refusal(method, input);
    if (refused) return { error: { message: refused } };
    if (method === 'submission.choose') {
      const parsed = API['submission.choose'].input.safeParse(input ?? {});
      if (parsed.success) return choose(parsed.data);
    }
    const response = await call(method, input);
    // Budgets the app lists under 最近打开 may be opened from the page's 打开 dialog.
    if (method === 'budget.recent' && 'result' in response) {
      for (const entry of response.result as RecentEntry[]) grants.grant(entry.path, 'open-budget');
    }
    return response;
  };

  async function choose(input: { kind: Parameters<typeof pageDialogs>[0]['kind']; suggested?: string | undefined }): Promise<ApiResponse> {
    // A network path as the dialog's starting folder would make Windows connect to that server.
    const suggested = input.suggested && !isUncPath(input.suggested.trim()) ? input.suggested.trim() : undefined;
    const path = await pageDialogs({ kind: input.kind, ...(suggested ? { suggested } : {}) });
    if (path === null) return { result: { available: true, path: null } };
    if (!grants.grant(path, input.kind)) return { error: { message: uncRefusal(path) } };
    return { result: { available: true, path } };
  }

  registerApiHandlers(ipcMain, pageCall);

  const actions = createShellActions({
    call,
    budgetsFolder: budgetsDir,
    async chooseFile(kind, suggested) {
      const spec = fileDialogSpec(kind, suggested);
      let path: string | null;
      if (spec.mode === 'open') {
        const chosen = await dialog.showOpenDialog(parent, spec.options);
        path = chosen.canceled ? null : (chosen.filePaths[0] ?? null);
      } else {
        const chosen = await dialog.showSaveDialog(parent, spec.options);
        path = chosen.canceled || !chosen.filePath ? null : withExtension(chosen.filePath, spec.extension);
      }
      if (path && isUncPath(path)) {
        void messageBox('error', '不能使用网络路径', UNC_REFUSED_MESSAGE);
        return null;
      }
      return path;
    },
    confirm: async (message, detail) => (await messageBox('warning', message, detail, ['继续', '取消'])).response === 0,
    showError: (title, message) => void messageBox('error', title, message),
    showInfo: (message, detail) => void messageBox('info', message, detail),
    sendCommand: (command: ShellCommand) => {
      // The file chosen for 新建预算 is the page's to create.
      if (command.command === 'new-budget') grants.grant(command.path, 'new-budget');
      window.webContents.send(SHELL_COMMAND_CHANNEL, command);
    },
    reloadPage: () => window.webContents.reload(),
    showAbout: () =>
      void messageBox(
        'info',
        `${PRODUCT_NAME} ${app.getVersion()}`,
        [
          '离线编制部门预算：收支明细、十一张公开表、审核与绩效目标。',
          `Electron ${process.versions.electron ?? '—'} · Chromium ${process.versions.chrome ?? '—'} · Node ${process.versions.node}`,
        ].join('\n'),
      ),
  });

  function setMenu(recent: RecentEntry[]): void {
    Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({ actions, recent, dev, platform: options.platform.platform })));
  }

  async function refreshShell(): Promise<void> {
    const [info, recent] = await Promise.all([call('budget.info', {}), call('budget.recent', {})]);
    if ('result' in info) window.setTitle(windowTitle(info.result as Parameters<typeof windowTitle>[0]));
    setMenu('result' in recent ? (recent.result as RecentEntry[]) : []);
  }

  async function serviceRestarted(info: RestartInfo): Promise<void> {
    if (info.gaveUp) {
      await messageBox('error', '预算服务无法继续运行', `${PRODUCT_NAME}的数据服务多次意外停止。请关闭程序后重新打开；所有已保存的修改都在预算文件中。`);
      return;
    }
    // The page's state (an export in progress, an inspected package) belonged to the old process.
    window.webContents.reload();
    void refreshShell();
    const detail = [
      info.path ? `已重新打开“${info.path}”，所有已保存的修改都在。` : '',
      info.problem ?? '',
      '刚才正在进行的操作没有完成，请再做一次。',
    ].filter(Boolean);
    await messageBox('warning', '预算服务意外停止，已重新启动', detail.join('\n'));
  }

  // The page's process died (out of memory, a GPU fault) or hangs: offer to reload it. Every edit is saved
  // when it is made, so a reload loses nothing.
  window.webContents.on('render-process-gone', (_event: ElectronEvent, details: RenderProcessGoneDetails) => {
    if (details.reason === 'clean-exit') return;
    void messageBox('error', '页面意外关闭', '所有已保存的修改都在预算文件中。点“重新加载”继续工作。', ['退出', '重新加载']).then(({ response }) => {
      if (response === 1) window.webContents.reload();
      else app.quit();
    });
  });
  let askingUnresponsive = false;
  window.on('unresponsive', () => {
    if (askingUnresponsive) return;
    askingUnresponsive = true;
    void messageBox('warning', '页面没有响应', '可以继续等待，或重新加载页面（所有已保存的修改都在预算文件中）。', ['重新加载', '等待']).then(({ response }) => {
      askingUnresponsive = false;
      if (response === 0) window.webContents.reload();
    });
  });

  // The page's downloads (the toolbar's 导出交换文件 hands over a blob): through the system's save dialog,
  // never silently into 下载; anything not from our own page is cancelled.
  session.defaultSession.on('will-download', (event, item) => {
    if (!item.getURL().startsWith(`blob:${APP_ORIGIN}/`)) {
      event.preventDefault();
      return;
    }
    const name = item.getFilename();
    const isExchange = name.toLowerCase().endsWith(`.${EXCHANGE_FILTER.extensions[0]}`);
    const chosen = dialog.showSaveDialogSync(parent, {
      title: isExchange ? '导出交换文件' : '保存文件',
      defaultPath: join(app.getPath('documents'), name),
      buttonLabel: '保存',
      ...(isExchange ? { filters: [EXCHANGE_FILTER] } : {}),
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
    if (!chosen) return item.cancel();
    if (isUncPath(chosen)) {
      item.cancel();
      void messageBox('error', '不能使用网络路径', UNC_REFUSED_MESSAGE);
      return;
    }
    item.setSavePath(isExchange ? withExtension(chosen, EXCHANGE_FILTER.extensions[0]!) : chosen);
    item.once('done', (_e, state) => {
      if (state !== 'completed') void messageBox('error', '文件没有保存', `“${chosen}”未能写完（${state === 'cancelled' ? '已取消' : '写入中断'}）。`);
    });
  });

  // Quitting while a 上报 package is being written: ask, and wait for it when the user says so. Then the
  // service closes its file (the write-ahead log folded in) before the app ends, however it was asked to quit.
  let quitConfirmed = false;
  let serviceClosed = false;
  app.on('before-quit', (event) => {
    if (quitConfirmed || !service.exporting) return;
    event.preventDefault();
    void messageBox(
      'warning',
      '正在生成上报数据包',
      '数据包还没有写完。现在退出会中断写入，数据包需要重新生成；等待则在写完后自动退出。',
      ['立即退出', '写完后退出', '继续使用'],
    ).then(async ({ response }) => {
      if (response === 2) return;
      if (response === 1) {
        // The answers to these calls carry whether the export is still running.
        while (service.exporting) {
          await new Promise((r) => setTimeout(r, 500));
          await service.call('submission.status', {});
        }
      }
      quitConfirmed = true;
      app.quit();
    });
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (serviceClosed) return;
    event.preventDefault();
    void service.close().then(() => {
      serviceClosed = true;
      app.quit();
    });
  });

  async function openFromSecondInstance(path: string | null): Promise<void> {
    if (window.isMinimized()) window.restore();
    window.focus();
    if (!path) return;
    if (isUncPath(path)) return void messageBox('error', '无法打开预算', uncRefusal(path));
    await actions.openPath(path);
  }

  setMenu([]);
  const loaded = window.loadURL(APP_ENTRY_URL);
  const ready = service.ready.then(async ({ problem }) => {
    secondInstance.open = (path) => void openFromSecondInstance(path);
    for (const path of secondInstance.early.splice(0)) await openFromSecondInstance(path);
    await refreshShell();
    const problems = [launchProblem, problem].filter((p): p is string => !!p);
    if (problems.length > 0) void messageBox('error', '无法打开预算文件', problems.join('\n'));
  });
  return { window, service, call, pageCall, grants, actions, loaded, ready };
}
