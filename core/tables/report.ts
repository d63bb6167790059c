// The computed form of a published table: what the grid, the .xlsx writer, the PDF printer and the
// JSON/text outputs all render. Amounts are 分 (bigint); every renderer formats them itself.
import type { AmountUnit, Fen } from '../money.js';
import type { DepartmentPerformance, Project } from '../model.js';

/** The tables of the 河南 2020 format (the default), in published order. */
export const TABLE_IDS = ['T01', 'T02', 'T03', 'T04', 'T05', 'T06', 'T07', 'T08', 'T09', 'T10', 'T11'] as const;
/** A table's id within its publication format ("T03" in 河南 2020, "N3" in the national format). */
export type TableId = string;

/** Whether a value names a table of the default format (河南 2020). */
export function isTableId(value: unknown): value is TableId {
  return typeof value === 'string' && (TABLE_IDS as readonly string[]).includes(value);
}

/**
 * A header cell. Leaves are amount columns and their `key` is the key of `ReportRow.cells`; a group
 * (with children) is a merged header cell above them and its key (prefixed "group:") holds no amount.
 */
export interface ReportColumn {
  key: string;
  label: string;
  children?: ReportColumn[];
  /** Two-sided tables (T01, T04): which side a label column belongs to. */
  side?: 'income' | 'expenditure';
}

export type RowKind =
  | 'total' // 合计 / 共计 / 收入合计 / 支出合计
  | 'subtotal' // T04 小计, T01 本年合计
  | 'unit' // one unit (T02/T03/T05/T09)
  | 'class' // economic 类 (T06/T07) or functional 类 (T04)
  | 'section' // 一、基本支出, 二、项目支出 (T01)
  | 'item' // functional 项 or economic 款 row
  | 'fixed' // any other row of a fixed list
  | 'project'; // T11

/** Government economic classification printed beside a department 款 (T06, T07). */
export interface GovernmentClass {
  /** Government 类, e.g. "505". */
  classCode: string;
  /** Government 款, e.g. "50501". */
  code: string;
  name: string;
}

export interface ReportRow {
  /** Unique within its table; the row argument of TableEngine.linesBehind and of ChangedCell. */
  key: string;
  /**
   * Functional code (7-digit 项; 3 for T04 类 rows), economic code (3 for 类, 5 for 款), unit code for unit rows,
   * fund code for T01/T04 income rows ("income:gpb.appropriation"), "expenditure:<row>" for T01/T04
   * expenditure rows, project code for T11. Absent on total rows.
   */
  code?: string;
  label: string;
  /** Indentation depth: 0 for a table total, 1 for its first level … */
  level?: number;
  kind: RowKind;
  /** Two-sided tables only. */
  side?: 'income' | 'expenditure';
  /** Two-sided tables only: printed row (1-based) on which this row sits beside its counterpart. */
  line?: number;
  /** Merged group label in front of the row (T01/T04 "一般公共预算收入"). */
  group?: string;
  /** Text of the leading label columns by ReportTable.labelColumns key (codes split 201 | 03 | 06 …). */
  labels: Record<string, string>;
  /** Unit of a unit or 项 row (T02/T03/T05/T09). */
  unit?: string;
  government?: GovernmentClass;
  cells: Record<string, Fen>;
}

/** How a table prints its amounts, per amount unit (docs/domain/TABLES.md "Number format"). */
export interface AmountFormat {
  decimals: number;
  thousands: boolean;
  /** Published tables T01–T10 print zero as an empty cell; T11 prints 0.00. */
  blankZero: boolean;
}

export type TableLayout = 'list' | 'two-sided' | 'form' | 'projects';

export interface ReportTable {
  id: TableId;
  title: string;
  /** The budget year the table is of (T10/T11 print on that year's indicator template). */
  fiscalYear: number;
  amountUnit: AmountUnit;
  /** Title block as printed, one line each (e.g. "2020年部门收支总体情况表", "单位：…", "单位：万元"). */
  caption: string[];
  layout: TableLayout;
  /** Leading text columns (codes and names), possibly nested (科目编码 → 类 款 项). */
  labelColumns: ReportColumn[];
  /** Amount columns, nested as published; leaves carry the cell keys. */
  columns: ReportColumn[];
  /** Print the `** … 1 2 3` row under the header. */
  numberRow: boolean;
  format: AmountFormat;
  rows: ReportRow[];
  /** Paragraph printed under the table (T08). */
  note?: string;
  /** T10: department name and the texts of the performance table (its budget block is in rows). */
  departmentPerformance?: { departmentName: string; performance: DepartmentPerformance | null };
  /** T11: the projects in table order, with every text field and indicator. */
  projects?: Project[];
}

/** Leaf columns in print order. */
export function leafColumns(columns: readonly ReportColumn[]): ReportColumn[] {
  const out: ReportColumn[] = [];
  const walk = (cs: readonly ReportColumn[]) => {
    for (const c of cs) {
      if (c.children && c.children.length > 0) walk(c.children);
      else out.push(c);
    }
  };
  walk(columns);
  return out;
}
