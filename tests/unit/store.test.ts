import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseCodeListCsv, type CodeEntry } from '../../core/codelists.js';
import { parseExchange, serializeExchange } from '../../core/exchange.js';
import type { Budget } from '../../core/model.js';
import { APPLICATION_ID, MIGRATIONS_DIR, applyPending, loadMigrations, readSqliteHeader } from '../../db/migrate.js';
import { BudgetStore, StoreError } from '../../db/store.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'jiyuan-2020', 'budget.json');
const fixtureText = readFileSync(FIXTURE, 'utf8');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'budget-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function fixtureBudget(store: BudgetStore): Budget {
  const r = parseExchange(fixtureText, (y) => store.codeBook(y));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.budget;
}

/** A closed budget file holding the fixture. */
function fixtureFile(name = 'budget.db'): string {
  const file = join(dir, name);
  const store = BudgetStore.open(file, { create: true });
  store.replaceBudget(fixtureBudget(store));
  store.close();
  return file;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The file's bytes and that no write-ahead log or shared-memory file lies beside it. */
function snapshot(file: string) {
  return { hash: sha256(file), wal: existsSync(`${file}-wal`), shm: existsSync(`${file}-shm`) };
}

function expectStoreError(fn: () => unknown, kind: string, message?: string | RegExp): StoreError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).kind).toBe(kind);
    if (message) expect((err as StoreError).message).toMatch(message);
    return err as StoreError;
  }
  throw new Error('expected a StoreError');
}

