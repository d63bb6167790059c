// A stand-in for the parts of Electron the desktop host uses, recording what the host does with them. There is
// no Electron binary on the build machines, so the main process is exercised against this under Node. Its
// utilityProcess is real: a Node child process running the module asked for (the TypeScript source when the
// compiled file is not there), with the IPC channel as process.parentPort (electron-utility-child.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Fn = (...args: any[]) => any;

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');

/** A utilityProcess: a Node child process; records how it ended. */
export class FakeUtilityProcess {
  exitCode: number | null = null;
  readonly exited: Promise<number>;
  constructor(
    readonly modulePath: string,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) =>
      child.on('exit', (code) => {
        this.exitCode = code ?? 1;
        resolve(this.exitCode);
      }),
    );
  }
  get pid() {
    return this.child.pid;
  }
  on(event: string, fn: Fn) {
    if (event === 'message') this.child.on('message', fn);
    else if (event === 'exit') this.child.on('exit', (code) => fn(code ?? 1));
    else if (event === 'spawn') this.child.on('spawn', fn);
    return this;
  }
  postMessage(message: unknown) {
    if (this.child.connected) this.child.send(message as never);
  }
  kill() {
    return this.child.kill('SIGKILL');
  }
}

/** The compiled module when it exists (tests of dist-electron), else its TypeScript source in electron/. */
function utilityModule(modulePath: string): string {
  if (existsSync(modulePath)) return modulePath;
  return join(repo, 'electron', basename(modulePath).replace(/\.js$/, '.ts'));
}

export interface FakeRecord {
  privileged: { scheme: string; privileges?: Record<string, unknown> }[];
  sandboxEnabled: boolean;
  paths: Record<string, string>;
  protocolHandlers: Map<string, (request: Request) => Promise<Response>>;
  ipc: Map<string, Fn>;
  windows: FakeWindow[];
  menus: any[][];
  messageBoxes: { type?: string; message: string; detail?: string; buttons?: string[] }[];
  dialogs: { kind: 'open' | 'save'; options: Record<string, unknown> }[];
  errorBoxes: [string, string][];
  appHandlers: Map<string, Fn>;
  session: { request?: Fn; check?: Fn; device?: Fn; handlers: Map<string, Fn> };
  utility: FakeUtilityProcess[];
  quit: number;
}

export class FakeWindow {
  title = '';
  loadedUrl: string | null = null;
  shown = false;
  readonly sent: [string, unknown][] = [];
  reloads = 0;
  readonly handlers = new Map<string, Fn>();
  readonly contentsHandlers = new Map<string, Fn>();
  readonly webContents = {
    send: (channel: string, payload: unknown) => void this.sent.push([channel, payload]),
    reload: () => void this.reloads++,
    on: (event: string, fn: Fn) => void this.contentsHandlers.set(event, fn),
  };
  constructor(readonly options: Record<string, any>) {}
  on(event: string, fn: Fn) {
    this.handlers.set(event, fn);
    return this;
  }
  once(event: string, fn: Fn) {
    return this.on(event, fn);
  }
  show() {
    this.shown = true;
  }
  focus() {}
  isMinimized() {
    return false;
  }
  restore() {}
  setTitle(title: string) {
    this.title = title;
  }
  async loadURL(url: string) {
    this.loadedUrl = url;
  }
}

export interface FakeElectronOptions {
  /** What app.getPath('documents') answers. */
  documents: string;
  isPackaged?: boolean;
  singleInstance?: boolean;
  /** What app.whenReady() answers (default: ready at once). */
  ready?: Promise<void>;
}

