// The 预算说明 drafted from the budget: 第一部分 部门概况, 第二部分 预算情况说明 (一 to 九, as the published
// documents lay it out), 第三部分 名词解释, then the tables. Every figure is read from the table engine's cells
// (the ReportTables of this budget), never summed again from the lines; the words the budget does not hold
// are the user's (fields.ts). Drafting is a pure function of (budget, tables): call it again after any edit.
import Decimal from 'decimal.js';
import { UNIT_KIND_LABELS, type Budget, type ThreePublicItem } from '../model.js';
import type { Fen } from '../money.js';
import type { ReportRow, ReportTable, TableId } from '../tables/report.js';
import { TABLE_IDS } from '../tables/report.js';
import type { DocChart } from './charts.js';
import { changeAgainst, narrativeAmount, sharesOf, typedNumber, type Change } from './figures.js';
import { FIGURE_KEY_PREFIX, NARRATIVE_FIELDS, isCount, narrativeField } from './fields.js';

/** A piece of a paragraph: plain text, a computed figure, or a part the user wrote. */
export interface DocRun {
  text: string;
  /** Id of the figure this run prints (DocFigure.id). */
  figure?: string;
  /** Key of the user-typed field this run prints. */
  field?: string;
  /** The user has not written this part yet (the run holds a placeholder shown on screen only). */
  missing?: boolean;
}

export type ParagraphKind = 'title' | 'toc' | 'part' | 'heading' | 'subheading' | 'body' | 'list' | 'signature' | 'chart';

export interface DocParagraph {
  kind: ParagraphKind;
  /** A chart paragraph's one run is the chart's caption. */
  runs: DocRun[];
  /** kind 'chart': the id of the chart (BudgetDocument.charts) drawn here. */
  chart?: string;
  /** Section this paragraph belongs to ("2.1" = 第二部分 一), for the editor to show where it is. */
  section: string;
}

export interface DocFigure {
  id: string;
  /** Chinese name of the figure, e.g. "收入总计", "基本支出占比". */
  label: string;
  /** What the budget gives, as printed. */
  computed: string;
  /** What the user typed instead (printed in its place), if anything. */
  typed?: string;
  /** 万元 / 元 / % / 辆 …, for the editor. */
  unit: string;
  section: string;
}

/** A figure typed by hand that disagrees with the budget. */
export interface DocDisagreement {
  figure: string;
  label: string;
  typed: string;
  computed: string;
  unit: string;
}

export interface BudgetDocument {
  fiscalYear: number;
  /** The name the document uses for the department. */
  name: string;
  title: string;
  paragraphs: DocParagraph[];
  figures: DocFigure[];
  /** The charts, in document order; each is drawn where its 'chart' paragraph stands. */
  charts: DocChart[];
  /** The tables of the 附件, in published order (T01 … T11, or the budget's own format's: N1 … N9, T10, T11). */
  tables: ReportTable[];
  disagreements: DocDisagreement[];
  /** Invalid user-typed parts (a count that is not a whole number …), in Chinese. */
  problems: string[];
}

const CLASS_ORDINAL = /^[一二三四五六七八九十]+、/;

class Drafter {
  readonly paragraphs: DocParagraph[] = [];
  readonly figures: DocFigure[] = [];
  readonly charts: DocChart[] = [];
  readonly problems: string[] = [];
  private section = '0';
  private readonly byId = new Map<TableId, ReportTable>();
  private readonly rowIndex = new Map<ReportTable, Map<string, ReportRow>>();
  readonly unit: Budget['amountUnit'];
  readonly year: number;
  readonly prior: number;

  constructor(
    readonly budget: Budget,
    tables: readonly ReportTable[],
  ) {
    for (const t of tables) this.byId.set(t.id, t);
    this.unit = budget.amountUnit;
    this.year = budget.fiscalYear;
    this.prior = budget.fiscalYear - 1;
  }

  /** The 附件: the tables of the budget's format when given (DraftOptions.attachments), else 河南 2020's. */
  tables(attachments?: readonly ReportTable[]): ReportTable[] {
    if (attachments) return [...attachments];
    return TABLE_IDS.map((id) => this.byId.get(id)).filter((t): t is ReportTable => t !== undefined);
  }

