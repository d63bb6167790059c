// What every audit rule reads: the budget, its code book, the computed tables when there are any, the
// settings, and lookups and sums computed once.
import type { CodeBook } from '../codelists.js';
import { fundGroup, fundLabel, isFundCode, type FundCode, type FundGroup } from '../funds.js';
import { FAMILY_CLASS, THREE_PUBLIC, WAGES_CLASS, type Budget, type BudgetLine, type Indicator, type Project, type ProjectCategory, type Unit } from '../model.js';
import { toFixedExact, type Fen } from '../money.js';
import type { ReportRow, ReportTable } from '../tables/report.js';
import { readTarget, type TargetReading } from '../targets.js';

/** Thresholds and lists the rules use: data, so a finance bureau's own limits are a settings change. */
export interface AuditSettings {
  /** A total that changes by more than this share of last year's (a decimal string, "0.3" = 30%) is flagged. */
  largeChangeRatio: string;
  /** A table whose targets all carry the same number is a placeholder table when it has at least this many. */
  placeholderMinIndicators: number;
  /** Project fields an 二上 submission must fill, with their printed labels (T11). */
  requiredProjectFields: readonly { field: keyof Project; label: string }[];
  /**
   * A functional 项 (or 款, 类: `itemChangeLevel`) whose amount changes against last year's figure by at least
   * this share ("0.1" = 10%) needs a written reason (item.large-change).
   */
  itemChangeRatio: string;
  itemChangeLevel: ItemChangeLevel;
  /** Words that mark a text as not yet written (text.placeholder), besides XX, ×× and {…}. */
  placeholderWords: readonly string[];
  /** 控制数: ceilings by unit × fund group × 基本/项目 (optionally by project), from the parameter package. */
  ceilings: readonly Ceiling[];
}

export type ItemChangeLevel = '类' | '款' | '项';
export const ITEM_CHANGE_CODE_LENGTH: Record<ItemChangeLevel, number> = { 类: 3, 款: 5, 项: 7 };

/** A 控制数: what a unit may budget from one fund group for 基本支出 or 项目支出 (or for one project). */
export interface Ceiling {
  unit: string;
  fundGroup: FundGroup;
  kind: 'basic' | 'project';
  /** A project's own ceiling (its project lines of the fund group); absent: all of the unit's lines of the kind. */
  project?: string;
  amount: Fen;
}

export const DEFAULT_AUDIT_SETTINGS: AuditSettings = {
  largeChangeRatio: '0.3',
  placeholderMinIndicators: 3,
  requiredProjectFields: [
    { field: 'name', label: '项目名称' },
    { field: 'usage', label: '资金用途' },
    { field: 'leader', label: '项目负责人' },
    { field: 'contact', label: '联系人' },
    { field: 'phone', label: '联系电话' },
    { field: 'start', label: '开始时间' },
    { field: 'end', label: '结束时间' },
    { field: 'totalAmount', label: '项目总金额' },
    { field: 'overview', label: '项目概况' },
    { field: 'basis', label: '立项依据' },
    { field: 'necessity', label: '项目设立的必要性' },
    { field: 'overallGoal', label: '项目总目标' },
    { field: 'annualGoal', label: '年度绩效目标' },
    { field: 'indicators', label: '绩效指标' },
  ],
  itemChangeRatio: '0.1',
  itemChangeLevel: '项',
  placeholderWords: ['待填写', '待补充', '请填写', '此处填写'],
  ceilings: [],
};

/** One indicator of a project table (T11) or of the department table (T10). */
export interface IndicatorAt {
  project: Project | null;
  index: number;
  indicator: Indicator;
  reading: TargetReading;
}

/** What the columns of T03, T05 and T09 count of a set of lines. */
export interface ExpenditureSplit {
  total: Fen;
  basic: Fen;
  wages: Fen;
  public: Fen;
  family: Fen;
  project: Fen;
  general: Fen;
  special: Fen;
}

/** Fund groups a 财政拨款 table (T04) counts. */
const APPROPRIATION_GROUPS: ReadonlySet<FundGroup> = new Set<FundGroup>(['gpb', 'gfb', 'state-capital-budget']);

/**
 * The audit's own sums of the lines: the independent cross-check of the table engine. Every other figure of
 * the app (tables, subtotals, per-project totals, the manifest's totals, the lines behind a figure) is read
 * from the engine's cells; these are worked out apart from it on purpose, in one pass over the lines and with
 * none of its code, so that the table rules comparing the two (T01 支出合计 = the lines' total, each fund, each
 * 类 …) catch a fault of either. Do not read the engine here; outside the audit, only the 控制数 view reads
 * these (it shows what the ceiling rule compares, by unit × fund group × 基本/项目, which no table holds).
 */
