// The desktop host, with Electron's modules passed in (electron/main.ts passes the real ones; tests pass
// fakes): registers app:// and the security guards, opens the budget, answers IPC, builds the menu and the
// one window. Everything the page can reach goes through the guards in security.ts and the contract in api/.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type {
  App,
  BrowserWindow,
  BrowserWindowConstructorOptions,
  Dialog,
  IpcMain,
  Menu as MenuInstance,
  MenuItemConstructorOptions,
  Protocol,
} from 'electron';
import type { ApiService } from '../api/contract.js';
import { createAppRequestHandler } from './app-protocol.js';
import { fileDialogSpec, withExtension } from './dialogs.js';
import { createApiCaller, registerApiHandlers, SHELL_COMMAND_CHANNEL, type ApiCaller } from './ipc.js';
import { buildMenuTemplate, type RecentEntry } from './menu.js';
import { APP_USER_MODEL_ID, budgetFileFromArgs, defaultBudgetFile, userDataFolder, type PlatformContext } from './paths.js';
import type { ShellCommand } from './preload.cjs';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  installPermissionGuards,
  installSecurityHandlers,
  windowOptions,
  type GuardedSession,
} from './security.js';
import { createShellActions, type ShellActions } from './shell-actions.js';
import { pageFileChooser } from './page-dialogs.js';
import type { FileChooser } from '../api/submission-service.js';

export const PRODUCT_NAME = '部门预算编制';

type WindowLike = Pick<BrowserWindow, 'on' | 'once' | 'show' | 'focus' | 'isMinimized' | 'restore' | 'setTitle' | 'loadURL'> & {
  webContents: Pick<BrowserWindow['webContents'], 'send' | 'reload'>;
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
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog' | 'showMessageBox'>;
  ipcMain: Pick<IpcMain, 'handle'>;
  protocol: Pick<Protocol, 'registerSchemesAsPrivileged' | 'handle'>;
  session: { defaultSession: GuardedSession };
}

export interface BudgetServiceOptions {
  dbPath?: string;
  budgetsDir?: string;
  recentFile?: string;
  /** The page's own file and folder dialogs (submission.choose). */
  chooseFile?: FileChooser;
}

export type ClosableService = ApiService & { close(): void };

export interface DesktopOptions {
  /** The app folder: dist/renderer and build/icon.png are found under it. */
  appRoot: string;
  /** Folder of the compiled main process (holds preload.cjs). */
  mainDir: string;
  argv: readonly string[];
  cwd: string;
  platform: PlatformContext;
  createService(options: BudgetServiceOptions): ClosableService;
}

export interface DesktopHost {
  window: WindowLike;
  service: ClosableService;
  call: ApiCaller;
  actions: ShellActions;
  /** Resolves when the page has been asked to load. */
  loaded: Promise<void>;
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
  const dataFolder = userDataFolder(options.platform);
  app.setPath('userData', join(dataFolder, 'electron'));
  if (options.platform.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  app.on('web-contents-created', (_event, contents) => installSecurityHandlers(contents));
  return app.whenReady().then(() => run(electron, options, dataFolder));
}

function run(electron: ElectronModules, options: DesktopOptions, dataFolder: string): DesktopHost {
  const { app, BrowserWindow, Menu, dialog, ipcMain, protocol, session } = electron;
  const dev = !app.isPackaged;
  installPermissionGuards(session.defaultSession);
  protocol.handle(APP_SCHEME, createAppRequestHandler({ root: join(options.appRoot, 'dist', 'renderer') }));

  mkdirSync(dataFolder, { recursive: true });
  const named = budgetFileFromArgs(options.argv);
  const dbPath = named ? resolve(options.cwd, named) : defaultBudgetFile(options.platform);
  mkdirSync(dirname(dbPath), { recursive: true });
  // The page's dialogs are modal to the window, which exists by the time the page can ask.
  let dialogParent: BrowserWindow | null = null;
  const serviceOptions = {
    budgetsDir: join(app.getPath('documents'), PRODUCT_NAME),
    recentFile: join(dataFolder, 'recent.json'),
    chooseFile: pageFileChooser(dialog, () => dialogParent),
  };
  let startupProblem: string | null = null;
  let service: ClosableService;
  try {
    service = options.createService({ ...serviceOptions, dbPath });
  } catch (err) {
    // A file from a newer version, or not a budget at all: start without it and say why.
    startupProblem = `${dbPath}\n${err instanceof Error ? err.message : String(err)}`;
    service = options.createService(serviceOptions);
  }

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

  const call = createApiCaller(service, () => void refreshShell());
  registerApiHandlers(ipcMain, call);

  // Dialogs are modal to the window; the stand-in window of the tests is not a real BrowserWindow.
  const parent = window as unknown as BrowserWindow;
  dialogParent = parent;
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

  const actions = createShellActions({
    call,
    budgetsFolder: serviceOptions.budgetsDir,
    async chooseFile(kind, suggested) {
      const spec = fileDialogSpec(kind, suggested);
      if (spec.mode === 'open') {
        const chosen = await dialog.showOpenDialog(parent, spec.options);
        return chosen.canceled ? null : (chosen.filePaths[0] ?? null);
      }
      const chosen = await dialog.showSaveDialog(parent, spec.options);
      return chosen.canceled || !chosen.filePath ? null : withExtension(chosen.filePath, spec.extension);
    },
    confirm: async (message, detail) => (await messageBox('warning', message, detail, ['继续', '取消'])).response === 0,
    showError: (title, message) => void messageBox('error', title, message),
    showInfo: (message, detail) => void messageBox('info', message, detail),
    sendCommand: (command: ShellCommand) => window.webContents.send(SHELL_COMMAND_CHANNEL, command),
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

  async function refreshShell(): Promise<void> {
    const [info, recent] = await Promise.all([call('budget.info', {}), call('budget.recent', {})]);
    if ('result' in info) window.setTitle(windowTitle(info.result as Parameters<typeof windowTitle>[0]));
    const entries = 'result' in recent ? (recent.result as RecentEntry[]) : [];
    Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({ actions, recent: entries, dev, platform: options.platform.platform })));
  }

  app.on('second-instance', (_event, argv, workingDirectory) => {
    if (window.isMinimized()) window.restore();
    window.focus();
    const file = budgetFileFromArgs(argv);
    if (file) void actions.openPath(resolve(workingDirectory, file));
  });
  app.on('window-all-closed', () => app.quit());
  // On every way out (window closed, 退出, Ctrl+Q, system shutdown): close the SQLite file cleanly.
  app.on('will-quit', () => service.close());

  const loaded = refreshShell()
    .then(() => window.loadURL(APP_ENTRY_URL))
    .then(() => {
      if (startupProblem) void messageBox('error', '无法打开预算文件', startupProblem);
    });
  return { window, service, call, actions, loaded };
}
