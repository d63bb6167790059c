// The 上报 API over real budget files and the real 济源 2020 fixture, called through dispatch as the hosts call
// it: the 上报 dialog's findings and 说明 drafts, the export job and its failures, the lock, unlock and diff,
// receiving on the department's side (upload, inspect, replace, refuse), the consolidated tables, and line
// items to and from .xlsx as one undoable step.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiInput, ApiMethod, ApiOutputs, TableView } from '../../api/contract.js';
import { dispatch } from '../../api/dispatch.js';
import { BudgetSession, createBudgetService } from '../../api/service.js';
import { EXPORT_RUNNING_MESSAGE, NOTES_META_KEY } from '../../api/areas/submission/state.js';
import { serializeExchange } from '../../core/exchange.js';
import { LOCKED_MESSAGE } from '../../db/store.js';
import { fixtureBudget } from './submission-fixture.js';

const FIXTURE = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'jiyuan-2020', 'budget.json'), 'utf8');

let dir: string;
const sessions: BudgetSession[] = [];

function open(name: string): BudgetSession {
  const s = createBudgetService({ dbPath: join(dir, name), budgetsDir: dir });
  sessions.push(s);
  return s;
}

async function ok<M extends ApiMethod>(s: BudgetSession, method: M, input: ApiInput<M>): Promise<ApiOutputs[M]> {
  const r = await dispatch(s, method, input);
  if ('error' in r) throw new Error(`${method} refused: ${r.error.message}`);
  return r.result as ApiOutputs[M];
}

async function refused(s: BudgetSession, method: ApiMethod, input: unknown): Promise<{ message: string; issues?: { message: string }[] }> {
  const r = await dispatch(s, method, input);
  if (!('error' in r)) throw new Error(`${method} was accepted`);
  return r.error;
}

/** Runs an export job to its end, recording the steps seen while polling. */
async function exportTo(s: BudgetSession, outDir: string) {
  const { job } = await ok(s, 'submission.export', { outDir });
  const steps: string[] = [];
  for (let i = 0; i < 600; i++) {
    const p = await ok(s, 'submission.exportProgress', { job });
    if (p.step && steps.at(-1) !== p.step) steps.push(p.step);
    if (p.state !== 'running') return { ...p, steps };
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('export did not finish');
}

/** Fixes P05 and P09 (项目总金额 below 本年度金额) through the wizard, as a user would. */
async function fixProjects(s: BudgetSession): Promise<void> {
  for (const code of ['P05', 'P09']) {
    const p = await ok(s, 'wizard.project', { code });
    const f = p.fields;
    await ok(s, 'wizard.saveBasics', {
      code,
      values: {
        code: f.code, name: f.name, unit: f.unit, category: f.category, functional: f.functional, usage: f.usage, leader: f.leader,
        contact: f.contact, phone: f.phone, start: f.start, end: f.end, totalAmount: f.yearAmount, yearAmount: f.yearAmount,
        priorTotalAmount: f.priorTotalAmount, priorYearAmount: f.priorYearAmount,
      },
    });
  }
}

/** 说明 for every soft finding of the 上报 dialog. */
async function explainAll(s: BudgetSession): Promise<number> {
  const prep = await ok(s, 'submission.prepare', {});
  if (prep.soft.length) await ok(s, 'submission.saveNotes', { notes: prep.soft.map((f) => ({ key: f.key, note: `已核实：${f.ruleDescription}` })) });
  return prep.soft.length;
}

/** A unit's budget file with the fixture, ready to submit. */
async function readyUnit(name = 'unit.budget'): Promise<BudgetSession> {
  const s = open(name);
  await ok(s, 'exchange.import', { text: FIXTURE });
  await fixProjects(s);
  await explainAll(s);
  return s;
}

function cellText(view: TableView | undefined, rowKey: string, column: string): string | undefined {
  for (const row of view?.rows ?? []) for (const c of row.cells) if (c.row === rowKey && c.column === column) return c.text;
  return undefined;
}

async function department(name = 'department.budget'): Promise<BudgetSession> {
  const s = open(name);
  await ok(s, 'budget.create', {
    department: { code: '074', name: '济源市行政服务中心（主管部门）' },
    units: [{ code: '074000', name: '主管部门机关本级', kind: 'administrative' }],
    fiscalYear: 2020,
    amountUnit: '万元',
  });
  return s;
}

/** The fixture's 基本工资 line of 2010350 (140.9 万元): changing it breaks no identity. */
function basicLine(lines: ApiOutputs['lines.list']['lines']) {
  const l = lines.find((x) => x.kind === 'basic' && x.functional === '2010350' && x.economic === '30101');
  if (!l) throw new Error('fixture line 2010350/30101 missing');
  return l;
}

const upload = (file: string) => ({ upload: { fileName: file.split('/').pop()!, base64: readFileSync(file).toString('base64') } });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'submission-api-'));
});

