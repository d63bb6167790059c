// The finance bureau's yearly parameter package (budget-params/1): a package made here (a code-list change, one
// rule switched off, one soft rule made hard, a threshold changed, 控制数 for two units) imports and changes
// exactly those settings; a tampered or malformed one is refused with the budget file byte-identical; a budget
// over a 控制数 cannot be packaged; `params export` gives a package that sets a unit's file the same way.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/run.js';
import { auditBudget } from '../../core/audit/index.js';
import { ceilingId } from '../../core/audit/param-rules.js';
import { PARAMS_FORMAT, type ParamsDocument, type ParamsManifest } from '../../core/params/package.js';
import { computeTables } from '../../core/tables/index.js';
import { auditConfigFor, itemBudgets, paramPackages, storedCeilings, storedIdentities } from '../../db/params.js';
import { chosenFormat, userFormats } from '../../db/publication-formats.js';
import { BudgetStore } from '../../db/store.js';
import { exportPackage } from '../../submission/export.js';
import { PackageError } from '../../submission/errors.js';
import { buildParamsPackage } from '../../submission/params-package.js';
import { budgetDb, fixtureBudget, notesFor, tempDir } from './submission-fixture.js';
import { nationalBudget } from './national-fixture.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const fileSha = (f: string) => sha(readFileSync(f));

let work: string;
beforeAll(() => {
  work = tempDir('params-');
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** Every setting a parameter package may change, as plain comparable values. */
function settings(file: string): Record<string, string> {
  const store = BudgetStore.open(file);
  try {
    const year = store.fiscalYear();
    const out: Record<string, string> = {};
    const book = store.codeBook(year);
    for (const [kind, list] of [
      ['functional', book.functional],
      ['economic', book.economic],
      ['government', book.government],
    ] as const) {
      for (const e of list.entries()) out[`code:${kind}:${e.code}`] = `${e.name}|${e.level}|${e.parent ?? ''}`;
    }
    for (const [code, b] of itemBudgets(store, year)) out[`budget:${code}`] = b;
    for (const e of auditConfigFor(store).entries) {
      out[`rule:${e.id}`] = e.level;
      for (const p of e.params) out[`rule:${e.id}:${p.key}`] = p.value;
    }
    for (const c of storedCeilings(store)) out[`ceiling:${ceilingId(c)}`] = c.amount.toString();
    for (const r of storedIdentities(store)) out[`identity:${r.id}`] = JSON.stringify(r);
    out.format = chosenFormat(store).id;
    for (const f of userFormats(store)) out[`userFormat:${f.id}`] = f.name;
    return out;
  } finally {
    store.close();
  }
}

function differences(before: Record<string, string>, after: Record<string, string>): Record<string, [string | undefined, string | undefined]> {
  const out: Record<string, [string | undefined, string | undefined]> = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) if (before[k] !== after[k]) out[k] = [before[k], after[k]];
  return out;
}

const FUNCTIONAL_CHANGE = [
  'code,name,level,parent_code,budget',
  '201,一般公共服务支出,类,,',
  '20103,政府办公厅（室）及相关机构事务,款,201,',
  '2010301,行政运行（机关）,项,20103,一般公共预算',
  '212,城乡社区支出,类,,',
  '21208,国有土地使用权出让收入安排的支出,款,212,',
  '2120817,土地储备专项支出,项,21208,政府性基金预算',
].join('\r\n');

const PARAMS: ParamsDocument = {
  amountUnit: '万元',
  rules: {
    'project.dates': { level: 'off' },
    'indicator.target-missing-unit': { level: 'hard' },
    'item.large-change': { params: { ratio: '20%' } },
  },
  ceilings: [
    { unit: '101001', fundGroup: 'gpb', kind: 'basic', amount: '120' },
    { unit: '101001', fundGroup: 'gpb', kind: 'project', amount: '30' },
    { unit: '101002', fundGroup: 'gpb', kind: 'basic', amount: '15.5', unitName: '某市测试中心' },
  ],
};

async function makePackage(params: ParamsDocument = PARAMS, options: { year?: number; functional?: string | null } = {}): Promise<Buffer> {
  const functional = options.functional === undefined ? FUNCTIONAL_CHANGE : options.functional;
  const { bytes } = await buildParamsPackage({
    fiscalYear: options.year ?? 2021,
    authority: { code: '101', name: '某市财政局' },
    note: '2021 年部门预算编制参数',
    params,
    codeLists: [],
    formats: [],
    app: { name: '测试', version: '1.0.0' },
    now: new Date(2026, 10, 1, 9, 0),
  });
  if (functional === null) return bytes;
  // The code list as a bureau writes it (a CSV of its own), added beside the others.
  return repack(bytes, (entries) => [...entries, { name: 'functional.csv', bytes: Buffer.from(functional, 'utf8') }]);
}

interface Entry {
  name: string;
  bytes: Buffer;
}

function zip(entries: Entry[]): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const e of entries) z.addBuffer(e.bytes, e.name, { mtime: new Date(2026, 0, 1), compress: true });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    z.outputStream.on('error', reject);
    z.end();
  });
}

