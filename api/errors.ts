// How the API fails. A refusal (ApiRefusal) is meant for the user as it is: a Chinese sentence saying what is
// wrong, with per-field issues. Anything else thrown by a handler is a bug or an environment fault: dispatch()
// logs it with its stack for developers and shows the user one sentence saying what to do. No imports but
// types: the UI may import this file.
import type { ApiError } from './views.js';

/** A refusal the service raises on purpose: the message is meant for the user as is. */
export class ApiRefusal extends Error {
  readonly issues?: ApiError['issues'];
  constructor(message: string, issues?: ApiError['issues']) {
    super(message);
    this.name = 'ApiRefusal';
    this.issues = issues;
  }
}

/** What the user sees of an unexpected failure (the details go to the log). */
export const UNEXPECTED_ERROR_MESSAGE = '操作未完成：程序出现内部错误，请重试一次；如仍出错，请关闭后重新打开预算文件，并把出错时间告知技术支持。';

/** Writes an unexpected failure to stderr with its stack, for developers. */
export function logUnexpected(method: string, err: unknown): void {
  const detail = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
  console.error(`[api] ${method} failed unexpectedly: ${detail}`);
}
