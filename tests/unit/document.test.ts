// The 预算说明 drafted from the worked example (济源市行政服务中心 2020, last year's total 2,475.7 万元 and
// 三公 8.5 万元 from the fixture's priorYear): every published amount of 第二部分, the one share rule, the
// figures the app writes where the publication truncated, and a typed figure that disagrees being a 审核 finding.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditBudget } from '../../core/audit/index.js';
import {
  chartOption,
  changeAgainst,
  changeRate,
  draftDocument,
  narrativeAmount,
  paragraphText,
  sharesOf,
  type BudgetDocument,
} from '../../core/document/index.js';
import { parseExchange, serializeExchange } from '../../core/exchange.js';
import type { Budget } from '../../core/model.js';
import { amount } from '../../core/money.js';
import { computeTables, TableEngine } from '../../core/tables/index.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { BudgetStore } from '../../db/store.js';
import { fixtureBudget, tempDir } from './submission-fixture.js';

function draft(budget: Budget): BudgetDocument {
  return draftDocument(budget, computeTables(budget, defaultCodeBook(budget.fiscalYear)));
}

/** The printed text of the paragraphs of one section ("2.1" = 第二部分 一), without headings and chart captions. */
function section(doc: BudgetDocument, id: string): string {
  return doc.paragraphs
    .filter((p) => p.section === id && p.kind !== 'heading' && p.kind !== 'chart')
    .map((p) => paragraphText(p))
    .join('\n');
}

describe('the share and change rule', () => {
  it('rounds half-up to 0.01% and makes a complete set add up to 100.00% by adjusting the last share', () => {
    // 560.8 / 1740.2 = 32.2262…%, 1179.4 / 1740.2 = 67.7738…%
    expect(sharesOf([amount('560.8'), amount('1179.4')], amount('1740.2'))).toEqual(['32.23', '67.77']);
    // 1670.9 → 96.0177…, 39.6 → 2.2756…, 29.7 → 1.7067… would round to 1.71 and add up to 100.01%
    expect(sharesOf([amount('1670.9'), amount('39.6'), amount('29.7')], amount('1740.2'))).toEqual(['96.02', '2.28', '1.70']);
    // A set that does not cover its whole is not adjusted.
    expect(sharesOf([amount('1'), amount('1')], amount('3'))).toEqual(['33.33', '33.33']);
    expect(sharesOf([amount('1')], 0n)).toBeNull();
    expect(changeAgainst(amount('1740.2'), amount('2475.7'))).toEqual({ direction: '减少', amount: amount('735.5'), rate: '29.71' });
    expect(changeAgainst(amount('5'), amount('5')).direction).toBe('持平');
    expect(narrativeAmount(amount('24'), '万元')).toBe('24');
    expect(narrativeAmount(amount('1740.205'), '万元')).toBe('1740.21');
    expect(narrativeAmount(0n, '万元')).toBe('0');
  });

  it('has one 增减率: the sentences’ rate is the signed rate the grid’s 上年数 / 增减 column shows, without its sign', () => {
    // −2.3 / 32 = −7.1875% and +1 / 32 = +3.125%: half-up, away from zero either way.
    expect(changeRate(amount('29.7'), amount('32'))).toBe(-719n);
    expect(changeRate(amount('33'), amount('32'))).toBe(313n);
    expect(changeAgainst(amount('29.7'), amount('32'))).toEqual({ direction: '减少', amount: amount('2.3'), rate: '7.19' });
    expect(changeAgainst(amount('33'), amount('32'))).toEqual({ direction: '增加', amount: amount('1'), rate: '3.13' });
    expect(changeRate(amount('1'), 0n)).toBeNull();
    expect(changeAgainst(amount('1'), 0n).rate).toBeNull();
  });
});

