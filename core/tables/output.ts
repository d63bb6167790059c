// Two outputs of computed tables: JSON with exact decimal strings (for machines and comparisons) and plain
// text aligned for a terminal (for people), formatted as published.
import { formatAmount, toExactString, type Fen } from '../money.js';
import type { Indicator, Project } from '../model.js';
import { publishedIndicatorRows, type IndicatorTemplate } from '../indicators.js';
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

/** Terminal columns a string takes: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    width += isWide(cp) ? 2 : 1;
  }
  return width;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
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

/** Published form of one amount: "1,740.2" (万元, T01–T10), "5.00" (T11), "" for zero where published so. */
export function formatCell(fen: Fen | undefined, unit: ReportTable['amountUnit'], format: AmountFormat): string {
  if (fen === undefined) return '';
  return formatAmount(fen, unit, { decimals: format.decimals, thousands: format.thousands, blankZero: format.blankZero });
}

/** A printed column: a label column (text from row.labels) or an amount column (from row.cells). */
interface PrintColumn {
  kind: 'label' | 'amount';
  side?: 'income' | 'expenditure';
  key: string;
  header: string;
  width: number;
  /** Text wider than this wraps onto more lines of the same row. */
  maxWidth?: number;
}

interface HeaderNode {
  label: string;
  children: HeaderNode[];
  /** Leaf: index into the print columns. */
  column?: number;
}

/** Widest a header word may make its column before it wraps onto more header lines. */
const MAX_HEADER_WIDTH = 12;
const GAP = '  ';

/** Every table as aligned text, formatted like the publication; tables are separated by a blank line. */
export function reportToText(tables: readonly ReportTable[], options: { projectTemplate?: IndicatorTemplate } = {}): string {
  return tables.map((t) => tableToText(t, options.projectTemplate)).join('\n\n') + '\n';
}

export function tableToText(t: ReportTable, projectTemplate?: IndicatorTemplate): string {
  const head = t.caption.join('\n');
  switch (t.layout) {
    case 'two-sided':
      return `${head}\n${twoSidedText(t)}`;
    case 'form':
      return `${head}\n${formText(t)}`;
    case 'projects':
      return projectsText(t, projectTemplate);
    default: {
      const text = listText(t);
      return t.note ? `${head}\n${text}\n${t.note}` : `${head}\n${text}`;
    }
  }
}

function toHeaderNodes(columns: readonly ReportColumn[], print: PrintColumn[], kind: PrintColumn['kind'], side?: PrintColumn['side']): HeaderNode[] {
  return columns.map((c) => {
    if (c.children?.length) return { label: c.label, children: toHeaderNodes(c.children, print, kind, side) };
    print.push({ kind, key: c.key, header: c.label, width: 0, ...(side ? { side } : {}) });
    return { label: c.label, children: [], column: print.length - 1 };
  });
}

