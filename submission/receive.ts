// 接收上报数据包: the supervising department reads a unit's package from a USB stick, checks everything
// and stores the unit's budget in its own database. A package that fails any check is refused with a
// message saying what is wrong, and the database is not touched.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { auditBudget } from '../core/audit/index.js';
import type { CodeBook } from '../core/codelists.js';
import { parseExchange } from '../core/exchange.js';
import { decodeUtf8Text } from '../core/json-lines.js';
import {
  budgetTotals,
  BUDGET_FILE,
  describeFinding,
  MANIFEST_FILE,
  PACKAGE_CONTENT_FILES,
  PACKAGE_OPTIONAL_FILES,
  tableFileName,
  tableIdOfFile,
  PACKAGE_LIMITS,
  TABLES_PDF_FILE,
  parseManifest,
  totalsDifferences,
  type PackageManifest,
} from '../core/manifest.js';
import type { Budget } from '../core/model.js';
import { packageFormat, packageTableIds } from '../core/package-format.js';
import { formatProblem } from '../core/problems.js';
import { computeTables, TableEngine, type PublicationFormat } from '../core/tables/index.js';
import type { ReportTable } from '../core/tables/report.js';
import { consolidate } from '../core/consolidate.js';
import { diffBudgets, type BudgetDiff } from '../core/diff.js';
import { defaultCodeBook } from '../db/defaults.js';
import { BudgetStore, StoreError } from '../db/store.js';
// The cross-checks read .xlsx (exceljs) and PDF: loaded when a package is checked, not when the service starts.
const crossCheck = () => import('./cross-check.js');
import { receivedParts } from './department.js';
import { PackageError } from './errors.js';
import { readZipEntries, type ZipEntryData } from './zip-read.js';

export interface CheckedArchive {
  manifest: PackageManifest;
  entries: Map<string, ZipEntryData>;
}

function decodeUtf8(bytes: Uint8Array, what: string): string {
  const decoded = decodeUtf8Text(bytes);
  if (!decoded.ok) throw new PackageError(what === MANIFEST_FILE ? 'manifest' : 'budget', `数据包中的 ${what} ${decoded.message}`);
  return decoded.text;
}

/**
 * Checks an archive's structure against its manifest: the format, the exact set of entries, and every
 * entry's size and SHA-256. Throws PackageError on the first problem.
 */
export async function checkArchive(archive: Buffer): Promise<CheckedArchive> {
  const list = await readZipEntries(archive);
  const entries = new Map(list.map((e) => [e.name, e]));
  const manifestEntry = entries.get(MANIFEST_FILE);
  if (!manifestEntry) throw new PackageError('entries', `数据包中缺少清单文件 ${MANIFEST_FILE}，不是本程序生成的上报数据包`);
  if (manifestEntry.bytes.length > PACKAGE_LIMITS.maxManifestBytes) {
    throw new PackageError('too-large', `清单文件 ${MANIFEST_FILE} 过大（${manifestEntry.bytes.length} 字节），已拒绝`);
  }
  const parsed = parseManifest(decodeUtf8(manifestEntry.bytes, MANIFEST_FILE));
  if (!parsed.ok) {
    const formatProblem0 = parsed.problems.find((p) => p.path === '$.format');
    if (formatProblem0 && parsed.problems.length === 1) throw new PackageError('format', formatProblem0.message);
    throw new PackageError('manifest', '数据包清单 manifest.json 无效：', parsed.problems.map(formatProblem));
  }
  const manifest = parsed.manifest;

  const listed = new Map<string, (typeof manifest.files)[number]>();
  for (const f of manifest.files) {
    if (listed.has(f.name)) throw new PackageError('manifest', `数据包清单中文件“${f.name}”出现了两次`);
    listed.set(f.name, f);
  }
  // One file per table of the package's format, named T03_<title>.xlsx (or T03.xlsx by earlier versions).
  const tableIds = packageTableIds(manifest);
  const tableFiles = new Map<string, string>();
  const unknownListed: string[] = [];
  for (const n of listed.keys()) {
    const table = tableIdOfFile(n, tableIds);
    if (table !== null && !tableFiles.has(table)) tableFiles.set(table, n);
    else if (table !== null || !PACKAGE_CONTENT_FILES.includes(n)) unknownListed.push(n);
  }
  const missingInManifest = [
    ...PACKAGE_CONTENT_FILES.filter((n) => !listed.has(n) && !PACKAGE_OPTIONAL_FILES.includes(n)),
    ...tableIds.filter((id) => !tableFiles.has(id)).map((id) => tableFileName(id)),
  ];
  if (missingInManifest.length > 0) {
    throw new PackageError('manifest', `数据包清单中缺少必需的文件：${missingInManifest.join('、')}`);
  }
  if (unknownListed.length > 0) {
    throw new PackageError('manifest', `数据包清单中有本格式不包含的文件：${unknownListed.join('、')}`);
  }
  verifyListedFiles(entries, manifest.files, MANIFEST_FILE, '数据包');
  return { manifest, entries };
}

