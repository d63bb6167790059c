// The main process's end of the budget service (electron/service-child.ts in a utilityProcess): numbered
// requests, answers matched by id, a clean close on quit, and when the process ends unasked (a crash, the
// system killing it) the calls in flight answered with an error and the process started again on the budget
// that was open — every answered edit is already in that file, so nothing acknowledged is lost.
import type { ApiResponse } from '../api/contract.js';
import type { FromService, ServiceProcess, ServiceStartOptions } from './service-protocol.js';

export const SERVICE_STOPPED_MESSAGE = '预算服务意外停止，这一步操作没有完成（之前已保存的修改都在文件中）。服务已重新启动，请再试一次。';
export const SERVICE_FAILED_MESSAGE = '预算服务多次意外停止，无法继续。请关闭程序后重新打开；所有已保存的修改都在预算文件中。';

/** Restarts in a row (without one answered call between them) before giving up. */
const MAX_RESTARTS = 3;
/** How long a close may take before the process is ended. */
const CLOSE_TIMEOUT_MS = 10_000;

export interface RestartInfo {
  /** The budget reopened (null: none was open). */
  path: string | null;
  code: number;
  /** Why that budget could not be reopened, when it could not; null otherwise. */
  problem: string | null;
  /** Too many restarts: the service is not started again. */
  gaveUp: boolean;
}

export interface ServiceClientOptions {
  spawn(): ServiceProcess;
  start: ServiceStartOptions;
  /** The process ended without being asked to and was started again (or, after too many, was not). */
  onRestart?(info: RestartInfo): void;
}

export interface ServiceClient {
  call(method: string, input: unknown): Promise<ApiResponse>;
  /** Resolves once the first process has loaded the service: the problem with the file asked for, or null. */
  readonly ready: Promise<{ path: string | null; problem: string | null }>;
  /** The budget open now, as of the last answer. */
  readonly path: string | null;
  /** A 上报 package is being written (as of the last answer). */
  readonly exporting: boolean;
  /** Asks the service to close its file and end; resolves when it has. */
  close(): Promise<void>;
}

interface Pending {
  resolve(response: ApiResponse): void;
}

export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  let nextId = 1;
  let child: ServiceProcess;
  let path: string | null = options.start.dbPath ?? null;
  let exporting = false;
  let closing: Promise<void> | null = null;
  let gaveUp = false;
  let restarts = 0;
  const pending = new Map<number, Pending>();
  /** Calls wait for this: the current process has loaded the service. */
  let loaded: Promise<void>;

  let firstReady!: (value: { path: string | null; problem: string | null }) => void;
  const ready = new Promise<{ path: string | null; problem: string | null }>((r) => (firstReady = r));

  function launch(start: ServiceStartOptions, onReady: (message: { path: string | null; problem: string | null }) => void): void {
    const proc = options.spawn();
    child = proc;
    let markLoaded!: () => void;
    loaded = new Promise<void>((r) => (markLoaded = r));
    let closedCleanly = false;
    proc.on('message', (message: FromService) => {
      if (message.type === 'ready') {
        path = message.path;
        markLoaded();
        onReady({ path: message.path, problem: message.problem });
      } else if (message.type === 'reply') {
        path = message.path;
        exporting = message.exporting;
        restarts = 0;
        const waiting = pending.get(message.id);
        pending.delete(message.id);
        waiting?.resolve(message.response);
      } else if (message.type === 'closed') {
        closedCleanly = true;
      }
    });
    proc.on('exit', (code: number) => {
      if (proc !== child) return;
      if (closing || closedCleanly) return;
      for (const [id, waiting] of pending) {
        pending.delete(id);
        waiting.resolve({ error: { message: SERVICE_STOPPED_MESSAGE } });
      }
      exporting = false;
      if (++restarts > MAX_RESTARTS) {
        gaveUp = true;
        markLoaded();
        options.onRestart?.({ path, code, problem: null, gaveUp: true });
        return;
      }
      // Started again on the budget open when it stopped (or, when none was, on none).
      const again: ServiceStartOptions = { budgetsDir: options.start.budgetsDir, recentFile: options.start.recentFile, journal: options.start.journal };
      if (path) again.dbPath = path;
      launch(again, (message) => options.onRestart?.({ path: message.path, code, problem: message.problem, gaveUp: false }));
    });
    proc.postMessage({ type: 'start', options: start });
  }

  launch(options.start, firstReady);

  return {
    async call(method, input) {
      await loaded;
      if (gaveUp) return { error: { message: SERVICE_FAILED_MESSAGE } };
      if (closing) return { error: { message: '程序正在退出' } };
      const id = nextId++;
      return new Promise<ApiResponse>((resolve) => {
        pending.set(id, { resolve });
        child.postMessage({ type: 'call', id, method, input });
      });
    },
    ready,
    get path() {
      return path;
    },
    get exporting() {
      return exporting;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        if (gaveUp) return resolve();
        const proc = child;
        const timer = setTimeout(() => {
          proc.kill();
          resolve();
        }, CLOSE_TIMEOUT_MS);
        proc.on('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        // After the calls already sent: the service answers them, then closes its file.
        void loaded.then(() => proc.postMessage({ type: 'close' }));
      });
      return closing;
    },
  };
}
