// The long views' part of the API contract: a published table asked for one window of rows at a time (the
// screen shows one table, virtualized), search within it, and the 审核 list grouped by rule with counts and
// its places a window at a time. Input schemas (BROWSE_API, spread into API) and output types (BrowseOutputs).
// Only zod and types here: the renderer bundles this file through contract.ts; the handlers live in
// browse-service.ts.
import { z } from 'zod';
import type { AuditSummary, Finding, HeaderCell, TableId, TableRow } from './views.js';

const text = (max: number) => z.string().max(max);
const amountUnit = z.enum(['万元', '元']);
/** A table of the budget's format ("T03", "N3") or one project's form of a projects table ("T11:P01"). */
const sheetId = text(80).min(1).regex(/^[A-Z][A-Z0-9]{0,3}(:[^\s:]{1,60})?$/);
/** A unit code, or '' for the findings that belong to no unit (the department's). */
const unitFilter = text(64);
const severity = z.enum(['error', 'warning']);

/** The most rows one window carries. */
export const TABLE_WINDOW_MAX = 2000;
/** The most places one window of an 审核 group carries. */
export const AUDIT_WINDOW_MAX = 1000;

export const BROWSE_API = {
  /** The tables of the budget's format, and each project's form of its projects table (T11), for the list. */
  'reports.index': { input: z.object({}).strict() },
  /**
   * One table as printed, rows `offset` … `offset + limit` of its body (the header, title block and column
   * widths always come whole): a long table is shown a window at a time.
   */
  'reports.window': {
    input: z
      .object({
        id: sheetId,
        displayUnit: amountUnit.optional(),
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(TABLE_WINDOW_MAX),
      })
      .strict(),
  },
  /** Rows of one table whose codes or names contain every word of `query` (in table order). */
  'reports.find': {
    input: z.object({ id: sheetId, displayUnit: amountUnit.optional(), query: text(100) }).strict(),
  },
  /**
   * 审核 grouped by rule with the number of findings of each (kept edit by edit, no full audit), for every unit
   * or only the findings of one unit (`unit`; '' = those of no unit).
   */
  'audit.groups': { input: z.object({ unit: unitFilter.optional() }).strict() },
  /** The findings of one rule (and severity), in order, a window at a time; `unit` as in audit.groups. */
  'audit.places': {
    input: z
      .object({
        rule: text(100).min(1),
        severity,
        unit: unitFilter.optional(),
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(AUDIT_WINDOW_MAX),
      })
      .strict(),
  },
} as const;

export interface TableIndexEntry {
  /** "T03", or "T11:P01" for one project's form. */
  id: string;
  /** The table the entry belongs to ("T11" for a project's form). */
  table: TableId;
  /** The table's title ("2020年部门支出总体情况表"), or "<code> <name>" for a project's form. */
  title: string;
}

export interface TableIndex {
  /** The tables in published order but the projects table (T11). */
  tables: TableIndexEntry[];
  /** The projects table (T11) with each project's form, in table order; null when there is no project. */
  projects: (TableIndexEntry & { sheets: TableIndexEntry[] }) | null;
}

/** One window of a table as printed: everything but the body rows whole, then the rows asked for. */
export interface TableWindow {
  id: string;
  table: TableId;
  title: string;
  subtitle: string[];
  unitLabel: string;
  header: HeaderCell[][];
  /** Column alignment per leaf column. */
  align: ('left' | 'right' | 'center')[];
  /** Column widths in percent (forms, as before). */
  widths?: number[];
  /** Column widths of the printed layout, in character cells (a CJK character is 2): every column. */
  columnWidths: number[];
  /** Body rows in all. */
  rowCount: number;
  /** Whether a body cell spans rows (such a table is shown whole). */
  rowSpans: boolean;
  offset: number;
  rows: TableRow[];
  emptyNote?: string;
  note?: string;
}

export interface TableFind {
  /** Body row indices that match, in table order (the first 1,000). */
  rows: number[];
  /** Matching rows in all. */
  total: number;
}

export interface AuditGroup {
  rule: string;
  severity: Finding['severity'];
  /** What the rule requires (Chinese). */
  description: string;
  count: number;
}

export interface AuditGroups {
  /** The whole budget's counts (the status bar's). */
  summary: AuditSummary;
  /** The groups that have findings under the unit filter: errors first, then by rule order. */
  groups: AuditGroup[];
  /** Findings per unit (every unit that has some; '' = the department's, of no unit), for the filter. */
  units: { code: string; name: string; count: number }[];
}

export interface AuditPlaces {
  /** Findings of the group under the filter, in all. */
  total: number;
  offset: number;
  findings: Finding[];
}

export interface BrowseOutputs {
  'reports.index': TableIndex;
  'reports.window': TableWindow;
  'reports.find': TableFind;
  'audit.groups': AuditGroups;
  'audit.places': AuditPlaces;
}
