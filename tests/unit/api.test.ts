// The API service over a real SQLite budget file and the real 济源 2020 fixture, called through dispatch as
// the hosts call it.
import { describe, expect, it } from 'vitest';
import type { ChangeSet, TableView } from '../../api/contract.js';
import { amount, toExactString } from '../../core/money.js';
import { useApiFixture } from './api-support.js';

const api = useApiFixture({ prefix: 'api-test-' });
const { ok, refused, reopen } = api;

function cellText(view: TableView | undefined, rowKey: string, column: string): string | undefined {
  for (const row of view?.rows ?? []) for (const c of row.cells) if (c.row === rowKey && c.column === column) return c.text;
  return undefined;
}

describe('budget service', () => {
  it('imports the fixture: totals, lines and subtotals as exact decimal strings', async () => {
    const info = await ok('budget.info', {});
    expect(info.open).toBe(true);
    expect(info.department.name).toBe('济源市行政服务中心');
    expect(info.totals).toEqual({ total: '1740.2', basic: '560.8', project: '1179.4' });
    const list = await ok('lines.list', {});
    expect(list.lines.length).toBe(info.lineCount);
    const sub = new Map(list.subtotals.map((s) => [s.code, s]));
    expect(sub.get('201')?.level).toBe('类');
    expect(sub.get('2010350')?.amount).toBe('491.5');
    expect(list.names.functional['2010350']).toContain('事业运行');
    // Lines come in the grid's order: by functional code, then id.
    const keys = list.lines.map((l) => `${l.functional}:${String(l.id).padStart(6, '0')}`);
    expect([...keys].sort()).toEqual(keys);
  });

  it('lines.page gives the lines in pages that add up to lines.list, and follows an edit', async () => {
    const list = await ok('lines.list', {});
    const pages: number[] = [];
    for (let offset = 0; offset < list.lines.length; offset += 7) {
      const page = await ok('lines.page', { offset, limit: 7 });
      expect(page.lineCount).toBe(list.lines.length);
      expect(page.subtotals).toEqual(list.subtotals);
      expect(page.totals).toEqual(list.totals);
      for (const l of page.lines) expect(page.names.functional[l.functional]).toBe(list.names.functional[l.functional]);
      pages.push(...page.lines.map((l) => l.id));
    }
    expect(pages).toEqual(list.lines.map((l) => l.id));
    // An edit that moves a line to another 项 moves it in the order the pages follow.
    const last = list.lines.at(-1)!;
    await ok('lines.update', { id: last.id, field: 'functional', value: '2010101' });
    const first = await ok('lines.page', { offset: 0, limit: 1 });
    expect(first.lines[0]!.id).toBe(last.id);
  });

  it('reports.tables gives only the tables asked for, the same as in the whole set', async () => {
    const all = await ok('reports.tables', {});
    const some = await ok('reports.tables', { tables: ['T03', 'T08'] });
    expect(some.tables).toEqual(all.tables.filter((t) => t.table === 'T03' || t.table === 'T08'));
  });

  it('updates an amount typed with separators, saves it at once, and answers with only what changed', async () => {
    const list = await ok('lines.list', {});
    const line = list.lines.find((l) => l.functional === '2010350' && l.economic === '30101')!;
    const cs = await ok('lines.update', { id: line.id, field: 'amount', value: '1,234.5' });
    expect(cs.changed).toHaveLength(1);
    expect(cs.changed[0]!.amount).toBe('1234.5');
    expect(cs.added).toEqual([]);
    expect(cs.subtotals.map((s) => s.code).sort()).toEqual(['201', '20103', '2010350']);
    const item = cs.subtotals.find((s) => s.code === '2010350')!;
    expect(item.amount).toBe('1585.1'); // 491.5 - 140.9 + 1234.5
    expect(cs.totals.total).toBe('2833.8');
    expect(cs.changedTables).toEqual(expect.arrayContaining(['T01', 'T03', 'T06']));
    expect(cs.changedCells).toContainEqual({ table: 'T03', row: 'total', column: 'total', exact: '2833.8' });
    reopen();
    const again = await ok('lines.list', {});
    expect(again.lines.find((l) => l.id === line.id)!.amount).toBe('1234.5');
  });

  it('keeps total, 基本支出 and 项目支出 exact through an edit, its undo and a reopen', async () => {
    const fixture = { total: '1740.2', basic: '560.8', project: '1179.4' };
    const list = await ok('lines.list', {});
    expect(list.totals).toEqual(fixture);
    const wages = list.lines.find((l) => l.functional === '2010350' && l.economic === '30101' && l.kind === 'basic')!;
    const project = list.lines.find((l) => l.kind === 'project')!;
    const edited = await ok('lines.update', { id: wages.id, field: 'amount', value: '1,234.5' });
    expect(edited.totals).toEqual({ total: '2833.8', basic: '1654.4', project: '1179.4' }); // basic 560.8 - 140.9 + 1234.5
    const removed = await ok('lines.delete', { ids: [project.id] });
    const projectLeft = toExactString(amount('1179.4') - amount(project.amount), '万元');
    expect(removed.totals).toEqual({ total: toExactString(amount('2833.8') - amount(project.amount), '万元'), basic: '1654.4', project: projectLeft });
    await ok('edit.undo', {});
    expect((await ok('budget.info', {})).totals).toEqual({ total: '2833.8', basic: '1654.4', project: '1179.4' });
    await ok('edit.undo', {});
    expect((await ok('budget.info', {})).totals).toEqual(fixture);
    reopen();
    expect((await ok('lines.list', {})).totals).toEqual(fixture);
  });

  it('accepts an amount typed in another unit exactly', async () => {
    const line = (await ok('lines.list', {})).lines[0]!;
    const cs = await ok('lines.update', { id: line.id, field: 'amount', value: '12,345.67', unit: '元' });
    expect(cs.changed[0]!.amount).toBe('1.234567');
  });

  it('refuses a bad amount with the reason and stores nothing', async () => {
    const line = (await ok('lines.list', {})).lines[0]!;
    for (const bad of ['abc', '1.2.3', '12,34', '-5', '1e3', '0.1234567']) {
      const message = await refused('lines.update', { id: line.id, field: 'amount', value: bad });
      expect(message).toMatch(/金额/);
    }
    const info = await ok('budget.info', {});
    expect(info.totals.total).toBe('1740.2');
    expect(info.canUndo).toBe(false);
  });

  it('refuses codes that are not bookable and reads a code followed by its name', async () => {
    const line = (await ok('lines.list', {})).lines[0]!;
    expect(await refused('lines.update', { id: line.id, field: 'functional', value: '20103' })).toMatch(/项级/);
    expect(await refused('lines.update', { id: line.id, field: 'economic', value: '99999' })).toMatch(/经济分类/);
    const cs = await ok('lines.update', { id: line.id, field: 'economic', value: '30102 津贴补贴' });
    expect(cs.changed[0]!.economic).toBe('30102');
  });

  it('undoes and redoes exactly, and the stack survives a restart', async () => {
    const before = await ok('lines.list', {});
    const target = before.lines[3]!;
    await ok('lines.update', { id: target.id, field: 'amount', value: '999' });
    const added = await ok('lines.add', { like: target.id, values: { amount: '7.25' } });
    const newId = added.added[0]!.id;
    await ok('lines.delete', { ids: [before.lines[0]!.id] });
    expect((await ok('budget.info', {})).canUndo).toBe(true);
    reopen();
    const u1 = await ok('edit.undo', {});
    expect(u1.done).toBe(true);
    expect(u1.added.map((l) => l.id)).toEqual([before.lines[0]!.id]);
    const u2 = await ok('edit.undo', {});
    expect(u2.removed).toEqual([newId]);
    const u3 = await ok('edit.undo', {});
    expect(u3.changed[0]!.amount).toBe(target.amount);
    expect((await ok('edit.undo', {})).done).toBe(false);
    expect(await ok('lines.list', {})).toEqual(before);
    await ok('edit.redo', {});
    await ok('edit.redo', {});
    await ok('edit.redo', {});
    const after = await ok('lines.list', {});
    expect(after.lines.find((l) => l.id === target.id)!.amount).toBe('999');
    expect(after.lines.find((l) => l.id === newId)!.amount).toBe('7.25');
    expect(after.lines.some((l) => l.id === before.lines[0]!.id)).toBe(false);
    // A remark set and cleared, and both undone.
    await ok('lines.update', { id: target.id, field: 'remark', value: '说明' });
    const cleared = await ok('lines.update', { id: target.id, field: 'remark', value: '' });
    expect(cleared.changed[0]!.remark).toBe('');
    expect((await ok('edit.undo', {})).changed[0]!.remark).toBe('说明');
    expect((await ok('edit.undo', {})).changed[0]!.remark).toBe('');
    // A new edit clears the redo stack.
    await ok('edit.undo', {});
    await ok('lines.update', { id: target.id, field: 'remark', value: '调整' });
    expect((await ok('edit.redo', {})).done).toBe(false);
  });

  it('批量修改: one field of several lines set in one step, undone in one; a value one line cannot take changes none', async () => {
    const before = await ok('lines.list', {});
    const ids = before.lines.slice(2, 5).map((l) => l.id);
    const cs = await ok('lines.updateMany', { ids, field: 'economic', value: '30201' });
    expect(cs.changed.map((l) => l.id).sort()).toEqual([...ids].sort());
    const after = await ok('lines.list', {});
    for (const l of after.lines) expect(l.economic).toBe(ids.includes(l.id) ? '30201' : before.lines.find((b) => b.id === l.id)!.economic);
    expect((await ok('edit.undo', {})).changed.map((l) => l.id).sort()).toEqual([...ids].sort());
    expect(await ok('lines.list', {})).toEqual(before);
    // An amount for all, typed in 元 while the budget is in 万元.
    await ok('lines.updateMany', { ids, field: 'amount', value: '1,200', unit: '元' });
    expect((await ok('lines.list', {})).lines.filter((l) => ids.includes(l.id)).map((l) => l.amount)).toEqual(['0.12', '0.12', '0.12']);
    await ok('edit.undo', {});
    // A value no line can take changes none of them.
    expect(await refused('lines.updateMany', { ids, field: 'unit', value: '999999' })).toContain('单位');
    expect(await ok('lines.list', {})).toEqual(before);
    expect(await refused('lines.updateMany', { ids, field: 'economic', value: '399' })).toContain('经济分类');
    expect(await ok('lines.list', {})).toEqual(before);
  });

  it('refuses to undo over data changed elsewhere, and changes nothing', async () => {
    const list = await ok('lines.list', {});
    const line = list.lines[0]!;
    await ok('lines.update', { id: line.id, field: 'amount', value: '5' });
    api.close();
    // Another program changes the same line in the file.
    const { BudgetStore } = await import('../../db/store.js');
    const store = BudgetStore.open(api.dbPath);
    store.updateLine(line.id, { amount: 123n });
    store.close();
    api.open();
    expect(await refused('edit.undo', {})).toMatch(/不一致/);
    const after = await ok('lines.list', {});
    expect(after.lines.find((l) => l.id === line.id)!.amount).toBe('0.000123');
    expect((await ok('budget.info', {})).canUndo).toBe(false);
  });

  it('pastes a block: fills lines from the start row, adds the rest, reports the rows it cannot read', async () => {
    const list = await ok('lines.list', {});
    const start = list.lines[list.lines.length - 1]!;
    const cs = await ok('lines.paste', {
      startId: start.id,
      startField: 'economic',
      rows: [
        ['30102 津贴补贴', '基本支出', '', '一般公共预算·财政拨款', '10'],
        ['30201', '基本', '', '财政拨款', '1,000.5'],
        ['30201', '基本', '', '财政拨款', 'abc'],
        ['30188', '基本', '', '财政拨款', '2'],
      ],
    });
    expect(cs.updatedCount).toBe(1);
    expect(cs.addedCount).toBe(1);
    expect(cs.rejected.map((r) => r.row)).toEqual([3, 4]);
    expect(cs.rejected[1]!.reason).toMatch(/30188/);
    expect(cs.rejected[0]!.reason).toMatch(/金额/);
    expect(cs.added[0]!.amount).toBe('1000.5');
    expect(cs.added[0]!.functional).toBe(start.functional);
    // One paste is one undo step.
    await ok('edit.undo', {});
    expect(await ok('lines.list', {})).toEqual(list);
  });

  it('appends pasted rows that carry every column and skips a copied header row', async () => {
    const cs = await ok('lines.paste', {
      startId: null,
      startField: 'unit',
      rows: [
        ['单位', '功能分类', '经济分类', '支出类型', '项目', '资金来源', '金额', '备注'],
        ['074001', '2010350', '30101', '基本支出', '', '一般公共预算·财政拨款', '3.5', '新增'],
      ],
    });
    expect(cs.addedCount).toBe(1);
    expect(cs.rejected).toEqual([]);
    expect(cs.totals.total).toBe('1743.7');
  });

  it('computes the published tables with exact and display values, and the lines behind a figure', async () => {
    const report = await ok('reports.tables', {});
    const t03 = report.tables.find((t) => t.id === 'T03');
    expect(cellText(t03, 'total', 'total')).toBe('1,740.2');
    expect(report.tables.filter((t) => t.table === 'T11').length).toBe(13);
    const behind = await ok('reports.linesBehind', { table: 'T03', row: 'total', column: 'basic' });
    expect(behind.total).toBe('560.8');
    expect(behind.lines.every((l) => l.kind === 'basic')).toBe(true);
    const inYuan = await ok('reports.tables', { displayUnit: '元' });
    expect(cellText(inYuan.tables.find((t) => t.id === 'T03'), 'total', 'total')).toBe('17,402,000.00');
  });

  it('searches codes by code prefix and by name', async () => {
    const byCode = await ok('codes.search', { kind: 'economic', query: '3010' });
    expect(byCode[0]!.code.startsWith('3010')).toBe(true);
    const byName = await ok('codes.search', { kind: 'economic', query: '津贴' });
    expect(byName.some((o) => o.code === '30102')).toBe(true);
    const funds = await ok('codes.search', { kind: 'fund', query: '财政拨款' });
    expect(funds[0]!.code).toBe('gpb.appropriation');
  });

  it('runs the audit and summarises it in every change', async () => {
    const report = await ok('audit.run', {});
    expect(report.summary.errors + report.summary.warnings).toBe(report.findings.length);
    const line = (await ok('lines.list', {})).lines[0]!;
    const cs: ChangeSet = await ok('lines.update', { id: line.id, field: 'amount', value: '1' });
    expect(cs.audit).toBeDefined();
  });

  it('creates a new budget file and exports an exchange file that imports back', async () => {
    const info = await ok('budget.create', {
      department: { code: '101', name: '测试局' },
      units: [{ code: '101001', name: '测试局本级', kind: 'administrative' }],
      fiscalYear: 2021,
      amountUnit: '元',
    });
    expect(info.open).toBe(true);
    expect(info.path).toContain('测试局');
    const add = await ok('lines.add', { values: { amount: '1,234.56' } });
    expect(add.added[0]!.amount).toBe('1234.56');
    const exported = await ok('exchange.export', {});
    expect(exported.text).toContain('"amount": "1234.56"');
    const recent = await ok('budget.recent', {});
    expect(recent[0]!.path).toBe(info.path);
  });

  it('refuses an exchange file with problems and keeps the budget', async () => {
    const message = await refused('exchange.import', { text: '{"format":"budget-exchange/1"}' });
    expect(message).toMatch(/未导入/);
    expect((await ok('budget.info', {})).totals.total).toBe('1740.2');
  });
});
