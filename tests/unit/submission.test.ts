// The submission package end to end on real files: export the 济源 2020 fixture from a budget file, open
// every .xlsx in LibreOffice and the PDF with poppler, receive it into a department database, and make the
// export fail at each step of writing.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFat32SafeName, MANIFEST_FILE, PACKAGE_CONTENT_FILES, parseManifest } from '../../core/manifest.js';
import { parseExchange, serializeExchange } from '../../core/exchange.js';
import { toExactString } from '../../core/money.js';
import { computeTables } from '../../core/tables/index.js';
import type { ReportTable } from '../../core/tables/report.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { MIGRATIONS_DIR, loadMigrations } from '../../db/migrate.js';
import { BudgetStore } from '../../db/store.js';
import { PackageError } from '../../submission/errors.js';
import { exportPackage } from '../../submission/export.js';
import { printedTable } from '../../core/tables/layout.js';
import { inspectPackage, listReceivedPackages, receivedBudgetJson, receivePackage } from '../../submission/receive.js';
import { nodeFileSystem, type PackageFileSystem } from '../../submission/safe-write.js';
import { readZipEntries } from '../../submission/zip-read.js';
import { budgetDb, departmentDb, fixtureBudget, notesFor, tempDir } from './submission-fixture.js';

const NOW = new Date(2026, 10, 30, 14, 5, 9);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** RFC 4180 reader (LibreOffice quotes fields holding commas, quotes or line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

let work: string;
let unitDb: string;
let outDir: string;
let exported: Awaited<ReturnType<typeof exportPackage>>;
let tables: ReportTable[];

beforeAll(async () => {
  work = tempDir();
  const budget = fixtureBudget();
  unitDb = budgetDb(work, budget);
  outDir = join(work, 'usb');
  mkdirSync(outDir);
  exported = await exportPackage({ dbPath: unitDb, outDir, notes: notesFor(budget), now: NOW });
  tables = computeTables(budget, defaultCodeBook(2020));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('export refusals', () => {
  it('refuses the seed as published: its two hard findings (P05, P09) are listed and nothing is written', async () => {
    const dir = tempDir();
    const seed = budgetDb(dir, fixtureBudget(false));
    const out = join(dir, 'usb');
    mkdirSync(out);
    const error = await exportPackage({ dbPath: seed, outDir: out, notes: notesFor(fixtureBudget(false)), now: NOW }).catch((e) => e);
    expect(error).toBeInstanceOf(PackageError);
    expect(error.code).toBe('audit-hard');
    expect(error.message).toContain('2 个错误');
    expect(error.details.some((d: string) => d.includes('P05'))).toBe(true);
    expect(error.details.some((d: string) => d.includes('P09'))).toBe(true);
    expect(readdirSync(out)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses while a soft finding has no 说明, and lists each one missing', async () => {
    const dir = tempDir();
    const budget = fixtureBudget();
    const db = budgetDb(dir, budget);
    const out = join(dir, 'usb');
    mkdirSync(out);
    const notes = notesFor(budget);
    expect(notes.length).toBeGreaterThan(2);
    const partial = notes.slice(2);
    partial[0] = { ...partial[0]!, note: '   ' }; // blank counts as missing
    const error = await exportPackage({ dbPath: db, outDir: out, notes: partial, now: NOW }).catch((e) => e);
    expect(error).toBeInstanceOf(PackageError);
    expect(error.code).toBe('notes-missing');
    expect(error.details).toHaveLength(3);
    expect(error.message).toContain('3 个审核提示没有填写情况说明');
    expect(readdirSync(out)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a destination folder that does not exist', async () => {
    const error = await exportPackage({ dbPath: unitDb, outDir: join(work, 'no-such-stick'), notes: [], now: NOW }).catch((e) => e);
    expect(error).toBeInstanceOf(PackageError);
    expect(error.code).toBe('destination');
    expect(error.message).toMatch(/目标文件夹.*不存在/);
  });
});

describe('the exported package', () => {
  it('is one FAT32-safe .zip named by year, unit code and name, date-time', () => {
    expect(readdirSync(outDir)).toEqual(['2020_074_济源市行政服务中心_20261130-1405.zip']);
    const name = readdirSync(outDir)[0]!;
    expect(isFat32SafeName(name)).toBe(true);
    expect(exported.file).toBe(join(outDir, name));
  });

  it('holds exactly manifest.json, budget.json, T01–T11 named by their titles, tables.pdf and the document, each matching the manifest', async () => {
    const entries = await readZipEntries(readFileSync(exported.file));
    expect(entries.map((e) => e.name)).toEqual([
      MANIFEST_FILE,
      'budget.json',
      'T01_部门收支总体情况表.xlsx',
      'T02_部门收入总体情况表.xlsx',
      'T03_部门支出总体情况表.xlsx',
      'T04_财政拨款收支总体情况表.xlsx',
      'T05_一般公共预算支出情况表.xlsx',
      'T06_支出经济分类汇总表.xlsx',
      'T07_一般公共预算基本支出情况表.xlsx',
      'T08_一般公共预算“三公”经费支出情况表.xlsx',
      'T09_政府性基金预算支出情况表.xlsx',
      'T10_部门（单位）整体绩效目标表.xlsx',
      'T11_项目支出绩效目标表.xlsx',
      ...PACKAGE_CONTENT_FILES.slice(1),
    ]);
    const manifestEntry = entries.find((e) => e.name === MANIFEST_FILE)!;
    const parsed = parseManifest(manifestEntry.bytes.toString('utf8'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const m = parsed.manifest;
    expect(m).toEqual(exported.manifest);
    expect(m.format).toBe('budget-package/1');
    expect(m.app.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(m.fiscalYear).toBe(2020);
    expect(m.department).toEqual({ code: '074', name: '济源市行政服务中心' });
    expect(m.units.map((u) => u.code)).toEqual(['074001']);
    expect(m.createdAt.startsWith('2026-11-30T14:05:09')).toBe(true);
    expect(m.totals).toMatchObject({ unit: '万元', expenditure: '1740.2', income: '1740.2', basic: '560.8', project: '1179.4', threePublic: '6.1' });
    for (const f of m.files) {
      const e = entries.find((x) => x.name === f.name)!;
      expect(e.bytes.length).toBe(f.size);
      expect(sha(e.bytes)).toBe(f.sha256);
    }
    // The 审核 result: no hard finding, every soft one with the user's 说明.
    expect(m.audit.hard).toBe(0);
    expect(m.audit.soft).toBeGreaterThan(0);
    expect(m.audit.findings.every((f) => f.severity === 'soft' && (f.note ?? '').startsWith('已核实'))).toBe(true);
    // budget.json is the exchange format of the stored budget.
    const store = BudgetStore.open(unitDb);
    const stored = store.loadBudget();
    store.close();
    expect(entries.find((e) => e.name === 'budget.json')!.bytes.toString('utf8')).toBe(serializeExchange(stored));
  });

  it('every .xlsx opens in LibreOffice and shows the app’s figures and codes cell for cell', async () => {
    const entries = await readZipEntries(readFileSync(exported.file));
    const dir = join(work, 'xlsx');
    const csvDir = join(work, 'csv');
    mkdirSync(dir);
    const files: string[] = [];
    for (const e of entries.filter((x) => x.name.endsWith('.xlsx'))) {
      const f = join(dir, e.name);
      await import('node:fs/promises').then((fs) => fs.writeFile(f, e.bytes));
      files.push(f);
    }
    expect(files).toHaveLength(11);
    execFileSync(
      'soffice',
      [
        '--headless',
        '--norestore',
        `-env:UserInstallation=file://${join(work, 'lo-profile')}`,
        '--convert-to',
        'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
        '--outdir',
        csvDir,
        ...files,
      ],
      { stdio: 'ignore', timeout: 180_000 },
    );
    let amounts = 0;
    for (const table of tables) {
      const csvName = readdirSync(csvDir).find((n) => n.startsWith(`${table.id}_`));
      expect(csvName, `CSV of ${table.id}`).toBeDefined();
      const rows = parseCsv(readFileSync(join(csvDir, csvName!), 'utf8'));
      const printed = printedTable(table);
      let top = 0;
      for (const block of printed.blocks) {
        expect(rows[top]?.[0]).toBe(block.title);
        const gridTop = top + 1 + block.captions.length;
        for (const cell of block.cells) {
          const got = rows[gridTop + cell.row]?.[cell.col] ?? '';
          if (cell.role === 'amount') {
            expect(got, `${table.id} r${cell.row} c${cell.col}`).toBe(toExactString(cell.amount!, table.amountUnit));
            amounts++;
          } else {
            expect(got, `${table.id} r${cell.row} c${cell.col}`).toBe(cell.text);
          }
        }
        top = gridTop + block.rowCount + (block.note ? 1 : 0) + 1;
      }
    }
    // The grand total of T01 as LibreOffice shows it.
    const t01 = parseCsv(readFileSync(join(csvDir, readdirSync(csvDir).find((n) => n.startsWith('T01_'))!), 'utf8'));
    expect(t01.some((r) => r[0] === '收入合计' && r[2] === '1740.2' && r[3] === '支出合计' && r[4] === '1740.2')).toBe(true);
    expect(amounts).toBeGreaterThan(500);
  });

  it('each .xlsx carries the published number format, A4 landscape and repeated header rows', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const entries = await readZipEntries(readFileSync(exported.file));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(entries.find((e) => e.name === 'T03_部门支出总体情况表.xlsx')!.bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.pageSetup.orientation).toBe('landscape');
    expect(ws.pageSetup.paperSize).toBe(9);
    expect(ws.pageSetup.printTitlesRow).toBe('3:5'); // two header rows and the ** row, under title and 单位 line
    expect(ws.getCell('F6').value).toBe(1740.2);
    expect(ws.getCell('F6').numFmt).toBe('#,##0.0;-#,##0.0;');
    expect(ws.getCell('A8').value).toBe('201'); // codes are text
    expect(ws.getCell('B8').value).toBe('03');
    const t11 = new ExcelJS.Workbook();
    await t11.xlsx.load(entries.find((e) => e.name === 'T11_项目支出绩效目标表.xlsx')!.bytes as unknown as ArrayBuffer);
    const cells: { v: unknown; f: string }[] = [];
    t11.worksheets[0]!.eachRow((row) => row.eachCell((c) => cells.push({ v: c.value, f: c.numFmt })));
    expect(cells.some((c) => c.v === 0 && c.f === '0.00')).toBe(true); // T11 prints zero as 0.00
  });

  it('tables.pdf embeds its CJK font and holds every table title and the totals', async () => {
    const entries = await readZipEntries(readFileSync(exported.file));
    const pdf = join(work, 'tables.pdf');
    await import('node:fs/promises').then((fs) => fs.writeFile(pdf, entries.find((e) => e.name === 'tables.pdf')!.bytes));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    for (const t of tables) expect(text, t.id).toContain(t.caption[0]!);
    for (const total of ['1,740.2', '560.8', '1,179.4', '1,670.9', '6.1', '344.40']) expect(text).toContain(total);
    const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) {
      expect(line).toMatch(/NotoSansSC/);
      expect(line).toMatch(/\s+yes\s+yes\s+yes\s+/); // embedded, subset, with a Unicode map
    }
    const size = entries.find((e) => e.name === 'tables.pdf')!.bytes.length;
    expect(size).toBeLessThan(2_000_000); // subset, not the whole 10 MB font
  });
});

describe('receiving', () => {
  it('a fresh department database receives the package and every table is identical', async () => {
    const dir = tempDir();
    const dep = departmentDb(dir);
    const inspected = await inspectPackage(exported.file, { fiscalYear: 2020 });
    expect(inspected.manifest.department.code).toBe('074');
    const { unit, diff } = await receivePackage({ zipPath: exported.file, dbPath: dep, now: NOW });
    expect(unit).toMatchObject({ code: '074', name: '济源市行政服务中心', fiscalYear: 2020, replaced: false });
    expect(diff.previous).toBeNull();
    expect(diff.lines.length).toBeGreaterThan(0);
    const stored = receivedBudgetJson(dep, '074')!;
    const reparsed = parseExchange(stored, defaultCodeBook);
    expect(reparsed.ok).toBe(true);
    if (!reparsed.ok) return;
    expect(computeTables(reparsed.budget, defaultCodeBook(2020))).toEqual(tables);
    expect(listReceivedPackages(dep).map((p) => [p.code, p.manifest.totals.expenditure])).toEqual([['074', '1740.2']]);
    // The department's own budget is untouched.
    const store = BudgetStore.open(dep);
    expect(store.loadBudget().lines).toEqual([]);
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a newer package of the same unit replaces the older one and reports what changed', async () => {
    const dir = tempDir();
    const dep = departmentDb(dir);
    await receivePackage({ zipPath: exported.file, dbPath: dep, now: NOW });

    const budget = fixtureBudget();
    const line = budget.lines.find((l) => l.economic === '30217' && l.kind === 'basic')!; // 公务接待费 0.5
    line.amount += 200_000n; // +0.2 万元
    const db = budgetDb(dir, budget, 'unit2.budget');
    const out = join(dir, 'usb');
    mkdirSync(out);
    const later = new Date(NOW.getTime() + 3_600_000);
    const second = await exportPackage({ dbPath: db, outDir: out, notes: notesFor(budget), now: later });
    const { unit, diff } = await receivePackage({ zipPath: second.file, dbPath: dep, now: later });
    expect(unit.replaced).toBe(true);
    expect(diff.previous?.createdAt).toBe(exported.manifest.createdAt);
    expect(diff.lines).toEqual([
      expect.objectContaining({ economic: '30217', kind: 'basic', before: '0.5', after: '0.7' }),
    ]);
    const t08 = diff.cells.filter((c) => c.table === 'T08');
    expect(t08).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 'total', before: '6.1', after: '6.3' }),
        expect.objectContaining({ row: 'reception', before: '1.5', after: '1.7' }),
      ]),
    );
    expect(diff.cells.some((c) => c.table === 'T01' && c.row === 'income:total' && c.before === '1740.2' && c.after === '1740.4')).toBe(true);
    expect(listReceivedPackages(dep)).toHaveLength(1);
    expect(listReceivedPackages(dep)[0]!.manifest.totals.expenditure).toBe('1740.4');

    // The older package no longer replaces the newer one, and the database is unchanged by the refusal.
    const before = readFileSync(dep);
    const error = await receivePackage({ zipPath: exported.file, dbPath: dep }).catch((e) => e);
    expect(error).toBeInstanceOf(PackageError);
    expect(error.message).toContain('比已接收的旧');
    expect(readFileSync(dep).equals(before)).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a package of another fiscal year and leaves the database byte-identical', async () => {
    const dir = tempDir();
    const dep = departmentDb(dir, 2021);
    const before = readFileSync(dep);
    const error = await receivePackage({ zipPath: exported.file, dbPath: dep }).catch((e) => e);
    expect(error).toBeInstanceOf(PackageError);
    expect(error.code).toBe('fiscal-year');
    expect(error.message).toContain('2020 年度');
    expect(error.message).toContain('2021 年度');
    expect(readFileSync(dep).equals(before)).toBe(true);
    expect(existsSync(`${dep}-wal`) ? readFileSync(`${dep}-wal`).length : 0).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a department file of an older app is upgraded only by a package it receives, never by one it refuses', async () => {
    const dir = tempDir();
    // The file as an app with only the first migration wrote it (that migration's schema never changes).
    const migrations = loadMigrations(MIGRATIONS_DIR);
    const firstOnly = join(dir, 'migrations-first');
    mkdirSync(firstOnly);
    copyFileSync(join(MIGRATIONS_DIR, migrations[0]!.name), join(firstOnly, migrations[0]!.name));
    const olderFile = (year: number) => {
      const file = join(dir, `department-${year}.budget`);
      BudgetStore.open(file, { create: true, migrationsDir: firstOnly }).close();
      const raw = new Database(file);
      raw.prepare("INSERT INTO budget (id, fiscal_year, amount_unit, department_code, department_name) VALUES (1, ?, '万元', '074', '主管部门')").run(year);
      raw.close();
      return file;
    };

    const other = olderFile(2021);
    const before = readFileSync(other);
    const error = await receivePackage({ zipPath: exported.file, dbPath: other }).catch((e) => e);
    expect(error).toBeInstanceOf(PackageError);
    expect(error.code).toBe('fiscal-year');
    expect(readFileSync(other).equals(before)).toBe(true);

    const same = olderFile(2020);
    const { unit } = await receivePackage({ zipPath: exported.file, dbPath: same, now: NOW });
    expect(unit.code).toBe('074');
    const store = BudgetStore.open(same);
    expect(store.appliedMigrations().map((m) => m.name)).toEqual(migrations.map((m) => m.name));
    expect(store.receivedPackages().map((p) => p.unitCode)).toEqual(['074']);
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('safe writing: a failure at any step leaves nothing at the destination', () => {
  const budget = fixtureBudget();
  const fail = (code: string) => Object.assign(new Error(code), { code });
  const cases: { step: string; fs: Partial<PackageFileSystem>; expect: RegExp }[] = [
    {
      step: 'write (disk full half-way)',
      fs: {
        async write(path, data) {
          await nodeFileSystem.write(path, data.subarray(0, Math.floor(data.length / 2)));
          throw fail('ENOSPC');
        },
      },
      expect: /写入文件时出错.*磁盘空间不足/,
    },
    { step: 'write (read-only stick)', fs: { write: async () => Promise.reject(fail('EROFS')) }, expect: /只读/ },
    { step: 'fsync (stick removed)', fs: { fsync: async () => Promise.reject(fail('EIO')) }, expect: /将数据写入设备时出错.*U 盘是否已拔出/ },
    { step: 'rename', fs: { rename: async () => Promise.reject(fail('EACCES')) }, expect: /重命名为正式文件名时出错/ },
    {
      step: 'verify (bytes read back differ)',
      fs: {
        async read(path) {
          const b = await nodeFileSystem.read(path);
          b[Math.floor(b.length / 2)]! ^= 0xff;
          return b;
        },
      },
      expect: /读回校验时出错.*不一致/,
    },
    { step: 'verify (read fails)', fs: { read: async () => Promise.reject(fail('ENODEV')) }, expect: /读回校验时出错/ },
  ];
  for (const c of cases) {
    it(`fails at ${c.step}`, async () => {
      const dir = tempDir();
      const db = budgetDb(dir, budget);
      const out = join(dir, 'usb');
      mkdirSync(out);
      const error = await exportPackage({ dbPath: db, outDir: out, notes: notesFor(budget), now: NOW, fileSystem: c.fs }).catch((e) => e);
      expect(error).toBeInstanceOf(PackageError);
      expect(error.message).toMatch(c.expect);
      expect(error.message).toContain('没有留下任何文件');
      expect(readdirSync(out)).toEqual([]);
      rmSync(dir, { recursive: true, force: true });
    });
  }

  it('a second export in the same minute gets its own name instead of replacing the first', async () => {
    const dir = tempDir();
    const db = budgetDb(dir, budget);
    const out = join(dir, 'usb');
    mkdirSync(out);
    const a = await exportPackage({ dbPath: db, outDir: out, notes: notesFor(budget), now: NOW });
    const b = await exportPackage({ dbPath: db, outDir: out, notes: notesFor(budget), now: NOW });
    expect(a.file).not.toBe(b.file);
    expect(readdirSync(out).sort()).toEqual(['2020_074_济源市行政服务中心_20261130-1405.zip', '2020_074_济源市行政服务中心_20261130-1405_2.zip']);
    rmSync(dir, { recursive: true, force: true });
  });
});