/** Unpacks, lets `edit` change the entries, and writes the manifest's list again for the edited entries (so only the content is wrong, not the checksums), unless `keepManifest`. */
async function repack(archive: Buffer, edit: (entries: Entry[]) => Entry[], keepManifest = false): Promise<Buffer> {
  const { readZipEntries } = await import('../../submission/zip-read.js');
  const entries = (await readZipEntries(archive)).map((e) => ({ name: e.name, bytes: Buffer.from(e.bytes) }));
  const edited = edit(entries);
  if (keepManifest) return zip(edited);
  const manifest = JSON.parse(edited.find((e) => e.name === 'manifest.json')!.bytes.toString('utf8')) as ParamsManifest;
  manifest.files = edited.filter((e) => e.name !== 'manifest.json').map((e) => ({ name: e.name, size: e.bytes.length, sha256: sha(e.bytes) }));
  return zip(edited.map((e) => (e.name === 'manifest.json' ? { ...e, bytes: Buffer.from(JSON.stringify(manifest, null, 2)) } : e)));
}

/** The same name bytes replaced in both headers (a name no honest zip writer would write). */
function patchName(archive: Buffer, from: string, to: string): Buffer {
  const out = Buffer.from(archive);
  const a = Buffer.from(from);
  const b = Buffer.from(to);
  for (let at = out.indexOf(a); at >= 0; at = out.indexOf(a, at + 1)) b.copy(out, at);
  return out;
}

function withParams(edit: (doc: Record<string, unknown>) => void): (entries: Entry[]) => Entry[] {
  return (entries) =>
    entries.map((e) => {
      if (e.name !== 'params.json') return e;
      const doc = JSON.parse(e.bytes.toString('utf8')) as Record<string, unknown>;
      edit(doc);
      return { ...e, bytes: Buffer.from(JSON.stringify(doc)) };
    });
}

