// One published table as an .xlsx workbook: title block, merged nested header, amounts as numbers in the
// published format (万元, thousands separator, one decimal, zero shown blank; T11 two decimals), A4
// landscape with the header rows repeated on every printed page.
//
// Amount cells hold values, never formulas: a spreadsheet that does not recalculate on load (LibreOffice)
// shows exactly what the app computed.
import ExcelJS from 'exceljs';
import { toExactString, type Fen } from '../core/money.js';
import type { AmountFormat, ReportTable } from '../core/tables/report.js';
import { displayWidth, printedTable, type GridBlock, type GridCell, type PrintedTable, type PrintOptions } from '../core/tables/layout.js';

/** The font the office PCs have; other machines substitute their CJK font. */
const FONT_NAME = '宋体';
const BODY_SIZE = 10;
const LINE_HEIGHT = 13.5;

/** Excel number format for a table's amounts: `#,##0.0;-#,##0.0;` hides zero, as the tables print it. */
export function amountNumberFormat(format: AmountFormat): string {
  const base = (format.thousands ? '#,##0' : '0') + (format.decimals > 0 ? '.' + '0'.repeat(format.decimals) : '');
  return format.blankZero ? `${base};-${base};` : base;
}

/**
 * The cell value of an amount. A spreadsheet number is a binary double; the file stores its shortest decimal
 * text, which is the exact amount whenever the amount has at most 15 significant digits (every real budget).
 * Should one ever not survive that round trip, the exact decimal is written as text instead of a near value.
 */
export function amountCellValue(fen: Fen, table: Pick<PrintedTable, 'amountUnit'>): number | string {
  const exact = toExactString(fen, table.amountUnit);
  const n = Number(exact);
  return String(n) === exact ? n : exact;
}

function sheetName(table: PrintedTable): string {
  return `${table.id} ${table.title}`.replace(/[\\/?*:[\]]/g, '_').slice(0, 31);
}

const thin = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER = { top: thin, left: thin, bottom: thin, right: thin };

function linesNeeded(text: string, width: number, indent = 0): number {
  const usable = Math.max(2, width - 1 - indent * 2);
  return text
    .split('\n')
    .reduce((sum, part) => sum + Math.max(1, Math.ceil(displayWidth(part) / usable)), 0);
}

