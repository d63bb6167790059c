// After 上报 the budget is locked: the store refuses every change (and so does the file itself, whoever writes
// it), unlocking is recorded with its reason, and the diff since the last submission shows what changed.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/run.js';
import { BUDGET_FILE } from '../../core/manifest.js';
import { amount } from '../../core/money.js';
import { BudgetStore, LOCKED_MESSAGE, StoreError } from '../../db/store.js';
import { diffSinceSubmission, submissionStatus } from '../../submission/department.js';
import { exportPackage } from '../../submission/export.js';
import { receivePackage } from '../../submission/receive.js';
import { readZipEntries } from '../../submission/zip-read.js';
import { adminUnitBudget } from './department-fixture.js';
import { budgetDb, departmentDb, fixtureBudget, notesFor, tempDir } from './submission-fixture.js';

const NOW = new Date('2020-03-01T09:00:00+08:00');

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) } };
}

function expectLocked(fn: () => unknown): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, 'refused').toBeInstanceOf(StoreError);
  expect((error as StoreError).kind).toBe('locked');
  expect((error as StoreError).message).toBe(LOCKED_MESSAGE);
}

let dir: string;
beforeAll(() => {
  dir = tempDir('lock-');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the store after lockForSubmission', () => {
  it('refuses every change of the budget, keeps the file as it was, and unlocking is recorded', () => {
    const file = budgetDb(dir, fixtureBudget(), 'store.budget');
    const store = BudgetStore.open(file);
    expect(store.isLocked()).toBe(false);
    const budget = store.loadBudget();
    const line = budget.lines[0]!;
    const project = budget.projects[0]!;
    const manifest = JSON.parse('{"format":"budget-package/1","units":[],"totals":{}}');
    const sub = store.lockForSubmission({ manifest, snapshotJson: '{}', file: '/media/usb/上报.zip', lineIds: [1, 2], at: NOW });
    expect(sub).toMatchObject({ fileName: '上报.zip', snapshotJson: '{}', lineIds: [1, 2], createdAt: NOW.toISOString() });
    expect(store.isLocked()).toBe(true);

    const { id: _id, ...fields } = line;
    expectLocked(() => store.insertLine(fields));
    expectLocked(() => store.updateLine(line.id, { amount: 1n }));
    expectLocked(() => store.deleteLine(line.id));
    expectLocked(() => store.restoreLine({ ...line, id: 99_999 }));
    expectLocked(() => store.replaceBudget(budget));
    expectLocked(() => store.setDepartment({ code: 'X', name: 'Y' }));
    expectLocked(() => store.setAmountUnit('元'));
    expectLocked(() => store.importCodeList('functional', 2020, []));
    expectLocked(() => store.upsertUnit({ code: '9', name: '新单位', kind: 'administrative' }));
    expectLocked(() => store.deleteUnit('074001'));
    expectLocked(() => store.upsertProject({ ...project, name: '改名' }));
    expectLocked(() => store.deleteProject(project.code));
    expectLocked(() => store.setIncome([]));
    expectLocked(() => store.setProcurement([]));
    expectLocked(() => store.setDepartmentPerformance(null));
    expectLocked(() => store.setPriorYear(null));
    // A write that gets past the store's own check (say, a method added later without it) meets the file's
    // triggers and is refused in the same words.
    expectLocked(() => (store as unknown as { run(sql: string): unknown }).run('UPDATE lines SET amount = amount + 1'));
    expect(store.loadBudget()).toEqual(budget);
    // The app's own bookkeeping (undo history, wizard positions) is not the budget and stays writable.
    store.setMeta('app.test', 'x');
    expect(store.getMeta('app.test')).toBe('x');

    expect(() => store.unlock('  ')).toThrow(/原因/);
    const event = store.unlock('控制数调整，需修改项目支出', { by: '张三', at: new Date(NOW.getTime() + 60_000) });
    expect(event).toMatchObject({ event: 'unlocked', by: '张三', reason: '控制数调整，需修改项目支出', submissionId: null });
    expect(store.isLocked()).toBe(false);
    expect(() => store.unlock('再解一次')).toThrow(/未锁定/);
    store.updateLine(line.id, { amount: line.amount + 1n });
    expect(store.lockEvents().map((e) => e.event)).toEqual(['submitted', 'unlocked']);
    expect(store.lastSubmission()?.id).toBe(sub.id);
    store.close();
  });

  it('the file itself refuses changes while locked, whichever program writes, and keeps its record', () => {
    const file = budgetDb(dir, fixtureBudget(), 'raw.budget');
    const store = BudgetStore.open(file);
    store.lockForSubmission({ manifest: JSON.parse('{}'), snapshotJson: '{}', file: 'x.zip' });
    store.close();
    const raw = new Database(file);
    for (const sql of [
      'UPDATE lines SET amount = amount + 1',
      'DELETE FROM projects',
      "INSERT INTO units (code, position, name, kind) VALUES ('9', 9, 'x', 'administrative')",
      'DELETE FROM code_entries',
      "INSERT INTO received_packages VALUES ('1','x',2020,'f','s','c','r','{}','{}')",
    ]) {
      expect(() => raw.exec(sql), sql).toThrow(LOCKED_MESSAGE);
    }
    expect(() => raw.exec('DELETE FROM lock_events')).toThrow('上报记录不能修改或删除');
    expect(() => raw.exec("UPDATE submissions SET snapshot = '{\"x\":1}'")).toThrow('上报记录不能修改或删除');
    raw.close();
  });
});

