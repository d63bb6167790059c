// 审核 (audit): findings and rules.
import type { BudgetLine } from '../model.js';
import type { ReportRow, ReportTable } from '../tables/report.js';
import type { AuditContext } from './context.js';

/** hard: an identity or a reference is broken, the budget cannot be submitted. soft: warn, the user explains. */
export type Severity = 'hard' | 'soft';

/** Where a finding points. Every field is optional; a finding sets what locates it. */
export interface FindingPlace {
  /** Table id ("T03", "T11"). */
  table?: string;
  /** Row of that table: ReportRow.key for a computed table, or a code (functional, economic, fund, unit). */
  row?: string;
  /** BudgetLine.id. */
  line?: number;
  /** Project code. */
  project?: string;
  /** Field name of the line, project or indicator ("amount", "totalAmount", "target"). */
  field?: string;
  /** 0-based position in the project's indicators, or in the department table's when no project is set. */
  indicator?: number;
}

export interface Finding {
  /** Stable id of the rule, e.g. 'project.total-below-year'. */
  rule: string;
  severity: Severity;
  place: FindingPlace;
  /** Chinese, specific: names the project / line / code and the figures. */
  message: string;
}

/** What a rule reports; the runner adds the rule id and severity. */
export interface FindingDraft {
  place: FindingPlace;
  message: string;
}

export interface AuditRule {
  id: string;
  severity: Severity;
  /** Chinese, one sentence: what the rule requires. Shown in the rule list of the audit screen. */
  description: string;
  /** Rules that compare computed tables run only when tables are given. */
  needsTables?: boolean;
  /**
   * The part of the rule that looks at one line alone (its codes, its unit, its project, its amount). It runs
   * for every line before `check`; after an edit only the changed lines are looked at again.
   */
  line?(context: AuditContext, line: BudgetLine): FindingDraft[];
  /**
   * 'sums': `check` reads sums of the lines (context.crossCheckSums(), context.split()) and runs again after every
   * edit, from sums kept up to date line by line. Absent: `check` reads no line (projects, indicators, units,
   * income), or only tables (needsTables).
   */
  reads?: 'sums';
  /**
   * The part of a table rule that looks at one row alone, for each row of the tables in `rowTables`. It runs
   * before `check`; after an edit only the rows whose cells changed are looked at again.
   */
  row?(context: AuditContext, table: ReportTable, row: ReportRow): FindingDraft[];
  rowTables?: readonly string[];
  check(context: AuditContext): FindingDraft[];
}

