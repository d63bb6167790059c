// The 预算说明 API over a real budget file: 导入上年数据 from last year's exchange file or 上报 package (the same
// figures `prior import` takes), 上年数 typed in the app (totals, 三公 items, 功能分类 codes), the prior-year view
// the grid's 上年数 / 增减 column reads, and every 预算说明 action as one step on the undo stack.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ApiInput, ApiOutputs } from '../../api/contract.js';
import { auditBudget } from '../../core/audit/index.js';
import { priorYearFromBudget } from '../../core/document/index.js';
import { serializeExchange } from '../../core/exchange.js';
import type { Budget } from '../../core/model.js';
import { amount } from '../../core/money.js';
import { computeTables, TableEngine } from '../../core/tables/index.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { changeReasonRows } from '../../db/params.js';
import { BudgetStore } from '../../db/store.js';
import { buildPackage } from '../../submission/export.js';
import { fixtureBudget, notesFor } from './submission-fixture.js';
import { useApiFixture } from './api-support.js';

const api = useApiFixture({ prefix: 'document-api-' });
const { ok, refused } = api;

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Last year's budget (2019): the fixture one year earlier, with 公务接待费 and 住房公积金 larger. */
function lastYear(): Budget {
  const b = fixtureBudget();
  b.fiscalYear = 2019;
  b.priorYear = null;
  b.narrative = undefined;
  for (const l of b.lines) {
    if (l.economic === '30217' && l.kind === 'basic') l.amount += amount('1');
    if (l.functional === '2210201') l.amount += amount('2.3');
  }
  return b;
}

function upload(bytes: Buffer, fileName: string): ApiInput<'document.importPrior'> {
  return { upload: { fileName, base64: bytes.toString('base64') } };
}

function storedPrior() {
  const store = BudgetStore.open(api.dbPath);
  try {
    return store.loadBudget().priorYear;
  } finally {
    store.close();
  }
}

describe('导入上年数据 in the app', () => {
  it('takes last year’s exchange file: the figures `prior import` takes, the sentences follow, one undo step', async () => {
    const before = await ok('document.view', {});
    expect(before.prior.amounts.total).toBe('2475.7');
    const prior = lastYear();
    const r = await ok('document.importPrior', upload(Buffer.from(serializeExchange(prior)), '2019年预算.json'));
    const engine = new TableEngine(prior, defaultCodeBook(2019));
    const expected = priorYearFromBudget(prior, engine.tables(), engine.functionalSubtotals());
    expect(storedPrior()).toEqual(expected);
    expect(r.message).toContain('已从交换文件“2019年预算.json”导入 2019 年“济源市行政服务中心”的上年数：收支总计 1743.5万元');
    expect(r.view.prior.amounts.total).toBe('1743.5');
    expect(r.view.prior.items.reception).toBe('2.5');
    expect(r.view.prior.functionalCodes).toBe(Object.keys(expected.functional!).length);
    const sentence = r.view.paragraphs.filter((p) => p.section === '2.1').map((p) => p.runs.map((x) => x.text).join(''));
    expect(sentence.join('')).toContain('与2019年相比，收、支总计各减少3.3万元，减少0.19%');

    const info = await ok('budget.info', {});
    expect(info.canUndo).toBe(true);
    const undone = await ok('edit.undo', {});
    expect(undone.message).toBe('已撤销：导入上年数据');
    expect(storedPrior()).toEqual({ total: amount('2475.7'), threePublic: amount('8.5') });
    expect((await ok('document.view', {})).prior.amounts.total).toBe('2475.7');
    await ok('edit.redo', {});
    expect(storedPrior()).toEqual(expected);
  });

  it('brings last year’s reasons for large changes as starting texts, as `prior import` does; undo takes them back', async () => {
    const prior = lastYear();
    prior.changeReasons = { '2010306': '智慧城市指挥中心扩建', '221': ' ' };
    const reasons = () => {
      const store = BudgetStore.open(api.dbPath);
      try {
        return changeReasonRows(store).map((r) => `${r.code}:${r.prior}`);
      } finally {
        store.close();
      }
    };
    const r = await ok('document.importPrior', upload(Buffer.from(serializeExchange(prior)), 'p.json'));
    expect(r.message).toContain('，上年变动原因 1 条（作为本年填写的起点）');
    expect(reasons()).toEqual(['2010306:智慧城市指挥中心扩建']);
    await ok('edit.undo', {});
    expect(reasons()).toEqual([]);
    await ok('edit.redo', {});
    expect(reasons()).toEqual(['2010306:智慧城市指挥中心扩建']);
  });

  it('takes last year’s 上报 package, verified as a received one', async () => {
    const prior = lastYear();
    const book = defaultCodeBook(2019);
    const tables = computeTables(prior, book);
    const built = await buildPackage(prior, tables, auditBudget(prior, book, tables), { book, notes: notesFor(prior), now: new Date('2019-06-01T10:00:00') });
    const r = await ok('document.importPrior', upload(built.bytes, built.name));
    expect(r.message).toContain('已从上报数据包');
    expect(r.view.prior.amounts.total).toBe('1743.5');
    expect(r.view.prior.amounts.threePublic).toBe('7.1');
  });

  it('refuses a file of the wrong year, a damaged package and a file that is neither; the budget file is unchanged', async () => {
    api.close();
    const hash = sha(api.dbPath);
    api.open();
    const sameYear = await refused('document.importPrior', upload(Buffer.from(serializeExchange(fixtureBudget())), 'x.json'));
    expect(sameYear).toContain('文件中是 2020 年的预算，本预算为 2020 年，上年数应取自 2019 年的预算');
    const prior = lastYear();
    const book = defaultCodeBook(2019);
    const tables = computeTables(prior, book);
    const built = await buildPackage(prior, tables, auditBudget(prior, book, tables), { book, notes: notesFor(prior), now: new Date('2019-06-01T10:00:00') });
    const damaged = Buffer.from(built.bytes);
    damaged[Math.floor(damaged.length / 2)]! ^= 0xff;
    expect(await refused('document.importPrior', upload(damaged, 'p.zip'))).toContain('未导入上年数据（“p.zip”）');
    expect(await refused('document.importPrior', upload(Buffer.from('{"format": 1}'), 'n.json'))).toContain('既不是上报数据包，也不是有效的预算交换文件');
    expect((await ok('budget.info', {})).canUndo).toBe(false);
    api.close();
    expect(sha(api.dbPath)).toBe(hash);
    api.open();
  });
});