function writeBlock(ws: ExcelJS.Worksheet, table: PrintedTable, block: GridBlock, top: number, numFmt: string): number {
  const columns = table.columnWidths.length;
  const lastCol = Math.max(columns, block.columnCount);
  let row = top;

  // Title
  ws.mergeCells(row, 1, row, lastCol);
  const title = ws.getCell(row, 1);
  title.value = block.title;
  title.font = { name: FONT_NAME, size: 16, bold: true };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(row).height = 30;
  row++;
  for (const c of block.captions) {
    if (c.center !== undefined) {
      ws.mergeCells(row, 1, row, lastCol);
      const cell = ws.getCell(row, 1);
      cell.value = c.center;
      cell.font = { name: FONT_NAME, size: BODY_SIZE };
      cell.alignment = { horizontal: 'center', vertical: 'middle' };
    } else {
      const split = Math.max(1, Math.ceil(lastCol / 2));
      if (split > 1) ws.mergeCells(row, 1, row, split);
      const left = ws.getCell(row, 1);
      left.value = c.left ?? '';
      left.font = { name: FONT_NAME, size: BODY_SIZE };
      left.alignment = { horizontal: 'left', vertical: 'middle' };
      if (lastCol > split) {
        if (lastCol > split + 1) ws.mergeCells(row, split + 1, row, lastCol);
        const right = ws.getCell(row, split + 1);
        right.value = c.right ?? '';
        right.font = { name: FONT_NAME, size: BODY_SIZE };
        right.alignment = { horizontal: 'right', vertical: 'middle' };
      }
    }
    ws.getRow(row).height = 18;
    row++;
  }

  const gridTop = row;
  const heights = new Array<number>(block.rowCount).fill(1);
  const spanWidth = (c: GridCell) => table.columnWidths.slice(c.col, c.col + c.colSpan).reduce((a, b) => a + b, 0);
  for (const c of block.cells) {
    const r = gridTop + c.row;
    const col = c.col + 1;
    if (c.rowSpan > 1 || c.colSpan > 1) ws.mergeCells(r, col, r + c.rowSpan - 1, col + c.colSpan - 1);
    const cell = ws.getCell(r, col);
    if (c.role === 'amount' && c.amount !== undefined) {
      cell.value = amountCellValue(c.amount, table);
      cell.numFmt = numFmt;
    } else if (c.role === 'number-row' && /^\d+$/.test(c.text)) {
      cell.value = Number(c.text);
    } else {
      // Codes stay text: "03" must not become 3.
      cell.value = c.text;
      cell.numFmt = '@';
    }
    const bold = c.role === 'header' || c.role === 'form-heading';
    cell.font = { name: FONT_NAME, size: BODY_SIZE, bold };
    cell.alignment = {
      horizontal: c.align,
      vertical: 'middle',
      wrapText: c.role !== 'amount',
      ...(c.indent ? { indent: c.indent } : {}),
    };
    // Merged ranges need the border on every covered cell, or spreadsheets draw it only around the first.
    for (let rr = r; rr < r + c.rowSpan; rr++) {
      for (let cc = col; cc < col + c.colSpan; cc++) ws.getCell(rr, cc).border = BORDER;
    }
    if (c.role !== 'amount') {
      const lines = linesNeeded(c.text, spanWidth(c), c.indent ?? 0);
      if (c.rowSpan === 1) heights[c.row] = Math.max(heights[c.row]!, lines);
    }
  }
  // A merged cell taller than its rows grows its last row.
  for (const c of block.cells) {
    if (c.rowSpan <= 1 || c.role === 'amount') continue;
    const lines = linesNeeded(c.text, spanWidth(c), c.indent ?? 0);
    const have = heights.slice(c.row, c.row + c.rowSpan).reduce((a, b) => a + b, 0);
    if (lines > have) heights[c.row + c.rowSpan - 1]! += lines - have;
  }
  heights.forEach((lines, i) => {
    ws.getRow(gridTop + i).height = Math.max(18, lines * LINE_HEIGHT + 4);
  });
  row = gridTop + block.rowCount;

  if (block.note) {
    ws.mergeCells(row, 1, row, lastCol);
    const cell = ws.getCell(row, 1);
    cell.value = block.note;
    cell.font = { name: FONT_NAME, size: BODY_SIZE };
    cell.alignment = { horizontal: 'left', vertical: 'top', wrapText: true };
    const width = table.columnWidths.reduce((a, b) => a + b, 0);
    ws.getRow(row).height = linesNeeded(block.note, width) * LINE_HEIGHT + 6;
    row++;
  }
  return row;
}

/** The workbook of one table, as .xlsx bytes. `created` fixes the document dates (the package's time). */
export async function tableWorkbook(table: ReportTable, created: Date, options: PrintOptions = {}): Promise<Buffer> {
  return printedTableWorkbook(printedTable(table, options), created);
}

export async function printedTableWorkbook(table: PrintedTable, created: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '部门预算编制';
  wb.created = created;
  wb.modified = created;
  const first = table.blocks[0];
  const captionRows = first ? 1 + first.captions.length : 1;
  const headerRows = first?.headerRows ?? 0;
  const ws = wb.addWorksheet(sheetName(table), {
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
      ...(table.blocks.length === 1 && headerRows > 0
        ? { printTitlesRow: `${captionRows + 1}:${captionRows + headerRows}` }
        : {}),
    },
    headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
    views: table.blocks.length === 1 && headerRows > 0 ? [{ state: 'frozen', ySplit: captionRows + headerRows }] : [],
  });
  ws.columns = table.columnWidths.map((w) => ({ width: w }));
  const numFmt = amountNumberFormat(table.format);
  let row = 1;
  table.blocks.forEach((block, i) => {
    if (i > 0) {
      // Each project table starts on a new page, as published.
      ws.getRow(row - 1).addPageBreak();
    }
    row = writeBlock(ws, table, block, row, numFmt);
    if (i < table.blocks.length - 1) row++;
  });
  if (table.blocks.length === 0) {
    ws.getCell(1, 1).value = table.title;
  }
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
