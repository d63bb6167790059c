// One writer per budget file. Two windows (or two PCs on a shared folder, or a window and the command line)
// writing the same file would each write whole lines from their own memory and silently undo each other's
// edits; so whoever changes a file first takes its writer lock, and a second opener is refused with a message
// naming the file and who has it open.
//
// The lock is SQLite's own file lock on a small companion file beside the budget ("<file>-lock"): the holder
// keeps a write transaction open on it (a RESERVED lock), which no second connection can take, in this process
// or any other, on this PC or another one sharing the folder. The operating system drops the lock when the
// holder's process ends in any way (closed, crashed, killed), so a lock is never left behind by a dead process.
// The holder's name, PC and start time are committed in the companion file before the lock is held, so the
// refused opener can say who has the file (readers are not blocked by the lock).
import { hostname, userInfo } from 'node:os';
import Database from 'better-sqlite3';
import { StoreError } from './errors.js';

export interface WriterLockOwner {
  /** Which program: 部门预算编制 (the app window) or 命令行. */
  program: string;
  host: string;
  user: string;
  pid: number;
  /** ISO time the lock was taken. */
  since: string;
}

export interface WriterLock {
  readonly file: string;
  /** Gives the lock up (idempotent). */
  release(): void;
}

export const WRITER_LOCK_SUFFIX = '-lock';

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

function isBusy(err: unknown): boolean {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

function readOwner(db: Database.Database): WriterLockOwner | null {
  try {
    const row = db.prepare('SELECT info FROM owner WHERE id = 1').get() as { info: string } | undefined;
    return row ? (JSON.parse(row.info) as WriterLockOwner) : null;
  } catch {
    return null;
  }
}

function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The refusal a second opener gets: the file, who has it, and what to do. */
export function heldMessage(file: string, owner: WriterLockOwner | null): string {
  const who = owner
    ? `（${owner.program}，计算机“${owner.host}”${owner.user ? `，用户“${owner.user}”` : ''}${localTime(owner.since) ? `，${localTime(owner.since)} 起` : ''}）`
    : '';
  return `预算文件“${file}”已在另一个窗口或程序中打开${who}，同一时间只能在一处修改：请先在那里关闭它，再打开或导入。`;
}

/**
 * Takes the writer lock of `file` for this process's `program`, or throws a StoreError ('busy') naming the
 * file and its holder. Where no companion file can be created (a read-only folder), the budget file cannot be
 * written either: no lock is taken and SQLite's own errors speak when a write is tried.
 */
export function acquireWriterLock(file: string, program: string): WriterLock {
  const lockPath = file + WRITER_LOCK_SUFFIX;
  let db: Database.Database;
  try {
    db = new Database(lockPath, { timeout: 1000 });
    db.pragma('journal_mode = DELETE');
  } catch {
    return { file, release: () => {} };
  }
  const refuse = (): never => {
    const owner = readOwner(db);
    db.close();
    throw new StoreError('busy', heldMessage(file, owner));
  };
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (err) {
    if (isBusy(err)) refuse();
    db.close();
    return { file, release: () => {} };
  }
  try {
    db.exec('CREATE TABLE IF NOT EXISTS owner (id INTEGER PRIMARY KEY CHECK (id = 1), info TEXT NOT NULL)');
    const owner: WriterLockOwner = { program, host: hostname(), user: currentUser(), pid: process.pid, since: new Date().toISOString() };
    db.prepare('INSERT INTO owner (id, info) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET info = excluded.info').run(JSON.stringify(owner));
    db.exec('COMMIT');
    // Held from here on: an open write transaction that writes nothing (no journal file) until release.
    db.exec('BEGIN IMMEDIATE');
  } catch (err) {
    if (isBusy(err)) refuse();
    db.close();
    return { file, release: () => {} };
  }
  let held = true;
  return {
    file,
    release() {
      if (!held) return;
      held = false;
      try {
        if (db.inTransaction) db.exec('ROLLBACK');
      } finally {
        db.close();
      }
    },
  };
}
