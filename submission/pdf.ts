// All published tables in one PDF (A4 landscape), drawn from the same grid as the .xlsx files.
//
// The font travels with the app (Noto Sans SC from an npm package) and is embedded as a subset holding only
// the characters used, so the file opens with the same glyphs on an office PC that has no such font.
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { ReportTable } from '../core/tables/report.js';
import { printedTable, type GridBlock, type GridCell, type PrintedTable, type PrintOptions } from '../core/tables/layout.js';

const require = createRequire(import.meta.url);

export interface PdfFonts {
  regular: string;
  bold: string;
}

/** The fonts shipped with the app. */
export function defaultPdfFonts(): PdfFonts {
  return {
    regular: require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
    bold: require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'),
  };
}

const PAGE = { width: 841.89, height: 595.28 }; // A4 landscape, points
const MARGIN = { top: 34, bottom: 34, left: 30, right: 30 };
const PAD_X = 2.5;
const PAD_Y = 2;
const LINE = 1.28; // line height / font size

/** Characters that never start a line (they stay with the character before them). */
const NO_LINE_START = new Set([...'，。、；：？！）》」』】〕”’%.,;:?!)]}·…—']);

export type FontName = 'regular' | 'bold';

/**
 * Draws one line of text whose em box starts at `top`. pdfkit puts the baseline at y + ascender, and this
 * font's ascender (1.16 em) is taller than its ideographs (0.88 em above the baseline), so y is moved up by
 * the difference. Font and size are set right here: measuring changes the document's current font.
 */
export function put(doc: PDFKit.PDFDocument, font: FontName, size: number, text: string, x: number, top: number): void {
  doc.font(font).fontSize(size).fillColor('black');
  const ascender = ((doc as unknown as { _font?: { ascender?: number } })._font?.ascender ?? 880) / 1000;
  doc.text(text, x, top - (ascender - 0.88) * size, { lineBreak: false });
}

export class Measurer {
  private readonly cache = new Map<string, number>();
  constructor(private readonly doc: PDFKit.PDFDocument) {}

  /** Width at size 1. */
  private char(font: FontName, ch: string): number {
    const key = font + ch;
    let w = this.cache.get(key);
    if (w === undefined) {
      w = this.doc.font(font).fontSize(1000).widthOfString(ch) / 1000;
      this.cache.set(key, w);
    }
    return w;
  }

  width(font: FontName, size: number, text: string): number {
    let w = 0;
    for (const ch of text) w += this.char(font, ch);
    return w * size;
  }

