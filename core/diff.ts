// What changed between two versions of a budget: its lines (added, removed, changed field by field), its
// projects (every field of the 绩效目标表 and each indicator), its units, the few budget-wide facts, and
// every amount cell of the eleven tables. One implementation serves "since the last 上报" (the unit's own
// file) and "since the last package received from this unit" (the supervising department).
//
// Lines have no identity outside their file: the exchange format numbers them 1..n. Within one file the
// storage id is stable, so a snapshot that kept the ids is matched by id and any field may change. Between
// files, lines are matched by what identifies them in the tables (unit, 项, 款, kind, project, fund); within a
// group of lines sharing those, identical lines pair first and the rest pair in order.
//
// Every amount leaves as an exact decimal string; nothing here holds money in a float.
import type { CodeBook } from './codelists.js';
import type { Budget, BudgetLine, Indicator, Project } from './model.js';
import { toExactString, type AmountUnit, type Fen } from './money.js';
import { computeTables } from './tables/engine.js';
import { headlineFigures } from './totals.js';
import type { ReportColumn, ReportTable } from './tables/report.js';

export type ChangeKind = 'added' | 'removed' | 'changed';

/** One field that differs; values are display-ready text (codes as codes, amounts as exact decimals). */
export interface FieldChange {
  field: string;
  label: string;
  before: string | null;
  after: string | null;
}

/** A line as the diff shows it: amount as an exact decimal string in the diff's amount unit. */
export interface LineSnapshot {
  /** The line's id in its own budget (a snapshot without ids numbers its lines 1..n). */
  id: number;
  unit: string;
  functional: string;
  economic: string;
  kind: BudgetLine['kind'];
  project: string | null;
  fund: string;
  amount: string;
  remark: string | null;
}

export interface LineDiff {
  change: ChangeKind;
  /** The identifying fields of the line (after the change; before it for a removed line). */
  unit: string;
  functional: string;
  economic: string;
  kind: BudgetLine['kind'];
  project: string | null;
  fund: string;
  /** Amounts as exact decimal strings in `unitOfAmount`; null on the side where the line does not exist. */
  before: string | null;
  after: string | null;
  unitOfAmount: AmountUnit;
  beforeLine: LineSnapshot | null;
  afterLine: LineSnapshot | null;
  /** For a changed line, each field that differs. */
  fields: FieldChange[];
}

export interface ProjectDiff {
  change: ChangeKind;
  code: string;
  name: string;
  unit: string;
  /** For a changed project, each field that differs (indicators as `indicator:<一级>/<二级>/<三级>`). */
  fields: FieldChange[];
}

export interface UnitDiff {
  change: ChangeKind;
  code: string;
  name: string;
  fields: FieldChange[];
}

/** One amount cell of a published table that differs (a row present on one side only counts as zeros). */
export interface CellChange {
  table: string;
  tableTitle: string;
  row: string;
  rowLabel: string;
  column: string;
  columnLabel: string;
  /** Exact decimal strings in the table's amount unit. */
  before: string;
  after: string;
  unit: AmountUnit;
}

export interface BudgetDiff {
  /** How lines were paired: by storage id (same file) or by their identifying fields. */
  matchedBy: 'id' | 'key';
  amountUnit: AmountUnit;
  /** Total expenditure on each side, exact decimal strings in `amountUnit` ("0" when there is no before). */
  totals: { before: string; after: string };
  units: UnitDiff[];
  lines: LineDiff[];
  projects: ProjectDiff[];
  /** Budget-wide facts: department, amount unit, income, procurement, prior year, 整体绩效目标. */
  other: FieldChange[];
  cells: CellChange[];
  /** True when nothing at all differs. */
  unchanged: boolean;
}

export interface DiffOptions {
  /** 'id' when both budgets come from the same file and the before side kept the storage ids. Default 'key'. */
  matchBy?: 'id' | 'key';
  /** Code lists of the before side when they differ from `book` (another fiscal year). */
  bookBefore?: CodeBook;
  /** Tables already computed for either side (saves computing them again). */
  tablesBefore?: readonly ReportTable[];
  tablesAfter?: readonly ReportTable[];
}