/**
 * The entries of an archive against the files its manifest lists (names unique in the list, checked before):
 * every listed file present with its size and SHA-256, nothing else besides the manifest. `what` names the
 * kind of package in the messages (数据包, 参数包).
 */
export function verifyListedFiles(entries: ReadonlyMap<string, ZipEntryData>, files: readonly { name: string; size: number; sha256: string }[], manifestName: string, what: string): void {
  const listed = new Set(files.map((f) => f.name));
  const missing = [...listed].filter((n) => !entries.has(n));
  if (missing.length > 0) throw new PackageError('entries', `${what}不完整，缺少文件：${missing.join('、')}`);
  const extra = [...entries.keys()].filter((n) => n !== manifestName && !listed.has(n));
  if (extra.length > 0) throw new PackageError('entries', `${what}中有清单未列出的文件：${extra.join('、')}，已拒绝`);
  for (const f of files) {
    const e = entries.get(f.name)!;
    if (e.bytes.length !== f.size) {
      throw new PackageError('corrupt', `${what}中的 ${f.name} 大小不符（清单 ${f.size} 字节，实际 ${e.bytes.length} 字节），文件已被截断或改动`);
    }
    if (e.sha256 !== f.sha256) throw new PackageError('corrupt', `${what}中的 ${f.name} 校验值不符，文件已损坏或被改动`);
  }
}

/** Reads budget.json and checks that it says what the manifest says. */
export function checkBudget(checked: CheckedArchive, bookFor: (year: number) => CodeBook): Budget {
  const { manifest, entries } = checked;
  const text = decodeUtf8(entries.get(BUDGET_FILE)!.bytes, BUDGET_FILE);
  const parsed = parseExchange(text, bookFor);
  if (!parsed.ok) {
    const shown = parsed.problems.slice(0, 20).map(formatProblem);
    if (parsed.problems.length > shown.length) shown.push(`……共 ${parsed.problems.length} 处问题`);
    throw new PackageError('budget', `数据包中的 ${BUDGET_FILE} 不是有效的预算交换文件：`, shown);
  }
  const budget = parsed.budget;
  const mismatches: string[] = [];
  if (budget.fiscalYear !== manifest.fiscalYear) mismatches.push(`预算年度：清单为 ${manifest.fiscalYear}，数据为 ${budget.fiscalYear}`);
  if (budget.department.code !== manifest.department.code || budget.department.name !== manifest.department.name) {
    mismatches.push(
      `单位：清单为 ${manifest.department.code} ${manifest.department.name}，数据为 ${budget.department.code} ${budget.department.name}`,
    );
  }
  if (budget.amountUnit !== manifest.amountUnit) mismatches.push(`金额单位：清单为 ${manifest.amountUnit}，数据为 ${budget.amountUnit}`);
  // The manifest's totals against the engine's cells computed from budget.json (core/totals.ts).
  mismatches.push(...totalsDifferences(manifest.totals, budgetTotals(budget, bookFor(budget.fiscalYear))));
  if (mismatches.length > 0) throw new PackageError('budget', '数据包中的预算数据与清单不一致：', mismatches);
  return budget;
}

async function readArchiveFile(zipPath: string): Promise<Buffer> {
  let size: number;
  try {
    const s = await stat(zipPath);
    if (!s.isFile()) throw new PackageError('not-found', `“${zipPath}”不是文件`);
    size = s.size;
  } catch (err) {
    if (err instanceof PackageError) throw err;
    throw new PackageError('not-found', `找不到数据包文件“${zipPath}”`);
  }
  if (size > PACKAGE_LIMITS.maxArchiveBytes) {
    throw new PackageError('too-large', `数据包文件过大（${size} 字节，上限 ${PACKAGE_LIMITS.maxArchiveBytes} 字节）`);
  }
  try {
    return await readFile(zipPath);
  } catch (err) {
    throw new PackageError('not-found', `无法读取数据包文件“${zipPath}”：${(err as Error).message}`);
  }
}

