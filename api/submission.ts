// The 上报 part of the API contract: exporting the submission package, the locked state after it, the diff
// since the last submission, receiving units' packages (the supervising department), the consolidated tables,
// and line items to and from .xlsx. Input schemas (SUBMISSION_API, spread into API) and output types
// (SubmissionOutputs, part of ApiOutputs). Only zod and types here: the renderer bundles this file through
// contract.ts, so the handlers live in areas/submission.ts.
//
// Files cross in one of two ways: as a path on the host's machine (the desktop host's native dialogs, or a
// folder typed in the browser host), or as bytes in base64 (the browser host's file input and downloads).
import { z } from 'zod';
import type { AmountUnitCode, ChangeSet, Finding, TableView } from './views.js';

/** Largest file the UI may upload (a package or a workbook): far above a real package, far below the host's body limit. */
export const UPLOAD_MAX_BYTES = 32 * 1024 * 1024;
const UPLOAD_MAX_BASE64 = Math.ceil(UPLOAD_MAX_BYTES / 3) * 4;

export const EXPORT_STEPS = ['tables', 'pdf', 'write', 'verify'] as const;
export type ExportStepCode = (typeof EXPORT_STEPS)[number];
export const EXPORT_STEP_LABELS: Record<ExportStepCode, string> = {
  tables: '生成表格',
  pdf: '生成 PDF',
  write: '写入',
  verify: '校验',
};

/** What a native dialog of the desktop host is asked to choose. */
export const CHOOSE_KINDS = ['package-folder', 'receive-package', 'lines-template', 'import-lines', 'table-file'] as const;
export type ChooseKind = (typeof CHOOSE_KINDS)[number];

const text = (max: number) => z.string().max(max);
const empty = z.object({}).strict();
const ticket = text(64).min(1);
const amountUnit = z.enum(['万元', '元']);

/** A file the page read (browser host): its name and its bytes in base64. */
const upload = z
  .object({
    fileName: text(255).min(1),
    base64: z
      .string()
      .max(UPLOAD_MAX_BASE64, { message: `文件过大：最多 ${UPLOAD_MAX_BYTES / 1024 / 1024} MB` })
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: '文件内容不是有效的 base64 编码' }),
  })
  .strict();

/** A file as a path on the host's machine or as an upload: exactly one of them. */
const fileFields = { path: text(4096).min(1).optional(), upload: upload.optional() };
const oneFile = (v: { path?: string; upload?: unknown }) => (v.path === undefined) !== (v.upload === undefined);
const oneFileMessage = { message: '请选择一个文件（路径或上传，二选一）' };

