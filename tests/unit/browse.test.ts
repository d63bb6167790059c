// The long views through dispatch, as the hosts call them, over real SQLite files: a table a window of rows
// at a time (the windows put together are the table reports.tables gives, laid out by the one print layout),
// search in a table, and 审核 grouped by rule with counts that equal a full 审核.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiInput, ApiMethod, ApiOutputs, Finding, TableRow, TableView } from '../../api/contract.js';
import type { TableWindow } from '../../api/browse.js';
import { dispatch } from '../../api/dispatch.js';
import { BudgetSession, createBudgetService } from '../../api/service.js';
import { realisticExchange } from '../../scripts/realistic-budget.js';

const FIXTURE = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'jiyuan-2020', 'budget.json'), 'utf8');

let dir: string | undefined;
let service: BudgetSession | undefined;

async function open(text: string): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'browse-test-'));
  service = createBudgetService({ dbPath: join(dir, 'b.budget'), budgetsDir: dir });
  await ok('exchange.import', { text });
}

afterEach(() => {
  service?.close();
  service = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function ok<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutputs[M]> {
  const r = await dispatch(service!, method, input);
  if ('error' in r) throw new Error(`${method} refused: ${r.error.message}`);
  return r.result as ApiOutputs[M];
}

async function refused(method: ApiMethod, input: unknown): Promise<string> {
  const r = await dispatch(service!, method, input);
  if (!('error' in r)) throw new Error(`${method} was accepted`);
  return r.error.message;
}

/** A whole table from windows of `size` rows. */
async function windows(id: string, size: number, displayUnit?: '万元' | '元'): Promise<{ first: TableWindow; rows: TableRow[] }> {
  const first = await ok('reports.window', { id, offset: 0, limit: size, ...(displayUnit ? { displayUnit } : {}) });
  const rows = [...first.rows];
  while (rows.length < first.rowCount) {
    const next = await ok('reports.window', { id, offset: rows.length, limit: size, ...(displayUnit ? { displayUnit } : {}) });
    expect(next.offset).toBe(rows.length);
    expect(next.rowCount).toBe(first.rowCount);
    rows.push(...next.rows);
  }
  expect(rows.length).toBe(first.rowCount);
  return { first, rows };
}

/** The parts of a window that a whole view also has. */
function asView(w: TableWindow, rows: TableRow[]): TableView {
  const view: TableView = { id: w.id, table: w.table, title: w.title, subtitle: w.subtitle, unitLabel: w.unitLabel, header: w.header, rows, align: w.align };
  if (w.widths) view.widths = w.widths;
  if (w.emptyNote) view.emptyNote = w.emptyNote;
  if (w.note) view.note = w.note;
  return view;
}

function cellText(rows: TableRow[], rowKey: string, column: string): string | undefined {
  for (const row of rows) for (const c of row.cells) if (c.row === rowKey && c.column === column) return c.text;
  return undefined;
}

describe('a table a window of rows at a time (reports.window, reports.index)', () => {
  it('every table and every project sheet of the worked example, put together from windows, is the table reports.tables shows', async () => {
    await open(FIXTURE);
    const index = await ok('reports.index', {});
    expect(index.tables.map((t) => t.id)).toEqual(['T01', 'T02', 'T03', 'T04', 'T05', 'T06', 'T07', 'T08', 'T09', 'T10']);
    expect(index.tables.find((t) => t.id === 'T03')?.title).toBe('2020年部门支出总体情况表');
    expect(index.projects?.id).toBe('T11');
    expect(index.projects?.sheets.map((s) => s.id)).toEqual(Array.from({ length: 13 }, (_, i) => `T11:P${String(i + 1).padStart(2, '0')}`));
    expect(index.projects?.sheets[0]?.title).toMatch(/^P01 电子政务/);
    for (const unit of ['万元', '元'] as const) {
      const whole = await ok('reports.tables', { displayUnit: unit });
      const ids = [...index.tables.map((t) => t.id), ...(index.projects?.sheets ?? []).map((s) => s.id)];
      expect(whole.tables.map((t) => t.id)).toEqual(ids);
      for (const view of whole.tables) {
        const { first, rows } = await windows(view.id, 3, unit);
        expect(asView(first, rows)).toEqual(view);
        // Forms and the two-sided tables span rows and are shown whole; list tables do not.
        expect(first.rowSpans).toBe(['T01', 'T04', 'T10', 'T11'].includes(view.table));
        expect(first.columnWidths.length).toBe(first.align.length);
      }
    }
  });

  it('T03 of a department of 10 units: its windows are the whole table, an edit shows in the next window asked for', async () => {
    await open(realisticExchange(10_000));
    const whole = (await ok('reports.tables', { tables: ['T03'] })).tables[0]!;
    expect(whole.rows.length).toBeGreaterThan(900);
    const { first, rows } = await windows('T03', 250);
    expect(asView(first, rows)).toEqual(whole);
    // An edit: the amount of one line changes T03's total, its unit row and its 项 row.
    const line = (await ok('lines.page', { offset: 0, limit: 1 })).lines[0]!;
    const before = await ok('reports.window', { id: 'T03', offset: 0, limit: 2 });
    await ok('lines.update', { id: line.id, field: 'amount', value: '123456.78' });
    const after = await ok('reports.window', { id: 'T03', offset: 0, limit: 2 });
    expect(cellText(after.rows, 'total', 'total')).not.toBe(cellText(before.rows, 'total', 'total'));
    const again = await windows('T03', 400);
    expect(asView(again.first, again.rows)).toEqual((await ok('reports.tables', { tables: ['T03'] })).tables[0]);
  });

  it('search finds rows by code (whole or printed in parts) and by name, in table order', async () => {
    await open(FIXTURE);
    const t03 = await windows('T03', 50);
    const keyOf = (i: number) => t03.rows[i]?.key;
    const byCode = await ok('reports.find', { id: 'T03', query: '2010350' });
    expect(byCode.total).toBe(1);
    expect(keyOf(byCode.rows[0]!)).toBe('item:074001:2010350');
    expect((await ok('reports.find', { id: 'T03', query: '事业运行' })).rows.map(keyOf)).toEqual(['item:074001:2010350']);
    expect((await ok('reports.find', { id: 'T03', query: '201 03' })).rows.map(keyOf)).toEqual(['item:074001:2010306', 'item:074001:2010350']);
    expect(await ok('reports.find', { id: 'T03', query: '没有这个科目' })).toEqual({ rows: [], total: 0 });
    // Figures are not searched: 1,740.2 is the 合计's.
    expect((await ok('reports.find', { id: 'T03', query: '1,740.2' })).total).toBe(0);
  });

  it('refuses a table or project the budget does not have, in Chinese', async () => {
    await open(FIXTURE);
    expect(await refused('reports.window', { id: 'T99', offset: 0, limit: 10 })).toContain('没有表 T99');
    expect(await refused('reports.window', { id: 'T11:P99', offset: 0, limit: 10 })).toContain('没有项目 P99');
    expect(await refused('reports.window', { id: 'T03:P01', offset: 0, limit: 10 })).toContain('表 T03 没有分项目的表');
    expect(await refused('reports.window', { id: 'T03', offset: 0, limit: 5000 })).toBeTruthy();
  });
});

/** The unit a finding belongs to, from the lines and projects as the API lists them. */
async function unitOracle(): Promise<(f: Finding) => string> {
  const lines = new Map((await ok('lines.list', {})).lines.map((l) => [l.id, l.unit]));
  const projects = new Map((await ok('projects.list', {})).map((p) => [p.code, p.unit]));
  return (f) => (f.place.line !== undefined ? lines.get(f.place.line) : undefined) ?? (f.place.project ? projects.get(f.place.project) : undefined) ?? '';
}

function grouped(findings: readonly Finding[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of findings) out.set(`${f.severity}|${f.rule}`, (out.get(`${f.severity}|${f.rule}`) ?? 0) + 1);
  return out;
}

describe('审核 grouped by rule (audit.groups, audit.places)', () => {
  it('the groups and their counts equal a full 审核, in all and unit by unit, and follow an edit', async () => {
    await open(realisticExchange(10_000));
    const check = async () => {
      const full = (await ok('audit.run', {})).findings;
      const unitOf = await unitOracle();
      const all = await ok('audit.groups', {});
      expect(all.summary).toEqual({ errors: full.filter((f) => f.severity === 'error').length, warnings: full.filter((f) => f.severity === 'warning').length });
      expect(new Map(all.groups.map((g) => [`${g.severity}|${g.rule}`, g.count]))).toEqual(grouped(full));
      // Errors first; each group names what its rule requires.
      expect(all.groups.findIndex((g) => g.severity === 'warning')).toBeGreaterThanOrEqual(all.groups.filter((g) => g.severity === 'error').length);
      for (const g of all.groups) expect(g.description).not.toBe('');
      const perUnit = new Map<string, number>();
      for (const f of full) perUnit.set(unitOf(f), (perUnit.get(unitOf(f)) ?? 0) + 1);
      expect(new Map(all.units.map((u) => [u.code, u.count]))).toEqual(perUnit);
      expect(all.units.find((u) => u.code === '901003')?.name).toBe('第3单位中心');
      for (const code of ['901003', '']) {
        const one = await ok('audit.groups', { unit: code });
        expect(new Map(one.groups.map((g) => [`${g.severity}|${g.rule}`, g.count]))).toEqual(grouped(full.filter((f) => unitOf(f) === code)));
      }
      return all;
    };
    const before = await check();
    // A project line's amount changed: its project's 本年度金额 no longer equals its lines (an error of the
    // project's unit); another line moves to a 款 without a government mapping for its unit.
    const lines = (await ok('lines.page', { offset: 0, limit: 200 })).lines;
    const projectLine = lines.find((l) => l.kind === 'project')!;
    await ok('lines.update', { id: projectLine.id, field: 'amount', value: '0.01' });
    await ok('lines.update', { id: lines.find((l) => l.id !== projectLine.id)!.id, field: 'economic', value: '31019' });
    const after = await check();
    expect(after.summary.errors).toBeGreaterThan(before.summary.errors);
    expect(after.groups.find((g) => g.rule === 'project.year-amount-lines')).toMatchObject({ severity: 'error', count: 1 });
    expect((await ok('audit.groups', { unit: projectLine.unit })).groups.find((g) => g.rule === 'project.year-amount-lines')?.count).toBe(1);
  });

  it('the places of a group come in windows, equal to the findings of that rule in a full 审核, for every unit or one', async () => {
    await open(realisticExchange(10_000));
    const full = (await ok('audit.run', {})).findings;
    const unitOf = await unitOracle();
    const { groups } = await ok('audit.groups', {});
    for (const g of groups) {
      const expected = full.filter((f) => f.rule === g.rule && f.severity === g.severity);
      const got: Finding[] = [];
      for (let offset = 0; offset < g.count; offset += 700) {
        const w = await ok('audit.places', { rule: g.rule, severity: g.severity, offset, limit: 700 });
        expect(w.total).toBe(g.count);
        got.push(...w.findings);
      }
      expect(got).toEqual(expected);
    }
    const g = groups.find((x) => x.rule === 'line.government-mapping-unknown')!;
    const one = await ok('audit.places', { rule: g.rule, severity: g.severity, unit: '901004', offset: 0, limit: 1000 });
    expect(one.findings).toEqual(full.filter((f) => f.rule === g.rule && unitOf(f) === '901004'));
    expect(one.total).toBe(one.findings.length);
    expect(one.total).toBeGreaterThan(0);
    expect(await refused('audit.places', { rule: 'no.such-rule', severity: 'error', offset: 0, limit: 10 })).toContain('没有审核规则');
  });
});
