// The messages between the main process and the budget service's process (electron/service-child.ts, run as
// an Electron utilityProcess). Plain data only: the contract's inputs and answers already are, and dispatch()
// never throws, so an answer crosses as it is.
import type { ApiResponse } from '../api/contract.js';
import type { JournalPolicyInput } from './drives.js';

export interface ServiceStartOptions {
  /** The budget to open: the file named at launch, or the one open when the process was restarted. */
  dbPath?: string;
  /** Opened instead when `dbPath` cannot be (a file on a removed USB stick): the default budget file. */
  fallbackDbPath?: string;
  budgetsDir: string;
  recentFile: string;
  /** Which files are journaled WAL and which DELETE (removable and network drives). */
  journal: JournalPolicyInput;
}

export type ToService =
  | { type: 'start'; options: ServiceStartOptions }
  | { type: 'call'; id: number; method: string; input: unknown }
  | { type: 'close' };

export type FromService =
  /** The service has loaded; `problem` says (in Chinese) why the file asked for is not the one open. */
  | { type: 'ready'; path: string | null; problem: string | null }
  /** The answer to call `id`; `path` is the budget open after it, `exporting` whether a 上报 package is being written. */
  | { type: 'reply'; id: number; response: ApiResponse; path: string | null; exporting: boolean }
  | { type: 'closed' };

/** What the main process needs of a utilityProcess (Electron's UtilityProcess, or the tests' stand-in). */
export interface ServiceProcess {
  postMessage(message: ToService): void;
  on(event: 'message', listener: (message: FromService) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

/** What the child needs of its end of the channel (process.parentPort in a utilityProcess). */
export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: FromService): void;
}
