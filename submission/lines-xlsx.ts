// Budget lines in and out of Excel: a template workbook laid out one line per row (the 预算明细 sheet, with a
// 代码表 sheet of the codes it may use), and a reader for that layout as users fill it in Excel, WPS or
// LibreOffice. Reading reports every row it cannot take (row, column, reason) and never guesses an amount:
// a number cell is read from its shortest decimal text and refused unless it is exact to the 分.
import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import type { CodeBook } from '../core/codelists.js';
import { lineProblems, type LineFields } from '../core/validate.js';
import { FUNDS, fundLabel, type FundCode } from '../core/funds.js';
import type { Budget, BudgetLine, ExpenditureKind } from '../core/model.js';
import { isAmountUnit, MAX_DECIMALS, parseAmount, type AmountUnit, type Fen } from '../core/money.js';
import { LOCKED_MESSAGE, StoreError, type BudgetStore } from '../db/store.js';
import { amountCellValue } from './xlsx.js';

export const LINES_SHEET = '预算明细';
export const CODES_SHEET = '代码表';

const KIND_LABEL: Record<ExpenditureKind, string> = { basic: '基本支出', project: '项目支出' };

/** The template's columns, in order. The amount header names its unit: 金额（万元） or 金额（元）. */
type ColumnId = 'unit' | 'functional' | 'functionalName' | 'economic' | 'economicName' | 'kind' | 'project' | 'fund' | 'amount' | 'remark';

const TEMPLATE_HEADERS: Record<Exclude<ColumnId, 'amount'>, string> = {
  unit: '单位代码',
  functional: '功能分类编码',
  functionalName: '功能分类名称',
  economic: '经济分类编码',
  economicName: '经济分类名称',
  kind: '支出类型（基本/项目）',
  project: '项目编码',
  fund: '资金来源',
  remark: '备注',
};

const ORDER: ColumnId[] = ['unit', 'functional', 'functionalName', 'economic', 'economicName', 'kind', 'project', 'fund', 'amount', 'remark'];

/** Header texts read as each column (compared after normalising: NFKC, no spaces, no * marks). */
const HEADER_ALIASES: Record<ColumnId, string[]> = {
  unit: ['单位代码', '单位编码', '单位'],
  functional: ['功能分类编码', '功能分类科目编码', '支出功能分类编码', '支出功能分类科目编码', '功能科目编码', '功能分类代码'],
  functionalName: ['功能分类名称', '功能分类科目名称', '支出功能分类名称', '功能科目名称'],
  economic: ['经济分类编码', '经济分类科目编码', '部门预算支出经济分类编码', '支出经济分类编码', '经济科目编码', '经济分类代码'],
  economicName: ['经济分类名称', '经济分类科目名称', '部门预算支出经济分类名称', '经济科目名称'],
  kind: ['支出类型', '支出类型(基本/项目)', '支出类别'],
  project: ['项目编码', '项目代码'],
  fund: ['资金来源', '收入来源', '资金性质'],
  amount: ['金额'],
  remark: ['备注', '说明'],
};

const REQUIRED: ColumnId[] = ['functional', 'economic', 'kind', 'fund', 'amount'];

export class LinesXlsxError extends Error {
  override readonly name = 'LinesXlsxError';
}

export interface ImportedLine {
  /** Row number in the sheet, as the spreadsheet shows it. */
  row: number;
  line: LineFields;
}

export interface RejectedRow {
  row: number;
  /** The column's header as written in the file, when the problem is in one cell. */
  column?: string;
  /** Cell address ("I7"), when the problem is in one cell. */
  cell?: string;
  reason: string;
}

export interface LinesImportResult {
  sheet: string;
  /** The unit the amount column is in (from its header; the budget's own unit when the header names none). */
  amountUnit: AmountUnit;
  lines: ImportedLine[];
  rejected: RejectedRow[];
  /** Rows passed over on purpose (合计 rows). */
  skipped: { row: number; reason: string }[];
}

// ---------------------------------------------------------------------------------------------------
// Writing the template

