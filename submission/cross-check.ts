// A received package's tables must be the tables of its budget.json. Every table the budget's tables hold
// (the publication format says which: T01 … T11 in 河南 2020) is recomputed from budget.json, laid out by the
// same code that wrote the package, and compared figure by figure with its .xlsx in the package as read back;
// tables.pdf must be a PDF this app can read (submission/pdf-read.ts, no external program), every page present
// as its page numbers say, and each table (each project's form) starting on its own page under its own title,
// in order. A package whose hashes were recomputed after a table was swapped, changed or left old, or after a
// page was dropped or replaced, is refused, naming the file and the place.
import ExcelJS from 'exceljs';
import { printedTable } from '../core/tables/layout.js';
import type { ReportTable } from '../core/tables/report.js';
import { PackageError } from './errors.js';
import { readPdfText, type PdfPageText } from './pdf-read.js';
import type { ZipEntryData } from './zip-read.js';
import { tableWorkbook } from './xlsx.js';

/** One figure of a sheet: its place (1-based row and column) and value. */
interface Figure {
  row: number;
  col: number;
  value: number;
}

/** The numbers of a workbook, row by row (as a reader sees them: text cells, codes included, are not figures). */
async function figures(bytes: Buffer, file: string): Promise<Figure[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw new PackageError('budget', `数据包中的 ${file} 不是可读的 Excel 文件（${(err as Error).message}），已拒绝`);
  }
  const out: Figure[] = [];
  wb.eachSheet((ws) => {
    ws.eachRow((row, r) => {
      row.eachCell((cell, c) => {
        if (typeof cell.value === 'number') out.push({ row: r, col: c, value: cell.value });
      });
    });
  });
  return out;
}

const place = (f: Figure) => `第 ${f.row} 行第 ${f.col} 列`;

/** Differences cell by cell: for tables whose layout follows from budget.json alone (lists, two-sided tables). */
function differencesByPlace(expected: Figure[], found: Figure[]): string[] {
  const key = (f: Figure) => `${f.row}:${f.col}`;
  const want = new Map(expected.map((f) => [key(f), f]));
  const got = new Map(found.map((f) => [key(f), f]));
  const out: string[] = [];
  for (const k of new Set([...want.keys(), ...got.keys()])) {
    const w = want.get(k);
    const g = got.get(k);
    if (w?.value !== g?.value) out.push(`${place((w ?? g)!)}：数据包中为 ${g?.value ?? '空'}，按 budget.json 计算应为 ${w?.value ?? '空'}`);
  }
  return out;
}

/**
 * Differences figure by figure in reading order: for the forms (T10, T11), whose rows depend on the indicator
 * template the unit chose (blank slots of the template's tree are printed), which the package does not record.
 * The template adds text rows only, so the figures and their order are budget.json's alone.
 */
function differencesInOrder(expected: Figure[], found: Figure[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.max(expected.length, found.length); i++) {
    const w = expected[i];
    const g = found[i];
    if (w?.value === g?.value) continue;
    const at = g ? `（${place(g)}）` : '';
    out.push(`第 ${i + 1} 个金额${at}：数据包中为 ${g?.value ?? '空'}，按 budget.json 计算应为 ${w?.value ?? '空'}`);
  }
  if (expected.length !== found.length) out.unshift(`金额个数：数据包中为 ${found.length} 个，按 budget.json 计算应为 ${expected.length} 个`);
  return out;
}

/** A table's file in the package, named by its id with or without its title (T03.xlsx, T03_<title>.xlsx). */
const TABLE_FILE = /^([A-Z][A-Z0-9]{0,3})(?:_[^/\\]*)?\.xlsx$/;

/**
 * Every table of `tables` (the budget's tables, computed from budget.json) against its .xlsx in the package;
 * a table without its file, or a table file of no table, is refused too.
 */
export async function refuseTablesDisagreeing(entries: ReadonlyMap<string, ZipEntryData>, tables: readonly ReportTable[]): Promise<void> {
  const files = new Map<string, [string, ZipEntryData][]>();
  for (const [name, entry] of entries) {
    const id = TABLE_FILE.exec(name)?.[1];
    if (id) files.set(id, [...(files.get(id) ?? []), [name, entry]]);
  }
  const ids = new Set(tables.map((t) => t.id));
  const stray = [...files.entries()].filter(([id]) => !ids.has(id)).flatMap(([, list]) => list.map(([name]) => name));
  if (stray.length > 0) {
    throw new PackageError('budget', `数据包中的 ${stray.join('、')} 不是按 budget.json 算出的任何一张表（本预算的表为 ${[...ids].join('、')}），已拒绝`);
  }
  for (const table of tables) {
    const packaged = files.get(table.id) ?? [];
    if (packaged.length === 0) throw new PackageError('budget', `数据包中缺少表 ${table.id}（${table.title}）的 Excel 文件，已拒绝`);
    if (packaged.length > 1) throw new PackageError('budget', `数据包中表 ${table.id} 有多个文件：${packaged.map(([n]) => n).join('、')}，已拒绝`);
    const [file, entry] = packaged[0]!;
    const expected = await figures(await tableWorkbook(table, new Date(0)), file);
    const found = await figures(entry.bytes, file);
    const fixedLayout = table.layout === 'list' || table.layout === 'two-sided';
    const differences = fixedLayout ? differencesByPlace(expected, found) : differencesInOrder(expected, found);
    if (differences.length > 0) {
      const shown = differences.slice(0, 10);
      if (differences.length > shown.length) shown.push(`……共 ${differences.length} 处不同`);
      throw new PackageError('budget', `数据包中的 ${file}（${table.title}）与 budget.json 算出的表不一致，数据包已被改动，未接收：`, shown);
    }
  }
}