const LINE_FIELD_LABELS: [keyof BudgetLine, string][] = [
  ['unit', '单位'],
  ['functional', '功能分类'],
  ['economic', '经济分类'],
  ['kind', '支出类型'],
  ['project', '项目'],
  ['fund', '资金来源'],
  ['amount', '金额'],
  ['remark', '备注'],
];

const PROJECT_TEXT_LABELS: [keyof Project, string][] = [
  ['name', '项目名称'],
  ['unit', '单位编码'],
  ['category', '项目类别'],
  ['functional', '功能分类'],
  ['usage', '资金用途'],
  ['leader', '项目负责人'],
  ['contact', '联系人'],
  ['phone', '联系电话'],
  ['start', '开始时间'],
  ['end', '结束时间'],
  ['overview', '项目概况'],
  ['basis', '立项依据'],
  ['necessity', '项目设立的必要性'],
  ['measures', '项目配套制度措施'],
  ['plan', '项目实施计划'],
  ['remarks', '备注'],
  ['overallGoal', '项目总目标'],
  ['annualGoal', '年度绩效目标'],
];

const PROJECT_AMOUNT_LABELS: [keyof Project, string][] = [
  ['totalAmount', '项目总金额'],
  ['yearAmount', '项目本年度金额'],
  ['priorTotalAmount', '上年度项目总金额'],
  ['priorYearAmount', '项目上年度金额'],
];

const SEP = '\u0001';

function lineKey(l: BudgetLine): string {
  return [l.unit, l.functional, l.economic, l.kind, l.project ?? '', l.fund].join(SEP);
}

/** A line as a diff shows it: the amount as an exact decimal string in `unit`, an empty remark as null. */
export function lineSnapshot(l: BudgetLine, unit: AmountUnit): LineSnapshot {
  return {
    id: l.id,
    unit: l.unit,
    functional: l.functional,
    economic: l.economic,
    kind: l.kind,
    project: l.project,
    fund: l.fund,
    amount: toExactString(l.amount, unit),
    remark: l.remark && l.remark !== '' ? l.remark : null,
  };
}

function lineFieldText(l: LineSnapshot, field: keyof BudgetLine): string | null {
  const v = (l as unknown as Record<string, unknown>)[field];
  return v === null || v === undefined ? null : String(v);
}

function lineDiff(change: ChangeKind, before: BudgetLine | null, after: BudgetLine | null, unit: AmountUnit): LineDiff | null {
  const a = before ? lineSnapshot(before, unit) : null;
  const b = after ? lineSnapshot(after, unit) : null;
  const fields: FieldChange[] = [];
  if (a && b) {
    for (const [field, label] of LINE_FIELD_LABELS) {
      const x = lineFieldText(a, field);
      const y = lineFieldText(b, field);
      if (x !== y) fields.push({ field, label, before: x, after: y });
    }
    if (fields.length === 0) return null;
  }
  const id = (b ?? a)!;
  return {
    change,
    unit: id.unit,
    functional: id.functional,
    economic: id.economic,
    kind: id.kind,
    project: id.project,
    fund: id.fund,
    before: a ? a.amount : null,
    after: b ? b.amount : null,
    unitOfAmount: unit,
    beforeLine: a,
    afterLine: b,
    fields,
  };
}

function sameLineContent(a: BudgetLine, b: BudgetLine): boolean {
  return a.amount === b.amount && (a.remark ?? '') === (b.remark ?? '');
}

function diffLinesById(before: readonly BudgetLine[], after: readonly BudgetLine[], unit: AmountUnit): LineDiff[] {
  const out: LineDiff[] = [];
  const prior = new Map(before.map((l) => [l.id, l]));
  const seen = new Set<number>();
  for (const l of after) {
    const p = prior.get(l.id);
    if (p) {
      seen.add(l.id);
      const d = lineDiff('changed', p, l, unit);
      if (d) out.push(d);
    } else out.push(lineDiff('added', null, l, unit)!);
  }
  for (const p of before) if (!seen.has(p.id)) out.push(lineDiff('removed', p, null, unit)!);
  return out;
}