export interface CrossCheckSums {
  total: Fen;
  byFund: Map<FundCode, Fen>;
  /** The T03 split of the lines of each fund group. */
  splitByGroup: Map<FundGroup, ExpenditureSplit>;
  /** Lines a 财政拨款 table does not count (事业收入, 经营收入, 其他收入 …), by functional 类. */
  nonAppropriationByClass: Map<string, Fen>;
  /** Sum and number of the lines naming each project code (including codes no project has). */
  byProject: Map<string, { amount: Fen; lines: number }>;
  /** 一般公共预算“三公”经费: the general public budget lines on the four 三公 款. */
  threePublicGpb: Fen;
  /** Sum of the lines on each functional 项. */
  byFunctional: ReadonlyMap<string, Fen>;
  /** Sum of the lines by unit, fund group and kind (ceilingKey). */
  byCeiling: ReadonlyMap<string, Fen>;
  /** Sum of each project's lines by fund group (ceilingKey with the project). */
  byProjectCeiling: ReadonlyMap<string, Fen>;
}

/** The key of CrossCheckSums.byCeiling / byProjectCeiling. */
export function ceilingKey(unit: string, group: string, kind: 'basic' | 'project', project?: string | null): string {
  return project ? `${unit}\u0001${group}\u0001${kind}\u0001${project}` : `${unit}\u0001${group}\u0001${kind}`;
}

/** The 总计 column of 项 rows by functional 类 (the first three digits of the row's code). */
export function itemTotalsByClass(rows: Iterable<ReportRow>): Map<string, Fen> {
  const sums = new Map<string, Fen>();
  for (const r of rows) {
    if (r.kind !== 'item' || !r.code) continue;
    const cls = r.code.slice(0, 3);
    sums.set(cls, (sums.get(cls) ?? 0n) + (r.cells.total ?? 0n));
  }
  return sums;
}

const THREE_PUBLIC_CODES: ReadonlySet<string> = new Set<string>(Object.values(THREE_PUBLIC));

/**
 * The audit's cross-check sums (CrossCheckSums), kept line by line: `add` a line with +1 when it comes and -1
 * when it goes. A full audit adds every line once; the session's incremental audit adds and takes out the lines
 * an edit changes. A line's project category is read when it is added, so a change of category re-adds the
 * project's lines.
 */
export class CrossCheckSumsAccumulator {
  private readonly byFund = new Map<FundCode, { split: ExpenditureSplit; lines: number }>();
  private readonly nonAppropriation = new Map<string, Fen>();
  private readonly nonAppropriationLines = new Map<string, number>();
  private readonly byProject = new Map<string, { amount: Fen; lines: number }>();
  private threePublicGpb: Fen = 0n;
  private readonly byFunctional = new KeyedSums();
  private readonly byCeiling = new KeyedSums();
  private readonly byProjectCeiling = new KeyedSums();
  private cached: CrossCheckSums | null = null;

  constructor(private readonly categoryOf: (project: string) => ProjectCategory | undefined) {}

  add(line: BudgetLine, sign: 1 | -1): void {
    this.cached = null;
    const amount = sign === 1 ? line.amount : -line.amount;
    let fund = this.byFund.get(line.fund);
    if (!fund) {
      fund = { split: emptySplit(), lines: 0 };
      this.byFund.set(line.fund, fund);
    }
    fund.lines += sign;
    const split = fund.split;
    split.total += amount;
    if (line.project !== null) bump(this.byProject, line.project, amount, sign);
    if (line.kind === 'basic') {
      split.basic += amount;
      if (line.economic.startsWith(WAGES_CLASS)) split.wages += amount;
      else if (line.economic.startsWith(FAMILY_CLASS)) split.family += amount;
      else split.public += amount;
    } else {
      split.project += amount;
      const category = line.project === null ? undefined : this.categoryOf(line.project);
      if (category === 'general') split.general += amount;
      else if (category === 'special') split.special += amount;
    }
    const group = groupOf(line.fund);
    if (!APPROPRIATION_GROUPS.has(group)) {
      const cls = line.functional.slice(0, 3);
      const lines = (this.nonAppropriationLines.get(cls) ?? 0) + sign;
      if (lines === 0) {
        this.nonAppropriation.delete(cls);
        this.nonAppropriationLines.delete(cls);
      } else {
        this.nonAppropriation.set(cls, (this.nonAppropriation.get(cls) ?? 0n) + amount);
        this.nonAppropriationLines.set(cls, lines);
      }
    }
    if (group === 'gpb' && THREE_PUBLIC_CODES.has(line.economic)) this.threePublicGpb += amount;
    this.byFunctional.add(line.functional, amount, sign);
    this.byCeiling.add(ceilingKey(line.unit, group, line.kind), amount, sign);
    if (line.project !== null) this.byProjectCeiling.add(ceilingKey(line.unit, group, line.kind, line.project), amount, sign);
    if (fund.lines === 0) this.byFund.delete(line.fund);
  }

