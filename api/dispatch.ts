// The single entry every host (Electron IPC, the browser host) calls: refuses unknown methods, validates the
// untrusted input against the contract, runs the service method, and turns any failure into a Chinese
// message (api/errors.ts). It never throws, so hosts pass the response across their boundary as plain data.
import { z } from 'zod';
import { API, isApiMethod, type ApiResponse, type ApiService } from './contract.js';
import { ApiRefusal, UNEXPECTED_ERROR_MESSAGE, logUnexpected } from './errors.js';

const zhCN = z.locales.zhCN();

function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '$' : '$' + path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
}

export async function dispatch(service: ApiService, method: string, input: unknown): Promise<ApiResponse> {
  if (!isApiMethod(method)) {
    return { error: { message: `未知的接口方法“${String(method).slice(0, 100)}”` } };
  }
  const schema = API[method].input as z.ZodType;
  const parsed = schema.safeParse(input ?? {}, { error: zhCN.localeError });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message }));
    const first = issues[0];
    return {
      error: {
        message: `调用“${method}”的参数无效：${first ? `${first.path} ${first.message}` : '格式错误'}`,
        issues,
      },
    };
  }
  try {
    const fn = service[method] as (input: unknown) => unknown;
    const result = await fn.call(service, parsed.data);
    return { result } as ApiResponse;
  } catch (err) {
    if (err instanceof ApiRefusal) {
      return { error: err.issues ? { message: err.message, issues: err.issues } : { message: err.message } };
    }
    // Not a refusal: a bug or an environment fault. The stack is for developers, the sentence for the user.
    logUnexpected(method, err);
    return { error: { message: UNEXPECTED_ERROR_MESSAGE } };
  }
}
