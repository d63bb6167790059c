// What every audit rule reads: the budget, its code book, the computed tables when there are any, the
// settings, and lookups and sums computed once.
import type { CodeBook } from '../codelists.js';
import { fundGroup, fundLabel, type FundCode } from '../funds.js';
import type { Budget, BudgetLine, Indicator, Project, Unit } from '../model.js';
import { toFixedExact, type Fen } from '../money.js';
import type { ReportTable } from '../tables/report.js';
import { readTarget, type TargetReading } from '../targets.js';

/** Thresholds and lists the rules use: data, so a finance bureau's own limits are a settings change. */
export interface AuditSettings {
  /** A total that changes by more than this share of last year's (a decimal string, "0.3" = 30%) is flagged. */
  largeChangeRatio: string;
  /** A table whose targets all carry the same number is a placeholder table when it has at least this many. */
  placeholderMinIndicators: number;
  /** Project fields an 二上 submission must fill, with their printed labels (T11). */
  requiredProjectFields: readonly { field: keyof Project; label: string }[];
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
};

/** One indicator of a project table (T11) or of the department table (T10). */
export interface IndicatorAt {
  project: Project | null;
  index: number;
  indicator: Indicator;
  reading: TargetReading;
}

export class AuditContext {
  readonly unitByCode: Map<string, Unit>;
  readonly projectByCode: Map<string, Project>;
  /** Lines of each project code named by a line (including codes no project has). */
  readonly linesByProject: Map<string, BudgetLine[]>;
  private indicatorsCache: IndicatorAt[] | undefined;

  constructor(
    readonly budget: Budget,
    readonly book: CodeBook,
    readonly tables: readonly ReportTable[] | null,
    readonly settings: AuditSettings,
  ) {
    this.unitByCode = new Map(budget.units.map((u) => [u.code, u]));
    this.projectByCode = new Map(budget.projects.map((p) => [p.code, p]));
    this.linesByProject = new Map();
    for (const line of budget.lines) {
      if (line.project === null) continue;
      const list = this.linesByProject.get(line.project) ?? [];
      list.push(line);
      this.linesByProject.set(line.project, list);
    }
  }

  table(id: string): ReportTable | undefined {
    return this.tables?.find((t) => t.id === id);
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

  /** Sum of line amounts, optionally of the lines a filter keeps. */
  sumLines(keep: (line: BudgetLine) => boolean = () => true): Fen {
    let total = 0n;
    for (const line of this.budget.lines) if (keep(line)) total += line.amount;
    return total;
  }

  isGeneralPublicBudget(line: BudgetLine): boolean {
    return fundGroup(line.fund) === 'gpb';
  }
}