/** Lays out header nodes and body cells into aligned lines. */
function grid(nodes: HeaderNode[], print: PrintColumn[], body: string[][], numberRow: boolean): string {
  // Column widths: the widest body cell, and the header word up to MAX_HEADER_WIDTH (longer words wrap).
  print.forEach((col, i) => {
    let width = Math.min(displayWidth(col.header), MAX_HEADER_WIDTH);
    for (const r of body) width = Math.max(width, displayWidth(r[i] ?? ''));
    col.width = Math.max(Math.min(width, col.maxWidth ?? Infinity), 2);
  });
  const depth = (n: HeaderNode): number => (n.children.length ? 1 + Math.max(...n.children.map(depth)) : 1);
  const levels = Math.max(1, ...nodes.map(depth));
  const spanOf = (n: HeaderNode): number[] => (n.column !== undefined ? [n.column] : n.children.flatMap(spanOf));
  const widthOf = (cols: number[]) => cols.reduce((s, c) => s + print[c]!.width, 0) + GAP.length * (cols.length - 1);

  // A group grows its last column if its label is wider than its columns.
  const widen = (n: HeaderNode) => {
    n.children.forEach(widen);
    const cols = spanOf(n);
    const need = displayWidth(n.label) - widthOf(cols);
    if (n.children.length && need > 0) print[cols[cols.length - 1]!]!.width += need;
  };
  nodes.forEach(widen);

  // Header: each level is a run of cells; a leaf reaching above the last level is blank below its label.
  const headerLines: string[] = [];
  for (let level = 0; level < levels; level++) {
    const cells: { text: string[]; width: number }[] = [];
    const walk = (n: HeaderNode, at: number) => {
      if (at === level || (n.children.length === 0 && at < level)) {
        const cols = spanOf(n);
        const width = widthOf(cols);
        const text = at === level ? (n.children.length ? [n.label] : wrap(n.label, width)) : [''];
        cells.push({ text, width });
        return;
      }
      n.children.forEach((c) => walk(c, at + 1));
    };
    nodes.forEach((n) => walk(n, 0));
    const height = Math.max(...cells.map((c) => c.text.length));
    for (let h = 0; h < height; h++) {
      headerLines.push(cells.map((c) => center(c.text[h] ?? '', c.width)).join(GAP).trimEnd());
    }
  }
  const lines = [...headerLines];
  if (numberRow) {
    let n = 0;
    lines.push(print.map((c) => (c.kind === 'label' ? padEnd('**', c.width) : padStart(String(++n), c.width))).join(GAP).trimEnd());
  }
  for (const r of body) {
    const parts = print.map((c, i) => (c.maxWidth !== undefined ? wrap(r[i] ?? '', c.width) : [r[i] ?? '']));
    const height = Math.max(...parts.map((p) => p.length));
    for (let h = 0; h < height; h++) {
      lines.push(print.map((c, i) => (c.kind === 'label' ? padEnd(parts[i]![h] ?? '', c.width) : padStart(parts[i]![h] ?? '', c.width))).join(GAP).trimEnd());
    }
  }
  // A loop, not Math.max(...): a large department's table has more lines than a call takes arguments.
  const rule = '-'.repeat(lines.reduce((max, line) => Math.max(max, displayWidth(line)), 0));
  return [rule, ...headerLines, rule, ...lines.slice(headerLines.length), rule].join('\n');
}

function listText(t: ReportTable): string {
  const print: PrintColumn[] = [];
  const nodes = [...toHeaderNodes(t.labelColumns, print, 'label'), ...toHeaderNodes(t.columns, print, 'amount')];
  const body = t.rows.map((r) => print.map((c) => (c.kind === 'label' ? r.labels[c.key] ?? '' : formatCell(r.cells[c.key], t.amountUnit, t.format))));
  return grid(nodes, print, body, t.numberRow);
}

function twoSidedText(t: ReportTable): string {
  const print: PrintColumn[] = [];
  const nodes: HeaderNode[] = [];
  for (const side of ['income', 'expenditure'] as const) {
    const group = t.columns.find((c) => c.side === side);
    const labelNodes = toHeaderNodes(t.labelColumns.filter((c) => c.side === side), print, 'label', side);
    const amountNodes = toHeaderNodes(group?.children ?? [], print, 'amount', side);
    nodes.push({ label: group?.label ?? '', children: [...labelNodes, ...amountNodes] });
  }
  const lines = Math.max(0, ...t.rows.map((r) => r.line ?? 0));
  const body: string[][] = [];
  let previousGroup: string | undefined;
  for (let line = 1; line <= lines; line++) {
    const income = t.rows.find((r) => r.line === line && r.side === 'income');
    const expenditure = t.rows.find((r) => r.line === line && r.side === 'expenditure');
    // A group label (一般公共预算收入) is one merged cell: printed on the first row of its group only.
    const group = income?.group;
    const repeatGroup = group !== undefined && group === previousGroup;
    previousGroup = group;
    body.push(
      print.map((c) => {
        const row = c.side === 'income' ? income : expenditure;
        if (!row) return '';
        if (c.kind === 'amount') return formatCell(row.cells[c.key], t.amountUnit, t.format);
        return repeatGroup && c.key === 'incomeGroup' ? '' : row.labels[c.key] ?? '';
      }),
    );
  }
  return grid(nodes, print, body, false);
}

