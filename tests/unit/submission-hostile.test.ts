// Malformed and hostile packages: each is refused with a Chinese message naming the problem, and the
// department database stays byte-identical. Archives are built with yazl or patched byte by byte, so names
// and headers can lie in ways no honest zip writer allows.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableIdOfFile, type PackageManifest } from '../../core/manifest.js';
import { PackageError, type PackageErrorCode } from '../../submission/errors.js';
import { computeTables, type ReportTable } from '../../core/tables/index.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { buildPackage, exportPackage } from '../../submission/export.js';
import { tablesPdf } from '../../submission/pdf.js';
import { receivePackage } from '../../submission/receive.js';
import { readZipEntries } from '../../submission/zip-read.js';
import { budgetDb, departmentDb, fixtureBudget, notesFor, rejoinedByPoppler, tempDir } from './submission-fixture.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface Entry {
  name: string;
  bytes: Buffer;
  mode?: number;
}

function zip(entries: Entry[]): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const e of entries) z.addBuffer(e.bytes, e.name, { mtime: new Date(2026, 0, 1), compress: true, ...(e.mode ? { mode: e.mode } : {}) });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    z.outputStream.on('error', reject);
    z.end();
  });
}

/** Offsets of an entry's headers in an archive, found by walking the central directory. */
function headers(archive: Buffer, name: string): { central: number; local: number } {
  let eocd = archive.length - 22;
  while (eocd >= 0 && archive.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  let p = archive.readUInt32LE(eocd + 16);
  const count = archive.readUInt16LE(eocd + 10);
  for (let i = 0; i < count; i++) {
    const nameLen = archive.readUInt16LE(p + 28);
    const extraLen = archive.readUInt16LE(p + 30);
    const commentLen = archive.readUInt16LE(p + 32);
    if (archive.subarray(p + 46, p + 46 + nameLen).toString('utf8') === name) {
      return { central: p, local: archive.readUInt32LE(p + 42) };
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`no entry ${name}`);
}

/** Replaces an entry's name bytes (same length) in both headers. */
function renameRaw(archive: Buffer, from: string, to: Buffer, flagsPatch?: (flags: number) => number): Buffer {
  const out = Buffer.from(archive);
  const h = headers(out, from);
  to.copy(out, h.central + 46);
  to.copy(out, h.local + 30);
  if (flagsPatch) {
    out.writeUInt16LE(flagsPatch(out.readUInt16LE(h.central + 8)), h.central + 8);
    out.writeUInt16LE(flagsPatch(out.readUInt16LE(h.local + 6)), h.local + 6);
  }
  return out;
}

let work: string;
let good: Buffer;
let goodEntries: Entry[];
let manifest: PackageManifest;

function withManifest(entries: Entry[], mutate: (m: PackageManifest) => void): Entry[] {
  const m = JSON.parse(JSON.stringify(manifest)) as PackageManifest;
  mutate(m);
  return entries.map((e) => (e.name === 'manifest.json' ? { ...e, bytes: Buffer.from(JSON.stringify(m, null, 2)) } : e));
}

/** Replaces budget.json and updates its size and checksum in the manifest, so only the content is wrong. */
function withBudget(mutate: (doc: Record<string, unknown>) => void, manifestMutate: (m: PackageManifest) => void = () => {}): Entry[] {
  const doc = JSON.parse(goodEntries.find((e) => e.name === 'budget.json')!.bytes.toString('utf8')) as Record<string, unknown>;
  mutate(doc);
  const bytes = Buffer.from(JSON.stringify(doc, null, 2));
  const entries = goodEntries.map((e) => (e.name === 'budget.json' ? { ...e, bytes } : e));
  return withManifest(entries, (m) => {
    const f = m.files.find((x) => x.name === 'budget.json')!;
    f.size = bytes.length;
    f.sha256 = sha(bytes);
    manifestMutate(m);
  });
}

beforeAll(async () => {
  work = tempDir('hostile-');
  const budget = fixtureBudget();
  const db = budgetDb(work, budget);
  const out = join(work, 'usb');
  mkdirSync(out);
  const r = await exportPackage({ dbPath: db, outDir: out, notes: notesFor(budget), now: new Date(2026, 10, 30, 14, 5) });
  good = readFileSync(r.file);
  manifest = r.manifest;
  goodEntries = (await readZipEntries(good)).map((e) => ({ name: e.name, bytes: e.bytes }));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The name of a table's file in the good package (T03_部门支出总体情况表.xlsx). */
function tableFile(id: string): string {
  return goodEntries.find((e) => tableIdOfFile(e.name) === id)!.name;
}

type Case = { name: string; code: PackageErrorCode | PackageErrorCode[]; message: RegExp; build: () => Buffer | Promise<Buffer> };

const cases: Case[] = [
  { name: 'empty file', code: 'corrupt', message: /不是有效的 zip 文件/, build: () => Buffer.alloc(0) },
  { name: 'random bytes', code: 'corrupt', message: /不是有效的 zip 文件/, build: () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + 11) % 256)) },
  { name: 'truncated archive (half of it)', code: 'corrupt', message: /不完整|被截断|损坏/, build: () => good.subarray(0, Math.floor(good.length / 2)) },
  { name: 'truncated by one byte', code: 'corrupt', message: /不完整|被截断|损坏/, build: () => good.subarray(0, good.length - 1) },
  {
    name: 'a byte of the T01 table file altered inside the archive',
    code: 'corrupt',
    message: /CRC 校验不符|已损坏/,
    build: () => {
      const out = Buffer.from(good);
      const h = headers(out, tableFile('T01'));
      const dataStart = h.local + 30 + out.readUInt16LE(h.local + 26) + out.readUInt16LE(h.local + 28);
      out[dataStart + 100]! ^= 0x01;
      return out;
    },
  },
  {
    name: 'budget.json altered and re-zipped (manifest checksum kept)',
    code: 'corrupt',
    message: /budget\.json (大小|校验值)不符/,
    build: () =>
      zip(goodEntries.map((e) => (e.name === 'budget.json' ? { ...e, bytes: Buffer.from(e.bytes.toString('utf8').replace('"140.9"', '"149.9"')) } : e))),
  },
  { name: 'an entry missing (tables.pdf)', code: 'entries', message: /缺少文件：tables\.pdf/, build: () => zip(goodEntries.filter((e) => e.name !== 'tables.pdf')) },
  { name: 'an extra entry', code: 'entries', message: /清单未列出的文件：readme\.txt/, build: () => zip([...goodEntries, { name: 'readme.txt', bytes: Buffer.from('hi') }]) },
  { name: 'manifest.json missing', code: 'entries', message: /缺少清单文件 manifest\.json/, build: () => zip(goodEntries.filter((e) => e.name !== 'manifest.json')) },
  { name: 'manifest.json not JSON', code: 'manifest', message: /不是有效的 JSON/, build: () => zip(goodEntries.map((e) => (e.name === 'manifest.json' ? { ...e, bytes: Buffer.from('{"format": ') } : e))) },
  {
    name: 'zip-slip: ../ in a name',
    code: 'unsafe-entry',
    message: /“\.\.”.*数据包以外/,
    build: async () => renameRaw(await zip([...goodEntries, { name: 'zz/zz/evil.txt', bytes: Buffer.from('x') }]), 'zz/zz/evil.txt', Buffer.from('../../evil.txt')),
  },
  {
    name: 'zip-slip: absolute path',
    code: 'unsafe-entry',
    message: /绝对路径/,
    // yazl refuses absolute names, so the bytes are patched in.
    build: async () => renameRaw(await zip([...goodEntries, { name: 'xetc/passwd', bytes: Buffer.from('x') }]), 'xetc/passwd', Buffer.from('/etc/passwd')),
  },
  {
    name: 'zip-slip: backslashes',
    code: 'unsafe-entry',
    message: /反斜杠/,
    build: async () => renameRaw(await zip([...goodEntries, { name: 'aa_x_evil.txt', bytes: Buffer.from('x') }]), 'aa_x_evil.txt', Buffer.from('..\\x\\evil.txt')),
  },
  {
    name: 'zip-slip: drive letter',
    code: 'unsafe-entry',
    message: /盘符/,
    build: async () => renameRaw(await zip([...goodEntries, { name: 'C_/Windows/evil.dll', bytes: Buffer.from('x') }]), 'C_/Windows/evil.dll', Buffer.from('C:/Windows/evil.dll')),
  },
  { name: 'entry in a sub-folder', code: 'unsafe-entry', message: /子目录/, build: () => zip([...goodEntries, { name: 'sub/budget.json', bytes: Buffer.from('{}') }]) },
  {
    name: 'duplicate entry names',
    code: 'entries',
    message: /重名条目“budget\.json”/,
    build: () => zip([...goodEntries, { name: 'budget.json', bytes: goodEntries.find((e) => e.name === 'budget.json')!.bytes }]),
  },
  { name: 'names differing only in case', code: 'entries', message: /重名条目/, build: () => zip([...goodEntries, { name: 'BUDGET.JSON', bytes: Buffer.from('{}') }]) },
  { name: 'symlink entry', code: 'unsafe-entry', message: /符号链接/, build: () => zip([...goodEntries.filter((e) => e.name !== tableFile('T05')), { name: tableFile('T05'), bytes: Buffer.from('/etc/passwd'), mode: 0o120777 }]) },
  {
    name: 'encrypted entry',
    code: 'unsafe-entry',
    message: /已加密/,
    build: () => renameRaw(good, 'budget.json', Buffer.from('budget.json'), (f) => f | 0x1),
  },
  {
    name: 'non-UTF-8 (GBK) name without the UTF-8 flag',
    code: 'unsafe-entry',
    message: /不是 UTF-8 编码/,
    build: async () => renameRaw(await zip([...goodEntries, { name: 'aaaa.txt', bytes: Buffer.from('x') }]), 'aaaa.txt', Buffer.from([0xb2, 0xe2, 0xca, 0xd4, 0x2e, 0x74, 0x78, 0x74]), (f) => f & ~0x800),
  },
  {
    name: 'invalid UTF-8 bytes with the UTF-8 flag',
    code: 'unsafe-entry',
    message: /不是有效 UTF-8/,
    build: async () => renameRaw(await zip([...goodEntries, { name: 'aaaa.txt', bytes: Buffer.from('x') }]), 'aaaa.txt', Buffer.from([0xff, 0xfe, 0xca, 0xd4, 0x2e, 0x74, 0x78, 0x74]), (f) => f | 0x800),
  },
  {
    name: 'zip bomb: inflates far past the size its headers declare',
    code: 'corrupt',
    message: /超过文件头声明的大小/,
    build: async () => {
      // 32 MB of zeros deflate to ~32 KB; the headers claim 1,000 bytes. Reading must stop right after 1,000.
      const archive = await zip([...goodEntries, { name: 'bomb.bin', bytes: Buffer.alloc(32 * 1024 * 1024) }]);
      const h = headers(archive, 'bomb.bin');
      archive.writeUInt32LE(1000, h.central + 24);
      archive.writeUInt32LE(1000, h.local + 22);
      return archive;
    },
  },
  {
    name: 'zip bomb: declared size past the per-entry cap',
    code: 'too-large',
    message: /展开后过大/,
    build: async () => {
      const archive = await zip([...goodEntries, { name: 'big.bin', bytes: Buffer.alloc(1024) }]);
      const h = headers(archive, 'big.bin');
      archive.writeUInt32LE(0xfffffff0 >>> 0, h.central + 24);
      return archive;
    },
  },
  {
    name: 'zip bomb: entries adding up past the total cap',
    code: 'too-large',
    message: /总大小超过上限/,
    build: async () => {
      const extra = Array.from({ length: 3 }, (_, i) => ({ name: `part${i}.bin`, bytes: Buffer.alloc(16) }));
      const archive = await zip([...goodEntries, ...extra]);
      for (const e of extra) {
        const h = headers(archive, e.name);
        archive.writeUInt32LE(120 * 1024 * 1024, h.central + 24);
      }
      return archive;
    },
  },
  {
    name: 'too many entries',
    code: 'too-large',
    message: /条目过多/,
    build: () => zip([...goodEntries, ...Array.from({ length: 60 }, (_, i) => ({ name: `f${i}.txt`, bytes: Buffer.from('x') }))]),
  },
  {
    name: 'central directory and local header disagree on the name',
    code: 'corrupt',
    message: /目录记录与文件头中的名称不一致/,
    build: () => {
      const out = Buffer.from(good);
      const h = headers(out, tableFile('T03'));
      Buffer.from(tableFile('T03').replace('T03', 'T09')).copy(out, h.local + 30);
      return out;
    },
  },
  {
    name: 'unsupported compression method',
    code: 'unsafe-entry',
    message: /不支持的压缩方式/,
    build: () => {
      const out = Buffer.from(good);
      const h = headers(out, 'budget.json');
      out.writeUInt16LE(12, h.central + 10);
      out.writeUInt16LE(12, h.local + 8);
      return out;
    },
  },
  {
    name: 'stored entry whose data is longer than declared (lying sizes)',
    code: 'corrupt',
    message: /损坏|不符|超过/,
    build: async () => {
      // Hand-built: a stored entry claiming 4 bytes of data holding 8.
      const archive = await zip([...goodEntries, { name: 'lie.txt', bytes: Buffer.from('12345678') }]);
      const h = headers(archive, 'lie.txt');
      archive.writeUInt32LE(4, h.central + 24);
      return archive;
    },
  },
  { name: 'a newer package format', code: 'format', message: /更新版本的程序生成.*请升级程序/, build: () => zip(withManifest(goodEntries, (m) => (m.format = 'budget-package/2'))) },
  { name: 'an unknown format', code: 'format', message: /无法识别/, build: () => zip(withManifest(goodEntries, (m) => (m.format = 'some-other-zip/1'))) },
  {
    name: 'a manifest missing its checksums',
    code: 'manifest',
    message: /校验值 sha256/,
    build: () => zip(withManifest(goodEntries, (m) => ((m.files[0] as { sha256?: string }).sha256 = 'abc'))),
  },
  {
    name: 'another fiscal year (consistent package of 2021)',
    code: 'fiscal-year',
    message: /2021 年度.*2020 年度/,
    build: () => zip(withBudget((d) => (d.fiscalYear = 2021), (m) => (m.fiscalYear = 2021))),
  },
  {
    name: 'budget.json that fails the exchange format',
    code: 'budget',
    message: /不是有效的预算交换文件/,
    build: () => zip(withBudget((d) => ((d.lines as { amount: string }[])[0]!.amount = '14.0.9'))),
  },
  {
    name: 'budget.json disagreeing with the manifest totals',
    code: 'budget',
    message: /与清单不一致[\s\S]*支出总计/,
    build: () => zip(withBudget((d) => ((d.lines as { amount: string }[])[0]!.amount = '150.9'))),
  },
  {
    name: 'budget.json of another unit than the manifest says',
    code: 'budget',
    message: /与清单不一致[\s\S]*单位/,
    build: () => zip(withBudget((d) => ((d.department as { code: string }).code = '099'))),
  },
  {
    name: 'budget.json given a hard 审核 finding (P05 项目总金额 0), T11 left as it was',
    code: 'budget',
    message: /T11(_[^.]*)?\.xlsx（项目支出绩效目标表）与 budget\.json 算出的表不一致[\s\S]*按 budget\.json 计算应为 0/,
    build: () =>
      zip(
        withBudget((d) => {
          const p = (d.projects as { code: string; totalAmount?: string }[]).find((x) => x.code === 'P05')!;
          p.totalAmount = '0';
        }),
      ),
  },
  {
    name: 'a consistent package of a budget with hard 审核 findings (made by a changed program that skipped 审核)',
    code: 'budget',
    message: /审核不通过/,
    build: async () => {
      const budget = fixtureBudget();
      budget.projects.find((x) => x.code === 'P05')!.totalAmount = 0n;
      const book = defaultCodeBook(2020);
      const tables = computeTables(budget, book);
      // No findings handed in: the package's tables, PDF and totals all agree with its budget.json.
      return (await buildPackage(budget, tables, [], { book, now: new Date(2026, 10, 30, 14, 5) })).bytes;
    },
  },
  {
    name: 'a stub prepended to the archive (offsets shifted, as a self-extractor would)',
    code: 'corrupt',
    message: /文件开头（第 0 字节）不是 zip 文件头，前面附加了其他内容（64 字节）/,
    build: () => shifted(Buffer.from('#!/bin/sh\necho hello; exit 0\n'.padEnd(64, '#'), 'latin1'), good),
  },
  {
    name: 'a local entry the central directory does not list',
    code: 'corrupt',
    message: /第 \d+ 字节起有目录中未列出的内容/,
    build: async () => {
      const hidden = await zip([{ name: 'budget.json', bytes: Buffer.from('{"hidden": true}') }]);
      const hiddenLocal = hidden.subarray(0, centralOffset(hidden));
      const at = centralOffset(good);
      const out = Buffer.concat([good.subarray(0, at), hiddenLocal, good.subarray(at)]);
      const eocd = eocdOffset(out);
      out.writeUInt32LE(at + hiddenLocal.length, eocd + 16);
      return out;
    },
  },
  {
    name: 'createdAt more than a day in the future',
    code: 'manifest',
    message: /生成时间 2099-01-01T00:00:00.000Z 晚于本机当前时间.*超过一天/,
    build: () => zip(withManifest(goodEntries, (m) => (m.createdAt = '2099-01-01T00:00:00.000Z'))),
  },
  {
    name: 'a package whose sender is the receiving department itself (same code and name)',
    code: 'budget',
    message: /上报单位“074 济源市行政服务中心（主管部门）”就是本部门自己/,
    build: async () => {
      // Exported for real from a file of the department's own code and name: every part agrees.
      const dir = tempDir('hostile-own-');
      try {
        const budget = fixtureBudget();
        budget.department.name = '济源市行政服务中心（主管部门）';
        const out = join(dir, 'usb');
        mkdirSync(out);
        const r = await exportPackage({ dbPath: budgetDb(dir, budget), outDir: out, notes: notesFor(budget), now: new Date(2026, 10, 30, 14, 5) });
        return readFileSync(r.file);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'T01.xlsx replaced by T02.xlsx (manifest size and checksum recomputed)',
    code: 'budget',
    message: /T01(_[^.]*)?\.xlsx（.*）与 budget\.json 算出的表不一致[\s\S]*第 \d+ 行第 \d+ 列：数据包中为/,
    build: () => zip(withFile(tableFile('T01'), goodEntries.find((e) => e.name === tableFile('T02'))!.bytes)),
  },
  {
    name: 'budget.json changed (totals kept), the tables left old, checksums recomputed',
    code: 'budget',
    message: /T0\d(_[^.]*)?\.xlsx（.*）与 budget\.json 算出的表不一致/,
    build: () =>
      zip(
        withBudget((d) => {
          const lines = d.lines as { amount: string }[];
          lines[0]!.amount = '130.9';
          expect(lines[1]!.amount).toBe('74.2');
          lines[1]!.amount = '84.2';
        }),
      ),
  },
  {
    name: 'tables.pdf replaced by a 30-byte fake (checksum recomputed)',
    code: 'budget',
    message: /tables\.pdf 不是可读的 PDF 文件（30 字节/,
    build: () => zip(withFile('tables.pdf', Buffer.from('%PDF-1.4 this is not a pdf...'.padEnd(30, '.')))),
  },
  {
    name: 'tables.pdf replaced by a bare page tree with no document catalog (checksum recomputed)',
    code: 'budget',
    message: /tables\.pdf 不是可读的 PDF 文件（\d+ 字节，找不到文档目录/,
    build: () => zip(withFile('tables.pdf', Buffer.from('%PDF-1.4\n1 0 obj << /Type /Pages /Kids [2 0 R] >> endobj\n2 0 obj << /Type /Page >> endobj\n%%EOF\n'))),
  },
  {
    name: 'tables.pdf replaced by the app\'s own PDF of T01 alone (its pages numbered as a whole file; checksum recomputed)',
    code: 'budget',
    message: /tables\.pdf 缺少 T02“2020年部门收入总体情况表”起的页面（应有 \d+ 个表页的首页，只有 1 个）/,
    build: async () => zip(withFile('tables.pdf', await tablesPdf(fixtureTables().slice(0, 1), { created: new Date(2026, 10, 30) }))),
  },
  {
    name: 'tables.pdf with a page missing (page 5 taken out with pdfseparate/pdfunite; checksum recomputed)',
    code: 'budget',
    message: /tables\.pdf 有 (\d+) 页，而页码印的是“共 \d+ 页”：缺少 1 页/,
    build: () => zip(withFile('tables.pdf', rejoinedByPoppler(goodFile('tables.pdf'), { without: 5 }))),
  },
  {
    name: 'tables.pdf with another table\'s title where T02 should start (T02 and T03 printed in swapped order; checksum recomputed)',
    code: 'budget',
    message: /tables\.pdf 第 \d+ 页的标题是“2020年部门支出总体情况表”，应为 T02“2020年部门收入总体情况表”的首页/,
    build: async () => {
      const [t01, t02, t03, ...rest] = fixtureTables();
      return zip(withFile('tables.pdf', await tablesPdf([t01!, t03!, t02!, ...rest], { created: new Date(2026, 10, 30) })));
    },
  },
  {
    name: 'a T10 figure changed in its .xlsx (manifest size and checksum recomputed)',
    code: 'budget',
    message: /T10(_[^.]*)?\.xlsx（.*整体绩效目标表）与 budget\.json 算出的表不一致[\s\S]*第 1 个金额（第 \d+ 行第 \d+ 列）：数据包中为 [\d.]+，按 budget\.json 计算应为/,
    build: async () => zip(withFile(tableFile('T10'), await withFirstFigure(goodFile(tableFile('T10')), (v) => v + 1))),
  },
  {
    name: 'a T11 figure changed in its .xlsx (manifest size and checksum recomputed)',
    code: 'budget',
    message: /T11(_[^.]*)?\.xlsx（项目支出绩效目标表）与 budget\.json 算出的表不一致[\s\S]*第 1 个金额/,
    build: async () => zip(withFile(tableFile('T11'), await withFirstFigure(goodFile(tableFile('T11')), (v) => v + 0.01))),
  },
  {
    name: 'a T09 .xlsx replaced by T05 (manifest size and checksum recomputed)',
    code: 'budget',
    message: /T09(_[^.]*)?\.xlsx（政府性基金预算支出情况表）与 budget\.json 算出的表不一致/,
    build: () => zip(withFile(tableFile('T09'), goodFile(tableFile('T05')))),
  },
  {
    name: 'manifest totals changed (budget.json and the tables untouched)',
    code: 'budget',
    message: /与清单不一致[\s\S]*支出总计：清单为 1750\.2，数据为 1740\.2[\s\S]*“三公”经费：清单为 0，数据为/,
    build: () =>
      zip(
        withManifest(goodEntries, (m) => {
          expect(m.totals.expenditure).toBe('1740.2');
          m.totals.expenditure = '1750.2';
          m.totals.threePublic = '0';
        }),
      ),
  },
];

function goodFile(name: string): Buffer {
  return goodEntries.find((e) => e.name === name)!.bytes;
}

/** The tables of the package's budget, computed here as the receiver does. */
function fixtureTables(): ReportTable[] {
  return computeTables(fixtureBudget(), defaultCodeBook(2020));
}

/** A workbook with its first figure (row by row) changed; a forger's edit in a spreadsheet program. */
async function withFirstFigure(bytes: Buffer, change: (value: number) => number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  let done = false;
  wb.eachSheet((ws) =>
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        if (done || typeof cell.value !== 'number') return;
        cell.value = change(cell.value);
        done = true;
      }),
    ),
  );
  expect(done, 'the workbook has a figure').toBe(true);
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/** Replaces one entry and updates its size and checksum in the manifest, so only the content is wrong. */
function withFile(name: string, bytes: Buffer): Entry[] {
  const entries = goodEntries.map((e) => (e.name === name ? { ...e, bytes } : e));
  return withManifest(entries, (m) => {
    const f = m.files.find((x) => x.name === name)!;
    f.size = bytes.length;
    f.sha256 = sha(bytes);
  });
}

function eocdOffset(archive: Buffer): number {
  let eocd = archive.length - 22;
  while (eocd >= 0 && archive.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  return eocd;
}

function centralOffset(archive: Buffer): number {
  return archive.readUInt32LE(eocdOffset(archive) + 16);
}

/** `stub` + `archive` with every offset moved by the stub's length: a valid zip that does not start with one. */
function shifted(stub: Buffer, archive: Buffer): Buffer {
  const out = Buffer.concat([stub, archive]);
  const eocd = eocdOffset(out);
  const count = out.readUInt16LE(eocd + 10);
  let p = out.readUInt32LE(eocd + 16) + stub.length;
  out.writeUInt32LE(p, eocd + 16);
  for (let i = 0; i < count; i++) {
    out.writeUInt32LE(out.readUInt32LE(p + 42) + stub.length, p + 42);
    p += 46 + out.readUInt16LE(p + 28) + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  }
  return out;
}

describe('hostile and malformed packages are refused; the database stays byte-identical', () => {
  it(`covers at least 20 kinds (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const dir = tempDir('hostile-case-');
      const dep = departmentDb(dir);
      const before = readFileSync(dep);
      const zipPath = join(dir, 'package.zip');
      writeFileSync(zipPath, await c.build());
      const error = await receivePackage({ zipPath, dbPath: dep }).catch((e) => e);
      expect(error, 'refused').toBeInstanceOf(PackageError);
      expect([c.code].flat()).toContain(error.code);
      expect(error.message).toMatch(c.message);
      expect(error.message).toMatch(/[\u4e00-\u9fff]/);
      expect(readFileSync(dep).equals(before), 'database file unchanged').toBe(true);
      if (existsSync(`${dep}-wal`)) expect(readFileSync(`${dep}-wal`).length).toBe(0);
      const db = new Database(dep, { readonly: true });
      // The table comes with the file's schema (migration); a refused package leaves no row in it.
      const received = db.prepare('SELECT COUNT(*) AS n FROM received_packages').get() as { n: number };
      const integrity = String(db.pragma('integrity_check', { simple: true }));
      db.close();
      expect(integrity).toBe('ok');
      expect(received.n).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    });
  }

  it('the untouched package is accepted (the cases above differ from it only by what they break)', async () => {
    const dir = tempDir('hostile-ok-');
    const dep = departmentDb(dir);
    const zipPath = join(dir, 'package.zip');
    writeFileSync(zipPath, good);
    const r = await receivePackage({ zipPath, dbPath: dep });
    expect(r.unit.code).toBe('074');
    // and a re-zip of the same entries is accepted too: the checks are about content, not the writer
    writeFileSync(zipPath, await zip(goodEntries));
    await expect(receivePackage({ zipPath, dbPath: dep })).resolves.toBeDefined();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a package of an earlier version, its tables named T01.xlsx … T11.xlsx, is still received; two files of one table are not', async () => {
    const dir = tempDir('hostile-old-names-');
    const dep = departmentDb(dir);
    const zipPath = join(dir, 'package.zip');
    const short = (name: string) => (tableIdOfFile(name) ? `${tableIdOfFile(name)}.xlsx` : name);
    const renamed = withManifest(
      goodEntries.map((e) => ({ ...e, name: short(e.name) })),
      (m) => m.files.forEach((f) => (f.name = short(f.name))),
    );
    expect(renamed.map((e) => e.name)).toContain('T03.xlsx');
    writeFileSync(zipPath, await zip(renamed));
    expect((await receivePackage({ zipPath, dbPath: dep })).unit.code).toBe('074');
    // The same table twice (old and new name) is refused, as any file the format does not hold.
    const t03 = goodEntries.find((e) => tableIdOfFile(e.name) === 'T03')!;
    const twice = withManifest([...goodEntries, { ...t03, name: 'T03.xlsx' }], (m) => {
      m.files.push({ ...m.files.find((f) => f.name === t03.name)!, name: 'T03.xlsx' });
    });
    writeFileSync(zipPath, await zip(twice));
    await expect(receivePackage({ zipPath, dbPath: dep })).rejects.toThrow(/本格式不包含的文件：T03/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reading a bomb stops early: it never inflates much past the declared size', async () => {
    const archive = await zip([{ name: 'bomb.bin', bytes: Buffer.alloc(64 * 1024 * 1024) }]);
    const h = headers(archive, 'bomb.bin');
    archive.writeUInt32LE(10, h.central + 24);
    const before = process.memoryUsage().arrayBuffers;
    await expect(readZipEntries(archive)).rejects.toThrow(/超过文件头声明的大小/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
  });
});
