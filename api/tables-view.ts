// A computed table as the screen shows it: the one print layout (core/tables/layout.ts) as HTML-like rows of
// cells, each amount with its printed text (rounded from the exact value, zero blank), the exact value beside
// it and the address of the lines behind it. Nothing is laid out here: this only changes the grid's shape.
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

/** One block of the printed table as a screen view. */
export function blockToView(block: GridBlock, table: Pick<ReportTable, 'id' | 'caption'>, printed: { amountUnit: AmountUnit; columnWidths: readonly number[] }): TableView {
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
  const rows: TableRow[] = [];
  cells.slice(headerRows).forEach((row, i) => {
    if (row.length === 0) return;
    const info = block.rows[headerRows + i] ?? { kind: 'plain' };
    const out: TableRow = { kind: info.kind, cells: row.map((c) => viewCell(c, unit)) };
    if (info.key !== undefined) out.key = info.key;
    rows.push(out);
  });
  // Alignment per column: amounts right, everything else left.
  const align: ('left' | 'right')[] = Array.from({ length: block.columnCount }, () => 'left');
  for (const c of block.cells) if (c.row >= block.headerRows && c.colSpan === 1 && c.role === 'amount') align[c.col] = 'right';
  const lines = captionLines(table, unit);
  const unitLine = lines.find(isUnitLine);
  const view: TableView = {
    id: block.id,
    table: table.id as TableId,
    title: block.title,
    subtitle: [...lines.filter((l) => l !== unitLine), ...(block.label ? [block.label] : [])],
    unitLabel: unitLine ?? '',
    header,
    rows,
    align,
  };
  if (!columnHeader) {
    const total = printed.columnWidths.slice(0, block.columnCount).reduce((a, b) => a + b, 0);
    view.widths = printed.columnWidths.slice(0, block.columnCount).map((w) => Math.round((w / total) * 1000) / 10);
  }
  if (block.empty) view.emptyNote = '本表为空表';
  if (block.note) view.note = block.note;
  return view;
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
