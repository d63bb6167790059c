// core/diff.ts on the 济源 fixture: lines matched by id (same file) or by their identifying fields (between
// files), field-level changes, projects and indicators, and the table cells that follow.
import { describe, expect, it } from 'vitest';
import { diffBudgets } from '../../core/diff.js';
import { amount, toExactString } from '../../core/money.js';
import type { Budget } from '../../core/model.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { fixtureBudget } from './submission-fixture.js';

const book = defaultCodeBook(2020);

function edited(edit: (b: Budget) => void): { before: Budget; after: Budget } {
  const before = fixtureBudget();
  const after = structuredClone(before);
  edit(after);
  return { before, after };
}

describe('diffBudgets', () => {
  it('finds nothing between a budget and its copy', () => {
    const b = fixtureBudget();
    const d = diffBudgets(b, structuredClone(b), book);
    expect(d.unchanged).toBe(true);
    expect([d.lines, d.projects, d.units, d.other, d.cells]).toEqual([[], [], [], [], []]);
    expect(d.totals).toEqual({ before: '1740.2', after: '1740.2' });
  });

  it('matched by id, follows a line through a change of its codes and reports each field', () => {
    const { before, after } = edited((b) => {
      const l = b.lines.find((x) => x.economic === '30217' && x.kind === 'basic')!; // 公务接待费 0.5
      l.economic = '30216'; // 培训费
      l.amount += amount('0.2');
      l.remark = '改列培训费';
    });
    const byId = diffBudgets(before, after, book, { matchBy: 'id' });
    expect(byId.matchedBy).toBe('id');
    expect(byId.lines).toHaveLength(1);
    const change = byId.lines[0]!;
    expect(change).toMatchObject({ change: 'changed', economic: '30216', before: '0.5', after: '0.7', unitOfAmount: '万元' });
    expect(change.fields.map((f) => [f.field, f.before, f.after])).toEqual([
      ['economic', '30217', '30216'],
      ['amount', '0.5', '0.7'],
      ['remark', null, '改列培训费'],
    ]);
    expect(change.beforeLine!.id).toBe(change.afterLine!.id);

    // Between files the same edit is one line gone and another come.
    const byKey = diffBudgets(before, after, book);
    expect(byKey.lines.map((l) => [l.change, l.economic, l.before, l.after])).toEqual([
      ['added', '30216', null, '0.7'],
      ['removed', '30217', '0.5', null],
    ]);
    // The tables moved 0.5 out of 接待 and 0.7 into 培训: T08 共计 went from 6.1 to 5.6.
    expect(byKey.cells).toEqual(byId.cells);
    expect(byId.cells).toEqual(expect.arrayContaining([expect.objectContaining({ table: 'T08', row: 'total', before: '6.1', after: '5.6' })]));
    expect(byId.totals).toEqual({ before: '1740.2', after: '1740.4' });
  });

  it('matched by key, pairs identical lines first and the rest in order', () => {
    const { before, after } = edited((b) => {
      const template = b.lines[0]!;
      // Three lines sharing every identifying field: 1, 2, 3 万元 before; 2, 3.5 after (1 dropped, 3 → 3.5).
      b.lines.push({ ...template, id: 901, amount: amount('2') }, { ...template, id: 902, amount: amount('3.5') });
    });
    const t = before.lines[0]!;
    before.lines.push({ ...t, id: 901, amount: amount('1') }, { ...t, id: 902, amount: amount('2') }, { ...t, id: 903, amount: amount('3') });
    const d = diffBudgets(before, after, book);
    expect(d.lines.map((l) => [l.change, l.before, l.after])).toEqual([
      ['removed', '3', null],
      ['changed', '1', '3.5'],
    ]);
  });

  it('reports project fields, indicators, units and budget-wide facts', () => {
    const { before, after } = edited((b) => {
      const p = b.projects.find((x) => x.code === 'P01')!;
      p.annualGoal = '新的年度目标';
      p.totalAmount = (p.totalAmount ?? 0n) + amount('1');
      p.indicators[0]!.target = '≥99次';
      p.indicators.push({ level1: '效益指标', level2: '社会效益指标', name: '群众获得感', target: '提高' });
      b.units[0]!.name = '济源市行政服务中心（更名）';
      b.priorYear = { ...b.priorYear!, total: amount('2500') };
      b.projects = b.projects.filter((x) => x.code !== 'P13');
      b.lines = b.lines.filter((l) => l.project !== 'P13');
    });
    const d = diffBudgets(before, after, book);
    const p01 = d.projects.find((p) => p.code === 'P01')!;
    expect(p01.change).toBe('changed');
    const fields = Object.fromEntries(p01.fields.map((f) => [f.field, [f.before, f.after]]));
    expect(fields.annualGoal![1]).toBe('新的年度目标');
    const priorTotal = before.projects.find((p) => p.code === 'P01')!.totalAmount!;
    expect(fields.totalAmount).toEqual([toExactString(priorTotal, '万元'), toExactString(priorTotal + amount('1'), '万元')]);
    const indicatorChanges = p01.fields.filter((f) => f.field.startsWith('indicator:'));
    expect(indicatorChanges).toHaveLength(2);
    expect(indicatorChanges.find((f) => f.after === '≥99次')).toBeDefined();
    expect(indicatorChanges.find((f) => f.field === 'indicator:效益指标/社会效益指标/群众获得感')).toMatchObject({ before: null, after: '提高' });
    expect(d.projects.find((p) => p.code === 'P13')?.change).toBe('removed');
    expect(d.units).toEqual([expect.objectContaining({ change: 'changed', code: '074001', fields: [expect.objectContaining({ field: 'name' })] })]);
    expect(d.other).toEqual([expect.objectContaining({ field: 'priorYear.total', before: '2475.7', after: '2500' })]);
    expect(d.lines.every((l) => l.change === 'removed' && l.project === 'P13')).toBe(true);
    expect(d.cells.some((c) => c.table === 'T11' && c.row === 'P13')).toBe(true);
  });

  it('against no previous version lists every line and every non-zero cell as new', () => {
    const b = fixtureBudget();
    const d = diffBudgets(null, b, book);
    expect(d.lines).toHaveLength(b.lines.length);
    expect(d.lines.every((l) => l.change === 'added' && l.before === null)).toBe(true);
    expect(d.projects).toHaveLength(b.projects.length);
    expect(d.cells.every((c) => c.before === '0')).toBe(true);
    expect(d.totals).toEqual({ before: '0', after: '1740.2' });
  });
});
