// The 上报 package in the budget's publication format: a budget printed in the national format hands in the
// national tables (N1_部门收支总表.xlsx …), its manifest records the format whole, the 预算说明 in it reads its
// figures right and appends the national tables; the receiver reads, checks and compares the package in the
// format it was made in, and a 汇总 prints in the department's format. A package of an earlier version (no
// format in its manifest) is still received, in 河南 2020; one whose recorded format does not read is refused
// with every problem.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { narrativeAmount } from '../../core/document/figures.js';
import { MANIFEST_FILE, parseManifest, serializeManifest, tableFileName, type PackageManifest } from '../../core/manifest.js';
import type { Budget } from '../../core/model.js';
import { amount } from '../../core/money.js';
import { computeTables, reportToJson, SHIPPED_FORMATS, type ReportTable } from '../../core/tables/index.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { importBudget } from '../../db/import.js';
import { BudgetStore } from '../../db/store.js';
import { loadConsolidatedBudget } from '../../submission/department.js';
import { PackageError } from '../../submission/errors.js';
import { exportPackage } from '../../submission/export.js';
import { inspectPackage, receivePackage } from '../../submission/receive.js';
import { readZipEntries } from '../../submission/zip-read.js';
import { buildZip } from '../../submission/zip-write.js';
import { nationalBudget } from './national-fixture.js';
import { budgetDb, departmentDb, fixtureBudget, notesFor, tempDir } from './submission-fixture.js';

const NOW = new Date(2026, 10, 30, 14, 5, 9);
const LATER = new Date(2026, 11, 1, 9, 30, 0);
const national = SHIPPED_FORMATS.get('national')!;
const henan = SHIPPED_FORMATS.get('henan-2020')!;

let work: string;
let unitDb: string;
let exported: Awaited<ReturnType<typeof exportPackage>>;
let entries: Map<string, Buffer>;
const budget = nationalBudget();
const book = defaultCodeBook(budget.fiscalYear);

/** A budget file holding `b`, printed in `formatId`. */
function fileWith(dir: string, b: Budget, formatId: string, name: string): string {
  const file = join(dir, name);
  const store = BudgetStore.open(file, { create: true });
  try {
    importBudget(store, b, { formatId });
  } finally {
    store.close();
  }
  return file;
}

/** The text of a .docx's body, tags removed (a sentence's figures are runs of their own). */
function docxText(bytes: Buffer, dir: string): string {
  const file = join(dir, 'document.docx');
  writeFileSync(file, bytes);
  const xml = execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return xml.replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '');
}

