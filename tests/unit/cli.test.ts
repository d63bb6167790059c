import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/run.js';
import { parseExchange, serializeExchange } from '../../core/exchange.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { MIGRATIONS_DIR, loadMigrations } from '../../db/migrate.js';
import { BudgetStore } from '../../db/store.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURE = join(ROOT, 'tests', 'fixtures', 'jiyuan-2020', 'budget.json');
const fixtureText = readFileSync(FIXTURE, 'utf8');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;
const fixture = (): Doc => JSON.parse(fixtureText);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'budget-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The real command line, as a user runs it. */
function cli(...args: string[]) {
  const r = spawnSync('npx', ['tsx', 'cli/budget.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same commands in this process (for the long list of refused files). */
async function cliInProcess(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function state(db: string) {
  return {
    hash: createHash('sha256').update(readFileSync(db)).digest('hex'),
    wal: existsSync(`${db}-wal`),
    shm: existsSync(`${db}-shm`),
  };
}

function expectNoStackTrace(stderr: string) {
  expect(stderr).not.toMatch(/\n\s+at |Error:|node:internal/);
}

function mutated(mutate: (d: Doc) => void): string {
  const d = fixture();
  mutate(d);
  return JSON.stringify(d, null, 2);
}

const firstProjectLine = fixture().lines.findIndex((l: Doc) => l.kind === 'project');

/** Malformed exchange files: each must be refused naming the place, leaving the budget file as it was. */
const MALFORMED: { name: string; text: string; place: string }[] = [
  { name: 'not JSON', text: 'budget, but not JSON', place: '$（第 1 行）' },
  { name: 'truncated', text: fixtureText.slice(0, 5000), place: '$（第 ' },
  { name: 'empty', text: '', place: '$（第 1 行）' },
  { name: 'wrong format version', text: mutated((d) => (d.format = 'budget-exchange/9')), place: '$.format' },
  { name: 'missing format', text: mutated((d) => delete d.format), place: '$.format' },
  { name: 'year as text', text: mutated((d) => (d.fiscalYear = '2020')), place: '$.fiscalYear' },
  { name: 'unknown amount unit', text: mutated((d) => (d.amountUnit = '亿元')), place: '$.amountUnit' },
  { name: 'amount as JSON number', text: fixtureText.replace('"amount": "140.9"', '"amount": 140.9'), place: '$.lines[0].amount' },
  { name: 'too many decimals', text: mutated((d) => (d.lines[3].amount = '3.1234567')), place: '$.lines[3].amount' },
  { name: 'negative amount', text: mutated((d) => (d.lines[2].amount = '-1')), place: '$.lines[2].amount' },
  { name: 'non-numeric amount', text: mutated((d) => (d.lines[2].amount = '一百')), place: '$.lines[2].amount' },
  { name: 'unknown unit kind', text: mutated((d) => (d.units[0].kind = 'enterprise')), place: '$.units[0].kind' },
  { name: 'unknown fund', text: mutated((d) => (d.lines[1].fund = 'gpb.unknown')), place: '$.lines[1].fund' },
  { name: 'line naming no unit', text: mutated((d) => (d.lines[1].unit = '000000')), place: '$.lines[1].unit' },
  { name: 'unknown functional code', text: mutated((d) => (d.lines[0].functional = '2019998')), place: '$.lines[0].functional' },
  { name: '款 where a 项 is required', text: mutated((d) => (d.lines[0].functional = '20103')), place: '$.lines[0].functional' },
  { name: '类 where a 款 is required', text: mutated((d) => (d.lines[0].economic = '302')), place: '$.lines[0].economic' },
  { name: 'unknown economic code', text: mutated((d) => (d.lines[0].economic = '30298')), place: '$.lines[0].economic' },
  {
    name: 'project line naming no project',
    text: mutated((d) => (d.lines[firstProjectLine].project = 'P404')),
    place: `$.lines[${firstProjectLine}].project`,
  },
  {
    name: 'project line without project',
    text: mutated((d) => (d.lines[firstProjectLine].project = null)),
    place: `$.lines[${firstProjectLine}].project`,
  },
  { name: 'basic line naming a project', text: mutated((d) => (d.lines[0].project = 'P02')), place: '$.lines[0].project' },
  { name: 'duplicate project codes', text: mutated((d) => (d.projects[5].code = 'P02')), place: '$.projects[5].code' },
  { name: 'duplicate unit codes', text: mutated((d) => d.units.push(d.units[0])), place: '$.units[1].code' },
  { name: 'project naming no unit', text: mutated((d) => (d.projects[0].unit = 'X')), place: '$.projects[0].unit' },
  { name: 'invalid project category', text: mutated((d) => (d.projects[0].category = 'misc')), place: '$.projects[0].category' },
  { name: 'invalid procurement category', text: mutated((d) => (d.procurement[2].category = 'stuff')), place: '$.procurement[2].category' },
  { name: 'bad date', text: mutated((d) => (d.projects[1].end = '2020-12-32')), place: '$.projects[1].end' },
  { name: 'missing required field', text: mutated((d) => delete d.lines[4].economic), place: '$.lines[4].economic' },
  { name: 'wrong type', text: mutated((d) => (d.lines = { first: d.lines[0] })), place: '$.lines' },
];

describe('budget CLI (real process)', { timeout: 240_000 }, () => {
  it('prints usage in Chinese for --help', () => {
    const r = cli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('用法：npm run budget -- <命令>');
    expect(r.stdout).toContain('codes import');
  });

  it('imports, exports and round-trips the fixture through the budget file', () => {
    const db = join(dir, 'roundtrip.db');
    const imported = cli('import', FIXTURE, '--db', db);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('已导入 2020 年“济源市行政服务中心”的预算：1 个单位、45 条预算行、13 个项目');
    expect(imported.stderr).toContain('提示：$.projects[0].skeleton');

    const first = join(dir, 'first.json');
    expect(cli('export', first, '--db', db).code).toBe(0);
    const db2 = join(dir, 'roundtrip2.db');
    const again = cli('import', first, '--db', db2);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(''); // an exported file has nothing to ignore
    const second = join(dir, 'second.json');
    expect(cli('export', second, '--db', db2).code).toBe(0);
    expect(readFileSync(second, 'utf8')).toBe(readFileSync(first, 'utf8'));

    const parsed = parseExchange(fixtureText, defaultCodeBook);
    if (!parsed.ok) throw new Error('fixture refused');
    expect(readFileSync(first, 'utf8')).toBe(serializeExchange(parsed.budget));
  });

  it('refuses a malformed file with exit 2, every problem on stderr, and the budget file untouched', () => {
    const db = join(dir, 'guarded.db');
    expect(cli('import', FIXTURE, '--db', db).code).toBe(0);
    const before = state(db);
    const bad = file(
      'bad.json',
      fixtureText.replace('"amount": "74.2"', '"amount": 74.2').replace('"economic": "30107"', '"economic": "301"'),
    );
    const r = cli('import', bad, '--db', db);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('共 2 处问题，预算文件未作改动');
    expect(r.stderr).toMatch(/\$\.lines\[1\]\.amount（第 \d+ 行）：金额应写成带双引号的十进制文本/);
    expect(r.stderr).toMatch(/\$\.lines\[2\]\.economic（第 \d+ 行）：经济分类“301 工资福利支出”是类级科目/);
    expectNoStackTrace(r.stderr);
    expect(state(db)).toEqual(before);
  });

  it('refuses a malformed file for a new budget file without creating it', () => {
    const db = join(dir, 'never.db');
    const r = cli('import', file('trunc.json', fixtureText.slice(0, 300)), '--db', db);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/不是有效的 JSON（第 \d+ 行第 \d+ 列）：文件意外结束/);
    expect(existsSync(db)).toBe(false);
  });

  it('checks: exit 1 with hard findings, 0 without', () => {
    const db = join(dir, 'check.db');
    cli('import', FIXTURE, '--db', db);
    const r = cli('check', '--db', db);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\[硬性\] project\.total-below-year.*P05/);

    const fixedDb = join(dir, 'check-fixed.db');
    const fixed = file(
      'fixed.json',
      mutated((d) => {
        for (const p of d.projects) if (p.code === 'P05' || p.code === 'P09') p.totalAmount = p.yearAmount;
      }),
    );
    expect(cli('import', fixed, '--db', fixedDb).code).toBe(0);
    const ok = cli('check', '--db', fixedDb, '--format', 'json');
    const report = JSON.parse(ok.stdout);
    expect(report.hard).toBe(0);
    expect(ok.code).toBe(0);
  });

  it('reports tables as text and JSON', () => {
    const db = join(dir, 'report.db');
    cli('import', FIXTURE, '--db', db);
    const t08 = cli('report', 'T08', '--db', db);
    expect(t08.code).toBe(0);
    expect(t08.stdout).toContain('“三公”经费');
    expect(t08.stdout).toMatch(/共计\s+6\.1/);
    const all = cli('report', 'all', '--db', db, '--format', 'json');
    expect(all.code).toBe(0);
    const ids = new Set(JSON.parse(all.stdout).tables.map((t: { id: string }) => t.id));
    expect([...ids].sort()).toEqual(['T01', 'T02', 'T03', 'T04', 'T05', 'T06', 'T07', 'T08', 'T09', 'T10', 'T11']);
  });

  it('loads a code list, and refuses a file that is not one with every problem', () => {
    const db = join(dir, 'codes.db');
    cli('import', FIXTURE, '--db', db);
    const good = file('functional.csv', 'code,name,level,parent_code\n2010397,新增的项,项,20103\n2010350,事业运行（改）,项,20103\n');
    const r = cli('codes', 'import', good, '--kind', 'functional', '--db', db);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已载入 2020 年支出功能分类科目（2 个科目）：新增 1 个，修改 1 个');

    const before = state(db);
    const bad = file('bad.csv', 'code,name,level,parent_code\n2010397,,项,20103\n20103,款,款,202\n99,x,目,\n');
    const refusedList = cli('codes', 'import', bad, '--kind', 'functional', '--db', db);
    expect(refusedList.code).toBe(2);
    expect(refusedList.stderr).toContain('第 2 行（name）：科目名称为空');
    expect(refusedList.stderr).toContain('第 3 行（parent_code）');
    expect(refusedList.stderr).toContain('第 4 行（level）');
    expect(state(db)).toEqual(before);
    const header = cli('codes', 'import', file('header.csv', 'a,b\n1,2\n'), '--kind', 'economic', '--db', db);
    expect(header.code).toBe(2);
    expect(header.stderr).toContain('第 1 行：表头应为 code,name,level,parent_code');

    // A new file needs the year.
    const fresh = join(dir, 'codes-new.db');
    expect(cli('codes', 'import', good, '--kind', 'functional', '--db', fresh).code).toBe(2);
    expect(existsSync(fresh)).toBe(false);
    expect(cli('codes', 'import', good, '--kind', 'functional', '--year', '2025', '--db', fresh).code).toBe(0);
    const store = BudgetStore.open(fresh);
    expect(store.codeBook(2025).functional.name('2010397')).toBe('新增的项');
    store.close();
  });

  it('answers usage and file errors with exit 2 and one plain sentence', () => {
    const db = join(dir, 'usage.db');
    cli('import', FIXTURE, '--db', db);
    const cases: [string[], RegExp][] = [
      [[], /缺少命令/],
      [['frobnicate'], /不认识的命令“frobnicate”/],
      [['export', 'x.json'], /缺少 --db/],
      [['import', join(dir, 'nope.json'), '--db', db], /找不到交换文件/],
      [['export', join(dir, 'out.json'), '--db', join(dir, 'absent.db')], /找不到预算文件/],
      [['report', 'T12', '--db', db], /没有表“T12”/],
      [['check', '--db', db, '--format', 'xml'], /--format 只能是 text 或 json/],
      [['codes', 'import', FIXTURE, '--kind', 'tax', '--db', db], /--kind 只能是 functional 或 economic/],
      [['import', FIXTURE, '--db', db, '--colour'], /不认识的选项“--colour”/],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expectNoStackTrace(r.stderr);
    }
  });

  it('refuses a budget file written by a newer version, leaving it untouched', () => {
    const db = join(dir, 'newer.db');
    cli('import', FIXTURE, '--db', db);
    const raw = new Database(db);
    const known = loadMigrations(MIGRATIONS_DIR).length;
    raw.pragma(`user_version = ${known + 4}`);
    raw.close();
    const before = state(db);
    const r = cli('import', FIXTURE, '--db', db);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`此预算文件由更新版本的程序创建（架构版本 ${known + 4}），当前程序支持到 ${known}，请升级程序后再打开`);
    expect(state(db)).toEqual(before);
  });
});

describe('budget CLI: a budget file of an older app', () => {
  it('is upgraded by an import, and left byte-identical by a refused one', async () => {
    // A file as the app before its last migration wrote it.
    const migrations = loadMigrations(MIGRATIONS_DIR);
    const olderApp = join(dir, 'migrations-older-app');
    mkdirSync(olderApp);
    for (const m of migrations.slice(0, -1)) copyFileSync(join(MIGRATIONS_DIR, m.name), join(olderApp, m.name));
    const db = join(dir, 'older-app.db');
    BudgetStore.open(db, { create: true, migrationsDir: olderApp }).close();
    const before = state(db);

    const refused = await cliInProcess('import', file('older-app-malformed.json', mutated((d) => (d.lines[3].amount = '-1'))), '--db', db);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('预算文件未作改动');
    expect(state(db)).toEqual(before);

    const imported = await cliInProcess('import', FIXTURE, '--db', db);
    expect(imported.code).toBe(0);
    const store = BudgetStore.open(db);
    expect(store.appliedMigrations().map((m) => m.name)).toEqual(migrations.map((m) => m.name));
    expect(store.loadBudget().lines).toHaveLength(fixture().lines.length);
    store.close();
  });
});

describe('budget CLI: every malformed file leaves an existing budget file byte-identical', () => {
  it.each(MALFORMED)('$name', async ({ name, text, place }) => {
    const db = join(dir, 'malformed.db');
    if (!existsSync(db)) expect((await cliInProcess('import', FIXTURE, '--db', db)).code).toBe(0);
    const before = state(db);
    expect(before.wal || before.shm).toBe(false);
    const input = file(`malformed-${MALFORMED.findIndex((m) => m.name === name)}.json`, text);
    const r = await cliInProcess('import', input, '--db', db);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('预算文件未作改动');
    expect(r.stderr).toContain(`  ${place}`);
    expect(r.stdout).toBe('');
    expect(state(db)).toEqual(before);
  });
});
