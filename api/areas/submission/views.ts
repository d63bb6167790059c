// 上报 data as the API shows it (records, findings with their 说明, the diff since the last submission), and
// reading an uploaded or named file.
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { auditBudget, auditRule, type Finding as CoreFinding } from '../../../core/audit/index.js';
import type { CodeBook } from '../../../core/codelists.js';
import type { BudgetDiff, FieldChange } from '../../../core/diff.js';
import { fundLabel, isFundCode } from '../../../core/funds.js';
import { findingKey, type ManifestTotals } from '../../../core/manifest.js';
import type { Budget } from '../../../core/model.js';
import { TableEngine } from '../../../core/tables/index.js';
import { BudgetStore, StoreError, type SubmissionRecord } from '../../../db/store.js';
import { auditConfigFor } from '../../../db/params.js';
import { chosenFormat } from '../../../db/publication-formats.js';
import { loadConsolidatedBudget } from '../../../submission/department.js';
import { PackageError } from '../../../submission/errors.js';
import type { Finding } from '../../contract.js';
import { ApiRefusal } from '../../errors.js';
import { UPLOAD_MAX_BYTES, type BudgetDiffView, type DiffFieldView, type SubmissionFinding, type SubmissionRecordView, type TotalsView } from '../../submission.js';
import { DIFF_LIST_LIMIT, NOTES_META_KEY } from './state.js';

// ---- helpers -------------------------------------------------------------------------------------------

export function refusal(err: unknown): never {
  if (err instanceof ApiRefusal) throw err;
  if (err instanceof PackageError) {
    const head = err.message.split('\n')[0]!;
    throw new ApiRefusal(head, err.details.length ? err.details.map((d) => ({ path: '数据包', message: d })) : undefined);
  }
  if (err instanceof StoreError) {
    throw new ApiRefusal(err.message, err.problems.length ? err.problems.map((p) => ({ path: p.field ?? '$', message: p.message })) : undefined);
  }
  if (err instanceof Error && err.name === 'LinesXlsxError') throw new ApiRefusal(err.message);
  throw err;
}

export function totalsView(t: ManifestTotals): TotalsView {
  return { unit: t.unit, expenditure: t.expenditure, income: t.income, basic: t.basic, project: t.project, lines: t.lines, projects: t.projects };
}

export function readDrafts(store: BudgetStore): Record<string, string> {
  try {
    const raw = JSON.parse(store.getMeta(NOTES_META_KEY) ?? '{}') as unknown;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
    return out;
  } catch {
    // Damaged drafts cost the drafts, never the budget.
    return {};
  }
}

export function recordView(s: SubmissionRecord): SubmissionRecordView {
  return {
    createdAt: s.createdAt,
    fileName: s.fileName,
    totals: totalsView(s.manifest.totals),
    consolidated: s.lineIds === null,
    unitCount: s.manifest.units.length,
  };
}

export function findingView(f: CoreFinding, drafts: Record<string, string>): SubmissionFinding {
  const key = findingKey(f);
  const view: Finding = {
    severity: f.severity === 'hard' ? 'error' : 'warning',
    rule: f.rule,
    ruleDescription: auditRule(f.rule)?.description ?? '',
    message: f.message,
    place: { ...f.place },
  };
  return { ...view, key, note: drafts[key] ?? '' };
}

/** The budget a package made now would carry (汇总 with the received units), its 审核 and its totals. */
export function packageAudit(store: BudgetStore) {
  const loaded = loadConsolidatedBudget(store);
  // As the package is made (submission/export.ts): the budget's format, and 河南 2020's tables besides.
  const format = chosenFormat(store);
  const engine = new TableEngine(loaded.budget, loaded.book, format);
  // The file's rule set: levels and 控制数 of the parameter package count for 上报 too.
  const findings = auditBudget(loaded.budget, loaded.book, engine.auditTables(), { ...auditConfigFor(store, format), documentTables: engine.referenceTables() });
  return { loaded, findings };
}

export function readUpload(source: { path?: string; upload?: { fileName: string; base64: string } }, limit: number): { bytes: Buffer; fileName: string } {
  if (source.path !== undefined) {
    const path = resolve(source.path);
    let size: number;
    try {
      const info = statSync(path);
      if (!info.isFile()) throw new ApiRefusal(`“${path}”不是文件`);
      size = info.size;
    } catch (err) {
      if (err instanceof ApiRefusal) throw err;
      throw new ApiRefusal(`找不到或无法读取文件“${path}”（U 盘是否已拔出？）`);
    }
    if (size > limit) throw new ApiRefusal(`文件“${basename(path)}”过大（${size} 字节），已拒绝`);
    try {
      return { bytes: readFileSync(path), fileName: basename(path) };
    } catch {
      throw new ApiRefusal(`无法读取文件“${path}”（U 盘是否已拔出？）`);
    }
  }
  const up = source.upload!;
  const bytes = Buffer.from(up.base64, 'base64');
  if (bytes.length > Math.min(limit, UPLOAD_MAX_BYTES)) throw new ApiRefusal(`文件“${up.fileName}”过大（${bytes.length} 字节），已拒绝`);
  return { bytes, fileName: safeBaseName(up.fileName) };
}