export interface InspectedPackage {
  fileName: string;
  /** SHA-256 of the whole .zip. */
  sha256: string;
  manifest: PackageManifest;
  budget: Budget;
  budgetJson: string;
  /** The package's tables, in the format it was made in (`format`). */
  tables: ReportTable[];
  format: PublicationFormat;
}

function fiscalYearError(manifest: PackageManifest, year: number): PackageError {
  return new PackageError(
    'fiscal-year',
    `数据包是 ${manifest.fiscalYear} 年度的预算（${manifest.department.code} ${manifest.department.name}），本部门正在汇总的是 ${year} 年度，不能接收`,
  );
}

/**
 * The tables of a received budget in the format its package was made in; `audit`: those and 河南 2020's
 * besides, as the sender's 上报 checked them (submission/export.ts).
 */
function packageTables(budget: Budget, book: CodeBook, format: PublicationFormat): { tables: ReportTable[]; audit: ReportTable[]; reference: ReportTable[] | null } {
  const engine = new TableEngine(budget, book, format);
  return { tables: engine.tables(), audit: engine.auditTables(), reference: engine.referenceTables() };
}

function refuseHardFindings(budget: Budget, book: CodeBook, tables: ReturnType<typeof packageTables>): void {
  const hard = auditBudget(budget, book, tables.audit, { documentTables: tables.reference }).filter((f) => f.severity === 'hard');
  if (hard.length > 0) {
    throw new PackageError('budget', `数据包中的预算审核不通过（${hard.length} 个错误），正常导出的数据包不会出现这种情况，已拒绝：`, hard.map(describeFinding));
  }
}

/**
 * Reads and checks a package without any database: what a user sees before deciding to receive it.
 * `fiscalYear`, when given, must match. Code lists are the shipped defaults unless `bookFor` is given.
 */
export async function inspectPackage(
  zipPath: string,
  options: { fiscalYear?: number; bookFor?: (year: number) => CodeBook } = {},
): Promise<InspectedPackage> {
  const archive = await readArchiveFile(zipPath);
  const checked = await checkArchive(archive);
  if (options.fiscalYear !== undefined && checked.manifest.fiscalYear !== options.fiscalYear) {
    throw fiscalYearError(checked.manifest, options.fiscalYear);
  }
  const bookFor = options.bookFor ?? defaultCodeBook;
  const budget = checkBudget(checked, bookFor);
  const book = bookFor(budget.fiscalYear);
  // The package keeps its format: its tables are read and checked in the format it was made in.
  const format = packageFormat(checked.manifest);
  const computed = packageTables(budget, book, format);
  const tables = computed.tables;
  refuseHardFindings(budget, book, computed);
  const { refuseTablesDisagreeing, refuseTablesPdfDisagreeing } = await crossCheck();
  await refuseTablesDisagreeing(checked.entries, tables);
  refuseTablesPdfDisagreeing(checked.entries, TABLES_PDF_FILE, tables);
  return {
    fileName: basename(zipPath),
    sha256: createHash('sha256').update(archive).digest('hex'),
    manifest: checked.manifest,
    budget,
    budgetJson: decodeUtf8(checked.entries.get(BUDGET_FILE)!.bytes, BUDGET_FILE),
    tables,
    format,
  };
}

// ---------------------------------------------------------------------------------------------------
// Differences between the stored and the received budget of a unit

// One implementation of "what changed" (core/diff.ts), shared with the diff since the last 上报.
export { diffTables, type CellChange, type LineDiff as LineChange } from '../core/diff.js';

export interface PackageDiff extends BudgetDiff {
  /** The package it replaced; null for a unit received for the first time. */
  previous: { createdAt: string; receivedAt: string; appVersion: string } | null;
}

// ---------------------------------------------------------------------------------------------------
// Receiving into a department database

export interface ReceivedUnit {
  code: string;
  name: string;
  fiscalYear: number;
  createdAt: string;
  receivedAt: string;
  fileName: string;
  sha256: string;
  /** True when an earlier package of the same unit was replaced. */
  replaced: boolean;
}

export interface ReceiveOptions {
  zipPath: string;
  /** The department's budget file. */
  dbPath: string;
  now?: Date;
  /** Accept a package older than the one already received from the unit (normally refused). */
  allowOlder?: boolean;
}

/**
 * Refuses a package that could not be consolidated into the department: a unit code the department or another
 * received unit already uses, or units that differ from the ones its manifest declares.
 */
