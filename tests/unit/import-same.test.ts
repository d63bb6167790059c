// The command line's `import` and the app's 导入交换文件 (exchange.import) run the same steps with the same
// effect: the budget replaced (the old one in a backup), the undo history and the wizard's state cleared.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/run.js';
import { dispatch } from '../../api/dispatch.js';
import type { ApiInput, ApiMethod } from '../../api/contract.js';
import { createBudgetService, type BudgetSession } from '../../api/service.js';
import { listBackups } from '../../db/backups.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'jiyuan-2020', 'budget.json');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'import-same-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function call<M extends ApiMethod>(s: BudgetSession, method: M, input: ApiInput<M>) {
  const r = await dispatch(s, method, input);
  if ('error' in r) throw new Error(r.error.message);
  return r.result as never;
}

async function cliImport(db: string): Promise<number> {
  let err = '';
  const code = await run(['import', FIXTURE, '--db', db], { out: () => {}, err: (t) => (err += t) });
  if (code !== 0) throw new Error(err);
  return code;
}

/** What an import decides about a file: the lines, the projects, and the history and wizard state it keeps. */
function state(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    const meta = (key: string) => (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
    return {
      lines: db.prepare('SELECT unit, functional, economic, kind, project, fund, amount, remark FROM lines ORDER BY id').all(),
      projects: db.prepare('SELECT code, name FROM projects ORDER BY code').all(),
      undo: meta('app.undo'),
      wizard: meta('wizard.state'),
    };
  } finally {
    db.close();
  }
}

describe('import: command line and app', () => {
  it('leave the same file: old budget backed up, undo history and wizard state cleared', async () => {
    // A budget that has been worked on: an edit on the undo stack and a wizard position.
    const worked = join(dir, 'worked.budget');
    await cliImport(worked);
    const s = createBudgetService({ dbPath: worked, budgetsDir: dir, recentFile: join(dir, 'recent.json') });
    const first = (await call(s, 'lines.list', {})) as { lines: { id: number }[] };
    await call(s, 'lines.update', { id: first.lines[0]!.id, field: 'amount', value: '12.5' });
    const list = (await call(s, 'wizard.list', {})) as { projects: { code: string }[] };
    await call(s, 'wizard.visit', { code: list.projects[0]!.code, position: 'goals' });
    s.close();
    const before = state(worked);
    expect(before.undo).toContain('修改金额');
    expect(before.wizard).toContain('goals');

    const byCli = join(dir, 'by-cli.budget');
    const byApi = join(dir, 'by-api.budget');
    copyFileSync(worked, byCli);
    copyFileSync(worked, byApi);

    await cliImport(byCli);
    const app = createBudgetService({ dbPath: byApi, budgetsDir: dir, recentFile: join(dir, 'recent.json') });
    const info = (await call(app, 'exchange.import', { path: FIXTURE })) as { canUndo: boolean };
    expect(info.canUndo).toBe(false);
    app.close();

    const cli = state(byCli);
    expect(cli).toEqual(state(byApi));
    expect(JSON.parse(cli.undo!)).toEqual({ undo: [], redo: [] });
    expect(JSON.parse(cli.wizard!)).toEqual({ projects: {}, department: {} });
    expect(cli.lines).not.toEqual(before.lines);
    // Each kept the budget it replaced in a backup.
    for (const f of [byCli, byApi]) expect(listBackups(f).map((b) => b.reason)).toContain('import');
    // The command line's file reopens in the app with nothing to undo.
    const reopened = createBudgetService({ dbPath: byCli, budgetsDir: dir, recentFile: join(dir, 'recent.json') });
    expect(reopened['budget.info']().canUndo).toBe(false);
    reopened.close();
  });
});
