// The one print layout of a computed table: a grid of cells with merges, as the published document lays it
// out (title block, nested header, `**` number row, body, note). Every output renders this grid: the screen
// (api/tables-view.ts), the wizard's 预览, the text report (output.ts), the .xlsx writer and the PDF printer,
// so they always agree cell for cell. No other module lays out a header, a row or a form.
import {
  publishedIndicatorRows,
  templateForDepartment,
  templateForProject,
  type IndicatorTemplate,
  type TemplateChoices,
} from '../indicators.js';
import type { DepartmentPerformance, Indicator, Project } from '../model.js';
import { formatAmount, type AmountUnit, type Fen } from '../money.js';
import { headerGrid, type HeaderLeaf } from './header.js';
import type { AmountFormat, ReportRow, ReportTable } from './report.js';

export type CellRole =
  | 'header' // column header
  | 'number-row' // the ** 1 2 3 row
  | 'label' // a code or name in the body
  | 'amount' // an amount (rendered with the table's format)
  | 'form-label' // a label of a form (T10/T11): 项目名称, 联系人 …
  | 'form-heading' // a full-width section heading of a form: 项目详细信息
  | 'text'; // free text of a form

export interface GridCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  role: CellRole;
  /** What is printed; for an amount, its display text in the table's format. */
  text: string;
  /** Amount cells: the exact value. */
  amount?: Fen;
  align: 'left' | 'center' | 'right';
  /** Indentation steps of a label (deeper rows of a list). */
  indent?: number;
  /** Amount cells of the engine: the row and column keys of the figure (the lines behind it). */
  address?: { row: string; column: string };
  /** Printed bold: a total, subtotal or section (two-sided tables per side). */
  strong?: boolean;
}

/** What a grid row is (for screens: styling and the row's key); header rows have kind 'header'. */
export interface GridRowInfo {
  key?: string;
  kind: string;
}

/** One printed table. T11 has one block per project, each starting on a new page. */
export interface GridBlock {
  /** The table id, or "T11:<project code>" for one project's form. */
  id: string;
  /** A project's form: "<code> <name>", to tell the forms apart in lists. */
  label?: string;
  /** Lines above the grid: title (centred, large), then caption lines. */
  title: string;
  /** A line under the title: left part, right part (e.g. "单位：…" and "单位：万元"), or centred. */
  captions: { left?: string; right?: string; center?: string }[];
  columnCount: number;
  rowCount: number;
  /** Leading grid rows that are the column header: repeated at the top of every printed page. */
  headerRows: number;
  cells: GridCell[];
  /** Per grid row (0 … rowCount-1): its kind and, for a row of the engine, its key. */
  rows: GridRowInfo[];
  /** Paragraph printed under the grid (T08). */
  note?: string;
  /** A list table without a single row: the screen says so. */
  empty?: boolean;
}

export interface PrintedTable {
  id: string;
  title: string;
  /** The unit the amounts are printed in (the budget's unless a display unit was asked for). */
  amountUnit: AmountUnit;
  format: AmountFormat;
  /** Relative column widths, in character cells (a CJK character is 2). */
  columnWidths: number[];
  blocks: GridBlock[];
}

/** Display width in character cells (terminal and print): CJK, full-width forms, curly quotes and ≥ ≤ count 2. */
export function displayWidth(text: string): number {
  // Figures and codes (most cells of a long table) are plain ASCII: one cell per character.
  if (ASCII.test(text)) return text.length;
  let w = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    w += cp >= 0x1100 && (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd) || cp === 0x201c || cp === 0x201d ||
      cp === 0x2018 || cp === 0x2019 || cp === 0x2265 || cp === 0x2264) ? 2 : 1;
  }
  return w;
}

const ASCII = /^[\x00-\x7f]*$/;

export function formatCell(fen: Fen, unit: AmountUnit, format: AmountFormat): string {
  return formatAmount(fen, unit, { decimals: format.decimals, thousands: format.thousands, blankZero: format.blankZero });
}

// ---------------------------------------------------------------------------------------------------
// Headers

