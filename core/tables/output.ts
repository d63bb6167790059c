// Two outputs of computed tables: JSON with exact decimal strings (for machines and comparisons) and plain
// text aligned for a terminal (for people), drawn from the one print layout (layout.ts).
import { formatAmount, toExactString, type Fen } from '../money.js';
import { displayWidth, printedTable, type GridBlock, type GridCell, type PrintOptions } from './layout.js';
import { leafColumns, type AmountFormat, type ReportColumn, type ReportRow, type ReportTable } from './report.js';

// --- JSON ------------------------------------------------------------------------------------------------

export interface JsonColumn {
  key: string;
  label: string;
  children?: JsonColumn[];
}

export interface JsonRow {
  code?: string;
  label: string;
  level?: number;
  cells: Record<string, string>;
  /** Only with { layout: true }. */
  key?: string;
  kind?: string;
  side?: string;
  line?: number;
  group?: string;
  unit?: string;
  government?: { classCode: string; code: string; name: string };
}

export interface JsonTable {
  id: string;
  title: string;
  amountUnit: string;
  columns: JsonColumn[];
  rows: JsonRow[];
}

/**
 * `{"tables":[{id,title,amountUnit,columns,rows:[{code?,label,level?,cells}]}]}` with every amount an exact
 * decimal string in the budget's unit ("1740.2", not "1,740.2"). Zero cells are written ("0"): a checker
 * reads an empty published cell as zero. `layout: true` adds what a renderer needs (row key, kind, side,
 * printed line, group, unit, government class).
 *
 * Two-sided tables (T01, T04) list both sides in one `rows` array, ordered by printed row: income rows have
 * codes "income:<fund code>" (T04 also "income:gpb" / "income:gfb" for its 小计 rows, T01 "income:current-year"
 * for 本年合计) and one cell "amount"; expenditure rows have codes "expenditure:<row>" (T01: basic, wages,
 * public, family, project, general, special, project.302 … project.399) or the functional 类 code (T04: "201"),
 * and the expenditure columns. Both totals are "income:total" and "expenditure:total".
 */
export function reportToJson(tables: readonly ReportTable[], options: { layout?: boolean } = {}): { tables: JsonTable[] } {
  return {
    tables: tables.map((t) => ({
      id: t.id,
      title: t.title,
      amountUnit: t.amountUnit,
      columns: jsonColumns(t.columns),
      rows: t.rows.map((r) => jsonRow(t, r, options.layout === true)),
    })),
  };
}

function jsonColumns(columns: readonly ReportColumn[]): JsonColumn[] {
  return columns.map((c) => (c.children?.length ? { key: c.key, label: c.label, children: jsonColumns(c.children) } : { key: c.key, label: c.label }));
}

function jsonRow(t: ReportTable, r: ReportRow, layout: boolean): JsonRow {
  const cells: Record<string, string> = {};
  for (const [key, value] of Object.entries(r.cells)) cells[key] = toExactString(value, t.amountUnit);
  // Key order as documented: code, label, level, cells.
  const out: JsonRow = { ...(r.code !== undefined ? { code: r.code } : {}), label: r.label, ...(r.level !== undefined ? { level: r.level } : {}), cells };
  if (layout) {
    out.key = r.key;
    out.kind = r.kind;
    if (r.side) out.side = r.side;
    if (r.line !== undefined) out.line = r.line;
    if (r.group !== undefined) out.group = r.group;
    if (r.unit !== undefined) out.unit = r.unit;
    if (r.government) out.government = { ...r.government };
  }
  return out;
}

// --- text ------------------------------------------------------------------------------------------------
//
// The text report draws the one print layout (layout.ts) with characters: the same merged header, rows and
// formatted figures as the .xlsx and PDF files, aligned for a terminal (CJK characters count two columns).

/** Published form of one amount: "1,740.2" (万元, T01–T10), "5.00" (T11), "" for zero where published so. */
export function formatCell(fen: Fen | undefined, unit: ReportTable['amountUnit'], format: AmountFormat): string {
  if (fen === undefined) return '';
  return formatAmount(fen, unit, { decimals: format.decimals, thousands: format.thousands, blankZero: format.blankZero });
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}
function center(text: string, width: number): string {
  const room = Math.max(0, width - displayWidth(text));
  const left = Math.floor(room / 2);
  return ' '.repeat(left) + text + ' '.repeat(room - left);
}

/** Splits text into pieces no wider than `width` (at least one character each). */
function wrap(text: string, width: number): string[] {
  if (text === '') return [''];
  const out: string[] = [];
  let current = '';
  for (const ch of text) {
    if (current !== '' && displayWidth(current + ch) > width) {
      out.push(current);
      current = '';
    }
    current += ch;
  }
  out.push(current);
  return out;
}

/** Widest a header word may make its column before it wraps onto more header lines. */
const MAX_HEADER_WIDTH = 12;
const GAP = '  ';
/** Widest a free-text column of an indicator table grows before its text wraps. */
const INDICATOR_TEXT_WIDTH = [16, 16, 30, 20, 50];

/** Every table as aligned text, laid out as printed; tables are separated by a blank line. */
export function reportToText(tables: readonly ReportTable[], options: PrintOptions = {}): string {
  return tables.map((t) => tableToText(t, options)).join('\n\n') + '\n';
}

export function tableToText(t: ReportTable, options: PrintOptions = {}): string {
  return printedTable(t, options)
    .blocks.map((b) => blockText(b))
    .join('\n\n');
}

