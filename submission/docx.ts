// The whole disclosure document as .docx: the 预算说明 (A4 portrait) and then every table (A4 landscape), each
// table drawn from the same printed grid (layout.ts) as the .xlsx files and the PDFs, so the three agree.
//
// The document names the fonts Chinese office PCs have (宋体 for text, 黑体 for headings) rather than embedding
// a font: Word and WPS substitute nothing on those machines, and LibreOffice falls back to its CJK fonts.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  PageBreak,
  PageNumber,
  PageOrientation,
  Paragraph,
  Footer,
  ImageRun,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  type ISectionOptions,
} from 'docx';
import { paragraphText, type BudgetDocument, type DocParagraph } from '../core/document/draft.js';
import { printedTable, type GridBlock, type PrintedTable, type PrintOptions } from '../core/tables/layout.js';
import type { ChartImage } from './charts.js';

const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体' };
const HEADING_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体' };

/** A4 in twentieths of a point. */
const A4 = { short: 11906, long: 16838 };
const PORTRAIT_MARGIN = 1440;
const LANDSCAPE_MARGIN = 720;

function footer(): { default: Footer } {
  return {
    default: new Footer({
      children: [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [new TextRun({ children: ['第 ', PageNumber.CURRENT, ' 页，共 ', PageNumber.TOTAL_PAGES, ' 页'], size: 18, font: BODY_FONT })],
        }),
      ],
    }),
  };
}

function narrativeParagraph(p: DocParagraph): Paragraph | null {
  const text = paragraphText(p);
  if (text.trim() === '') return null;
  switch (p.kind) {
    case 'title':
      return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 1200, after: 600 }, children: [new TextRun({ text, bold: true, size: 44, font: HEADING_FONT })] });
    case 'toc':
      return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [new TextRun({ text, bold: true, size: 32, font: HEADING_FONT })] });
    case 'list':
      return new Paragraph({ spacing: { line: 400 }, indent: /^第|^附件/.test(text) ? undefined : { left: 640 }, children: [new TextRun({ text, size: 28, font: BODY_FONT })] });
    case 'part':
      return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 240, after: 120 }, children: [new TextRun({ text, bold: true, size: 32, font: HEADING_FONT })] });
    case 'heading':
      return new Paragraph({ spacing: { before: 200, after: 80, line: 460 }, indent: { firstLine: 640 }, children: [new TextRun({ text, size: 30, font: HEADING_FONT })] });
    case 'subheading':
      return new Paragraph({ spacing: { line: 460 }, indent: { firstLine: 640 }, children: [new TextRun({ text, bold: true, size: 28, font: BODY_FONT })] });
    case 'signature':
      return new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: 400 }, children: [new TextRun({ text, size: 28, font: BODY_FONT })] });
    default:
      return new Paragraph({ alignment: AlignmentType.JUSTIFIED, spacing: { line: 460 }, indent: { firstLine: 560 }, children: [new TextRun({ text, size: 28, font: BODY_FONT })] });
  }
}

/** Width of a chart on the portrait page, in CSS pixels (the text block is about 600 px wide). */
const CHART_WIDTH_PX = 560;

/** A chart: its image (kept with its caption) and the caption below it. */
function chartParagraphs(p: DocParagraph, image: ChartImage | undefined): Paragraph[] {
  const caption = new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: 60, after: 240 },
    children: [new TextRun({ text: paragraphText(p), size: 21, font: HEADING_FONT })],
  });
  if (!image) return [caption];
  const height = Math.round((image.height * CHART_WIDTH_PX) / image.width);
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      keepNext: true,
      spacing: { before: 200 },
      children: [new ImageRun({ type: 'png', data: image.png, transformation: { width: CHART_WIDTH_PX, height }, altText: { name: p.chart ?? 'chart', title: paragraphText(p), description: paragraphText(p) } })],
    }),
    caption,
  ];
}

function narrativeChildren(doc: BudgetDocument, charts: ReadonlyMap<string, ChartImage>): Paragraph[] {
  const out: Paragraph[] = [];
  let previous: DocParagraph | null = null;
  for (const p of doc.paragraphs) {
    // Each part (and the contents after the title page) starts on a new page, as the published document does.
    const newPage = (p.kind === 'part' && previous?.kind !== 'part') || (p.kind === 'toc' && previous !== null);
    if (newPage) out.push(new Paragraph({ children: [new PageBreak()] }));
    if (p.kind === 'chart') out.push(...chartParagraphs(p, charts.get(p.chart ?? '')));
    else {
      const para = narrativeParagraph(p);
      if (para) out.push(para);
    }
    previous = p;
  }
  return out;
}

const THIN = { style: BorderStyle.SINGLE, size: 4, color: '000000' } as const;