function codeListRows(book: CodeBook, budget: Budget): (string | null)[][] {
  const functional = book.functional.entries().filter((e) => e.level === '项');
  const economic = book.economic.entries().filter((e) => e.level === '款');
  const columns: (string | null)[][] = [
    functional.map((e) => e.code),
    functional.map((e) => e.name),
    economic.map((e) => e.code),
    economic.map((e) => e.name),
    [KIND_LABEL.basic, KIND_LABEL.project],
    FUNDS.map((f) => fundLabel(f.code)),
    FUNDS.map((f) => f.code),
    budget.units.map((u) => u.code),
    budget.units.map((u) => u.name),
    budget.projects.map((p) => p.code),
    budget.projects.map((p) => p.name),
  ];
  const height = Math.max(...columns.map((c) => c.length));
  const rows: (string | null)[][] = [];
  for (let r = 0; r < height; r++) rows.push(columns.map((c) => c[r] ?? null));
  return rows;
}

function excelColumn(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/**
 * The lines of a budget as a workbook laid out for editing and re-import: sheet 预算明细 (one line per row,
 * codes as text so leading zeros stay) and sheet 代码表 (the codes the year's lists, the units and the
 * projects allow; 支出类型 and 资金来源 offer them as drop-down lists).
 */
export async function exportLinesTemplate(budget: Budget, book: CodeBook): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '部门预算编制';
  const ws = wb.addWorksheet(LINES_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  const unit = budget.amountUnit;
  const headers = ORDER.map((c) => (c === 'amount' ? `金额（${unit}）` : TEMPLATE_HEADERS[c]));
  const widths: Record<ColumnId, number> = {
    unit: 12, functional: 14, functionalName: 30, economic: 14, economicName: 24, kind: 20, project: 14, fund: 34, amount: 16, remark: 30,
  };
  ws.columns = ORDER.map((c) => ({ key: c, width: widths[c] }));
  const header = ws.getRow(1);
  headers.forEach((h, i) => {
    const cell = header.getCell(i + 1);
    cell.value = h;
    cell.font = { bold: true };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  });
  const textColumns = new Set<ColumnId>(['unit', 'functional', 'economic', 'project']);
  const amountFormat = unit === '万元' ? '#,##0.00####' : '#,##0.00';
  const sorted = [...budget.lines].sort((a, b) => (a.unit + a.functional + a.economic < b.unit + b.functional + b.economic ? -1 : a.unit + a.functional + a.economic > b.unit + b.functional + b.economic ? 1 : a.id - b.id));
  sorted.forEach((l, i) => {
    const row = ws.getRow(i + 2);
    const values: Record<ColumnId, string | number | null> = {
      unit: l.unit,
      functional: l.functional,
      functionalName: book.functional.name(l.functional),
      economic: l.economic,
      economicName: book.economic.name(l.economic),
      kind: KIND_LABEL[l.kind],
      project: l.project,
      fund: fundLabel(l.fund),
      amount: amountCellValue(l.amount, { amountUnit: unit }),
      remark: l.remark ?? null,
    };
    ORDER.forEach((c, j) => {
      const cell = row.getCell(j + 1);
      cell.value = values[c];
      if (textColumns.has(c)) cell.numFmt = '@';
      if (c === 'amount') cell.numFmt = amountFormat;
    });
  });
  // Empty rows below keep the text format, so codes typed there keep their leading zeros too.
  const lastRow = Math.max(sorted.length + 1, 500);
  ORDER.forEach((c, j) => {
    if (!textColumns.has(c) && c !== 'amount') return;
    for (let r = sorted.length + 2; r <= lastRow; r++) ws.getCell(r, j + 1).numFmt = c === 'amount' ? amountFormat : '@';
  });
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: ORDER.length } };

  const codes = wb.addWorksheet(CODES_SHEET);
  const codeHeaders = ['功能分类编码（项）', '功能分类名称', '经济分类编码（款）', '经济分类名称', '支出类型', '资金来源', '资金来源代码', '单位代码', '单位名称', '项目编码', '项目名称'];
  codes.columns = codeHeaders.map((_, i) => ({ width: [14, 36, 14, 28, 12, 36, 22, 12, 28, 14, 36][i] }));
  codes.getRow(1).values = codeHeaders;
  codes.getRow(1).font = { bold: true };
  const rows = codeListRows(book, budget);
  rows.forEach((r, i) => {
    const row = codes.getRow(i + 2);
    r.forEach((v, j) => {
      if (v === null) return;
      const cell = row.getCell(j + 1);
      cell.value = v;
      cell.numFmt = '@';
    });
  });
  codes.views = [{ state: 'frozen', ySplit: 1 }];

  const listRange = (col: number, count: number) => `'${CODES_SHEET}'!$${excelColumn(col)}$2:$${excelColumn(col)}$${count + 1}`;
  const kindCol = ORDER.indexOf('kind') + 1;
  const fundCol = ORDER.indexOf('fund') + 1;
  for (let r = 2; r <= lastRow; r++) {
    ws.getCell(r, kindCol).dataValidation = { type: 'list', allowBlank: true, formulae: [listRange(5, 2)] };
    ws.getCell(r, fundCol).dataValidation = { type: 'list', allowBlank: true, formulae: [listRange(6, FUNDS.length)] };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------------
// Reading

function normaliseHeader(text: string): string {
  return text.normalize('NFKC').replace(/[\s*＊]/g, '').replace(/（/g, '(').replace(/）/g, ')');
}

/** What a cell holds, formulas resolved to their cached result. */
function cellValue(cell: ExcelJS.Cell): ExcelJS.CellValue {
  let v = cell.value;
  for (let i = 0; i < 3 && v !== null && typeof v === 'object' && !(v instanceof Date); i++) {
    if ('result' in v) v = (v as { result?: ExcelJS.CellValue }).result ?? null;
    else if ('sharedFormula' in v || 'formula' in v) v = null;
    else break;
  }
  return v;
}

/** A cell's text as written (trimmed); matching normalises it where it compares. */
function cellText(cell: ExcelJS.Cell): { text: string; error?: string } {
  const v = cellValue(cell);
  if (v === null || v === undefined) return { text: '' };
  if (typeof v === 'string') return { text: v.trim() };
  // A code typed into a General cell comes as a number; its digits are the code (leading zeros are lost,
  // which the unit lookup allows for).
  if (typeof v === 'number') return { text: Number.isFinite(v) ? String(v) : '' };
  if (typeof v === 'boolean') return { text: String(v) };
  if (v instanceof Date) return { text: '', error: '单元格是日期，不是文字或编码' };
  if (typeof v === 'object') {
    if ('richText' in v) return { text: v.richText.map((t) => t.text).join('').trim() };
    if ('text' in v && typeof (v as { text: unknown }).text === 'string') return { text: (v as { text: string }).text.trim() };
    if ('error' in v) return { text: '', error: `单元格是错误值 ${String((v as { error: unknown }).error)}` };
  }
  return { text: String(cell.text ?? '').trim() };
}

type AmountRead = { ok: true; fen: Fen } | { ok: false; reason: string };

/**
 * An amount cell in `unit`. A number is taken from its shortest decimal text (what the file stores for a
 * value typed as such) and refused unless exact to the 分; text is read like typed input ("1,234.50").
 */
function cellAmount(cell: ExcelJS.Cell, unit: AmountUnit): AmountRead {
  const v = cellValue(cell);
  if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) return { ok: false, reason: '金额为空' };
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return { ok: false, reason: '金额不是有效数字' };
    const shortest = String(v);
    const d = new Decimal(shortest);
    if (d.isNegative()) return { ok: false, reason: `金额不能为负数（${d.toFixed()}）` };
    if (d.decimalPlaces() > MAX_DECIMALS[unit]) {
      return { ok: false, reason: `金额 ${d.toFixed()} 不是精确到分的数（以${unit}为单位最多 ${MAX_DECIMALS[unit]} 位小数），可能是公式计算的结果，请改为精确金额` };
    }
    return parseAmount(d.toFixed(), unit);
  }
  if (typeof v === 'string' || (typeof v === 'object' && v !== null && 'richText' in v)) {
    const text = typeof v === 'string' ? v : v.richText.map((t) => t.text).join('');
    return parseAmount(text, unit, { loose: true });
  }
  const t = cellText(cell);
  if (t.error) return { ok: false, reason: t.error };
  return { ok: false, reason: '金额不是数字' };
}