function diffLinesByKey(before: readonly BudgetLine[], after: readonly BudgetLine[], unit: AmountUnit): LineDiff[] {
  const group = (lines: readonly BudgetLine[]) => {
    const m = new Map<string, BudgetLine[]>();
    for (const l of lines) {
      const k = lineKey(l);
      const g = m.get(k);
      if (g) g.push(l);
      else m.set(k, [l]);
    }
    return m;
  };
  const a = group(before);
  const b = group(after);
  const out: LineDiff[] = [];
  for (const key of new Set([...b.keys(), ...a.keys()])) {
    const left = [...(a.get(key) ?? [])];
    const right = [...(b.get(key) ?? [])];
    // Identical lines are unchanged wherever they sit in their group.
    for (let i = 0; i < left.length; ) {
      const j = right.findIndex((r) => sameLineContent(left[i]!, r));
      if (j >= 0) {
        left.splice(i, 1);
        right.splice(j, 1);
      } else i++;
    }
    const paired = Math.min(left.length, right.length);
    for (let i = 0; i < paired; i++) {
      const d = lineDiff('changed', left[i]!, right[i]!, unit);
      if (d) out.push(d);
    }
    for (const l of left.slice(paired)) out.push(lineDiff('removed', l, null, unit)!);
    for (const r of right.slice(paired)) out.push(lineDiff('added', null, r, unit)!);
  }
  return out;
}

function compareLineDiffs(x: LineDiff, y: LineDiff): number {
  for (const k of ['unit', 'functional', 'economic', 'kind', 'project', 'fund'] as const) {
    const a = x[k] ?? '';
    const b = y[k] ?? '';
    if (a !== b) return a < b ? -1 : 1;
  }
  const order: Record<ChangeKind, number> = { removed: 0, changed: 1, added: 2 };
  return order[x.change] - order[y.change];
}

function indicatorKey(i: Indicator): string {
  return `${i.level1}/${i.level2}/${i.name}`;
}

function indicatorText(i: Indicator): string {
  return i.note ? `${i.target}（${i.note}）` : i.target;
}

/** Indicators matched by 一级/二级/三级 (the n-th repeat of the same name with the n-th). */
function indicatorChanges(before: readonly Indicator[], after: readonly Indicator[], prefix = 'indicator'): FieldChange[] {
  const keyed = (list: readonly Indicator[]) => {
    const counts = new Map<string, number>();
    const m = new Map<string, Indicator>();
    for (const i of list) {
      const base = indicatorKey(i);
      const n = (counts.get(base) ?? 0) + 1;
      counts.set(base, n);
      m.set(n === 1 ? base : `${base}#${n}`, i);
    }
    return m;
  };
  const a = keyed(before);
  const b = keyed(after);
  const out: FieldChange[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(key);
    const y = b.get(key);
    const tx = x ? indicatorText(x) : null;
    const ty = y ? indicatorText(y) : null;
    if (tx !== ty) out.push({ field: `${prefix}:${key}`, label: `绩效指标“${key}”`, before: tx, after: ty });
  }
  return out;
}

function projectFields(a: Project, b: Project, unit: AmountUnit): FieldChange[] {
  const out: FieldChange[] = [];
  const text = (p: Project, f: keyof Project): string | null => {
    const v = p[f];
    return v === undefined || v === null || v === '' ? null : String(v);
  };
  const money = (p: Project, f: keyof Project): string | null => {
    const v = p[f] as Fen | undefined;
    return v === undefined ? null : toExactString(v, unit);
  };
  for (const [f, label] of PROJECT_TEXT_LABELS) {
    const x = text(a, f);
    const y = text(b, f);
    if (x !== y) out.push({ field: f, label, before: x, after: y });
  }
  for (const [f, label] of PROJECT_AMOUNT_LABELS) {
    const x = money(a, f);
    const y = money(b, f);
    if (x !== y) out.push({ field: f, label, before: x, after: y });
  }
  out.push(...indicatorChanges(a.indicators, b.indicators));
  return out;
}