describe('importing a parameter package', () => {
  let db: string;
  let zipFile: string;
  beforeAll(async () => {
    db = budgetDb(work, nationalBudget(), 'national.budget');
    zipFile = join(work, '2021_年度参数包.zip');
    writeFileSync(zipFile, await makePackage());
  });

  it('changes exactly the settings the package names, and says so', async () => {
    const before = settings(db);
    const r = await cli('params', 'import', zipFile, '--db', db);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const after = settings(db);
    expect(differences(before, after)).toEqual({
      'code:functional:2010301': ['行政运行|项|20103', '行政运行（机关）|项|20103'],
      'code:functional:2120817': [undefined, '土地储备专项支出|项|21208'],
      'budget:2010301': [undefined, 'gpb'],
      'budget:2120817': [undefined, 'gfb'],
      'rule:project.dates': ['soft', 'off'],
      'rule:indicator.target-missing-unit': ['soft', 'hard'],
      'rule:item.large-change:ratio': ['0.1', '0.2'],
      'ceiling:101001:gpb:basic': [undefined, '120000000'],
      'ceiling:101001:gpb:project': [undefined, '30000000'],
      'ceiling:101002:gpb:basic': [undefined, '15500000'],
    });
    // What it changed, as the terminal shows it.
    for (const text of ['某市财政局', '行政运行 → 行政运行（机关）', '新增 2120817', '不审核', '提示 → 错误', '0.1 → 0.2', '101002 某市测试中心 一般公共预算基本支出：无 → 15.5万元']) {
      expect(r.stdout).toContain(text);
    }
    // Kept with its source.
    const store = BudgetStore.open(db);
    try {
      const [record] = paramPackages(store);
      expect(record).toMatchObject({ fileName: '2021_年度参数包.zip', authority: { code: '101', name: '某市财政局' }, fiscalYear: 2021, sha256: fileSha(zipFile) });
      expect(record!.changes.ceilings).toHaveLength(3);
      // And the budget is audited with them: 101001 spends 122 on 一般公共预算 基本支出 against 120.
      const budget = store.loadBudget();
      const book = store.codeBook(2021);
      const f = auditBudget(budget, book, computeTables(budget, book), auditConfigFor(store));
      expect(f.filter((x) => x.rule === 'ceiling.exceeded').map((x) => x.place.row)).toEqual(['ceiling:101001:gpb:basic']);
      expect(f.some((x) => x.rule === 'project.dates')).toBe(false);
    } finally {
      store.close();
    }
    // The same package again changes nothing.
    const again = await cli('params', 'import', zipFile, '--db', db);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('没有改变任何设置');
    expect(settings(db)).toEqual(after);
  });

  it('refuses a tampered or malformed package, leaving the budget file byte-identical', async () => {
    const good = await makePackage();
    const cases: [string, Buffer | Promise<Buffer>, string][] = [
      ['a byte of params.json changed', repack(good, (e) => e.map((x) => (x.name === 'params.json' ? { ...x, bytes: Buffer.from(x.bytes.toString().replace('"120"', '"920"')) } : x)), true), '校验值不符'],
      ['params.json cut short', repack(good, (e) => e.map((x) => (x.name === 'params.json' ? { ...x, bytes: x.bytes.subarray(0, 100) } : x)), true), '大小不符'],
      ['a file the manifest does not list', repack(good, (e) => [...e, { name: 'extra.json', bytes: Buffer.from('{}') }], true), '清单未列出'],
      ['a listed file missing', repack(good, (e) => e.filter((x) => x.name !== 'functional.csv'), true), '缺少文件'],
      ['no params.json', repack(good, (e) => e.filter((x) => x.name !== 'params.json')), '缺少必需的文件'],
      ['a name pointing outside', repack(good, (e) => [...e, { name: 'aa/evil.json', bytes: Buffer.from('{}') }], true).then((b) => patchName(b, 'aa/evil.json', '../evil.json')), '..'],
      ['not a zip', Buffer.from('just text'), '不是有效的 zip'],
      ['cut short', good.subarray(0, good.length - 40), 'zip'],
      ['a newer format', repack(good, (e) => e.map((x) => (x.name === 'manifest.json' ? { ...x, bytes: Buffer.from(x.bytes.toString().replace(PARAMS_FORMAT, 'budget-params/9')) } : x)), true), '更新版本'],
      ['another year', makePackage(PARAMS, { year: 2020 }), '2020 年度'],
      ['an unknown rule', repack(good, withParams((d) => ((d.rules as Record<string, unknown>)['no.such'] = { level: 'off' }))), 'no.such'],
      ['a level that is none', repack(good, withParams((d) => ((d.rules as Record<string, unknown>)['project.dates'] = { level: 'maybe' }))), 'level'],
      ['a threshold that is not one', repack(good, withParams((d) => ((d.rules as Record<string, unknown>)['item.large-change'] = { params: { ratio: '十' } }))), '不是比例'],
      ['an identity that does not read', repack(good, withParams((d) => (d.identities = [{ id: 'x.y', level: 'hard', description: '坏', expressions: [{ expression: 'T03.total = 0' }] }]))), '表达式'],
      ['a negative 控制数', repack(good, withParams((d) => ((d.ceilings as { amount: string }[])[0]!.amount = '-1'))), '负数'],
      ['a 控制数 twice', repack(good, withParams((d) => (d.ceilings = [...(d.ceilings as unknown[]), (d.ceilings as unknown[])[0]]))), '重复'],
      ['a 项 under a parent nobody has', makePackage(PARAMS, { functional: 'code,name,level,parent_code\n9990101,无主项,项,99901\n' }), '99901'],
      ['a budget column that is none', makePackage(PARAMS, { functional: 'code,name,level,parent_code,budget\n2010301,行政运行,项,20103,社保基金\n' }), '预算类别'],
      ['a format to use that nobody has', repack(good, withParams((d) => (d.format = 'shanghai-2030'))), 'shanghai-2030'],
    ];
    for (const [what, archive, mention] of cases) {
      const file = join(work, 'bad.zip');
      writeFileSync(file, await archive);
      const before = fileSha(db);
      const backups = existsSync(`${db}.备份`) ? readdirSync(`${db}.备份`).length : 0;
      const r = await cli('params', 'import', file, '--db', db);
      expect(r.code, `${what}: ${r.stdout}`).toBe(2);
      expect(r.stderr, what).toContain(mention);
      expect(r.stdout, what).toBe('');
      expect(fileSha(db), what).toBe(before);
      expect(existsSync(`${db}.备份`) ? readdirSync(`${db}.备份`).length : 0, `${what}: no backup of a refused import`).toBe(backups);
    }
  });
});

