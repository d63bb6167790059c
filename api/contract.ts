// The one typed contract between the UI and whichever host runs the budget service (Electron IPC or the
// browser host over HTTP). Every method is declared once here: its name, a zod schema for its input (the UI
// is untrusted, so every host validates through dispatch()), and its output type in ApiOutputs.
// Amounts cross this boundary as exact decimal strings in the budget's amount unit, never as JS numbers.
import { z } from 'zod';
import { MAX_FISCAL_YEAR, MIN_FISCAL_YEAR } from '../core/budget-fields.js';
import { WIZARD_API, type WizardOutputs } from './wizard.js';
import { SUBMISSION_API, type SubmissionOutputs } from './submission.js';
import { DOCUMENT_API, type DocumentOutputs } from './document.js';
import { PARAMS_API, type ParamsOutputs } from './params.js';
import { BROWSE_API, type BrowseOutputs } from './browse.js';
import { PROJECTS_API, type ProjectsOutputs } from './projects.js';
import type {
  ApiError,
  AuditReport,
  BackupList,
  BudgetInfo,
  ChangeSet,
  CodeListImportResult,
  CodeOption,
  FormatsInfo,
  LineRow,
  LinesList,
  LinesPage,
  NameBook,
  PasteResult,
  ProjectInfo,
  RecentBudget,
  TablesReport,
  UndoResult,
} from './views.js';

// ---- shared input pieces -------------------------------------------------------------------------------

export const LINE_FIELDS = ['unit', 'functional', 'economic', 'kind', 'project', 'fund', 'amount', 'remark'] as const;
export type LineField = (typeof LINE_FIELDS)[number];
export const LINE_FIELD_LABELS: Record<LineField, string> = {
  unit: '单位',
  functional: '功能分类',
  economic: '经济分类',
  kind: '支出类型',
  project: '项目',
  fund: '资金来源',
  amount: '金额',
  remark: '备注',
};

const lineId = z.number().int().positive();
const text = (max: number) => z.string().max(max);
const unitKind = z.enum(['administrative', 'public-institution', 'civil-servant-managed']);
const amountUnit = z.enum(['万元', '元']);
const empty = z.object({}).strict();
/** A full path on Windows (D:\…, \\server\…) or POSIX (/…); the host checks again on its own platform. */
function isAbsolutePath(path: string): boolean {
  return /^(\/|[A-Za-z]:[\\/]|\\\\[^\\])/.test(path);
}

/** A new line's fields as typed (all text, amount in the budget unit); missing fields are copied or defaulted. */
const lineDraft = z
  .object({
    unit: text(64),
    functional: text(64),
    economic: text(64),
    kind: text(16),
    project: text(64),
    fund: text(64),
    amount: text(64),
    remark: text(2000),
  })
  .partial()
  .strict();

/** The tables of the default format (河南 2020). */
export const TABLE_IDS = ['T01', 'T02', 'T03', 'T04', 'T05', 'T06', 'T07', 'T08', 'T09', 'T10', 'T11'] as const;

