// A computed table (core/tables ReportTable) as the screen shows it: header rows with their merged cells,
// body rows with the text as published (rounded from the exact value, zero blank) and the exact value beside
// it, and for every amount the address of the lines behind it.
import {
  publishedIndicatorRows,
  templateForDepartment,
  templateForProject,
  type IndicatorTemplate,
  type TemplateChoices,
} from '../core/indicators.js';
import type { Indicator, Project } from '../core/model.js';
import { formatAmount, toExactString, type AmountUnit, type Fen } from '../core/money.js';
import { headerGrid } from '../core/tables/header.js';
import { leafColumns, type AmountFormat, type ReportRow, type ReportTable } from '../core/tables/report.js';
import type { HeaderCell, TableCell, TableRow, TableView, TableId } from './contract.js';

/** The shared header grid (core/tables/header.ts) as rows of cells for the screen. */
function headerView(table: ReportTable): HeaderCell[][] {
  const grid = headerGrid(table);
  const rows: HeaderCell[][] = Array.from({ length: grid.rows }, () => []);
  for (const c of grid.cells) {
    const cell: HeaderCell = { text: c.text };
    if (c.colSpan > 1) cell.colSpan = c.colSpan;
    if (c.rowSpan > 1) cell.rowSpan = c.rowSpan;
    rows[c.row]!.push(cell);
  }
  return rows;
}

function amountCell(fen: Fen | undefined, column: string, row: string, unit: AmountUnit, format: AmountFormat, drillable: boolean): TableCell {
  if (fen === undefined) return { exact: null, text: '' };
  const cell: TableCell = {
    exact: toExactString(fen, unit),
    text: formatAmount(fen, unit, format),
    column,
    row,
  };
  if (drillable) cell.drillable = true;
  return cell;
}

/** The published format belongs to the table's unit; another display unit shows exact 分 (two decimals). */
function displayFormat(table: ReportTable, unit: AmountUnit): AmountFormat {
  return unit === table.amountUnit ? table.format : { decimals: 2, thousands: true, blankZero: table.format.blankZero };
}

function rowKindOf(r: ReportRow): string {
  return r.kind;
}

function captionOf(table: ReportTable, unit: AmountUnit): { title: string; subtitle: string[]; unitLabel: string } {
  const [title = table.title, ...rest] = table.caption;
  const unitLine = rest.find((l) => /^单位：(万元|元)$/.test(l));
  return {
    title,
    subtitle: rest.filter((l) => l !== unitLine),
    unitLabel: unitLine ? `单位：${unit}` : '',
  };
}

function listView(table: ReportTable, unit: AmountUnit): TableView {
  const format = displayFormat(table, unit);
  const labels = leafColumns(table.labelColumns);
  const amounts = leafColumns(table.columns);
  const header = headerView(table);
  const rows: TableRow[] = [];
  if (table.numberRow) {
    rows.push({
      kind: 'number',
      cells: [...labels.map(() => ({ exact: null, text: '**' })), ...amounts.map((_, i) => ({ exact: null, text: String(i + 1) }))],
    });
  }
  for (const r of table.rows) {
    rows.push({
      key: r.key,
      kind: rowKindOf(r),
      cells: [
        ...labels.map((c): TableCell => ({ exact: null, text: r.labels[c.key] ?? '' })),
        ...amounts.map((c) => amountCell(r.cells[c.key], c.key, r.key, unit, format, true)),
      ],
    });
  }
  const caption = captionOf(table, unit);
  const view: TableView = {
    id: table.id,
    table: table.id as TableId,
    ...caption,
    header,
    rows,
    align: [...labels.map((): 'left' => 'left'), ...amounts.map((): 'right' => 'right')],
  };
  if (table.rows.length === 0) view.emptyNote = '本表为空表';
  if (table.note) view.note = table.note;
  return view;
}

