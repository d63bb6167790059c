// The finance bureau's parameter package (budget-params/1) as bytes: read and verified like a received 上报
// package (the same hostile-archive checks of zip-read.ts, every listed file's size and SHA-256, nothing
// unlisted), then every file read completely; and written (`params export`) from a department's settings.
// Nothing here touches a budget file: db/params.ts compares a checked package with the file and applies it.
import { createHash } from 'node:crypto';
import type { CodeListKind } from '../core/codelists.js';
import { localIsoTimestamp } from '../core/manifest.js';
import {
  CODE_LIST_FILES,
  PARAMS_FILE,
  PARAMS_FORMAT,
  PARAMS_LIMITS,
  PARAMS_MANIFEST_FILE,
  codeListCsv,
  formatFileName,
  formatIdOfFile,
  isParamsContentFile,
  parsePackageCodeList,
  parseParamsDocument,
  parseParamsManifest,
  serializeParams,
  serializeParamsManifest,
  type ItemBudget,
  type PackageCodeList,
  type ParamsDocument,
  type ParamsManifest,
  type ReadParams,
} from '../core/params/package.js';
import { formatProblem } from '../core/problems.js';
import { parsePublicationFormat, type PublicationFormat } from '../core/tables/format.js';
import type { CodeEntry } from '../core/codelists.js';
import { parseJson } from '../core/json-lines.js';
import { PackageError } from './errors.js';
import { verifyListedFiles } from './receive.js';
import { readZipEntries, type ZipEntryData } from './zip-read.js';
import { buildZip } from './zip-write.js';

export interface CheckedParamsPackage {
  manifest: ParamsManifest;
  params: ReadParams;
  codeLists: PackageCodeList[];
  formats: PublicationFormat[];
  /** SHA-256 of the whole .zip. */
  sha256: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(entry: ZipEntryData): string {
  try {
    return utf8.decode(entry.bytes);
  } catch {
    throw new PackageError(entry.name === PARAMS_MANIFEST_FILE ? 'manifest' : 'budget', `参数包中的 ${entry.name} 不是有效的 UTF-8 文本`);
  }
}

/** Verifies a parameter package and reads every file of it. Throws PackageError (Chinese) on the first fault. */
export async function readParamsPackage(archive: Buffer): Promise<CheckedParamsPackage> {
  if (archive.length > PARAMS_LIMITS.maxArchiveBytes) {
    throw new PackageError('too-large', `参数包文件过大（${archive.length} 字节，上限 ${PARAMS_LIMITS.maxArchiveBytes} 字节）`);
  }
  const list = await readZipEntries(archive, PARAMS_LIMITS);
  const entries = new Map(list.map((e) => [e.name, e]));
  const manifestEntry = entries.get(PARAMS_MANIFEST_FILE);
  if (!manifestEntry) throw new PackageError('entries', `文件中缺少清单 ${PARAMS_MANIFEST_FILE}，不是年度参数包`);
  if (manifestEntry.bytes.length > PARAMS_LIMITS.maxManifestBytes) {
    throw new PackageError('too-large', `清单文件 ${PARAMS_MANIFEST_FILE} 过大（${manifestEntry.bytes.length} 字节），已拒绝`);
  }
  const parsedManifest = parseParamsManifest(text(manifestEntry));
  if (!parsedManifest.ok) {
    const format = parsedManifest.problems.find((p) => p.path === '$.format');
    if (format && parsedManifest.problems.length === 1) throw new PackageError('format', format.message);
    throw new PackageError('manifest', '参数包清单 manifest.json 无效：', parsedManifest.problems.map(formatProblem));
  }
  const manifest = parsedManifest.value;
  const names = new Set<string>();
  for (const f of manifest.files) {
    if (names.has(f.name)) throw new PackageError('manifest', `参数包清单中文件“${f.name}”出现了两次`);
    names.add(f.name);
    if (!isParamsContentFile(f.name)) throw new PackageError('manifest', `参数包清单中有本格式不包含的文件：${f.name}`);
  }
  if (!names.has(PARAMS_FILE)) throw new PackageError('manifest', `参数包清单中缺少必需的文件：${PARAMS_FILE}`);
  verifyListedFiles(entries, manifest.files, PARAMS_MANIFEST_FILE, '参数包');

  const params = parseParamsDocument(text(entries.get(PARAMS_FILE)!));
  if (!params.ok) throw new PackageError('budget', `参数包中的 ${PARAMS_FILE} 有 ${params.problems.length} 处问题：`, params.problems.slice(0, 50).map(formatProblem));
  const codeLists: PackageCodeList[] = [];
  for (const { kind, file } of CODE_LIST_FILES) {
    const entry = entries.get(file);
    if (!entry) continue;
    const parsed = parsePackageCodeList(text(entry), kind);
    if (!parsed.ok) {
      throw new PackageError(
        'budget',
        `参数包中的科目表 ${file} 有 ${parsed.problems.length} 处问题：`,
        parsed.problems.slice(0, 50).map((p) => `第 ${p.line} 行${p.field ? `（${p.field}）` : ''}：${p.message}`),
      );
    }
    codeLists.push(parsed.list);
  }
  const formats: PublicationFormat[] = [];
  for (const f of manifest.files) {
    const id = formatIdOfFile(f.name);
    if (id === null) continue;
    const json = parseJson(text(entries.get(f.name)!));
    const parsed = json.ok ? parsePublicationFormat(json.value) : { ok: false as const, problems: [{ path: '$', message: json.message }] };
    if (!parsed.ok) throw new PackageError('budget', `参数包中的公开表格式 ${f.name} 有 ${parsed.problems.length} 处问题：`, parsed.problems.slice(0, 50).map(formatProblem));
    if (parsed.format.id !== id) throw new PackageError('budget', `参数包中的公开表格式 ${f.name} 的编号是“${parsed.format.id}”，与文件名不符`);
    formats.push(parsed.format);
  }
  return { manifest, params: params.value, codeLists, formats, sha256: createHash('sha256').update(archive).digest('hex') };
}

export interface ParamsPackageInput {
  fiscalYear: number;
  authority: { code: string; name: string };
  note?: string;
  params: ParamsDocument;
  codeLists: { kind: CodeListKind; entries: readonly CodeEntry[]; budgets?: ReadonlyMap<string, ItemBudget> }[];
  formats: readonly PublicationFormat[];
  app: { name: string; version: string };
  now: Date;
}

/** `2021_参数包_济源市财政局.zip`. */
export function paramsFileName(fiscalYear: number, authority: string): string {
  const safe = authority.normalize('NFC').replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, '_').trim().replace(/[. ]+$/u, '').slice(0, 60) || '_';
  return `${fiscalYear}_年度参数包_${safe}.zip`;
}