export const SUBMISSION_API = {
  /** Locked or not, the submissions and unlocks so far, the received units, the last export folder. */
  'submission.status': { input: empty },
  /** What the 上报 dialog shows: the 审核 findings of the budget the package would carry, with the 说明 drafts. */
  'submission.prepare': { input: empty },
  /** Keeps 说明 drafts (by finding key "rule@place") in the budget file; an empty note removes its draft. */
  'submission.saveNotes': {
    input: z
      .object({ notes: z.array(z.object({ key: text(2000).min(1), note: text(4000) }).strict()).min(1).max(10_000) })
      .strict(),
  },
  /** Starts writing the package into `outDir` (a folder on the host's machine); progress by exportProgress. */
  'submission.export': { input: z.object({ outDir: text(4096).min(1) }).strict() },
  'submission.exportProgress': { input: z.object({ job: ticket }).strict() },
  /** Unlocks the submitted budget; the reason is recorded with the time and the user. */
  'submission.unlock': { input: z.object({ reason: text(2000) }).strict() },
  /** What changed since the last 上报 (null when never submitted). */
  'submission.diff': { input: z.object({ ownOnly: z.boolean().optional() }).strict() },
  /** A native file or folder dialog of the desktop host; `available` false elsewhere. */
  'submission.choose': { input: z.object({ kind: z.enum(CHOOSE_KINDS), suggested: text(4096).optional() }).strict() },
  /** Reads and checks a unit's package without storing it; answers a ticket for submission.receive. */
  'submission.inspect': { input: z.object(fileFields).strict().refine(oneFile, oneFileMessage) },
  /** Stores the inspected package in this (department's) file, replacing the unit's earlier one. */
  'submission.receive': { input: z.object({ ticket, allowOlder: z.boolean().optional() }).strict() },
  /** Forgets an inspected package (its temporary copy is deleted). */
  'submission.discard': { input: z.object({ ticket }).strict() },
  /** The tables of the consolidated department (汇总 with the received units), or of its own budget only. */
  'submission.tables': { input: z.object({ displayUnit: amountUnit.optional(), ownOnly: z.boolean().optional() }).strict() },
  /**
   * The table on screen as a file (.xlsx or PDF), laid out as in the 上报 package: `table` is its id ("T03", or
   * "T11:P05" for one project's form), in the screen's amount unit and scope (汇总 or 仅本级). Written to `path`
   * when given (desktop: a path chosen in the save dialog), else answered in base64 (browser host: a download).
   */
  'submission.tableFile': {
    input: z
      .object({
        table: text(64).min(1),
        format: z.enum(['xlsx', 'pdf']),
        displayUnit: amountUnit.optional(),
        ownOnly: z.boolean().optional(),
        path: text(4096).min(1).optional(),
      })
      .strict(),
  },
  /** 导出明细模板: the lines as an .xlsx laid out for editing and re-import; written to `path` when given. */
  'submission.linesTemplate': { input: z.object({ path: text(4096).min(1).optional() }).strict() },
  /** 从Excel导入明细: with apply false only checks; with apply true stores the readable rows as one undoable step. */
  'submission.importLines': {
    input: z
      .object({ ...fileFields, mode: z.enum(['append', 'replace']), apply: z.boolean() })
      .strict()
      .refine(oneFile, oneFileMessage),
  },
} as const;

// ---- outputs -------------------------------------------------------------------------------------------

export interface TotalsView {
  unit: AmountUnitCode;
  /** Exact decimal strings in `unit`. */
  expenditure: string;
  income: string;
  basic: string;
  project: string;
  lines: number;
  projects: number;
}

export interface SubmissionRecordView {
  createdAt: string;
  fileName: string;
  totals: TotalsView;
  /** The package carried the received units too (汇总). */
  consolidated: boolean;
  unitCount: number;
}

export interface LockEventView {
  event: 'submitted' | 'unlocked';
  at: string;
  by: string | null;
  reason: string | null;
}

export interface ReceivedUnitView {
  code: string;
  name: string;
  createdAt: string;
  receivedAt: string;
  fileName: string;
  sha256: string;
  /** From the package's manifest. */
  totals: TotalsView | null;
  units: { code: string; name: string }[];
}

export interface SubmissionStatusView {
  /** A budget is open. */
  open: boolean;
  locked: boolean;
  lockedAt: string | null;
  last: SubmissionRecordView | null;
  submissions: SubmissionRecordView[];
  events: LockEventView[];
  received: ReceivedUnitView[];
  /** Folder of the last successful 上报 from this file. */
  lastFolder: string | null;
}

export interface SubmissionFinding extends Finding {
  /** "rule@place": what a 说明 is filed under. */
  key: string;
  /** The 说明 draft ('' when none). */
  note: string;
}

export interface SubmissionPrepareView {
  locked: boolean;
  lockedAt: string | null;
  /** The package will carry the received units too. */
  consolidated: boolean;
  receivedCount: number;
  /** Received packages that cannot be consolidated: 上报 is refused until they are dealt with. */
  blocking: string[];
  warnings: string[];
  hard: SubmissionFinding[];
  soft: SubmissionFinding[];
  totals: TotalsView;
  lastFolder: string | null;
}

export interface ExportResultView {
  file: string;
  fileName: string;
  folder: string;
  size: number;
  createdAt: string;
  totals: TotalsView;
  consolidated: boolean;
}

export interface ExportProgressView {
  job: string;
  state: 'running' | 'done' | 'failed';
  /** The step under way (or where it failed); null before the first one. */
  step: ExportStepCode | null;
  result?: ExportResultView;
  error?: { message: string; details: string[]; code: string };
}

export interface DiffFieldView {
  field: string;
  label: string;
  /** Display text (codes with their names, amounts as exact decimals); null where absent. */
  before: string | null;
  after: string | null;
}

