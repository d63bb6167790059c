// 汇总: the department's own budget and its received unit budgets as one budget — pure rules first, then two
// real unit packages received into a department file with its own lines, through the CLI's report.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/run.js';
import { consolidate, qualifiedProjectCode } from '../../core/consolidate.js';
import { amount, sumFen, type Fen } from '../../core/money.js';
import type { Budget } from '../../core/model.js';
import { computeTables, type ReportTable } from '../../core/tables/index.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { BudgetStore } from '../../db/store.js';
import { loadConsolidatedBudget } from '../../submission/department.js';
import { exportPackage } from '../../submission/export.js';
import { receivePackage } from '../../submission/receive.js';
import { adminUnitBudget, departmentOwnBudget, fixtureUnitBudget } from './department-fixture.js';
import { budgetDb, notesFor, tempDir } from './submission-fixture.js';
import { tableIdentityViolations } from './tables-identities.js';

const book = defaultCodeBook(2020);
const total = (b: Budget): Fen => sumFen(b.lines.map((l) => l.amount));

describe('consolidate (pure)', () => {
  it('takes a department whose own budget has more lines than a function call takes arguments', () => {
    const own = departmentOwnBudget();
    const template = own.lines[0]!;
    own.lines = Array.from({ length: 200_000 }, (_, i) => ({ ...template, id: i + 1 }));
    const r = consolidate(own, [{ budget: fixtureUnitBudget(), source: '074001', declaredUnits: ['074001'] }]);
    expect(r.parts.map((p) => p.lineIds?.first)).toEqual([1, 200_001]);
    expect(r.parts[0]!.lineIds).toEqual({ first: 1, last: 200_000 });
  });

  it('merges units, lines, projects, procurement and prior-year figures into one department budget', () => {
    const own = departmentOwnBudget();
    const unitA = fixtureUnitBudget();
    const unitB = adminUnitBudget();
    const ownCopy = structuredClone(own);
    const r = consolidate(own, [
      { budget: unitA, source: '074001', declaredUnits: ['074001'] },
      { budget: unitB, source: '074002', declaredUnits: ['074002'] },
    ]);
    expect(r.ok).toBe(true);
    expect(own).toEqual(ownCopy); // inputs untouched
    const b = r.budget;
    expect(b.department).toEqual(own.department);
    expect(b.units.map((u) => u.code)).toEqual(['074000', '074001', '074002']);
    expect(b.lines).toHaveLength(own.lines.length + unitA.lines.length + unitB.lines.length);
    expect(total(b)).toBe(total(own) + total(unitA) + total(unitB));
    // Own lines keep their ids; received lines are numbered after them, and every id is distinct.
    expect(b.lines.slice(0, own.lines.length).map((l) => l.id)).toEqual(own.lines.map((l) => l.id));
    expect(new Set(b.lines.map((l) => l.id)).size).toBe(b.lines.length);
    expect(r.parts.map((p) => [p.source, p.lineIds])).toEqual([
      [null, { first: 1, last: 4 }],
      ['074001', { first: 5, last: 4 + unitA.lines.length }],
      ['074002', { first: 5 + unitA.lines.length, last: 4 + unitA.lines.length + unitB.lines.length }],
    ]);
    // P01 is used by both units: both are qualified with their unit code; the department's J01 stays.
    expect(r.qualifiedProjects).toEqual([
      { source: '074001', unit: '074001', from: 'P01', to: '074001-P01' },
      { source: '074002', unit: '074002', from: 'P01', to: '074002-P01' },
    ]);
    expect(r.problems.every((p) => p.severity === 'warning' && p.code === 'project-qualified')).toBe(true);
    const codes = b.projects.map((p) => p.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toContain('J01');
    expect(codes).toContain('074001-P01');
    expect(codes).toContain('P02');
    expect(b.lines.filter((l) => l.project === '074002-P01').map((l) => l.amount)).toEqual([amount('20')]);
    expect(b.lines.some((l) => l.project === 'P01')).toBe(false);
    expect(b.procurement).toHaveLength(own.procurement.length + unitA.procurement.length);
    // Prior-year figures cover each part's own lines: the department's is their sum.
    expect(b.priorYear).toEqual({ total: amount('120') + amount('2475.7') + amount('80'), threePublic: amount('1') + amount('8.5') + amount('0') });
  });

  it('refuses another fiscal year, undeclared units and unit-code clashes, and leaves those parts out', () => {
    const own = departmentOwnBudget();
    const otherYear = { ...adminUnitBudget(), fiscalYear: 2021 };
    const clashWithOwn = adminUnitBudget();
    clashWithOwn.units = [{ ...clashWithOwn.units[0]!, code: '074000' }];
    clashWithOwn.lines = clashWithOwn.lines.map((l) => ({ ...l, unit: '074000' }));
    clashWithOwn.projects = clashWithOwn.projects.map((p) => ({ ...p, unit: '074000' }));
    const r = consolidate(own, [
      { budget: otherYear, source: 'Y' },
      { budget: fixtureUnitBudget(), source: 'D', declaredUnits: ['074001', '074009'] },
      { budget: clashWithOwn, source: 'C' },
      { budget: adminUnitBudget(), source: 'OK' },
    ]);
    expect(r.ok).toBe(false);
    expect(r.excluded).toEqual(['Y', 'D', 'C']);
    const errors = r.problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => [p.source, p.code])).toEqual([
      ['Y', 'fiscal-year'],
      ['D', 'undeclared-unit'],
      ['C', 'unit-clash'],
    ]);
    expect(errors[0]!.message).toContain('2021 年度');
    expect(errors[1]!.message).toContain('074009');
    expect(errors[2]!.message).toMatch(/单位编码 074000 已被本部门自身的预算使用/);
    // The acceptable part is merged as if the others were not there (its P01 clashes with nobody now).
    expect(r.budget.units.map((u) => u.code)).toEqual(['074000', '074002']);
    expect(total(r.budget)).toBe(total(own) + total(adminUnitBudget()));
    expect(r.budget.projects.map((p) => p.code)).toEqual(['J01', 'P01']);
  });

  it('leaves out both received budgets that claim the same unit, whatever the order', () => {
    const a = adminUnitBudget();
    const b = adminUnitBudget();
    b.department = { code: '074002', name: '另一个数据包' };
    for (const order of [[a, b], [b, a]]) {
      const r = consolidate(departmentOwnBudget(), order.map((x, i) => ({ budget: x, source: `S${i}` })));
      expect(r.excluded).toEqual(['S0', 'S1']);
      expect(r.budget.units.map((u) => u.code)).toEqual(['074000']);
    }
  });

  it('qualifies a received project whose code the department itself uses, and refuses when even that clashes', () => {
    const own = departmentOwnBudget();
    own.projects[0]!.code = 'P01';
    own.lines = own.lines.map((l) => (l.project === 'J01' ? { ...l, project: 'P01' } : l));
    own.procurement = own.procurement.map((p) => ({ ...p, project: 'P01' }));
    const r = consolidate(own, [adminUnitBudget()]);
    expect(r.ok).toBe(true);
    expect(r.budget.projects.map((p) => p.code)).toEqual(['P01', qualifiedProjectCode('074002', 'P01')]);

    own.projects.push({ ...own.projects[0]!, code: '074002-P01' });
    const refused = consolidate(own, [adminUnitBudget()]);
    expect(refused.problems.find((p) => p.severity === 'error')?.code).toBe('project-clash');
    expect(refused.budget.units.map((u) => u.code)).toEqual(['074000']);
  });

  it('writes out the implicit income of parts without income lines when another part states its income', () => {
    const own = departmentOwnBudget();
    own.income = [{ unit: '074000', fund: 'gpb.appropriation', amount: total(own) }];
    const r = consolidate(own, [adminUnitBudget()]);
    expect(r.budget.income).toEqual([
      { unit: '074000', fund: 'gpb.appropriation', amount: total(own) },
      { unit: '074002', fund: 'gpb.appropriation', amount: total(adminUnitBudget()) },
    ]);
    // Nobody states income: none is invented.
    expect(consolidate(departmentOwnBudget(), [adminUnitBudget()]).budget.income).toEqual([]);
  });

  it('leaves a prior-year figure out, with a warning, when a part does not state it', () => {
    const unit = adminUnitBudget();
    unit.priorYear = { total: amount('80') };
    const r = consolidate(departmentOwnBudget(), [unit]);
    expect(r.budget.priorYear).toEqual({ total: amount('200') });
    expect(r.problems).toEqual([expect.objectContaining({ severity: 'warning', code: 'prior-year-incomplete' })]);
  });
});

