// The whole disclosure document as PDF: the 预算说明 on A4 portrait pages, then every table on landscape pages
// exactly as tables.pdf prints them (pdf.ts, from the same printed grid), with the app's CJK font embedded.
import { paragraphText, type BudgetDocument, type DocParagraph } from '../core/document/draft.js';
import { printedTable } from '../core/tables/layout.js';
import type { ChartImage } from './charts.js';
import { drawTables, numberPages, openPdf, put, type FontName, type Measurer, type PdfFonts } from './pdf.js';
import type { DocumentOutputOptions } from './docx.js';

const PORTRAIT = { width: 595.28, height: 841.89 };
const MARGIN = { top: 72, bottom: 72, left: 72, right: 72 };

interface Style {
  font: FontName;
  size: number;
  align: 'left' | 'center' | 'right';
  /** First-line indent in characters (ideographic spaces). */
  indent: number;
  before: number;
  after: number;
  line: number;
}

const STYLES: Record<DocParagraph['kind'], Style> = {
  title: { font: 'bold', size: 20, align: 'center', indent: 0, before: 120, after: 40, line: 1.5 },
  toc: { font: 'bold', size: 16, align: 'center', indent: 0, before: 0, after: 14, line: 1.6 },
  list: { font: 'regular', size: 12, align: 'left', indent: 0, before: 0, after: 2, line: 1.7 },
  part: { font: 'bold', size: 16, align: 'center', indent: 0, before: 6, after: 8, line: 1.6 },
  heading: { font: 'bold', size: 13, align: 'left', indent: 2, before: 8, after: 2, line: 1.75 },
  subheading: { font: 'bold', size: 12, align: 'left', indent: 2, before: 2, after: 0, line: 1.75 },
  body: { font: 'regular', size: 12, align: 'left', indent: 2, before: 0, after: 4, line: 1.75 },
  signature: { font: 'regular', size: 12, align: 'right', indent: 0, before: 24, after: 0, line: 1.75 },
  /** The caption under a chart. */
  chart: { font: 'bold', size: 10.5, align: 'center', indent: 0, before: 4, after: 12, line: 1.5 },
};

/** A chart is drawn this wide (points), centred; its height keeps the chart's proportions. */
const CHART_WIDTH = 400;

class NarrativePrinter {
  private y = MARGIN.top;
  private readonly width = PORTRAIT.width - MARGIN.left - MARGIN.right;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly m: Measurer,
  ) {}

  newPage(): void {
    this.doc.addPage({ size: 'A4', layout: 'portrait', margin: 0 });
    this.y = MARGIN.top;
  }

  /** A chart's image with its caption under it, moved to the next page together when they do not fit. */
  chart(p: DocParagraph, image: ChartImage | undefined): void {
    if (image) {
      const height = (image.height * CHART_WIDTH) / image.width;
      const captionHeight = STYLES.chart.size * STYLES.chart.line + STYLES.chart.before + STYLES.chart.after;
      this.y += 6;
      if (this.y + height + captionHeight > PORTRAIT.height - MARGIN.bottom) this.newPage();
      this.doc.image(image.png, MARGIN.left + (this.width - CHART_WIDTH) / 2, this.y, { width: CHART_WIDTH, height });
      this.y += height;
    }
    this.paragraph(p);
  }

  paragraph(p: DocParagraph): void {
    const text = paragraphText(p);
    if (text.trim() === '') return;
    const s = STYLES[p.kind];
    const indent = p.kind === 'list' && !/^第|^附件/.test(text) ? '\u3000\u3000' : '\u3000'.repeat(s.indent);
    const lines = this.m.wrap(s.font, s.size, indent + text, this.width);
    const lineHeight = s.size * s.line;
    this.y += s.before;
    for (const line of lines) {
      if (this.y + lineHeight > PORTRAIT.height - MARGIN.bottom) this.newPage();
      const w = this.m.width(s.font, s.size, line);
      const x = s.align === 'center' ? MARGIN.left + (this.width - w) / 2 : s.align === 'right' ? MARGIN.left + this.width - w : MARGIN.left;
      put(this.doc, s.font, s.size, line, x, this.y + (lineHeight - s.size) / 2);
      this.y += lineHeight;
    }
    this.y += s.after;
  }
}

/** The PDF of the whole document: narrative (a new page for the contents and for each part), then the tables. */
export async function documentPdf(doc: BudgetDocument, options: DocumentOutputOptions & { fonts?: PdfFonts }): Promise<Buffer> {
  // ECharts and resvg load on first use.
  const charts = options.charts ?? (await (await import('./charts.js')).chartImages(doc, options.fonts));
  const { doc: pdf, m, done } = openPdf({ created: options.created, title: doc.title, fonts: options.fonts });
  const printer = new NarrativePrinter(pdf, m);
  printer.newPage();
  pdf.outline.addItem(doc.title);
  let previous: DocParagraph | null = null;
  for (const p of doc.paragraphs) {
    if ((p.kind === 'part' && previous?.kind !== 'part') || (p.kind === 'toc' && previous !== null)) {
      printer.newPage();
      if (p.kind === 'part') pdf.outline.addItem(paragraphText(p).startsWith('附件') ? paragraphText(p) : `${paragraphText(p)}`);
    }
    if (p.kind === 'chart') printer.chart(p, charts.get(p.chart ?? ''));
    else printer.paragraph(p);
    previous = p;
  }
  drawTables(
    pdf,
    m,
    doc.tables.map((t) => printedTable(t, options)),
  );
  numberPages(pdf, m);
  pdf.end();
  return done;
}