describe('上报 through exportPackage, the CLI and receive', () => {
  let db: string;
  let usb: string;

  beforeAll(() => {
    db = budgetDb(dir, fixtureBudget(), 'unit.budget');
    usb = join(dir, 'usb');
    mkdirSync(usb);
  });

  it('a verified package locks the budget and keeps the exact budget it carried', async () => {
    const budget = fixtureBudget();
    const r = await exportPackage({ dbPath: db, outDir: usb, notes: notesFor(budget), now: NOW });
    expect(r.consolidated).toBe(false);
    expect(r.submission).not.toBeNull();
    const store = BudgetStore.open(db);
    const last = store.lastSubmission()!;
    const entries = await readZipEntries(readFileSync(r.file));
    expect(last.snapshotJson).toBe(new TextDecoder().decode(entries.find((e) => e.name === BUDGET_FILE)!.bytes));
    expect(last.lineIds).toEqual(store.loadBudget().lines.map((l) => l.id));
    expect(last.manifest.totals.expenditure).toBe('1740.2');
    expect(submissionStatus(store)).toMatchObject({ locked: true, submissions: 1, lastSubmission: { fileName: last.fileName, consolidated: false } });
    store.close();

    // Exporting again while locked is allowed (a lost stick): a second submission.
    const again = await exportPackage({ dbPath: db, outDir: usb, notes: notesFor(budget), now: new Date(NOW.getTime() + 60_000) });
    expect(again.file).not.toBe(r.file);
    const s2 = BudgetStore.open(db);
    expect(s2.submissions()).toHaveLength(2);
    expect(s2.lockEvents().map((e) => e.event)).toEqual(['submitted', 'submitted']);
    s2.close();
  });

  it('the CLI shows the lock, refuses to import into the locked file, and unlocks only with a reason', async () => {
    const before = readFileSync(db);
    let c = io();
    expect(await run(['status', '--db', db], c.io)).toBe(0);
    expect(c.out.join('')).toMatch(/^预算已上报并锁定/);
    expect(c.out.join('')).toContain('支出总计 1740.2 万元');

    c = io();
    const fixtureFile = join(import.meta.dirname, '..', 'fixtures', 'jiyuan-2020', 'budget.json');
    expect(await run(['import', fixtureFile, '--db', db], c.io)).toBe(2);
    expect(c.err.join('')).toContain(LOCKED_MESSAGE);

    c = io();
    expect(await run(['unlock', '--db', db], c.io)).toBe(2);
    expect(c.err.join('')).toContain('解锁必须说明原因');
    expect(readFileSync(db).equals(before)).toBe(true);

    c = io();
    expect(await run(['unlock', '--db', db, '--reason', '财政局退回修改', '--by', '李四'], c.io)).toBe(0);
    expect(c.out.join('')).toContain('已解锁');
    c = io();
    expect(await run(['status', '--db', db, '--format', 'json'], c.io)).toBe(0);
    const status = JSON.parse(c.out.join('')) as ReturnType<typeof submissionStatus>;
    expect(status.locked).toBe(false);
    expect(status.events.at(-1)).toMatchObject({ event: 'unlocked', by: '李四', reason: '财政局退回修改' });
  });

  it('the diff since the submission follows each line by id, with fields, projects and cells', async () => {
    const store = BudgetStore.open(db);
    const budget = store.loadBudget();
    const reception = budget.lines.find((l) => l.economic === '30217' && l.kind === 'basic')!; // 0.5
    store.updateLine(reception.id, { economic: '30216', amount: reception.amount + amount('0.2') });
    const gone = budget.lines.find((l) => l.economic === '30113')!; // 住房公积金 29.7
    store.deleteLine(gone.id);
    const { id: _id, ...copy } = gone;
    const added = store.insertLine({ ...copy, amount: amount('30') });
    const p01 = store.getProject('P01')!;
    store.upsertProject({ ...p01, annualGoal: '调整后的年度目标' });
    const d = diffSinceSubmission(store)!;
    store.close();

    expect(d.diff.matchedBy).toBe('id');
    expect(d.consolidated).toBe(false);
    const byId = new Map(d.diff.lines.map((l) => [l.afterLine?.id ?? l.beforeLine!.id, l]));
    expect(byId.get(reception.id)).toMatchObject({ change: 'changed', before: '0.5', after: '0.7' });
    expect(byId.get(reception.id)!.fields.map((f) => f.field)).toEqual(['economic', 'amount']);
    expect(byId.get(gone.id)).toMatchObject({ change: 'removed', before: '29.7', after: null });
    expect(byId.get(added.id)).toMatchObject({ change: 'added', before: null, after: '30' });
    expect(d.diff.lines).toHaveLength(3);
    expect(d.diff.projects).toEqual([expect.objectContaining({ code: 'P01', fields: [expect.objectContaining({ field: 'annualGoal', after: '调整后的年度目标' })] })]);
    expect(d.diff.totals).toEqual({ before: '1740.2', after: '1740.7' });
    expect(d.diff.cells).toEqual(expect.arrayContaining([expect.objectContaining({ table: 'T08', row: 'reception', before: '1.5', after: '1' })]));

    let c = io();
    expect(await run(['diff', '--db', db], c.io)).toBe(0);
    const text = c.out.join('');
    expect(text).toMatch(/^自 .* 上报（数据包 .*\.zip）以来的变化：/);
    expect(text).toContain('预算行：新增 1，删除 1，修改 1');
    expect(text).toContain('经济分类 30217 → 30216；金额 0.5 → 0.7');
    expect(text).toContain('P01');
    c = io();
    expect(await run(['diff', '--db', db, '--format', 'json'], c.io)).toBe(0);
    expect(JSON.parse(c.out.join('')).diff.lines).toHaveLength(3);
  });

  it('diff refuses a file that never submitted', async () => {
    const fresh = budgetDb(dir, fixtureBudget(), 'fresh.budget');
    const c = io();
    expect(await run(['diff', '--db', fresh], c.io)).toBe(2);
    expect(c.err.join('')).toContain('尚未上报');
  });

  it('a department that has submitted refuses to receive until unlocked', async () => {
    const dep = departmentDb(dir, 2020, 'dep.budget');
    const unit = adminUnitBudget();
    const unitDb = budgetDb(dir, unit, 'admin.budget');
    const out = join(dir, 'usb-admin');
    mkdirSync(out);
    const pkg = await exportPackage({ dbPath: unitDb, outDir: out, notes: notesFor(unit), now: NOW });
    const store = BudgetStore.open(dep);
    store.lockForSubmission({ manifest: JSON.parse('{}'), snapshotJson: '{}', file: 'dep.zip' });
    store.close();
    const before = readFileSync(dep);
    const error = await receivePackage({ zipPath: pkg.file, dbPath: dep, now: NOW }).catch((e: Error) => e);
    expect((error as Error).message).toContain('已上报并锁定');
    expect(readFileSync(dep).equals(before)).toBe(true);
    const s = BudgetStore.open(dep);
    s.unlock('接收补报的单位数据包');
    s.close();
    const received = await receivePackage({ zipPath: pkg.file, dbPath: dep, now: NOW });
    expect(received.unit.code).toBe('074002');
    expect(received.diff.projects.map((p) => [p.change, p.code])).toEqual([['added', 'P01']]);
  });
});