describe('BudgetStore: opening and migrations', () => {
  // The app's own migrations: the tests below hold whatever their number.
  const APP_MIGRATIONS = loadMigrations(MIGRATIONS_DIR);
  const N = APP_MIGRATIONS.length;
  const nextName = (suffix: string) => `${String(N + 1).padStart(4, '0')}_${suffix}.sql`;
  const copyAppMigrations = (to: string) => {
    for (const m of APP_MIGRATIONS) copyFileSync(join(MIGRATIONS_DIR, m.name), join(to, m.name));
  };

  it('creates a file with every migration recorded, WAL and foreign keys on', () => {
    const file = join(dir, 'new.db');
    const store = BudgetStore.open(file, { create: true });
    expect(store.path).toBe(file);
    expect(store.appliedMigrations().map((m) => m.name)).toEqual(APP_MIGRATIONS.map((m) => m.name));
    expect(store.appliedMigrations()[0]!.name).toBe('0001_initial.sql');
    expect(store.appliedMigrations()[0]!.appliedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(store.schemaVersion()).toBe(N);
    expect(store.hasBudget()).toBe(false);
    store.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    raw.close();
  });

  it('opens a file that another session holds open, its latest changes still in the write-ahead log', () => {
    const file = join(dir, 'shared.db');
    const first = BudgetStore.open(file, { create: true });
    first.replaceBudget(fixtureBudget(first));
    expect(existsSync(`${file}-wal`)).toBe(true);
    const second = BudgetStore.open(file);
    expect(second.loadBudget().lines).toHaveLength(45);
    second.close();
    first.close();
  });

  it('reads the header through SQLite when the file’s own header is still only in the write-ahead log', () => {
    const file = join(dir, 'uncheckpointed.db');
    const writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    applyPending(writer, loadMigrations(MIGRATIONS_DIR), 0);
    expect(readSqliteHeader(file)?.applicationId ?? 0).toBe(0);
    const store = BudgetStore.open(file);
    expect(store.schemaVersion()).toBe(loadMigrations(MIGRATIONS_DIR).length);
    store.close();
    writer.close();
  });

  it('refuses a missing file without creating it', () => {
    const file = join(dir, 'absent.db');
    expectStoreError(() => BudgetStore.open(file), 'missing', /找不到预算文件/);
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a file that is not a budget file and leaves it untouched', () => {
    const text = join(dir, 'notes.db');
    writeFileSync(text, 'just some text, long enough to have a header of a hundred bytes or so…'.repeat(3));
    const before = snapshot(text);
    expectStoreError(() => BudgetStore.open(text), 'not-budget', /不是预算文件/);
    expect(snapshot(text)).toEqual(before);

    const foreign = join(dir, 'other-app.sqlite');
    const db = new Database(foreign);
    db.exec('CREATE TABLE t (x)');
    db.close();
    const foreignBefore = snapshot(foreign);
    expectStoreError(() => BudgetStore.open(foreign, { create: true }), 'not-budget', /其他程序/);
    expect(snapshot(foreign)).toEqual(foreignBefore);
  });

  it('refuses a file written by a newer version and leaves it byte-identical', () => {
    const file = fixtureFile();
    const raw = new Database(file);
    raw.pragma(`user_version = ${N + 6}`);
    raw.close();
    const before = snapshot(file);
    expect(before).toEqual({ hash: before.hash, wal: false, shm: false });
    expectStoreError(
      () => BudgetStore.open(file),
      'newer',
      `此预算文件由更新版本的程序创建（架构版本 ${N + 6}），当前程序支持到 ${N}，请升级程序后再打开`,
    );
    expect(snapshot(file)).toEqual(before);
  });

  it('applies a new migration to an older file, and an older app then refuses the file untouched', () => {
    const file = fixtureFile();
    const newer = join(dir, 'migrations-v2');
    mkdirSync(newer);
    copyAppMigrations(newer);
    writeFileSync(join(newer, nextName('line_notes')), 'CREATE TABLE line_notes (line INTEGER PRIMARY KEY, note TEXT);');
    const upgraded = BudgetStore.open(file, { migrationsDir: newer });
    expect(upgraded.appliedMigrations().map((m) => m.name)).toEqual([...APP_MIGRATIONS.map((m) => m.name), nextName('line_notes')]);
    expect(upgraded.schemaVersion()).toBe(N + 1);
    expect(upgraded.loadBudget().lines).toHaveLength(45);
    upgraded.close();
    const before = snapshot(file);
    expectStoreError(() => BudgetStore.open(file), 'newer', new RegExp(`架构版本 ${N + 1}），当前程序支持到 ${N}`));
    expect(snapshot(file)).toEqual(before);
  });

  it('checks against an older file before upgrading it: a refusal rolls the upgrade back, byte for byte', () => {
    const file = fixtureFile('older.db');
    const newer = join(dir, 'migrations-deferred');
    mkdirSync(newer);
    copyAppMigrations(newer);
    writeFileSync(join(newer, nextName('line_notes')), 'CREATE TABLE line_notes (line INTEGER PRIMARY KEY, note TEXT);');
    const before = snapshot(file);

    const refusing = BudgetStore.open(file, { migrationsDir: newer, upgrade: false });
    expect(refusing.schemaVersion()).toBe(N);
    expect(() =>
      refusing.upgradeWith(() => {
        // The work sees the upgraded schema, and what it writes goes back with the upgrade.
        expect(refusing.schemaVersion()).toBe(N + 1);
        refusing.setMeta('note', 'written before the refusal');
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(refusing.schemaVersion()).toBe(N);
    refusing.close();
    expect(snapshot(file)).toEqual(before);

    const accepting = BudgetStore.open(file, { migrationsDir: newer, upgrade: false });
    expect(accepting.upgradeWith(() => accepting.loadBudget().lines.length)).toBe(45);
    accepting.close();
    const upgraded = BudgetStore.open(file, { migrationsDir: newer });
    expect(upgraded.appliedMigrations().map((m) => m.name)).toEqual([...APP_MIGRATIONS.map((m) => m.name), nextName('line_notes')]);
    expect(upgraded.getMeta('note')).toBeNull();
    upgraded.close();
  });

  it('refuses to run when the applied migrations are not a prefix of the app’s', () => {
    const file = fixtureFile();
    const other = join(dir, 'migrations-other');
    mkdirSync(other);
    writeFileSync(join(other, '0001_something_else.sql'), 'CREATE TABLE x (y);');
    for (let i = 2; i <= APP_MIGRATIONS.length; i++) writeFileSync(join(other, `${String(i).padStart(4, '0')}_more.sql`), `CREATE TABLE z${i} (y);`);
    const before = snapshot(file);
    expectStoreError(() => BudgetStore.open(file, { migrationsDir: other }), 'inconsistent', /架构记录与当前程序不一致/);
    expect(snapshot(file)).toEqual(before);
  });

  it('rolls back a migration that fails, leaving the file at its previous version', () => {
    const file = fixtureFile();
    const broken = join(dir, 'migrations-broken');
    mkdirSync(broken);
    copyAppMigrations(broken);
    writeFileSync(join(broken, nextName('broken')), 'CREATE TABLE ok_table (x); CREATE TABLE lines (x);');
    expect(() => BudgetStore.open(file, { migrationsDir: broken })).toThrow();
    const store = BudgetStore.open(file);
    expect(store.schemaVersion()).toBe(N);
    expect(store.appliedMigrations()).toHaveLength(N);
    store.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'ok_table'").get()).toBeUndefined();
    raw.close();
  });
});

describe('BudgetStore: the budget', () => {
  it('stores the fixture and gives it back unchanged, amounts exact', () => {
    const file = join(dir, 'b.db');
    const store = BudgetStore.open(file, { create: true });
    const budget = fixtureBudget(store);
    store.replaceBudget(budget);
    store.close();
    const again = BudgetStore.open(file);
    const loaded = again.loadBudget();
    expect(loaded).toEqual(budget);
    expect(serializeExchange(loaded)).toBe(serializeExchange(budget));
    again.close();
  });

  it('keeps bigint amounts exact up to the largest allowed', () => {
    const store = BudgetStore.open(join(dir, 'big.db'), { create: true });
    const budget = fixtureBudget(store);
    budget.lines[0]!.amount = 9_007_199_254_740_991n;
    budget.lines[1]!.amount = 1n;
    store.replaceBudget(budget);
    const loaded = store.loadBudget();
    expect(loaded.lines[0]!.amount).toBe(9_007_199_254_740_991n);
    expect(typeof loaded.lines[1]!.amount).toBe('bigint');
    store.close();
  });

  it('refuses a structurally broken budget and keeps the stored one', () => {
    const file = fixtureFile();
    const store = BudgetStore.open(file);
    const bad = store.loadBudget();
    bad.lines[0]!.economic = '301';
    bad.lines[1]!.unit = 'nowhere';
    const err = expectStoreError(() => store.replaceBudget(bad), 'invalid', /2 处错误/);
    expect(err.problems.map((p) => p.field)).toEqual(['lines[0].economic', 'lines[1].unit']);
    expect(store.loadBudget().lines[0]!.economic).toBe('30101');
    store.close();
  });

  it('reports an empty file plainly', () => {
    const store = BudgetStore.open(join(dir, 'empty.db'), { create: true });
    expectStoreError(() => store.loadBudget(), 'empty', /还没有预算/);
    store.close();
  });

  it('edits lines: insert, update, delete, restore under the same id, all persisted', () => {
    const file = fixtureFile();
    let store = BudgetStore.open(file);
    const added = store.insertLine({
      unit: '074001', functional: '2010350', economic: '30201', kind: 'basic', project: null, fund: 'gpb.appropriation', amount: 12_345n,
    });
    expect(added.id).toBe(46);
    const { before, after } = store.updateLine(added.id, { kind: 'project', project: 'P03', amount: 99n, remark: '调整' });
    expect(before).toEqual(added);
    expect(after).toMatchObject({ id: 46, kind: 'project', project: 'P03', amount: 99n, remark: '调整' });
    // Switching back to basic drops the project.
    expect(store.updateLine(added.id, { kind: 'basic' }).after.project).toBeNull();
    store.close();

    store = BudgetStore.open(file);
    const deleted = store.deleteLine(46);
    expect(store.getLine(46)).toBeNull();
    // A new line never takes the id of a deleted one, so undo can put it back.
    const other = store.insertLine({ ...deleted, amount: 1n });
    expect(other.id).toBe(47);
    expect(store.restoreLine(deleted)).toEqual(deleted);
    expect(store.loadBudget().lines.map((l) => l.id).slice(-2)).toEqual([46, 47]);
    store.close();
  });

  it('refuses a bad line edit with every reason and changes nothing', () => {
    const file = fixtureFile();
    const store = BudgetStore.open(file);
    const err = expectStoreError(
      () => store.updateLine(1, { functional: '20103', economic: '39998', fund: 'nope' as never, amount: -1n }),
      'invalid',
    );
    expect(err.problems.map((p) => p.field)).toEqual(['functional', 'economic', 'fund', 'amount']);
    expect(err.message).toContain('款级科目，此处须填写项级科目');
    expectStoreError(() => store.insertLine({ ...store.getLine(1)!, kind: 'project', project: 'P99' }), 'invalid', /项目“P99”不存在/);
    expectStoreError(() => store.updateLine(999, { amount: 1n }), 'not-found', /预算行 #999 不存在/);
    store.close();
    const reread = BudgetStore.open(file);
    expect(reread.getLine(1)).toMatchObject({ functional: '2010350', economic: '30101', amount: 140_900_000n });
    expect(reread.loadBudget().lines).toHaveLength(45);
    reread.close();
  });

  it('renames a project on its lines and refuses to delete a project still in use', () => {
    const store = BudgetStore.open(fixtureFile());
    const p03 = store.getProject('P03')!;
    const linesOfP03 = store.loadBudget().lines.filter((l) => l.project === 'P03').length;
    const { after } = store.upsertProject({ ...p03, code: 'X03', name: '改名后的项目' }, 'P03');
    expect(after).toMatchObject({ code: 'X03', name: '改名后的项目', indicators: p03.indicators });
    const b = store.loadBudget();
    expect(b.lines.filter((l) => l.project === 'X03')).toHaveLength(linesOfP03);
    expect(b.procurement.some((x) => x.project === 'X03')).toBe(true);
    expect(b.projects.map((p) => p.code)[2]).toBe('X03'); // keeps its place
    expectStoreError(() => store.deleteProject('X03'), 'in-use', /仍有 \d+ 条预算行/);
    expectStoreError(() => store.upsertProject({ ...p03, code: 'P01' }, 'X03'), 'invalid', /已被其他项目使用/);
    const fresh = store.upsertProject({ code: 'N1', unit: '074001', name: '新项目', category: 'general', yearAmount: 0n, indicators: [] });
    expect(fresh.before).toBeNull();
    expect(store.deleteProject('N1').code).toBe('N1');
    store.close();
  });

  it('stores department performance, prior year and meta', () => {
    const store = BudgetStore.open(fixtureFile());
    store.setDepartmentPerformance({ dutyGoal: '目标', tasks: [{ name: '任务', content: '内容' }], indicators: [] });
    store.setPriorYear({ total: 5n });
    store.setMeta('stage', '二上');
    const b = store.loadBudget();
    expect(b.departmentPerformance).toEqual({ dutyGoal: '目标', tasks: [{ name: '任务', content: '内容' }], indicators: [] });
    expect(b.priorYear).toEqual({ total: 5n });
    expect(store.getMeta('stage')).toBe('二上');
    expect(store.getMeta('absent')).toBeNull();
    store.close();
  });
});

describe('BudgetStore: code lists', () => {
  const newEntries: CodeEntry[] = [
    { code: '2010398', name: '新设的项', level: '项', parent: '20103' },
    { code: '2010350', name: '事业运行（更正后的名称）', level: '项', parent: '20103' },
  ];

  it('loads a year’s list: adds codes and corrects names, for that year only, kept across budget imports', () => {
    const file = fixtureFile();
    let store = BudgetStore.open(file);
    expect(store.codeBook(2020).functional.has('2010398')).toBe(false);
    expect(store.importCodeList('functional', 2020, newEntries)).toEqual({ added: 1, changed: 1 });
    // Loading the same list again changes nothing more.
    expect(store.importCodeList('functional', 2020, newEntries)).toEqual({ added: 0, changed: 0 });
    expect(store.codeBook(2020).functional.name('2010350')).toBe('事业运行（更正后的名称）');
    expect(store.codeBook(2021).functional.has('2010398')).toBe(false);
    // A line may now use the new code.
    expect(store.updateLine(1, { functional: '2010398' }).after.functional).toBe('2010398');
    // Replacing the budget keeps the loaded lists.
    store.replaceBudget(fixtureBudget(store));
    store.close();
    store = BudgetStore.open(file);
    expect(store.codeBook(2020).functional.get('2010398')).toEqual(newEntries[0]);
    store.close();
  });

  it('keeps each functional 科目’s budget: from the shipped list, from a loaded list’s budget column, kept when a list has none', () => {
    const file = fixtureFile();
    let store = BudgetStore.open(file);
    const shipped = store.codeBook(2020).functional;
    expect([shipped.budgetOf('2120814'), shipped.budgetOf('2230101'), shipped.budgetOf('2010350')]).toEqual(['fund', 'state-capital', 'general']);
    const csv = [
      'code,name,level,parent_code,year,budget',
      '2120898,新设的基金项,项,21208,2020,',
      '2010397,改列基金的项,项,20103,2020,政府性基金预算',
      '2230198,国资项,项,22301,2020,国有资本经营',
    ].join('\n');
    const parsed = parseCodeListCsv(csv, 'functional');
    if (!parsed.ok) throw new Error(parsed.problems[0]!.message);
    expect(store.importCodeList('functional', 2020, parsed.entries)).toEqual({ added: 3, changed: 0 });
    // A list without the column changes no budget.
    expect(store.importCodeList('functional', 2020, [{ code: '2010397', name: '改列基金的项', level: '项', parent: '20103' }])).toEqual({ added: 0, changed: 0 });
    store.close();
    store = BudgetStore.open(file);
    const book = store.codeBook(2020).functional;
    expect([book.budgetOf('2120898'), book.budgetOf('2010397'), book.budgetOf('2230198'), book.budgetOf('2010350')]).toEqual(['fund', 'fund', 'state-capital', 'general']);
    store.close();
    // A file written before the column existed holds no budget: the shipped list says.
    const raw = new Database(file);
    raw.prepare("UPDATE code_entries SET budget = NULL WHERE source = 'default'").run();
    raw.close();
    store = BudgetStore.open(file);
    expect(store.codeBook(2020).functional.budgetOf('2120814')).toBe('fund');
    store.close();
  });

  it('reads the budget column of a code list CSV, refusing a value it does not know and the column on an economic list', () => {
    const bad = parseCodeListCsv('code,name,level,parent_code,budget\n2120898,项,项,21208,社保基金\n', 'functional');
    expect(bad).toEqual({ ok: false, problems: [{ line: 2, field: 'budget', message: '所属预算“社保基金”无效，应为 一般公共预算、政府性基金预算、国有资本经营预算 或留空（同上级科目）' }] });
    const economic = parseCodeListCsv('code,name,level,parent_code,budget\n30288,款,款,302,一般公共预算\n', 'economic');
    expect(economic.ok).toBe(false);
  });

  it('refuses a list whose entries do not fit, storing none of it', () => {
    const store = BudgetStore.open(fixtureFile());
    const err = expectStoreError(
      () =>
        store.importCodeList('economic', 2020, [
          { code: '30288', name: '好的', level: '款', parent: '302' },
          { code: '38801', name: '孤儿', level: '款', parent: '388' },
          { code: '3021', name: '位数错', level: '款', parent: '302' },
        ]),
      'invalid',
    );
    expect(err.problems).toHaveLength(2);
    expect(store.codeBook(2020).economic.has('30288')).toBe(false);
    store.close();
  });

  it('keeps the lists a file was compiled against when the shipped defaults change', async () => {
    const file = fixtureFile();
    const year2020Before = BudgetStore.open(file);
    const originalName = year2020Before.codeBook(2020).economic.name('30101');
    year2020Before.close();

    // A later app version ships defaults without 30101 and with another name for 2010350.
    vi.resetModules();
    vi.doMock('../../db/defaults.js', async (importOriginal) => {
      const real = await importOriginal<typeof import('../../db/defaults.js')>();
      const { CodeList } = await import('../../core/codelists.js');
      const edit = (kind: 'functional' | 'economic' | 'government-economic') =>
        real
          .defaultEntries(kind)
          .filter((e) => e.code !== '30101')
          .map((e) => (e.code === '2010350' ? { ...e, name: '新版默认名称' } : e));
      return {
        ...real,
        defaultEntries: edit,
        defaultCodeBook: (year: number) => ({
          year,
          functional: new CodeList('functional', edit('functional')),
          economic: new CodeList('economic', edit('economic')),
          government: new CodeList('government-economic', edit('government-economic')),
          mapping: real.defaultMapping(),
        }),
      };
    });
    try {
      const upgraded = await import('../../db/store.js');
      const store = upgraded.BudgetStore.open(file);
      expect(store.codeBook(2020).economic.name('30101')).toBe(originalName);
      expect(store.codeBook(2020).functional.name('2010350')).not.toBe('新版默认名称');
      // The stored budget still passes the structural checks against its own lists.
      expect(() => store.replaceBudget(store.loadBudget())).not.toThrow();
      // A year the file has no lists for follows the new defaults.
      expect(store.codeBook(2031).economic.has('30101')).toBe(false);
      expect(store.codeBook(2031).functional.name('2010350')).toBe('新版默认名称');
      store.close();
    } finally {
      vi.doUnmock('../../db/defaults.js');
      vi.resetModules();
    }
  });
});