function diffProjects(before: readonly Project[], after: readonly Project[], unit: AmountUnit): ProjectDiff[] {
  const prior = new Map(before.map((p) => [p.code, p]));
  const out: ProjectDiff[] = [];
  for (const p of after) {
    const q = prior.get(p.code);
    if (!q) out.push({ change: 'added', code: p.code, name: p.name, unit: p.unit, fields: [] });
    else {
      const fields = projectFields(q, p, unit);
      if (fields.length) out.push({ change: 'changed', code: p.code, name: p.name, unit: p.unit, fields });
    }
  }
  const now = new Set(after.map((p) => p.code));
  for (const q of before) if (!now.has(q.code)) out.push({ change: 'removed', code: q.code, name: q.name, unit: q.unit, fields: [] });
  return out;
}

function diffUnits(before: Budget | null, after: Budget): UnitDiff[] {
  const prior = new Map((before?.units ?? []).map((u) => [u.code, u]));
  const out: UnitDiff[] = [];
  for (const u of after.units) {
    const q = prior.get(u.code);
    if (!q) out.push({ change: 'added', code: u.code, name: u.name, fields: [] });
    else {
      const fields: FieldChange[] = [];
      if (q.name !== u.name) fields.push({ field: 'name', label: '单位名称', before: q.name, after: u.name });
      if (q.kind !== u.kind) fields.push({ field: 'kind', label: '单位类型', before: q.kind, after: u.kind });
      if (fields.length) out.push({ change: 'changed', code: u.code, name: u.name, fields });
    }
  }
  const now = new Set(after.units.map((u) => u.code));
  for (const q of before?.units ?? []) if (!now.has(q.code)) out.push({ change: 'removed', code: q.code, name: q.name, fields: [] });
  return out;
}

function sums<T>(items: readonly T[], key: (t: T) => string, amount: (t: T) => Fen): Map<string, Fen> {
  const m = new Map<string, Fen>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0n) + amount(t));
  return m;
}

function diffOther(before: Budget | null, after: Budget, unit: AmountUnit): FieldChange[] {
  const out: FieldChange[] = [];
  const push = (field: string, label: string, x: string | null, y: string | null) => {
    if (x !== y) out.push({ field, label, before: x, after: y });
  };
  const money = (v: Fen | undefined | null) => (v === undefined || v === null ? null : toExactString(v, unit));
  push('fiscalYear', '预算年度', before ? String(before.fiscalYear) : null, String(after.fiscalYear));
  push('department.code', '部门编码', before?.department.code ?? null, after.department.code);
  push('department.name', '部门名称', before?.department.name ?? null, after.department.name);
  push('amountUnit', '金额单位', before?.amountUnit ?? null, after.amountUnit);

  const incomeKey = (i: Budget['income'][number]) => `${i.unit}${SEP}${i.fund}`;
  const ia = sums(before?.income ?? [], incomeKey, (i) => i.amount);
  const ib = sums(after.income, incomeKey, (i) => i.amount);
  for (const k of new Set([...ib.keys(), ...ia.keys()])) {
    const [u, f] = k.split(SEP);
    push(`income:${u}:${f}`, `收入预算（单位 ${u}，${f}）`, money(ia.get(k)), money(ib.get(k)));
  }
  const procurementKey = (p: Budget['procurement'][number]) => `${p.project ?? ''}${SEP}${p.category}`;
  const pa = sums(before?.procurement ?? [], procurementKey, (p) => p.amount);
  const pb = sums(after.procurement, procurementKey, (p) => p.amount);
  for (const k of new Set([...pb.keys(), ...pa.keys()])) {
    const [project, category] = k.split(SEP);
    push(`procurement:${project}:${category}`, `政府采购（${project ? `项目 ${project}` : '基本支出'}，${category}）`, money(pa.get(k)), money(pb.get(k)));
  }
  push('priorYear.total', '上年预算总额', money(before?.priorYear?.total), money(after.priorYear?.total));
  push('priorYear.threePublic', '上年“三公”经费', money(before?.priorYear?.threePublic), money(after.priorYear?.threePublic));

  const pa2 = before?.departmentPerformance ?? null;
  const pb2 = after.departmentPerformance;
  push('departmentPerformance.dutyGoal', '年度履职目标', pa2?.dutyGoal ?? null, pb2?.dutyGoal ?? null);
  const tasks = (p: typeof pa2) => new Map((p?.tasks ?? []).map((t) => [t.name, t.content]));
  const ta = tasks(pa2);
  const tb = tasks(pb2);
  for (const name of new Set([...tb.keys(), ...ta.keys()])) push(`departmentPerformance.task:${name}`, `主要任务“${name}”`, ta.get(name) ?? null, tb.get(name) ?? null);
  out.push(...indicatorChanges(pa2?.indicators ?? [], pb2?.indicators ?? [], 'departmentPerformance.indicator'));
  return out;
}

