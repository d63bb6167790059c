// One writer per budget file: a second window, a second host on a shared folder or the command line cannot
// change a file another one has open (each writes whole lines from its own memory, so one would silently undo
// the other's edits). The second opener is told which file and who has it; a lock of a process that died is
// taken over.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiInput, ApiMethod, ApiOutputs } from '../../api/contract.js';
import { dispatch } from '../../api/dispatch.js';
import { BudgetSession, createBudgetService } from '../../api/service.js';
import { acquireWriterLock } from '../../db/writer-lock.js';
import { callOk } from './api-support.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE_PATH = join(ROOT, 'tests', 'fixtures', 'jiyuan-2020', 'budget.json');
const FIXTURE = readFileSync(FIXTURE_PATH, 'utf8');

let dir: string;
let dbPath: string;
let a: BudgetSession;

const ok = callOk;

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function integrity(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'writers-'));
  dbPath = join(dir, '预算.budget');
  a = createBudgetService({ dbPath, budgetsDir: dir });
  await ok(a, 'exchange.import', { text: FIXTURE });
});

afterEach(() => {
  a.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('one writer per budget file', () => {
  it('a second host opening the file is refused with the file named; the first keeps every acknowledged edit', async () => {
    const line = (await ok(a, 'lines.list', {})).lines[1]!;
    await ok(a, 'lines.update', { id: line.id, field: 'amount', value: '111' });
    // Host B at start-up (a second window, or a second PC on the shared folder) …
    let refusal = '';
    try {
      createBudgetService({ dbPath, budgetsDir: dir }).close();
    } catch (err) {
      refusal = (err as Error).message;
    }
    expect(refusal).toContain(`预算文件“${dbPath}”已在另一个窗口或程序中打开`);
    expect(refusal).toContain('部门预算编制');
    // … and through 打开 in an already running host.
    const b = createBudgetService({ budgetsDir: dir });
    try {
      const r = await dispatch(b, 'budget.open', { path: dbPath });
      expect('error' in r && r.error.message).toContain('已在另一个窗口或程序中打开');
    } finally {
      b.close();
    }
    // A goes on editing; its total is the file's.
    await ok(a, 'lines.update', { id: line.id, field: 'remark', value: 'A 的备注' });
    const totals = (await ok(a, 'budget.info', {})).totals;
    a.close();
    expect(integrity(dbPath)).toBe('ok');
    // Once A has closed it, B opens it and sees all of A's edits, and A's undo history.
    const after = createBudgetService({ dbPath, budgetsDir: dir });
    try {
      const row = (await ok(after, 'lines.list', {})).lines.find((l) => l.id === line.id)!;
      expect(row.amount).toBe('111');
      expect(row.remark).toBe('A 的备注');
      expect((await ok(after, 'budget.info', {})).totals).toEqual(totals);
      const undone = await ok(after, 'edit.undo', {});
      expect(undone.changed.find((l) => l.id === line.id)!.remark).toBe('');
    } finally {
      after.close();
    }
  });

  it('the command line cannot import over a file a host has open; the file stays byte-identical', async () => {
    const line = (await ok(a, 'lines.list', {})).lines[1]!;
    await ok(a, 'lines.update', { id: line.id, field: 'amount', value: '111' });
    const before = digest(dbPath);
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'cli/budget.ts', 'import', FIXTURE_PATH, '--db', dbPath], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^预算文件“.*预算\.budget”已在另一个窗口或程序中打开（部门预算编制，/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(digest(dbPath)).toBe(before);
    // The host's next edit is not written over anything.
    await ok(a, 'lines.update', { id: line.id, field: 'remark', value: '之后' });
    const row = (await ok(a, 'lines.list', {})).lines.find((l) => l.id === line.id)!;
    expect(row.amount).toBe('111');
  });

  it('a lock left by a process that was killed is taken over', async () => {
    a.close();
    const script = `
      import { acquireWriterLock } from './db/writer-lock.ts';
      acquireWriterLock(${JSON.stringify(dbPath)}, '命令行');
      process.stdout.write('held\\n');
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((done, fail) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('held') && done());
      child.on('exit', (code) => fail(new Error(`child exited ${code}`)));
    });
    expect(() => acquireWriterLock(dbPath, '部门预算编制')).toThrow(/已在另一个窗口或程序中打开（命令行，/);
    const gone = new Promise((done) => child.on('exit', done));
    child.kill('SIGKILL');
    await gone;
    a = createBudgetService({ dbPath, budgetsDir: dir });
    await ok(a, 'lines.update', { id: (await ok(a, 'lines.list', {})).lines[0]!.id, field: 'amount', value: '5' });
    expect((await ok(a, 'budget.info', {})).open).toBe(true);
  });

  it('reopening the file a session has open, or saving it under another name, keeps one lock per file', async () => {
    await ok(a, 'budget.open', { path: dbPath });
    const copy = join(dir, 'copy.budget');
    await ok(a, 'budget.saveAs', { path: copy });
    // The original is free again; the copy is now held.
    const lock = acquireWriterLock(dbPath, '命令行');
    lock.release();
    expect(() => acquireWriterLock(copy, '命令行')).toThrow(/copy\.budget/);
  });
});
