// The 上报 handlers behind api/submission.ts. The session hands in its open file and the hook that records
// line changes as one undoable step; the work itself is done by submission/ (export, receive,
// consolidation, .xlsx), so the desktop host, the browser host and the command line do exactly the same thing.
//
// Export runs as a job: submission.export starts it and answers at once, and the page polls
// submission.exportProgress for the step under way (the package is a few MB of tables and PDF, written to a
// USB stick and read back). The page keeps a modal open meanwhile; should an edit slip in anyway, the package
// still carries the budget as it was read and the diff since that submission shows the edit.
//
// Packages and workbooks chosen in the browser are uploaded as bytes and written to a temporary folder of
// this session (deleted on close); a package is copied there on inspection too, so what is received is
// exactly what the user saw inspected, even if the stick changes in between.
import { randomBytes } from 'node:crypto';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { diffBudgets } from '../../core/diff.js';
import { parseExchange } from '../../core/exchange.js';
import { templateChoicesFromWizardState, WIZARD_STATE_META_KEY } from '../../core/indicators.js';
import { budgetTotals, findingKey, PACKAGE_LIMITS, type FindingNote, type PackageManifest } from '../../core/manifest.js';
import { UNIT_KIND_LABELS, type Budget } from '../../core/model.js';
import { computeTables } from '../../core/tables/index.js';
import { BudgetStore, LOCKED_MESSAGE, StoreError } from '../../db/store.js';
import { loadConsolidatedBudget, diffSinceSubmission, operatorName } from '../../submission/department.js';
import { PackageError } from '../../submission/errors.js';
import type { importLinesXlsx } from '../../submission/lines-xlsx.js';
import { inspectPackage, receivePackage } from '../../submission/receive.js';
import { ApiRefusal } from '../errors.js';
import { reportToView } from '../tables-view.js';
import { chosenFormat } from '../../db/publication-formats.js';
import { UPLOAD_MAX_BYTES, type BudgetDiffView, type ExportProgressView, type ReceivedUnitView, type SubmissionOutputs, type SubmissionStatusView, type SUBMISSION_API } from '../submission.js';
import type { z } from 'zod';
import { EXPORT_RUNNING_MESSAGE, type ExportJob, LAST_FOLDER_META_KEY, NOTES_META_KEY, type SubmissionSession } from './submission/state.js';
import { diffView, findingView, namesFrom, packageAudit, readDrafts, readUpload, recordView, refusal, safeFileStem, totalsView } from './submission/views.js';
import { defineAreaOver } from '../handlers.js';
import type { Session } from '../session.js';

/** The 上报 view of the session. */
function submissionSession(s: Session): SubmissionSession {
  return {
    store: s.store,
    state: s.submission,
    requireBudget: () => s.requireBudget(),
    lines: () => [...s.lines.values()].sort((a, b) => a.id - b.id),
    commitLines: (label, write) => s.act((store) => ({ label, changes: write(store) })),
  };
}


// The package writer (PDF by pdfkit, .xlsx by ExcelJS) and the line-items workbook load when first used, not
// with the service: most sessions never write a package.
const packageExport = () => import('../../submission/export.js');
const linesXlsx = () => import('../../submission/lines-xlsx.js');

type Input<M extends keyof typeof SUBMISSION_API> = z.output<(typeof SUBMISSION_API)[M]['input']>;

// ---- handlers ------------------------------------------------------------------------------------------

function status(session: SubmissionSession): SubmissionStatusView {
  const store = session.store;
  if (!store || !store.hasBudget()) {
    return { open: false, locked: false, lockedAt: null, last: null, submissions: [], events: [], received: [], lastFolder: null };
  }
  const events = store.lockEvents();
  const locked = store.isLocked();
  const submissions = store.submissions().map(recordView);
  const received: ReceivedUnitView[] = store.receivedPackages().map((p) => {
    let manifest: PackageManifest | null = null;
    try {
      manifest = JSON.parse(p.manifestJson) as PackageManifest;
    } catch {
      manifest = null;
    }
    return {
      code: p.unitCode,
      name: p.unitName,
      createdAt: p.createdAt,
      receivedAt: p.receivedAt,
      fileName: p.fileName,
      sha256: p.sha256,
      totals: manifest?.totals ? totalsView(manifest.totals) : null,
      units: manifest?.units?.map((u) => ({ code: u.code, name: u.name })) ?? [],
    };
  });
  return {
    open: true,
    locked,
    lockedAt: locked ? (events.at(-1)?.at ?? null) : null,
    last: submissions.at(-1) ?? null,
    submissions,
    events: events.map((e) => ({ event: e.event, at: e.at, by: e.by, reason: e.reason })),
    received,
    lastFolder: store.getMeta(LAST_FOLDER_META_KEY),
  };
}

