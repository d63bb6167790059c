// The preload is run the way Electron runs a sandboxed preload: compiled with the project's settings, then
// called as a plain function of (require, process, exports, module) whose require knows only 'electron'.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { API } from '../../api/contract.js';
import { apiChannel, SHELL_COMMAND_CHANNEL } from '../../electron/ipc.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function compilePreload(): string {
  const configPath = join(root, 'tsconfig.electron.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const file = join(root, 'electron', 'preload.cts');
  return ts.transpileModule(readFileSync(file, 'utf8'), { fileName: file, compilerOptions: parsed.options }).outputText;
}

type Listener = (event: unknown, payload: unknown) => void;

function runPreload() {
  const exposed = new Map<string, unknown>();
  const invoked: { channel: string; input: unknown }[] = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipcRenderer = {
    invoke: async (channel: string, input: unknown) => {
      invoked.push({ channel, input });
      return { result: 'ok' };
    },
    on: (channel: string, fn: Listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(fn);
    },
    removeListener: (channel: string, fn: Listener) => listeners.get(channel)?.delete(fn),
    send: () => {
      throw new Error('the preload must not use send');
    },
  };
  const electron = { contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) }, ipcRenderer };
  const requireInSandbox = (name: string) => {
    if (name === 'electron') return electron;
    throw new Error(`module not found: ${name}`);
  };
  const exports: Record<string, unknown> = {};
  new Function('require', 'process', 'exports', 'module', compilePreload())(requireInSandbox, {}, exports, { exports });
  return { exposed, invoked, listeners, exports };
}

describe('preload (run as a sandboxed script)', () => {
  it('loads with nothing but electron to require', () => {
    expect(() => runPreload()).not.toThrow();
  });

  it('lists exactly the methods of api/contract.ts', () => {
    const { exports } = runPreload();
    expect([...(exports.API_METHODS as string[])].sort()).toEqual(Object.keys(API).sort());
  });

  it('exposes only budgetApi and budgetShell, never ipcRenderer', () => {
    const { exposed } = runPreload();
    expect([...exposed.keys()].sort()).toEqual(['budgetApi', 'budgetShell']);
    for (const value of exposed.values()) {
      const v = value as Record<string, unknown>;
      expect(Object.values(v).some((x) => typeof x === 'object' && x !== null && 'invoke' in x)).toBe(false);
      expect(Object.isFrozen(v)).toBe(true);
    }
    const api = exposed.get('budgetApi') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(Object.keys(API).sort());
    expect(Object.values(api).every((f) => typeof f === 'function')).toBe(true);
  });

  it('calls each method on the channel the main process registers', async () => {
    const { exposed, invoked } = runPreload();
    const api = exposed.get('budgetApi') as Record<string, (input?: unknown) => Promise<unknown>>;
    await api['lines.update']!({ id: 3, field: 'amount', value: '12.5' });
    await api['budget.info']!();
    expect(invoked).toEqual([
      { channel: apiChannel('lines.update'), input: { id: 3, field: 'amount', value: '12.5' } },
      { channel: apiChannel('budget.info'), input: undefined },
    ]);
  });

  it('passes menu commands to the page without the IPC event, and unsubscribes', () => {
    const { exposed, listeners } = runPreload();
    const shell = exposed.get('budgetShell') as { host: string; onCommand(l: (c: unknown) => void): () => void };
    expect(shell.host).toBe('electron');
    const received: unknown[][] = [];
    const off = shell.onCommand((...args) => received.push(args));
    const registered = listeners.get(SHELL_COMMAND_CHANNEL);
    expect(registered?.size).toBe(1);
    const fakeEvent = { sender: { send() {} }, senderId: 0 };
    for (const fn of registered!) fn(fakeEvent, { command: 'undo' });
    expect(received).toEqual([[{ command: 'undo' }]]);
    off();
    expect(listeners.get(SHELL_COMMAND_CHANNEL)?.size).toBe(0);
  });
});