function blockChildren(table: PrintedTable, block: GridBlock, usable: number): (Paragraph | Table)[] {
  const widths = table.columnWidths.slice(0, block.columnCount);
  while (widths.length < block.columnCount) widths.push(8);
  const sum = widths.reduce((a, b) => a + b, 0);
  const twips = widths.map((w) => Math.floor((w / sum) * usable));
  const cellSize = block.columnCount > 12 ? 14 : 16;
  const rows: TableRow[] = [];
  for (let r = 0; r < block.rowCount; r++) {
    const cells = block.cells
      .filter((c) => c.row === r)
      .sort((a, b) => a.col - b.col)
      .map(
        (c) =>
          new TableCell({
            columnSpan: c.colSpan > 1 ? c.colSpan : undefined,
            rowSpan: c.rowSpan > 1 ? c.rowSpan : undefined,
            width: { size: twips.slice(c.col, c.col + c.colSpan).reduce((a, b) => a + b, 0), type: WidthType.DXA },
            verticalAlign: VerticalAlign.CENTER,
            margins: { left: 40, right: 40, top: 20, bottom: 20 },
            borders: { top: THIN, bottom: THIN, left: THIN, right: THIN },
            children: (c.text === '' ? [''] : c.text.split('\n')).map(
              (line) =>
                new Paragraph({
                  alignment: c.align === 'right' ? AlignmentType.RIGHT : c.align === 'center' ? AlignmentType.CENTER : AlignmentType.LEFT,
                  indent: c.indent ? { left: c.indent * 160 } : undefined,
                  children: [new TextRun({ text: line, size: cellSize, bold: c.role === 'header' || c.role === 'form-heading', font: BODY_FONT })],
                }),
            ),
          }),
      );
    rows.push(new TableRow({ children: cells, tableHeader: r < block.headerRows, cantSplit: true }));
  }
  const out: (Paragraph | Table)[] = [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 120 }, children: [new TextRun({ text: block.title, bold: true, size: 32, font: HEADING_FONT })] }),
  ];
  for (const c of block.captions) {
    const parts = c.center !== undefined ? [c.center] : [c.left ?? '', c.right ?? ''];
    out.push(
      new Paragraph({
        alignment: c.center !== undefined ? AlignmentType.CENTER : AlignmentType.LEFT,
        tabStops: c.center !== undefined ? undefined : [{ type: 'right', position: usable }],
        children: [new TextRun({ text: parts.filter((x) => x !== '').join('\t'), size: 18, font: BODY_FONT })],
      }),
    );
  }
  out.push(new Table({ rows, columnWidths: twips, layout: TableLayoutType.FIXED, width: { size: twips.reduce((a, b) => a + b, 0), type: WidthType.DXA } }));
  if (block.note) out.push(new Paragraph({ spacing: { before: 120 }, children: [new TextRun({ text: block.note, size: 18, font: BODY_FONT })] }));
  return out;
}

export interface DocumentOutputOptions extends PrintOptions {
  created: Date;
  /** The charts as images (chartImages), when the caller renders them once for both files. */
  charts?: ReadonlyMap<string, ChartImage>;
}

/** The .docx of the whole document: narrative, then each table (each T11 project) on a new landscape page. */
export async function documentDocx(doc: BudgetDocument, options: DocumentOutputOptions): Promise<Buffer> {
  const usable = A4.long - 2 * LANDSCAPE_MARGIN;
  const tableChildren: (Paragraph | Table)[] = [];
  for (const table of doc.tables) {
    const printed = printedTable(table, options);
    for (const block of printed.blocks) {
      if (tableChildren.length > 0) tableChildren.push(new Paragraph({ children: [new PageBreak()] }));
      tableChildren.push(...blockChildren(printed, block, usable));
    }
  }
  const sections: ISectionOptions[] = [
    {
      properties: {
        page: {
          size: { width: A4.short, height: A4.long, orientation: PageOrientation.PORTRAIT },
          margin: { top: PORTRAIT_MARGIN, bottom: PORTRAIT_MARGIN, left: PORTRAIT_MARGIN, right: PORTRAIT_MARGIN },
        },
      },
      footers: footer(),
      children: narrativeChildren(doc, options.charts ?? (await (await import('./charts.js')).chartImages(doc))),
    },
    {
      properties: {
        page: {
          size: { width: A4.short, height: A4.long, orientation: PageOrientation.LANDSCAPE },
          margin: { top: LANDSCAPE_MARGIN, bottom: LANDSCAPE_MARGIN, left: LANDSCAPE_MARGIN, right: LANDSCAPE_MARGIN },
        },
      },
      footers: footer(),
      children: tableChildren,
    },
  ];
  const document = new Document({
    creator: '部门预算编制',
    title: doc.title,
    description: doc.title,
    styles: { default: { document: { run: { font: BODY_FONT, size: 28 } } } },
    sections,
  });
  return Packer.toBuffer(document);
}