/** Builds the zip of a parameter package: manifest first, then params.json, the code lists and the formats. */
export async function buildParamsPackage(input: ParamsPackageInput): Promise<{ bytes: Buffer; manifest: ParamsManifest }> {
  const files: { name: string; bytes: Buffer }[] = [{ name: PARAMS_FILE, bytes: Buffer.from(serializeParams(input.params), 'utf8') }];
  for (const { kind, file } of CODE_LIST_FILES) {
    const list = input.codeLists.find((l) => l.kind === kind);
    if (list) files.push({ name: file, bytes: Buffer.from(codeListCsv(list.entries, kind, list.budgets ?? new Map()), 'utf8') });
  }
  for (const f of input.formats) files.push({ name: formatFileName(f.id), bytes: Buffer.from(JSON.stringify(f, null, 2) + '\n', 'utf8') });
  const manifest: ParamsManifest = {
    format: PARAMS_FORMAT,
    app: input.app,
    fiscalYear: input.fiscalYear,
    authority: input.authority,
    issuedAt: localIsoTimestamp(input.now),
    ...(input.note ? { note: input.note } : {}),
    files: files.map((f) => ({ name: f.name, size: f.bytes.length, sha256: createHash('sha256').update(f.bytes).digest('hex') })),
  };
  const bytes = await buildZip(
    [{ name: PARAMS_MANIFEST_FILE, bytes: Buffer.from(serializeParamsManifest(manifest), 'utf8'), compress: true }, ...files.map((f) => ({ ...f, compress: true }))],
    input.now,
  );
  return { bytes, manifest };
}