/** T01 / T04: income on the left, expenditure on the right, sharing printed lines. */
function twoSidedView(table: ReportTable, unit: AmountUnit): TableView {
  const format = displayFormat(table, unit);
  const side = (s: 'income' | 'expenditure') => ({
    labels: table.labelColumns.filter((c) => c.side === s),
    amounts: table.columns.filter((c) => c.side === s),
  });
  const inc = side('income');
  const exp = side('expenditure');
  const header = headerView(table);
  const incLabelLeaves = leafColumns(inc.labels);
  const incAmountLeaves = leafColumns(inc.amounts);
  const expLabelLeaves = leafColumns(exp.labels);
  const expAmountLeaves = leafColumns(exp.amounts);
  const lines = new Map<number, { income?: ReportRow; expenditure?: ReportRow }>();
  for (const r of table.rows) {
    const n = r.line ?? 0;
    const entry = lines.get(n) ?? {};
    if (r.side === 'income') entry.income = r;
    else entry.expenditure = r;
    lines.set(n, entry);
  }
  const numbers = [...lines.keys()].sort((a, b) => a - b);
  // A group label (一般公共预算收入 …) merges down over the consecutive lines of its group.
  const groupSpan = new Map<number, number>();
  for (let i = 0; i < numbers.length; ) {
    const g = lines.get(numbers[i]!)!.income?.group;
    let j = i + 1;
    if (g) while (j < numbers.length && lines.get(numbers[j]!)!.income?.group === g) j++;
    groupSpan.set(i, j - i);
    i = j;
  }
  const rows: TableRow[] = [];
  let coveredUntil = -1;
  const STRONG = new Set(['total', 'subtotal', 'section']);
  const strong = (cells: TableCell[], r: ReportRow | undefined) => (r && STRONG.has(r.kind) ? cells.map((c) => ({ ...c, strong: true })) : cells);
  numbers.forEach((n, i) => {
    const { income, expenditure } = lines.get(n)!;
    const incomeCells: TableCell[] = [];
    // Income labels: group + item when grouped, one merged cell otherwise.
    if (incLabelLeaves.length === 2) {
      if (income?.group) {
        if (i > coveredUntil) {
          const span = groupSpan.get(i) ?? 1;
          incomeCells.push({ exact: null, text: income.group, strong: true, ...(span > 1 ? { rowSpan: span } : {}) });
          coveredUntil = i + span - 1;
        }
        incomeCells.push(...strong([{ exact: null, text: income.labels[incLabelLeaves[1]!.key] ?? income.label }], income));
      } else {
        incomeCells.push(...strong([{ exact: null, text: income ? (income.labels[incLabelLeaves[1]!.key] ?? income.label) : '', colSpan: 2 }], income));
      }
    } else {
      incomeCells.push(...strong(incLabelLeaves.map((c) => ({ exact: null, text: income?.labels[c.key] ?? '' })), income));
    }
    const incomeAmounts = incAmountLeaves.map((c) =>
      income ? amountCell(income.cells[c.key], c.key, income.key, unit, format, true) : { exact: null, text: '' },
    );
    const expenditureCells = [
      ...expLabelLeaves.map((c): TableCell => ({ exact: null, text: expenditure?.labels[c.key] ?? expenditure?.label ?? '' })),
      ...expAmountLeaves.map((c) =>
        expenditure ? amountCell(expenditure.cells[c.key], c.key, expenditure.key, unit, format, true) : { exact: null, text: '' },
      ),
    ];
    const cells = [...incomeCells, ...strong(incomeAmounts, income), ...strong(expenditureCells, expenditure)];
    rows.push({ kind: 'pair', cells });
  });
  return {
    id: table.id,
    table: table.id as TableId,
    ...captionOf(table, unit),
    header,
    rows,
    align: [
      ...incLabelLeaves.map((): 'left' => 'left'),
      ...incAmountLeaves.map((): 'right' => 'right'),
      ...expLabelLeaves.map((): 'left' => 'left'),
      ...expAmountLeaves.map((): 'right' => 'right'),
    ],
  };
}

