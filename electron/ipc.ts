// IPC of the desktop host: one ipcMain.handle channel per API method, answered only for our own page, each
// call dispatched (validated against the contract) one at a time, like the browser host does.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { API, type ApiMethod, type ApiResponse, type ApiService } from '../api/contract.js';
import { dispatch } from '../api/dispatch.js';
import { isTrustedSender } from './security.js';

/** Same rule as the preload's apiChannel() (which cannot import this module: it runs sandboxed). */
export function apiChannel(method: ApiMethod): string {
  return `api:${method}`;
}

/** Main → page channel of the menus' commands (the preload listens on the same name). */
export const SHELL_COMMAND_CHANNEL = 'shell:command';

export const API_METHOD_NAMES = Object.keys(API) as ApiMethod[];

export type ApiCaller = (method: ApiMethod, input: unknown) => Promise<ApiResponse>;

export const UNTRUSTED_SENDER_MESSAGE = '拒绝访问：调用不是来自本程序的页面';

/** Methods after which another budget (or another content) is open: the window title and 最近打开 follow. */
const SWITCHING_METHODS: ReadonlySet<ApiMethod> = new Set<ApiMethod>(['budget.create', 'budget.open', 'budget.saveAs', 'exchange.import']);

/** Sends one call to the service and resolves to its answer (the service process's client, electron/service-client.ts). */
export type ServiceCall = (method: ApiMethod, input: unknown) => Promise<ApiResponse>;

/**
 * Calls the service one call at a time (the service holds one SQLite file and an undo stack), whether the page
 * or a menu asks: `target` is the service process's client, or a service object run through dispatch() here.
 * `onSwitched` runs after a call that changed which budget is open.
 */
export function createApiCaller(target: ApiService | ServiceCall, onSwitched: () => void = () => {}): ApiCaller {
  const send: ServiceCall = typeof target === 'function' ? target : (method, input) => dispatch(target, method, input);
  let queue: Promise<unknown> = Promise.resolve();
  return (method, input) => {
    const run = queue.then(() => send(method, input));
    queue = run.catch(() => undefined);
    return run.then((response) => {
      if (SWITCHING_METHODS.has(method) && 'result' in response) onSwitched();
      return response;
    });
  };
}

function senderUrl(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): string | null {
  try {
    return event.senderFrame?.url ?? null;
  } catch {
    // A frame disposed while the call was in flight: nobody to trust.
    return null;
  }
}

export function registerApiHandlers(ipcMain: Pick<IpcMain, 'handle'>, call: ApiCaller): void {
  for (const method of API_METHOD_NAMES) {
    ipcMain.handle(apiChannel(method), async (event, input: unknown): Promise<ApiResponse> => {
      if (!isTrustedSender(senderUrl(event))) return { error: { message: UNTRUSTED_SENDER_MESSAGE } };
      return call(method, input);
    });
  }
}