/** A name from the page used as a file name here: no folders, no characters a file system refuses. */
function safeBaseName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = (name.split(/[\\/]/).pop() ?? '').replace(/[:*?"<>|\u0000-\u001f\u007f]/g, '_').trim();
  const short = [...cleaned].slice(0, 120).join('');
  return short === '' || short === '.' || short === '..' ? '上传的文件' : short;
}

export function safeFileStem(name: string): string {
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim().slice(0, 80) || '部门预算';
}

// ---- diff views ----------------------------------------------------------------------------------------

interface NameLookup {
  unit(code: string): string;
  project(code: string): string;
  book: CodeBook;
}

function named(code: string, name: string): string {
  return name ? `${code} ${name}` : code;
}

const KIND_TEXT: Record<string, string> = { basic: '基本支出', project: '项目支出' };

function valueText(field: string, value: string | null, names: NameLookup): string | null {
  if (value === null || value === '') return value;
  switch (field) {
    case 'unit':
      return named(value, names.unit(value));
    case 'functional':
      return named(value, names.book.functional.name(value));
    case 'economic':
      return named(value, names.book.economic.name(value));
    case 'project':
      return named(value, names.project(value));
    case 'fund':
      return isFundCode(value) ? fundLabel(value) : value;
    case 'kind':
      return KIND_TEXT[value] ?? value;
    default:
      return value;
  }
}

function fieldView(f: FieldChange, names: NameLookup): DiffFieldView {
  return { field: f.field, label: f.label, before: valueText(f.field, f.before, names), after: valueText(f.field, f.after, names) };
}

function count(list: readonly { change: string }[]) {
  const c = { added: 0, removed: 0, changed: 0 };
  for (const x of list) c[x.change as keyof typeof c]++;
  return c;
}

export function diffView(diff: BudgetDiff, names: NameLookup): BudgetDiffView {
  return {
    amountUnit: diff.amountUnit,
    totals: diff.totals,
    unchanged: diff.unchanged,
    counts: { lines: count(diff.lines), projects: count(diff.projects), cells: diff.cells.length },
    lines: diff.lines.slice(0, DIFF_LIST_LIMIT).map((d) => ({
      change: d.change,
      lineId: diff.matchedBy === 'id' && d.afterLine ? d.afterLine.id : null,
      unit: valueText('unit', d.unit, names) ?? '',
      functional: valueText('functional', d.functional, names) ?? '',
      economic: valueText('economic', d.economic, names) ?? '',
      kind: KIND_TEXT[d.kind] ?? d.kind,
      project: valueText('project', d.project, names) ?? '',
      fund: valueText('fund', d.fund, names) ?? '',
      before: d.before,
      after: d.after,
      fields: d.fields.map((f) => fieldView(f, names)),
    })),
    projects: diff.projects.map((p) => ({ change: p.change, code: p.code, name: p.name, fields: p.fields.map((f) => fieldView(f, names)) })),
    units: diff.units.map((u) => ({ change: u.change, code: u.code, name: u.name, fields: u.fields.map((f) => fieldView(f, names)) })),
    other: diff.other.map((f) => fieldView(f, names)),
    cells: diff.cells.slice(0, DIFF_LIST_LIMIT).map((c) => ({
      table: c.table,
      tableTitle: c.tableTitle,
      row: c.row,
      rowLabel: c.rowLabel,
      column: c.column,
      columnLabel: c.columnLabel,
      before: c.before,
      after: c.after,
    })),
    omitted: { lines: Math.max(0, diff.lines.length - DIFF_LIST_LIMIT), cells: Math.max(0, diff.cells.length - DIFF_LIST_LIMIT) },
  };
}

/** Names of units and projects from any of the given budgets (the later ones win). */
export function namesFrom(book: CodeBook, budgets: readonly (Budget | null)[]): NameLookup {
  const units = new Map<string, string>();
  const projects = new Map<string, string>();
  for (const b of budgets) {
    if (!b) continue;
    for (const u of b.units) units.set(u.code, u.name);
    for (const p of b.projects) projects.set(p.code, p.name);
  }
  return { book, unit: (c) => units.get(c) ?? '', project: (c) => projects.get(c) ?? '' };
}