const text = (t: string, extra: Partial<TableCell> = {}): TableCell => ({ exact: null, text: t, ...extra });

/** Indicator rows with the 一级 / 二级 cells merged down, following the template's skeleton when there is one. */
function indicatorRows(indicators: readonly Indicator[], template: IndicatorTemplate | null, withNote: boolean): TableRow[] {
  const width = withNote ? 5 : 4;
  if (template) {
    return publishedIndicatorRows(indicators, template).map((r) => {
      const cells: TableCell[] = [];
      if (r.level1RowSpan > 0) cells.push(text(r.level1, r.level1RowSpan > 1 ? { rowSpan: r.level1RowSpan } : {}));
      if (r.level2RowSpan > 0) cells.push(text(r.level2, r.level2RowSpan > 1 ? { rowSpan: r.level2RowSpan } : {}));
      cells.push(text(r.indicator?.name ?? ''), text(r.indicator?.target ?? ''));
      if (withNote) cells.push(text(r.indicator?.note ?? ''));
      return { kind: 'indicator', cells };
    });
  }
  // No template for the year: merge consecutive equal 一级 / 二级 as entered.
  const rows: TableRow[] = [];
  for (let i = 0; i < indicators.length; i++) {
    const ind = indicators[i]!;
    const prev = indicators[i - 1];
    const cells: TableCell[] = [];
    if (!prev || prev.level1 !== ind.level1) {
      let n = 1;
      while (indicators[i + n]?.level1 === ind.level1) n++;
      cells.push(text(ind.level1, n > 1 ? { rowSpan: n } : {}));
    }
    if (!prev || prev.level1 !== ind.level1 || prev.level2 !== ind.level2) {
      let n = 1;
      while (indicators[i + n]?.level1 === ind.level1 && indicators[i + n]?.level2 === ind.level2) n++;
      cells.push(text(ind.level2, n > 1 ? { rowSpan: n } : {}));
    }
    cells.push(text(ind.name), text(ind.target));
    if (withNote) cells.push(text(ind.note ?? ''));
    rows.push({ kind: 'indicator', cells });
  }
  if (rows.length === 0) rows.push({ kind: 'indicator', cells: [text('（尚未填写绩效指标）', { colSpan: width })] });
  return rows;
}

/** T10: the department's performance form, its budget block from the lines, then its indicators. */
function departmentView(table: ReportTable, unit: AmountUnit, year: number, choices: TemplateChoices): TableView {
  const format = displayFormat(table, unit);
  const dp = table.departmentPerformance;
  const perf = dp?.performance ?? null;
  const rows: TableRow[] = [];
  rows.push({ kind: 'form', cells: [text('部门(单位)名称', { colSpan: 2 }), text(dp?.departmentName ?? '', { colSpan: 3 })] });
  rows.push({ kind: 'form', cells: [text('年度履职目标'), text(perf?.dutyGoal ?? '', { colSpan: 4 })] });
  const tasks = perf?.tasks ?? [];
  rows.push({
    kind: 'form',
    cells: [text('年度主要任务', { rowSpan: tasks.length + 1 }), text('任务名称'), text('主要内容', { colSpan: 3 })],
  });
  for (const t of tasks) rows.push({ kind: 'form', cells: [text(t.name), text(t.content, { colSpan: 3 })] });
  table.rows.forEach((r, i) => {
    const cells: TableCell[] = [];
    if (i === 0) cells.push(text('预算情况', { rowSpan: table.rows.length }));
    cells.push(text(r.label, { colSpan: 3 }));
    cells.push(amountCell(r.cells.amount, 'amount', r.key, unit, format, true));
    rows.push({ key: r.key, kind: 'budget', cells });
  });
  rows.push({ kind: 'head', cells: ['一级指标', '二级指标', '三级指标', '指标值', '指标值说明'].map((t) => text(t)) });
  const template = templateForDepartment({ fiscalYear: year, departmentPerformance: perf }, { chosen: choices.department })?.template ?? null;
  rows.push(...indicatorRows(perf?.indicators ?? [], template, true));
  const caption = captionOf(table, unit);
  return {
    id: table.id,
    table: 'T10',
    ...caption,
    header: [],
    rows,
    align: ['left', 'left', 'left', 'left', 'right'],
    widths: [12, 18, 22, 14, 34],
  };
}