function squash(text: string): string {
  return text.normalize('NFKC').replace(/[\s·・•\-—_/／:：.．,，]/g, '');
}

/** Every way a fund may be written: its code, its full label, the label without separators, a unique short label. */
function fundAliases(): Map<string, FundCode | 'ambiguous'> {
  const map = new Map<string, FundCode | 'ambiguous'>();
  const add = (alias: string, code: FundCode) => {
    const k = squash(alias);
    const prior = map.get(k);
    map.set(k, prior === undefined || prior === code ? code : 'ambiguous');
  };
  for (const f of FUNDS) {
    map.set(squash(f.code), f.code);
    add(fundLabel(f.code), f.code);
    if (f.group === 'gpb') add(`一般公共预算${f.label}`, f.code);
    if (f.group === 'gfb') {
      add(`政府性基金预算${f.label}`, f.code);
      add(`政府性基金${f.label}`, f.code);
    }
    add(f.label, f.code);
  }
  return map;
}

const FUND_ALIASES = fundAliases();

function readFund(text: string): { ok: true; fund: FundCode } | { ok: false; reason: string } {
  const hit = FUND_ALIASES.get(squash(text));
  if (hit === 'ambiguous') {
    const options = FUNDS.filter((f) => squash(f.label) === squash(text)).map((f) => fundLabel(f.code));
    return { ok: false, reason: `资金来源“${text}”不明确，请写全称：${options.join(' 或 ')}` };
  }
  if (hit) return { ok: true, fund: hit };
  return { ok: false, reason: `资金来源“${text}”无法识别，应为代码表中的资金来源，如“一般公共预算·财政拨款”` };
}

