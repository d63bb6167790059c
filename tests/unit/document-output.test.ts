// The whole disclosure document as .docx and PDF: the sentences read back from the .docx XML and from the PDF
// (pdftotext), LibreOffice converting the .docx without error (its pages rendered to PNG to be looked at), and
// both files in the 上报 package, whose receiver still takes packages written before they were added.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditBudget } from '../../core/audit/index.js';
import { CHART_COLORS, chartSize, draftDocument, type BudgetDocument } from '../../core/document/index.js';
import { DOCUMENT_DOCX_FILE, DOCUMENT_PDF_FILE, MANIFEST_FILE, parseManifest, serializeManifest } from '../../core/manifest.js';
import { computeTables, TableEngine } from '../../core/tables/index.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { CHART_SCALE } from '../../submission/charts.js';
import { documentDocx } from '../../submission/docx.js';
import { documentPdf } from '../../submission/document-pdf.js';
import { buildPackage } from '../../submission/export.js';
import { checkArchive } from '../../submission/receive.js';
import { readZipEntries } from '../../submission/zip-read.js';
import { buildZip } from '../../submission/zip-write.js';
import { fixtureBudget, notesFor, tempDir } from './submission-fixture.js';

const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

const SENTENCES = [
  '行政服务中心2020年收入总计1740.2万元，支出总计1740.2万元，与2019年相比，收、支总计各减少735.5万元，减少29.71%。主要原因是：智慧城市指挥中心扩建项目已经完成。',
  '其中：基本支出560.8万元，占32.23%；项目支出1179.4万元，占67.77%。',
  '一般公共服务（类）支出1670.9万元，占96.02%；社会保障和就业（类）支出39.6万元，占2.28%；住房保障（类）支出29.7万元，占1.70%。',
  '行政服务中心2020年“三公”经费预算为6.1万元。2020年“三公”经费支出预算数比2019年减少2.4万元。',
  '（一）因公出国（境）费0万元。',
  '（二）公务接待费1.5万元，主要用于上级专家验收示范项目、外地市人员参观学习、项目公司人员接待等。',
  '（三）公务用车购置及运行费4.6万元，其中，公务用车运行维护费4.6万元。',
  '行政服务中心2020年政府性基金预算支出0万元。',
  '2020年系统政府采购预算安排392.8万元，其中：政府采购货物预算5.6万元、政府采购工程预算24万元、政府购买服务预算363.2万元。',
  '（一）负责对全市行政许可项目的咨询、监督、检查、协调、指导；',
];

function exampleDocument(): BudgetDocument {
  const budget = fixtureBudget();
  budget.narrative = {
    shortName: '行政服务中心',
    duties: '（一）负责对全市行政许可项目的咨询、监督、检查、协调、指导；\n（二）负责对进驻行政许可服务大厅单位及人员的管理。',
    'reason.total': '智慧城市指挥中心扩建项目已经完成',
    'usage.reception': '上级专家验收示范项目、外地市人员参观学习、项目公司人员接待等',
  };
  const engine = new TableEngine(budget, defaultCodeBook(budget.fiscalYear));
  return draftDocument(budget, engine.tables(), { functional: engine.functionalSubtotals() });
}

/** The images `pdfimages -list` finds, by page (soft masks left out). */
function pdfImages(file: string): { page: number; width: number; height: number }[] {
  return execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })
    .split('\n')
    .slice(2)
    .map((l) => l.trim().split(/\s+/))
    .filter((c) => c[2] === 'image')
    .map((c) => ({ page: Number(c[0]), width: Number(c[3]), height: Number(c[4]) }));
}

/** The first page whose text holds `text`. */
function pageWith(file: string, text: string): number {
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
  for (let p = 1; p <= pages; p++) {
    if (squeeze(execFileSync('pdftotext', ['-f', String(p), '-l', String(p), file, '-'], { encoding: 'utf8' })).includes(text)) return p;
  }
  throw new Error(`no page with ${text}`);
}

/** Pixels of a page rendered by pdftoppm (PPM) close to a colour: the drawn chart, not merely its caption. */
function pixelsOfColour(file: string, page: number, hex: string): number {
  const ppm = execFileSync('pdftoppm', ['-r', '50', '-f', String(page), '-l', String(page), file], { maxBuffer: 64 * 1024 * 1024 });
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
  const data = ppm.subarray(header[0].length);
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i + 2 < data.length; i += 3) {
    if (Math.abs(data[i]! - r!) + Math.abs(data[i + 1]! - g!) + Math.abs(data[i + 2]! - b!) < 24) n++;
  }
  return n;
}

