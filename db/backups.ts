// Rotating backups of a budget file, in a folder "<file name>.备份" beside it. A copy is made before every
// import, receive and unlock, and once a day while the file is open; the newest BACKUPS_KEPT are kept. Each
// copy is a consistent snapshot taken by SQLite itself while the file stays open (VACUUM INTO: the online
// copy of the whole database, written beside the target and renamed into place, so a failure never leaves a
// half-written backup). 恢复备份 lists them with their time and totals, and a damaged file's refusal names
// the newest one.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';

export const BACKUPS_KEPT = 10;
/** A file open longer than this since its newest backup gets a new one. */
export const DAILY_MS = 24 * 60 * 60 * 1000;

export type BackupReason = 'import' | 'receive' | 'unlock' | 'daily' | 'restore' | 'open' | 'params';

export const BACKUP_REASON_LABELS: Record<BackupReason, string> = {
  import: '导入前',
  receive: '接收数据包前',
  unlock: '解锁前',
  daily: '每日备份',
  restore: '恢复备份前',
  open: '打开时',
  params: '导入年度参数包前',
};

export interface BackupInfo {
  path: string;
  fileName: string;
  /** ISO time the copy was taken. */
  at: string;
  reason: BackupReason;
  /** What the copy holds (null when it cannot be read). */
  department: string | null;
  fiscalYear: number | null;
  lineCount: number | null;
  /** Sum of the lines in 分, as a decimal string. */
  totalFen: string | null;
  amountUnit: string | null;
}

/** The folder holding `file`'s backups. */
export function backupFolder(file: string): string {
  return join(dirname(file), `${basename(file)}.备份`);
}

const NAME = /^(\d{8})-(\d{6})-(\d{3})-([a-z]+)\.budget$/;

function stamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}-${p(d.getUTCMilliseconds(), 3)}`;
}

function timeOf(name: string): string | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const [d, t, ms] = [m[1]!, m[2]!, m[3]!];
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}.${ms}Z`;
}

/**
 * Copies the database open on `db` (the file `file`) into its backup folder and drops the oldest copies past
 * BACKUPS_KEPT. Throws when the copy cannot be written (the caller decides whether that stops its action).
 */
export function writeBackup(db: Database.Database, file: string, reason: BackupReason, now: Date = new Date()): BackupInfo {
  const folder = backupFolder(file);
  mkdirSync(folder, { recursive: true });
  let name = `${stamp(now)}-${reason}.budget`;
  for (let n = 1; existsSync(join(folder, name)); n++) name = `${stamp(new Date(now.getTime() + n))}-${reason}.budget`;
  const target = join(folder, name);
  const temp = join(folder, `.${name}.part`);
  rmSync(temp, { force: true });
  try {
    db.prepare('VACUUM INTO ?').run(temp);
    renameSync(temp, target);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  const all = backupNames(file);
  for (const old of all.slice(0, Math.max(0, all.length - BACKUPS_KEPT))) rmSync(join(folder, old), { force: true });
  return describe(target);
}

/** Backup file names of `file`, oldest first. */
function backupNames(file: string): string[] {
  const folder = backupFolder(file);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names.filter((n) => NAME.test(n)).sort();
}

function describe(path: string): BackupInfo {
  const fileName = basename(path);
  const m = NAME.exec(fileName);
  const info: BackupInfo = {
    path,
    fileName,
    at: timeOf(fileName) ?? new Date(statSync(path).mtimeMs).toISOString(),
    reason: (m?.[4] as BackupReason | undefined) ?? 'daily',
    department: null,
    fiscalYear: null,
    lineCount: null,
    totalFen: null,
    amountUnit: null,
  };
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.defaultSafeIntegers(true);
    const head = db.prepare('SELECT fiscal_year, amount_unit, department_name FROM budget WHERE id = 1').get() as
      | { fiscal_year: bigint; amount_unit: string; department_name: string }
      | undefined;
    const sums = db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(amount), 0) AS total FROM lines').get() as { n: bigint; total: bigint };
    if (head) {
      info.department = head.department_name;
      info.fiscalYear = Number(head.fiscal_year);
      info.amountUnit = head.amount_unit;
    }
    info.lineCount = Number(sums.n);
    info.totalFen = sums.total.toString();
  } catch {
    // An unreadable copy is still listed (by its time), without totals.
  } finally {
    db?.close();
  }
  return info;
}

/** `file`'s backups, newest first. */
export function listBackups(file: string): BackupInfo[] {
  const folder = backupFolder(file);
  return backupNames(file)
    .reverse()
    .map((n) => describe(join(folder, n)));
}

/** The newest backup's path and time, or null (for messages about a damaged file). */
export function newestBackup(file: string): { path: string; at: string } | null {
  const name = backupNames(file).at(-1);
  if (!name) return null;
  return { path: join(backupFolder(file), name), at: timeOf(name) ?? '' };
}

/** Whether `path` is one of `file`'s backups (a restore takes nothing else). */
export function isBackupOf(file: string, path: string): boolean {
  return dirname(path) === backupFolder(file) && NAME.test(basename(path)) && existsSync(path);
}