export const API = {
  /** Department, units, year, unit, totals and audit summary of the open budget (null budget when none is open). */
  'budget.info': { input: empty },
  /** 新建预算: creates a new budget file and opens it. Without `path` the host picks a file in its budgets folder. */
  'budget.create': {
    input: z
      .object({
        path: text(4096).optional(),
        department: z.object({ code: text(32).min(1), name: text(200).min(1) }).strict(),
        units: z
          .array(z.object({ code: text(32).min(1), name: text(200).min(1), kind: unitKind }).strict())
          .min(1)
          .max(500),
        fiscalYear: z.number().int().min(MIN_FISCAL_YEAR).max(MAX_FISCAL_YEAR),
        amountUnit,
        /** The publication format the budget prints in (formats.list); 河南 2020 when absent. */
        formatId: text(40).min(1).optional(),
      })
      .strict(),
  },
  /** Opens an existing budget file. */
  'budget.open': { input: z.object({ path: text(4096).min(1) }).strict() },
  /** Recently opened budget files, newest first. */
  'budget.recent': { input: empty },
  /**
   * 另存为: copies the open budget file whole (lines, code lists, undo history, wizard state) to an absolute
   * `path` and opens the copy. An existing file is replaced only with `overwrite: true`.
   */
  'budget.saveAs': {
    input: z
      .object({
        path: text(4096)
          .min(1)
          .refine(isAbsolutePath, { message: '请给出完整路径（如 D:\\预算\\2026.budget 或 /home/…/2026.budget）' }),
        overwrite: z.boolean().optional(),
      })
      .strict(),
  },
  /** 恢复备份: the open file's rotating backups, newest first, with their time and totals. */
  'backups.list': { input: empty },
  /** Replaces the open file with one of its backups (the current state is backed up first), then reopens it. */
  'backups.restore': { input: z.object({ fileName: text(200).min(1) }).strict() },
  /** Replaces the open budget's content with an exchange file (budget-exchange/1), given as text or a path. */
  'exchange.import': {
    input: z
      .object({ text: z.string().max(200_000_000).optional(), path: text(4096).optional() })
      .strict()
      .refine((v) => (v.text === undefined) !== (v.path === undefined), { message: '请提供交换文件的内容或路径（二选一）' }),
  },
  /** The open budget as an exchange file; written to `path` too when given. */
  'exchange.export': { input: z.object({ path: text(4096).optional() }).strict() },
  /** Every line (amounts as exact decimal strings), the names of the codes they use, and the subtotals. */
  'lines.list': { input: empty },
  /**
   * A page of the lines in the grid's order (functional code, then id), so a large budget's first screen
   * does not wait for every line. Subtotals and totals come with every page.
   */
  'lines.page': { input: z.object({ offset: z.number().int().min(0), limit: z.number().int().min(1).max(50_000) }).strict() },
  /** Sets one field of one line from text as typed. A value that cannot be read is refused and nothing changes. */
  'lines.update': {
    input: z
      .object({
        id: lineId,
        field: z.enum(LINE_FIELDS),
        value: text(2000),
        /** The unit an amount is typed in (the display unit); default the budget's unit. */
        unit: amountUnit.optional(),
      })
      .strict(),
  },
  /**
   * 批量修改: sets one field of every given line to the same value (as typed, like lines.update), all or
   * nothing, in one undo step.
   */
  'lines.updateMany': {
    input: z
      .object({
        ids: z.array(lineId).min(1).max(100_000),
        field: z.enum(LINE_FIELDS),
        value: text(2000),
        unit: amountUnit.optional(),
      })
      .strict(),
  },
  /** Adds a line; fields not given are copied from line `like` (or sensible defaults); amount defaults to 0. */
  'lines.add': { input: z.object({ like: lineId.optional(), values: lineDraft.optional() }).strict() },
  /** Adds a copy of each given line. */
  'lines.duplicate': { input: z.object({ ids: z.array(lineId).min(1).max(100_000) }).strict() },
  /** Deletes lines (undoable). */
  'lines.delete': { input: z.object({ ids: z.array(lineId).min(1).max(100_000) }).strict() },
  /**
   * Pastes a block of cells (as copied from Excel/WPS: rows of tab-separated cells) starting at line
   * `startId` (null = append new lines) and column `startField`. Rows beyond the last line become new lines.
   * Every row is checked on its own; rows that cannot be read are reported and not stored. One undo step.
   */
  'lines.paste': {
    input: z
      .object({
        rows: z.array(z.array(text(2000)).max(LINE_FIELDS.length)).min(1).max(100_000),
        startId: lineId.nullable(),
        startField: z.enum(LINE_FIELDS),
        /** The unit pasted amounts are in; default the budget's unit. */
        unit: amountUnit.optional(),
      })
      .strict(),
  },
  'edit.undo': { input: empty },
  'edit.redo': { input: empty },
  /** 科目 search as you type: by code prefix or by name fragment. */
  'codes.search': {
    input: z
      .object({
        kind: z.enum(['functional', 'economic', 'unit', 'project', 'fund', 'kind']),
        query: text(100),
        limit: z.number().int().min(1).max(500).optional(),
        /** Only bookable codes (项 for functional, 款 for economic). Default true. */
        leafOnly: z.boolean().optional(),
      })
      .strict(),
  },
  /**
   * Loads a year's official code list from CSV text (columns code,name,level,parent_code[,year]): new codes are
   * added, names corrected. All or nothing: any problem refuses the whole file, each problem with its line.
   * Default year: the open budget's.
   */
  'codes.import': {
    input: z
      .object({
        kind: z.enum(['functional', 'economic', 'government-economic']),
        year: z.number().int().min(MIN_FISCAL_YEAR).max(MAX_FISCAL_YEAR).optional(),
        csvText: z.string().min(1).max(20_000_000),
      })
      .strict(),
  },
  'projects.list': { input: empty },
  /**
   * The publication formats the budget may print in (shipped and loaded), and the one it uses; with no budget
   * open, the shipped formats and the default (新建预算 offers them).
   */
  'formats.list': { input: empty },
  /** Chooses the budget's publication format. */
  'formats.choose': { input: z.object({ id: text(40).min(1) }).strict() },
  /** Loads a publication format file (JSON) into the budget file; all or nothing, every problem listed. */
  'formats.import': { input: z.object({ text: z.string().min(1).max(5_000_000) }).strict() },
  /** The eleven published tables, cells as exact decimal strings plus the display text. */
  /** The published tables (all, or only those named: a screen shows one at a time). */
  'reports.tables': { input: z.object({ displayUnit: amountUnit.optional(), tables: z.array(z.enum(TABLE_IDS)).max(11).optional() }).strict() },
  /** The lines behind one figure of a table. */
  'reports.linesBehind': {
    input: z.object({ table: text(4).regex(/^[A-Z][A-Z0-9]{0,3}$/), row: text(200).min(1), column: text(200).min(1) }).strict(),
  },
  /** Runs every 审核 rule. */
  'audit.run': { input: empty },
  /** 绩效目标 wizard (api/wizard.ts). */
  ...WIZARD_API,
  /** 上报, receiving, consolidated tables, line items in .xlsx (api/submission.ts). */
  ...SUBMISSION_API,
  /** 预算说明: the drafted document, its typed parts, 上年数, .docx / PDF (api/document.ts). */
  ...DOCUMENT_API,
  /** 年度参数包: 控制数, 审核 rules and their levels, reasons for large changes (api/params.ts). */
  ...PARAMS_API,
  /** The long views: one table a window of rows at a time, search in it, 审核 by rule (api/browse.ts). */
  ...BROWSE_API,
  /** 项目库: projects and their master data, apart from the 绩效 wizard (api/projects.ts). */
  ...PROJECTS_API,
} as const;