describe('上年数 typed in the 预算说明 tab', () => {
  it('sets totals, 三公 items and 功能分类 figures in one step; undo and redo restore each side exactly', async () => {
    const v = await ok('document.savePrior', {
      amounts: { total: '2475.7', threePublic: '8.5', basic: '550' },
      items: { reception: '1.5', vehicleRunning: '7' },
      functional: { '201': '2400', '2010306': '1,900', '221': '30' },
    });
    expect(v.prior.amounts.basic).toBe('550');
    expect(v.prior.functionalCodes).toBe(3);
    const saved = storedPrior();
    expect(saved).toEqual({
      total: amount('2475.7'),
      threePublic: amount('8.5'),
      basic: amount('550'),
      threePublicItems: { reception: amount('1.5'), vehicleRunning: amount('7') },
      functional: { '201': amount('2400'), '2010306': amount('1900'), '221': amount('30') },
    });
    const section = (view: ApiOutputs['document.view'], id: string) =>
      view.paragraphs
        .filter((p) => p.section === id)
        .map((p) => p.runs.map((r) => r.text).join(''))
        .join('');
    expect(section(v, '2.5')).toContain('一般公共服务（类）支出1670.9万元，占96.02%，比2019年减少729.1万元，减少30.38%');

    // A 功能分类 figure removed ('') and one changed: the others stay.
    await ok('document.savePrior', { amounts: v.prior.amounts, items: v.prior.items, functional: { '221': '', '201': '2500' } });
    expect(storedPrior()!.functional).toEqual({ '201': amount('2500'), '2010306': amount('1900') });

    expect((await ok('edit.undo', {})).message).toBe('已撤销：修改上年数');
    expect(storedPrior()).toEqual(saved);
    await ok('edit.undo', {});
    expect(storedPrior()).toEqual({ total: amount('2475.7'), threePublic: amount('8.5') });
    await ok('edit.redo', {});
    expect(storedPrior()).toEqual(saved);
  });

  it('refuses a bad figure naming it, and saving what is there already is no step', async () => {
    const message = await refused('document.savePrior', { amounts: { total: 'abc' }, items: {}, functional: { '2010306': '-1' } });
    expect(message).toContain('上年数有 2 处填写有误，未保存');
    expect(await refused('document.savePrior', { amounts: {}, items: {}, functional: { '2010': '1' } })).toBe('上年数的功能分类科目“2010”不对：编码应为 3、5 或 7 位数字');
    await ok('document.savePrior', { amounts: { total: '2475.7', threePublic: '8.5' }, items: {} });
    expect((await ok('budget.info', {})).canUndo).toBe(false);
  });
});