  table(id: TableId): ReportTable | undefined {
    return this.byId.get(id);
  }

  row(id: TableId, key: string): ReportRow | undefined {
    const t = this.byId.get(id);
    if (!t) return undefined;
    let index = this.rowIndex.get(t);
    if (!index) {
      index = new Map(t.rows.map((r) => [r.key, r]));
      this.rowIndex.set(t, index);
    }
    return index.get(key);
  }

  /** A cell of the engine's tables; a row the engine does not print (no lines) is zero. */
  cell(id: TableId, rowKey: string, column: string): Fen {
    return this.row(id, rowKey)?.cells[column] ?? 0n;
  }

  text(key: string): string {
    const typed = this.budget.narrative?.[key];
    if (typed !== undefined) return typed;
    return narrativeField(key)?.default ?? '';
  }

  at(section: string): void {
    this.section = section;
  }

  para(kind: ParagraphKind, ...runs: (DocRun | string)[]): void {
    this.paragraphs.push({ kind, section: this.section, runs: runs.map((r) => (typeof r === 'string' ? { text: r } : r)) });
  }

  /** A chart drawn here, numbered in document order (图1, 图2 …); its caption is its paragraph's text. */
  chart(c: Omit<DocChart, 'title'> & { title: string }): void {
    const chart: DocChart = { ...c, title: `图${this.charts.length + 1} ${c.title}` };
    this.charts.push(chart);
    this.paragraphs.push({ kind: 'chart', section: this.section, runs: [{ text: chart.title }], chart: chart.id });
  }

  /** A computed figure; a typed value, when the user gave one, is printed in its place. */
  figure(id: string, label: string, computed: string, unit: string): DocRun {
    const typed = this.budget.narrative?.[FIGURE_KEY_PREFIX + id];
    const f: DocFigure = { id, label, computed, unit, section: this.section };
    if (typed !== undefined && typed.trim() !== '') f.typed = typed.trim();
    this.figures.push(f);
    return { text: f.typed ?? computed, figure: id };
  }

  amount(id: string, label: string, fen: Fen): DocRun {
    return this.figure(id, label, narrativeAmount(fen, this.unit), this.unit);
  }

  percent(id: string, label: string, value: string): DocRun {
    return this.figure(id, label, value, '%');
  }

  /** A field the user writes; placeholder (screen only) while it is empty. */
  field(key: string, placeholder?: string): DocRun {
    const value = this.text(key);
    if (value.trim() === '') return { text: placeholder ?? `【请填写：${narrativeField(key)?.label ?? key}】`, field: key, missing: true };
    return { text: value, field: key };
  }

  /** "主要原因是：…" with the user's reason; while it is not written, a placeholder shown on screen only. */
  reason(key: string, prefix: string): DocRun {
    const value = this.text(key).trim();
    if (value === '') return { text: `${prefix}【请填写：${narrativeField(key)?.label ?? key}】`, field: key, missing: true };
    return { text: prefix + endSentence(value), field: key };
  }

  /** A count the user types (vehicles, equipment …); checked to be a whole number. */
  count(key: string): DocRun {
    const value = this.text(key).normalize('NFKC').trim();
    if (!isCount(value)) {
      this.problems.push(`预算说明“${narrativeField(key)?.label ?? key}”应为整数，现为“${value}”`);
      return { text: value, field: key, missing: true };
    }
    return { text: String(Number(value)), field: key };
  }

  /** "增加X万元，增长Y%" style clause pieces for a change against last year. */
  changeRuns(id: string, label: string, change: Change, withRate: boolean): (DocRun | string)[] {
    if (change.direction === '持平') return [`与${this.prior}年持平`];
    const out: (DocRun | string)[] = [
      change.direction,
      this.amount(`${id}.change`, `${label}${change.direction}额`, change.amount),
      this.unit,
    ];
    if (withRate && change.rate !== null) out.push(`，${change.direction}`, this.percent(`${id}.rate`, `${label}${change.direction}幅度`, change.rate), '%');
    return out;
  }
}