function prepare(session: SubmissionSession): SubmissionOutputs['submission.prepare'] {
  const { store } = session.requireBudget();
  let audit: ReturnType<typeof packageAudit>;
  try {
    audit = packageAudit(store);
  } catch (err) {
    refusal(err);
  }
  const { loaded, findings } = audit;
  const drafts = readDrafts(store);
  const locked = store.isLocked();
  return {
    locked,
    lockedAt: locked ? (store.lockEvents().at(-1)?.at ?? null) : null,
    consolidated: loaded.consolidated,
    receivedCount: loaded.received.length,
    blocking: loaded.problems.filter((p) => p.severity === 'error').map((p) => p.message),
    warnings: loaded.problems.filter((p) => p.severity === 'warning').map((p) => p.message),
    hard: findings.filter((f) => f.severity === 'hard').map((f) => findingView(f, drafts)),
    soft: findings.filter((f) => f.severity === 'soft').map((f) => findingView(f, drafts)),
    totals: totalsView(budgetTotals(loaded.budget, loaded.book)),
    lastFolder: store.getMeta(LAST_FOLDER_META_KEY),
  };
}

function saveNotes(session: SubmissionSession, input: Input<'submission.saveNotes'>): SubmissionOutputs['submission.saveNotes'] {
  const { store } = session.requireBudget();
  const drafts = readDrafts(store);
  for (const { key, note } of input.notes) {
    if (note.trim() === '') delete drafts[key];
    else drafts[key] = note;
  }
  store.setMeta(NOTES_META_KEY, JSON.stringify(drafts));
  return { saved: input.notes.length };
}

function startExport(session: SubmissionSession, input: Input<'submission.export'>): SubmissionOutputs['submission.export'] {
  const { store } = session.requireBudget();
  const state = session.state;
  const outDir = input.outDir.trim();
  if (!isAbsolute(outDir)) {
    throw new ApiRefusal(`请填写目标文件夹的完整路径（如 E:\\ 或 /media/U盘），而不是“${outDir}”`);
  }
  for (const j of state.jobs.values()) if (j.state === 'running') throw new ApiRefusal('正在生成上报数据包，请等待完成');
  const job: ExportJob = { id: randomBytes(9).toString('base64url'), state: 'running', step: null };
  state.addJob(job);
  const dbPath = store.path;
  // No edit while the package is written: what is locked afterwards is exactly what it carries.
  store.refuseWrites(EXPORT_RUNNING_MESSAGE);
  void (async () => {
    try {
      // The 说明 drafts of the findings a package made now has (a draft of a finding that is gone is not sent).
      const drafts = readDrafts(store);
      const notes: FindingNote[] = [];
      for (const f of packageAudit(store).findings) {
        const note = f.severity === 'soft' ? drafts[findingKey(f)] : undefined;
        if (note !== undefined && note.trim() !== '') notes.push({ rule: f.rule, place: f.place, note });
      }
      const r = await (await packageExport()).exportPackage({
        dbPath,
        outDir,
        notes,
        by: operatorName(),
        fileSystem: state.fileSystem,
        onStep: (step) => {
          job.step = step;
        },
      });
      let size = 0;
      try {
        size = statSync(r.file).size;
      } catch {
        size = 0;
      }
      try {
        store.setMeta(LAST_FOLDER_META_KEY, outDir);
      } catch {
        // Another budget was opened meanwhile: the folder is only a convenience.
      }
      job.result = {
        file: r.file,
        fileName: basename(r.file),
        folder: dirname(r.file),
        size,
        createdAt: r.submission?.createdAt ?? r.manifest.createdAt,
        totals: totalsView(r.manifest.totals),
        consolidated: r.consolidated,
      };
      job.state = 'done';
    } catch (err) {
      job.state = 'failed';
      if (err instanceof PackageError) job.error = { message: err.message.split('\n')[0]!, details: err.details, code: err.code };
      else if (err instanceof StoreError) job.error = { message: err.message, details: err.problems.map((p) => p.message), code: `store:${err.kind}` };
      else job.error = { message: `生成上报数据包时出错：${err instanceof Error ? err.message : String(err)}`, details: [], code: 'internal' };
    } finally {
      store.refuseWrites(null);
    }
  })();
  return { job: job.id };
}

