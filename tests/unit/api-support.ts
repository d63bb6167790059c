// Calling the API through dispatch as the hosts do, in tests: an answer, or the refusal a call must end in; and
// the budget file most API tests start from (useApiFixture).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { ApiError, ApiInput, ApiMethod, ApiOutputs, ApiService } from '../../api/contract.js';
import { dispatch } from '../../api/dispatch.js';
import { createBudgetService, type BudgetSession } from '../../api/service.js';

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

/** The worked example's exchange file (济源市行政服务中心 2020). */
export const WORKED_EXAMPLE = join(import.meta.dirname, '..', 'fixtures', 'jiyuan-2020', 'budget.json');

/** A budget file of its own for each test, with the service open over it (useApiFixture). */
export interface ApiFixture {
  /** The test's temp folder (the service's budgetsDir) and the budget file `b.budget` in it. */
  readonly dir: string;
  readonly dbPath: string;
  /** The service open now (a new one after open()). */
  readonly service: BudgetSession;
  ok<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutputs[M]>;
  /** The refusal's message; fails the test when the call is accepted. */
  refused(method: ApiMethod, input: unknown): Promise<string>;
  /** Closes the service: the file is free for the test to read or change behind the app. */
  close(): void;
  /** Opens a new service over the same file, as the app starting again. */
  open(): void;
  /** close(), then open(). */
  reopen(): void;
}

/**
 * Registers the set-up the API tests share: before each test a new temp folder, the service over `b.budget` in
 * it and the exchange file imported (the worked example unless `exchangeText` is given); after each the service
 * closed and the folder removed.
 */
export function useApiFixture(options: { prefix: string; exchangeText?: string }): ApiFixture {
  let dir = '';
  let dbPath = '';
  let service: BudgetSession | null = null;
  const current = (): BudgetSession => {
    if (!service) throw new Error('the budget service is closed: call open() first');
    return service;
  };
  const fixture: ApiFixture = {
    get dir() {
      return dir;
    },
    get dbPath() {
      return dbPath;
    },
    get service() {
      return current();
    },
    ok<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutputs[M]> {
      return callOk(current(), method, input);
    },
    async refused(method: ApiMethod, input: unknown): Promise<string> {
      return (await callRefused(current(), method, input)).message;
    },
    close() {
      service?.close();
      service = null;
    },
    open() {
      service = createBudgetService({ dbPath, budgetsDir: dir });
    },
    reopen() {
      fixture.close();
      fixture.open();
    },
  };
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), options.prefix));
    dbPath = join(dir, 'b.budget');
    fixture.open();
    await fixture.ok('exchange.import', { text: options.exchangeText ?? readFileSync(WORKED_EXAMPLE, 'utf8') });
  });
  afterEach(() => {
    fixture.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return fixture;
}