  sums(): CrossCheckSums {
    if (this.cached) return this.cached;
    const sums: CrossCheckSums = {
      total: 0n,
      byFund: new Map(),
      splitByGroup: new Map(),
      // The kept maps themselves (readers only read): no copy per audit.
      nonAppropriationByClass: this.nonAppropriation,
      byProject: this.byProject,
      threePublicGpb: this.threePublicGpb,
      byFunctional: this.byFunctional.amounts,
      byCeiling: this.byCeiling.amounts,
      byProjectCeiling: this.byProjectCeiling.amounts,
    };
    for (const [fund, { split }] of this.byFund) {
      sums.total += split.total;
      sums.byFund.set(fund, split.total);
      const group = groupOf(fund);
      const into = sums.splitByGroup.get(group);
      if (into) addSplit(into, split);
      else sums.splitByGroup.set(group, { ...split });
    }
    this.cached = sums;
    return sums;
  }
}

function bump(map: Map<string, { amount: Fen; lines: number }>, key: string, amount: Fen, sign: 1 | -1): void {
  const s = map.get(key);
  if (!s) map.set(key, { amount, lines: sign });
  else {
    s.amount += amount;
    s.lines += sign;
    if (s.lines === 0) map.delete(key);
  }
}

/** Sums by key that forget a key when its last line goes; `amounts` is read as is (no copy per audit). */
class KeyedSums {
  readonly amounts = new Map<string, Fen>();
  private readonly lines = new Map<string, number>();
  add(key: string, amount: Fen, sign: 1 | -1): void {
    const n = (this.lines.get(key) ?? 0) + sign;
    if (n === 0) {
      this.lines.delete(key);
      this.amounts.delete(key);
    } else {
      this.lines.set(key, n);
      this.amounts.set(key, (this.amounts.get(key) ?? 0n) + amount);
    }
  }
}

/** An unknown fund (kept out by every reader, but the audit must not fail on one) is a group of its own. */
function groupOf(fund: FundCode): FundGroup {
  return isFundCode(fund) ? fundGroup(fund) : (fund as string as FundGroup);
}

function emptySplit(): ExpenditureSplit {
  return { total: 0n, basic: 0n, wages: 0n, public: 0n, family: 0n, project: 0n, general: 0n, special: 0n };
}

function addSplit(into: ExpenditureSplit, split: ExpenditureSplit): void {
  for (const k of Object.keys(into) as (keyof ExpenditureSplit)[]) into[k] += split[k];
}

/** What the session's incremental audit keeps between audits and hands to each new context. */
export interface KeptForAudit {
  /** Sums of the lines; computed from budget.lines when absent. */
  crossCheckSums?: CrossCheckSums;
  /** itemTotalsByClass by table id (undefined: work it out from the rows). */
  classTotals?: (table: string) => Map<string, Fen> | undefined;
  unitByCode?: Map<string, Unit>;
  projectByCode?: Map<string, Project>;
  /**
   * The 河南 2020 tables of the budget when `tables` are another format's (TableEngine.referenceTables): what
   * the 预算说明's figures are read from. Asked for only by the rules that need them.
   */
  documentTables?: () => readonly ReportTable[] | null;
}

/**
 * Rows by key, per rows array: the engine's shared tables keep the same array while no row appears or
 * disappears, so the index is built once for many audits. (Arrays changed in place would need a new index:
 * table rules only read.)
 */
const ROW_INDEX = new WeakMap<readonly ReportRow[], Map<string, ReportRow>>();

export class AuditContext {
  readonly unitByCode: Map<string, Unit>;
  readonly projectByCode: Map<string, Project>;
  private crossCheckSumsCache: CrossCheckSums | undefined;
  private readonly classTotals: KeptForAudit['classTotals'];
  private readonly documentTablesOf: KeptForAudit['documentTables'];
  private indicatorsCache: IndicatorAt[] | undefined;