describe('预算说明 of the worked example', () => {
  const budget = fixtureBudget();
  const doc = draft(budget);

  it('carries every published amount of 第二部分', () => {
    expect(budget.priorYear).toEqual({ total: amount('2475.7'), threePublic: amount('8.5') });
    expect(section(doc, '2.1')).toBe(
      '济源市行政服务中心2020年收入总计1740.2万元，支出总计1740.2万元，与2019年相比，收、支总计各减少735.5万元，减少29.71%。',
    );
    expect(section(doc, '2.2')).toBe('济源市行政服务中心2020年收入合计1740.2万元，其中：一般公共预算收入1740.2万元。');
    expect(section(doc, '2.3')).toBe(
      '济源市行政服务中心2020年支出合计1740.2万元，其中：基本支出560.8万元，占32.23%；项目支出1179.4万元，占67.77%。',
    );
    expect(section(doc, '2.5')).toBe(
      '济源市行政服务中心2020年一般公共预算支出年初预算为1740.2万元。主要用于以下方面：一般公共服务（类）支出1670.9万元，占96.02%；' +
        '社会保障和就业（类）支出39.6万元，占2.28%；住房保障（类）支出29.7万元，占1.70%。',
    );
    expect(section(doc, '2.7')).toBe(
      [
        '济源市行政服务中心2020年“三公”经费预算为6.1万元。2020年“三公”经费支出预算数比2019年减少2.4万元。',
        '具体支出情况如下：',
        '（一）因公出国（境）费0万元。',
        '（二）公务接待费1.5万元。',
        '（三）公务用车购置及运行费4.6万元，其中，公务用车运行维护费4.6万元。',
      ].join('\n'),
    );
    expect(section(doc, '2.8')).toBe('济源市行政服务中心2020年政府性基金预算支出0万元。');
    expect(section(doc, '2.9')).toContain(
      '2020年系统政府采购预算安排392.8万元，其中：政府采购货物预算5.6万元、政府采购工程预算24万元、政府购买服务预算363.2万元。',
    );
  });

  it('writes the rounded figures where the publication truncated (knownInconsistencies)', () => {
    const figure = (id: string) => doc.figures.find((f) => f.id === id)?.computed;
    // Published: 32.22% / 67.78% (560.8/1740.2 = 32.226% truncated, the other forced to 100%) and 29.70%.
    expect(figure('basic.share')).toBe('32.23');
    expect(figure('project.share')).toBe('67.77');
    expect(figure('total.rate')).toBe('29.71');
    expect(figure('class.221.share')).toBe('1.70');
  });

  it('does not say 持平 for a 三公 item whose prior-year figure it does not know', () => {
    expect(section(doc, '2.7')).not.toContain('持平');
    const withItems = fixtureBudget();
    withItems.priorYear = { ...withItems.priorYear, threePublicItems: { abroad: 0n, reception: amount('1.5'), vehicleRunning: amount('7') } };
    const text = section(draft(withItems), '2.7');
    expect(text).toContain('（一）因公出国（境）费0万元，与2019年持平。');
    expect(text).toContain('（二）公务接待费1.5万元，与2019年持平。');
    expect(text).toContain('公务用车运行维护费4.6万元，比2019年减少2.4万元。');
  });

  it('shows placeholders for what only the user can write, and leaves them out of the printed text', () => {
    const p = doc.paragraphs.find((x) => x.section === '2.1' && x.kind === 'body')!;
    expect(paragraphText(p, { placeholders: true })).toContain('主要原因是：【请填写：收支总计增减的主要原因】');
    const typed = fixtureBudget();
    typed.narrative = { 'reason.total': '智慧城市指挥中心扩建项目已经完成', shortName: '行政服务中心' };
    expect(section(draft(typed), '2.1')).toBe(
      '行政服务中心2020年收入总计1740.2万元，支出总计1740.2万元，与2019年相比，收、支总计各减少735.5万元，减少29.71%。主要原因是：智慧城市指挥中心扩建项目已经完成。',
    );
  });

  it('follows an edit of the lines: the engine’s cells change the sentences', () => {
    const b = fixtureBudget();
    const engine = new TableEngine(b, defaultCodeBook(b.fiscalYear));
    const line = b.lines.find((l) => l.economic === '30217' && l.kind === 'basic')!;
    engine.apply({ before: line, after: { ...line, amount: line.amount + amount('1') } });
    const after = draftDocument(b, engine.tables());
    expect(section(after, '2.7')).toContain('“三公”经费预算为7.1万元。2020年“三公”经费支出预算数比2019年减少1.4万元。');
    expect(section(after, '2.1')).toContain('收入总计1741.2万元');
  });

  it('reports a figure typed by hand that disagrees with the budget as a hard 审核 finding', () => {
    const b = fixtureBudget();
    const book = defaultCodeBook(b.fiscalYear);
    b.narrative = { 'figure:basic.share': '32.22', 'figure:project.share': '67.77' };
    const findings = auditBudget(b, book, computeTables(b, book)).filter((f) => f.rule === 'narrative.figure-disagrees');
    expect(findings.map((f) => f.message)).toEqual(['预算说明中“基本支出占比”手工填写为 32.22%，按预算应为 32.23%']);
    expect(findings[0]!.severity).toBe('hard');
    // The typed figure is what the document prints.
    expect(section(draftDocument(b, computeTables(b, book)), '2.3')).toContain('基本支出560.8万元，占32.22%');
    // A typed count that is not a count is a finding as well.
    b.narrative = { 'assets.officialVehicles': '一辆' };
    expect(auditBudget(b, book, computeTables(b, book)).filter((f) => f.rule === 'narrative.figure-disagrees').map((f) => f.message)).toEqual([
      '预算说明“一般公务用车（辆）”应为整数，现为“一辆”',
    ]);
  });
});

