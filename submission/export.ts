// 导出上报数据包: one .zip on the USB stick with budget.json (exchange format), T01_<title>.xlsx … T11_<title>.xlsx, tables.pdf and
// manifest.json (sizes, SHA-256, totals, the 审核 result with the user's 说明 for each soft finding).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditBudget } from '../core/audit/index.js';
import { auditConfigFor } from '../db/params.js';
import { serializeExchange } from '../core/exchange.js';
import { templateChoicesFromWizardState, WIZARD_STATE_META_KEY, type TemplateChoices } from '../core/indicators.js';
import {
  attachNotes,
  budgetTotals,
  BUDGET_FILE,
  describeFinding,
  localIsoTimestamp,
  MANIFEST_FILE,
  PACKAGE_FORMAT,
  packageFileName,
  serializeManifest,
  tableFileName,
  TABLES_PDF_FILE,
  DOCUMENT_DOCX_FILE,
  DOCUMENT_PDF_FILE,
  type FindingNote,
  type ManifestFile,
  type PackageManifest,
} from '../core/manifest.js';
import type { CodeBook } from '../core/codelists.js';
import type { Budget } from '../core/model.js';
import type { Fen } from '../core/money.js';
import { manifestPublicationFormat } from '../core/package-format.js';
import { defaultFormat, TableEngine, type PublicationFormat } from '../core/tables/index.js';
import type { ReportTable } from '../core/tables/report.js';
import { chosenFormat } from '../db/publication-formats.js';
import { BudgetStore, type SubmissionRecord } from '../db/store.js';
import { loadConsolidatedBudget } from './department.js';
import { PackageError } from './errors.js';
import { tablesPdf, type PdfFonts } from './pdf.js';
import { draftDocument } from '../core/document/draft.js';
import { documentDocx } from './docx.js';
import { documentPdf } from './document-pdf.js';
import { checkArchive } from './receive.js';
import { nodeFileSystem, writeFileSafely, type PackageFileSystem } from './safe-write.js';
import { tableWorkbook } from './xlsx.js';
import { buildZip } from './zip-write.js';

export interface ExportOptions {
  /** The unit's budget file. */
  dbPath: string;
  /** The destination folder (the USB stick). */
  outDir: string;
  /** 说明 for the soft 审核 findings, by rule and place. */
  notes?: readonly FindingNote[];
  now?: Date;
  /** Replaces file-system steps (tests make each one fail). */
  fileSystem?: Partial<PackageFileSystem>;
  fonts?: PdfFonts;
  /** Export the file's own budget even when it holds received unit packages (normally they are 汇总 in). */
  ownOnly?: boolean;
  /** Record the submission and lock the budget once the package is verified (default true: that is 上报). */
  lock?: boolean;
  /** Who submits (操作人), recorded with the submission as with an unlock. */
  by?: string | null;
  /** Told as each step begins, so a UI can show where the export is. */
  onStep?: (step: ExportStep) => void;
}

/** The steps of an export as the user sees them: the .xlsx tables, the PDF, writing, reading back. */
export type ExportStep = 'tables' | 'pdf' | 'write' | 'verify';

export interface ExportResult {
  file: string;
  manifest: PackageManifest;
  /** The submission recorded in the budget file (null with lock: false). */
  submission: SubmissionRecord | null;
  /** The package carries the department's own budget with its received units (汇总). */
  consolidated: boolean;
}

const HERE = dirname(fileURLToPath(import.meta.url));

/** Name and version from the app's package.json (beside the sources, or one level up when compiled). */
export function appInfo(): { name: string; version: string } {
  for (const dir of [join(HERE, '..'), join(HERE, '..', '..')]) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; productName?: string; version?: string };
      if (pkg.name === 'bumen-yusuan' && pkg.version) return { name: pkg.productName ?? '部门预算编制', version: pkg.version };
    } catch {
      // try the next folder
    }
  }
  return { name: '部门预算编制', version: '0.0.0' };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The files of a package and its manifest, in memory; refuses while hard findings or unexplained soft ones remain. */
