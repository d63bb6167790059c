// The budget session in its own process (electron/service-child.ts as a utilityProcess, here a real Node child
// process through the Electron stand-in), driven by the main process's client (electron/service-client.ts):
// the same contract, one answer per request id, a clean close, and a killed process reported and restarted on
// the budget that was open with every answered edit still there.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createBudgetService } from '../../api/service.js';
import { createServiceClient, SERVICE_STOPPED_MESSAGE, type RestartInfo, type ServiceClient } from '../../electron/service-client.js';
import type { ServiceStartOptions } from '../../electron/service-protocol.js';
import { createFakeElectron } from './electron-fake.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = join(repo, 'tests', 'fixtures', 'jiyuan-2020', 'budget.json');
const base = mkdtempSync(join(tmpdir(), 'service-process-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const clients: ServiceClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

let counter = 0;
function startClient(start: Partial<ServiceStartOptions> = {}) {
  const fake = createFakeElectron({ documents: base });
  const dir = join(base, `s${++counter}`);
  const restarts: RestartInfo[] = [];
  let restarted: () => void = () => {};
  const client = createServiceClient({
    spawn: () => fake.modules.utilityProcess.fork(join(dir, 'service-child.js')),
    start: { budgetsDir: dir, recentFile: join(dir, 'recent.json'), journal: { platform: 'linux' }, ...start },
    onRestart: (info) => {
      restarts.push(info);
      restarted();
    },
  });
  clients.push(client);
  const nextRestart = () => new Promise<void>((r) => (restarted = r));
  return { client, fake, dir, restarts, nextRestart };
}

async function ok(client: ServiceClient, method: string, input: unknown): Promise<any> {
  const r = await client.call(method, input);
  if ('error' in r) throw new Error(`${method} refused: ${r.error.message}`);
  return r.result;
}

describe('budget service process', () => {
  it('loads without the PDF and .xlsx writers (they load when a package or workbook is made)', () => {
    const script = `import { createRequire } from 'node:module';
await import(${JSON.stringify(pathToFileURL(join(repo, 'api', 'service.ts')).href)});
const loaded = Object.keys(createRequire(import.meta.url).cache);
console.log(JSON.stringify(['better-sqlite3', 'exceljs', 'pdfkit'].filter((name) => loaded.some((f) => f.includes('/node_modules/' + name + '/')))));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout.trim())).toEqual(['better-sqlite3']);
  });

  it('answers the contract from its own process, matched by request id', async () => {
    const { client, fake } = startClient({ dbPath: join(base, 'own.budget') });
    expect(await client.ready).toEqual({ path: join(base, 'own.budget'), problem: null });
    expect(fake.record.utility[0]!.pid).not.toBe(process.pid);
    await ok(client, 'exchange.import', { path: fixture });
    // Many calls in flight at once: each answer reaches its own caller.
    const answers = await Promise.all([
      client.call('budget.info', {}),
      client.call('lines.list', {}),
      client.call('lines.update', { id: 'x' }),
      client.call('no.such.method', {}),
    ]);
    expect(answers[0]).toMatchObject({ result: { open: true, department: { name: '济源市行政服务中心' } } });
    expect((answers[1] as any).result.lines.length).toBeGreaterThan(10);
    expect((answers[2] as any).error.message).toContain('参数无效');
    expect((answers[3] as any).error.message).toContain('未知的接口方法');
  });

  it('closes its file cleanly when asked, and ends', async () => {
    const file = join(base, 'close.budget');
    const { client, fake } = startClient({ dbPath: file });
    await ok(client, 'exchange.import', { path: fixture });
    await client.close();
    expect(await fake.record.utility[0]!.exited).toBe(0);
    // The write-ahead log is folded into the file: the file alone is the whole budget.
    expect(existsSync(`${file}-wal`)).toBe(false);
    const check = createBudgetService({ dbPath: file, budgetsDir: base, recentFile: join(base, 'r.json') });
    try {
      expect(check['budget.info']().department.name).toBe('济源市行政服务中心');
    } finally {
      check.close();
    }
  });

  it('a killed process is reported and restarted on the open budget, with every answered edit kept', async () => {
    const { client, fake, restarts, nextRestart } = startClient({ dbPath: join(base, 'first.budget') });
    await ok(client, 'exchange.import', { path: fixture });
    // Another budget is open when it dies: that is the one reopened.
    const other = join(base, 'killed.budget');
    await ok(client, 'budget.saveAs', { path: other });
    const before = await ok(client, 'lines.list', {});
    const line = before.lines[0];
    await ok(client, 'lines.update', { id: line.id, field: 'remark', value: '崩溃前的修改' });
    await ok(client, 'lines.delete', { ids: [before.lines[1].id] });
    const restarted = nextRestart();
    fake.record.utility[0]!.kill();
    await restarted;
    expect(restarts).toEqual([{ path: other, code: expect.any(Number), problem: null, gaveUp: false }]);
    expect(fake.record.utility).toHaveLength(2);
    const info = await ok(client, 'budget.info', {});
    expect(info.path).toBe(other);
    const after = await ok(client, 'lines.list', {});
    expect(after.lines).toHaveLength(before.lines.length - 1);
    expect(after.lines.find((l: any) => l.id === line.id).remark).toBe('崩溃前的修改');
    // The undo stack is in the file too.
    expect(info.canUndo).toBe(true);
  });

  it('answers a call in flight when the process dies with an error, never with silence', async () => {
    const { client, fake, nextRestart } = startClient({ dbPath: join(base, 'inflight.budget') });
    await client.ready;
    const restarted = nextRestart();
    const pending = client.call('exchange.import', { path: fixture });
    fake.record.utility[0]!.kill();
    const answer = await pending;
    // Either it finished before the kill, or it is reported as not done.
    if ('error' in answer) expect(answer.error.message).toBe(SERVICE_STOPPED_MESSAGE);
    await restarted;
    expect((await client.call('budget.info', {})) as any).toMatchObject({ result: { path: join(base, 'inflight.budget') } });
  });

  it('a named file that cannot be opened falls back to the default file, with a message', async () => {
    const gone = join(base, 'removed-stick', 'u盘上的预算.budget');
    const fallback = join(base, 'data', '预算.budget');
    const { client } = startClient({ dbPath: gone, fallbackDbPath: fallback });
    const ready = await client.ready;
    expect(ready.path).toBe(fallback);
    expect(ready.problem).toContain(gone);
    expect(ready.problem).toContain('已改为打开默认的预算文件');
    expect(ready.problem).not.toMatch(/\n\s+at /);
    expect(existsSync(fallback)).toBe(true);
    expect(existsSync(dirname(gone))).toBe(false);
  });
});