describe('last year’s budget and the narrative in the exchange format and the budget file', () => {
  const detailed = (): Budget => {
    const b = fixtureBudget();
    b.priorYear = {
      total: amount('2475.7'),
      threePublic: amount('8.5'),
      basic: amount('550'),
      project: amount('1925.7'),
      generalPublicBudget: amount('2475.7'),
      governmentFund: 0n,
      operatingCost: 0n,
      threePublicItems: { abroad: 0n, reception: amount('1.5'), vehicleRunning: amount('7'), vehiclePurchase: 0n },
      functional: { '201': amount('2400'), '2010306': amount('1900'), '208': amount('45.7'), '221': amount('30') },
      economic: { '30217': amount('1.5'), '301': amount('500') },
    };
    b.narrative = { duties: '（一）负责…；\n（二）负责…。', 'reason.total': '项目已经完成' };
    return b;
  };

  it('round-trips through the exchange format; a file without the new fields stays valid', () => {
    const b = detailed();
    const text = serializeExchange(b);
    const parsed = parseExchange(text, defaultCodeBook);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.budget.priorYear).toEqual(b.priorYear);
    expect(parsed.budget.narrative).toEqual(b.narrative);
    expect(serializeExchange(parsed.budget)).toBe(text);
    const old = fixtureBudget();
    expect(parseExchange(serializeExchange(old), defaultCodeBook).ok).toBe(true);
  });

  it('refuses a prior-year code of the wrong length and a numeric amount, naming where', () => {
    const doc = JSON.parse(serializeExchange(detailed()));
    doc.priorYear.functional['20103'] = '1';
    doc.priorYear.functional['2010'] = '1';
    doc.priorYear.threePublicItems.reception = 1.5;
    const parsed = parseExchange(JSON.stringify(doc, null, 2), defaultCodeBook);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.path)).toEqual(['$.priorYear.threePublicItems.reception', '$.priorYear.functional.2010']);
    expect(parsed.problems[1]!.message).toContain('应为 3、5、7 位数字');
  });

  it('is stored in the budget file and read back', () => {
    const file = join(tempDir('document-'), 'b.budget');
    const store = BudgetStore.open(file, { create: true });
    const b = detailed();
    store.replaceBudget(b);
    expect(store.loadBudget().priorYear).toEqual(b.priorYear);
    expect(store.loadBudget().narrative).toEqual(b.narrative);
    store.setNarrativeTexts({ 'reason.total': null, shortName: '行政服务中心' });
    expect(store.loadBudget().narrative).toEqual({ duties: b.narrative!.duties, shortName: '行政服务中心' });
    store.close();
  });
});