/** Paragraph kinds a user-typed multi-line field becomes: one paragraph per line. */
function lines(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

function endSentence(text: string): string {
  return /[。！？；]$/.test(text) ? text : `${text}。`;
}

const CHINESE_NUMBERS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十'];
const chineseNumber = (n: number): string => CHINESE_NUMBERS[n - 1] ?? String(n);

const INCOME_SOURCES: { key: string; label: string }[] = [
  { key: 'gpb', label: '一般公共预算收入' },
  { key: 'gfb', label: '政府性基金预算收入' },
  { key: 'edu-fees', label: '专户管理的教育收费' },
  { key: 'edu-fees.carryover', label: '专户管理的教育收费结余（结转）' },
  { key: 'state-capital-budget', label: '国有资本经营预算收入' },
  { key: 'operations', label: '事业收入' },
  { key: 'business', label: '经营收入' },
  { key: 'institution-fund', label: '事业基金' },
  { key: 'other', label: '其他收入' },
  { key: 'dept-carryover', label: '部门结转' },
];

const THREE_PUBLIC_ROWS: Record<ThreePublicItem, string> = {
  abroad: 'abroad',
  reception: 'reception',
  vehicleRunning: 'vehicle-running',
  vehiclePurchase: 'vehicle-purchase',
};

/** The 附件 list: the titles of the eleven tables as the published table of contents names them. */
export const ATTACHMENT_TITLES: Record<TableId, string> = {
  T01: '部门收支总体情况表',
  T02: '部门收入总体情况表',
  T03: '部门支出总体情况表',
  T04: '财政拨款收支总体情况表',
  T05: '一般公共预算支出情况表',
  T06: '支出经济分类汇总表',
  T07: '一般公共预算基本支出情况表',
  T08: '一般公共预算“三公”经费支出情况表',
  T09: '政府性基金预算支出情况表',
  T10: '部门（单位）整体绩效目标表',
  T11: '财政支出绩效目标申报表',
};

export interface DraftOptions {
  /** The engine's functional subtotals (every line, by 类/款/项 code): the 支出结构 chart by 类 reads them. */
  functional?: ReadonlyMap<string, Fen>;
  /**
   * The tables the document appends and lists as its 附件 when the budget prints in another format than 河南
   * 2020 (TableEngine.tables()). The sentences' figures are read from the 河南 2020 tables given to
   * draftDocument (TableEngine.referenceTables()) whatever the format: they are the same sums of the lines.
   */
  attachments?: readonly ReportTable[];
}

export function draftDocument(budget: Budget, tables: readonly ReportTable[], options: DraftOptions = {}): BudgetDocument {
  const d = new Drafter(budget, tables);
  const name = d.text('shortName').trim() || budget.department.name;
  const { year, prior, unit } = d;
  const py = budget.priorYear;
  const title = `${name}${year}年度部门预算说明`;

  // Title and contents.
  d.para('title', title);
  d.para('toc', '目录');
  d.para('list', `第一部分 ${name}部门概况`);
  d.para('list', '一、主要职能');
  d.para('list', '二、部门预算单位构成');
  d.para('list', `第二部分 ${name}${year}年度部门预算情况说明`);
  d.para('list', '第三部分 名词解释');
  d.para('list', `附件：${name}${year}年度部门预算表`);
  const attached = d.tables(options.attachments);
  attached.forEach((t, i) => d.para('list', `${chineseNumber(i + 1)}、${options.attachments ? t.title : (ATTACHMENT_TITLES[t.id] ?? t.title)}`));

  // 第一部分
  d.at('1');
  d.para('part', '第一部分');
  d.para('part', `${name}概况`);
  for (const l of lines(d.text('preamble'))) d.para('body', { text: l, field: 'preamble' });
  d.at('1.1');
  d.para('heading', `一、${name}主要职能`);
  const duties = lines(d.text('duties'));
  if (duties.length === 0) d.para('body', d.field('duties'));
  for (const l of duties) d.para('body', { text: l, field: 'duties' });
  d.at('1.2');
  d.para('heading', `二、${name}预算单位构成`);
  const units = budget.units;
  const others = units.slice(1);
  d.para(
    'body',
    '本预算为汇总预算，包括机关本级预算和',
    d.figure('units.count', '局属单位个数', String(others.length), '个'),
    '个局属单位预算。具体是：',
    [`${name}部门机关本级`, ...others.map((u) => u.name)].join('、'),
    '。',
  );

  // 第二部分
  d.at('2');
  d.para('part', '第二部分');
  d.para('part', `${name}${year}年度部门预算情况说明`);

  // 一、收入支出预算总体情况说明
  d.at('2.1');
  d.para('heading', '一、收入支出预算总体情况说明');
  const incomeTotal = d.cell('T01', 'income:total', 'amount');
  const spendTotal = d.cell('T01', 'expenditure:total', 'total');
  {
    const runs: (DocRun | string)[] = [
      `${name}${year}年收入总计`,
      d.amount('income.total', '收入总计', incomeTotal),
      `${unit}，支出总计`,
      d.amount('expenditure.total', '支出总计', spendTotal),
      unit,
    ];
    if (py?.total !== undefined) {
      const change = changeAgainst(spendTotal, py.total);
      runs.push(`，与${prior}年相比，`);
      if (change.direction === '持平') runs.push('收、支总计持平');
      else runs.push('收、支总计各', ...d.changeRuns('total', '收支总计', change, true));
    }
    runs.push('。');
    const reason = d.text('reason.total').trim();
    if (py?.total !== undefined && spendTotal !== py.total) {
      runs.push(d.reason('reason.total', '主要原因是：'));
    }
    d.para('body', ...runs);
    // 与上年对比: each total whose last-year figure is known, beside this year's (the cells the sentences read).
    const pairs: [string, Fen | undefined, Fen][] = [
      ['收支总计', py?.total, spendTotal],
      ['基本支出', py?.basic, d.cell('T03', 'total', 'basic')],
      ['项目支出', py?.project, d.cell('T03', 'total', 'project')],
      ['一般公共预算', py?.generalPublicBudget, d.cell('T04', 'income:gpb', 'amount')],
      ['政府性基金预算', py?.governmentFund, d.cell('T09', 'total', 'total')],
    ];
    const known = pairs.filter((p): p is [string, Fen, Fen] => p[1] !== undefined);
    if (known.length > 0) {
      d.chart({
        id: 'prior',
        title: `${prior}年与${year}年预算对比`,
        kind: 'compare',
        unit,
        categories: known.map(([l]) => l),
        series: [
          { name: `${prior}年`, values: known.map(([, p]) => narrativeAmount(p, unit)) },
          { name: `${year}年`, values: known.map(([, , c]) => narrativeAmount(c, unit)) },
        ],
      });
    }
  }

  // 二、收入预算总体情况说明
  d.at('2.2');
  d.para('heading', '二、收入预算总体情况说明');
  {
    const sources = INCOME_SOURCES.map((s) => ({ ...s, amount: d.cell('T02', 'total', s.key) })).filter((s) => s.amount !== 0n);
    const shares = sharesOf(
      sources.map((s) => s.amount),
      d.cell('T02', 'total', 'total'),
    );
    const runs: (DocRun | string)[] = [`${name}${year}年收入合计`, d.amount('income.sum', '收入合计', d.cell('T02', 'total', 'total')), unit];
    sources.forEach((s, i) => {
      runs.push(i === 0 ? `，其中：${s.label}` : `；${s.label}`, d.amount(`income.${s.key}`, s.label, s.amount), unit);
      if (shares && sources.length > 1) runs.push('，占', d.percent(`income.${s.key}.share`, `${s.label}占比`, shares[i]!), '%');
    });
    runs.push('。');
    d.para('body', ...runs);
  }

  // 三、支出预算总体情况说明
  d.at('2.3');
  d.para('heading', '三、支出预算总体情况说明');
  {
    const total = d.cell('T03', 'total', 'total');
    const basic = d.cell('T03', 'total', 'basic');
    const project = d.cell('T03', 'total', 'project');
    const shares = sharesOf([basic, project], total);
    const runs: (DocRun | string)[] = [
      `${name}${year}年支出合计`,
      d.amount('expenditure.sum', '支出合计', total),
      `${unit}，其中：基本支出`,
      d.amount('basic', '基本支出', basic),
      unit,
    ];
    if (shares) runs.push('，占', d.percent('basic.share', '基本支出占比', shares[0]!), '%');
    runs.push('；项目支出', d.amount('project', '项目支出', project), unit);
    if (shares) runs.push('，占', d.percent('project.share', '项目支出占比', shares[1]!), '%');
    runs.push('。');
    for (const [key, label, current] of [
      ['basic', '基本支出', basic],
      ['project', '项目支出', project],
    ] as const) {
      const p = py?.[key];
      if (p === undefined) continue;
      const change = changeAgainst(current, p);
      runs.push(`${label}`, ...(change.direction === '持平' ? [`与${prior}年持平`] : [`比${prior}年`, ...d.changeRuns(key, label, change, true)]), '。');
    }
    d.para('body', ...runs);
    if (shares) {
      d.chart({
        id: 'structure',
        title: `${year}年支出结构：基本支出与项目支出`,
        kind: 'pie',
        unit,
        categories: ['基本支出', '项目支出'],
        series: [{ name: `${year}年`, values: [narrativeAmount(basic, unit), narrativeAmount(project, unit)] }],
        shares,
      });
    }
    // By 功能分类 类: the engine's subtotals of every line (all funds), named as T04 names its 类 rows.
    const classes = [...(options.functional ?? new Map<string, Fen>())]
      .filter(([code, amount]) => code.length === 3 && amount !== 0n)
      .sort(([a], [b]) => a.localeCompare(b));
    const classShares = sharesOf(
      classes.map(([, a]) => a),
      total,
    );
    if (classes.length > 0 && classShares) {
      const names = new Map((d.table('T04')?.rows ?? []).filter((r) => r.kind === 'class' && r.code).map((r) => [r.code!, r.label.replace(CLASS_ORDINAL, '').replace(/支出$/, '')]));
      d.chart({
        id: 'classes',
        title: `${year}年支出结构：按支出功能分类（类）`,
        kind: 'bar',
        unit,
        categories: classes.map(([code]) => names.get(code) ?? code),
        series: [{ name: `${year}年`, values: classes.map(([, a]) => narrativeAmount(a, unit)) }],
        shares: classShares,
      });
    }
  }

  // 四、财政拨款收入支出预算总体情况说明
  d.at('2.4');
  d.para('heading', '四、财政拨款收入支出预算总体情况说明');
  {
    const gpb = d.cell('T04', 'income:gpb', 'amount');
    const gfb = d.cell('T04', 'income:gfb', 'amount');
    const runs: (DocRun | string)[] = [`${name}${year}年一般公共预算收支预算`, d.amount('appropriation.gpb', '一般公共预算收支预算', gpb), unit];
    if (gfb !== 0n) runs.push('，政府性基金预算收支预算', d.amount('appropriation.gfb', '政府性基金预算收支预算', gfb), unit);
    runs.push('。');
    if (py?.generalPublicBudget !== undefined) {
      const change = changeAgainst(gpb, py.generalPublicBudget);
      runs.push(`与${prior}年相比，一般公共预算收支预算`, ...d.changeRuns('appropriation.gpb', '一般公共预算收支预算', change, true));
      if (change.direction !== '持平') {
        runs.push('。', d.reason('reason.appropriation', '主要原因：'));
      } else runs.push('。');
    }
    d.para('body', ...runs);
  }

  // 五、一般公共预算支出预算情况说明
  d.at('2.5');
  d.para('heading', '五、一般公共预算支出预算情况说明');
  {
    const gpbTotal = d.cell('T05', 'total', 'total');
    const classes = (d.table('T04')?.rows ?? [])
      .filter((r) => r.side === 'expenditure' && r.kind === 'class' && r.code !== undefined && (r.cells.gpb ?? 0n) !== 0n)
      .map((r) => ({ code: r.code!, name: r.label.replace(CLASS_ORDINAL, '').replace(/支出$/, ''), amount: r.cells.gpb! }));
    const shares = sharesOf(
      classes.map((c) => c.amount),
      d.cell('T04', 'expenditure:total', 'gpb'),
    );
    const runs: (DocRun | string)[] = [`${name}${year}年一般公共预算支出年初预算为`, d.amount('gpb.total', '一般公共预算支出', gpbTotal), unit, '。'];
    if (classes.length > 0) {
      runs.push('主要用于以下方面：');
      classes.forEach((c, i) => {
        runs.push(i === 0 ? '' : '；', `${c.name}（类）支出`, d.amount(`class.${c.code}`, `${c.name}（类）支出`, c.amount), unit);
        if (shares) runs.push('，占', d.percent(`class.${c.code}.share`, `${c.name}（类）占比`, shares[i]!), '%');
        const p = py?.functional?.[c.code];
        if (p !== undefined) {
          const change = changeAgainst(c.amount, p);
          runs.push('，', ...(change.direction === '持平' ? [`与${prior}年持平`] : [`比${prior}年`, ...d.changeRuns(`class.${c.code}`, `${c.name}（类）支出`, change, true)]));
        }
        // The reasons written for large changes of the 类 and its 款 and 项 (审核 item.large-change).
        const reasons = Object.entries(d.budget.changeReasons ?? {})
          .filter(([code]) => code.startsWith(c.code))
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([, r]) => r.trim().replace(/[。；，;,]+$/, ''))
          .filter((r) => r !== '');
        if (reasons.length > 0) runs.push(`，主要原因是：${reasons.join('；')}`);
      });
      runs.push('。');
    }
    d.para('body', ...runs);
  }

  // 六、支出预算经济分类情况说明
  d.at('2.6');
  d.para('heading', '六、支出预算经济分类情况说明');
  for (const l of lines(d.text('economic'))) d.para('body', { text: l, field: 'economic' });

  // 七、“三公”经费支出预算情况说明
  d.at('2.7');
  d.para('heading', '七、“三公”经费支出预算情况说明');
  {
    const total = d.cell('T08', 'total', 'total');
    const item = (i: ThreePublicItem) => d.cell('T08', THREE_PUBLIC_ROWS[i], 'total');
    const runs: (DocRun | string)[] = [`${name}${year}年“三公”经费预算为`, d.amount('threePublic', '“三公”经费', total), `${unit}。`];
    if (py?.threePublic !== undefined) {
      const change = changeAgainst(total, py.threePublic);
      if (change.direction === '持平') runs.push(`${year}年“三公”经费支出预算数与${prior}年持平。`);
      else {
        runs.push(`${year}年“三公”经费支出预算数比${prior}年`, ...d.changeRuns('threePublic', '“三公”经费', change, false), '。');
        runs.push(d.reason('reason.threePublic', '主要原因是：'));
      }
    }
    d.para('body', ...runs);
    d.para('body', '具体支出情况如下：');
    const compare = (i: ThreePublicItem | 'vehicle', current: Fen, label: string): (DocRun | string)[] => {
      const items = py?.threePublicItems;
      const p =
        i === 'vehicle'
          ? items?.vehicleRunning !== undefined || items?.vehiclePurchase !== undefined
            ? (items.vehicleRunning ?? 0n) + (items.vehiclePurchase ?? 0n)
            : undefined
          : items?.[i];
      if (p === undefined) return [];
      const change = changeAgainst(current, p);
      return change.direction === '持平' ? [`，与${prior}年持平`] : [`，比${prior}年`, ...d.changeRuns(`threePublic.${i}`, label, change, false)];
    };
    const usage = (key: string): (DocRun | string)[] => {
      const u = d.text(key).trim().replace(/[。；，]$/, '');
      return u ? ['，', { text: u.startsWith('主要用于') ? u : `主要用于${u}`, field: key }] : [];
    };
    const abroad = item('abroad');
    d.para('body', '（一）因公出国（境）费', d.amount('threePublic.abroad', '因公出国（境）费', abroad), unit, ...usage('usage.abroad'), ...compare('abroad', abroad, '因公出国（境）费'), '。');
    const reception = item('reception');
    d.para('body', '（二）公务接待费', d.amount('threePublic.reception', '公务接待费', reception), unit, ...usage('usage.reception'), ...compare('reception', reception, '公务接待费'), '。');
    const running = item('vehicleRunning');
    const purchase = item('vehiclePurchase');
    const vehicle = d.cell('T08', 'vehicle', 'total');
    const vehicleRuns: (DocRun | string)[] = ['（三）公务用车购置及运行费', d.amount('threePublic.vehicle', '公务用车购置及运行费', vehicle), `${unit}，其中，`];
    if (purchase !== 0n) vehicleRuns.push('公务用车购置费', d.amount('threePublic.vehiclePurchase', '公务用车购置费', purchase), `${unit}，`);
    vehicleRuns.push('公务用车运行维护费', d.amount('threePublic.vehicleRunning', '公务用车运行维护费', running), unit, ...usage('usage.vehicle'), ...compare('vehicle', vehicle, '公务用车购置及运行费'), '。');
    d.para('body', ...vehicleRuns);
    // “三公”经费与上年对比: 合计 and each item whose last-year figure is known.
    const items = py?.threePublicItems;
    const vehiclePrior =
      items?.vehicleRunning !== undefined || items?.vehiclePurchase !== undefined ? (items.vehicleRunning ?? 0n) + (items.vehiclePurchase ?? 0n) : undefined;
    const pairs: [string, Fen | undefined, Fen][] = [
      ['合计', py?.threePublic, total],
      ['因公出国（境）费', items?.abroad, abroad],
      ['公务接待费', items?.reception, reception],
      ['公务用车购置及运行费', vehiclePrior, vehicle],
    ];
    const known = pairs.filter((p): p is [string, Fen, Fen] => p[1] !== undefined);
    if (known.length > 0) {
      d.chart({
        id: 'threePublic',
        title: `“三公”经费${prior}年与${year}年预算对比`,
        kind: 'compare',
        unit,
        categories: known.map(([l]) => l),
        series: [
          { name: `${prior}年`, values: known.map(([, p]) => narrativeAmount(p, unit)) },
          { name: `${year}年`, values: known.map(([, , c]) => narrativeAmount(c, unit)) },
        ],
      });
    }
  }

  // 八、政府性基金预算支出预算情况说明
  d.at('2.8');
  d.para('heading', '八、政府性基金预算支出预算情况说明');
  {
    const gfb = d.cell('T09', 'total', 'total');
    const runs: (DocRun | string)[] = [`${name}${year}年政府性基金预算支出`, d.amount('gfb', '政府性基金预算支出', gfb), unit];
    if (py?.governmentFund !== undefined) {
      const change = changeAgainst(gfb, py.governmentFund);
      runs.push('，', ...(change.direction === '持平' ? [`与${prior}年持平`] : [`比${prior}年`, ...d.changeRuns('gfb', '政府性基金预算支出', change, true)]));
    }
    runs.push('。');
    d.para('body', ...runs);
  }

  // 九、其他重要事项的情况说明
  d.at('2.9');
  d.para('heading', '九、其他重要事项的情况说明');
  d.para('subheading', '（一）机关运行经费支出情况');
  {
    // 机关运行经费: the 公用经费 of the administrative units (and those managed as civil servants), from T05's unit rows.
    const administrative = budget.units.filter((u) => u.kind !== 'public-institution');
    let cost = 0n;
    for (const u of administrative) cost += d.cell('T05', `unit:${u.code}`, 'public');
    const runs: (DocRun | string)[] = [`${name}${year}年机关运行经费支出预算`, d.amount('operatingCost', '机关运行经费', cost), unit];
    if (administrative.length > 0) {
      if (py?.operatingCost !== undefined) {
        const change = changeAgainst(cost, py.operatingCost);
        runs.push('，', ...(change.direction === '持平' ? [`与${prior}年持平`] : [`比${prior}年`, ...d.changeRuns('operatingCost', '机关运行经费', change, true)]));
      }
      const u = d.text('operatingCost.usage').trim().replace(/[。；，]$/, '');
      if (u) runs.push('，', { text: u.startsWith('主要用于') ? u : `主要用于${u}`, field: 'operatingCost.usage' });
      runs.push('。');
    } else {
      const kinds = [...new Set(budget.units.map((x) => UNIT_KIND_LABELS[x.kind]))].join('、') || UNIT_KIND_LABELS['public-institution'];
      const typed = d.text('operatingCost.unitType').trim();
      runs.push(`。${name}属`, typed ? { text: typed, field: 'operatingCost.unitType' } : kinds, '，非行政单位（含参照公务员法管理事业单位）。');
    }
    d.para('body', ...runs);
  }
  d.para('subheading', '（二）政府采购支出情况');
  {
    const by = { goods: 0n, works: 0n, services: 0n };
    for (const p of budget.procurement) by[p.category] += p.amount;
    const total = by.goods + by.works + by.services;
    if (total === 0n && budget.procurement.length === 0) {
      d.para('body', `${year}年未安排政府采购预算。`);
    } else {
      d.para(
        'body',
        `${year}年系统政府采购预算安排`,
        d.amount('procurement', '政府采购预算', total),
        `${unit}，其中：政府采购货物预算`,
        d.amount('procurement.goods', '政府采购货物预算', by.goods),
        `${unit}、政府采购工程预算`,
        d.amount('procurement.works', '政府采购工程预算', by.works),
        `${unit}、政府购买服务预算`,
        d.amount('procurement.services', '政府购买服务预算', by.services),
        `${unit}。`,
      );
    }
  }
  d.para('subheading', '（三）绩效目标设置情况');
  {
    const projects = d.table('T11')?.projects ?? budget.projects;
    const withTargets = projects.filter((p) => p.indicators.length > 0).length;
    const runs: (DocRun | string)[] = [`我单位${year}年`];
    if (projects.length > 0 && withTargets === projects.length) {
      runs.push(d.figure('performance.projects', '预算项目个数', String(projects.length), '个'), '个预算项目均按要求编制了绩效目标，涉及项目支出', d.amount('performance.amount', '编制绩效目标的项目支出', d.cell('T03', 'total', 'project')), `${unit}，`);
    } else {
      runs.push(
        d.figure('performance.projects', '预算项目个数', String(projects.length), '个'),
        '个预算项目中',
        d.figure('performance.withTargets', '编制绩效目标的项目个数', String(withTargets), '个'),
        '个编制了绩效目标，',
      );
    }
    const text = lines(d.text('performance')).join('');
    runs.push({ text, field: 'performance' });
    d.para('body', ...runs);
  }
  d.para('subheading', '（四）国有资产占用情况');
  {
    const official = d.count('assets.officialVehicles');
    const law = d.count('assets.lawVehicles');
    const other = d.count('assets.otherVehicles');
    const vehicles = [official, law, other].reduce((a, r) => a + (r.missing ? 0 : Number(r.text)), 0);
    d.para(
      'body',
      `${prior}年期末，${name}共有车辆`,
      d.figure('assets.vehicles', '车辆合计', String(vehicles), '辆'),
      '辆，其中：一般公务用车',
      official,
      '辆、一般执法执勤用车',
      law,
      '辆、其他用车',
      other,
      '辆；单价50万元以上通用设备',
      d.count('assets.generalEquipment'),
      '套，单位价值100万元以上专用设备',
      d.count('assets.specialEquipment'),
      '套。',
    );
  }
  d.para('subheading', '（五）专项转移支付项目情况');
  d.para('body', `${name}部门负责管理的专项转移支付项目共`, d.count('transfer.count'), '项。', { text: lines(d.text('transfer.text')).join(''), field: 'transfer.text' });

  // 第三部分
  d.at('3');
  d.para('part', '第三部分');
  d.para('part', '名词解释');
  lines(d.text('definitions')).forEach((l, i) => d.para('body', `${chineseNumber(i + 1)}、`, { text: l.replace(/^[一二三四五六七八九十]+、/, ''), field: 'definitions' }));

  d.at('4');
  d.para('part', `附件：${name}${year}年部门预算表`);
  const date = d.text('date').trim();
  if (date) d.para('signature', { text: date, field: 'date' });

  const disagreements: DocDisagreement[] = [];
  for (const f of d.figures) {
    if (f.typed === undefined) continue;
    const typed = typedNumber(f.typed);
    const computed = new Decimal(f.computed);
    if (typed === null || !typed.equals(computed)) {
      disagreements.push({ figure: f.id, label: f.label, typed: f.typed, computed: f.computed, unit: f.unit });
    }
  }
  return { fiscalYear: year, name, title, paragraphs: d.paragraphs, figures: d.figures, charts: d.charts, tables: attached, disagreements, problems: d.problems };
}

/** The printed text of a paragraph (placeholders of missing parts left out). */
export function paragraphText(p: DocParagraph, options: { placeholders?: boolean } = {}): string {
  return p.runs
    .filter((r) => options.placeholders || !r.missing)
    .map((r) => r.text)
    .join('');
}

/** The keys a user may type, for the editor: fields in document order. */
export { NARRATIVE_FIELDS };
