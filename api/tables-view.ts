// A computed table as the screen shows it: the one print layout (core/tables/layout.ts) as HTML-like rows of
// cells, each amount with its printed text (rounded from the exact value, zero blank), the exact value beside
// it and the address of the lines behind it. Nothing is laid out here: this only changes the grid's shape.
// A long table is shown a window of rows at a time (api/browse-service.ts): the frame (title block, header,
// widths) and any range of body rows come from the same laid-out block.
import type { TemplateChoices } from '../core/indicators.js';
import { toExactString, type AmountUnit } from '../core/money.js';
import { captionLines, isUnitLine, printedTable, type GridBlock, type GridCell } from '../core/tables/layout.js';
import type { ReportTable } from '../core/tables/report.js';
import type { HeaderCell, TableCell, TableRow, TableView, TableId } from './contract.js';

function viewCell(c: GridCell, unit: AmountUnit): TableCell {
  const cell: TableCell = { exact: c.role === 'amount' && c.amount !== undefined && c.address ? toExactString(c.amount, unit) : null, text: c.text };
  if (c.address) {
    cell.row = c.address.row;
    cell.column = c.address.column;
    cell.drillable = true;
  }
  if (c.strong) cell.strong = true;
  if (c.colSpan > 1) cell.colSpan = c.colSpan;
  if (c.rowSpan > 1) cell.rowSpan = c.rowSpan;
  return cell;
}

/** Cells by the grid row they start on, in column order. */
function byRow(block: GridBlock): GridCell[][] {
  const rows: GridCell[][] = Array.from({ length: block.rowCount }, () => []);
  for (const c of block.cells) rows[c.row]?.push(c);
  for (const r of rows) r.sort((a, b) => a.col - b.col);
  return rows;
}

/** A laid-out block ready to be shown in parts: its frame, and its body rows by index. */
export interface ScreenBlock {
  block: GridBlock;
  unit: AmountUnit;
  /** Everything of the view but its rows. */
  frame: Omit<TableView, 'rows'>;
  /** Cells by grid row. */
  cells: GridCell[][];
  /** Grid rows of the body (after the column header) that hold cells: the view's rows, in order. */
  body: number[];
  /** Whether a body cell spans rows (such a block is shown whole). */
  rowSpans: boolean;
  /** The printed column widths, in character cells (a CJK character is 2). */
  columnWidths: number[];
}

/** One block of the printed table, prepared for the screen. */
export function screenBlock(block: GridBlock, table: Pick<ReportTable, 'id' | 'caption'>, printed: { amountUnit: AmountUnit; columnWidths: readonly number[] }): ScreenBlock {
  const unit = printed.amountUnit;
  const cells = byRow(block);
  const columnHeader = block.cells.some((c) => c.row < block.headerRows && c.role === 'header');
  const headerRows = columnHeader ? block.rows.filter((r) => r.kind === 'header').length : 0;
  const header: HeaderCell[][] = cells.slice(0, headerRows).map((row) =>
    row.map((c) => {
      const h: HeaderCell = { text: c.text };
      if (c.colSpan > 1) h.colSpan = c.colSpan;
      if (c.rowSpan > 1) h.rowSpan = c.rowSpan;
      return h;
    }),
  );
  const body: number[] = [];
  let rowSpans = false;
  for (let r = headerRows; r < cells.length; r++) {
    const row = cells[r]!;
    if (row.length === 0) continue;
    body.push(r);
    if (!rowSpans && row.some((c) => c.rowSpan > 1)) rowSpans = true;
  }
  // Alignment per column: amounts right, everything else left.
  const align: ('left' | 'right')[] = Array.from({ length: block.columnCount }, () => 'left');
  for (const c of block.cells) if (c.row >= block.headerRows && c.colSpan === 1 && c.role === 'amount') align[c.col] = 'right';
  const lines = captionLines(table, unit);
  const unitLine = lines.find(isUnitLine);
  const frame: Omit<TableView, 'rows'> = {
    id: block.id,
    table: table.id as TableId,
    title: block.title,
    subtitle: [...lines.filter((l) => l !== unitLine), ...(block.label ? [block.label] : [])],
    unitLabel: unitLine ?? '',
    header,
    align,
  };
  if (!columnHeader) {
    const total = printed.columnWidths.slice(0, block.columnCount).reduce((a, b) => a + b, 0);
    frame.widths = printed.columnWidths.slice(0, block.columnCount).map((w) => Math.round((w / total) * 1000) / 10);
  }
  if (block.empty) frame.emptyNote = '本表为空表';
  if (block.note) frame.note = block.note;
  return { block, unit, frame, cells, body, rowSpans, columnWidths: printed.columnWidths.slice(0, block.columnCount) };
}

/** Body rows `from` … `to` (exclusive) of a prepared block. */
export function screenRows(s: ScreenBlock, from = 0, to = s.body.length): TableRow[] {
  const out: TableRow[] = [];
  for (let i = Math.max(0, from); i < Math.min(to, s.body.length); i++) {
    const r = s.body[i]!;
    const info = s.block.rows[r] ?? { kind: 'plain' };
    const row: TableRow = { kind: info.kind, cells: s.cells[r]!.map((c) => viewCell(c, s.unit)) };
    if (info.key !== undefined) row.key = info.key;
    out.push(row);
  }
  return out;
}

/** The text a search within the table reads in one body row: its codes and names (not its figures). */
export function screenRowText(s: ScreenBlock, index: number): string {
  const texts = s.cells[s.body[index]!]!.filter((c) => c.role !== 'amount' && c.role !== 'number-row' && c.text !== '').map((c) => c.text);
  // Codes printed in parts (201 | 03 | 06) are found whole (2010306) too.
  return `${texts.join(' ')} ${texts.join('')}`.toLowerCase();
}

/** One block of the printed table as a screen view. */
export function blockToView(block: GridBlock, table: Pick<ReportTable, 'id' | 'caption'>, printed: { amountUnit: AmountUnit; columnWidths: readonly number[] }): TableView {
  const s = screenBlock(block, table, printed);
  return { ...s.frame, rows: screenRows(s) };
}

/**
 * One table as the screen shows it (T11 gives one view per project). `choices` are the indicator trees the user
 * chose in the wizard; the others follow core/indicators.ts, as the wizard and the printed files do.
 */
export function reportToView(table: ReportTable, unit: AmountUnit, _fiscalYear: number, choices: TemplateChoices = { projects: {} }): TableView[] {
  const printed = printedTable(table, { displayUnit: unit, templateChoices: choices });
  if (table.layout === 'projects' && (table.projects ?? []).length === 0) return [];
  return printed.blocks.map((b) => blockToView(b, table, printed));
}
