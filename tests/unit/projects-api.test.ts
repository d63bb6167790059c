// 项目库 through the API over a real budget file holding the 济源 2020 fixture, called through dispatch as the
// hosts call it: the projects' master data listed, added, changed and deleted apart from the 绩效 wizard, each
// one transaction and one undo step; a project lines use is not deleted (the refusal says how many lines and
// where, and the file stays byte for byte as it was); a new project given to a line in the same action; a line
// given a project takes the project's 功能分类 when it has none of its own.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiInput, ApiMethod, ApiOutputs, LineRow } from '../../api/contract.js';
import type { ProjectRecord } from '../../api/projects.js';
import type { BasicsValues } from '../../api/wizard.js';
import { BASIC_FIELDS } from '../../api/wizard.js';
import { BudgetSession, createBudgetService } from '../../api/service.js';
import { BudgetStore } from '../../db/store.js';
import { callOk, callRefused } from './api-support.js';

const FIXTURE = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'jiyuan-2020', 'budget.json'), 'utf8');

let dir: string;
let dbPath: string;
let service: BudgetSession;

const ok = <M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutputs[M]> => callOk(service, method, input);
const refused = async (method: ApiMethod, input: unknown) => callRefused(service, method, input);
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function library(): Promise<ProjectRecord[]> {
  return (await ok('projects.library', {})).projects;
}

async function project(code: string): Promise<ProjectRecord | undefined> {
  return (await library()).find((p) => p.code === code);
}

async function lines(): Promise<LineRow[]> {
  return (await ok('lines.list', {})).lines;
}

const valuesOf = (p: ProjectRecord, changes: Partial<BasicsValues> = {}): BasicsValues =>
  ({ ...Object.fromEntries(BASIC_FIELDS.map((f) => [f, p[f]])), ...changes }) as BasicsValues;

/** A new project's values (the form's blank, filled in). */
async function fresh(changes: Partial<BasicsValues>): Promise<BasicsValues> {
  const blank = await ok('projects.blank', {});
  return { ...blank.values, ...changes };
}

/** The project as the file holds it (read by a second connection, as another program would). */
function stored(code: string) {
  const store = BudgetStore.open(dbPath);
  try {
    return store.getProject(code);
  } finally {
    store.close();
  }
}

function reopen(): void {
  service.close();
  service = createBudgetService({ dbPath, budgetsDir: dir });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'projects-api-'));
  dbPath = join(dir, 'b.budget');
  service = createBudgetService({ dbPath, budgetsDir: dir });
  await ok('exchange.import', { text: FIXTURE });
});