  /** Breaks text into lines no wider than `width`: anywhere between CJK characters, at spaces in Latin text. */
  wrap(font: FontName, size: number, text: string, width: number): string[] {
    const out: string[] = [];
    for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
      // Tokens: a run of Latin letters/digits (kept whole when it fits), or any single other character.
      const tokens = paragraph.match(/[A-Za-z0-9.,:;%+\-_/@#&=()[\]'"]+|\s|./gu) ?? [];
      let line = '';
      let lineWidth = 0;
      const flush = () => {
        out.push(line.trimEnd());
        line = '';
        lineWidth = 0;
      };
      for (const token of tokens) {
        const w = this.width(font, size, token);
        if (lineWidth + w <= width || line === '') {
          if (w > width && line === '' && token.length > 1) {
            // A token longer than the cell: split it by character.
            for (const ch of token) {
              const cw = this.width(font, size, ch);
              if (lineWidth + cw > width && line !== '') flush();
              line += ch;
              lineWidth += cw;
            }
            continue;
          }
          line += token;
          lineWidth += w;
          continue;
        }
        if (/^\s$/.test(token)) {
          flush();
          continue;
        }
        if (NO_LINE_START.has([...token][0]!) && line.length > 1) {
          // Carry the previous character down with the punctuation.
          const chars = [...line];
          const last = chars.pop()!;
          line = chars.join('');
          flush();
          line = last + token;
          lineWidth = this.width(font, size, line);
          continue;
        }
        flush();
        if (w > width && token.length > 1) {
          for (const ch of token) {
            const cw = this.width(font, size, ch);
            if (lineWidth + cw > width && line !== '') flush();
            line += ch;
            lineWidth += cw;
          }
        } else {
          line = token.trimStart();
          lineWidth = this.width(font, size, line);
        }
      }
      flush();
    }
    return out;
  }
}

interface LaidCell {
  cell: GridCell;
  font: FontName;
  lines: string[];
}

/** A piece of one grid row on one page (a row taller than a page is cut into several). */
interface Slice {
  row: number;
  /** Lines of the row's cells drawn in this slice; null for a whole row. */
  lines: { from: number; to: number } | null;
  height: number;
}

function fontOf(cell: GridCell): FontName {
  return cell.role === 'header' || cell.role === 'form-heading' ? 'bold' : 'regular';
}

class BlockPrinter {
  private readonly colX: number[];
  private readonly colW: number[];
  private readonly size: number;
  private readonly lineHeight: number;
  private readonly laid: LaidCell[];
  private readonly heights: number[];

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly m: Measurer,
    table: PrintedTable,
    private readonly block: GridBlock,
  ) {
    const usable = PAGE.width - MARGIN.left - MARGIN.right;
    const widths = table.columnWidths.slice(0, block.columnCount);
    while (widths.length < block.columnCount) widths.push(8);
    const total = widths.reduce((a, b) => a + b, 0);
    this.colW = widths.map((w) => (w / total) * usable);
    this.colX = [];
    let x = MARGIN.left;
    for (const w of this.colW) {
      this.colX.push(x);
      x += w;
    }
    // Shrink the font until every amount fits its column on one line.
    let size = block.columnCount > 12 ? 7.5 : 8.5;
    const amounts = block.cells.filter((c) => c.role === 'amount' && c.colSpan === 1);
    while (size > 5.5 && amounts.some((c) => m.width('regular', size, c.text) + 2 * PAD_X > this.colW[c.col]!)) size -= 0.5;
    this.size = size;
    this.lineHeight = size * LINE;
    this.laid = block.cells.map((cell) => ({
      cell,
      font: fontOf(cell),
      lines: cell.text === '' ? [] : m.wrap(fontOf(cell), size, cell.text, this.cellWidth(cell) - 2 * PAD_X - (cell.indent ?? 0) * size),
    }));
    this.heights = this.rowHeights();
  }

  private cellWidth(c: GridCell): number {
    return this.colW.slice(c.col, c.col + c.colSpan).reduce((a, b) => a + b, 0);
  }

  private textHeight(lines: number): number {
    return Math.max(1, lines) * this.lineHeight + 2 * PAD_Y;
  }

  private rowHeights(): number[] {
    const h = new Array<number>(this.block.rowCount).fill(this.textHeight(1));
    for (const l of this.laid) if (l.cell.rowSpan === 1) h[l.cell.row] = Math.max(h[l.cell.row]!, this.textHeight(l.lines.length));
    for (const l of this.laid) {
      if (l.cell.rowSpan <= 1) continue;
      const need = this.textHeight(l.lines.length);
      const have = h.slice(l.cell.row, l.cell.row + l.cell.rowSpan).reduce((a, b) => a + b, 0);
      if (need > have) h[l.cell.row + l.cell.rowSpan - 1]! += need - have;
    }
    return h;
  }

  private titleHeight(): number {
    return 30 + this.block.captions.length * 15 + 4;
  }