function refuseUnmergeable(store: BudgetStore, manifest: PackageManifest, budget: Budget): void {
  const code = manifest.department.code;
  // The other units as the department consolidates them (a package that no longer reads is left out there too).
  const others = receivedParts(store).parts.filter((p) => p.source !== code);
  const mine = { budget, source: code, label: `${code} ${manifest.department.name}`, declaredUnits: manifest.units.map((u) => u.code) };
  const refused = consolidate(store.loadBudget(), [...others, mine]).problems.filter((p) => p.severity === 'error' && p.source === code);
  if (refused.length > 0) {
    throw new PackageError('budget', '数据包不能汇总到本部门，未接收：', refused.map((p) => p.message));
  }
}

/**
 * A package the department itself exported cannot be received as one of its units. Code and name are both
 * compared: a unit's code may equal the department's (a 部门本级 unit often shares it).
 */
function refuseOwnPackage(department: Budget, manifest: PackageManifest): void {
  const own = department.department;
  if (own.code === manifest.department.code && own.name.trim() === manifest.department.name.trim()) {
    throw new PackageError(
      'budget',
      `数据包的上报单位“${manifest.department.code} ${manifest.department.name}”就是本部门自己，不能把本部门的数据包接收为下级单位，未接收`,
    );
  }
}

/** Clock skew between the unit's PC and this one is allowed up to a day; a later creation time is refused. */
export const CREATED_AT_SKEW_MS = 24 * 60 * 60 * 1000;

function refuseFutureCreatedAt(manifest: PackageManifest, now: Date): void {
  const created = Date.parse(manifest.createdAt);
  if (created - now.getTime() > CREATED_AT_SKEW_MS) {
    throw new PackageError(
      'manifest',
      `数据包清单中的生成时间 ${manifest.createdAt} 晚于本机当前时间 ${now.toISOString()} 超过一天，生成时间不可信（请核对生成数据包的电脑的日期），未接收`,
    );
  }
}

function storeError(err: unknown): never {
  if (err instanceof PackageError) throw err;
  if (err instanceof StoreError) throw new PackageError('database', `无法使用部门数据库：${err.message}`);
  throw err;
}

/**
 * Receives a unit's package into the department database `dbPath`: every check of inspectPackage, plus the
 * fiscal year of the department's budget. A unit received before is replaced, and the differences returned.
 * Any refusal leaves the database as it was.
 */