describe('控制数 and 上报', () => {
  it('a budget over a 控制数 cannot be packaged; within it, it can', async () => {
    const budget = fixtureBudget(true);
    const db = budgetDb(work, budget, 'jiyuan.budget');
    const over = await makePackage(
      { amountUnit: '万元', ceilings: [{ unit: '074001', fundGroup: 'gpb', kind: 'basic', amount: '560.79' }] },
      { year: 2020, functional: null },
    );
    const zipFile = join(work, 'ceilings-2020.zip');
    writeFileSync(zipFile, over);
    expect((await cli('params', 'import', zipFile, '--db', db)).code).toBe(0);
    const out = join(work, 'usb');
    rmSync(out, { recursive: true, force: true });
    (await import('node:fs')).mkdirSync(out);
    const notes = notesFor(budget);
    const refused = await exportPackage({ dbPath: db, outDir: out, notes, lock: false }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(PackageError);
    expect((refused as PackageError).code).toBe('audit-hard');
    expect((refused as PackageError).message).toContain('超过控制数 560.79万元');
    expect(readdirSync(out)).toEqual([]);
    // The command line says the same.
    const check = await cli('check', '--db', db);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('ceiling.exceeded');
    // At the ceiling, it packages.
    writeFileSync(zipFile, await makePackage({ amountUnit: '万元', ceilings: [{ unit: '074001', fundGroup: 'gpb', kind: 'basic', amount: '560.8' }] }, { year: 2020, functional: null }));
    expect((await cli('params', 'import', zipFile, '--db', db)).code).toBe(0);
    const done = await exportPackage({ dbPath: db, outDir: out, notes, lock: false });
    expect(existsSync(done.file)).toBe(true);
  }, 120_000);
});

describe('params export', () => {
  it('a department’s settings as a package set a unit’s file the same way', async () => {
    const department = budgetDb(work, nationalBudget(), 'department-2021.budget');
    const zipFile = join(work, 'bureau.zip');
    writeFileSync(zipFile, await makePackage());
    expect((await cli('params', 'import', zipFile, '--db', department)).code).toBe(0);
    const exported = join(work, 'for-units.zip');
    const r = await cli('params', 'export', '--out', exported, '--db', department, '--authority', '某市测试局');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('控制数 3 个');
    const unit = budgetDb(work, nationalBudget(), 'unit-2021.budget');
    const imported = await cli('params', 'import', exported, '--db', unit);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('某市测试局');
    expect(settings(unit)).toEqual(settings(department));
  });
});

describe('reasons for large changes beyond this year', () => {
  it('feed the 预算说明 and come to next year’s budget as starting texts', async () => {
    const { draftDocument } = await import('../../core/document/index.js');
    const { changeReasonRows } = await import('../../db/params.js');
    const { serializeExchange } = await import('../../core/exchange.js');
    const { defaultCodeBook } = await import('../../db/defaults.js');
    const last = fixtureBudget(true);
    last.changeReasons = { '2010350': '新增编制 3 人。', '2010306': '政务服务外包合同到期续签' };
    // In the 预算说明: the 类 201 sentence carries the reasons of its 项.
    const book = defaultCodeBook(2020);
    const doc = draftDocument(last, computeTables(last, book));
    const five = doc.paragraphs.filter((p) => p.section === '2.5' && p.kind === 'body').map((p) => p.runs.map((r) => r.text).join(''));
    expect(five.join('')).toContain('一般公共服务（类）支出1670.9万元，占96.02%，主要原因是：政务服务外包合同到期续签；新增编制 3 人');
    // Next year: `prior import` of last year's file offers them as starting texts; nothing is written as a reason.
    const lastFile = join(work, 'last-2020.json');
    writeFileSync(lastFile, serializeExchange(last));
    const next = fixtureBudget(true);
    next.fiscalYear = 2021;
    const db = budgetDb(work, next, 'next-2021.budget');
    const r = await cli('prior', 'import', lastFile, '--db', db);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('上年变动原因 2 条');
    const store = BudgetStore.open(db);
    try {
      expect(changeReasonRows(store)).toEqual([
        { code: '2010306', reason: null, prior: '政务服务外包合同到期续签' },
        { code: '2010350', reason: null, prior: '新增编制 3 人。' },
      ]);
      expect(store.loadBudget().changeReasons).toBeUndefined();
    } finally {
      store.close();
    }
  });
});

describe('a budget file of an older app', () => {
  it('is upgraded by an imported package, and left byte-identical by a refused one', async () => {
    const { copyFileSync, mkdirSync } = await import('node:fs');
    const { MIGRATIONS_DIR, loadMigrations } = await import('../../db/migrate.js');
    const migrations = loadMigrations(MIGRATIONS_DIR);
    const olderApp = join(work, 'migrations-older-app');
    mkdirSync(olderApp, { recursive: true });
    // The app before the parameter package's migration.
    const before = migrations.filter((m) => !m.name.includes('params'));
    for (const m of before) copyFileSync(join(MIGRATIONS_DIR, m.name), join(olderApp, m.name));
    const db = join(work, 'older-app.budget');
    const store = BudgetStore.open(db, { create: true, migrationsDir: olderApp });
    store.replaceBudget(nationalBudget());
    store.close();
    const original = fileSha(db);

    const bad = join(work, 'older-bad.zip');
    writeFileSync(bad, await repack(await makePackage(), withParams((d) => ((d.rules as Record<string, unknown>)['no.such'] = { level: 'off' }))));
    const refused = await cli('params', 'import', bad, '--db', db);
    expect(refused.code).toBe(2);
    expect(fileSha(db)).toBe(original);

    const good = join(work, 'older-good.zip');
    writeFileSync(good, await makePackage());
    const imported = await cli('params', 'import', good, '--db', db);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const upgraded = BudgetStore.open(db);
    try {
      expect(upgraded.appliedMigrations().map((m) => m.name)).toEqual(migrations.map((m) => m.name));
      expect(storedCeilings(upgraded)).toHaveLength(3);
    } finally {
      upgraded.close();
    }
  });
});

describe('params ceilings', () => {
  it('a department types its units’ 控制数 in a spreadsheet; they go out with params export', async () => {
    const department = budgetDb(work, nationalBudget(), 'department-ceilings.budget');
    const bad = join(work, 'ceilings-bad.csv');
    writeFileSync(bad, 'unit,fund_group,kind,project,amount\n101001,社保基金,基本支出,,10\n101001,一般公共预算,基本,P1,-3\n');
    const before = fileSha(department);
    const refused = await cli('params', 'ceilings', bad, '--db', department);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('第 2 行（fund_group）');
    expect(refused.stderr).toContain('第 3 行（project）');
    expect(refused.stderr).toContain('负数');
    expect(fileSha(department)).toBe(before);

    const good = join(work, 'ceilings.csv');
    writeFileSync(good, 'unit,fund_group,kind,project,amount\r\n101001,一般公共预算,基本支出,,"1,200"\r\n101003,政府性基金预算,项目支出,P2,50\r\n');
    const r = await cli('params', 'ceilings', good, '--db', department);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('2 个单位的 2 个控制数');
    const exported = join(work, 'department-ceilings.zip');
    expect((await cli('params', 'export', '--out', exported, '--db', department)).code).toBe(0);
    const unit = budgetDb(work, nationalBudget(), 'unit-ceilings.budget');
    expect((await cli('params', 'import', exported, '--db', unit)).code).toBe(0);
    const store = BudgetStore.open(unit);
    try {
      expect(storedCeilings(store).map((c) => [ceilingId(c), c.amount])).toEqual([
        ['101001:gpb:basic', 1_200_000_000n],
        ['101003:gfb:project:P2', 50_000_000n],
      ]);
    } finally {
      store.close();
    }
  });
});
