// Calling the API through dispatch as the hosts do, in tests: an answer, or the refusal a call must end in.
import type { ApiError, ApiInput, ApiMethod, ApiOutputs, ApiService } from '../../api/contract.js';
import { dispatch } from '../../api/dispatch.js';

/** The method's result; throws (failing the test) when the API refuses it. */
export async function callOk<M extends ApiMethod>(service: ApiService, method: M, input: ApiInput<M>): Promise<ApiOutputs[M]> {
  const r = await dispatch(service, method, input);
  if ('error' in r) throw new Error(`${method} refused: ${r.error.message}`);
  return r.result as ApiOutputs[M];
}

/** The refusal; throws (failing the test) when the API accepts the call. */
export async function callRefused(service: ApiService, method: ApiMethod, input: unknown): Promise<ApiError> {
  const r = await dispatch(service, method, input);
  if (!('error' in r)) throw new Error(`${method} was accepted`);
  return r.error;
}