afterEach(() => {
  service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('项目库: the projects and their master data', () => {
  it('lists every project with its master data, amounts as exact strings, and the lines that use it', async () => {
    const lib = await ok('projects.library', {});
    expect(lib).toMatchObject({ fiscalYear: 2020, amountUnit: '万元', nextCode: 'P14', units: [{ code: '074001', name: '济源市行政服务中心' }] });
    expect(lib.projects.map((p) => p.code)).toEqual(['P01', 'P02', 'P03', 'P04', 'P05', 'P06', 'P07', 'P08', 'P09', 'P10', 'P11', 'P12', 'P13']);
    expect(lib.projects[0]).toMatchObject({
      code: 'P01',
      name: '电子政务信息化项目专家论证费',
      unit: '074001',
      unitName: '济源市行政服务中心',
      category: 'general',
      categoryLabel: '一般性项目',
      functional: '2010306',
      leader: '宋晓波',
      start: '2020-01-01',
      end: '2020-12-31',
      totalAmount: '5',
      yearAmount: '5',
      priorTotalAmount: '5',
      priorYearAmount: '5',
      lineCount: 2,
    });
    expect(lib.projects[0]!.functionalName).not.toBe('');
    expect(lib.projects.find((p) => p.code === 'P11')!.lineCount).toBe(7);
  });

  it('adds a project as one undo step; undo removes it from the file, redo brings it back', async () => {
    const values = await fresh({ name: '政务服务效能评估', functional: '2010301', leader: '张三', yearAmount: '12.345678', totalAmount: '20', priorTotalAmount: '8.5' });
    expect(values.code).toBe('P14');
    const r = await ok('projects.save', { code: null, values });
    expect(r.message).toContain('已新建项目 P14“政务服务效能评估”');
    expect(r.changes.canUndo).toBe(true);
    expect(r.project).toMatchObject({ code: 'P14', functional: '2010301', leader: '张三', yearAmount: '12.345678', totalAmount: '20', priorTotalAmount: '8.5', priorYearAmount: '', lineCount: 0 });
    // Integer 分 at rest: 12.345678 万元 is 12,345,678 分, exactly.
    expect(stored('P14')).toMatchObject({ yearAmount: 12_345_678n, totalAmount: 20_000_000n, priorTotalAmount: 8_500_000n });
    expect(stored('P14')!.priorYearAmount).toBeUndefined();
    // The wizard sees it as any project (its 绩效目标表 begun with the tree's standard rows).
    const wizard = await ok('wizard.project', { code: 'P14' });
    expect(wizard.fields.leader).toBe('张三');
    expect(wizard.indicators.length).toBeGreaterThan(0);
    // Its grid picker offers it.
    expect((await ok('codes.search', { kind: 'project', query: '效能评估' })).map((o) => o.code)).toEqual(['P14']);

    const undone = await ok('edit.undo', {});
    expect(undone).toMatchObject({ done: true, message: '已撤销：新建项目 P14' });
    expect(await project('P14')).toBeUndefined();
    expect(stored('P14')).toBeNull();
    expect((await ok('codes.search', { kind: 'project', query: '效能评估' }))).toEqual([]);
    await ok('edit.redo', {});
    expect(await project('P14')).toMatchObject({ name: '政务服务效能评估', yearAmount: '12.345678' });
    expect(stored('P14')).toMatchObject({ yearAmount: 12_345_678n });
    // The step survives a restart like every other.
    reopen();
    expect((await ok('edit.undo', {})).done).toBe(true);
    expect(stored('P14')).toBeNull();
  });

  it('changes the master data as one undo step and keeps what the wizard wrote; undo after a wizard edit keeps it too', async () => {
    const before = (await project('P01'))!;
    const texts = stored('P01')!;
    const r = await ok('projects.save', { code: 'P01', values: valuesOf(before, { leader: '李四', name: '专家论证费（更名）', yearAmount: '5.5', phone: '' }) });
    expect(r.message).toBe('已修改项目 P01“专家论证费（更名）”（可撤销）');
    expect(r.project).toMatchObject({ leader: '李四', name: '专家论证费（更名）', yearAmount: '5.5', phone: '' });
    const after = stored('P01')!;
    expect(after).toMatchObject({ leader: '李四', yearAmount: 5_500_000n, overview: texts.overview, annualGoal: texts.annualGoal });
    expect(after.phone).toBeUndefined();
    expect(after.indicators).toEqual(texts.indicators);
    // The grid's names follow.
    expect((await ok('lines.list', {})).names.projects.P01).toBe('专家论证费（更名）');

    // The wizard writes a text meanwhile; undoing the 项目库 edit brings the master data back and keeps the text.
    const wizard = await ok('wizard.project', { code: 'P01' });
    await ok('wizard.saveDetails', {
      code: 'P01',
      values: { overview: '新的项目概况', basis: wizard.fields.basis, necessity: wizard.fields.necessity, measures: wizard.fields.measures, plan: wizard.fields.plan, remarks: wizard.fields.remarks },
    });
    expect((await ok('edit.undo', {})).message).toBe('已撤销：修改项目 P01');
    expect(stored('P01')).toMatchObject({ leader: '宋晓波', name: before.name, yearAmount: 5_000_000n, phone: '6633496', overview: '新的项目概况' });
    expect(await project('P01')).toEqual(before);
    await ok('edit.redo', {});
    expect(stored('P01')).toMatchObject({ leader: '李四', overview: '新的项目概况' });
  });

  it('a new code is carried to the project’s lines, and undo carries the old one back', async () => {
    const p07Lines = (await lines()).filter((l) => l.project === 'P07').map((l) => l.id);
    expect(p07Lines).toHaveLength(4);
    const r = await ok('projects.save', { code: 'P07', values: valuesOf((await project('P07'))!, { code: 'P07A' }) });
    expect(r.message).toContain('其 4 条预算行随之改用新编码');
    expect(r.changes.changed.map((l) => l.id).sort()).toEqual([...p07Lines].sort());
    expect(r.changes.changed.every((l) => l.project === 'P07A')).toBe(true);
    expect((await lines()).filter((l) => l.project === 'P07A').map((l) => l.id)).toEqual(p07Lines);
    expect(stored('P07')).toBeNull();
    const undone = await ok('edit.undo', {});
    expect(undone.changed.every((l) => l.project === 'P07')).toBe(true);
    expect((await lines()).filter((l) => l.project === 'P07').map((l) => l.id)).toEqual(p07Lines);
    expect(stored('P07A')).toBeNull();
    expect(stored('P07')).not.toBeNull();
  });

  it('deletes a project no line uses as one undo step; undo restores it whole, with its wizard state', async () => {
    await ok('projects.save', { code: null, values: await fresh({ name: '临时项目', yearAmount: '1' }) });
    await ok('wizard.visit', { code: 'P14', position: 'goals' });
    const whole = stored('P14')!;
    const r = await ok('projects.delete', { code: 'P14' });
    expect(r.message).toBe('已删除项目 P14“临时项目”（可撤销）');
    expect(stored('P14')).toBeNull();
    expect((await ok('wizard.list', {})).projects.some((p) => p.code === 'P14')).toBe(false);
    expect((await ok('edit.undo', {})).message).toBe('已撤销：删除项目 P14');
    expect(stored('P14')).toEqual(whole);
    expect((await ok('wizard.list', {})).projects.find((p) => p.code === 'P14')?.position).toBe('goals');
  });

  it('refuses to delete a project lines use, saying how many and where; the file is left byte for byte as it was', async () => {
    service.close();
    const hash = sha(dbPath);
    service = createBudgetService({ dbPath, budgetsDir: dir });
    const p11 = await refused('projects.delete', { code: 'P11' });
    expect(p11.message).toContain('项目 P11');
    expect(p11.message).toContain('7 条预算行');
    expect(p11.message).toContain('074001 济源市行政服务中心 7 条');
    expect(p11.message).toContain('功能分类');
    expect(p11.message).toContain('条政府采购');
    expect(p11.message).toContain('不能删除');
    expect(p11.message).toContain('「预算明细」');
    const p01 = await refused('projects.delete', { code: 'P01' });
    expect(p01.message).toMatch(/仍被 2 条预算行（074001 济源市行政服务中心 2 条，功能分类 \d{7} /);
    // Values that cannot be read are refused before anything is written, each at its field.
    const bad = await refused('projects.save', { code: 'P01', values: valuesOf((await project('P01'))!, { code: 'P02', start: '2020-13-45', yearAmount: '1.2.3' }) });
    expect(bad.issues?.map((i) => i.path).sort()).toEqual(['code', 'start', 'yearAmount']);
    expect((await refused('projects.delete', { code: 'P99' })).message).toContain('项目“P99”不存在');
    expect((await ok('budget.info', {})).canUndo).toBe(false);
    service.close();
    expect(sha(dbPath)).toBe(hash);
    service = createBudgetService({ dbPath, budgetsDir: dir });
    expect(await project('P11')).toBeDefined();
  });
});

describe('a new project from the grid', () => {
  it('is prefilled with the typed name and the line’s unit, 功能分类 and amount', async () => {
    const line = (await lines()).find((l) => l.project === null && l.functional === '2010350')!;
    const blank = await ok('projects.blank', { text: '政务服务大厅改造', line: line.id });
    expect(blank.values).toMatchObject({ code: 'P14', name: '政务服务大厅改造', unit: line.unit, functional: '2010350', yearAmount: line.amount, category: 'general', start: '2020-01-01', end: '2020-12-31' });
    expect(blank.functionalName).not.toBe('');
    // A code typed is taken as the code.
    expect((await ok('projects.blank', { text: 'XM-2020-07', line: line.id })).values).toMatchObject({ code: 'XM-2020-07', name: '' });
  });

  it('is created and taken by the line in one action; one undo takes both back', async () => {
    const before = await lines();
    const line = before.find((l) => l.project === null && l.functional === '2010350')!;
    const totals = (await ok('budget.info', {})).totals;
    const values = (await ok('projects.blank', { text: '政务服务大厅改造', line: line.id })).values;
    const r = await ok('projects.save', { code: null, values, assignLine: line.id });
    expect(r.message).toBe('已新建项目 P14“政务服务大厅改造”，并用于所选预算行（可撤销）');
    expect(r.changes.changed).toEqual([{ ...line, kind: 'project', project: 'P14' }]);
    expect(r.changes.names.projects?.P14).toBe('政务服务大厅改造');
    expect(r.project).toMatchObject({ code: 'P14', lineCount: 1, linesAmount: line.amount, yearAmount: line.amount });
    // The line moved from 基本支出 to 项目支出: the total stays, the split follows.
    expect(r.changes.totals.total).toBe(totals.total);
    expect(r.changes.totals.project).not.toBe(totals.project);
    const undone = await ok('edit.undo', {});
    expect(undone.changed).toEqual([line]);
    expect(await lines()).toEqual(before);
    expect(stored('P14')).toBeNull();
    expect((await ok('budget.info', {})).canUndo).toBe(false);
    await ok('edit.redo', {});
    expect((await lines()).find((l) => l.id === line.id)).toMatchObject({ kind: 'project', project: 'P14' });
  });

  it('an unknown project typed in a line is refused with where projects are created', async () => {
    const line = (await lines())[0]!;
    const r = await refused('lines.update', { id: line.id, field: 'project', value: '没有这个项目' });
    expect(r.message).toContain('项目“没有这个项目”不存在');
    expect(r.message).toContain('「项目库」');
  });
});

describe('a line given a project takes the project’s 功能分类 when it has none', () => {
  it('a new line for a project, a pasted row without one, and a cleared 功能分类', async () => {
    await ok('projects.save', { code: null, values: await fresh({ name: '政务公开', functional: '2010301', yearAmount: '0' }) });
    const basic = (await lines()).find((l) => l.project === null && l.functional === '2010350')!;
    // A new line like a basic line, given the project: booked on the project's 功能分类, not the template's.
    const added = await ok('lines.add', { like: basic.id, values: { project: 'P14' } });
    expect(added.added[0]).toMatchObject({ functional: '2010301', kind: 'project', project: 'P14' });
    // Given a 功能分类 of its own, it keeps it.
    const own = await ok('lines.add', { like: basic.id, values: { project: 'P14', functional: '2010350' } });
    expect(own.added[0]).toMatchObject({ functional: '2010350', project: 'P14' });
    // A pasted row without 功能分类.
    const pasted = await ok('lines.paste', { rows: [['074001', '', '30201', '', 'P14', 'gpb.appropriation', '1.5']], startId: null, startField: 'unit' });
    expect(pasted.rejected).toEqual([]);
    expect(pasted.added[0]).toMatchObject({ functional: '2010301', economic: '30201', project: 'P14', amount: '1.5' });
    // A 功能分类 cleared on a project line goes back to the project's; on a basic line it is refused.
    const id = own.added[0]!.id;
    const cleared = await ok('lines.update', { id, field: 'functional', value: '' });
    expect(cleared.changed[0]).toMatchObject({ id, functional: '2010301' });
    expect((await refused('lines.update', { id: basic.id, field: 'functional', value: '' })).message).toContain('功能分类不能为空');
    // Undo goes back one step at a time.
    await ok('edit.undo', {});
    expect((await lines()).find((l) => l.id === id)!.functional).toBe('2010350');
  });
});