function blockText(block: GridBlock): string {
  const head = [block.title];
  for (const c of block.captions) {
    if (c.center !== undefined) head.push(c.center);
    if (c.left !== undefined) head.push(c.left);
    if (c.right !== undefined) head.push(c.right);
  }
  let body: string;
  if (block.headerRows > 0 || block.cells.some((c) => c.role === 'amount' && block.rows[c.row]?.kind !== 'budget')) {
    body = gridText(block.cells, block.rowCount, block.columnCount, block.headerRows);
  } else {
    body = formText(block);
  }
  return [...head, body, ...(block.note ? [block.note] : [])].join('\n');
}

/** A form (T10, T11): "label：value" lines, then its indicator table as an aligned grid. */
function formText(block: GridBlock): string {
  const head = block.rows.findIndex((r) => r.kind === 'head');
  const formRows = head < 0 ? block.rowCount : head;
  const out: string[] = [];
  const starting = (row: number) => block.cells.filter((c) => c.row === row).sort((a, b) => a.col - b.col);
  let indentUntil = -1;
  for (let row = 0; row < formRows; row++) {
    const cells = starting(row);
    const pieces: string[] = [];
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]!;
      const next = cells[i + 1];
      if (c.role === 'form-label' && c.rowSpan > 1) {
        // A label over several rows (年度主要任务, 预算情况) heads the lines it spans.
        out.push(`${c.text}：`);
        indentUntil = row + c.rowSpan - 1;
      } else if (c.role === 'form-label' && next && (next.role === 'text' || next.role === 'amount')) {
        pieces.push(`${c.text}：${next.text}`);
        i++;
      } else if (c.text !== '') pieces.push(c.text);
    }
    if (pieces.length) out.push((row <= indentUntil ? '  ' : '') + pieces.join(GAP));
  }
  if (head >= 0) {
    const cells = block.cells.filter((c) => c.row >= head).map((c) => ({ ...c, row: c.row - head }));
    out.push(gridText(cells, block.rowCount - head, block.columnCount, 1, INDICATOR_TEXT_WIDTH));
  }
  return out.join('\n');
}

/**
 * Grid cells as aligned lines between rules: a merged cell spans its columns (a wider group grows its last
 * column), a cell merged down prints on its first row only; headers are centred, amounts right-aligned.
 */
function gridText(cells: readonly GridCell[], rowCount: number, columnCount: number, headerRows: number, maxWidths?: readonly number[]): string {
  const cellText = (c: GridCell) => ' '.repeat((c.indent ?? 0) * 2) + c.text;
  const widths = new Array<number>(columnCount).fill(2);
  for (const c of cells) {
    if (c.colSpan !== 1) continue;
    const w = c.role === 'header' ? Math.min(displayWidth(c.text), MAX_HEADER_WIDTH) : displayWidth(cellText(c));
    widths[c.col] = Math.max(widths[c.col]!, Math.min(w, maxWidths?.[c.col] ?? Infinity));
  }
  const spanWidth = (c: GridCell) => widths.slice(c.col, c.col + c.colSpan).reduce((a, b) => a + b, 0) + GAP.length * (c.colSpan - 1);
  // Wider spans first grow their last column, header groups before body cells, in grid order.
  for (const c of [...cells].filter((x) => x.colSpan > 1).sort((a, b) => a.row - b.row || a.col - b.col)) {
    const need = displayWidth(cellText(c)) - spanWidth(c);
    if (need > 0) widths[c.col + c.colSpan - 1]! += need;
  }
  const starts = new Map<string, GridCell>();
  for (const c of cells) starts.set(`${c.row}:${c.col}`, c);
  const lines: string[][] = [];
  for (let row = 0; row < rowCount; row++) {
    const segments: { lines: string[]; width: number; align: 'left' | 'right' | 'center' }[] = [];
    for (let col = 0; col < columnCount; ) {
      const c = starts.get(`${row}:${col}`);
      if (!c) {
        segments.push({ lines: [''], width: widths[col]!, align: 'left' });
        col++;
        continue;
      }
      const width = spanWidth(c);
      const text = cellText(c);
      const wrapped = (c.role === 'header' && c.colSpan === 1) || maxWidths?.[c.col] !== undefined ? wrap(text, width) : [text];
      const align = c.role === 'header' ? 'center' : c.role === 'amount' || (c.role === 'number-row' && c.text !== '**') ? 'right' : 'left';
      segments.push({ lines: wrapped, width, align });
      col += c.colSpan;
    }
    const height = Math.max(...segments.map((s) => s.lines.length));
    const out: string[] = [];
    for (let h = 0; h < height; h++) {
      out.push(
        segments
          .map((s) => {
            const t = s.lines[h] ?? '';
            return s.align === 'center' ? center(t, s.width) : s.align === 'right' ? padStart(t, s.width) : padEnd(t, s.width);
          })
          .join(GAP)
          .trimEnd(),
      );
    }
    lines.push(out);
  }
  const headerLines = lines.slice(0, headerRows).flat();
  const bodyLines = lines.slice(headerRows).flat();
  // A loop, not Math.max(...): a large department's table has more lines than a call takes arguments.
  const rule = '-'.repeat([...headerLines, ...bodyLines].reduce((max, line) => Math.max(max, displayWidth(line)), 0));
  return [rule, ...headerLines, rule, ...bodyLines, rule].join('\n');
}

export { leafColumns, displayWidth };