/** The header grid (shared with the screen, core/tables/header.ts) as printed cells; returns the body columns. */
function placeHeader(table: ReportTable, cells: GridCell[]): { leaves: HeaderLeaf[]; rows: number } {
  const grid = headerGrid(table);
  for (const c of grid.cells) cells.push({ ...c, role: 'header', align: 'center' });
  return { leaves: grid.leaves, rows: grid.rows };
}

/** The title block's lines after the title, the amount unit line naming the unit printed. */
export function captionLines(table: Pick<ReportTable, 'caption'>, unit: AmountUnit): string[] {
  return table.caption.slice(1).map((l) => (UNIT_LINE.test(l) ? `单位：${unit}` : l));
}

const UNIT_LINE = /^单位：(万元|元)$/;

export function isUnitLine(line: string): boolean {
  return UNIT_LINE.test(line);
}

function captionsOf(table: ReportTable, unit: AmountUnit): GridBlock['captions'] {
  const lines = captionLines(table, unit);
  // "单位：<name>" and "单位：万元" share one line, left and right, as these forms are printed.
  if (lines.length === 2 && lines.every((l) => l.startsWith('单位'))) return [{ left: lines[0]!, right: lines[1]! }];
  return lines.map((l) => (l.startsWith('单位') ? { left: l } : { center: l }));
}

/** The unit and rounding amounts print with. */
interface Printing {
  unit: AmountUnit;
  format: AmountFormat;
}

/**
 * The table's published format belongs to its unit; another display unit (the screen's 元 for a 万元 budget)
 * shows exact 分, two decimals.
 */
function printingOf(table: Pick<ReportTable, 'amountUnit' | 'format'>, displayUnit: AmountUnit | undefined): Printing {
  const unit = displayUnit ?? table.amountUnit;
  return { unit, format: unit === table.amountUnit ? table.format : { decimals: 2, thousands: true, blankZero: table.format.blankZero } };
}

function amountCell(row: number, col: number, fen: Fen | undefined, p: Printing, address?: { row: string; column: string }): GridCell {
  const value = fen ?? 0n;
  const cell: GridCell = {
    row,
    col,
    rowSpan: 1,
    colSpan: 1,
    role: 'amount',
    text: formatCell(value, p.unit, p.format),
    amount: value,
    align: 'right',
  };
  if (fen !== undefined && address) cell.address = address;
  return cell;
}

/** Rows printed bold. */
const STRONG_KINDS = new Set(['total', 'subtotal', 'section']);

function headerRowInfo(n: number): GridRowInfo[] {
  return Array.from({ length: n }, () => ({ kind: 'header' }));
}

