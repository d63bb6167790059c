// The submission package (上报数据包): what a unit carries to its supervising department on a USB stick.
//
// This module is the pure half: the manifest model and its reader, the FAT32-safe package file name, the
// rules an entry name of a received archive must pass, and which soft 审核 findings still lack a 说明.
// Zip bytes, files and the database live in submission/ (Node side).
import type { Finding, FindingPlace, Severity } from './audit/types.js';
import type { CodeBook } from './codelists.js';
import type { Budget, UnitKind } from './model.js';
import { UNIT_KINDS } from './model.js';
import { isAmountUnit, toExactString, type AmountUnit, type Fen } from './money.js';
import { headlineFigures } from './totals.js';
import { parseJson } from './json-lines.js';
import { MAX_FISCAL_YEAR, MIN_FISCAL_YEAR } from './budget-fields.js';
import type { Problem } from './problems.js';
import { readManifestPublicationFormat, type ManifestPublicationFormat } from './package-format.js';

export const PACKAGE_FORMAT_NAME = 'budget-package';
export const PACKAGE_FORMAT_VERSION = 1;
export const PACKAGE_FORMAT = `${PACKAGE_FORMAT_NAME}/${PACKAGE_FORMAT_VERSION}`;

export const MANIFEST_FILE = 'manifest.json';
export const BUDGET_FILE = 'budget.json';
export const TABLES_PDF_FILE = 'tables.pdf';
export const TABLE_FILE_IDS = ['T01', 'T02', 'T03', 'T04', 'T05', 'T06', 'T07', 'T08', 'T09', 'T10', 'T11'] as const;
/**
 * A table's file in the package, named by its id and printed title: `T03_部门支出总体情况表.xlsx`. Packages
 * written before this version named it `T03.xlsx`; both are received.
 */
export function tableFileName(id: string, title?: string): string {
  const named = title ? `${id}_${title}.xlsx` : '';
  return named && isFat32SafeName(named) ? named : `${id}.xlsx`;
}
/**
 * The table a package file holds, by its name (`T03.xlsx` or `T03_<title>.xlsx`); null for any other file.
 * `ids`: the tables of the package's format (packageTableIds), 河南 2020's eleven by default.
 */
export function tableIdOfFile(name: string, ids: readonly string[] = TABLE_FILE_IDS): string | null {
  const m = /^([A-Z][A-Z0-9]{0,3})(?:_[^/\\]+)?\.xlsx$/.exec(name);
  return m && ids.includes(m[1]!) ? m[1]! : null;
}
/** The whole disclosure document (预算说明 and tables), as Word and as PDF. */
export const DOCUMENT_DOCX_FILE = 'document.docx';
export const DOCUMENT_PDF_FILE = 'document.pdf';
/** Every file a package of this format holds besides the manifest and the table files (one per TABLE_FILE_IDS). */
export const PACKAGE_CONTENT_FILES: readonly string[] = [BUDGET_FILE, TABLES_PDF_FILE, DOCUMENT_DOCX_FILE, DOCUMENT_PDF_FILE];
/** Files of PACKAGE_CONTENT_FILES a package may lack: packages written before the document was part of them. */
export const PACKAGE_OPTIONAL_FILES: readonly string[] = [DOCUMENT_DOCX_FILE, DOCUMENT_PDF_FILE];

/**
 * What a received archive may expand to. A real package is a few MB (budget.json grows with the lines, the PDF
 * with the projects); the caps sit far above that and far below what would fill a disk or memory.
 */
export const PACKAGE_LIMITS = {
  /** The .zip file itself. */
  maxArchiveBytes: 256 * 1024 * 1024,
  maxEntries: 64,
  /** One expanded entry. */
  maxEntryBytes: 128 * 1024 * 1024,
  /** All expanded entries together. */
  maxTotalBytes: 256 * 1024 * 1024,
  maxManifestBytes: 4 * 1024 * 1024,
  /** Longest entry name, in bytes. */
  maxNameBytes: 255,
} as const;