/** Text as compared: compatibility forms folded (a PDF's glyph may map to a radical or a full-width form), no spaces. */
function normalized(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '');
}

/** A page's own number and the count it prints at its foot: “第 3 页，共 14 页” (the last such run of the page). */
function pageNumber(page: PdfPageText): { page: number; of: number } | null {
  for (let i = page.runs.length - 1; i >= 0; i--) {
    const m = /^第(\d{1,6})页,共(\d{1,6})页$/.exec(normalized(page.runs[i]!));
    if (m) return { page: Number(m[1]), of: Number(m[2]) };
  }
  return null;
}

/**
 * tables.pdf against the tables computed from budget.json: a readable PDF whose every page is there (each page
 * prints “第 i 页，共 n 页”, and n pages there must be), and whose pages start each table, and each project's form
 * of a projects table, under its title, in the tables' order. How many pages a table takes beyond its first
 * depends on the fonts' measures and the unit's indicator templates, so the count is the one the pages print.
 * `tables` null (the package cannot be computed here; the receiver's other checks say why): the pages only.
 */
export function refuseTablesPdfDisagreeing(entries: ReadonlyMap<string, ZipEntryData>, file: string, tables: readonly ReportTable[] | null): void {
  const entry = entries.get(file);
  if (!entry) return;
  const read = readPdfText(entry.bytes);
  if (!read.ok) throw new PackageError('budget', `数据包中的 ${file} 不是可读的 PDF 文件（${entry.bytes.length} 字节，${read.reason}），已拒绝`);
  const pages = read.pages;
  pages.forEach((page, i) => {
    const n = pageNumber(page);
    if (!n) throw new PackageError('budget', `数据包中的 ${file} 第 ${i + 1} 页没有“第 … 页，共 … 页”的页码，不是本程序打印的报表，已拒绝`);
    if (n.of !== pages.length) {
      const gap = n.of > pages.length ? `缺少 ${n.of - pages.length} 页` : `多出 ${pages.length - n.of} 页`;
      throw new PackageError('budget', `数据包中的 ${file} 有 ${pages.length} 页，而页码印的是“共 ${n.of} 页”：${gap}，文件不完整或已被改动，已拒绝`);
    }
    if (n.page !== i + 1) {
      throw new PackageError('budget', `数据包中的 ${file} 第 ${i + 1} 页印的页码是“第 ${n.page} 页”：页面缺失、重复或顺序被打乱，已拒绝`);
    }
  });
  if (!tables) return;

  // The block that starts each table's (each project form's) first page, in print order.
  const blocks = tables.flatMap((table) => printedTable(table).blocks.map((b) => ({ table, title: b.title, label: b.label })));
  const name = (b: (typeof blocks)[number]) => `${b.table.id}“${b.title}”${b.label ? `（${b.label}）` : ''}`;
  const titles = new Set(blocks.map((b) => normalized(b.title)));
  let next = 0;
  pages.forEach((page, i) => {
    const first = page.runs[0] ?? '';
    const due = blocks[next];
    if (due && normalized(first) === normalized(due.title)) {
      next++;
      return;
    }
    // Any other page continues the table before it: it must not start one (a title), nor come before the first.
    if (next === 0 || titles.has(normalized(first))) {
      const shown = first.length > 60 ? `${first.slice(0, 60)}…` : first;
      const should = due ? `应为 ${name(due)}的首页` : `所有表都已在前面的页中，此处不应再有表`;
      throw new PackageError('budget', `数据包中的 ${file} 第 ${i + 1} 页的标题是“${shown}”，${should}：与 budget.json 算出的表不一致，已拒绝`);
    }
  });
  if (next < blocks.length) {
    throw new PackageError(
      'budget',
      `数据包中的 ${file} 缺少 ${name(blocks[next]!)}起的页面（应有 ${blocks.length} 个表页的首页，只有 ${next} 个），文件不完整或已被改动，已拒绝`,
    );
  }
}