/** The widest label column takes the indentation; codes never do. */
function nameColumnKey(keys: string[], rows: readonly ReportRow[]): string | null {
  let best: string | null = null;
  let bestWidth = -1;
  for (const k of keys) {
    const w = Math.max(0, ...rows.map((r) => displayWidth(r.labels[k] ?? '')));
    if (w > bestWidth) {
      best = k;
      bestWidth = w;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------
// List tables (T02, T03, T05–T09)

function listBlock(table: ReportTable, p: Printing): GridBlock {
  const cells: GridCell[] = [];
  const { leaves: cols, rows: headerRows } = placeHeader(table, cells);
  const rows = headerRowInfo(headerRows);
  let row = headerRows;
  if (table.numberRow) {
    let n = 0;
    cols.forEach((c, i) => {
      cells.push({
        row, col: i, rowSpan: 1, colSpan: 1, role: 'number-row', text: c.amount ? String(++n) : '**', align: 'center',
      });
    });
    rows.push({ kind: 'number' });
    row++;
  }
  const labelKeys = cols.filter((c) => !c.amount).map((c) => c.key);
  const nameKey = nameColumnKey(labelKeys, table.rows);
  for (const r of table.rows) {
    cols.forEach((c, i) => {
      if (c.amount) cells.push(amountCell(row, i, r.cells[c.key], p, { row: r.key, column: c.key }));
      else {
        const cell: GridCell = {
          row, col: i, rowSpan: 1, colSpan: 1, role: 'label', text: r.labels[c.key] ?? '', align: 'left',
        };
        if (c.key === nameKey && (r.level ?? 0) >= 2) cell.indent = (r.level ?? 0) - 1;
        cells.push(cell);
      }
    });
    rows.push({ key: r.key, kind: r.kind });
    row++;
  }
  return {
    id: table.id,
    title: table.caption[0] ?? table.title,
    captions: captionsOf(table, p.unit),
    columnCount: cols.length,
    rowCount: row,
    headerRows: headerRows + (table.numberRow ? 1 : 0),
    cells,
    rows,
    ...(table.note ? { note: table.note } : {}),
    ...(table.rows.length === 0 ? { empty: true } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// Two-sided tables (T01, T04): income on the left, expenditure on the right, sharing printed lines

function twoSidedBlock(table: ReportTable, p: Printing): GridBlock {
  const cells: GridCell[] = [];
  const { leaves: cols, rows: headerRows } = placeHeader(table, cells);
  const colOf = new Map<string, number>(cols.map((c, i) => [c.key, i]));
  const incomeLabelCols = table.labelColumns
    .filter((c) => c.side === 'income')
    .flatMap((c) => (c.children && c.children.length ? c.children : [c]))
    .map((c) => colOf.get(c.key)!);
  const lines = Math.max(0, ...table.rows.map((r) => r.line ?? 0));
  const filled = new Set<string>();
  const mark = (row: number, col: number, rowSpan = 1, colSpan = 1) => {
    for (let r = row; r < row + rowSpan; r++) for (let c = col; c < col + colSpan; c++) filled.add(`${r}:${c}`);
  };

  // Income group labels merge down over the consecutive lines of their group.
  const incomeRows = table.rows.filter((r) => r.side === 'income' && r.line);
  for (let i = 0; i < incomeRows.length; ) {
    const r = incomeRows[i]!;
    let j = i + 1;
    if (r.group) {
      while (j < incomeRows.length && incomeRows[j]!.group === r.group && incomeRows[j]!.line === incomeRows[j - 1]!.line! + 1) j++;
      const first = headerRows + r.line! - 1;
      const col = incomeLabelCols[0]!;
      cells.push({ row: first, col, rowSpan: j - i, colSpan: 1, role: 'label', text: r.group, align: 'left', strong: true });
      mark(first, col, j - i, 1);
    }
    i = j;
  }
  for (const r of table.rows) {
    if (!r.line || !r.side) continue;
    const row = headerRows + r.line - 1;
    const strong = STRONG_KINDS.has(r.kind) ? { strong: true } : {};
    if (r.side === 'income') {
      const [groupCol, itemCol] = incomeLabelCols;
      if (r.group && itemCol !== undefined) {
        cells.push({ row, col: itemCol, rowSpan: 1, colSpan: 1, role: 'label', text: r.labels.incomeItem ?? r.label, align: 'left', ...strong });
        mark(row, itemCol);
      } else {
        // A row without a group spans both label columns.
        const span = incomeLabelCols.length;
        cells.push({ row, col: groupCol!, rowSpan: 1, colSpan: span, role: 'label', text: r.labels.incomeGroup ?? r.label, align: 'left', ...strong });
        mark(row, groupCol!, 1, span);
      }
    }
    for (const lc of table.labelColumns.filter((c) => c.side === r.side && r.side === 'expenditure')) {
      const col = colOf.get(lc.key)!;
      const cell: GridCell = { row, col, rowSpan: 1, colSpan: 1, role: 'label', text: r.labels[lc.key] ?? r.label, align: 'left', ...strong };
      if ((r.level ?? 0) >= 2) cell.indent = (r.level ?? 0) - 1;
      cells.push(cell);
      mark(row, col);
    }
    for (const leaf of cols.filter((c) => c.amount && c.side === r.side)) {
      const col = colOf.get(leaf.key)!;
      cells.push({ ...amountCell(row, col, r.cells[leaf.key], p, { row: r.key, column: leaf.key }), ...strong });
      mark(row, col);
    }
  }
  // Lines where one side has fewer rows keep empty, bordered cells.
  for (let l = 0; l < lines; l++) {
    for (let c = 0; c < cols.length; c++) {
      const row = headerRows + l;
      if (!filled.has(`${row}:${c}`)) cells.push({ row, col: c, rowSpan: 1, colSpan: 1, role: 'label', text: '', align: 'left' });
    }
  }
  cells.sort((a, b) => a.row - b.row || a.col - b.col);
  return {
    id: table.id,
    title: table.caption[0] ?? table.title,
    captions: captionsOf(table, p.unit),
    columnCount: cols.length,
    rowCount: headerRows + lines,
    headerRows,
    cells,
    rows: [...headerRowInfo(headerRows), ...Array.from({ length: lines }, () => ({ kind: 'pair' }))],
  };
}

// ---------------------------------------------------------------------------------------------------
// Indicator tables (T10 part 2, T11)

interface IndicatorRowOut {
  level1: string;
  level2: string;
  indicator: Indicator | null;
  level1RowSpan: number;
  level2RowSpan: number;
}

/** Rows in print order with their spans: by the template's skeleton, or grouped as entered without one. */
function indicatorRows(indicators: readonly Indicator[], template: IndicatorTemplate | null): IndicatorRowOut[] {
  if (template) return publishedIndicatorRows(indicators, template);
  const rows: IndicatorRowOut[] = indicators.map((i) => ({ level1: i.level1, level2: i.level2, indicator: i, level1RowSpan: 0, level2RowSpan: 0 }));
  for (let s = 0; s < rows.length; ) {
    let e = s + 1;
    while (e < rows.length && rows[e]!.level1 === rows[s]!.level1) e++;
    rows[s]!.level1RowSpan = e - s;
    for (let a = s; a < e; ) {
      let b = a + 1;
      while (b < e && rows[b]!.level2 === rows[a]!.level2) b++;
      rows[a]!.level2RowSpan = b - a;
      a = b;
    }
    s = e;
  }
  return rows;
}

type Piece = { text: string; span: number; role: CellRole; align?: GridCell['align']; amount?: Fen; rowSpan?: number; address?: GridCell['address'] };

class FormBuilder {
  readonly cells: GridCell[] = [];
  readonly rows: GridRowInfo[] = [];
  row = 0;
  constructor(readonly columns: number) {}

  /** Kind (and key) of the current row. */
  mark(kind: string, key?: string): void {
    this.rows[this.row] = key !== undefined ? { key, kind } : { kind };
  }

  /** One line of (text, span) pieces; a piece is a label, text or amount. */
  line(kind: string, pieces: Piece[], key?: string): void {
    this.mark(kind, key);
    let col = 0;
    for (const p of pieces) {
      const cell: GridCell = {
        row: this.row,
        col,
        rowSpan: p.rowSpan ?? 1,
        colSpan: p.span,
        role: p.role,
        text: p.text,
        align: p.align ?? (p.role === 'amount' ? 'right' : p.role === 'form-heading' || p.role === 'header' ? 'center' : 'left'),
      };
      if (p.amount !== undefined) cell.amount = p.amount;
      if (p.address) cell.address = p.address;
      this.cells.push(cell);
      col += p.span;
    }
    this.row++;
  }

  /** Places a cell at an explicit position (for row spans). */
  at(row: number, col: number, cell: Omit<GridCell, 'row' | 'col'>): void {
    this.cells.push({ ...cell, row, col });
  }

  /** The row info of every row up to the current one (rows never marked are blank spacers). */
  rowInfo(): GridRowInfo[] {
    return Array.from({ length: this.row }, (_, i) => this.rows[i] ?? { kind: 'blank' });
  }
}

/** The indicator table of a form: header row, then 一级 / 二级 merged down, 三级, 指标值 (and 指标值说明). */
function indicatorTable(f: FormBuilder, indicators: readonly Indicator[], template: IndicatorTemplate | null, withNote: boolean): void {
  const heads = withNote ? ['一级指标', '二级指标', '三级指标', '指标值', '指标值说明'] : ['一级指标', '二级指标', '三级指标', '目标值'];
  f.line('head', heads.map((text) => ({ text, span: 1, role: 'header' as const })));
  const rows = indicatorRows(indicators, template);
  const start = f.row;
  rows.forEach((r, i) => {
    const row = start + i;
    f.rows[row] = { kind: 'indicator' };
    if (r.level1RowSpan > 0) f.at(row, 0, { rowSpan: r.level1RowSpan, colSpan: 1, role: 'form-label', text: r.level1, align: 'center' });
    if (r.level2RowSpan > 0) {
      f.at(row, 1, { rowSpan: r.level2RowSpan, colSpan: 1, role: 'form-label', text: r.level2, align: 'center' });
      if (withNote) {
        // 指标值说明: one cell for the whole 二级 when only its first row has text (as published under 产出/效益).
        const group = rows.slice(i, i + r.level2RowSpan);
        const shared = group.length > 1 && group.slice(1).every((g) => !(g.indicator?.note ?? '').trim());
        if (shared) f.at(row, 4, { rowSpan: group.length, colSpan: 1, role: 'text', text: r.indicator?.note ?? '', align: 'left' });
        else group.forEach((g, k) => f.at(row + k, 4, { rowSpan: 1, colSpan: 1, role: 'text', text: g.indicator?.note ?? '', align: 'left' }));
      }
    }
    f.at(row, 2, { rowSpan: 1, colSpan: 1, role: 'text', text: r.indicator?.name ?? '', align: 'left' });
    f.at(row, 3, { rowSpan: 1, colSpan: 1, role: 'text', text: r.indicator?.target ?? '', align: withNote ? 'center' : 'left' });
  });
  f.row = start + rows.length;
}

/**
 * T10: the department's performance form, its budget block from the table's rows (the lines), then its
 * indicators. `performance` is the one printed (the wizard previews a draft).
 */
export function departmentForm(
  table: ReportTable,
  performance: DepartmentPerformance | null,
  template: IndicatorTemplate | null,
  options: { displayUnit?: AmountUnit } = {},
): GridBlock {
  const p = printingOf(table, options.displayUnit);
  const f = new FormBuilder(5);
  const perf = performance;
  const L = (text: string, span: number, rowSpan = 1) => ({ text, span, role: 'form-label' as const, rowSpan });
  const T = (text: string, span: number) => ({ text, span, role: 'text' as const });
  f.line('form', [L('部门(单位)名称', 2), T(table.departmentPerformance?.departmentName ?? '', 3)]);
  f.line('form', [L('年度履职目标', 1), T(perf?.dutyGoal ?? '', 4)]);
  const tasks = perf?.tasks ?? [];
  f.mark('form');
  f.at(f.row, 0, { rowSpan: tasks.length + 1, colSpan: 1, role: 'form-label', text: '年度主要任务', align: 'left' });
  f.at(f.row, 1, { rowSpan: 1, colSpan: 1, role: 'header', text: '任务名称', align: 'center' });
  f.at(f.row, 2, { rowSpan: 1, colSpan: 3, role: 'header', text: '主要内容', align: 'center' });
  f.row++;
  for (const t of tasks) {
    f.mark('form');
    f.at(f.row, 1, { rowSpan: 1, colSpan: 1, role: 'text', text: t.name, align: 'left' });
    f.at(f.row, 2, { rowSpan: 1, colSpan: 3, role: 'text', text: t.content, align: 'left' });
    f.row++;
  }
  f.at(f.row, 0, { rowSpan: Math.max(1, table.rows.length), colSpan: 1, role: 'form-label', text: '预算情况', align: 'left' });
  const amountKey = table.columns[0]?.key ?? 'amount';
  for (const r of table.rows) {
    f.mark('budget', r.key);
    f.at(f.row, 1, { rowSpan: 1, colSpan: 2, role: 'form-label', text: r.label, align: 'left' });
    const a = amountCell(f.row, 3, r.cells[amountKey], p, { row: r.key, column: amountKey });
    f.at(f.row, 3, { ...a, colSpan: 2 });
    f.row++;
  }
  if (table.rows.length === 0) f.row++;

  // Part 2: the indicator table, after one blank line.
  f.row++;
  indicatorTable(f, perf?.indicators ?? [], template, true);
  return {
    id: table.id,
    title: table.caption[0] ?? table.title,
    captions: captionsOf(table, p.unit),
    columnCount: 5,
    rowCount: f.row,
    headerRows: 0,
    cells: f.cells,
    rows: f.rowInfo(),
  };
}

/** The id and list label of one project's form of a projects table ("T11:P01", "P01 项目名称"). */
export function projectSheet(table: Pick<ReportTable, 'id'>, project: Pick<Project, 'code' | 'name'>): { id: string; label: string } {
  return { id: `${table.id}:${project.code}`, label: `${project.code} ${project.name}` };
}

/** T11: one project's form. Amounts are the table row's (the engine's) or, for a draft, the project's own. */
export function projectForm(
  table: ReportTable,
  project: Project,
  row: ReportRow | undefined,
  template: IndicatorTemplate | null,
  options: { displayUnit?: AmountUnit } = {},
): GridBlock {
  const p = printingOf(table, options.displayUnit);
  const f = new FormBuilder(4);
  const L = (text: string, span = 1) => ({ text, span, role: 'form-label' as const });
  const T = (text: string | undefined, span = 1) => ({ text: text ?? '', span, role: 'text' as const });
  const money = (key: 'totalAmount' | 'yearAmount' | 'priorTotalAmount' | 'priorYearAmount'): Piece => {
    const fen = row?.cells[key] ?? project[key] ?? 0n;
    const piece: Piece = { text: formatCell(fen, p.unit, p.format), span: 1, role: 'amount', amount: fen };
    if (row && row.cells[key] !== undefined) piece.address = { row: row.key, column: key };
    return piece;
  };
  f.line('form', [L('项目名称'), T(project.name, 3)]);
  f.line('form', [L('单位编码'), T(project.unit), L('资金用途'), T(project.usage)]);
  f.line('form', [L('项目负责人'), T(project.leader), L('联系人'), T(project.contact)]);
  f.line('form', [L('联系电话'), T(project.phone, 3)]);
  f.line('form', [L('开始时间'), T(project.start), L('结束时间'), T(project.end)]);
  f.line('budget', [L('项目总金额'), money('totalAmount'), L('项目本年度金额'), money('yearAmount')], project.code);
  f.line('budget', [L('上年度项目总金额'), money('priorTotalAmount'), L('项目上年度金额'), money('priorYearAmount')], project.code);
  f.line('section', [{ text: '项目详细信息', span: 4, role: 'form-heading' }]);
  for (const [label, text] of [
    ['项目概况', project.overview],
    ['立项依据', project.basis],
    ['项目设立的必要性', project.necessity],
    ['项目配套制度措施', project.measures],
    ['项目实施计划', project.plan],
    ['备注', project.remarks],
  ] as const) {
    f.line('form', [L(label), T(text, 3)]);
  }
  f.line('section', [{ text: '项目绩效目标', span: 4, role: 'form-heading' }]);
  f.line('form', [L('项目总目标'), T(project.overallGoal, 3)]);
  f.line('form', [L('年度绩效目标'), T(project.annualGoal, 3)]);
  indicatorTable(f, project.indicators, template, false);
  return {
    ...projectSheet(table, project),
    title: table.caption[0] ?? table.title,
    captions: captionsOf(table, p.unit).filter((c) => !(c.left !== undefined && isUnitLine(c.left)) && !(c.right !== undefined && isUnitLine(c.right))),
    columnCount: 4,
    rowCount: f.row,
    headerRows: 0,
    cells: f.cells,
    rows: f.rowInfo(),
  };
}

// ---------------------------------------------------------------------------------------------------

/** Column widths from what the columns hold, in character cells, within sensible bounds. */
function measureColumns(blocks: GridBlock[], columnCount: number, bounds: { min: number; max: number }, amountMin: number): number[] {
  const widths = new Array<number>(columnCount).fill(bounds.min);
  const isAmount = new Array<boolean>(columnCount).fill(false);
  for (const b of blocks) {
    for (const c of b.cells) {
      if (c.role === 'amount') isAmount[c.col] = true;
      if (c.colSpan !== 1 || c.role === 'header' || c.role === 'form-heading') continue;
      const w = (c.text.includes('\n') ? Math.max(...c.text.split('\n').map(displayWidth)) : displayWidth(c.text)) + 2 + (c.indent ?? 0) * 2;
      widths[c.col] = Math.max(widths[c.col]!, Math.min(w, bounds.max));
    }
  }
  return widths.map((w, i) => (isAmount[i] ? Math.max(w, amountMin) : w));
}

/** Column widths of the forms, in character cells: T10 (five columns) and T11 (four). */
export const FORM_COLUMN_WIDTHS: Readonly<Record<'form' | 'projects', readonly number[]>> = {
  form: [9, 14, 26, 10, 55],
  projects: [18, 40, 18, 40],
};

export interface PrintOptions {
  /** The indicator trees the user chose in the wizard (T10, T11); the others follow core/indicators.ts. */
  templateChoices?: TemplateChoices;
  /** Print amounts in this unit (the screen's choice); the published format applies in the table's own unit. */
  displayUnit?: AmountUnit;
  /** A projects table (T11): lay out only the forms of these projects (the screen shows one at a time). */
  projects?: readonly string[];
}

/** The printed grid of one computed table. */
export function printedTable(table: ReportTable, options: PrintOptions = {}): PrintedTable {
  const choices = options.templateChoices ?? { projects: {} };
  const p = printingOf(table, options.displayUnit);
  let blocks: GridBlock[];
  let columnWidths: number[];
  if (table.layout === 'form') {
    const perf = table.departmentPerformance?.performance ?? null;
    const template = templateForDepartment({ fiscalYear: table.fiscalYear, departmentPerformance: perf }, { chosen: choices.department })?.template ?? null;
    blocks = [departmentForm(table, perf, template, options)];
    columnWidths = [...FORM_COLUMN_WIDTHS.form];
  } else if (table.layout === 'projects') {
    const byCode = new Map(table.rows.map((r) => [r.code ?? r.key, r]));
    const all = table.projects ?? [];
    const only = options.projects ? new Set(options.projects) : null;
    const projects = only ? all.filter((p) => only.has(p.code)) : all;
    const budget = { fiscalYear: table.fiscalYear, projects: all };
    blocks = projects.map((project) =>
      projectForm(table, project, byCode.get(project.code), templateForProject(budget, project, { chosen: choices.projects[project.code] })?.template ?? null, options),
    );
    if (blocks.length === 0) {
      blocks = [
        {
          id: table.id,
          title: table.caption[0] ?? table.title,
          captions: captionsOf(table, p.unit),
          columnCount: 4,
          rowCount: 1,
          headerRows: 0,
          cells: [{ row: 0, col: 0, rowSpan: 1, colSpan: 4, role: 'text', text: '本表无数据（没有项目支出）', align: 'center' }],
          rows: [{ kind: 'form' }],
          empty: true,
        },
      ];
    }
    columnWidths = [...FORM_COLUMN_WIDTHS.projects];
  } else if (table.layout === 'two-sided') {
    blocks = [twoSidedBlock(table, p)];
    columnWidths = measureColumns(blocks, blocks[0]!.columnCount, { min: 4, max: 36 }, 10);
  } else {
    blocks = [listBlock(table, p)];
    columnWidths = measureColumns(blocks, blocks[0]!.columnCount, { min: 4, max: 44 }, 10);
  }
  // The title is printed larger than the body (16 against 10 points): a narrow table (T08) widens so the
  // title fits above it.
  const titleWidth = Math.max(0, ...blocks.map((b) => displayWidth(b.title))) * 1.7 + 4;
  const total = columnWidths.reduce((a, b) => a + b, 0);
  if (total < titleWidth) columnWidths = columnWidths.map((w) => Math.round((w * titleWidth * 10) / total) / 10);
  return { id: table.id, title: table.title, amountUnit: p.unit, format: p.format, columnWidths, blocks };
}