describe('预算说明 texts on the undo stack', () => {
  it('one step per save, in order with line edits, kept in the file across a restart', async () => {
    const { lines } = await ok('lines.list', {});
    const line = lines.find((l) => l.economic === '30217')!;
    await ok('document.saveTexts', { texts: [{ key: 'reason.total', value: '项目已经完成' }] });
    await ok('lines.update', { id: line.id, field: 'amount', value: '9' });
    await ok('document.saveTexts', { texts: [{ key: 'reason.total', value: '扩建项目已经完成' }] });
    await ok('document.saveTexts', { texts: [{ key: 'shortName', value: '行政服务中心' }] });

    // Across a restart of the host the history is still there.
    api.reopen();
    const text = async (key: string) => (await ok('document.view', {})).fields.find((f) => f.key === key)!;
    expect((await ok('edit.undo', {})).message).toBe('已撤销：修改预算说明“部门简称”');
    expect((await text('shortName')).typed).toBe(false);
    expect((await text('reason.total')).value).toBe('扩建项目已经完成');
    await ok('edit.undo', {});
    expect((await text('reason.total')).value).toBe('项目已经完成');
    const u = await ok('edit.undo', {});
    expect(u.changed.map((l) => l.id)).toEqual([line.id]);
    expect((await text('reason.total')).value).toBe('项目已经完成');
    await ok('edit.undo', {});
    expect((await text('reason.total')).typed).toBe(false);
    expect((await ok('budget.info', {})).canUndo).toBe(false);
    await ok('edit.redo', {});
    expect((await text('reason.total')).value).toBe('项目已经完成');
  });

  it('a typed figure and its 审核 finding come and go with undo', async () => {
    await ok('document.saveTexts', { texts: [{ key: 'figure:basic.share', value: '32.22' }] });
    const rule = (r: ApiOutputs['audit.run']) => r.findings.filter((f) => f.rule === 'narrative.figure-disagrees').length;
    expect(rule(await ok('audit.run', {}))).toBe(1);
    expect((await ok('edit.undo', {})).message).toBe('已撤销：手工填写预算说明中的数字');
    expect(rule(await ok('audit.run', {}))).toBe(0);
  });

  it('undo is refused, changing nothing, when the file’s text is no longer what the step left', async () => {
    await ok('document.saveTexts', { texts: [{ key: 'reason.total', value: '甲' }] });
    api.close();
    const store = BudgetStore.open(api.dbPath);
    store.setNarrativeTexts({ 'reason.total': '乙' });
    store.close();
    api.open();
    expect(await refused('edit.undo', {})).toContain('预算说明已在别处被修改');
    expect((await ok('document.view', {})).fields.find((f) => f.key === 'reason.total')!.value).toBe('乙');
  });
});

describe('上年数 per 功能分类 for the grid', () => {
  it('lists this year’s subtotal, last year’s figure and the 增减 for every 类/款/项 of either year', async () => {
    await ok('document.savePrior', { amounts: {}, items: {}, functional: { '201': '2400', '2010306': '1179.4', '221': '30', '213': '5' } });
    const v = await ok('document.priorFunctional', {});
    expect(v.priorYear).toBe(2019);
    expect(v.unit).toBe('万元');
    const row = new Map(v.rows.map((r) => [r.code, r]));
    expect(row.get('201')).toEqual({ code: '201', level: '类', name: '一般公共服务支出', current: '1670.9', prior: '2400', change: '-729.1', rate: '-30.38' });
    expect(row.get('2010306')).toMatchObject({ level: '项', current: '1179.4', prior: '1179.4', change: '0', rate: '0.00' });
    expect(row.get('20103')).toMatchObject({ level: '款', current: '1670.9', prior: null, change: null, rate: null });
    // A 类 last year had and this year has not: shown with 0 this year.
    expect(row.get('213')).toMatchObject({ current: '0', prior: '5', change: '-5', rate: '-100.00' });
    expect(v.rows.map((r) => r.code)).toEqual([...v.rows.map((r) => r.code)].sort());
    // Follows a line edit (the engine's subtotals).
    const { lines } = await ok('lines.list', {});
    const housing = lines.find((l) => l.functional === '2210201')!;
    await ok('lines.update', { id: housing.id, field: 'amount', value: '30' });
    const after = new Map((await ok('document.priorFunctional', {})).rows.map((r) => [r.code, r]));
    expect(after.get('221')).toMatchObject({ current: '30', prior: '30', change: '0' });
  });
});

describe('上年 columns of a publication format in the app', () => {
  it('N7 of the national format prints the 上年数 typed in the 预算说明 tab, and loses them again on undo', async () => {
    await ok('formats.choose', { id: 'national' });
    const n7 = async () => {
      const t = (await ok('reports.tables', {})).tables.find((x) => x.id === 'N7')!;
      return t.rows.flatMap((r) => r.cells.filter((c) => c.column?.startsWith('prior:')).map((c) => `${c.column}=${c.text}`));
    };
    // The fixture's 上年 “三公” 8.5 万元, no items.
    expect(await n7()).toEqual(['prior:total=8.50', 'prior:abroad=', 'prior:vehicle=', 'prior:vehicle-purchase=', 'prior:vehicle-running=', 'prior:reception=']);
    await ok('document.savePrior', { amounts: { total: '2475.7', threePublic: '9' }, items: { abroad: '0', reception: '1.5', vehicleRunning: '7.5' } });
    expect(await n7()).toEqual(['prior:total=9.00', 'prior:abroad=', 'prior:vehicle=7.50', 'prior:vehicle-purchase=', 'prior:vehicle-running=7.50', 'prior:reception=1.50']);
    await ok('edit.undo', {});
    expect(await n7()).toEqual(['prior:total=8.50', 'prior:abroad=', 'prior:vehicle=', 'prior:vehicle-purchase=', 'prior:vehicle-running=', 'prior:reception=']);
    // A restart reads them from the file.
    await ok('edit.redo', {});
    api.reopen();
    expect((await n7())[0]).toBe('prior:total=9.00');
  });
});