export type ApiMethod = keyof typeof API;
export type ApiInput<M extends ApiMethod> = z.input<(typeof API)[M]['input']>;
export type ApiParsedInput<M extends ApiMethod> = z.output<(typeof API)[M]['input']>;

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(API, name);
}

// ---- outputs -------------------------------------------------------------------------------------------

// The view types live in views.ts; re-exported here so callers keep one import.
export type * from './views.js';

export interface ApiOutputs extends WizardOutputs, SubmissionOutputs, DocumentOutputs, ParamsOutputs, BrowseOutputs, ProjectsOutputs {
  'backups.list': BackupList;
  'backups.restore': BudgetInfo;
  'budget.info': BudgetInfo;
  'budget.create': BudgetInfo;
  'budget.open': BudgetInfo;
  'budget.recent': RecentBudget[];
  'budget.saveAs': BudgetInfo;
  'exchange.import': BudgetInfo;
  'exchange.export': { text: string; fileName: string; path: string | null };
  'lines.list': LinesList;
  'lines.page': LinesPage;
  'lines.update': ChangeSet;
  'lines.updateMany': ChangeSet;
  'lines.add': ChangeSet;
  'lines.duplicate': ChangeSet;
  'lines.delete': ChangeSet;
  'lines.paste': PasteResult;
  'edit.undo': UndoResult;
  'edit.redo': UndoResult;
  'codes.search': CodeOption[];
  'codes.import': CodeListImportResult;
  'projects.list': ProjectInfo[];
  'formats.list': FormatsInfo;
  'formats.choose': FormatsInfo;
  'formats.import': FormatsInfo & { message: string };
  'reports.tables': TablesReport;
  'reports.linesBehind': { title: string; total: string; lines: LineRow[]; names: NameBook };
  'audit.run': AuditReport;
}

export type ApiOutput<M extends ApiMethod> = ApiOutputs[M];

/** What every host returns for a call: never a thrown error across the boundary. */
export type ApiResponse<M extends ApiMethod = ApiMethod> = { result: ApiOutputs[M] } | { error: ApiError };

/** The service a host dispatches to: one async function per method, taking the parsed input. */
export type ApiService = { [M in ApiMethod]: (input: ApiParsedInput<M>) => Promise<ApiOutputs[M]> | ApiOutputs[M] };
