// A full disk in the middle of an edit: the line and its undo step are one transaction, so a refused edit is
// neither in the file nor on the undo stack, and the session keeps showing what the file holds. The disk is
// "full" by SQLite's own limit on the file's pages (PRAGMA max_page_count): the errors are SQLite's real
// SQLITE_FULL, raised wherever the next page is needed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiInput, ApiMethod, ApiOutputs } from '../../api/contract.js';
import { dispatch } from '../../api/dispatch.js';
import { BudgetSession, createBudgetService } from '../../api/service.js';

const FIXTURE = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'jiyuan-2020', 'budget.json'), 'utf8');

let dir: string;
let dbPath: string;
let service: BudgetSession;

async function call<M extends ApiMethod>(method: M, input: ApiInput<M>) {
  return dispatch(service, method, input);
}

async function ok<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutputs[M]> {
  const r = await call(method, input);
  if ('error' in r) throw new Error(`${method} refused: ${r.error.message}`);
  return r.result as ApiOutputs[M];
}

/** The session's own connection (private): the page limit is per connection. */
function connection(s: BudgetSession): Database.Database {
  return (s as unknown as { store: { db: Database.Database } }).store.db;
}

function fillDisk(s: BudgetSession): void {
  const db = connection(s);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pages = Number(db.pragma('page_count', { simple: true }));
  db.pragma(`max_page_count = ${pages}`);
}

function fileState(): { amounts: Map<number, string>; undo: string | null; integrity: string } {
  const db = new Database(dbPath, { readonly: true });
  try {
    db.defaultSafeIntegers(true);
    const amounts = new Map((db.prepare('SELECT id, amount FROM lines').all() as { id: bigint; amount: bigint }[]).map((r) => [Number(r.id), r.amount.toString()]));
    const undo = (db.prepare("SELECT value FROM meta WHERE key = 'app.undo'").get() as { value: string } | undefined)?.value ?? null;
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    return { amounts, undo, integrity };
  } finally {
    db.close();
  }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'disk-full-'));
  dbPath = join(dir, 'b.budget');
  service = createBudgetService({ dbPath, budgetsDir: dir });
  await ok('exchange.import', { text: FIXTURE });
});

afterEach(() => {
  service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a full disk during edits', () => {
  it('a refused edit is in neither the file nor the undo stack; acknowledged ones all are, and undo still works', async () => {
    const list = await ok('lines.list', {});
    const line = list.lines[0]!;
    fillDisk(service);
    const acknowledged: string[] = [];
    let refusal: string | null = null;
    let attempted = '';
    // Each step adds to the undo history in the file: sooner or later the next page is needed and the disk is full.
    for (let i = 1; i <= 400 && refusal === null; i++) {
      attempted = `${i}.25`;
      const r = await call('lines.update', { id: line.id, field: 'amount', value: attempted });
      if ('error' in r) refusal = r.error.message;
      else acknowledged.push(attempted);
    }
    expect(refusal).not.toBeNull();
    expect(refusal).toContain('磁盘空间已满');
    expect(acknowledged.length).toBeGreaterThan(0);
    const last = acknowledged.at(-1)!;
    // The screen shows what the file holds: the last acknowledged amount, not the refused one.
    const shown = (await ok('lines.list', {})).lines.find((l) => l.id === line.id)!;
    expect(shown.amount).toBe(last);
    service.close();
    const file = fileState();
    expect(file.integrity).toBe('ok');
    // 万元 → 分
    expect(file.amounts.get(line.id)).toBe((BigInt(last.replace('.', '')) * 10_000n).toString());
    // The stack's newest step is the last acknowledged edit.
    const stack = JSON.parse(file.undo!) as { undo: { changes: { after: { amount: string } }[] }[] };
    expect(stack.undo.at(-1)!.changes[0]!.after.amount).toBe(file.amounts.get(line.id));
    // After a restart (with room again) undo goes back exactly one acknowledged step.
    service = createBudgetService({ dbPath, budgetsDir: dir });
    const undone = await ok('edit.undo', {});
    expect(undone.done).toBe(true);
    const back = undone.changed.find((l) => l.id === line.id)!;
    expect(back.amount).toBe(acknowledged.length > 1 ? acknowledged.at(-2)! : line.amount);
  });

  it('a refused copy of many lines stores none of them', async () => {
    const before = fileState();
    const list = await ok('lines.list', {});
    fillDisk(service);
    const r = await call('lines.duplicate', { ids: list.lines.map((l) => l.id) });
    expect('error' in r && r.error.message).toContain('磁盘空间已满');
    expect((await ok('lines.list', {})).lines.length).toBe(list.lines.length);
    expect((await ok('budget.info', {})).canUndo).toBe(false);
    service.close();
    const after = fileState();
    expect(after.integrity).toBe('ok');
    expect([...after.amounts]).toEqual([...before.amounts]);
    expect(after.undo).toBe(before.undo);
  });
});