describe('the charts of the 预算说明', () => {
  /** The worked example with last year's detail, drafted from the engine (its cells and functional subtotals). */
  const drafted = () => {
    const b = fixtureBudget();
    b.priorYear = {
      ...b.priorYear,
      basic: amount('550'),
      project: amount('1925.7'),
      threePublicItems: { abroad: 0n, reception: amount('1.5'), vehicleRunning: amount('7') },
    };
    const engine = new TableEngine(b, defaultCodeBook(b.fiscalYear));
    return { b, engine, doc: draftDocument(b, engine.tables(), { functional: engine.functionalSubtotals() }) };
  };
  const rounded = (fen: bigint) => narrativeAmount(fen, '万元');

  it('carry the tables’ figures and the sentences’ shares, numbered and placed in their sections', () => {
    const { b, engine, doc } = drafted();
    const chart = (id: string) => doc.charts.find((c) => c.id === id)!;
    const figure = (id: string) => doc.figures.find((f) => f.id === id)!.computed;
    expect(doc.charts.map((c) => c.title)).toEqual([
      '图1 2019年与2020年预算对比',
      '图2 2020年支出结构：基本支出与项目支出',
      '图3 2020年支出结构：按支出功能分类（类）',
      '图4 “三公”经费2019年与2020年预算对比',
    ]);
    expect(doc.paragraphs.filter((p) => p.kind === 'chart').map((p) => [p.section, p.chart])).toEqual([
      ['2.1', 'prior'],
      ['2.3', 'structure'],
      ['2.3', 'classes'],
      ['2.7', 'threePublic'],
    ]);

    // 基本/项目: T03's 合计 row; the shares the sentence prints.
    const structure = chart('structure');
    expect(structure.series[0]!.values).toEqual([rounded(engine.cell('T03', 'total', 'basic')), rounded(engine.cell('T03', 'total', 'project'))]);
    expect(structure.series[0]!.values).toEqual([figure('basic'), figure('project')]);
    expect(structure.shares).toEqual([figure('basic.share'), figure('project.share')]);

    // By 类: the engine's functional subtotals (every line); here all of them 一般公共预算, so equal to section 五.
    const classes = chart('classes');
    expect(classes.categories).toEqual(['一般公共服务', '社会保障和就业', '住房保障']);
    expect(classes.series[0]!.values).toEqual(['201', '208', '221'].map((c) => rounded(engine.functionalSubtotal(c)!)));
    expect(classes.series[0]!.values).toEqual(['201', '208', '221'].map((c) => figure(`class.${c}`)));
    expect(classes.shares).toEqual(['96.02', '2.28', '1.70']);

    // 与上年对比: each total whose last year is known, beside T01/T03/T04's.
    const prior = chart('prior');
    expect(prior.categories).toEqual(['收支总计', '基本支出', '项目支出']);
    expect(prior.series).toEqual([
      { name: '2019年', values: ['2475.7', '550', '1925.7'] },
      { name: '2020年', values: [rounded(engine.cell('T01', 'expenditure:total', 'total')), figure('basic'), figure('project')] },
    ]);
    expect(b.priorYear!.generalPublicBudget).toBeUndefined();

    // “三公”: T08's rows.
    const three = chart('threePublic');
    expect(three.categories).toEqual(['合计', '因公出国（境）费', '公务接待费', '公务用车购置及运行费']);
    expect(three.series[1]!.values).toEqual(['total', 'abroad', 'reception', 'vehicle'].map((r) => rounded(engine.cell('T08', r, 'total'))));
    expect(three.series[0]!.values).toEqual(['8.5', '0', '1.5', '7']);
  });

  it('follow an edit of the lines, and leave out what is not known', () => {
    const { b, engine } = drafted();
    const line = b.lines.find((l) => l.functional === '2210201')!;
    engine.apply({ before: line, after: { ...line, amount: line.amount + amount('10') } });
    const doc = draftDocument(b, engine.tables(), { functional: engine.functionalSubtotals() });
    expect(doc.charts.find((c) => c.id === 'classes')!.series[0]!.values).toEqual(['1670.9', '39.6', '39.7']);
    expect(doc.charts.find((c) => c.id === 'structure')!.shares).toEqual(['32.61', '67.39']);
    // No last year, no functional subtotals: neither comparison nor the chart by 类.
    const bare = fixtureBudget();
    bare.priorYear = null;
    expect(draft(bare).charts.map((c) => c.id)).toEqual(['structure']);
  });

  it('become ECharts options of plain JSON whose data and labels are the chart’s figures', () => {
    const { doc } = drafted();
    for (const chart of doc.charts) {
      const option = chartOption(chart);
      expect(JSON.parse(JSON.stringify(option))).toEqual(option);
      const series = option.series as { data: { value: string; label: { formatter: string } }[] }[];
      expect(series.map((s) => s.data.map((d) => d.value))).toEqual(chart.series.map((s) => s.values));
      // Every label is written out (no ECharts template, whose own percentages would not follow the share rule).
      for (const s of series) for (const d of s.data) expect(d.label.formatter).not.toMatch(/\{[abcd]\}/);
    }
    const pie = chartOption(doc.charts.find((c) => c.id === 'structure')!);
    expect((pie.series as { data: { label: { formatter: string } }[] }[])[0]!.data.map((d) => d.label.formatter)).toEqual([
      '基本支出\n560.8万元（32.23%）',
      '项目支出\n1179.4万元（67.77%）',
    ]);
  });
});