describe('a department file with its own lines and two received unit packages', () => {
  let dir: string;
  let dep: string;
  let tables: ReportTable[];
  const NOW = new Date('2020-03-01T09:00:00+08:00');

  beforeAll(async () => {
    dir = tempDir('consolidate-');
    const usb = join(dir, 'usb');
    mkdirSync(usb);
    for (const [name, budget] of [['a.budget', fixtureUnitBudget()], ['b.budget', adminUnitBudget()]] as const) {
      const db = budgetDb(dir, budget, name);
      const pkg = await exportPackage({ dbPath: db, outDir: usb, notes: notesFor(budget), now: NOW });
      if (!dep) dep = budgetDb(dir, departmentOwnBudget(), 'department.budget');
      await receivePackage({ zipPath: pkg.file, dbPath: dep, now: NOW });
    }
    const store = BudgetStore.open(dep);
    const loaded = loadConsolidatedBudget(store);
    store.close();
    expect(loaded.consolidated).toBe(true);
    expect(loaded.ok).toBe(true);
    tables = computeTables(loaded.budget, book);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const t = (id: string) => tables.find((x) => x.id === id)!;

  it('T02 and T03 show the department total, one row per unit with its 项 rows, and the total is the sum', () => {
    const parts = [departmentOwnBudget(), fixtureUnitBudget(), adminUnitBudget()];
    for (const id of ['T02', 'T03']) {
      const rows = t(id).rows;
      expect(rows[0]!.kind).toBe('total');
      const units = rows.filter((r) => r.kind === 'unit');
      expect(units.map((u) => u.unit)).toEqual(['074000', '074001', '074002']);
      expect(units.map((u) => u.label)).toEqual(parts.map((p) => p.units[0]!.name));
      // Each unit row is followed by its own 项 rows.
      let current = '';
      for (const r of rows.slice(1)) {
        if (r.kind === 'unit') current = r.unit!;
        else expect(r.unit, `${id} ${r.label}`).toBe(current);
      }
      const col = id === 'T02' ? 'total' : Object.keys(rows[0]!.cells)[0]!;
      units.forEach((u, i) => expect(u.cells[col], `${id} ${u.label}`).toBe(total(parts[i]!)));
      expect(rows[0]!.cells[col]).toBe(sumFen(parts.map(total)));
    }
    expect(t('T02').rows.filter((r) => r.kind === 'item' && r.unit === '074002').map((r) => r.code)).toEqual(['2013101', '2013102', '2080505']);
  });

  it('every cross-table identity holds for the consolidated tables', () => {
    expect(tableIdentityViolations(tables, { projectsMatchLines: true })).toEqual([]);
    expect(t('T11').projects!.map((p) => p.code)).toEqual(expect.arrayContaining(['J01', '074001-P01', '074002-P01', 'P13']));
  });

  it('the CLI reports the consolidated tables, or with --own-only the department’s own', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
    expect(await run(['report', 'T02', '--db', dep, '--format', 'json'], io)).toBe(0);
    const json = JSON.parse(out.join('')) as { tables: { rows: { code?: string; label: string; cells: Record<string, string> }[] }[] };
    const unitRows = (j: typeof json) => j.tables[0]!.rows.filter((r) => r.code !== undefined && /^074\d{3}$/.test(r.code));
    expect(unitRows(json).map((r) => r.code)).toEqual(['074000', '074001', '074002']);
    expect(json.tables[0]!.rows[0]!.cells.total).toBe('1967.85');
    expect(err.join('')).toContain('074001-P01'); // the qualification is told, not hidden

    out.length = 0;
    expect(await run(['report', 'T02', '--db', dep, '--format', 'json', '--own-only'], io)).toBe(0);
    const own = JSON.parse(out.join('')) as typeof json;
    expect(unitRows(own).map((r) => r.code)).toEqual(['074000']);
    expect(own.tables[0]!.rows[0]!.cells.total).toBe('141.8');

    out.length = 0;
    expect(await run(['check', '--db', dep, '--format', 'json'], io)).toBe(0);
    expect((JSON.parse(out.join('')) as { hard: number }).hard).toBe(0);
  });

  it('a package that clashes with a unit already there is refused at receiving, and the file is unchanged', async () => {
    const clash = adminUnitBudget();
    clash.department = { code: '074003', name: '冒用单位编码的数据包' };
    const db = budgetDb(dir, clash, 'clash.budget');
    const usb = join(dir, 'usb2');
    mkdirSync(usb);
    const pkg = await exportPackage({ dbPath: db, outDir: usb, notes: notesFor(clash), now: NOW });
    const before = BudgetStore.open(dep);
    const count = before.receivedPackages().length;
    before.close();
    const error = await receivePackage({ zipPath: pkg.file, dbPath: dep, now: NOW }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/不能汇总到本部门[\s\S]*074002 已被074002 济源市公共资源交易中心使用/);
    const after = BudgetStore.open(dep);
    expect(after.receivedPackages()).toHaveLength(count);
    after.close();
  });

  it('the department’s consolidated package carries every unit, and its totals are the sum', async () => {
    const store = BudgetStore.open(dep);
    const { budget } = loadConsolidatedBudget(store);
    store.close();
    const usb = join(dir, 'usb3');
    mkdirSync(usb);
    const r = await exportPackage({ dbPath: dep, outDir: usb, notes: notesFor(budget), now: NOW });
    expect(r.consolidated).toBe(true);
    expect(r.manifest.units.map((u) => u.code)).toEqual(['074000', '074001', '074002']);
    expect(amount(r.manifest.totals.expenditure)).toBe(total(budget));
    expect(r.submission?.lineIds).toBeNull();
  });
});
