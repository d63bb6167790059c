// The 年度参数包 API over a real budget file, called through dispatch as the hosts call it: a package inspected
// (nothing written) and imported, 控制数 following every edit, a rule changed with a reason, reasons for large
// changes, and the session's 审核 counts equal to a full 审核 throughout.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import Decimal from 'decimal.js';
import type { ApiOutputs } from '../../api/contract.js';
import type { ParamsDocument } from '../../core/params/package.js';
import { buildParamsPackage } from '../../submission/params-package.js';
import { useApiFixture, WORKED_EXAMPLE } from './api-support.js';

const FIXTURE = JSON.parse(readFileSync(WORKED_EXAMPLE, 'utf8')) as Record<string, unknown>;
// Last year's figures by 项, so that large changes can be compared.
FIXTURE.priorYear = { ...(FIXTURE.priorYear as object), functional: { '2010350': '440', '2010306': '1179.4', '2080505': '39.6', '2210201': '29.7' } };

const api = useApiFixture({ prefix: 'params-api-', exchangeText: JSON.stringify(FIXTURE) });
const { ok, refused } = api;

async function upload(params: ParamsDocument, year = 2020) {
  const { bytes } = await buildParamsPackage({
    fiscalYear: year,
    authority: { code: '419001', name: '济源市财政局' },
    params,
    codeLists: [],
    formats: [],
    app: { name: '测试', version: '1' },
    now: new Date(2026, 10, 1),
  });
  return { fileName: '2020_年度参数包.zip', base64: bytes.toString('base64'), sha256: createHash('sha256').update(bytes).digest('hex') };
}

const fileSha = () => createHash('sha256').update(readFileSync(api.dbPath)).digest('hex');

/** The session's counts against a full 审核 of the same budget. */
async function expectCountsAgree() {
  const info = await ok('budget.info', {});
  const full = await ok('audit.run', {});
  expect(info.audit).toEqual(full.summary);
  return full;
}