export function createFakeElectron({ documents, isPackaged = false, singleInstance = true, ready = Promise.resolve() }: FakeElectronOptions) {
  const record: FakeRecord = {
    privileged: [],
    sandboxEnabled: false,
    paths: {},
    protocolHandlers: new Map(),
    ipc: new Map(),
    windows: [],
    menus: [],
    messageBoxes: [],
    dialogs: [],
    errorBoxes: [],
    appHandlers: new Map(),
    session: { handlers: new Map() },
    utility: [],
    quit: 0,
  };
  /** Paths the next file dialogs answer with, in order; null = cancelled. */
  const dialogAnswers: (string | null)[] = [];
  /** Buttons the next message boxes answer with (index); default the first. */
  const messageAnswers: number[] = [];

  const app = {
    isPackaged,
    whenReady: () => ready,
    on(event: string, fn: Fn) {
      record.appHandlers.set(event, fn);
      return app;
    },
    /** Runs the app's handler of `event` with an event whose preventDefault is recorded; true when prevented. */
    emit(event: string, ...args: unknown[]): boolean {
      let prevented = false;
      record.appHandlers.get(event)?.({ preventDefault: () => (prevented = true) }, ...args);
      return prevented;
    },
    quit: () => void record.quit++,
    exit: () => void record.quit++,
    getPath: (name: string) => record.paths[name] ?? documents,
    setPath: (name: string, path: string) => void (record.paths[name] = path),
    getVersion: () => '0.1.0',
    enableSandbox: () => void (record.sandboxEnabled = true),
    requestSingleInstanceLock: () => singleInstance,
    setAppUserModelId: () => {},
  };
  const BrowserWindow = class extends FakeWindow {
    constructor(options: Record<string, any>) {
      super(options);
      record.windows.push(this);
    }
  };
  const Menu = {
    buildFromTemplate: (template: any[]) => ({ template }),
    setApplicationMenu: (menu: { template: any[] } | null) => void (menu && record.menus.push(menu.template)),
  };
  const dialog = {
    showOpenDialog: async (_w: unknown, options: Record<string, unknown>) => {
      record.dialogs.push({ kind: 'open', options });
      const answer = dialogAnswers.shift() ?? null;
      return answer ? { canceled: false, filePaths: [answer] } : { canceled: true, filePaths: [] };
    },
    showSaveDialog: async (_w: unknown, options: Record<string, unknown>) => {
      record.dialogs.push({ kind: 'save', options });
      const answer = dialogAnswers.shift() ?? null;
      return answer ? { canceled: false, filePath: answer } : { canceled: true, filePath: '' };
    },
    showMessageBox: async (_w: unknown, options: FakeRecord['messageBoxes'][number]) => {
      record.messageBoxes.push(options);
      return { response: messageAnswers.shift() ?? 0, checkboxChecked: false };
    },
    showSaveDialogSync: (_w: unknown, options: Record<string, unknown>) => {
      record.dialogs.push({ kind: 'save', options });
      return dialogAnswers.shift() ?? undefined;
    },
    showErrorBox: (title: string, content: string) => void record.errorBoxes.push([title, content]),
  };
  const ipcMain = { handle: (channel: string, fn: Fn) => void record.ipc.set(channel, fn) };
  const protocol = {
    registerSchemesAsPrivileged: (schemes: FakeRecord['privileged']) => void record.privileged.push(...schemes),
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => void record.protocolHandlers.set(scheme, handler),
  };
  const session = {
    defaultSession: {
      setPermissionRequestHandler: (fn: Fn) => void (record.session.request = fn),
      setPermissionCheckHandler: (fn: Fn) => void (record.session.check = fn),
      setDevicePermissionHandler: (fn: Fn) => void (record.session.device = fn),
      on: (event: string, fn: Fn) => void record.session.handlers.set(event, fn),
    },
  };
  const utilityProcess = {
    fork(modulePath: string, args: string[] = [], options: { env?: NodeJS.ProcessEnv } = {}) {
      const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'electron-utility-child.ts'), utilityModule(modulePath), ...args], {
        cwd: repo,
        env: options.env ?? process.env,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'advanced',
      });
      const proc = new FakeUtilityProcess(modulePath, child);
      record.utility.push(proc);
      return proc;
    },
  };

  /** Clicks the menu item at `labels` (e.g. '文件', '打开…') in the menu last set; resolves when its work is done. */
  async function click(...labels: string[]): Promise<void> {
    let items = record.menus.at(-1) ?? [];
    let item: any;
    for (const label of labels) {
      item = items.find((i: any) => i.label === label);
      if (!item) throw new Error(`no menu item ${labels.join(' › ')}`);
      items = item.submenu ?? [];
    }
    await item.click();
  }

  /** Calls an API method over the recorded IPC handler as a frame showing `frameUrl`. */
  function invoke(method: string, input: unknown, frameUrl = 'app://bundle/index.html') {
    const handler = record.ipc.get(`api:${method}`);
    if (!handler) throw new Error(`no IPC handler for ${method}`);
    return handler({ senderFrame: { url: frameUrl } }, input);
  }

  return {
    modules: { app, BrowserWindow, Menu, dialog, ipcMain, protocol, session, utilityProcess },
    record,
    dialogAnswers,
    messageAnswers,
    click,
    invoke,
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