afterEach(() => {
  for (const s of sessions.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the 上报 dialog', () => {
  it('lists the hard findings (P05, P09) and the soft ones with keys; 说明 drafts survive a restart', async () => {
    const s = open('u.budget');
    await ok(s, 'exchange.import', { text: FIXTURE });
    const prep = await ok(s, 'submission.prepare', {});
    expect(prep.locked).toBe(false);
    expect(prep.consolidated).toBe(false);
    expect(prep.hard.map((f) => [f.rule, f.place.project])).toEqual([
      ['project.total-below-year', 'P05'],
      ['project.total-below-year', 'P09'],
    ]);
    expect(prep.hard[0]!.key).toBe('project.total-below-year@table=T11;project=P05;field=totalAmount');
    expect(prep.soft.length).toBeGreaterThan(0);
    expect(prep.soft.every((f) => f.severity === 'warning' && f.note === '' && f.key.startsWith(`${f.rule}@`))).toBe(true);
    expect(prep.totals).toMatchObject({ unit: '万元', expenditure: '1740.2' });

    const first = prep.soft[0]!;
    await ok(s, 'submission.saveNotes', { notes: [{ key: first.key, note: '单位新增职能，已报财政审核' }] });
    s.close();
    const again = open('u.budget');
    const prep2 = await ok(again, 'submission.prepare', {});
    expect(prep2.soft.find((f) => f.key === first.key)?.note).toBe('单位新增职能，已报财政审核');
    // An empty note removes the draft.
    await ok(again, 'submission.saveNotes', { notes: [{ key: first.key, note: '  ' }] });
    expect((await ok(again, 'submission.prepare', {})).soft.find((f) => f.key === first.key)?.note).toBe('');
  });

  it('refuses to export while hard findings remain, and while a soft finding has no 说明; nothing is written', async () => {
    const s = open('u.budget');
    await ok(s, 'exchange.import', { text: FIXTURE });
    const out = join(dir, 'stick');
    mkdirSync(out);
    const hard = await exportTo(s, out);
    expect(hard.state).toBe('failed');
    expect(hard.error?.code).toBe('audit-hard');
    expect(hard.error?.message).toContain('审核发现 2 个错误');
    expect(hard.error?.details.join('\n')).toContain('P05');
    await fixProjects(s);
    const notes = await exportTo(s, out);
    expect(notes.error?.code).toBe('notes-missing');
    expect(readdirSync(out)).toEqual([]);
    expect((await ok(s, 'submission.status', {})).locked).toBe(false);
  });

  it('refuses a folder that is not a full path, and one that does not exist', async () => {
    const s = await readyUnit();
    expect((await refused(s, 'submission.export', { outDir: 'stick' })).message).toContain('完整路径');
    const gone = await exportTo(s, join(dir, 'no-such-stick'));
    expect(gone.state).toBe('failed');
    expect(gone.error?.message).toContain('不存在或无法访问');
  });
});

describe('export, lock, unlock and the diff since the submission', () => {
  it('writes the package through every step, locks the budget, refuses edits, unlocks with a reason and shows the diff', async () => {
    const s = await readyUnit();
    const out = join(dir, 'stick');
    mkdirSync(out);
    // An edit before 上报, so that there is something to undo afterwards.
    const first = (await ok(s, 'lines.list', {})).lines[0]!;
    await ok(s, 'lines.update', { id: first.id, field: 'remark', value: '上报前核对' });
    const done = await exportTo(s, out);
    expect(done.state).toBe('done');
    expect(done.result!.folder).toBe(out);
    expect(done.result!.fileName).toMatch(/^2020_074_济源市行政服务中心_\d{8}-\d{4}\.zip$/);
    expect(readdirSync(out)).toEqual([done.result!.fileName]);
    expect(done.result!.size).toBeGreaterThan(10_000);
    // The steps arrive in order (a fast machine may pass some between two polls).
    const order = ['tables', 'pdf', 'write', 'verify'];
    expect(done.steps.map((x) => order.indexOf(x))).toEqual([...done.steps.map((x) => order.indexOf(x))].sort());
    expect(done.step).toBe('verify');

    const st = await ok(s, 'submission.status', {});
    expect(st.locked).toBe(true);
    expect(st.lockedAt).toBe(st.last!.createdAt);
    expect(st.last).toMatchObject({ fileName: done.result!.fileName, consolidated: false, totals: { expenditure: '1740.2' } });
    expect(st.lastFolder).toBe(out);
    expect(st.events.map((e) => e.event)).toEqual(['submitted']);
    // 操作人 is recorded for 上报 as for 解锁: the system user.
    expect(st.events[0]!.by).toBe(userInfo().username);

    // Every edit is refused with the store's message; the 说明 drafts (bookkeeping) may still be kept.
    const line = basicLine((await ok(s, 'lines.list', {})).lines);
    expect((await refused(s, 'lines.update', { id: line.id, field: 'amount', value: '1' })).message).toBe(LOCKED_MESSAGE);
    expect((await refused(s, 'lines.add', {})).message).toBe(LOCKED_MESSAGE);
    expect((await refused(s, 'edit.undo', {})).message).toContain(LOCKED_MESSAGE);
    await ok(s, 'submission.saveNotes', { notes: [{ key: 'x@y', note: 'z' }] });
    expect((await ok(s, 'lines.list', {})).lines.find((l) => l.id === line.id)!.amount).toBe(line.amount);

    expect((await refused(s, 'submission.unlock', { reason: '   ' })).message).toBe('解锁必须填写原因');
    const unlocked = await ok(s, 'submission.unlock', { reason: '财政局退回：调整培训费' });
    expect(unlocked.locked).toBe(false);
    expect(unlocked.events.at(-1)).toMatchObject({ event: 'unlocked', reason: '财政局退回：调整培训费', by: userInfo().username });
    expect((await refused(s, 'submission.unlock', { reason: '再解锁' })).message).toContain('未锁定');

    const before = (await ok(s, 'submission.diff', {}))!;
    expect(before.diff.unchanged).toBe(true);
    await ok(s, 'lines.update', { id: line.id, field: 'amount', value: '150.9' });
    const after = (await ok(s, 'submission.diff', {}))!;
    expect(after.fileName).toBe(done.result!.fileName);
    expect(after.diff.counts.lines).toEqual({ added: 0, removed: 0, changed: 1 });
    const changed = after.diff.lines[0]!;
    expect(changed).toMatchObject({ change: 'changed', lineId: line.id, before: line.amount, after: '150.9' });
    expect(changed.functional).toMatch(/^2010350 /);
    expect(changed.fields).toEqual([{ field: 'amount', label: '金额', before: line.amount, after: '150.9' }]);
    expect(after.diff.totals).toEqual({ before: '1740.2', after: '1750.2' });
    const t01 = after.diff.cells.filter((c) => c.table === 'T01');
    expect(t01.length).toBeGreaterThan(0);
    expect(t01.every((c) => c.before !== c.after)).toBe(true);
  });

  it('a failing write (disk full) leaves nothing at the destination and does not lock', async () => {
    const s = await readyUnit();
    const out = join(dir, 'full-stick');
    mkdirSync(out);
    s.submission.fileSystem = {
      write: async () => {
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      },
    };
    const failed = await exportTo(s, out);
    expect(failed.state).toBe('failed');
    expect(failed.step).toBe('write');
    expect(failed.error?.message).toContain('目标磁盘空间不足');
    expect(failed.error?.message).toContain('目标文件夹中没有留下任何文件');
    expect(readdirSync(out)).toEqual([]);
    expect((await ok(s, 'submission.status', {})).locked).toBe(false);
  });
});

describe('receiving on the department side', () => {
  it('inspects an uploaded package, receives it, shows the unit in the consolidated T02, and shows changes on replacing', async () => {
    const unit = await readyUnit();
    const out = join(dir, 'stick');
    mkdirSync(out);
    const first = await exportTo(unit, out);
    const dept = await department();

    const insp = await ok(dept, 'submission.inspect', upload(first.result!.file));
    expect(insp).toMatchObject({
      fileName: first.result!.fileName,
      checksumsOk: true,
      fileCount: 15, // budget.json, 11 tables, tables.pdf, document.docx, document.pdf
      unit: { code: '074', name: '济源市行政服务中心' },
      fiscalYear: 2020,
      previous: null,
      older: false,
      diff: null,
      blocked: null,
      totals: { expenditure: '1740.2', unit: '万元' },
    });
    expect(insp.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(insp.notes.length).toBeGreaterThan(0);
    expect(insp.notes.every((n) => n.note.startsWith('已核实'))).toBe(true);

    const got = await ok(dept, 'submission.receive', { ticket: insp.ticket });
    expect(got.unit).toMatchObject({ code: '074', replaced: false });
    expect(got.status.received).toEqual([
      expect.objectContaining({ code: '074', fileName: first.result!.fileName, totals: expect.objectContaining({ expenditure: '1740.2' }) }),
    ]);
    // The ticket is used up.
    expect((await refused(dept, 'submission.receive', { ticket: insp.ticket })).message).toContain('已失效');

    const consolidated = await ok(dept, 'submission.tables', {});
    expect(consolidated.consolidated).toBe(true);
    const t02 = consolidated.tables.find((t) => t.id === 'T02');
    const unitRow = t02?.rows.find((r) => r.cells.some((c) => c.text.includes('074001')));
    expect(unitRow, 'the unit has its row in T02').toBeDefined();
    expect(consolidated.tables.flatMap((t) => t.rows.flatMap((r) => r.cells)).some((c) => c.drillable)).toBe(false);
    const own = await ok(dept, 'submission.tables', { ownOnly: true });
    expect(own.consolidated).toBe(false);
    expect(own.tables.find((t) => t.id === 'T02')?.rows.some((r) => r.cells.some((c) => c.text.includes('074001')))).toBe(false);

    // The unit unlocks, changes a line and submits again: the department sees what changed before replacing.
    await ok(unit, 'submission.unlock', { reason: '补充培训费' });
    const line = basicLine((await ok(unit, 'lines.list', {})).lines);
    await ok(unit, 'lines.update', { id: line.id, field: 'amount', value: '150.9' });
    await new Promise((r) => setTimeout(r, 1100)); // a later createdAt than the first package
    await explainAll(unit); // the changed amount may raise a new 提示
    const second = await exportTo(unit, out);
    expect(second.error).toBeUndefined();
    expect(second.state).toBe('done');
    const again = await ok(dept, 'submission.inspect', upload(second.result!.file));
    expect(again.previous?.fileName).toBe(first.result!.fileName);
    expect(again.diff?.counts.lines.changed).toBe(1);
    expect(again.diff?.totals).toEqual({ before: '1740.2', after: '1750.2' });
    const replaced = await ok(dept, 'submission.receive', { ticket: again.ticket });
    expect(replaced.unit.replaced).toBe(true);
    // The older package is now refused unless the user says so.
    const older = await ok(dept, 'submission.inspect', upload(first.result!.file));
    expect(older.older).toBe(true);
    expect((await refused(dept, 'submission.receive', { ticket: older.ticket })).message).toContain('比已接收的旧');
  });

  it('refuses a damaged package with its reason, and leaves the department file as it was', async () => {
    const unit = await readyUnit();
    const out = join(dir, 'stick');
    mkdirSync(out);
    const done = await exportTo(unit, out);
    const dept = await department();
    // A flipped byte lands in a different entry's data, header or directory depending on where it falls (the
    // package's content depends on the export time): each must be refused as damaged.
    const original = readFileSync(done.result!.file);
    for (const at of [0.1, 0.25, 0.5, 0.75, 0.97]) {
      const bytes = Buffer.from(original);
      bytes[Math.floor(bytes.length * at)]! ^= 0xff;
      const err = await refused(dept, 'submission.inspect', { upload: { fileName: 'bad.zip', base64: bytes.toString('base64') } });
      expect(err.message, `byte at ${at}`).toMatch(/损坏|校验|不一致|无法读取/);
    }
    expect((await ok(dept, 'submission.status', {})).received).toEqual([]);
    // Not a zip at all, and not base64 at all.
    expect((await refused(dept, 'submission.inspect', { upload: { fileName: 'x.zip', base64: Buffer.from('hello').toString('base64') } })).message).not.toBe('');
    expect((await refused(dept, 'submission.inspect', { upload: { fileName: 'x.zip', base64: '%%%' } })).message).toContain('base64');
    expect((await refused(dept, 'submission.inspect', {})).message).toContain('二选一');
  });

  it('says why a package of another year cannot be received, and a locked department cannot receive', async () => {
    const unit = await readyUnit();
    const out = join(dir, 'stick');
    mkdirSync(out);
    const done = await exportTo(unit, out);
    const other = open('dept-2021.budget');
    await ok(other, 'budget.create', {
      department: { code: '074', name: '主管部门' },
      units: [{ code: '074000', name: '本级', kind: 'administrative' }],
      fiscalYear: 2021,
      amountUnit: '万元',
    });
    expect((await refused(other, 'submission.inspect', { path: done.result!.file })).message).toContain('2020 年度');

    // The unit's own file is locked: it shows why, and receiving is refused by the store's rule.
    const self = await ok(unit, 'submission.inspect', { path: done.result!.file }).catch((e: Error) => e);
    expect(self instanceof Error ? self.message : self.blocked).toMatch(/锁定|汇总/);
  });
});

describe('line items in .xlsx', () => {
  it('exports the template and imports it back: a preview first, then appended as one undoable step', async () => {
    const s = open('u.budget');
    await ok(s, 'exchange.import', { text: FIXTURE });
    const count = (await ok(s, 'lines.list', {})).lines.length;
    const tpl = await ok(s, 'submission.linesTemplate', {});
    expect(tpl.fileName).toBe('济源市行政服务中心-2020年预算明细.xlsx');
    const file = join(dir, tpl.fileName);
    const written = await ok(s, 'submission.linesTemplate', { path: file });
    expect(written).toMatchObject({ path: file, base64: null });
    expect(existsSync(file)).toBe(true);

    const preview = await ok(s, 'submission.importLines', { upload: { fileName: tpl.fileName, base64: tpl.base64! }, mode: 'append', apply: false });
    expect(preview).toMatchObject({ applied: false, accepted: count, rejected: [], replacing: 0, undoable: true, changes: null });
    expect((await ok(s, 'lines.list', {})).lines.length).toBe(count);

    const applied = await ok(s, 'submission.importLines', { path: file, mode: 'append', apply: true });
    expect(applied.applied).toBe(true);
    expect(applied.changes!.added.length).toBe(count);
    expect(applied.changes!.totals.total).toBe('3480.4');
    const undone = await ok(s, 'edit.undo', {});
    expect(undone.message).toContain('从 Excel 导入明细');
    expect(undone.removed.length).toBe(count);
    expect((await ok(s, 'budget.info', {})).totals.total).toBe('1740.2');
  });

  it('replace deletes the lines first; rejected rows name row, column and reason', async () => {
    const s = open('u.budget');
    await ok(s, 'exchange.import', { text: FIXTURE });
    const tpl = await ok(s, 'submission.linesTemplate', {});
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(tpl.base64!, 'base64') as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('预算明细')!;
    // Find the 功能分类编码 column and break the first data row.
    let headerRow = 0;
    let functionalCol = 0;
    ws.eachRow((row, r) => {
      row.eachCell((c, col) => {
        if (!headerRow && String(c.value) === '功能分类编码') {
          headerRow = r;
          functionalCol = col;
        }
      });
    });
    expect(headerRow).toBeGreaterThan(0);
    ws.getRow(headerRow + 1).getCell(functionalCol).value = '9999999';
    const broken = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    const count = (await ok(s, 'lines.list', {})).lines.length;

    const preview = await ok(s, 'submission.importLines', { upload: { fileName: 'x.xlsx', base64: broken }, mode: 'replace', apply: false });
    expect(preview.accepted).toBe(count - 1);
    expect(preview.replacing).toBe(count);
    expect(preview.rejected).toHaveLength(1);
    expect(preview.rejected[0]).toMatchObject({ row: headerRow + 1, column: '功能分类编码' });
    expect(preview.rejected[0]!.reason).toContain('9999999');

    const applied = await ok(s, 'submission.importLines', { upload: { fileName: 'x.xlsx', base64: broken }, mode: 'replace', apply: true });
    expect(applied.changes!.removed.length).toBe(count);
    expect(applied.changes!.added.length).toBe(count - 1);
    expect((await ok(s, 'lines.list', {})).lines.length).toBe(count - 1);
    await ok(s, 'edit.undo', {});
    expect((await ok(s, 'lines.list', {})).lines.length).toBe(count);

    expect((await refused(s, 'submission.importLines', { upload: { fileName: 'x.xlsx', base64: Buffer.from('no').toString('base64') }, mode: 'append', apply: false })).message).toContain('.xlsx');
  });

  it('refuses an import into a locked budget', async () => {
    const s = await readyUnit();
    const tpl = await ok(s, 'submission.linesTemplate', {});
    const out = join(dir, 'stick');
    mkdirSync(out);
    expect((await exportTo(s, out)).state).toBe('done');
    const err = await refused(s, 'submission.importLines', { upload: { fileName: 'x.xlsx', base64: tpl.base64! }, mode: 'append', apply: false });
    expect(err.message).toBe(LOCKED_MESSAGE);
  });
});

describe('native dialogs', () => {
  it('are not available without a desktop host, and pass the kind and the last folder when they are', async () => {
    const s = await readyUnit();
    expect(await ok(s, 'submission.choose', { kind: 'package-folder' })).toEqual({ available: false, path: null });
    const asked: unknown[] = [];
    s.submission.chooseFile = async (req) => {
      asked.push(req);
      return req.kind === 'package-folder' ? '/media/usb' : null;
    };
    const st = s as unknown as { store: { setMeta(k: string, v: string): void } };
    st.store.setMeta('submission.lastFolder', '/media/old');
    expect(await ok(s, 'submission.choose', { kind: 'package-folder' })).toEqual({ available: true, path: '/media/usb' });
    expect(await ok(s, 'submission.choose', { kind: 'receive-package' })).toEqual({ available: true, path: null });
    expect(asked).toEqual([{ kind: 'package-folder', suggested: '/media/old' }, { kind: 'receive-package' }]);
    expect(NOTES_META_KEY).toBe('submission.notes');
  });
});

// Keeps the fixture helper honest: the fixed budget is what fixProjects produces through the wizard.
it('fixProjects gives the same projects as the fixed fixture', async () => {
  const s = open('a.budget');
  await ok(s, 'exchange.import', { text: FIXTURE });
  await fixProjects(s);
  const b = open('b.budget');
  await ok(b, 'exchange.import', { text: serializeExchange(fixtureBudget(true)) });
  expect((await ok(s, 'submission.prepare', {})).hard).toEqual([]);
  expect((await ok(s, 'submission.prepare', {})).soft.map((f) => f.key)).toEqual((await ok(b, 'submission.prepare', {})).soft.map((f) => f.key));
});

describe('the desktop host\'s dialogs for the page', () => {
  it('asks for a folder for 上报, a .zip to receive, and an .xlsx to save with its extension added', async () => {
    const { pageDialogSpec, pageFileChooser } = await import('../../electron/page-dialogs.js');
    expect(pageDialogSpec('package-folder', '/media/usb')).toMatchObject({ mode: 'open', options: { defaultPath: '/media/usb', properties: ['openDirectory', 'createDirectory'] } });
    expect(pageDialogSpec('receive-package').options).toMatchObject({ filters: [{ extensions: ['zip'] }], properties: ['openFile'] });
    const asked: { kind: string; options: Record<string, unknown> }[] = [];
    const dialog = {
      showOpenDialog: async (...args: unknown[]) => {
        asked.push({ kind: 'open', options: args.at(-1) as Record<string, unknown> });
        return { canceled: false, filePaths: ['/media/usb'] };
      },
      showSaveDialog: async (...args: unknown[]) => {
        asked.push({ kind: 'save', options: args.at(-1) as Record<string, unknown> });
        return { canceled: false, filePath: '/home/u/明细' };
      },
    };
    const choose = pageFileChooser(dialog as never, () => null);
    expect(await choose({ kind: 'package-folder' })).toBe('/media/usb');
    expect(await choose({ kind: 'lines-template', suggested: '明细.xlsx' })).toBe('/home/u/明细.xlsx');
    expect(asked.map((a) => a.kind)).toEqual(['open', 'save']);
    expect(asked[1]!.options).toMatchObject({ defaultPath: '明细.xlsx' });
  });
});

describe('edits racing a 上报 export', () => {
  it('an edit while the package is written is refused; the locked budget is exactly what the package carries', async () => {
    const s = await readyUnit();
    const out = join(dir, 'race-stick');
    mkdirSync(out);
    const line = basicLine((await ok(s, 'lines.list', {})).lines);
    const attempts: string[] = [];
    // The edit arrives while the package is being written to the stick.
    s.submission.fileSystem = {
      write: async (path, data) => {
        const r = await dispatch(s, 'lines.update', { id: line.id, field: 'amount', value: '4265.8' });
        attempts.push('error' in r ? r.error.message : 'accepted');
        const { nodeFileSystem } = await import('../../submission/safe-write.js');
        return nodeFileSystem.write(path, data);
      },
    };
    const done = await exportTo(s, out);
    expect(done.state).toBe('done');
    expect(attempts).toEqual([EXPORT_RUNNING_MESSAGE]);
    const status = await ok(s, 'submission.status', {});
    expect(status.locked).toBe(true);
    expect(status.last!.totals.expenditure).toBe(done.result!.totals.expenditure);
    expect((await ok(s, 'budget.info', {})).totals.total).toBe(done.result!.totals.expenditure);
    expect((await ok(s, 'submission.diff', {}))!.diff.unchanged).toBe(true);
    // Edits are refused for the lock's reason afterwards, no longer for the export's.
    expect((await refused(s, 'lines.update', { id: line.id, field: 'amount', value: '1' })).message).toBe(LOCKED_MESSAGE);
  });

  it('a budget file changed behind the session while its package is written is not locked, and the package is removed', async () => {
    const s = await readyUnit();
    const out = join(dir, 'changed-stick');
    mkdirSync(out);
    const dbFile = join(dir, 'unit.budget');
    s.submission.fileSystem = {
      write: async (path, data) => {
        // Another program writes to the file (not through this session).
        const raw = new Database(dbFile);
        raw.prepare('UPDATE lines SET amount = amount + 100 WHERE id = (SELECT MIN(id) FROM lines)').run();
        raw.close();
        const { nodeFileSystem } = await import('../../submission/safe-write.js');
        return nodeFileSystem.write(path, data);
      },
    };
    const failed = await exportTo(s, out);
    expect(failed.state).toBe('failed');
    expect(failed.error?.code).toBe('changed');
    expect(failed.error?.message).toContain('生成上报数据包期间预算文件被修改');
    expect(readdirSync(out)).toEqual([]);
    expect((await ok(s, 'submission.status', {})).locked).toBe(false);
    const check = new Database(dbFile, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  });
});
