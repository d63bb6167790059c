// The API tests (tests/unit/api.test.ts, unchanged) run once more, with every session in its own process: the
// budget service as the desktop host runs it (electron/service-child.ts through the Electron stand-in's
// utilityProcess, driven by electron/service-client.ts). createBudgetService answers a handle on such a
// process, and dispatch() sends the call there: same inputs, same answers, same files.
import { join } from 'node:path';
import { vi } from 'vitest';
import type { ApiService } from '../../api/contract.js';
import { createServiceClient, type ServiceClient } from '../../electron/service-client.js';
import { createFakeElectron } from './electron-fake.js';

const REMOTE = Symbol('session in a child process');

interface RemoteSession {
  [REMOTE]: ServiceClient;
  close(): void;
}

function remoteSession(options: { dbPath?: string; budgetsDir?: string; recentFile?: string }): RemoteSession {
  const fake = createFakeElectron({ documents: options.budgetsDir ?? '/nonexistent' });
  const budgetsDir = options.budgetsDir ?? join(process.cwd(), 'tmp-budgets');
  const client = createServiceClient({
    spawn: () => fake.modules.utilityProcess.fork('service-child.js'),
    start: {
      ...(options.dbPath ? { dbPath: options.dbPath } : {}),
      budgetsDir,
      recentFile: options.recentFile ?? join(budgetsDir, '.recent-budgets.json'),
      journal: { platform: process.platform },
    },
  });
  return {
    [REMOTE]: client,
    // Sent after every call already made: the next session (a reopen) finds the file as this one left it.
    close: () => void client.close(),
  };
}

vi.mock('../../api/service.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../api/service.js')>();
  return { ...real, createBudgetService: remoteSession };
});

vi.mock('../../api/dispatch.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../api/dispatch.js')>();
  return {
    ...real,
    dispatch: (service: ApiService | RemoteSession, method: string, input: unknown) =>
      REMOTE in service ? service[REMOTE].call(method, input) : real.dispatch(service, method, input),
  };
});

await import('./api.test.js');