const CAPTIONS = ['图1 2019年与2020年预算对比', '图2 2020年支出结构：基本支出与项目支出', '图3 2020年支出结构：按支出功能分类（类）', '图4 “三公”经费2019年与2020年预算对比'];

/**
 * Text without any white space (PDF lines break inside sentences, and pdftotext puts spaces around digits) and
 * without the page footers (a sentence may run across a page break).
 */
const squeeze = (text: string) => text.replace(/\s+/g, '').replace(/第\d+页，共\d+页/g, '');

function documentXml(file: string): string {
  return execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function docxParagraphs(file: string): string[] {
  const xml = documentXml(file);
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) => [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => unescape(t[1]!)).join(''));
}

describe('the document as .docx and PDF', () => {
  const doc = exampleDocument();
  const dir = tempDir('document-output-');

  it('the .docx holds every sentence, in one paragraph each, and a table for every printed table', async () => {
    const bytes = await documentDocx(doc, { created: new Date('2020-06-19T10:00:00') });
    writeFileSync(join(dir, 'document.docx'), bytes);
    const paragraphs = docxParagraphs(join(dir, 'document.docx'));
    const text = paragraphs.join('\n');
    for (const s of SENTENCES) expect(paragraphs.some((p) => p.includes(s)), s).toBe(true);
    // The placeholders the screen shows for parts not written yet are not printed.
    expect(text).not.toContain('请填写');
    // The tables follow, laid out from the printed grid: T01's title and its 支出合计 row.
    expect(text).toContain('2020年部门收支总体情况表');
    expect(text).toContain('2020年一般公共预算“三公”经费支出情况表');
    const xml = documentXml(join(dir, 'document.docx'));
    expect((xml.match(/<w:tbl>/g) ?? []).length).toBe(10 + (doc.tables.find((t) => t.id === 'T11')?.projects?.length ?? 0));
  });

  it('the .docx holds every chart as an image, each above its caption', () => {
    const file = join(dir, 'document.docx');
    expect(doc.charts.map((c) => c.title)).toEqual(CAPTIONS);
    const media = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' })
      .split('\n')
      .filter((n) => /^word\/media\/.+\.png$/.test(n));
    expect(media).toHaveLength(doc.charts.length);
    // Each image is a PNG of the chart's size (CSS pixels × scale).
    const sizes = media.map((m) => {
      const png = execFileSync('unzip', ['-p', file, m], { maxBuffer: 16 * 1024 * 1024 });
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      return `${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`;
    });
    expect(sizes.sort()).toEqual(doc.charts.map((c) => chartSize(c)).map((s) => `${s.width * CHART_SCALE}x${s.height * CHART_SCALE}`).sort());
    const xml = documentXml(file);
    const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) => p[0]);
    for (const caption of CAPTIONS) {
      const at = docxParagraphs(file).indexOf(caption);
      expect(at, caption).toBeGreaterThan(0);
      expect(paragraphs[at - 1]).toContain('<pic:pic');
    }
  });

  it('LibreOffice converts the .docx to PDF without error; its pages are rendered to be looked at', () => {
    const file = join(dir, 'document.docx');
    const out = join(dir, 'lo');
    mkdirSync(out, { recursive: true });
    execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--convert-to', 'pdf', '--outdir', out, file], {
      stdio: 'pipe',
      timeout: 240_000,
    });
    const pdf = join(out, 'document.pdf');
    expect(existsSync(pdf)).toBe(true);
    const text = squeeze(execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }));
    for (const s of SENTENCES) expect(text, s).toContain(squeeze(s));
    for (const caption of CAPTIONS) expect(text).toContain(squeeze(caption));
    // LibreOffice draws the charts too.
    expect(pdfImages(pdf).length).toBeGreaterThanOrEqual(doc.charts.length);
    mkdirSync(SCREENSHOTS, { recursive: true });
    execFileSync('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '9', pdf, join(SCREENSHOTS, 'document-docx-page')]);
  }, 300_000);

  it('the PDF holds every sentence with the CJK font embedded', async () => {
    const bytes = await documentPdf(doc, { created: new Date('2020-06-19T10:00:00') });
    const file = join(dir, 'document.pdf');
    writeFileSync(file, bytes);
    const text = squeeze(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }));
    for (const s of SENTENCES) expect(text, s).toContain(squeeze(s));
    expect(text).not.toContain('请填写');
    expect(text).toContain('2020年部门收支总体情况表');
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes/);
    mkdirSync(SCREENSHOTS, { recursive: true });
    execFileSync('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '9', file, join(SCREENSHOTS, 'document-pdf-page')]);
  });

  it('the PDF draws every chart on the page of its caption', () => {
    const file = join(dir, 'document.pdf');
    const images = pdfImages(file);
    expect(images).toHaveLength(doc.charts.length);
    CAPTIONS.forEach((caption, i) => {
      const page = pageWith(file, squeeze(caption));
      expect(images[i]!.page, caption).toBe(page);
      const size = chartSize(doc.charts[i]!);
      expect([images[i]!.width, images[i]!.height]).toEqual([size.width * CHART_SCALE, size.height * CHART_SCALE]);
    });
    // The page of 图2 (基本/项目) rendered: both slices' colours are there in quantity, and it is kept to be looked at.
    const page = pageWith(file, squeeze(CAPTIONS[1]!));
    expect(pixelsOfColour(file, page, CHART_COLORS[0]!)).toBeGreaterThan(1500);
    expect(pixelsOfColour(file, page, CHART_COLORS[1]!)).toBeGreaterThan(1500);
    execFileSync('pdftoppm', ['-r', '80', '-png', '-f', String(page), '-l', String(page), '-singlefile', file, join(SCREENSHOTS, 'document-pdf-chart-page')]);
  });
});