export async function receivePackage(options: ReceiveOptions): Promise<{ unit: ReceivedUnit; diff: PackageDiff }> {
  const archive = await readArchiveFile(options.zipPath);
  const checked = await checkArchive(archive);
  const manifest = checked.manifest;
  const code = manifest.department.code;
  const now = options.now ?? new Date();
  // The format the package was made in: its tables are checked, and its differences named, in it.
  const format = packageFormat(manifest);

  let store: BudgetStore;
  try {
    // A file of an older app is upgraded only together with what is received, so a refusal leaves it as it was.
    store = BudgetStore.open(options.dbPath, { upgrade: false });
  } catch (err) {
    storeError(err);
  }
  try {
    // The tables in the package must be those of its budget.json (read back from the .xlsx, and tables.pdf's
    // pages and titles). Reading them is asynchronous, so it runs before the transaction; anything else wrong
    // is reported by the checks below.
    let tables: ReportTable[] | null = null;
    try {
      // A file of an older app, a locked file or another year: the transaction below says so.
      if (store.hasBudget() && !store.isLocked() && store.fiscalYear() === manifest.fiscalYear) {
        const budget = checkBudget(checked, (y) => store.codeBook(y));
        tables = computeTables(budget, store.codeBook(budget.fiscalYear), format);
      }
    } catch {
      tables = null;
    }
    {
      const { refuseTablesDisagreeing, refuseTablesPdfDisagreeing } = await crossCheck();
      if (tables) await refuseTablesDisagreeing(checked.entries, tables);
      refuseTablesPdfDisagreeing(checked.entries, TABLES_PDF_FILE, tables);
    }
    // The department's file as it was before this package stays in a backup.
    if (store.hasBudget()) {
      try {
        store.backup('receive');
      } catch (err) {
        throw new PackageError('database', err instanceof Error ? err.message : String(err));
      }
    }
    return store.upgradeWith(() => {
      if (!store.hasBudget()) {
        throw new PackageError('database', '部门数据库中还没有本部门的预算（预算年度未定），请先建立本部门预算再接收数据包');
      }
      if (store.isLocked()) {
        throw new PackageError('database', '本部门预算已上报并锁定，不能再接收下级单位的数据包；如需接收，请先解锁（解锁会被记录）');
      }
      const year = store.fiscalYear();
      if (manifest.fiscalYear !== year) throw fiscalYearError(manifest, year);
      refuseOwnPackage(store.loadBudget(), manifest);
      refuseFutureCreatedAt(manifest, now);
      const budget = checkBudget(checked, (y) => store.codeBook(y));
      const book = store.codeBook(year);
      const computed = packageTables(budget, book, format);
      const tables = computed.tables;
      refuseHardFindings(budget, book, computed);
      refuseUnmergeable(store, manifest, budget);

      const previous = store.receivedPackages().find((p) => p.unitCode === code);
      if (previous && !options.allowOlder && Date.parse(previous.createdAt) > Date.parse(manifest.createdAt)) {
        throw new PackageError(
          'database',
          `已接收过 ${code} ${manifest.department.name} 在 ${previous.createdAt} 生成的数据包，此数据包生成于 ${manifest.createdAt}，比已接收的旧，未接收（确需替换请选择“接收较旧的数据包”）`,
        );
      }
      let previousBudget: Budget | null = null;
      let previousTables: ReportTable[] = [];
      let previousInfo: PackageDiff['previous'] = null;
      if (previous) {
        const old = parseExchange(previous.budgetJson, () => book);
        if (old.ok) {
          previousBudget = old.budget;
          // In the format of the package received now, so each table is compared with its own.
          previousTables = computeTables(old.budget, book, format);
        }
        let appVersion = '';
        try {
          appVersion = String((JSON.parse(previous.manifestJson) as { app?: { version?: string } }).app?.version ?? '');
        } catch {
          appVersion = '';
        }
        previousInfo = { createdAt: previous.createdAt, receivedAt: previous.receivedAt, appVersion };
      }
      const diff: PackageDiff = {
        previous: previousInfo,
        ...diffBudgets(previousBudget, budget, book, { tablesBefore: previousTables, tablesAfter: tables }),
      };
      const unit: ReceivedUnit = {
        code,
        name: manifest.department.name,
        fiscalYear: manifest.fiscalYear,
        createdAt: manifest.createdAt,
        receivedAt: now.toISOString(),
        fileName: basename(options.zipPath),
        sha256: createHash('sha256').update(archive).digest('hex'),
        replaced: previous !== undefined,
      };
      const received = {
        unitCode: code,
        unitName: unit.name,
        fiscalYear: unit.fiscalYear,
        fileName: unit.fileName,
        sha256: unit.sha256,
        createdAt: unit.createdAt,
        receivedAt: unit.receivedAt,
        manifestJson: decodeUtf8(checked.entries.get(MANIFEST_FILE)!.bytes, MANIFEST_FILE),
        budgetJson: decodeUtf8(checked.entries.get(BUDGET_FILE)!.bytes, BUDGET_FILE),
      };
      try {
        store.saveReceivedPackage(received);
      } catch (err) {
        throw new PackageError('database', `保存接收的数据包时出错，部门数据库未改动：${err instanceof Error ? err.message : String(err)}`);
      }
      return { unit, diff };
    });
  } catch (err) {
    storeError(err);
  } finally {
    store.close();
  }
}

export interface ReceivedPackageInfo extends Omit<ReceivedUnit, 'replaced'> {
  manifest: PackageManifest;
}

/** The packages received into a department database, by unit code. */
export function listReceivedPackages(dbPath: string): ReceivedPackageInfo[] {
  return withStoreAt(dbPath, (store) =>
    store.receivedPackages().map((p) => ({
      code: p.unitCode,
      name: p.unitName,
      fiscalYear: p.fiscalYear,
      createdAt: p.createdAt,
      receivedAt: p.receivedAt,
      fileName: p.fileName,
      sha256: p.sha256,
      manifest: JSON.parse(p.manifestJson) as PackageManifest,
    })),
  );
}

/** The budget received from one unit, as stored (exchange format text); null when none. */
export function receivedBudgetJson(dbPath: string, unitCode: string): string | null {
  return withStoreAt(dbPath, (store) => store.receivedPackages().find((p) => p.unitCode === unitCode)?.budgetJson ?? null);
}

function withStoreAt<T>(dbPath: string, read: (store: BudgetStore) => T): T {
  const store = BudgetStore.open(dbPath);
  try {
    return read(store);
  } finally {
    store.close();
  }
}
