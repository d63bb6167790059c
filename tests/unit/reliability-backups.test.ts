// Rotating backups (before every import, receive and unlock, and once a day while open), 恢复备份, and a
// damaged file refused at open with the backup to use named.
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiInput, ApiMethod, ApiOutputs } from '../../api/contract.js';
import { dispatch } from '../../api/dispatch.js';
import { BudgetSession, createBudgetService } from '../../api/service.js';
import { BACKUPS_KEPT, backupFolder } from '../../db/backups.js';
import { BudgetStore } from '../../db/store.js';
import { callOk } from './api-support.js';

const FIXTURE = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'jiyuan-2020', 'budget.json'), 'utf8');

let dir: string;
let dbPath: string;
let service: BudgetSession;

const ok = <M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutputs[M]> => callOk(service, method, input);

function integrity(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'backups-'));
  dbPath = join(dir, 'b.budget');
  service = createBudgetService({ dbPath, budgetsDir: dir });
  await ok('exchange.import', { text: FIXTURE });
});

afterEach(() => {
  service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('backups', () => {
  it('an import keeps the budget it replaces; 恢复备份 lists it with time and totals and brings it back', async () => {
    const line = (await ok('lines.list', {})).lines[0]!;
    await ok('lines.update', { id: line.id, field: 'amount', value: '999' });
    const edited = (await ok('budget.info', {})).totals.total;
    await ok('exchange.import', { text: FIXTURE });
    expect((await ok('budget.info', {})).totals.total).toBe('1740.2');
    const list = await ok('backups.list', {});
    expect(list.folder).toBe(backupFolder(dbPath));
    const before = list.backups.find((b) => b.reason === '导入前')!;
    expect(before).toMatchObject({ department: '济源市行政服务中心', fiscalYear: 2020, amountUnit: '万元', total: edited });
    expect(Date.parse(before.at)).toBeGreaterThan(Date.now() - 60_000);
    const restored = await ok('backups.restore', { fileName: before.fileName });
    expect(restored.totals.total).toBe(edited);
    expect((await ok('lines.list', {})).lines.find((l) => l.id === line.id)!.amount).toBe('999');
    // The state restored over is itself kept.
    expect((await ok('backups.list', {})).backups[0]!.reason).toBe('恢复备份前');
    const refusal = await dispatch(service, 'backups.restore', { fileName: '../b.budget' });
    expect('error' in refusal && refusal.error.message).toContain('找不到备份');
    service.close();
    expect(integrity(dbPath)).toBe('ok');
    service = createBudgetService({ dbPath, budgetsDir: dir });
  });

  it('keeps the newest copies only', async () => {
    for (let i = 0; i < BACKUPS_KEPT + 3; i++) await ok('exchange.import', { text: FIXTURE });
    const names = readdirSync(backupFolder(dbPath)).filter((n) => n.endsWith('.budget'));
    expect(names).toHaveLength(BACKUPS_KEPT);
  });

  it('a damaged file is refused at open, naming the backup to use, and left as it was', async () => {
    // The first edit of the day makes the day's copy.
    const line = (await ok('lines.list', {})).lines[0]!;
    await ok('lines.update', { id: line.id, field: 'remark', value: '今天的修改' });
    const newest = (await ok('backups.list', {})).backups[0]!;
    service.close();
    // Damage a page of the lines' table in the middle of the file.
    const size = statSync(dbPath).size;
    const fd = openSync(dbPath, 'r+');
    for (let at = 4096 * 3; at < size - 4096; at += 4096 * 2) writeSync(fd, Buffer.alloc(64, 0x5a), 0, 64, at + 200);
    closeSync(fd);
    const damaged = readFileSync(dbPath);
    let message = '';
    try {
      BudgetStore.open(dbPath).close();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(`预算文件“${dbPath}”已损坏`);
    expect(message).toContain(join(backupFolder(dbPath), newest.fileName));
    expect(readFileSync(dbPath).equals(damaged)).toBe(true);
    // The host says the same when it is started on it.
    expect(() => createBudgetService({ dbPath, budgetsDir: dir })).toThrow(/已损坏.*备份/);
    expect(integrity(join(backupFolder(dbPath), newest.fileName))).toBe('ok');
    service = createBudgetService({ budgetsDir: dir });
    expect(existsSync(dbPath)).toBe(true);
  });
});