  private drawTitle(y: number): number {
    const doc = this.doc;
    const title = this.block.title;
    put(doc, 'bold', 15, title, (PAGE.width - this.m.width('bold', 15, title)) / 2, y);
    y += 30;
    for (const c of this.block.captions) {
      if (c.center !== undefined) put(doc, 'regular', 9, c.center, (PAGE.width - this.m.width('regular', 9, c.center)) / 2, y);
      if (c.left !== undefined) put(doc, 'regular', 9, c.left, MARGIN.left, y);
      if (c.right !== undefined) put(doc, 'regular', 9, c.right, PAGE.width - MARGIN.right - this.m.width('regular', 9, c.right), y);
      y += 15;
    }
    return y + 4;
  }

  /** Cuts body rows into slices that fit a page body of `room` points. */
  private slices(room: number): Slice[] {
    const out: Slice[] = [];
    for (let r = this.block.headerRows; r < this.block.rowCount; r++) {
      const h = this.heights[r]!;
      if (h <= room) {
        out.push({ row: r, lines: null, height: h });
        continue;
      }
      const maxLines = Math.max(1, Math.floor((room - 2 * PAD_Y) / this.lineHeight));
      const total = Math.max(...this.laid.filter((l) => l.cell.row === r).map((l) => l.lines.length), 1);
      for (let from = 0; from < total; from += maxLines) {
        const to = Math.min(total, from + maxLines);
        out.push({ row: r, lines: { from, to }, height: this.textHeight(to - from) });
      }
    }
    return out;
  }

  print(): void {
    const doc = this.doc;
    const headerHeight = this.heights.slice(0, this.block.headerRows).reduce((a, b) => a + b, 0);
    const bottom = PAGE.height - MARGIN.bottom;
    // Sized for the first page (under the title), so every slice fits any page.
    const slices = this.slices(bottom - MARGIN.top - this.titleHeight() - headerHeight);

    doc.addPage();
    let y = this.drawTitle(MARGIN.top);
    let page: Slice[] = [];
    let pageTop = y;
    const flushPage = () => {
      this.drawPage(pageTop, page);
      page = [];
    };
    let cursor = y + headerHeight;
    for (const s of slices) {
      if (cursor + s.height > bottom && (page.length > 0 || cursor > pageTop + headerHeight)) {
        flushPage();
        doc.addPage();
        pageTop = MARGIN.top;
        cursor = pageTop + headerHeight;
      }
      page.push(s);
      cursor += s.height;
    }
    flushPage();
    if (this.block.note) {
      const usable = PAGE.width - MARGIN.left - MARGIN.right;
      const lines = this.m.wrap('regular', 8.5, this.block.note, usable);
      let ny = cursor + 6;
      for (const line of lines) {
        if (ny + 8.5 * LINE > bottom) {
          doc.addPage();
          ny = MARGIN.top;
        }
        put(doc, 'regular', 8.5, line, MARGIN.left, ny);
        ny += 8.5 * LINE;
      }
    }
  }

  /** Draws the header rows and the given body slices from `top`. */
  private drawPage(top: number, slices: Slice[]): void {
    const rowsY = new Map<number, { y: number; h: number; lines: Slice['lines'] }>();
    let y = top;
    for (let r = 0; r < this.block.headerRows; r++) {
      rowsY.set(r, { y, h: this.heights[r]!, lines: null });
      y += this.heights[r]!;
    }
    for (const s of slices) {
      rowsY.set(s.row, { y, h: s.height, lines: s.lines });
      y += s.height;
    }
    const visibleRows = [...rowsY.keys()];
    const firstBody = slices[0]?.row ?? Number.POSITIVE_INFINITY;
    for (const l of this.laid) {
      const c = l.cell;
      const rows = visibleRows.filter((r) => r >= c.row && r < c.row + c.rowSpan);
      if (rows.length === 0) continue;
      const yTop = rowsY.get(rows[0]!)!.y;
      const last = rowsY.get(rows[rows.length - 1]!)!;
      const height = last.y + last.h - yTop;
      const x = this.colX[c.col]!;
      const w = this.cellWidth(c);
      this.doc.lineWidth(0.5).strokeColor('black').rect(x, yTop, w, height).stroke();
      let lines = l.lines;
      const slice = rowsY.get(c.row)?.lines;
      if (c.rowSpan === 1 && slice) lines = lines.slice(slice.from, slice.to);
      else if (slice === undefined && c.row < firstBody && c.row >= this.block.headerRows) {
        // A merged label cut by the page break is printed again on the new page, as published.
        lines = l.lines;
      }
      if (lines.length === 0) continue;
      this.drawText(l, lines, x, yTop, w, height, c.rowSpan === 1 && slice ? 'top' : 'middle');
    }
  }

