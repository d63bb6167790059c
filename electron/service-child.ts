// The budget service's own process (an Electron utilityProcess, started by electron/service-client.ts): it
// holds the budget session — createBudgetService + dispatch, as the browser host runs them — so that a slow
// SQLite call, a 上报 export or a hostile package being parsed never freezes the window, the menus or IPC.
// It speaks only plain messages over its parent port (service-protocol.ts); dialogs stay in the main process.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ApiResponse } from '../api/contract.js';
import type { BudgetSession } from '../api/service.js';
import { journalModeFor } from './drives.js';
import type { FromService, ParentPortLike, ServiceStartOptions, ToService } from './service-protocol.js';

/** After this long without a call, the write-ahead log is folded into the budget file. */
const IDLE_CHECKPOINT_MS = 1000;
/** A long burst of calls is checkpointed every so many calls, without waiting for a pause. */
const BURST_CHECKPOINT_CALLS = 200;

/** Methods whose answer is the budget now open (BudgetInfo, with its path). */
const SWITCHING = new Set(['budget.create', 'budget.open', 'budget.saveAs']);

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function readMounts(): string {
  try {
    return readFileSync('/proc/mounts', 'utf8');
  } catch {
    return '';
  }
}

/** Serves one budget session over `port` until asked to close. Resolves when closed. */
export function serveBudgetSession(port: ParentPortLike, exit: (code: number) => void = () => {}): Promise<void> {
  let service: BudgetSession | null = null;
  let path: string | null = null;
  let checkpoint: (() => void) | null = null;
  let idle: ReturnType<typeof setTimeout> | null = null;
  let callsSinceCheckpoint = 0;
  // Messages are handled strictly in order, each after the one before has finished (start, calls, close).
  let queue: Promise<unknown> = Promise.resolve();
  let closed!: () => void;
  const done = new Promise<void>((r) => (closed = r));

  const exporting = () => [...(service?.submission.jobs.values() ?? [])].some((job) => job.state === 'running');

  function checkpointNow(): void {
    if (idle) clearTimeout(idle);
    idle = null;
    callsSinceCheckpoint = 0;
    try {
      checkpoint?.();
    } catch {
      // A checkpoint that cannot run now (the drive is gone) runs at the next pause, or when the file closes.
    }
  }

  async function start(options: ServiceStartOptions): Promise<void> {
    // The PDF and .xlsx writers and the zip reader load with the service's modules, here, not in main.
    const { createBudgetService, setJournalPolicy, checkpointOpenFiles } = await import('../api/service.js');
    const linux = options.journal.platform === 'linux';
    setJournalPolicy((file) => journalModeFor(file, options.journal, linux ? readMounts() : ''));
    checkpoint = checkpointOpenFiles;
    const common = { budgetsDir: options.budgetsDir, recentFile: options.recentFile };
    try {
      mkdirSync(dirname(options.recentFile), { recursive: true });
    } catch {
      // The list of recent files is a convenience: without its folder it is simply not kept.
    }
    const problems: string[] = [];
    const candidates = [options.dbPath, options.fallbackDbPath].filter((p, i, all): p is string => !!p && all.indexOf(p) === i);
    for (const candidate of candidates) {
      try {
        if (candidate === options.fallbackDbPath) mkdirSync(dirname(candidate), { recursive: true });
        service = createBudgetService({ ...common, dbPath: candidate });
        path = resolve(candidate);
        break;
      } catch (err) {
        problems.push(`无法打开预算文件“${candidate}”：${messageOf(err)}`);
      }
    }
    service ??= createBudgetService(common);
    if (problems.length > 0) {
      problems.push(path ? `已改为打开默认的预算文件“${path}”。` : '程序已启动，但没有打开任何预算文件：请用“文件 › 打开…”或“新建预算…”。');
    }
    port.postMessage({ type: 'ready', path, problem: problems.length ? problems.join('\n') : null });
  }

  async function call(id: number, method: string, input: unknown): Promise<void> {
    const { dispatch } = await import('../api/dispatch.js');
    let response: ApiResponse;
    if (!service) response = { error: { message: '预算服务尚未启动' } };
    else {
      response = await dispatch(service, method, input);
      if (SWITCHING.has(method) && 'result' in response) {
        const opened = (response.result as { path?: unknown }).path;
        if (typeof opened === 'string') path = opened;
      }
    }
    port.postMessage({ type: 'reply', id, response, path, exporting: exporting() });
    if (++callsSinceCheckpoint >= BURST_CHECKPOINT_CALLS) checkpointNow();
    else {
      if (idle) clearTimeout(idle);
      idle = setTimeout(checkpointNow, IDLE_CHECKPOINT_MS);
    }
  }

  function close(): void {
    if (idle) clearTimeout(idle);
    idle = null;
    try {
      // Closing the last connection folds the write-ahead log into the file.
      service?.close();
    } finally {
      service = null;
      port.postMessage({ type: 'closed' });
      closed();
      exit(0);
    }
  }

  port.on('message', ({ data }) => {
    const message = data as ToService;
    queue = queue
      .then(() => {
        if (message.type === 'start') return start(message.options);
        if (message.type === 'call') return call(message.id, message.method, message.input);
        if (message.type === 'close') return close();
      })
      .catch((err: unknown) => {
        // Nothing above throws on purpose (dispatch never does): a failure here is a bug, and the main
        // process restarts the service on the file last open.
        console.error(err);
        exit(1);
      });
  });
  return done;
}

// Started as a utilityProcess: Electron gives the child its end of the channel as process.parentPort.
const parentPort = (process as { parentPort?: ParentPortLike }).parentPort;
if (parentPort) void serveBudgetSession(parentPort, (code) => process.exit(code));