export interface ManifestFile {
  name: string;
  /** Bytes. */
  size: number;
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
}

/** Budget totals as exact decimal strings in `unit` (the budget's amount unit). */
export interface ManifestTotals {
  unit: AmountUnit;
  /** 支出总计: every expenditure line. */
  expenditure: string;
  /** 收入总计: the income budget, or expenditure when the budget has no income lines. */
  income: string;
  basic: string;
  project: string;
  /** 一般公共预算 lines. */
  generalPublicBudget: string;
  /** "三公"经费 (30212, 30217, 30231, 31013). */
  threePublic: string;
  lines: number;
  projects: number;
}

export interface ManifestFinding {
  rule: string;
  severity: Severity;
  place: FindingPlace;
  message: string;
  /** The user's 说明; present on every soft finding of an exported package. */
  note?: string;
}

export interface PackageManifest {
  format: string;
  app: { name: string; version: string };
  fiscalYear: number;
  amountUnit: AmountUnit;
  department: { code: string; name: string };
  units: { code: string; name: string; kind: UnitKind }[];
  /** ISO 8601 with the local offset, e.g. "2026-11-30T14:05:00+08:00". */
  createdAt: string;
  files: ManifestFile[];
  totals: ManifestTotals;
  audit: { hard: number; soft: number; findings: ManifestFinding[] };
  /**
   * The publication format the package's tables are in (core/package-format.ts). Absent in packages of
   * earlier versions, whose tables are 河南 2020's.
   */
  publicationFormat?: ManifestPublicationFormat;
}

// ---------------------------------------------------------------------------------------------------
// Totals

/** The budget's totals: the engine's cells (core/totals.ts: T01's 支出合计 … T08's 共计), not sums made here. */
export function budgetTotals(budget: Budget, book: CodeBook): ManifestTotals {
  const figures = headlineFigures(budget, book);
  const money = (fen: Fen) => toExactString(fen, budget.amountUnit);
  return {
    unit: budget.amountUnit,
    expenditure: money(figures.expenditure),
    income: money(figures.income),
    basic: money(figures.basic),
    project: money(figures.project),
    generalPublicBudget: money(figures.generalPublicBudget),
    threePublic: money(figures.threePublic),
    lines: budget.lines.length,
    projects: budget.projects.length,
  };
}

