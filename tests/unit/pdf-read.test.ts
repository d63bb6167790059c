// The PDF reader the receiver uses on the department's PC (submission/pdf-read.ts, no external program),
// checked against poppler: the same page count as pdfinfo, and on every page the text pdftotext finds there
// (the tables' titles and the page numbers the cross-check reads). Hostile files are refused with a reason.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeTables, type ReportTable } from '../../core/tables/index.js';
import { printedTable } from '../../core/tables/layout.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { tablesPdf } from '../../submission/pdf.js';
import { readPdfText } from '../../submission/pdf-read.js';
import { fixtureBudget, rejoinedByPoppler, tempDir } from './submission-fixture.js';

const squeeze = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');

let work: string;
let tables: ReportTable[];
let pdf: Buffer;

beforeAll(async () => {
  work = tempDir('pdf-read-');
  tables = computeTables(fixtureBudget(), defaultCodeBook(2020));
  pdf = await tablesPdf(tables, { created: new Date(2026, 10, 30, 14, 5) });
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

function popplerPages(file: string): number {
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
}

function popplerText(file: string, page: number): string {
  return squeeze(execFileSync('pdftotext', ['-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
}

/** A minimal PDF from its objects' bodies by number (as a list: numbered from 1), with a cross-reference table. */
function handMade(objects: (string | Buffer)[] | Map<number, string | Buffer>, root = 1): Buffer {
  const bodies = objects instanceof Map ? [...objects] : objects.map((b, i) => [i + 1, b] as const);
  const parts: Buffer[] = [Buffer.from('%PDF-1.5\n')];
  const offsets = new Map<number, number>();
  let at = parts[0]!.length;
  for (const [n, body] of bodies) {
    const chunk = Buffer.concat([Buffer.from(`${n} 0 obj\n`), Buffer.isBuffer(body) ? body : Buffer.from(body), Buffer.from('\nendobj\n')]);
    offsets.set(n, at);
    parts.push(chunk);
    at += chunk.length;
  }
  const size = Math.max(...offsets.keys()) + 1;
  const rows = Array.from({ length: size }, (_, n) => (offsets.has(n) ? `${String(offsets.get(n)).padStart(10, '0')} 00000 n \n` : '0000000000 65535 f \n'));
  parts.push(Buffer.from(`xref\n0 ${size}\n${rows.join('')}trailer\n<< /Size ${size} /Root ${root} 0 R >>\nstartxref\n${at}\n%%EOF\n`));
  return Buffer.concat(parts);
}

function stream(data: Buffer, dict = ''): Buffer {
  return Buffer.concat([Buffer.from(`<< /Length ${data.length} ${dict} >>\nstream\n`), data, Buffer.from('\nendstream')]);
}

describe('reading the app’s tables.pdf as poppler does', () => {
  it('has pdfinfo’s page count, and on each page the title and page number pdftotext finds there', () => {
    const file = join(work, 'tables.pdf');
    writeFileSync(file, pdf);
    const read = readPdfText(pdf);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const count = popplerPages(file);
    expect(read.pages.length).toBe(count);
    const titles = new Set(tables.flatMap((t) => printedTable(t).blocks.map((b) => b.title)));
    let titled = 0;
    read.pages.forEach((page, i) => {
      const text = popplerText(file, i + 1);
      const footer = page.runs.at(-1)!;
      expect(footer).toBe(`第 ${i + 1} 页，共 ${count} 页`);
      expect(text).toContain(squeeze(footer));
      if (titles.has(page.runs[0]!)) {
        titled++;
        expect(text).toContain(squeeze(page.runs[0]!));
      }
      // Every run the reader finds is text poppler finds on that page too.
      for (const run of page.runs) expect(text, `page ${i + 1}`).toContain(squeeze(run));
    });
    // One title page per table, and one per project form of T11 (the fixture has 13 projects).
    expect(titled).toBe(10 + 13);
  });

  it('reads a file another program wrote from it (poppler’s pdfseparate and pdfunite): same pages, same text', () => {
    const again = readPdfText(rejoinedByPoppler(pdf));
    const first = readPdfText(pdf);
    expect(again.ok && first.ok).toBe(true);
    if (again.ok && first.ok) expect(again.pages).toEqual(first.pages);
  });
});

describe('files the reader refuses, with the reason', () => {
  it('no header, no end, truncated', () => {
    expect(readPdfText(Buffer.from('hello'))).toEqual({ ok: false, reason: '缺少 PDF 文件头' });
    expect(readPdfText(pdf.subarray(0, Math.floor(pdf.length / 2)))).toEqual({ ok: false, reason: '缺少 PDF 文件结尾' });
  });

  it('a page tree without a catalog, a tree that loops, page content that is not a stream', () => {
    expect(readPdfText(Buffer.from('%PDF-1.4\n1 0 obj << /Type /Pages /Kids [2 0 R] >> endobj\n2 0 obj << /Type /Page >> endobj\n%%EOF\n'))).toMatchObject({
      ok: false,
      reason: '找不到文档目录（Catalog）',
    });
    const loop = handMade(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Pages /Kids [2 0 R] /Count 1 >>']);
    expect(readPdfText(loop)).toEqual({ ok: false, reason: '页面树有循环或过深' });
    const notStream = handMade(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>', '<< /Length 0 >>']);
    expect(readPdfText(notStream)).toEqual({ ok: false, reason: '第 1 页的内容无法读取' });
    // A reference to no object is null (PDF 32000 7.3.10): a blank page, which the cross-check then finds unnumbered.
    const blank = handMade(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /Contents 9 0 R >>']);
    expect(readPdfText(blank)).toEqual({ ok: true, pages: [{ runs: [] }] });
  });

  it('a deflate bomb in a page stops at the cap instead of filling memory', () => {
    const bomb = deflateSync(Buffer.alloc(80 * 1024 * 1024));
    const file = handMade(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>', stream(bomb, '/Filter /FlateDecode')]);
    expect(readPdfText(file)).toEqual({ ok: false, reason: '解压后的内容过大' });
  });

  it('an unknown compression of a page is named', () => {
    const file = handMade(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>', stream(Buffer.from('xyz'), '/Filter /LZWDecode')]);
    expect(readPdfText(file)).toEqual({ ok: false, reason: '使用了本程序不读取的压缩方式 LZWDecode' });
  });
});

describe('PDF structures other writers use', () => {
  it('objects inside an object stream, inherited resources, a simple font without a ToUnicode map, literal strings', () => {
    // Catalog (1) and page tree (2) live in the object stream (5); the page (3) inherits its fonts from 2.
    const inner = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /Font << /F1 6 0 R >> >> >>'];
    let offset = 0;
    const head: string[] = [];
    inner.forEach((body, i) => {
      head.push(`${i + 1} ${offset}`);
      offset += body.length + 1;
    });
    const headText = head.join(' ') + '\n';
    const objstm = Buffer.from(headText + inner.join('\n') + '\n', 'latin1');
    const content = deflateSync(Buffer.from('BT /F1 12 Tf 72 700 Td (Hello \\(PDF\\)) Tj ET\nBT /F1 8 Tf [(Page) -250 ( 1)] TJ ET\n', 'latin1'));
    const file = handMade(
      new Map<number, string | Buffer>([
        [3, '<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>'],
        [4, stream(content, '/Filter /FlateDecode')],
        [5, stream(deflateSync(objstm), `/Type /ObjStm /N 2 /First ${headText.length} /Filter /FlateDecode`)],
        [6, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'],
      ]),
    );
    const read = readPdfText(file);
    expect(read).toEqual({ ok: true, pages: [{ runs: ['Hello (PDF)', 'Page 1'] }] });
  });
});
