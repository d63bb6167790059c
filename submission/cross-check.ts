// A received package's tables must be the tables of its budget.json: each financial table is recomputed from
// budget.json, laid out by the same code that wrote the package, and compared figure by figure with the
// .xlsx in the package as read back. A package whose hashes were recomputed after a table was swapped or left
// old is refused, naming the table and the cell.
import ExcelJS from 'exceljs';
import { tableIdOfFile } from '../core/manifest.js';
import type { ReportTable } from '../core/tables/report.js';
import { PackageError } from './errors.js';
import type { ZipEntryData } from './zip-read.js';
import { tableWorkbook } from './xlsx.js';

/** The tables of figures only; the indicator tables' text depends on the unit's template choices. */
const CHECKED_TABLES = ['T01', 'T02', 'T03', 'T04', 'T05', 'T06', 'T07', 'T08'] as const;

type Figures = Map<string, number | string>;

async function figures(bytes: Buffer, file: string): Promise<Figures> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw new PackageError('budget', `数据包中的 ${file} 不是可读的 Excel 文件（${(err as Error).message}），已拒绝`);
  }
  const out: Figures = new Map();
  wb.eachSheet((ws) => {
    ws.eachRow((row, r) => {
      row.eachCell((cell, c) => {
        if (typeof cell.value === 'number') out.set(`${r}:${c}`, cell.value);
      });
    });
  });
  return out;
}

function where(key: string): string {
  const [r, c] = key.split(':');
  return `第 ${r} 行第 ${c} 列`;
}

export async function refuseTablesDisagreeing(entries: ReadonlyMap<string, ZipEntryData>, tables: readonly ReportTable[]): Promise<void> {
  // A table's file is named by its id, with or without its title (T03.xlsx, T03_<title>.xlsx).
  const byTable = new Map<string, [string, ZipEntryData]>();
  for (const [name, entry] of entries) {
    const id = tableIdOfFile(name);
    if (id) byTable.set(id, [name, entry]);
  }
  for (const id of CHECKED_TABLES) {
    const table = tables.find((t) => t.id === id);
    const packaged = byTable.get(id);
    if (!table || !packaged) continue;
    const [file, entry] = packaged;
    const expected = await figures(await tableWorkbook(table, new Date(0)), file);
    const found = await figures(entry.bytes, file);
    const differences: string[] = [];
    for (const key of new Set([...expected.keys(), ...found.keys()])) {
      const want = expected.get(key);
      const got = found.get(key);
      if (want !== got) differences.push(`${where(key)}：数据包中为 ${got ?? '空'}，按 budget.json 计算应为 ${want ?? '空'}`);
    }
    if (differences.length > 0) {
      const shown = differences.slice(0, 10);
      if (differences.length > shown.length) shown.push(`……共 ${differences.length} 处不同`);
      throw new PackageError('budget', `数据包中的 ${file}（${table.title}）与 budget.json 算出的表不一致，数据包已被改动，未接收：`, shown);
    }
  }
}

/** Pages of a PDF as PDFKit writes it (page dictionaries are never inside compressed object streams). */
export function pdfPageCount(bytes: Buffer): number | null {
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') return null;
  if (!bytes.subarray(Math.max(0, bytes.length - 1024)).toString('latin1').includes('%%EOF')) return null;
  return (bytes.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

/** tables.pdf must be a readable PDF with at least one page per table it prints. */
export function refuseUnreadableTablesPdf(entries: ReadonlyMap<string, ZipEntryData>, file: string, tableCount: number): void {
  const entry = entries.get(file);
  if (!entry) return;
  const pages = pdfPageCount(entry.bytes);
  if (pages === null) throw new PackageError('budget', `数据包中的 ${file} 不是可读的 PDF 文件（${entry.bytes.length} 字节，缺少 PDF 文件头或结尾），已拒绝`);
  if (pages < tableCount) {
    throw new PackageError('budget', `数据包中的 ${file} 只有 ${pages} 页，少于应打印的 ${tableCount} 张表，文件已被替换或不完整，已拒绝`);
  }
}