function formText(t: ReportTable): string {
  const out: string[] = [];
  const info = t.departmentPerformance;
  const perf = info?.performance ?? null;
  out.push(`部门(单位)名称：${info?.departmentName ?? ''}`);
  if (perf) {
    out.push(`年度履职目标：${perf.dutyGoal}`);
    out.push('年度主要任务：');
    for (const task of perf.tasks) out.push(`  ${task.name}：${task.content}`);
  }
  out.push('预算情况：');
  const width = Math.max(...t.rows.map((r) => displayWidth(r.label)));
  for (const r of t.rows) out.push(`  ${padEnd(r.label, width)}  ${padStart(formatCell(r.cells.amount, t.amountUnit, t.format), 12)}`.trimEnd());
  if (perf && perf.indicators.length > 0) {
    out.push('');
    out.push(indicatorGrid(['一级指标', '二级指标', '三级指标', '指标值', '指标值说明'], mergeRepeats(perf.indicators.map((i) => [i.level1, i.level2, i.name, i.target, i.note ?? '']))));
  }
  return out.join('\n');
}

/** A repeated 一级 (and 二级 under the same 一级) is printed once, as a merged cell reads. */
function mergeRepeats(rows: string[][]): string[][] {
  return rows.map((r, i) => {
    const prev = rows[i - 1];
    const sameLevel1 = prev !== undefined && prev[0] === r[0];
    const sameLevel2 = sameLevel1 && prev![1] === r[1];
    return r.map((cell, c) => ((c === 0 && sameLevel1) || (c === 1 && sameLevel2) ? '' : cell));
  });
}

/** Widest a free-text column of an indicator table grows before its text wraps. */
const INDICATOR_TEXT_WIDTH = [16, 16, 30, 20, 50];

function indicatorGrid(header: string[], shown: string[][]): string {
  const print: PrintColumn[] = header.map((h, i) => ({ kind: 'label', key: String(i), header: h, width: 0, maxWidth: INDICATOR_TEXT_WIDTH[i] ?? 30 }));
  const nodes: HeaderNode[] = header.map((h, i) => ({ label: h, children: [], column: i }));
  return grid(nodes, print, shown, false);
}

function projectsText(t: ReportTable, template?: IndicatorTemplate): string {
  const projects = t.projects ?? [];
  const cellsOf = new Map(t.rows.map((r) => [r.key, r.cells]));
  const money = (p: Project, key: string) => formatCell(cellsOf.get(p.code)?.[key], t.amountUnit, t.format);
  return projects
    .map((p) => {
      const out = [...t.caption];
      const field = (label: string, value: string | undefined) => out.push(`${label}：${value ?? ''}`);
      field('项目名称', p.name);
      field('单位编码', p.unit);
      field('资金用途', p.usage);
      field('项目负责人', p.leader);
      field('联系人', p.contact);
      field('联系电话', p.phone);
      field('开始时间', p.start);
      field('结束时间', p.end);
      field('项目总金额', money(p, 'totalAmount'));
      field('项目本年度金额', money(p, 'yearAmount'));
      field('上年度项目总金额', money(p, 'priorTotalAmount'));
      field('项目上年度金额', money(p, 'priorYearAmount'));
      out.push('项目详细信息');
      field('项目概况', p.overview);
      field('立项依据', p.basis);
      field('项目设立的必要性', p.necessity);
      field('项目配套制度措施', p.measures);
      field('项目实施计划', p.plan);
      field('备注', p.remarks);
      out.push('项目绩效目标');
      field('项目总目标', p.overallGoal);
      field('年度绩效目标', p.annualGoal);
      // With the template every 二级 is printed, an empty one as one blank row (docs/domain/TABLES.md T11).
      const rows = template
        ? publishedIndicatorRows(p, template).map((r) => [
            r.level1RowSpan > 0 ? r.level1 : '',
            r.level2RowSpan > 0 ? r.level2 : '',
            r.indicator?.name ?? '',
            r.indicator?.target ?? '',
          ])
        : mergeRepeats(p.indicators.map((i: Indicator) => [i.level1, i.level2, i.name, i.target]));
      out.push(indicatorGrid(['一级指标', '二级指标', '三级指标', '目标值'], rows));
      return out.join('\n');
    })
    .join('\n\n');
}

export { leafColumns };