/** Field-by-field differences between two totals records, in Chinese; empty when equal. */
export function totalsDifferences(declared: ManifestTotals, actual: ManifestTotals): string[] {
  const labels: Record<keyof ManifestTotals, string> = {
    unit: '金额单位',
    expenditure: '支出总计',
    income: '收入总计',
    basic: '基本支出',
    project: '项目支出',
    generalPublicBudget: '一般公共预算',
    threePublic: '“三公”经费',
    lines: '预算行数',
    projects: '项目数',
  };
  const out: string[] = [];
  for (const key of Object.keys(labels) as (keyof ManifestTotals)[]) {
    if (String(declared[key]) !== String(actual[key])) {
      out.push(`${labels[key]}：清单为 ${String(declared[key])}，数据为 ${String(actual[key])}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Findings and their 说明

/** A stable text key of a finding's place: the set fields in a fixed order ("project=P05;field=totalAmount"). */
export function placeKey(place: FindingPlace): string {
  const order: (keyof FindingPlace)[] = ['table', 'row', 'line', 'project', 'field', 'indicator'];
  return order
    .filter((k) => place[k] !== undefined && place[k] !== null)
    .map((k) => `${k}=${String(place[k])}`)
    .join(';');
}

/** The key a 说明 is filed under: rule and place, e.g. "project.total-below-year@project=P05;field=totalAmount". */
export function findingKey(finding: { rule: string; place: FindingPlace }): string {
  return `${finding.rule}@${placeKey(finding.place)}`;
}

/** A user's 说明 for one soft finding. */
export interface FindingNote {
  rule: string;
  place: FindingPlace;
  note: string;
}

export interface NotesCheck {
  hard: Finding[];
  /** Soft findings with no (or a blank) 说明. */
  missing: Finding[];
  /** Every finding with its 说明 attached, as the manifest records it. */
  findings: ManifestFinding[];
}

/** Pairs each soft finding with its 说明. Notes for findings that no longer exist are dropped. */
export function attachNotes(findings: readonly Finding[], notes: readonly FindingNote[]): NotesCheck {
  const byKey = new Map<string, string>();
  for (const n of notes) {
    const text = n.note.trim();
    if (text !== '') byKey.set(findingKey(n), text);
  }
  const hard: Finding[] = [];
  const missing: Finding[] = [];
  const out: ManifestFinding[] = [];
  for (const f of findings) {
    const entry: ManifestFinding = { rule: f.rule, severity: f.severity, place: { ...f.place }, message: f.message };
    if (f.severity === 'hard') hard.push(f);
    else {
      const note = byKey.get(findingKey(f));
      if (note === undefined) missing.push(f);
      else entry.note = note;
    }
    out.push(entry);
  }
  return { hard, missing, findings: out };
}

/** One line naming a finding for an error list, ending with its key (what a notes file is keyed by). */
export function describeFinding(f: { rule: string; place: FindingPlace; message: string }): string {
  return `${f.message}（编号 ${findingKey(f)}）`;
}

// ---------------------------------------------------------------------------------------------------
// The package file name

/** Characters FAT32 and Windows refuse in a file name, and control characters. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_NAME = /[\\/:*?"<>|\u0000-\u001f\u007f]/g;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;
/**
 * Direction marks, embeddings, overrides and isolates: a right-to-left override in a name would show
 * `报告\u202Efdp.exe` as “报告exe.pdf”. Removed from every name used in a file name.
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
export const MAX_FILE_NAME_BYTES = 200;

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** Cuts `s` to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(s: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const n = utf8Length(ch);
    if (bytes + n > maxBytes) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/** One component of a file name, made safe on FAT32/NTFS: forbidden characters become "_", no trailing dot or space. */
export function safeNameComponent(text: string): string {
  let s = text.normalize('NFC').replace(BIDI_CONTROLS, '').replace(FORBIDDEN_IN_NAME, '_').trim();
  s = s.replace(/[. ]+$/u, '');
  if (WINDOWS_RESERVED.test(s)) s = `_${s}`;
  return s;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Local date-time as printed in a package name: 20261130-1405. */
export function packageTimestamp(at: Date): string {
  return `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}`;
}

/** ISO 8601 in local time with its offset (what the user's clock said), e.g. 2026-11-30T14:05:09+08:00. */
export function localIsoTimestamp(at: Date): string {
  const offset = -at.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}` +
    `T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/**
 * `2020_074_济源市行政服务中心_20261130-1405.zip`: fiscal year, unit code and name, local date-time. Safe on
 * FAT32 (no \ / : * ? " < > |, no trailing dot or space) and at most 200 bytes of UTF-8; a long name is cut.
 * `suffix` (e.g. "_2") tells apart two packages made in the same minute.
 */
export function packageFileName(input: { fiscalYear: number; code: string; name: string; at: Date; suffix?: string }): string {
  const head = `${input.fiscalYear}_${safeNameComponent(input.code) || '_'}_`;
  const tail = `_${packageTimestamp(input.at)}${input.suffix ?? ''}.zip`;
  const room = MAX_FILE_NAME_BYTES - utf8Length(head) - utf8Length(tail);
  const name = safeNameComponent(truncateUtf8(safeNameComponent(input.name), Math.max(room, 0))) || '_';
  return head + name + tail;
}

/** Whether a name is one this module would produce as a file name component (used by tests and the receiver). */
export function isFat32SafeName(name: string): boolean {
  return (
    name.length > 0 &&
    !/[\\/:*?"<>|\u0000-\u001f\u007f]/.test(name) &&
    !new RegExp(BIDI_CONTROLS.source).test(name) &&
    !/[. ]$/.test(name) &&
    utf8Length(name) <= MAX_FILE_NAME_BYTES
  );
}

// ---------------------------------------------------------------------------------------------------
// Entry names of a received archive

export type EntryNameCheck = { ok: true; name: string } | { ok: false; message: string };

/**
 * Checks one raw entry name of a received archive. A package is flat, so a name is a single plain file name;
 * anything that could point outside the destination (zip-slip) is named as such in the refusal.
 * `utf8Flag` is bit 11 of the entry's general purpose flags: without it, only ASCII names are accepted,
 * because the bytes could be in any legacy code page.
 */
export function checkEntryName(raw: Uint8Array, utf8Flag: boolean): EntryNameCheck {
  if (raw.length === 0) return { ok: false, message: '数据包中有文件名为空的条目' };
  if (raw.length > PACKAGE_LIMITS.maxNameBytes) return { ok: false, message: `数据包中有文件名过长的条目（${raw.length} 字节）` };
  const ascii = raw.every((b) => b < 0x80);
  let name: string;
  if (ascii) name = String.fromCharCode(...raw);
  else {
    if (!utf8Flag) return { ok: false, message: '数据包中有文件名不是 UTF-8 编码的条目（可能由其他压缩软件生成），已拒绝' };
    try {
      name = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      return { ok: false, message: '数据包中有文件名不是有效 UTF-8 编码的条目，已拒绝' };
    }
  }
  const shown = JSON.stringify(name);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return { ok: false, message: `数据包中的条目名 ${shown} 含有控制字符，已拒绝` };
  if (name.includes('\\')) return { ok: false, message: `数据包中的条目名 ${shown} 含有反斜杠，可能指向数据包以外的位置，已拒绝` };
  if (name.startsWith('/')) return { ok: false, message: `数据包中的条目名 ${shown} 是绝对路径，可能指向数据包以外的位置，已拒绝` };
  if (/^[A-Za-z]:/.test(name)) return { ok: false, message: `数据包中的条目名 ${shown} 带有盘符，可能指向数据包以外的位置，已拒绝` };
  const parts = name.split('/');
  if (parts.some((p) => p === '..')) return { ok: false, message: `数据包中的条目名 ${shown} 含有“..”，指向数据包以外的位置，已拒绝` };
  if (name.endsWith('/')) return { ok: false, message: `数据包中有目录条目 ${shown}，上报数据包不应包含目录` };
  if (parts.length > 1) return { ok: false, message: `数据包中的条目 ${shown} 位于子目录中，上报数据包的文件都应在根目录` };
  if (name === '.' || /[. ]$/.test(name) || /[:*?"<>|]/.test(name)) {
    return { ok: false, message: `数据包中的条目名 ${shown} 不是有效的文件名，已拒绝` };
  }
  return { ok: true, name };
}

// ---------------------------------------------------------------------------------------------------
// Reading a manifest

export type FormatCheck = { ok: true } | { ok: false; reason: 'newer' | 'unknown'; message: string };

export function checkPackageFormat(format: unknown): FormatCheck {
  if (format === PACKAGE_FORMAT) return { ok: true };
  const m = typeof format === 'string' ? /^budget-package\/(\d{1,6})$/.exec(format) : null;
  if (m && Number(m[1]) > PACKAGE_FORMAT_VERSION) {
    return {
      ok: false,
      reason: 'newer',
      message: `数据包格式为“${format}”，由更新版本的程序生成；当前程序只能读取“${PACKAGE_FORMAT}”，请升级程序后再接收`,
    };
  }
  return {
    ok: false,
    reason: 'unknown',
    message: `数据包格式“${typeof format === 'string' ? format : JSON.stringify(format)}”无法识别，应为“${PACKAGE_FORMAT}”`,
  };
}

export type ParseManifestResult = { ok: true; manifest: PackageManifest } | { ok: false; problems: Problem[] };

const SHA256_HEX = /^[0-9a-f]{64}$/;
const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;
const SEVERITIES: readonly Severity[] = ['hard', 'soft'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads manifest.json. The format is checked first: a newer or unknown format is refused with that reason
 * alone, since its other fields may mean something else. Then every field is checked and every problem reported.
 */
export function parseManifest(text: string): ParseManifestResult {
  const json = parseJson(text);
  if (!json.ok) return { ok: false, problems: [{ path: '$', message: `清单 manifest.json ${json.message}` }] };
  const doc = json.value;
  if (!isObject(doc)) return { ok: false, problems: [{ path: '$', message: '清单 manifest.json 应为 JSON 对象' }] };
  const format = checkPackageFormat(doc.format);
  if (!format.ok) return { ok: false, problems: [{ path: '$.format', message: format.message }] };

  const problems: Problem[] = [];
  const bad = (path: string, message: string) => problems.push({ path, message });
  const str = (v: unknown, path: string, what: string): string => {
    if (typeof v !== 'string' || v === '') {
      bad(path, `${what}应为非空文本`);
      return '';
    }
    return v;
  };
  const int = (v: unknown, path: string, what: string, min: number, max: number): number => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
      bad(path, `${what}应为 ${min} 到 ${max} 之间的整数`);
      return 0;
    }
    return v;
  };

  const app = isObject(doc.app) ? doc.app : (bad('$.app', '缺少程序信息 app'), {});
  const appName = str((app as Record<string, Json>).name, '$.app.name', '程序名称');
  const appVersion = str((app as Record<string, Json>).version, '$.app.version', '程序版本');
  const fiscalYear = int(doc.fiscalYear, '$.fiscalYear', '预算年度', MIN_FISCAL_YEAR, MAX_FISCAL_YEAR);
  let amountUnit: AmountUnit = '万元';
  if (!isAmountUnit(doc.amountUnit)) bad('$.amountUnit', '金额单位应为“万元”或“元”');
  else amountUnit = doc.amountUnit;

  const dep = isObject(doc.department) ? doc.department : (bad('$.department', '缺少部门信息 department'), {});
  const department = {
    code: str((dep as Record<string, Json>).code, '$.department.code', '部门编码'),
    name: str((dep as Record<string, Json>).name, '$.department.name', '部门名称'),
  };

  const units: PackageManifest['units'] = [];
  if (!Array.isArray(doc.units)) bad('$.units', '单位列表 units 应为数组');
  else
    doc.units.forEach((u, i) => {
      if (!isObject(u)) return bad(`$.units[${i}]`, '单位应为对象');
      const kind = u.kind;
      if (typeof kind !== 'string' || !(UNIT_KINDS as readonly string[]).includes(kind)) bad(`$.units[${i}].kind`, '单位类型无效');
      units.push({
        code: str(u.code, `$.units[${i}].code`, '单位编码'),
        name: str(u.name, `$.units[${i}].name`, '单位名称'),
        kind: kind as UnitKind,
      });
    });

  const createdAt = str(doc.createdAt, '$.createdAt', '生成时间');
  if (createdAt && Number.isNaN(Date.parse(createdAt))) bad('$.createdAt', `生成时间“${createdAt}”不是有效的日期时间`);

  const files: ManifestFile[] = [];
  if (!Array.isArray(doc.files)) bad('$.files', '文件清单 files 应为数组');
  else
    doc.files.forEach((f, i) => {
      if (!isObject(f)) return bad(`$.files[${i}]`, '文件清单的条目应为对象');
      const name = str(f.name, `$.files[${i}].name`, '文件名');
      const size = int(f.size, `$.files[${i}].size`, '文件大小', 0, PACKAGE_LIMITS.maxEntryBytes);
      const sha256 = typeof f.sha256 === 'string' && SHA256_HEX.test(f.sha256) ? f.sha256 : '';
      if (!sha256) bad(`$.files[${i}].sha256`, '校验值 sha256 应为 64 位小写十六进制');
      files.push({ name, size, sha256 });
    });

  let totals: ManifestTotals | null = null;
  if (!isObject(doc.totals)) bad('$.totals', '缺少合计数 totals');
  else {
    const t = doc.totals;
    const dec = (key: string) => {
      const v = t[key];
      if (typeof v !== 'string' || !DECIMAL.test(v)) {
        bad(`$.totals.${key}`, '合计数应为十进制数字文本');
        return '0';
      }
      return v;
    };
    if (!isAmountUnit(t.unit)) bad('$.totals.unit', '合计数的金额单位应为“万元”或“元”');
    totals = {
      unit: isAmountUnit(t.unit) ? t.unit : amountUnit,
      expenditure: dec('expenditure'),
      income: dec('income'),
      basic: dec('basic'),
      project: dec('project'),
      generalPublicBudget: dec('generalPublicBudget'),
      threePublic: dec('threePublic'),
      lines: int(t.lines, '$.totals.lines', '预算行数', 0, Number.MAX_SAFE_INTEGER),
      projects: int(t.projects, '$.totals.projects', '项目数', 0, Number.MAX_SAFE_INTEGER),
    };
  }

  let audit: PackageManifest['audit'] = { hard: 0, soft: 0, findings: [] };
  if (!isObject(doc.audit)) bad('$.audit', '缺少审核结果 audit');
  else {
    const a = doc.audit;
    const findings: ManifestFinding[] = [];
    if (!Array.isArray(a.findings)) bad('$.audit.findings', '审核结果 findings 应为数组');
    else
      a.findings.forEach((f, i) => {
        const p = `$.audit.findings[${i}]`;
        if (!isObject(f)) return bad(p, '审核结果的条目应为对象');
        const severity = f.severity as Severity;
        if (!SEVERITIES.includes(severity)) bad(`${p}.severity`, '审核结果的级别应为 hard 或 soft');
        const place: FindingPlace = {};
        if (f.place !== undefined && !isObject(f.place)) bad(`${p}.place`, '审核结果的位置应为对象');
        else if (isObject(f.place)) {
          for (const [k, v] of Object.entries(f.place)) {
            if (k === 'line' || k === 'indicator') {
              if (typeof v === 'number' && Number.isSafeInteger(v)) place[k] = v;
              else bad(`${p}.place.${k}`, '位置编号应为整数');
            } else if (k === 'table' || k === 'row' || k === 'project' || k === 'field') {
              if (typeof v === 'string') place[k] = v;
              else bad(`${p}.place.${k}`, '位置应为文本');
            }
          }
        }
        const entry: ManifestFinding = {
          rule: str(f.rule, `${p}.rule`, '审核规则'),
          severity,
          place,
          message: typeof f.message === 'string' ? f.message : (bad(`${p}.message`, '审核说明应为文本'), ''),
        };
        if (f.note !== undefined) {
          if (typeof f.note === 'string') entry.note = f.note;
          else bad(`${p}.note`, '情况说明应为文本');
        }
        findings.push(entry);
      });
    audit = {
      hard: int(a.hard, '$.audit.hard', '审核错误数', 0, Number.MAX_SAFE_INTEGER),
      soft: int(a.soft, '$.audit.soft', '审核提示数', 0, Number.MAX_SAFE_INTEGER),
      findings,
    };
  }

  const publicationFormat = readManifestPublicationFormat(doc.publicationFormat, bad);

  if (problems.length > 0 || totals === null) return { ok: false, problems };
  return {
    ok: true,
    manifest: {
      format: PACKAGE_FORMAT,
      app: { name: appName, version: appVersion },
      fiscalYear,
      amountUnit,
      department,
      units,
      createdAt,
      files,
      totals,
      audit,
      ...(publicationFormat ? { publicationFormat } : {}),
    },
  };
}

/** The manifest as written into a package: two-space JSON, keys in the model's order, final newline. */
export function serializeManifest(manifest: PackageManifest): string {
  return JSON.stringify(manifest, null, 2) + '\n';
}
