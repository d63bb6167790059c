// 另存为 (budget.saveAs, an SQLite backup of the open file) and loading a year's official code list
// (codes.import), through dispatch over real budget files holding the 济源 2020 fixture.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiInput, ApiMethod, ApiOutputs } from '../../api/contract.js';
import { dispatch } from '../../api/dispatch.js';
import { createBudgetService, type BudgetSession } from '../../api/service.js';
import { APPLICATION_ID, readSqliteHeader } from '../../db/migrate.js';
import { callOk, callRefused } from './api-support.js';

const FIXTURE = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'jiyuan-2020', 'budget.json'), 'utf8');

let dir: string;
let dbPath: string;
let service: BudgetSession;

const ok = <M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutputs[M]> => callOk(service, method, input);

const refused = (method: ApiMethod, input: unknown) => callRefused(service, method, input);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'api-files-'));
  dbPath = join(dir, 'b.budget');
  service = createBudgetService({ dbPath, budgetsDir: dir, recentFile: join(dir, 'recent.json') });
  await ok('exchange.import', { text: FIXTURE });
});

afterEach(() => {
  service.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A functional list for 2020 that renames 项 2010350 and adds 项 2010351 under 款 20103. */
const RENAME_AND_ADD = [
  'code,name,level,parent_code',
  '20103,政府办公厅（室）及相关机构事务,款,201',
  '2010350,事业运行（政务服务）,项,20103',
  '2010351,政务服务中心运行,项,20103',
].join('\r\n');

describe('codes.import', () => {
  it('loads the list: counts, then the picker, the names and the tables use it', async () => {
    const before = await ok('codes.search', { kind: 'functional', query: '政务服务中心' });
    expect(before).toEqual([]);
    const r = await ok('codes.import', { kind: 'functional', csvText: RENAME_AND_ADD });
    expect(r).toMatchObject({ kind: 'functional', year: 2020, entries: 3, added: 1, changed: 1 });
    expect(r.message).toContain('新增 1 个，修改 1 个');
    expect(await ok('codes.search', { kind: 'functional', query: '2010351' })).toEqual([{ code: '2010351', name: '政务服务中心运行', level: '项', path: '一般公共服务支出 › 政府办公厅（室）及相关机构事务' }]);
    const list = await ok('lines.list', {});
    expect(list.names.functional['2010350']).toBe('事业运行（政务服务）');
    // A line may now use the new code, and the audit knows it.
    const line = list.lines.find((l) => l.functional === '2010350')!;
    const cs = await ok('lines.update', { id: line.id, field: 'functional', value: '2010351' });
    expect(cs.changed[0]?.functional).toBe('2010351');
    const audit = await ok('audit.run', {});
    expect(audit.findings.some((f) => f.message.includes('2010351'))).toBe(false);
    // The list is in the file: a restart keeps it.
    service.close();
    service = createBudgetService({ dbPath, budgetsDir: dir, recentFile: join(dir, 'recent.json') });
    expect(await ok('codes.search', { kind: 'functional', query: '政务服务中心' })).toHaveLength(1);
  });

  it('refuses a bad list with every problem and its line, storing nothing', async () => {
    const bad = [
      'code,name,level,parent_code',
      '2010351,政务服务中心运行,项,20103',
      '20103999,太长的编码,项,20103',
      '2010352,,项,20103',
      '2999901,无上级,项,29999',
    ].join('\n');
    const err = await refused('codes.import', { kind: 'functional', csvText: bad });
    expect(err.message).toContain('未导入');
    expect(err.issues).toEqual([
      { path: '第 3 行（code）', message: expect.stringContaining('7 位') },
      { path: '第 4 行（name）', message: '科目名称为空' },
    ]);
    // The parents are checked against the year's list once the file itself reads.
    const orphan = await refused('codes.import', { kind: 'functional', csvText: 'code,name,level,parent_code\n2999901,无上级,项,29999\n' });
    expect(orphan.issues).toEqual([{ path: '第 2 行（parent_code）', message: expect.stringContaining('29999') }]);
    const header = await refused('codes.import', { kind: 'economic', csvText: '编码,名称\n30101,基本工资\n' });
    expect(header.issues?.[0]?.path).toBe('第 1 行');
    expect(await ok('codes.search', { kind: 'functional', query: '2010351' })).toEqual([]);
  });

  it('refuses a kind or a year outside the contract', async () => {
    expect((await refused('codes.import', { kind: 'unit', csvText: RENAME_AND_ADD })).message).toContain('参数无效');
    expect((await refused('codes.import', { kind: 'functional', year: 1999, csvText: RENAME_AND_ADD })).message).toContain('参数无效');
  });
});

describe('budget.saveAs', () => {
  it('copies everything — lines, undo history, code lists, wizard state — and opens the copy', async () => {
    await ok('codes.import', { kind: 'functional', csvText: RENAME_AND_ADD });
    const first = (await ok('lines.list', {})).lines[0]!;
    await ok('lines.update', { id: first.id, field: 'amount', value: '12.3' });
    await ok('wizard.setTemplate', { code: 'P01', template: 'national-2020-project' });
    const copy = join(dir, 'copy.budget');
    const info = await ok('budget.saveAs', { path: copy });
    expect(info).toMatchObject({ open: true, path: copy, canUndo: true, totals: (await ok('budget.info', {})).totals });
    expect(readSqliteHeader(copy)?.applicationId).toBe(APPLICATION_ID);
    expect(readdirSync(dir).filter((n) => n.endsWith('.part'))).toEqual([]);

    // Undo in the copy takes back the edit made before 另存为; the original keeps it.
    const undone = await ok('edit.undo', {});
    expect(undone.done).toBe(true);
    expect(undone.changed[0]?.amount).toBe(first.amount);
    expect(await ok('codes.search', { kind: 'functional', query: '2010351' })).toHaveLength(1);
    expect((await ok('wizard.project', { code: 'P01' })).template?.id).toBe('national-2020-project');

    service.close();
    service = createBudgetService({ dbPath, budgetsDir: dir, recentFile: join(dir, 'recent.json') });
    const original = await ok('lines.list', {});
    expect(original.lines.find((l) => l.id === first.id)?.amount).toBe('12.3');
    expect((await ok('budget.recent', {})).map((r) => r.path)).toContain(copy);
  });

  it('refuses an existing file unless told to replace it, a relative path, the open file, a missing folder', async () => {
    const taken = join(dir, 'taken.budget');
    writeFileSync(taken, 'x');
    expect((await refused('budget.saveAs', { path: taken })).message).toContain('已存在');
    expect(readFileSync(taken, 'utf8')).toBe('x');
    expect((await refused('budget.saveAs', { path: 'relative.budget' })).message).toContain('完整路径');
    expect((await refused('budget.saveAs', { path: dbPath })).message).toContain('当前打开');
    expect((await refused('budget.saveAs', { path: join(dir, 'nope', 'x.budget') })).message).toContain('不存在');
    mkdirSync(join(dir, 'folder.budget'));
    expect((await refused('budget.saveAs', { path: join(dir, 'folder.budget'), overwrite: true })).message).toContain('文件夹');
    expect((await refused('budget.saveAs', { path: taken, extra: 1 })).message).toContain('参数无效');
    expect((await ok('budget.info', {})).path).toBe(dbPath);

    const replaced = await ok('budget.saveAs', { path: taken, overwrite: true });
    expect(replaced.path).toBe(taken);
    expect(readSqliteHeader(taken)?.applicationId).toBe(APPLICATION_ID);
    expect(existsSync(dbPath)).toBe(true);
  });
});