  constructor(
    readonly budget: Budget,
    readonly book: CodeBook,
    readonly tables: readonly ReportTable[] | null,
    readonly settings: AuditSettings,
    kept: KeptForAudit = {},
  ) {
    this.unitByCode = kept.unitByCode ?? new Map(budget.units.map((u) => [u.code, u]));
    this.projectByCode = kept.projectByCode ?? new Map(budget.projects.map((p) => [p.code, p]));
    this.crossCheckSumsCache = kept.crossCheckSums;
    this.classTotals = kept.classTotals;
    this.documentTablesOf = kept.documentTables;
  }

  /** The tables the 预算说明 reads its figures from: 河南 2020's (the budget's own tables when in that format). */
  documentTables(): readonly ReportTable[] | null {
    return this.documentTablesOf?.() ?? this.tables;
  }

  /**
   * The audit's cross-check sums of the lines (CrossCheckSums: independent of the engine), computed the first
   * time a rule asks. The audit reruns after every edit, so each rule reading these instead of walking the
   * lines itself keeps it to one pass.
   */
  crossCheckSums(): CrossCheckSums {
    if (this.crossCheckSumsCache) return this.crossCheckSumsCache;
    const sums = new CrossCheckSumsAccumulator((code) => this.projectByCode.get(code)?.category);
    for (const line of this.budget.lines) sums.add(line, 1);
    this.crossCheckSumsCache = sums.sums();
    return this.crossCheckSumsCache;
  }

  /** The T03 split of the lines of one fund group, or of every line. */
  split(group?: FundGroup): ExpenditureSplit {
    const byGroup = this.crossCheckSums().splitByGroup;
    if (group !== undefined) return { ...(byGroup.get(group) ?? emptySplit()) };
    const out = emptySplit();
    for (const split of byGroup.values()) addSplit(out, split);
    return out;
  }

  /**
   * The 总计 column of a table's 项 rows (T03, T05, T09) added up by functional 类. Worked out from the rows, or
   * given by the session's incremental audit, which keeps it row by row.
   */
  itemTotalsByClass(table: ReportTable | undefined): Map<string, Fen> {
    if (!table) return new Map();
    const given = this.classTotals?.(table.id);
    if (given) return given;
    return itemTotalsByClass(table.rows);
  }

  table(id: string): ReportTable | undefined {
    return this.tables?.find((t) => t.id === id);
  }

  /** A row of a table by its key; each table is indexed the first time (T11 is looked up once per project). */
  row(table: ReportTable | undefined, key: string): ReportRow | undefined {
    if (!table) return undefined;
    let index = ROW_INDEX.get(table.rows);
    if (!index) {
      index = new Map();
      for (const r of table.rows) if (!index.has(r.key)) index.set(r.key, r);
      ROW_INDEX.set(table.rows, index);
    }
    return index.get(key);
  }

  /** "10.90万元": exact, at least two decimals (more only when the amount has them). */
  money(fen: Fen): string {
    return `${toFixedExact(fen, this.budget.amountUnit, 2)}${this.budget.amountUnit}`;
  }

  /** Signed form for differences: "+1.50万元", "-0.30万元". */
  difference(fen: Fen): string {
    return fen > 0n ? `+${this.money(fen)}` : this.money(fen);
  }

  fund(code: FundCode): string {
    return fundLabel(code);
  }

  /** "第 3 条支出明细（2010350 事业运行 / 30101 基本工资，140.90万元）". */
  lineLabel(line: BudgetLine): string {
    const f = this.book.functional.name(line.functional);
    const e = this.book.economic.name(line.economic);
    const fText = f ? `${line.functional} ${f}` : line.functional;
    const eText = e ? `${line.economic} ${e}` : line.economic;
    return `第 ${line.id} 条支出明细（${fText} / ${eText}，${this.money(line.amount)}）`;
  }

  projectLabel(project: Project): string {
    return `项目 ${project.code}“${project.name}”`;
  }

  /** Every indicator of every project, then the department table's, each read once. */
  indicators(): IndicatorAt[] {
    if (!this.indicatorsCache) {
      const out: IndicatorAt[] = [];
      for (const project of this.budget.projects) {
        project.indicators.forEach((indicator, index) =>
          out.push({ project, index, indicator, reading: readTarget(indicator.target) }),
        );
      }
      (this.budget.departmentPerformance?.indicators ?? []).forEach((indicator, index) =>
        out.push({ project: null, index, indicator, reading: readTarget(indicator.target) }),
      );
      this.indicatorsCache = out;
    }
    return this.indicatorsCache;
  }

  isGeneralPublicBudget(line: BudgetLine): boolean {
    return fundGroup(line.fund) === 'gpb';
  }
}
