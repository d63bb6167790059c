// Budget files on USB sticks and network folders: which paths are network (UNC) paths, how a file is
// journaled on each kind of drive, and that the `.budget` file alone holds every answered edit — at once on a
// removable drive (journal DELETE), after a pause in the desktop service on a local disk (WAL checkpointed).
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createBudgetService } from '../../api/service.js';
import { setJournalPolicy } from '../../db/store.js';
import { isUncPath, journalModeFor } from '../../electron/drives.js';
import { createServiceClient, type ServiceClient } from '../../electron/service-client.js';
import { createFakeElectron } from './electron-fake.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtureText = readFileSync(join(repo, 'tests', 'fixtures', 'jiyuan-2020', 'budget.json'), 'utf8');
const fixtureLines = (JSON.parse(fixtureText) as { lines: unknown[] }).lines.length;
const base = mkdtempSync(join(tmpdir(), 'drives-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Lines in a copy of the `.budget` file alone, as someone copying it from Explorer would get it. */
function linesInCopyOf(file: string): number {
  const copy = join(mkdtempSync(join(base, 'copy-')), 'copy.budget');
  copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true });
  try {
    return Number((db.prepare('SELECT count(*) AS n FROM lines').get() as { n: number | bigint }).n);
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

describe('network paths', () => {
  it('knows a UNC path in each spelling, and nothing else', () => {
    for (const p of ['\\\\server\\share\\a.budget', '//server/share/a.budget', '\\\\?\\UNC\\server\\share', '\\/server/x']) expect(isUncPath(p), p).toBe(true);
    for (const p of ['C:\\预算\\a.budget', 'E:/上报', '/home/li/a.budget', 'a.budget', '\\预算\\a.budget']) expect(isUncPath(p), p).toBe(false);
  });
});

describe('journal mode by drive', () => {
  it('Windows: WAL on the system drive only', () => {
    const win = { platform: 'win32' as const, systemDrive: 'C:' };
    expect(journalModeFor('C:\\Users\\张三\\AppData\\Roaming\\bumen-yusuan\\预算.budget', win)).toBe('WAL');
    expect(journalModeFor('c:\\预算\\a.budget', win)).toBe('WAL');
    expect(journalModeFor('E:\\U盘\\a.budget', win)).toBe('DELETE');
    expect(journalModeFor('Z:\\共享\\a.budget', win)).toBe('DELETE');
    expect(journalModeFor('\\\\server\\share\\a.budget', win)).toBe('DELETE');
    expect(journalModeFor('D:\\a.budget', { platform: 'win32', systemDrive: 'D:' })).toBe('WAL');
  });

  it('Linux: DELETE on plugged-in and network mounts, WAL elsewhere', () => {
    const mounts = [
      '/dev/sda1 / ext4 rw 0 0',
      '/dev/sdb1 /srv/stick vfat rw 0 0',
      '//server/share /srv/share cifs rw 0 0',
      'server:/export /home/li/nfs nfs4 rw 0 0',
      '/dev/sdc1 /srv/with\\040space exfat rw 0 0',
    ].join('\n');
    const linux = { platform: 'linux' as const };
    expect(journalModeFor('/home/li/预算.budget', linux, mounts)).toBe('WAL');
    expect(journalModeFor('/srv/stick/a.budget', linux, mounts)).toBe('DELETE');
    expect(journalModeFor('/srv/share/sub/a.budget', linux, mounts)).toBe('DELETE');
    expect(journalModeFor('/home/li/nfs/a.budget', linux, mounts)).toBe('DELETE');
    expect(journalModeFor('/srv/with space/a.budget', linux, mounts)).toBe('DELETE');
    expect(journalModeFor('/srv/sticky/a.budget', linux, mounts)).toBe('WAL');
    expect(journalModeFor('/media/li/KINGSTON/a.budget', linux, '')).toBe('DELETE');
    expect(journalModeFor('/Volumes/KINGSTON/a.budget', { platform: 'darwin' })).toBe('DELETE');
  });
});

describe('the .budget file alone holds every answered edit', () => {
  afterEach(() => setJournalPolicy(() => 'WAL'));

  it('on a removable drive (journal DELETE): at once, with no -wal file beside it', async () => {
    const file = join(mkdtempSync(join(base, 'stick-')), 'u盘.budget');
    setJournalPolicy((f) => (f === file ? 'DELETE' : 'WAL'));
    const service = createBudgetService({ dbPath: file, budgetsDir: base, recentFile: join(base, 'r.json') });
    try {
      service['exchange.import']({ text: fixtureText });
      expect(existsSync(`${file}-wal`)).toBe(false);
      expect(linesInCopyOf(file)).toBe(fixtureLines);
    } finally {
      service.close();
    }
  });

  describe('in the desktop service, on a local disk (WAL)', () => {
    let client: ServiceClient | null = null;
    afterEach(async () => {
      await client?.close();
    });

    it('after a pause: the write-ahead log is folded into the file', async () => {
      const file = join(mkdtempSync(join(base, 'local-')), '预算.budget');
      const fake = createFakeElectron({ documents: base });
      client = createServiceClient({
        spawn: () => fake.modules.utilityProcess.fork('service-child.js'),
        start: { dbPath: file, budgetsDir: base, recentFile: join(base, 'r.json'), journal: { platform: 'linux' } },
      });
      const imported = await client.call('exchange.import', { text: fixtureText });
      expect('result' in imported).toBe(true);
      expect(existsSync(`${file}-wal`)).toBe(true);
      await vi.waitFor(() => expect(linesInCopyOf(file)).toBe(fixtureLines), { timeout: 30_000, interval: 200 });
    });
  });
});