function readKind(text: string): ExpenditureKind | null {
  const t = squash(text).toLowerCase();
  if (t === '基本' || t === '基本支出' || t === 'basic') return 'basic';
  if (t === '项目' || t === '项目支出' || t === 'project') return 'project';
  return null;
}

interface HeaderMap {
  row: number;
  columns: Map<ColumnId, { index: number; label: string }>;
  amountUnit: AmountUnit | null;
}

function matchHeader(text: string): { id: ColumnId; unit?: AmountUnit } | null {
  const h = normaliseHeader(text);
  if (h === '') return null;
  if (h.startsWith('金额')) {
    const m = /^金额\((万元|元)\)$/.exec(h);
    if (h === '金额' || m) return { id: 'amount', unit: m && isAmountUnit(m[1]) ? m[1] : undefined };
    return null;
  }
  for (const id of ORDER) {
    if (id === 'amount') continue;
    if (HEADER_ALIASES[id].some((a) => normaliseHeader(a) === h)) return { id };
  }
  if (h.startsWith('支出类型')) return { id: 'kind' };
  return null;
}

function findHeader(ws: ExcelJS.Worksheet): HeaderMap | null {
  const last = Math.min(ws.rowCount, 20);
  for (let r = 1; r <= last; r++) {
    const row = ws.getRow(r);
    const columns = new Map<ColumnId, { index: number; label: string }>();
    let amountUnit: AmountUnit | null = null;
    let duplicate: string | null = null;
    for (let c = 1; c <= Math.max(row.cellCount, ORDER.length); c++) {
      const label = cellText(row.getCell(c)).text;
      const hit = matchHeader(label);
      if (!hit) continue;
      if (columns.has(hit.id)) duplicate = label;
      columns.set(hit.id, { index: c, label });
      if (hit.id === 'amount') amountUnit = hit.unit ?? null;
    }
    if (columns.has('functional') && columns.has('economic') && columns.has('amount')) {
      if (duplicate) throw new LinesXlsxError(`第 ${r} 行表头中“${duplicate}”这一列出现了两次，无法确定读哪一列`);
      return { row: r, columns, amountUnit };
    }
  }
  return null;
}

