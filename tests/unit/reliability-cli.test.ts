// SQLite and disk failures reach the command line's user as one Chinese sentence saying what to do (exit 2),
// never as an internal error with SQLite's English text; a failed import into a new path leaves no file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_USAGE, reportCommandError } from '../../cli/args.js';
import { run } from '../../cli/run.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'jiyuan-2020', 'budget.json');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'reliability-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function captured(): { io: { out(t: string): void; err(t: string): void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t) => out.push(t), err: (t) => err.push(t) }, out, err };
}

function expectOneChineseSentence(text: string): void {
  expect(text.trim().split('\n')).toHaveLength(1);
  expect(text).not.toMatch(/程序内部错误|database|disk is full|readonly|locked|SQLITE/i);
}

/** A small RAM disk, where the system lets us mount one (root); else null and the test says so. */
function smallDisk(kb: number): string | null {
  const mount = join(dir, `disk-${kb}`);
  mkdirSync(mount);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', mount], { stdio: 'ignore' });
    return mount;
  } catch {
    return null;
  }
}

describe('SQLite failures on the command line', () => {
  it('maps a read-only file, a locked database and a full disk (real SQLite errors) to one sentence, exit 2', () => {
    const file = join(dir, 'plain.db');
    const w = new Database(file);
    w.exec('CREATE TABLE t (x)');
    const errors: unknown[] = [];
    const ro = new Database(file, { readonly: true });
    try {
      ro.exec('INSERT INTO t VALUES (1)');
    } catch (err) {
      errors.push(err);
    }
    ro.close();
    w.exec('BEGIN IMMEDIATE');
    const other = new Database(file, { timeout: 0 });
    try {
      other.exec('INSERT INTO t VALUES (1)');
    } catch (err) {
      errors.push(err);
    }
    other.close();
    w.exec('ROLLBACK');
    w.pragma(`max_page_count = ${Number(w.pragma('page_count', { simple: true }))}`);
    try {
      w.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(100_000));
    } catch (err) {
      errors.push(err);
    }
    w.close();
    expect(errors.map((e) => (e as { code: string }).code)).toEqual(['SQLITE_READONLY', 'SQLITE_BUSY', 'SQLITE_FULL']);
    const expected = [/只读.*复制到可写的文件夹/, /正被其他窗口或程序使用.*关闭/, /磁盘空间已满.*清理磁盘空间/];
    errors.forEach((e, i) => {
      const c = captured();
      expect(reportCommandError(e, c.io)).toBe(EXIT_USAGE);
      const text = c.err.join('');
      expect(text).toMatch(expected[i]!);
      expectOneChineseSentence(text);
    });
  });

  it('an import into a new path on a full disk says so and leaves no file behind', async (ctx) => {
    const disk = smallDisk(160);
    if (!disk) return ctx.skip();
    try {
      const c = captured();
      const code = await run(['import', FIXTURE, '--db', join(disk, '新预算.budget')], c.io);
      const text = c.err.join('');
      expect(code).toBe(EXIT_USAGE);
      expect(text).toContain('磁盘空间已满');
      expectOneChineseSentence(text.split('\n').filter((l) => !l.startsWith('提示')).join('\n'));
      expect(readdirSync(disk)).toEqual([]);
    } finally {
      execFileSync('umount', [disk]);
    }
  });
});