function exportProgress(session: SubmissionSession, input: Input<'submission.exportProgress'>): ExportProgressView {
  const job = session.state.jobs.get(input.job);
  if (!job) throw new ApiRefusal('找不到这次导出（程序可能已重新启动），请重新上报');
  return {
    job: job.id,
    state: job.state,
    step: job.step,
    ...(job.result ? { result: job.result } : {}),
    ...(job.error ? { error: job.error } : {}),
  };
}

function unlock(session: SubmissionSession, input: Input<'submission.unlock'>): SubmissionStatusView {
  const { store } = session.requireBudget();
  const reason = input.reason.trim();
  if (reason === '') throw new ApiRefusal('解锁必须填写原因');
  try {
    store.unlock(reason, { by: operatorName() });
  } catch (err) {
    refusal(err);
  }
  return status(session);
}

function diff(session: SubmissionSession, input: Input<'submission.diff'>): SubmissionOutputs['submission.diff'] {
  const { store, budget, book } = session.requireBudget();
  let result: ReturnType<typeof diffSinceSubmission>;
  try {
    result = diffSinceSubmission(store, { ownOnly: input.ownOnly });
  } catch (err) {
    refusal(err);
  }
  if (!result) return null;
  const last = store.lastSubmission();
  const snapshot = last ? parseExchange(last.snapshotJson, (y) => store.codeBook(y)) : null;
  const names = namesFrom(book, [snapshot?.ok ? snapshot.budget : null, ...receivedBudgets(store), budget]);
  return {
    submittedAt: result.submission.createdAt,
    fileName: result.submission.fileName,
    consolidated: result.consolidated,
    diff: diffView(result.diff, names),
  };
}

function receivedBudgets(store: BudgetStore): Budget[] {
  return store.receivedPackages().flatMap((p) => {
    const parsed = parseExchange(p.budgetJson, (y) => store.codeBook(y));
    return parsed.ok ? [parsed.budget] : [];
  });
}

async function choose(session: SubmissionSession, input: Input<'submission.choose'>): Promise<SubmissionOutputs['submission.choose']> {
  const chooser = session.state.chooseFile;
  if (!chooser) return { available: false, path: null };
  let suggested = input.suggested;
  if (suggested === undefined && input.kind === 'package-folder') suggested = session.store?.getMeta(LAST_FOLDER_META_KEY) ?? undefined;
  const path = await chooser({ kind: input.kind, ...(suggested ? { suggested } : {}) });
  return { available: true, path };
}

async function inspect(session: SubmissionSession, input: Input<'submission.inspect'>): Promise<SubmissionOutputs['submission.inspect']> {
  const { store, book } = session.requireBudget();
  const { bytes, fileName } = readUpload(input, PACKAGE_LIMITS.maxArchiveBytes);
  const state = session.state;
  const folder = state.tempFolder();
  const path = join(folder, fileName);
  writeFileSync(path, bytes);
  const year = store.fiscalYear();
  try {
    const inspected = await inspectPackage(path, { fiscalYear: year, bookFor: (y) => store.codeBook(y) });
    const m = inspected.manifest;
    const previous = store.receivedPackages().find((p) => p.unitCode === m.department.code) ?? null;
    let diffOut: BudgetDiffView | null = null;
    if (previous) {
      const old = parseExchange(previous.budgetJson, (y) => store.codeBook(y));
      const before = old.ok ? old.budget : null;
      // Both sides in the format the package was made in (its tables are in it).
      const d = diffBudgets(before, inspected.budget, book, {
        tablesAfter: inspected.tables,
        ...(before ? { tablesBefore: computeTables(before, book, inspected.format) } : {}),
      });
      diffOut = diffView(d, namesFrom(book, [before, inspected.budget]));
    }
    const ticket = randomBytes(9).toString('base64url');
    state.remember({ ticket, path, unitCode: m.department.code });
    return {
      ticket,
      fileName,
      size: bytes.length,
      sha256: inspected.sha256,
      checksumsOk: true,
      fileCount: m.files.length,
      unit: { code: m.department.code, name: m.department.name },
      units: m.units.map((u) => ({ code: u.code, name: u.name, kindLabel: UNIT_KIND_LABELS[u.kind] ?? u.kind })),
      fiscalYear: m.fiscalYear,
      createdAt: m.createdAt,
      appVersion: m.app.version,
      format: { id: inspected.format.id, name: inspected.format.name },
      totals: totalsView(m.totals),
      notes: m.audit.findings.filter((f) => f.severity === 'soft').map((f) => ({ message: f.message, note: f.note ?? '' })),
      previous: previous ? { createdAt: previous.createdAt, receivedAt: previous.receivedAt, fileName: previous.fileName } : null,
      older: previous !== null && Date.parse(previous.createdAt) > Date.parse(m.createdAt),
      diff: diffOut,
      blocked: store.isLocked() ? '本部门预算已上报并锁定，不能接收下级单位的数据包；如需接收，请先解锁（解锁会被记录）' : null,
    };
  } catch (err) {
    rmSync(folder, { recursive: true, force: true });
    refusal(err);
  }
}

