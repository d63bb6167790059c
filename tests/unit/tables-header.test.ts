// The column header of the published tables, as docs/domain/TABLES.md sketches it, on screen (api/tables-view.ts) and in
// the printed files (core/tables/layout.ts): both draw core/tables/header.ts.
import { describe, expect, it } from 'vitest';
import { reportToView } from '../../api/tables-view.js';
import { headerGrid } from '../../core/tables/header.js';
import { computeTables, type ReportTable } from '../../core/tables/index.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { printedTable } from '../../core/tables/layout.js';
import { fixtureBudget } from './submission-fixture.js';

const budget = fixtureBudget();
const tables = computeTables(budget, defaultCodeBook(budget.fiscalYear));
const table = (id: string): ReportTable => tables.find((t) => t.id === id)!;

/** "text@row,col rowSpan×colSpan" (1-based, as docs/domain/TABLES.md counts r1… and c1…). */
type Placed = string;
const placed = (c: { row: number; col: number; rowSpan: number; colSpan: number; text: string }): Placed =>
  `${c.text}@r${c.row + 1},c${c.col + 1} ${c.rowSpan}×${c.colSpan}`;

/** The screen's header rows back on the grid: each row's cells fill the first columns no span above covers. */
function screenGrid(id: string): Placed[] {
  const view = reportToView(table(id), budget.amountUnit, budget.fiscalYear)[0]!;
  const taken = new Set<string>();
  const out: Placed[] = [];
  view.header.forEach((cells, row) => {
    let col = 0;
    for (const c of cells) {
      while (taken.has(`${row}:${col}`)) col++;
      const rowSpan = c.rowSpan ?? 1;
      const colSpan = c.colSpan ?? 1;
      for (let r = row; r < row + rowSpan; r++) for (let k = col; k < col + colSpan; k++) taken.add(`${r}:${k}`);
      out.push(placed({ row, col, rowSpan, colSpan, text: c.text }));
      col += colSpan;
    }
  });
  return out.sort();
}

function printedGrid(id: string): Placed[] {
  const block = printedTable(table(id)).blocks[0]!;
  return block.cells.filter((c) => c.role === 'header').map(placed).sort();
}

describe('T01 header (docs/domain/TABLES.md grid sketch)', () => {
  const expected = [
    '收入@r1,c1 1×3',
    '项目@r2,c1 3×2',
    '金额@r2,c3 3×1',
    '支出@r1,c4 1×15',
    '项目@r2,c4 3×1',
    '合计@r2,c5 3×1',
    '用事业单位基金弥补收支差额@r2,c6 3×1',
    '部门结转@r2,c7 3×1',
    '本年支出小计@r2,c8 1×11',
    '小计@r3,c8 2×1',
    '一般公共预算@r3,c9 1×2',
    '小计@r4,c9 1×1',
    '其中：财政拨款@r4,c10 1×1',
    '政府性基金@r3,c11 2×1',
    '专户管理的教育收费@r3,c12 2×1',
    '专户管理的教育收费结余(结转)@r3,c13 2×1',
    '国有资本经营预算收入@r3,c14 2×1',
    '事业收入@r3,c15 2×1',
    '经营收入@r3,c16 2×1',
    '事业基金@r3,c17 2×1',
    '其他收入@r3,c18 2×1',
  ].sort();

  it('收入 spans the income 项目 and 金额 (c1–c3); 支出 spans c4–c18 with its 项目 inside', () => {
    expect(screenGrid('T01')).toEqual(expected);
    expect(printedGrid('T01')).toEqual(expected);
  });

  it('body rows line up under the header: 18 columns on every row of the screen', () => {
    const view = reportToView(table('T01'), budget.amountUnit, budget.fiscalYear)[0]!;
    expect(view.align).toHaveLength(18);
    expect(headerGrid(table('T01')).leaves.map((l) => l.key).slice(0, 4)).toEqual(['incomeGroup', 'incomeItem', 'amount', 'expenditureItem']);
  });
});

describe('T04 header (docs/domain/TABLES.md grid sketch)', () => {
  it('收入 over c1–c3, 支出 over c4–c9, 本年支出小计 over 一般公共预算 only', () => {
    const expected = [
      '收入@r1,c1 1×3',
      '项目@r2,c1 3×2',
      '金额@r2,c3 3×1',
      '支出@r1,c4 1×6',
      '项目@r2,c4 3×1',
      '合计@r2,c5 3×1',
      '本年支出小计@r2,c6 1×2',
      '一般公共预算@r3,c6 1×2',
      '小计@r4,c6 1×1',
      '其中：财政拨款@r4,c7 1×1',
      '政府性基金@r2,c8 3×1',
      '国有资本经营预算@r2,c9 3×1',
    ].sort();
    expect(screenGrid('T04')).toEqual(expected);
    expect(printedGrid('T04')).toEqual(expected);
  });
});

describe('list tables', () => {
  it('draw the same header on screen and in the files (T02, T03, T05–T09)', () => {
    for (const id of ['T02', 'T03', 'T05', 'T06', 'T07', 'T08', 'T09']) expect(screenGrid(id), id).toEqual(printedGrid(id));
    expect(screenGrid('T03')).toContain('科目编码@r1,c1 1×3');
    expect(screenGrid('T03')).toContain('单位代码@r1,c4 2×1');
  });
});