function pdfText(bytes: Buffer, dir: string, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

const cell = (tables: readonly ReportTable[], id: string, row: string, column: string) =>
  tables.find((t) => t.id === id)?.rows.find((r) => r.key === row)?.cells[column] ?? 0n;

beforeAll(async () => {
  work = tempDir('formats-package-');
  unitDb = fileWith(work, budget, 'national', 'national.budget');
  const out = join(work, 'usb');
  mkdirSync(out);
  exported = await exportPackage({ dbPath: unitDb, outDir: out, notes: notesFor(budget), now: NOW, lock: false });
  entries = new Map((await readZipEntries(readFileSync(exported.file))).map((e): [string, Buffer] => [e.name, Buffer.from(e.bytes)]));
}, 240_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a package made in the national format', () => {
  it('holds one .xlsx per national table, named by id and title, in the format’s order, and no 河南 2020 table', () => {
    const names = [...entries.keys()];
    const tables = computeTables(budget, book, national);
    const expected = tables.map((t) => tableFileName(t.id, t.title));
    expect(expected[0]).toBe('N1_部门收支总表.xlsx');
    expect(expected[3]).toBe('N4_财政拨款收支总表.xlsx');
    expect(names.filter((n) => n.endsWith('.xlsx'))).toEqual(expected);
    expect(names.some((n) => /^T0\d/.test(n))).toBe(false);
    expect(exported.manifest.files.map((f) => f.name).filter((n) => n.endsWith('.xlsx'))).toEqual(expected);
  });

  it('records the format in its manifest, whole, and the manifest reads back with it', () => {
    const m = exported.manifest;
    expect(m.publicationFormat?.id).toBe('national');
    expect(m.publicationFormat?.name).toBe(national.name);
    expect(m.publicationFormat?.definition).toEqual(national);
    const parsed = parseManifest(entries.get(MANIFEST_FILE)!.toString('utf8'));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.manifest.publicationFormat?.definition).toEqual(national);
  });

  it('tables.pdf prints the national tables with their figures', () => {
    const text = pdfText(entries.get('tables.pdf')!, work, 'tables.pdf');
    for (const t of computeTables(budget, book, national).filter((x) => x.layout !== 'projects' && x.layout !== 'form')) {
      expect(text, t.id).toContain(t.caption[0]!);
    }
    expect(text).toMatch(/收入总计\s+295\.00\s+支出总计\s+295\.00/);
  });

  it('the 预算说明 in it reads its figures from the budget (not zeros) and appends the national tables', () => {
    // The sentences' figures are the budget's 河南 2020 cells: the same sums of the lines in any format.
    const reference = computeTables(budget, book);
    const income = narrativeAmount(cell(reference, 'T01', 'income:total', 'amount'), '万元');
    const spending = narrativeAmount(cell(reference, 'T03', 'total', 'total'), '万元');
    const basic = narrativeAmount(cell(reference, 'T03', 'total', 'basic'), '万元');
    expect(income).not.toBe('0');
    expect(spending).toBe('275');
    const text = docxText(entries.get('document.docx')!, work);
    expect(text).toContain(`收入总计${income}万元`);
    expect(text).toContain(`支出合计${spending}万元`);
    expect(text).toContain(`基本支出${basic}万元`);
    expect(text).not.toContain('收入总计0万元');
    // Its 附件 are the national tables, listed by their titles and printed after the sentences.
    expect(text).toContain('一、部门收支总表');
    expect(text).toContain('四、财政拨款收支总表');
    expect(text).not.toContain('部门收支总体情况表');
    for (const t of computeTables(budget, book, national).filter((x) => /^N\d$/.test(x.id))) expect(text, t.id).toContain(t.caption[0]!);
    const pdf = pdfText(entries.get('document.pdf')!, work, 'document.pdf').replace(/\s+/g, '');
    expect(pdf).toContain(`收入总计${income}万元`);
    expect(pdf).toContain('2021年部门收支总表');
  });

  it('is inspected and received in its own format: the national tables, figure for figure', async () => {
    const inspected = await inspectPackage(exported.file, { fiscalYear: 2021 });
    expect(inspected.format.id).toBe('national');
    expect(inspected.tables.map((t) => t.id)).toEqual(national.tables.map((t) => t.id));
    expect(reportToJson(inspected.tables)).toEqual(reportToJson(computeTables(budget, book, national)));
  });

  it('a department in 河南 2020 receives it, compares a later package in the national tables, and hands in its 汇总 in its own format', async () => {
    const dir = tempDir('formats-dept-');
    try {
      const dep = departmentDb(dir, 2021);
      const first = await receivePackage({ zipPath: exported.file, dbPath: dep, now: NOW });
      expect(first.unit.code).toBe('101');
      {
        const store = BudgetStore.open(dep);
        try {
          const stored = JSON.parse(store.receivedPackages()[0]!.manifestJson) as PackageManifest;
          expect(stored.publicationFormat?.id).toBe('national');
        } finally {
          store.close();
        }
      }

      // The unit changes a line and hands in again: the differences are named in its national tables.
      const changed = nationalBudget();
      changed.lines[0]!.amount += amount('1');
      const db2 = fileWith(dir, changed, 'national', 'unit2.budget');
      const out = join(dir, 'usb');
      mkdirSync(out);
      const second = await exportPackage({ dbPath: db2, outDir: out, notes: notesFor(changed), now: LATER, lock: false });
      const r = await receivePackage({ zipPath: second.file, dbPath: dep, now: LATER });
      expect(r.diff.cells.length).toBeGreaterThan(0);
      expect(r.diff.cells.some((c) => c.table === 'N1')).toBe(true);
      expect(r.diff.cells.every((c) => !/^T0\d$/.test(c.table))).toBe(true);

      // The department's 汇总 prints in the department's format (河南 2020), with the unit's lines in it.
      const store = BudgetStore.open(dep);
      let consolidated: Budget;
      try {
        consolidated = loadConsolidatedBudget(store).budget;
      } finally {
        store.close();
      }
      const own = await exportPackage({ dbPath: dep, outDir: out, notes: notesFor(consolidated), now: LATER, lock: false });
      expect(own.manifest.publicationFormat?.id).toBe('henan-2020');
      const names = own.manifest.files.map((f) => f.name);
      expect(names).toContain('T01_部门收支总体情况表.xlsx');
      expect(names.some((n) => n.startsWith('N1'))).toBe(false);
      expect(own.manifest.totals.expenditure).toBe('276');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});

describe('packages and their recorded format', () => {
  let henanZip: Buffer;
  let henanManifest: PackageManifest;
  let dir: string;

  beforeAll(async () => {
    dir = tempDir('formats-old-');
    const b = fixtureBudget();
    const db = budgetDb(dir, b);
    const out = join(dir, 'usb');
    mkdirSync(out);
    const r = await exportPackage({ dbPath: db, outDir: out, notes: notesFor(b), now: NOW, lock: false });
    henanZip = readFileSync(r.file);
    henanManifest = r.manifest;
  }, 240_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The package with its manifest changed (the manifest itself carries no checksum). */
  async function withManifest(mutate: (m: Record<string, unknown>) => void): Promise<string> {
    const list = await readZipEntries(henanZip);
    const m = JSON.parse(JSON.stringify(henanManifest)) as Record<string, unknown>;
    mutate(m);
    const files = list.map((e) => ({
      name: e.name,
      bytes: e.name === MANIFEST_FILE ? Buffer.from(serializeManifest(m as unknown as PackageManifest), 'utf8') : Buffer.from(e.bytes),
      compress: !e.name.endsWith('.xlsx'),
    }));
    const file = join(dir, `p${Math.random().toString(36).slice(2)}.zip`);
    writeFileSync(file, await buildZip(files, NOW));
    return file;
  }

  it('a package made now in 河南 2020 records that format', () => {
    expect(henanManifest.publicationFormat?.id).toBe('henan-2020');
    expect(henanManifest.publicationFormat?.definition).toEqual(henan);
  });

  it('a package of an earlier version (no format recorded) is still read, in 河南 2020', async () => {
    const file = await withManifest((m) => delete m.publicationFormat);
    const inspected = await inspectPackage(file, { fiscalYear: 2020 });
    expect(inspected.manifest.publicationFormat).toBeUndefined();
    expect(inspected.format.id).toBe('henan-2020');
    expect(inspected.tables.map((t) => t.id)).toEqual(henan.tables.map((t) => t.id));
  });

  it('a recorded format that does not read is refused with every problem, each with its place', async () => {
    const file = await withManifest((m) => {
      const f = m.publicationFormat as { definition: { tables: Record<string, unknown>[] } };
      f.definition.tables[0]!.layout = 'sideways';
      f.definition.tables[2]!.numberRow = 'yes';
    });
    const error = await inspectPackage(file, { fiscalYear: 2020 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageError);
    const details = (error as PackageError).details.join('\n');
    expect(details).toContain('$.publicationFormat.definition.tables[0].layout');
    expect(details).toContain('$.publicationFormat.definition.tables[2].numberRow');
  });

  it('a recorded format whose id is not the one named is refused', async () => {
    const file = await withManifest((m) => {
      (m.publicationFormat as { id: string }).id = 'national';
    });
    const error = await inspectPackage(file, { fiscalYear: 2020 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageError);
    expect((error as PackageError).details.join('\n')).toContain('$.publicationFormat.definition.id');
  });

  it('a package claiming the national format but holding 河南 2020 files is refused for its missing tables', async () => {
    const file = await withManifest((m) => {
      m.publicationFormat = { id: 'national', name: national.name, definition: national };
    });
    const error = await inspectPackage(file, { fiscalYear: 2020 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageError);
    expect((error as PackageError).message).toContain('N1.xlsx');
  });
});