  private drawText(l: LaidCell, lines: string[], x: number, y: number, w: number, h: number, valign: 'top' | 'middle'): void {
    const doc = this.doc;
    const size = this.size;
    const textH = lines.length * this.lineHeight;
    let ty = valign === 'middle' ? y + Math.max(PAD_Y, (h - textH) / 2) : y + PAD_Y;
    doc.save();
    doc.rect(x, y, w, h).clip();
    const indent = (l.cell.indent ?? 0) * size;
    for (const line of lines) {
      const lw = this.m.width(l.font, size, line);
      let tx = x + PAD_X + indent;
      if (l.cell.align === 'right') tx = x + w - PAD_X - lw;
      else if (l.cell.align === 'center') tx = x + (w - lw) / 2;
      put(doc, l.font, size, line, tx, ty + (this.lineHeight - size) / 2);
      ty += this.lineHeight;
    }
    doc.restore();
  }
}

/** The PDF of the given tables, in order; each table (each T11 project) starts on a new page. */
export async function tablesPdf(
  tables: readonly ReportTable[],
  options: { created: Date; title?: string; fonts?: PdfFonts } & PrintOptions,
): Promise<Buffer> {
  return printedTablesPdf(
    tables.map((t) => printedTable(t, options)),
    options,
  );
}

export async function printedTablesPdf(
  tables: readonly PrintedTable[],
  options: { created: Date; title?: string; fonts?: PdfFonts },
): Promise<Buffer> {
  const { doc, m, done } = openPdf({ ...options, title: options.title ?? '部门预算表' });
  drawTables(doc, m, tables);
  numberPages(doc, m);
  doc.end();
  return done;
}

/** A PDF document with the app's fonts registered (A4 landscape unless a page says otherwise), and its bytes when ended. */
export function openPdf(options: { created: Date; title: string; fonts?: PdfFonts }): { doc: PDFKit.PDFDocument; m: Measurer; done: Promise<Buffer> } {
  const fonts = options.fonts ?? defaultPdfFonts();
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    autoFirstPage: false,
    bufferPages: true,
    info: {
      Title: options.title,
      Creator: '部门预算编制',
      Producer: '部门预算编制',
      CreationDate: options.created,
      ModDate: options.created,
    },
  });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, m: new Measurer(doc), done };
}

/** Prints the tables, each block from a new landscape page, with a bookmark per table. */
export function drawTables(doc: PDFKit.PDFDocument, m: Measurer, tables: readonly PrintedTable[]): void {
  for (const t of tables) {
    const first = doc.bufferedPageRange().count;
    for (const block of t.blocks) new BlockPrinter(doc, m, t, block).print();
    const range = doc.bufferedPageRange();
    if (range.count > first) {
      // A bookmark per table, pointing at its first page.
      doc.switchToPage(range.start + first);
      doc.outline.addItem(`${t.id} ${t.title}`);
      doc.switchToPage(range.start + range.count - 1);
    }
  }
}

/** "第 i 页，共 n 页" at the foot of every page. */
export function numberPages(doc: PDFKit.PDFDocument, m: Measurer): void {
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const text = `第 ${i + 1} 页，共 ${range.count} 页`;
    put(doc, 'regular', 8, text, (doc.page.width - m.width('regular', 8, text)) / 2, doc.page.height - 22);
  }
}