const TOTAL_LABELS = new Set(['合计', '总计', '小计', '共计']);

/**
 * Reads line items from a workbook laid out as exportLinesTemplate writes it (columns found by their
 * headers, in any order). Each row becomes a line or is listed in `rejected` with the reason; nothing is
 * stored here. Rows whose codes are all empty and that say 合计/总计 are skipped.
 */
export async function importLinesXlsx(buffer: Buffer | Uint8Array, budget: Budget, book: CodeBook): Promise<LinesImportResult> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(buffer) as unknown as ArrayBuffer);
  } catch (err) {
    throw new LinesXlsxError(`文件不是有效的 .xlsx 工作簿，无法读取（${err instanceof Error ? err.message : String(err)}）`);
  }
  const candidates = [wb.getWorksheet(LINES_SHEET), ...wb.worksheets].filter((w): w is ExcelJS.Worksheet => w !== undefined);
  let ws: ExcelJS.Worksheet | undefined;
  let header: HeaderMap | null = null;
  for (const w of candidates) {
    header = findHeader(w);
    if (header) {
      ws = w;
      break;
    }
  }
  if (!ws || !header) {
    throw new LinesXlsxError(`工作簿中没有找到预算明细表：需要一行表头，至少包含“功能分类编码”“经济分类编码”“金额”等列（可先导出模板再填写）`);
  }
  const missing = REQUIRED.filter((c) => !header.columns.has(c));
  if (missing.length) {
    const names = missing.map((c) => (c === 'amount' ? '金额' : TEMPLATE_HEADERS[c]));
    throw new LinesXlsxError(`“${ws.name}”表第 ${header.row} 行表头缺少必需的列：${names.join('、')}`);
  }
  const amountUnit = header.amountUnit ?? budget.amountUnit;
  const result: LinesImportResult = { sheet: ws.name, amountUnit, lines: [], rejected: [], skipped: [] };
  const unitCodes = new Set(budget.units.map((u) => u.code));
  const projectCodes = new Set(budget.projects.map((p) => p.code));
  const col = (id: ColumnId) => header.columns.get(id);

  for (let r = header.row + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const at = (id: ColumnId) => {
      const c = col(id);
      return c ? row.getCell(c.index) : null;
    };
    const text = (id: ColumnId) => {
      const cell = at(id);
      return cell ? cellText(cell) : { text: '' };
    };
    const texts = ORDER.map((id) => text(id).text);
    if (texts.every((t) => t === '') && (at('amount') === null || cellValue(at('amount')!) === null)) continue;
    const codesEmpty = (['unit', 'functional', 'economic', 'project'] as const).every((id) => text(id).text === '');
    if (codesEmpty && texts.some((t) => TOTAL_LABELS.has(squash(t)))) {
      result.skipped.push({ row: r, reason: '合计行' });
      continue;
    }
    const problems: RejectedRow[] = [];
    const reject = (id: ColumnId | null, reason: string) => {
      const c = id ? col(id) : undefined;
      problems.push(c ? { row: r, column: c.label, cell: `${excelColumn(c.index)}${r}`, reason } : { row: r, reason });
    };
    for (const id of ORDER) {
      const t = text(id);
      if (t.error && id !== 'amount') reject(id, t.error);
    }

    // 单位: the code; a code that lost its leading zeros in a number cell; a unit's name; or the only unit.
    const code = (id: ColumnId) => text(id).text.normalize('NFKC').replace(/\s/g, '');
    let unit = code('unit');
    if (unit === '') {
      if (budget.units.length === 1) unit = budget.units[0]!.code;
      else reject(col('unit') ? 'unit' : null, '单位代码为空（本预算有多个单位，须指明）');
    } else if (!unitCodes.has(unit)) {
      const byDigits = /^\d+$/.test(unit) ? budget.units.filter((u) => /^\d+$/.test(u.code) && u.code.replace(/^0+/, '') === unit.replace(/^0+/, '')) : [];
      const byName = budget.units.filter((u) => u.name === text('unit').text);
      const hit = byDigits.length === 1 ? byDigits[0] : byName.length === 1 ? byName[0] : undefined;
      if (hit) unit = hit.code;
    }

    let functional = code('functional');
    const economic = code('economic');
    if (economic === '') reject('economic', '经济分类编码为空');

    const kindText = text('kind').text;
    const kind = readKind(kindText);
    if (kind === null) reject('kind', kindText === '' ? '支出类型为空，应为“基本支出”或“项目支出”' : `支出类型“${kindText}”无法识别，应为“基本支出”或“项目支出”`);

    let project: string | null = code('project') || null;
    if (project !== null && !projectCodes.has(project)) {
      const byName = budget.projects.filter((p) => p.name === text('project').text);
      if (byName.length === 1) project = byName[0]!.code;
    }
    if (kind === 'basic' && project !== null) {
      reject('project', `基本支出行不能填写项目编码（填写了“${project}”），项目支出请把支出类型改为“项目支出”`);
    }
    // A project line without a 功能分类 of its own is booked on its project's.
    if (functional === '' && kind === 'project' && project !== null) functional = budget.projects.find((p) => p.code === project)?.functional ?? '';
    if (functional === '') reject('functional', '功能分类编码为空');

    const fundText = text('fund').text;
    let fund: FundCode | null = null;
    if (fundText === '') reject('fund', '资金来源为空');
    else {
      const f = readFund(fundText);
      if (f.ok) fund = f.fund;
      else reject('fund', f.reason);
    }

    const amountCell = at('amount')!;
    const amount = cellAmount(amountCell, amountUnit);
    if (!amount.ok) reject('amount', amount.reason);

    const remark = text('remark').text;
    if (problems.length === 0 && kind !== null && fund !== null && amount.ok) {
      const line: LineFields = { unit, functional, economic, kind, project: kind === 'project' ? project : null, fund, amount: amount.fen, assumed: false };
      if (remark !== '') line.remark = remark;
      for (const p of lineProblems(line, { book, unitCodes, projectCodes })) {
        const id: ColumnId | null = p.field === 'unit' || p.field === 'functional' || p.field === 'economic' || p.field === 'kind' || p.field === 'project' || p.field === 'fund' || p.field === 'amount' ? p.field : null;
        reject(id && col(id) ? id : null, p.message);
      }
      if (problems.length === 0) {
        result.lines.push({ row: r, line });
        continue;
      }
    }
    result.rejected.push(...problems);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Storing

export interface LinesImportOutcome {
  result: LinesImportResult;
  /** False with strict and rejected rows: nothing was stored. */
  imported: boolean;
  inserted: BudgetLine[];
  /** Lines deleted first (replace). */
  removed: BudgetLine[];
}

/**
 * Reads the workbook against the file's own budget and stores the lines it could read, in one transaction:
 * appended, or replacing every line of the budget. With `strict`, any rejected row means nothing is stored.
 */
export async function importLinesIntoStore(
  store: BudgetStore,
  buffer: Buffer | Uint8Array,
  options: { mode: 'append' | 'replace'; strict?: boolean },
): Promise<LinesImportOutcome> {
  const budget = store.loadBudget();
  const book = store.codeBook(budget.fiscalYear);
  const result = await importLinesXlsx(buffer, budget, book);
  // Nothing readable never replaces the budget's lines with nothing.
  if ((options.strict && result.rejected.length > 0) || result.lines.length === 0) return { result, imported: false, inserted: [], removed: [] };
  // A store opened without upgrading (an older file) is upgraded only together with the lines.
  return store.upgradeWith(() => {
    if (store.isLocked()) throw new StoreError('locked', LOCKED_MESSAGE);
    const removed = options.mode === 'replace' ? store.loadBudget().lines.map((l) => store.deleteLine(l.id)) : [];
    const inserted = result.lines.map((l) => store.insertLine(l.line));
    return { result, imported: true, inserted, removed };
  });
}