async function receive(session: SubmissionSession, input: Input<'submission.receive'>): Promise<SubmissionOutputs['submission.receive']> {
  const { store } = session.requireBudget();
  const inspection = session.state.inspections.get(input.ticket);
  if (!inspection) throw new ApiRefusal('这个数据包的检查结果已失效，请重新选择数据包');
  let result: Awaited<ReturnType<typeof receivePackage>>;
  try {
    result = await receivePackage({ zipPath: inspection.path, dbPath: store.path, allowOlder: input.allowOlder });
  } catch (err) {
    refusal(err);
  }
  session.state.forget(input.ticket);
  const u = result.unit;
  return {
    unit: { code: u.code, name: u.name, createdAt: u.createdAt, receivedAt: u.receivedAt, replaced: u.replaced },
    status: status(session),
  };
}

function tables(session: SubmissionSession, input: Input<'submission.tables'>): SubmissionOutputs['submission.tables'] {
  const { store, budget } = session.requireBudget();
  const displayUnit = input.displayUnit ?? budget.amountUnit;
  let loaded: ReturnType<typeof loadConsolidatedBudget>;
  try {
    loaded = loadConsolidatedBudget(store, { ownOnly: input.ownOnly });
  } catch (err) {
    refusal(err);
  }
  const choices = templateChoicesFromWizardState(store.getMeta(WIZARD_STATE_META_KEY));
  // 汇总 prints in the department's format, whatever format each unit chose.
  const views = computeTables(loaded.budget, loaded.book, chosenFormat(store)).flatMap((t) => reportToView(t, displayUnit, loaded.budget.fiscalYear, choices));
  if (loaded.consolidated) {
    // The lines behind a consolidated figure include other units' lines, which the editor does not hold.
    for (const v of views) for (const r of v.rows) for (const c of r.cells) if (c.drillable) c.drillable = false;
  }
  return {
    displayUnit,
    tables: views,
    consolidated: loaded.consolidated,
    parts: loaded.parts.map((p) => ({ label: p.label, units: p.units })),
    problems: loaded.problems.map((p) => p.message),
  };
}

/** The table on screen as .xlsx or PDF, printed from the same grid as the 上报 package's files. */
async function tableFile(session: SubmissionSession, input: Input<'submission.tableFile'>): Promise<SubmissionOutputs['submission.tableFile']> {
  const { store, budget } = session.requireBudget();
  let loaded: ReturnType<typeof loadConsolidatedBudget>;
  try {
    loaded = loadConsolidatedBudget(store, { ownOnly: input.ownOnly });
  } catch (err) {
    refusal(err);
  }
  const [id, project] = input.table.split(':') as [string, string | undefined];
  let table = computeTables(loaded.budget, loaded.book, chosenFormat(store)).find((t) => t.id === id);
  if (!table) throw new ApiRefusal(`没有表“${id}”`);
  if (project !== undefined) {
    // One project's form, as the screen shows it.
    const only = (table.projects ?? []).filter((p) => p.code === project);
    if (only.length === 0) throw new ApiRefusal(`表 ${id} 中没有项目“${project}”`);
    table = { ...table, projects: only };
  }
  const options = { templateChoices: templateChoicesFromWizardState(store.getMeta(WIZARD_STATE_META_KEY)), displayUnit: input.displayUnit ?? budget.amountUnit };
  const now = new Date();
  const bytes =
    input.format === 'xlsx'
      ? await (await import('../../submission/xlsx.js')).tableWorkbook(table, now, options)
      : await (await import('../../submission/pdf.js')).tablesPdf([table], { ...options, created: now, title: `${budget.department.name}${budget.fiscalYear}年${table.title}` });
  const fileName = `${safeFileStem(budget.department.name)}-${budget.fiscalYear}年-${safeFileStem(`${id}_${table.title}${project ? `_${project}` : ''}`)}.${input.format}`;
  return deliver(fileName, bytes, input.path);
}

