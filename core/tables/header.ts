// The column header of a published table as a grid of merged cells. The screen (api/tables-view.ts) and the
// printed files (core/tables/layout.ts, which every output renders) draw this one grid, so they cannot disagree about what spans what.
import type { ReportColumn, ReportTable } from './report.js';

export interface HeaderGridCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  text: string;
}

/** A body column under the header, in print order. */
export interface HeaderLeaf {
  /** Label key (ReportRow.labels) or amount key (ReportRow.cells). */
  key: string;
  amount: boolean;
  side?: 'income' | 'expenditure';
}

export interface HeaderGrid {
  /** Number of header rows. */
  rows: number;
  /** Every header cell once, by row then column. */
  cells: HeaderGridCell[];
  leaves: HeaderLeaf[];
}

interface Node {
  label: string;
  children: Node[];
  /** Leaves only. */
  leaf?: HeaderLeaf;
}

function toNode(c: ReportColumn, amount: boolean, side: HeaderLeaf['side']): Node {
  const children = c.children ?? [];
  if (children.length === 0) return { label: c.label, children: [], leaf: { key: c.key, amount, ...(side ? { side } : {}) } };
  return { label: c.label, children: children.map((k) => toNode(k, amount, side)) };
}

/**
 * Children that all have no label (T01's two income label columns under 项目) print as one cell over all
 * of their columns, so their parent is laid out as if it were a leaf.
 */
function collapsed(n: Node): boolean {
  return n.children.length === 0 || n.children.every((c) => c.label === '' && c.children.length === 0);
}

function depth(n: Node): number {
  return collapsed(n) ? 1 : 1 + Math.max(...n.children.map(depth));
}

function leaves(n: Node): HeaderLeaf[] {
  return n.children.length === 0 ? [n.leaf!] : n.children.flatMap(leaves);
}

/**
 * The header roots in print order. A two-sided table (T01, T04) prints each side under one top cell, 收入 or
 * 支出, that spans the side's label columns (项目) as well as its amounts, as published.
 */
function roots(table: Pick<ReportTable, 'layout' | 'labelColumns' | 'columns'>): Node[] {
  if (table.layout !== 'two-sided') {
    return [...table.labelColumns.map((c) => toNode(c, false, undefined)), ...table.columns.map((c) => toNode(c, true, undefined))];
  }
  const out: Node[] = [];
  for (const side of ['income', 'expenditure'] as const) {
    const group = table.columns.find((c) => c.side === side);
    const labels = table.labelColumns.filter((c) => c.side === side).map((c) => toNode(c, false, side));
    const amounts = group ? (group.children?.length ? group.children : [group]).map((c) => toNode(c, true, side)) : [];
    if (labels.length + amounts.length === 0) continue;
    out.push({ label: group?.label ?? '', children: [...labels, ...amounts] });
  }
  return out;
}

/**
 * Lays the header out: a group spans its columns on one row and its children start on the next; a leaf
 * (or a collapsed group) reaches down to the last header row.
 */
export function headerGrid(table: Pick<ReportTable, 'layout' | 'labelColumns' | 'columns'>): HeaderGrid {
  if (table.layout === 'form' || table.layout === 'projects') return { rows: 0, cells: [], leaves: [] };
  const top = roots(table);
  const rows = top.length ? Math.max(...top.map(depth)) : 0;
  const cells: HeaderGridCell[] = [];
  const out: HeaderLeaf[] = [];
  const place = (n: Node, row: number, col: number): number => {
    const width = leaves(n).length;
    if (collapsed(n)) {
      cells.push({ row, col, rowSpan: rows - row, colSpan: width, text: n.label });
      out.push(...leaves(n));
    } else {
      cells.push({ row, col, rowSpan: 1, colSpan: width, text: n.label });
      let c = col;
      for (const child of n.children) c = place(child, row + 1, c);
    }
    return col + width;
  };
  let col = 0;
  for (const r of top) col = place(r, 0, col);
  cells.sort((a, b) => a.row - b.row || a.col - b.col);
  return { rows, cells, leaves: out };
}