export async function buildPackage(
  budget: Budget,
  tables: readonly ReportTable[],
  findings: ReturnType<typeof auditBudget>,
  options: {
    /** The code lists of the budget's year (the manifest's totals are cells of tables computed with them). */
    book: CodeBook;
    notes?: readonly FindingNote[];
    now: Date;
    fonts?: PdfFonts;
    templateChoices?: TemplateChoices;
    onStep?: (step: ExportStep) => void;
    /** The engine's functional subtotals (the document's chart by 功能分类 类). */
    functional?: ReadonlyMap<string, Fen>;
    /** The publication format `tables` are in (河南 2020 when absent): one .xlsx per table of it, in its order. */
    format?: PublicationFormat;
    /** Under another format than 河南 2020: the budget's 河南 2020 tables, which the 预算说明's sentences read. */
    documentTables?: readonly ReportTable[] | null;
  },
): Promise<{ name: string; bytes: Buffer; manifest: PackageManifest }> {
  const check = attachNotes(findings, options.notes ?? []);
  if (check.hard.length > 0) {
    throw new PackageError(
      'audit-hard',
      `审核发现 ${check.hard.length} 个错误，修改后才能生成上报数据包：`,
      check.hard.map(describeFinding),
    );
  }
  if (check.missing.length > 0) {
    throw new PackageError(
      'notes-missing',
      `还有 ${check.missing.length} 个审核提示没有填写情况说明，填写后才能生成上报数据包：`,
      check.missing.map(describeFinding),
    );
  }
  const now = options.now;
  options.onStep?.('tables');
  const contents: { name: string; bytes: Buffer; compress: boolean }[] = [];
  contents.push({ name: BUDGET_FILE, bytes: Buffer.from(serializeExchange(budget), 'utf8'), compress: true });
  // The tables of the budget's format, each in its file, in the format's order.
  const format = options.format ?? defaultFormat();
  const ordered: ReportTable[] = [];
  for (const { id } of format.tables) {
    const table = tables.find((t) => t.id === id);
    if (!table) throw new PackageError('budget', `无法生成表 ${id}：报表计算结果中没有这张表`);
    ordered.push(table);
    contents.push({ name: tableFileName(id, table.title), bytes: await tableWorkbook(table, now, { templateChoices: options.templateChoices }), compress: false });
  }
  options.onStep?.('pdf');
  const title = `${budget.department.name}${budget.fiscalYear}年部门预算表`;
  contents.push({ name: TABLES_PDF_FILE, bytes: await tablesPdf(ordered, { created: now, title, fonts: options.fonts, templateChoices: options.templateChoices }), compress: true });
  // The whole disclosure document (预算说明, then the tables) as .docx and PDF. Its sentences read 河南 2020's
  // cells; under another format it appends that format's tables.
  const document = draftDocument(budget, options.documentTables ?? tables, {
    ...(options.functional ? { functional: options.functional } : {}),
    ...(options.documentTables ? { attachments: ordered } : {}),
  });
  // ECharts and resvg load here, not with every command that imports this module.
  const { chartImages } = await import('./charts.js');
  const charts = await chartImages(document, options.fonts);
  contents.push({ name: DOCUMENT_DOCX_FILE, bytes: await documentDocx(document, { created: now, templateChoices: options.templateChoices, charts }), compress: false });
  contents.push({ name: DOCUMENT_PDF_FILE, bytes: await documentPdf(document, { created: now, fonts: options.fonts, templateChoices: options.templateChoices, charts }), compress: true });

  const files: ManifestFile[] = contents.map((c) => ({ name: c.name, size: c.bytes.length, sha256: sha256(c.bytes) }));
  const manifest: PackageManifest = {
    format: PACKAGE_FORMAT,
    app: appInfo(),
    fiscalYear: budget.fiscalYear,
    amountUnit: budget.amountUnit,
    department: { code: budget.department.code, name: budget.department.name },
    units: budget.units.map((u) => ({ code: u.code, name: u.name, kind: u.kind })),
    createdAt: localIsoTimestamp(now),
    files,
    totals: budgetTotals(budget, options.book),
    audit: {
      hard: 0,
      soft: check.findings.filter((f) => f.severity === 'soft').length,
      findings: check.findings,
    },
    // The format of the tables above, whole, so a receiver reads them in it whatever formats it knows.
    publicationFormat: manifestPublicationFormat(format),
  };
  const manifestBytes = Buffer.from(serializeManifest(manifest), 'utf8');
  const bytes = await buildZip([{ name: MANIFEST_FILE, bytes: manifestBytes, compress: true }, ...contents], now);
  const name = packageFileName({ fiscalYear: budget.fiscalYear, code: budget.department.code, name: budget.department.name, at: now });
  return { name, bytes, manifest };
}

/**
 * Exports the budget in `dbPath` as a submission package into `outDir`. Refused while hard 审核 findings
 * remain or a soft finding has no 说明. The package is written safely (see safe-write.ts) and read back:
 * the destination holds either the complete, verified package or nothing.
 */