describe('the document in the 上报 package', () => {
  it('is in the package and its manifest; a package without it (written before) is still received', async () => {
    const budget = fixtureBudget();
    budget.narrative = { 'reason.total': '智慧城市指挥中心扩建项目已经完成' };
    const book = defaultCodeBook(budget.fiscalYear);
    const tables = computeTables(budget, book);
    const now = new Date('2020-06-19T10:00:00');
    const built = await buildPackage(budget, tables, auditBudget(budget, book, tables), { book, notes: notesFor(budget), now });
    const names = built.manifest.files.map((f) => f.name);
    expect(names).toContain(DOCUMENT_DOCX_FILE);
    expect(names).toContain(DOCUMENT_PDF_FILE);
    const entries = await readZipEntries(built.bytes);
    const pdf = entries.find((e) => e.name === DOCUMENT_PDF_FILE)!.bytes;
    const file = join(tempDir('document-package-'), 'document.pdf');
    writeFileSync(file, pdf);
    expect(squeeze(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }))).toContain('主要原因是：智慧城市指挥中心扩建项目已经完成。');
    await expect(checkArchive(built.bytes)).resolves.toBeTruthy();

    // The same package as an older app wrote it: no document files, and the manifest does not list them.
    const manifest = parseManifest(entries.find((e) => e.name === MANIFEST_FILE)!.bytes.toString('utf8'));
    if (!manifest.ok) throw new Error('manifest');
    const older = { ...manifest.manifest, files: manifest.manifest.files.filter((f) => !f.name.startsWith('document.')) };
    const olderZip = await buildZip(
      [
        { name: MANIFEST_FILE, bytes: Buffer.from(serializeManifest(older), 'utf8'), compress: true },
        ...entries.filter((e) => e.name !== MANIFEST_FILE && !e.name.startsWith('document.')).map((e) => ({ name: e.name, bytes: e.bytes, compress: true })),
      ],
      now,
    );
    await expect(checkArchive(olderZip)).resolves.toBeTruthy();
    // Listed in the manifest but missing from the archive is still refused.
    const missing = await buildZip(
      [
        { name: MANIFEST_FILE, bytes: Buffer.from(serializeManifest(manifest.manifest), 'utf8'), compress: true },
        ...entries.filter((e) => e.name !== MANIFEST_FILE && e.name !== DOCUMENT_PDF_FILE).map((e) => ({ name: e.name, bytes: e.bytes, compress: true })),
      ],
      now,
    );
    await expect(checkArchive(missing)).rejects.toThrow(/缺少文件：document\.pdf/);
  }, 120_000);
});