/** A file made for the user: written to the path they chose, or handed back as base64 for the page to save. */
function deliver(fileName: string, bytes: Buffer, chosen: string | undefined): { fileName: string; path: string | null; base64: string | null } {
  if (chosen === undefined) return { fileName, path: null, base64: bytes.toString('base64') };
  const path = resolve(chosen);
  try {
    writeFileSync(path, bytes);
  } catch {
    throw new ApiRefusal(`无法写入“${path}”：请检查文件夹是否存在、是否有写入权限`);
  }
  return { fileName, path, base64: null };
}

async function linesTemplate(session: SubmissionSession, input: Input<'submission.linesTemplate'>): Promise<SubmissionOutputs['submission.linesTemplate']> {
  const { budget, book } = session.requireBudget();
  const bytes = await (await linesXlsx()).exportLinesTemplate({ ...budget, lines: session.lines() }, book);
  const fileName = `${safeFileStem(budget.department.name)}-${budget.fiscalYear}年预算明细.xlsx`;
  return deliver(fileName, bytes, input.path);
}

async function importLines(session: SubmissionSession, input: Input<'submission.importLines'>): Promise<SubmissionOutputs['submission.importLines']> {
  const { store, budget, book } = session.requireBudget();
  if (store.isLocked()) throw new ApiRefusal(LOCKED_MESSAGE);
  const { bytes } = readUpload(input, UPLOAD_MAX_BYTES);
  const current = session.lines();
  let result: Awaited<ReturnType<typeof importLinesXlsx>>;
  try {
    result = await (await linesXlsx()).importLinesXlsx(bytes, { ...budget, lines: current }, book);
  } catch (err) {
    refusal(err);
  }
  const view: SubmissionOutputs['submission.importLines'] = {
    applied: false,
    mode: input.mode,
    sheet: result.sheet,
    amountUnit: result.amountUnit,
    accepted: result.lines.length,
    rejected: result.rejected.map((r) => ({ row: r.row, column: r.column ?? null, cell: r.cell ?? null, reason: r.reason })),
    skipped: result.skipped.length,
    replacing: input.mode === 'replace' ? current.length : 0,
    undoable: true,
    changes: null,
  };
  if (!input.apply) return view;
  if (result.lines.length === 0) throw new ApiRefusal('工作簿中没有可以导入的行，预算未作改动');
  const label = input.mode === 'replace' ? `从 Excel 导入明细（替换为 ${result.lines.length} 行）` : `从 Excel 导入明细（追加 ${result.lines.length} 行）`;
  const changes = session.commitLines(label, (s) => [
    ...(input.mode === 'replace' ? current.map((l) => ({ before: s.deleteLine(l.id), after: null })) : []),
    ...result.lines.map((l) => ({ before: null, after: s.insertLine(l.line) })),
  ]);
  return { ...view, applied: true, changes };
}

/** One handler per method of SUBMISSION_API, registered over the 上报 view of the session. */
export const submissionArea = defineAreaOver('submission', submissionSession, {
  'submission.status': (s: SubmissionSession) => status(s),
  'submission.prepare': (s: SubmissionSession) => prepare(s),
  'submission.saveNotes': saveNotes,
  'submission.export': startExport,
  'submission.exportProgress': exportProgress,
  'submission.unlock': unlock,
  'submission.diff': diff,
  'submission.choose': choose,
  'submission.inspect': inspect,
  'submission.receive': receive,
  'submission.discard': (s: SubmissionSession, input: Input<'submission.discard'>) => ({ discarded: s.state.forget(input.ticket) }),
  'submission.tables': tables,
  'submission.linesTemplate': linesTemplate,
  'submission.tableFile': tableFile,
  'submission.importLines': importLines,
});