export async function exportPackage(options: ExportOptions): Promise<ExportResult> {
  const base: PackageFileSystem = { ...nodeFileSystem, ...options.fileSystem };
  const onStep = options.onStep;
  // Writing starts with the first write and checking with the read-back (safe-write.ts's order).
  const fs: PackageFileSystem = onStep
    ? { ...base, write: (p, d) => (onStep('write'), base.write(p, d)), read: (p) => (onStep('verify'), base.read(p)) }
    : base;
  const now = options.now ?? new Date();
  if (!(await fs.isDirectory(options.outDir))) {
    throw new PackageError('destination', `目标文件夹“${options.outDir}”不存在或无法访问（U 盘是否已插好？）`);
  }
  const store = BudgetStore.open(options.dbPath);
  let budget: Budget;
  let tables: ReportTable[];
  let functional: ReadonlyMap<string, Fen>;
  let findings: ReturnType<typeof auditBudget>;
  let consolidated: boolean;
  let templateChoices: TemplateChoices;
  let book: CodeBook;
  let format: PublicationFormat;
  let documentTables: ReportTable[] | null;
  try {
    // The indicator trees chosen in the wizard: T10/T11 print on the tree the user saw.
    templateChoices = templateChoicesFromWizardState(store.getMeta(WIZARD_STATE_META_KEY));
    const loaded = loadConsolidatedBudget(store, { ownOnly: options.ownOnly });
    if (!loaded.ok) {
      throw new PackageError(
        'budget',
        '汇总下级单位的预算时发现问题，未生成上报数据包（可先处理这些数据包，或只上报本部门自身的预算）：',
        loaded.problems.filter((p) => p.severity === 'error').map((p) => p.message),
      );
    }
    budget = loaded.budget;
    consolidated = loaded.consolidated;
    book = loaded.book;
    // The budget's publication format; a 汇总 prints in the department's, whatever format each unit chose.
    format = chosenFormat(store);
    const engine = new TableEngine(budget, book, format);
    tables = engine.tables();
    documentTables = engine.referenceTables();
    functional = engine.functionalSubtotals();
    // The file's rule set: levels and 控制数 from the parameter package count for 上报 too.
    findings = auditBudget(budget, book, engine.auditTables(), { ...auditConfigFor(store, format), documentTables });
  } finally {
    store.close();
  }
  const built = await buildPackage(budget, tables, findings, { book, notes: options.notes ?? [], now, fonts: options.fonts, templateChoices, onStep, functional, format, documentTables });

  // Two packages made in the same minute get _2, _3 … rather than replacing each other.
  let name = built.name;
  for (let n = 2; await fs.exists(join(options.outDir, name)); n++) {
    if (n > 99) throw new PackageError('destination', `目标文件夹中同名的上报数据包过多：${built.name}`);
    name = packageFileName({
      fiscalYear: budget.fiscalYear,
      code: budget.department.code,
      name: budget.department.name,
      at: now,
      suffix: `_${n}`,
    });
  }
  const expected = sha256(built.bytes);
  const file = await writeFileSafely(fs, options.outDir, name, built.bytes, async (written) => {
    if (written.length !== built.bytes.length || sha256(written) !== expected) {
      throw new PackageError('verify-failed', '读回的文件与写入的内容不一致（U 盘可能有坏块或已被拔出）');
    }
    // Read it back as the receiver will: every entry and checksum.
    await checkArchive(written);
  });
  if (options.lock === false) return { file, manifest: built.manifest, submission: null, consolidated };
  // 上报 done: keep what was submitted and lock the budget. Line ids let the diff since this submission follow
  // each line of the file's own budget; a consolidated budget's received lines have no ids of their own.
  let submission: SubmissionRecord;
  const snapshotJson = serializeExchange(budget);
  let changed = false;
  try {
    const again = BudgetStore.open(options.dbPath);
    try {
      submission = again.transaction(() => {
        // The lock covers exactly what the package carries: the budget must still be what was read for it.
        const current = loadConsolidatedBudget(again, { ownOnly: options.ownOnly });
        if (!current.ok || serializeExchange(current.budget) !== snapshotJson) {
          changed = true;
          throw new Error('changed');
        }
        return again.lockForSubmission({
          manifest: built.manifest,
          snapshotJson,
          file,
          lineIds: consolidated ? null : budget.lines.map((l) => l.id),
          at: now,
          by: options.by ?? null,
        });
      });
    } finally {
      again.close();
    }
  } catch (err) {
    if (changed) {
      // The package no longer says what the file holds: it must not be sent.
      await fs.remove(file).catch(() => {});
      throw new PackageError('changed', '生成上报数据包期间预算文件被修改，数据包与预算不一致，已删除；预算未锁定，请重新上报');
    }
    throw new PackageError(
      'database',
      `上报数据包已写入“${file}”，但在预算文件中记录上报并锁定时出错：${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return { file, manifest: built.manifest, submission, consolidated };
}