function columnLabels(columns: readonly ReportColumn[], prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of columns) {
    const label = prefix && c.label ? `${prefix}·${c.label}` : prefix || c.label;
    if (c.children && c.children.length) for (const [k, v] of columnLabels(c.children, label)) out.set(k, v);
    else out.set(c.key, label);
  }
  return out;
}

/** Every amount cell that differs between two sets of tables (a row present on one side only counts as zeros). */
export function diffTables(before: readonly ReportTable[], after: readonly ReportTable[]): CellChange[] {
  const out: CellChange[] = [];
  for (const next of after) {
    const prev = before.find((t) => t.id === next.id);
    const labels = columnLabels(next.columns);
    if (prev) for (const [k, v] of columnLabels(prev.columns)) if (!labels.has(k)) labels.set(k, v);
    const prevRows = new Map((prev?.rows ?? []).map((r) => [r.key, r]));
    const nextRows = new Map(next.rows.map((r) => [r.key, r]));
    const keys = [...nextRows.keys(), ...[...prevRows.keys()].filter((k) => !nextRows.has(k))];
    for (const key of keys) {
      const a = prevRows.get(key);
      const b = nextRows.get(key);
      const cols = new Set([...Object.keys(a?.cells ?? {}), ...Object.keys(b?.cells ?? {})]);
      for (const col of cols) {
        const x: Fen = a?.cells[col] ?? 0n;
        const y: Fen = b?.cells[col] ?? 0n;
        if (x === y) continue;
        out.push({
          table: next.id,
          tableTitle: next.title,
          row: key,
          rowLabel: (b ?? a)!.label,
          column: col,
          columnLabel: labels.get(col) ?? col,
          before: toExactString(x, next.amountUnit),
          after: toExactString(y, next.amountUnit),
          unit: next.amountUnit,
        });
      }
    }
  }
  return out;
}

/**
 * Everything that differs from `before` to `after` (`before` null: a first version, everything is added).
 * `book` holds the code lists of `after`'s fiscal year.
 */
export function diffBudgets(before: Budget | null, after: Budget, book: CodeBook, options: DiffOptions = {}): BudgetDiff {
  const unit = after.amountUnit;
  const matchBy = options.matchBy ?? 'key';
  const lines = (matchBy === 'id' ? diffLinesById : diffLinesByKey)(before?.lines ?? [], after.lines, unit).sort(compareLineDiffs);
  const tablesBefore = before ? (options.tablesBefore ?? computeTables(before, options.bookBefore ?? book)) : [];
  const tablesAfter = options.tablesAfter ?? computeTables(after, book);
  const units = diffUnits(before, after);
  const projects = diffProjects(before?.projects ?? [], after.projects, unit);
  const other = diffOther(before, after, unit);
  const cells = diffTables(tablesBefore, tablesAfter);
  return {
    matchedBy: matchBy,
    amountUnit: unit,
    // 支出总计 of either side: the engine's cell (core/totals.ts), as the manifest states it.
    totals: {
      before: toExactString(before ? headlineFigures(before, options.bookBefore ?? book).expenditure : 0n, unit),
      after: toExactString(headlineFigures(after, book).expenditure, unit),
    },
    units,
    lines,
    projects,
    other,
    cells,
    unchanged: units.length + lines.length + projects.length + other.length + cells.length === 0,
  };
}