describe('年度参数包 through the API', () => {
  it('inspects without writing, imports, and the 控制数 follow every edit', async () => {
    const pkg = await upload({
      amountUnit: '万元',
      rules: { 'project.total-below-year': { level: 'soft' } },
      ceilings: [
        { unit: '074001', fundGroup: 'gpb', kind: 'basic', amount: '561' },
        { unit: '074001', fundGroup: 'gpb', kind: 'project', amount: '1200' },
      ],
    });
    api.close();
    const before = fileSha();
    api.open();
    const preview = await ok('params.inspect', { upload: { fileName: pkg.fileName, base64: pkg.base64 } });
    expect(preview).toMatchObject({ authority: '济源市财政局', fiscalYear: 2020, sha256: pkg.sha256, unchanged: false });
    expect(preview.sections.map((s) => s.title)).toEqual(['审核规则', '控制数']);
    expect(preview.sections[1]!.lines).toEqual(['074001 济源市行政服务中心 一般公共预算基本支出：无 → 561万元', '074001 济源市行政服务中心 一般公共预算项目支出：无 → 1200万元']);
    api.close();
    expect(fileSha()).toBe(before);
    api.open();

    expect(await refused('params.import', { upload: { fileName: pkg.fileName, base64: pkg.base64 }, sha256: '0'.repeat(64) })).toContain('不同');
    const done = await ok('params.import', { upload: { fileName: pkg.fileName, base64: pkg.base64 }, sha256: pkg.sha256 });
    expect(done.message).toContain('济源市财政局');
    // P05 and P09 are now soft: no hard finding left.
    const full = await expectCountsAgree();
    expect(full.summary.errors).toBe(0);

    let c = await ok('params.ceilings', {});
    expect(c.rows.map((r) => [r.kindLabel, r.ceiling, r.used, r.remaining, r.exceeded])).toEqual([
      ['基本支出', '561', '560.8', '0.2', false],
      ['项目支出', '1200', '1179.4', '20.6', false],
    ]);
    // An edit of a basic line: used and remaining follow; over the ceiling it is a hard finding at once.
    const lines = await ok('lines.list', {});
    const basic = lines.lines.find((l) => l.kind === 'basic' && l.fund === 'gpb.appropriation')!;
    const edited = await ok('lines.update', { id: basic.id, field: 'amount', value: new Decimal(basic.amount).plus('0.5').toFixed(2) });
    c = await ok('params.ceilings', {});
    expect(c.rows[0]).toMatchObject({ used: '561.3', remaining: '-0.3', exceeded: true });
    expect(c.exceeded).toBe(1);
    expect(edited.audit.errors).toBe(1);
    const after = await expectCountsAgree();
    expect(after.findings.find((f) => f.rule === 'ceiling.exceeded')).toMatchObject({ severity: 'error', place: { row: 'ceiling:074001:gpb:basic' } });
    // Undo brings it back under.
    const undone = await ok('edit.undo', {});
    expect(undone.audit.errors).toBe(0);
    expect((await ok('params.ceilings', {})).rows[0]).toMatchObject({ used: '560.8', remaining: '0.2', exceeded: false });
    // The imported package is kept with its source.
    const v = await ok('params.view', {});
    expect(v.packages).toEqual([expect.objectContaining({ fileName: '2020_年度参数包.zip', authority: '济源市财政局' })]);
    expect(v.rules.find((r) => r.id === 'project.total-below-year')).toMatchObject({ level: 'soft', defaultLevel: 'hard', setBy: '济源市财政局' });
  });

  it('refuses a package of another year, and a damaged one, changing nothing', async () => {
    const other = await upload({ amountUnit: '万元' }, 2021);
    expect(await refused('params.inspect', { upload: { fileName: other.fileName, base64: other.base64 } })).toContain('2021 年度');
    const bytes = Buffer.from((await upload({ amountUnit: '万元' })).base64, 'base64');
    bytes[80] = bytes[80]! ^ 0xff;
    expect(await refused('params.inspect', { upload: { fileName: 'x.zip', base64: bytes.toString('base64') } })).toMatch(/zip|损坏|不符/);
    expect((await ok('params.view', {})).packages).toEqual([]);
  });

  it('a rule changed by the user needs a reason, and is recorded with it', async () => {
    expect(await refused('params.setRule', { rule: 'project.dates', level: 'off', reason: '  ' })).toContain('原因');
    expect(await refused('params.setRule', { rule: 'no.such', level: 'off', reason: '试' })).toContain('no.such');
    const v = await ok('params.setRule', { rule: 'item.large-change', params: { ratio: '25%' }, reason: '财政局通知调整为 25%' });
    expect(v.rules.find((r) => r.id === 'item.large-change')).toMatchObject({ setBy: '本单位', reason: '财政局通知调整为 25%' });
    expect(v.rules.find((r) => r.id === 'item.large-change')!.params[0]).toMatchObject({ value: '0.25', defaultValue: '0.1' });
    expect(v.changes.threshold).toBe('25%');
    await expectCountsAgree();
  });

  it('the wizard shows and gates on the level the file’s rule set gives a rule, as 审核 does', async () => {
    const missingUnit = (p: ApiOutputs['wizard.project']) => p.findings.filter((f) => f.rule === 'indicator.target-missing-unit').map((f) => f.severity);
    const rowWarning = (p: ApiOutputs['wizard.project']) => p.indicators[9]!.target.warnings.filter((w) => w.code === 'missing-unit').map((w) => w.severity);
    let p = await ok('wizard.project', { code: 'P02' });
    expect(missingUnit(p)).toEqual(['warning']);
    expect(rowWarning(p)).toEqual(['warning']);
    await ok('params.setRule', { rule: 'indicator.target-missing-unit', level: 'hard', reason: '按财政局要求' });
    p = await ok('wizard.project', { code: 'P02' });
    expect(missingUnit(p)).toEqual(['error']);
    expect(rowWarning(p)).toEqual(['error']);
    const audit = await ok('audit.run', {});
    expect(audit.findings.filter((f) => f.rule === 'indicator.target-missing-unit').map((f) => f.severity)).toEqual(['error', 'error']);
    await ok('params.setRule', { rule: 'indicator.target-missing-unit', level: 'off', reason: '不再审核' });
    p = await ok('wizard.project', { code: 'P02' });
    expect(missingUnit(p)).toEqual([]);
    expect(rowWarning(p)).toEqual([]);
  });

  it('reasons for large changes: a soft finding until written, counted edit by edit', async () => {
    let v = await ok('params.view', {});
    // 2010350 事业运行 491.50 against 440 (+11.70%); the others did not change.
    expect(v.changes.rows.map((r) => [r.code, r.name, r.current, r.prior, r.ratio, r.direction])).toEqual([['2010350', '事业运行', '491.5', '440', '11.70%', '增加']]);
    let full = await expectCountsAgree();
    expect(full.findings.filter((f) => f.rule === 'item.large-change')).toHaveLength(1);
    const saved = await ok('params.saveReasons', { reasons: [{ code: '2010350', text: '新增编制 3 人' }] });
    expect(saved.changes.rows[0]!.reason).toBe('新增编制 3 人');
    full = await expectCountsAgree();
    expect(full.findings.filter((f) => f.rule === 'item.large-change')).toEqual([]);
    expect(saved.audit).toEqual(full.summary);
    // A placeholder as the reason is a hard finding.
    await ok('params.saveReasons', { reasons: [{ code: '2010350', text: '原因待填写' }] });
    full = await expectCountsAgree();
    expect(full.findings.filter((f) => f.rule === 'text.placeholder').map((f) => f.place)).toEqual([{ row: '2010350', field: 'changeReason' }]);
    // Kept in the file and in the exchange format.
    api.reopen();
    v = await ok('params.view', {});
    expect(v.changes.rows[0]!.reason).toBe('原因待填写');
    const exported = await ok('exchange.export', {});
    expect(JSON.parse(exported.text).changeReasons).toEqual({ '2010350': '原因待填写' });
  });
});
