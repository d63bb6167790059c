// Schema migrations: migrations/NNNN_name.sql, applied in order, each in its own transaction, recorded in
// schema_migrations (name, applied_at). PRAGMA user_version is the number of migrations applied, so a file
// written by a newer app (more migrations than this app knows) can be recognised from its header alone,
// before anything is opened for writing.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { StoreError } from './errors.js';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

/** Written into the SQLite header (offset 68) so a budget file is told apart from any other SQLite file. */
export const APPLICATION_ID = 0x59534231; // "YSB1"

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** The app's migrations, numbered 0001… without gaps (a gap is a packaging error, not a user error). */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const names = readdirSync(dir)
    .filter((n) => MIGRATION_FILE.test(n))
    .sort();
  return names.map((name, i) => {
    const version = Number(MIGRATION_FILE.exec(name)![1]);
    if (version !== i + 1) throw new Error(`migrations are not numbered consecutively: ${name} should be number ${i + 1}`);
    return { version, name, sql: readFileSync(join(dir, name), 'utf8') };
  });
}

export interface SqliteHeader {
  userVersion: number;
  applicationId: number;
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/** Reads the 100-byte SQLite header without opening the database; null when the file is not SQLite. */
export function readSqliteHeader(file: string): SqliteHeader | null {
  const buf = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  let n: number;
  try {
    n = readSync(fd, buf, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (n < 100 || buf.toString('latin1', 0, 16) !== SQLITE_MAGIC) return null;
  return { userVersion: buf.readInt32BE(60), applicationId: buf.readInt32BE(68) };
}

/** A non-empty write-ahead log beside the file: its header may be newer than the file's own. */
export function hasWriteAheadLog(file: string): boolean {
  const wal = `${file}-wal`;
  return existsSync(wal) && statSync(wal).size > 0;
}

/** The header as SQLite sees it (write-ahead log included), read without writing; null when not SQLite. */
export function readHeaderThroughSqlite(file: string): SqliteHeader | null {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    return {
      userVersion: Number(db.pragma('user_version', { simple: true })),
      applicationId: Number(db.pragma('application_id', { simple: true })),
    };
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

export function newerVersionError(fileVersion: number, appVersion: number): StoreError {
  return new StoreError(
    'newer',
    `此预算文件由更新版本的程序创建（架构版本 ${fileVersion}），当前程序支持到 ${appVersion}，请升级程序后再打开`,
  );
}

/**
 * Checks, by reading only, that the file's migration record is a prefix of the app's migrations.
 * Returns the number applied.
 */
export function checkApplied(db: Database.Database, migrations: Migration[], file: string): number {
  const userVersion = Number(db.pragma('user_version', { simple: true }));
  if (userVersion > migrations.length) throw newerVersionError(userVersion, migrations.length);
  const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!table) {
    throw new StoreError('not-budget', `“${file}”不是有效的预算文件：缺少架构版本记录`);
  }
  const applied = (db.prepare('SELECT name FROM schema_migrations ORDER BY name').all() as { name: string }[]).map(
    (r) => r.name,
  );
  if (applied.length > migrations.length) throw newerVersionError(applied.length, migrations.length);
  applied.forEach((name, i) => {
    if (name !== migrations[i]!.name) {
      throw new StoreError(
        'inconsistent',
        `预算文件“${file}”的架构记录与当前程序不一致（第 ${i + 1} 项为“${name}”，程序中为“${migrations[i]!.name}”），为避免损坏数据已拒绝打开`,
      );
    }
  });
  if (applied.length !== userVersion) {
    throw new StoreError(
      'inconsistent',
      `预算文件“${file}”的架构版本号（${userVersion}）与已应用的迁移数（${applied.length}）不一致，为避免损坏数据已拒绝打开`,
    );
  }
  return applied.length;
}

/** Applies the migrations after the first `applied`, each in one transaction with its record. */
/** Applies the migrations after the first `applied`, each in its own transaction; returns how many ran. */
export function applyPending(db: Database.Database, migrations: Migration[], applied: number): number {
  const pending = migrations.slice(applied);
  for (const m of pending) {
    db.transaction(() => {
      if (m.version === 1) {
        db.exec('CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL) WITHOUT ROWID');
        db.pragma(`application_id = ${APPLICATION_ID}`);
      }
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(m.name, new Date().toISOString());
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return pending.length;
}
