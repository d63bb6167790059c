import { describe, expect, it } from 'vitest';
import { API, type ApiService } from '../../api/contract.js';
import { apiChannel, createApiCaller, registerApiHandlers, UNTRUSTED_SENDER_MESSAGE } from '../../electron/ipc.js';

type Handler = (event: unknown, input: unknown) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    ipcMain: {
      handle(channel: string, fn: Handler) {
        if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
        handlers.set(channel, fn);
      },
    },
  };
}

const fromFrame = (url: string | null) => ({ senderFrame: url === null ? null : { url } });

function recordingService() {
  const calls: { method: string; input: unknown }[] = [];
  const service = new Proxy(
    {},
    {
      get: (_t, method: string) => async (input: unknown) => {
        calls.push({ method, input });
        return { method };
      },
    },
  ) as ApiService;
  return { calls, service };
}

describe('IPC handlers', () => {
  it('registers one channel per contract method and nothing else', () => {
    const { handlers, ipcMain } = fakeIpcMain();
    registerApiHandlers(ipcMain as never, async () => ({ result: null as never }));
    expect([...handlers.keys()].sort()).toEqual(Object.keys(API).map((m) => apiChannel(m as keyof typeof API)).sort());
  });

  it('answers our page and dispatches with validation', async () => {
    const { handlers, ipcMain } = fakeIpcMain();
    const { calls, service } = recordingService();
    registerApiHandlers(ipcMain as never, createApiCaller(service));
    const ok = await handlers.get('api:lines.update')!(fromFrame('app://bundle/index.html'), { id: 7, field: 'amount', value: '1.50' });
    expect(ok).toEqual({ result: { method: 'lines.update' } });
    expect(calls).toEqual([{ method: 'lines.update', input: { id: 7, field: 'amount', value: '1.50' } }]);
    const bad = (await handlers.get('api:lines.update')!(fromFrame('app://bundle/index.html'), { id: 'x', field: 'amount', value: '1' })) as {
      error: { message: string };
    };
    expect(bad.error.message).toContain('参数无效');
    expect(calls).toHaveLength(1);
  });

  it('refuses a frame showing anything else, and a frame that is gone, without calling the service', async () => {
    const { handlers, ipcMain } = fakeIpcMain();
    const { calls, service } = recordingService();
    registerApiHandlers(ipcMain as never, createApiCaller(service));
    const disposed = {
      get senderFrame() {
        return {
          get url(): string {
            throw new Error('Render frame was disposed before WebFrameMain could be accessed');
          },
        };
      },
    };
    for (const event of [fromFrame('https://evil.example/'), fromFrame('file:///tmp/x.html'), fromFrame('app://other/'), fromFrame(null), disposed]) {
      expect(await handlers.get('api:budget.info')!(event, {})).toEqual({ error: { message: UNTRUSTED_SENDER_MESSAGE } });
    }
    expect(calls).toEqual([]);
  });
});

describe('API caller', () => {
  it('runs calls one at a time in the order they came', async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const service = {
      'lines.add': async () => {
        order.push('add:start');
        await gate;
        order.push('add:end');
        return {};
      },
      'budget.info': () => {
        order.push('info');
        return {};
      },
    } as unknown as ApiService;
    const call = createApiCaller(service);
    const first = call('lines.add', {});
    const second = call('budget.info', {});
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(['add:start']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['add:start', 'add:end', 'info']);
  });

  it('tells the shell when another budget is open, not after a refusal or an edit', async () => {
    let switched = 0;
    const service = {
      'budget.open': () => ({}),
      'lines.add': () => ({}),
    } as unknown as ApiService;
    const call = createApiCaller(service, () => switched++);
    await call('budget.open', { path: '/x.budget' });
    expect(switched).toBe(1);
    await call('budget.open', {});
    await call('lines.add', {});
    expect(switched).toBe(1);
  });
});