export interface DiffLineView {
  change: 'added' | 'removed' | 'changed';
  /** The line's id in the open budget (null when removed, or for a line of another file). */
  lineId: number | null;
  unit: string;
  functional: string;
  economic: string;
  kind: string;
  project: string;
  fund: string;
  /** Amounts, exact decimal strings in the diff's unit. */
  before: string | null;
  after: string | null;
  fields: DiffFieldView[];
}

export interface DiffItemView {
  change: 'added' | 'removed' | 'changed';
  code: string;
  name: string;
  fields: DiffFieldView[];
}

export interface DiffCellView {
  table: string;
  tableTitle: string;
  row: string;
  rowLabel: string;
  column: string;
  columnLabel: string;
  before: string;
  after: string;
}

export interface BudgetDiffView {
  amountUnit: AmountUnitCode;
  totals: { before: string; after: string };
  unchanged: boolean;
  counts: {
    lines: { added: number; removed: number; changed: number };
    projects: { added: number; removed: number; changed: number };
    cells: number;
  };
  lines: DiffLineView[];
  projects: DiffItemView[];
  units: DiffItemView[];
  other: DiffFieldView[];
  cells: DiffCellView[];
  /** How many lines / cells were left out of the lists (very large diffs). */
  omitted: { lines: number; cells: number };
}

export interface SubmissionDiffView {
  submittedAt: string;
  fileName: string;
  consolidated: boolean;
  diff: BudgetDiffView;
}

export interface PackageInspectionView {
  ticket: string;
  fileName: string;
  size: number;
  sha256: string;
  /** Every file of the package matched its size and SHA-256 in the manifest (an inspection that fails is refused). */
  checksumsOk: true;
  fileCount: number;
  unit: { code: string; name: string };
  units: { code: string; name: string; kindLabel: string }[];
  fiscalYear: number;
  createdAt: string;
  appVersion: string;
  /** The publication format the package's tables are in (河南 2020 for a package of an earlier version). */
  format: { id: string; name: string };
  totals: TotalsView;
  /** Soft 审核 findings with the unit's 说明. */
  notes: { message: string; note: string }[];
  /** The unit's package received before, if any. */
  previous: { createdAt: string; receivedAt: string; fileName: string } | null;
  /** The package is older than the one already received (receiving it needs allowOlder). */
  older: boolean;
  diff: BudgetDiffView | null;
  /** Why this file cannot receive it now (e.g. its own budget is locked); null when it can. */
  blocked: string | null;
}

export interface ReceiveResultView {
  unit: { code: string; name: string; createdAt: string; receivedAt: string; replaced: boolean };
  status: SubmissionStatusView;
}

export interface ConsolidatedTablesView {
  displayUnit: AmountUnitCode;
  tables: TableView[];
  /** The tables include the received units. */
  consolidated: boolean;
  parts: { label: string; units: string[] }[];
  problems: string[];
}

export interface LinesImportView {
  applied: boolean;
  mode: 'append' | 'replace';
  sheet: string;
  amountUnit: AmountUnitCode;
  /** Rows that read as lines. */
  accepted: number;
  rejected: { row: number; column: string | null; cell: string | null; reason: string }[];
  skipped: number;
  /** Lines of the budget a replace deletes. */
  replacing: number;
  /** The import is one step of 撤销. */
  undoable: boolean;
  /** When applied: what changed (as every edit answers). */
  changes: ChangeSet | null;
}

export interface SubmissionOutputs {
  'submission.status': SubmissionStatusView;
  'submission.prepare': SubmissionPrepareView;
  'submission.saveNotes': { saved: number };
  'submission.export': { job: string };
  'submission.exportProgress': ExportProgressView;
  'submission.unlock': SubmissionStatusView;
  'submission.diff': SubmissionDiffView | null;
  'submission.choose': { available: boolean; path: string | null };
  'submission.inspect': PackageInspectionView;
  'submission.receive': ReceiveResultView;
  'submission.discard': { discarded: boolean };
  'submission.tables': ConsolidatedTablesView;
  'submission.linesTemplate': { fileName: string; path: string | null; base64: string | null };
  'submission.tableFile': { fileName: string; path: string | null; base64: string | null };
  'submission.importLines': LinesImportView;
}
