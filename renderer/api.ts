// The UI's one way to the budget service. Inside Electron the preload exposes window.budgetApi (one function
// per method); in a browser the page calls its host over HTTP with the per-start secret it was given in the
// URL fragment. Either way the answer is { result } or { error }, and errors surface as ApiCallError.
import type { ApiError, ApiInput, ApiMethod, ApiOutputs, ApiResponse } from '../api/contract.js';

type PreloadApi = Record<string, (input: unknown) => Promise<ApiResponse>> & {
  call?: (method: string, input: unknown) => Promise<ApiResponse>;
};

/** What the desktop host's menus ask of the page (Electron only). */
export type ShellCommand =
  | { command: 'undo' }
  | { command: 'redo' }
  | { command: 'new-budget'; path: string }
  | { command: 'import-code-list' };

declare global {
  interface Window {
    budgetApi?: PreloadApi;
    budgetShell?: { host: 'electron'; onCommand(listener: (command: ShellCommand) => void): () => void };
  }
}

export class ApiCallError extends Error {
  readonly issues: ApiError['issues'];
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.issues = error.issues;
  }
}

const TOKEN_KEY = 'budget-host-token';

/** Takes the secret from the fragment once, keeps it for reloads of this tab, and clears it from the address bar. */
function browserToken(): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1];
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

let token: string | null | undefined;

async function viaHttp(method: string, input: unknown): Promise<ApiResponse> {
  token ??= browserToken();
  if (!token) return { error: { message: '缺少访问密钥：请使用启动时显示的完整地址打开本页' } };
  let res: Response;
  try {
    res = await fetch(`./api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Budget-Token': token },
      body: JSON.stringify(input ?? {}),
      cache: 'no-store',
    });
  } catch {
    return { error: { message: '无法连接预算服务：请确认程序仍在运行' } };
  }
  try {
    return (await res.json()) as ApiResponse;
  } catch {
    return { error: { message: `预算服务返回了无法识别的应答（HTTP ${res.status}）` } };
  }
}

export function hostKind(): 'electron' | 'browser' {
  return window.budgetApi ? 'electron' : 'browser';
}

export async function call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutputs[M]> {
  const pre = window.budgetApi;
  let response: ApiResponse;
  if (pre) {
    const fn = pre[method];
    response = typeof fn === 'function' ? await fn(input) : await pre.call!(method, input);
  } else {
    response = await viaHttp(method, input);
  }
  if ('error' in response) throw new ApiCallError(response.error);
  return response.result as ApiOutputs[M];
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiCallError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