/** T11: one form per project. */
function projectViews(table: ReportTable, unit: AmountUnit, year: number, choices: TemplateChoices): TableView[] {
  const format = displayFormat(table, unit);
  const byCode = new Map<string, Project>((table.projects ?? []).map((p) => [p.code, p]));
  const caption = captionOf(table, unit);
  const budget = { fiscalYear: year, projects: table.projects ?? [] };
  const projectTemplate = (p: Project | undefined) =>
    templateForProject(budget, p ?? null, { chosen: p ? choices.projects[p.code] : undefined })?.template ?? null;
  return table.rows.map((r) => {
    const p = byCode.get(r.key);
    const amount = (key: string) => amountCell(r.cells[key], key, r.key, unit, format, true);
    const full = (label: string, value: string, kind = 'form'): TableRow => ({ kind, cells: [text(label), text(value, { colSpan: 3 })] });
    const rows: TableRow[] = [
      full('项目名称', p?.name ?? r.label),
      { kind: 'form', cells: [text('单位编码'), text(p?.unit ?? ''), text('资金用途'), text(p?.usage ?? '')] },
      { kind: 'form', cells: [text('项目负责人'), text(p?.leader ?? ''), text('联系人'), text(p?.contact ?? '')] },
      full('联系电话', p?.phone ?? ''),
      { kind: 'form', cells: [text('开始时间'), text(p?.start ?? ''), text('结束时间'), text(p?.end ?? '')] },
      { key: r.key, kind: 'budget', cells: [text('项目总金额'), amount('totalAmount'), text('项目本年度金额'), amount('yearAmount')] },
      { key: r.key, kind: 'budget', cells: [text('上年度项目总金额'), amount('priorTotalAmount'), text('项目上年度金额'), amount('priorYearAmount')] },
      { kind: 'section', cells: [text('项目详细信息', { colSpan: 4 })] },
      full('项目概况', p?.overview ?? ''),
      full('立项依据', p?.basis ?? ''),
      full('项目设立的必要性', p?.necessity ?? ''),
      full('项目配套制度措施', p?.measures ?? ''),
      full('项目实施计划', p?.plan ?? ''),
      full('备注', p?.remarks ?? ''),
      { kind: 'section', cells: [text('项目绩效目标', { colSpan: 4 })] },
      full('项目总目标', p?.overallGoal ?? ''),
      full('年度绩效目标', p?.annualGoal ?? ''),
      { kind: 'head', cells: ['一级指标', '二级指标', '三级指标', '目标值'].map((t) => text(t)) },
      ...indicatorRows(p?.indicators ?? [], projectTemplate(p), false),
    ];
    return {
      id: `T11:${r.key}`,
      table: 'T11',
      title: caption.title,
      subtitle: [...caption.subtitle, `${r.key} ${p?.name ?? r.label}`],
      unitLabel: '',
      header: [],
      rows,
      align: ['left', 'left', 'left', 'left'],
      widths: [18, 30, 30, 22],
    };
  });
}

/**
 * One table as the screen shows it (T11 gives one view per project). `choices` are the indicator trees the user
 * chose in the wizard; the others follow core/indicators.ts, as the wizard and the printed files do.
 */
export function reportToView(table: ReportTable, unit: AmountUnit, fiscalYear: number, choices: TemplateChoices = { projects: {} }): TableView[] {
  switch (table.layout) {
    case 'two-sided':
      return [twoSidedView(table, unit)];
    case 'form':
      return [departmentView(table, unit, fiscalYear, choices)];
    case 'projects':
      return projectViews(table, unit, fiscalYear, choices);
    default:
      return [listView(table, unit)];
  }
}
