// The 预算说明 area: handlers of api/document.ts. The document is drafted from the session's live table
// engine on every call, so it follows every edit of the grid without a copy of any figure.
import { z } from 'zod';
import type { CodeBook } from '../../core/codelists.js';
import {
  changeRate,
  chartOption,
  chartSize,
  draftDocument,
  isCount,
  isNarrativeKey,
  narrativeField,
  NARRATIVE_FIELDS,
  percentText,
  typedNumber,
  FIGURE_KEY_PREFIX,
  type BudgetDocument,
} from '../../core/document/index.js';
import { THREE_PUBLIC_ITEMS, type Budget, type PriorYear } from '../../core/model.js';
import { parseAmount, toExactString } from '../../core/money.js';
import type { TableEngine } from '../../core/tables/index.js';
import type { BudgetStore } from '../../db/store.js';
import { ApiRefusal } from '../errors.js';
import {
  PRIOR_ITEM_FIELDS,
  PRIOR_ITEM_LABELS,
  PRIOR_SCALAR_FIELDS,
  PRIOR_SCALAR_LABELS,
  PRIOR_UPLOAD_MAX_BYTES,
  type DOCUMENT_API,
  type DocumentOutputs,
  type DocumentView,
  type PriorFunctionalRow,
} from '../document.js';
import { adoptDocumentSide, isNoChange, priorReasonsOf, type DocumentChange } from '../document-undo.js';
import { carryChangeReasons } from '../../db/params.js';
import { defineAreaOver } from '../handlers.js';
import { refusalFrom, type Session } from '../session.js';
import { UNDO_META_KEY, stepsFromJson } from '../undo-stack.js';

/** What the handlers read from the session. */
export interface DocumentSession {
  store: BudgetStore;
  budget: Budget;
  book: CodeBook;
  engine: TableEngine;
  /** The budget's texts or prior-year figures changed: 审核 must run again. */
  changed(): void;
  /**
   * One user action: `write` stores it and the session pushes `change` on the undo stack (labelled `label`),
   * both in one transaction; a refusal (locked budget, full disk) leaves both as they were.
   */
  commit(label: string, change: DocumentChange, write: () => void): void;
}

type Input<M extends keyof typeof DOCUMENT_API> = z.output<(typeof DOCUMENT_API)[M]['input']>;

function draft(s: DocumentSession): BudgetDocument {
  // The sentences read 河南 2020's cells; a budget printed in another format appends its own tables.
  const tables = s.engine.tables();
  const reference = s.engine.sharedReferenceTables();
  return draftDocument({ ...s.budget, lines: s.engine.currentLines() }, reference ?? tables, {
    functional: s.engine.functionalSubtotals(),
    ...(reference ? { attachments: tables } : {}),
  });
}

function view(s: DocumentSession): DocumentView {
  const doc = draft(s);
  const unit = s.budget.amountUnit;
  const money = (v: bigint | undefined) => (v === undefined ? '' : toExactString(v, unit));
  const py = s.budget.priorYear;
  const narrative = s.budget.narrative ?? {};
  return {
    title: doc.title,
    unit,
    fiscalYear: doc.fiscalYear,
    paragraphs: doc.paragraphs.map((p) => ({ kind: p.kind, section: p.section, runs: p.runs.map((r) => ({ ...r })), ...(p.chart ? { chart: p.chart } : {}) })),
    charts: doc.charts.map((c) => ({ id: c.id, title: c.title, ...chartSize(c), option: chartOption(c) })),
    figures: doc.figures.map((f) => ({ ...f })),
    fields: NARRATIVE_FIELDS.map((f) => ({
      key: f.key,
      label: f.label,
      kind: f.kind,
      value: narrative[f.key] ?? f.default,
      typed: narrative[f.key] !== undefined,
      ...(f.hint ? { hint: f.hint } : {}),
    })),
    disagreements: doc.disagreements,
    problems: doc.problems,
    prior: {
      amounts: Object.fromEntries(PRIOR_SCALAR_FIELDS.map((k) => [k, money(py?.[k])])) as DocumentView['prior']['amounts'],
      items: Object.fromEntries(PRIOR_ITEM_FIELDS.map((k) => [k, money(py?.threePublicItems?.[k])])) as DocumentView['prior']['items'],
      functionalCodes: Object.keys(py?.functional ?? {}).length,
      economicCodes: Object.keys(py?.economic ?? {}).length,
    },
  };
}

/** Stores a 预算说明 action with its undo step, then takes it into the session. Nothing to do: no step. */
function commit(s: DocumentSession, label: string, change: DocumentChange, write: () => void): void {
  if (isNoChange(change)) return;
  s.commit(label, change, write);
  adoptDocumentSide(s.budget, s.engine, change, 'after');
  s.changed();
}

function saveTexts(s: DocumentSession, input: Input<'document.saveTexts'>): DocumentOutputs['document.saveTexts'] {
  const issues: { path: string; message: string }[] = [];
  const texts: Record<string, string | null> = {};
  input.texts.forEach(({ key, value }, i) => {
    const where = `texts[${i}]`;
    if (!isNarrativeKey(key)) {
      issues.push({ path: where, message: `预算说明中没有“${key}”这一项` });
      return;
    }
    const field = narrativeField(key);
    if (value !== null && field?.kind === 'count' && !isCount(value)) {
      issues.push({ path: where, message: `“${field.label}”应为 0 或正整数，不能是“${value}”` });
      return;
    }
    if (value !== null && key.startsWith(FIGURE_KEY_PREFIX) && value.trim() !== '' && typedNumber(value) === null) {
      issues.push({ path: where, message: `手工填写的数字“${value}”不是有效数字` });
      return;
    }
    texts[key] = value === null || (key.startsWith(FIGURE_KEY_PREFIX) && value.trim() === '') ? null : value;
  });
  if (issues.length > 0) throw new ApiRefusal(issues.length === 1 ? issues[0]!.message : `有 ${issues.length} 处填写有误，未保存`, issues);
  const change: DocumentChange = {
    texts: Object.entries(texts).map(([key, after]) => ({ key, before: s.budget.narrative?.[key] ?? null, after })),
  };
  commit(s, textsLabel(Object.keys(texts)), change, () => s.store.setNarrativeTexts(texts));
  return view(s);
}

/** The undo step's name: 修改预算说明“主要职能” (or the figure's label). */
function textsLabel(keys: string[]): string {
  if (keys.length !== 1) return `修改预算说明（${keys.length} 处）`;
  const key = keys[0]!;
  if (key.startsWith(FIGURE_KEY_PREFIX)) return '手工填写预算说明中的数字';
  return `修改预算说明“${narrativeField(key)?.label ?? key}”`;
}

function savePrior(s: DocumentSession, input: Input<'document.savePrior'>): DocumentOutputs['document.savePrior'] {
  const unit = s.budget.amountUnit;
  const issues: { path: string; message: string }[] = [];
  const read = (value: string | undefined, path: string, label: string): bigint | undefined => {
    if (value === undefined || value.trim() === '') return undefined;
    const r = parseAmount(value, unit, { loose: true });
    if (!r.ok) {
      issues.push({ path, message: `上年${label}：${r.reason}` });
      return undefined;
    }
    if (r.fen < 0n) {
      issues.push({ path, message: `上年${label}不能为负数（“${value}”）` });
      return undefined;
    }
    return r.fen;
  };
  const prior: PriorYear = {};
  for (const k of PRIOR_SCALAR_FIELDS) {
    const v = read(input.amounts[k], `amounts.${k}`, PRIOR_SCALAR_LABELS[k]);
    if (v !== undefined) prior[k] = v;
  }
  const items: PriorYear['threePublicItems'] = {};
  for (const k of THREE_PUBLIC_ITEMS) {
    const v = read(input.items[k], `items.${k}`, PRIOR_ITEM_LABELS[k]);
    if (v !== undefined) items[k] = v;
  }
  const old = s.budget.priorYear;
  const functional: Record<string, bigint> = { ...(old?.functional ?? {}) };
  for (const [code, value] of Object.entries(input.functional ?? {})) {
    if (!/^\d{3}(\d{2}){0,2}$/.test(code)) {
      issues.push({ path: `functional.${code}`, message: `上年数的功能分类科目“${code}”不对：编码应为 3、5 或 7 位数字` });
      continue;
    }
    const label = `${code} ${s.book.functional.has(code) ? s.book.functional.name(code) : ''}`.trim();
    const v = read(value, `functional.${code}`, `“${label}”`);
    if (v === undefined) delete functional[code];
    else functional[code] = v;
  }
  if (issues.length > 0) throw new ApiRefusal(issues.length === 1 ? issues[0]!.message : `上年数有 ${issues.length} 处填写有误，未保存`, issues);
  if (Object.keys(items).length > 0) prior.threePublicItems = items;
  if (Object.keys(functional).length > 0) prior.functional = Object.fromEntries(Object.entries(functional).sort(([a], [b]) => a.localeCompare(b)));
  if (old?.economic) prior.economic = old.economic;
  const next = Object.keys(prior).length > 0 ? prior : null;
  commit(s, '修改上年数', { prior: { before: old, after: next } }, () => s.store.setPriorYear(next));
  return view(s);
}

async function importPrior(s: DocumentSession, input: Input<'document.importPrior'>): Promise<DocumentOutputs['document.importPrior']> {
  const bytes = Buffer.from(input.upload.base64, 'base64');
  if (bytes.length > PRIOR_UPLOAD_MAX_BYTES) throw new ApiRefusal(`文件“${input.upload.fileName}”过大（${bytes.length} 字节），已拒绝`);
  if (bytes.length === 0) throw new ApiRefusal(`文件“${input.upload.fileName}”是空的`);
  // The package reader loads when first used, as for `prior import`.
  const { readPriorSource } = await import('../../submission/prior-import.js');
  const { PackageError } = await import('../../submission/errors.js');
  let source: Awaited<ReturnType<typeof readPriorSource>>;
  try {
    source = await readPriorSource(bytes, s.budget.fiscalYear, (y) => s.store.codeBook(y));
  } catch (err) {
    if (err instanceof PackageError) throw new ApiRefusal(`未导入上年数据（“${input.upload.fileName}”）：${err.message}`);
    throw err;
  }
  const { priorYear, budget, kind } = source;
  // As `prior import`: last year's reasons for large changes come along as this year's starting texts.
  const reasons = Object.fromEntries(
    Object.entries(budget.changeReasons ?? {}).flatMap(([code, text]) => (text.trim() === '' ? [] : [[code, text.trim()] as const])),
  );
  commit(s, '导入上年数据', { prior: { before: s.budget.priorYear, after: priorYear }, priorReasons: { before: priorReasonsOf(s.store), after: reasons } }, () => {
    s.store.setPriorYear(priorYear);
    carryChangeReasons(s.store, reasons);
  });
  const carried = Object.keys(reasons).length;
  const unit = s.budget.amountUnit;
  const money = (v: bigint | undefined) => `${toExactString(v ?? 0n, unit)}${unit}`;
  return {
    view: view(s),
    message:
      `已从${kind === 'package' ? '上报数据包' : '交换文件'}“${input.upload.fileName}”导入 ${budget.fiscalYear} 年“${budget.department.name}”的上年数：` +
      `收支总计 ${money(priorYear.total)}，“三公”经费 ${money(priorYear.threePublic)}，功能分类 ${Object.keys(priorYear.functional ?? {}).length} 个科目` +
      (carried > 0 ? `，上年变动原因 ${carried} 条（作为本年填写的起点）` : ''),
  };
}

const LEVELS = { 3: '类', 5: '款', 7: '项' } as const;

/** Last year's figure per 功能分类 code beside this year's (the engine's subtotals) and the 增减. */
function priorFunctional(s: DocumentSession): DocumentOutputs['document.priorFunctional'] {
  const unit = s.budget.amountUnit;
  const current = s.engine.functionalSubtotals();
  const prior = s.budget.priorYear?.functional ?? {};
  const codes = [...new Set([...current.keys(), ...Object.keys(prior)])].filter((c) => c.length in LEVELS).sort();
  const rows = codes.map((code): PriorFunctionalRow => {
    const now = current.get(code) ?? 0n;
    const before = prior[code];
    const diff = before === undefined ? null : now - before;
    // The rate as the 预算说明 writes its 增减 (core/document/figures.ts), signed.
    const bp = before === undefined ? null : changeRate(now, before);
    return {
      code,
      level: LEVELS[code.length as keyof typeof LEVELS],
      name: s.book.functional.has(code) ? s.book.functional.name(code) : '',
      current: toExactString(now, unit),
      prior: before === undefined ? null : toExactString(before, unit),
      change: diff === null ? null : toExactString(diff, unit),
      rate: bp === null ? null : percentText(bp),
    };
  });
  return { unit, priorYear: s.budget.fiscalYear - 1, rows };
}

async function file(s: DocumentSession, input: Input<'document.file'>): Promise<DocumentOutputs['document.file']> {
  const doc = draft(s);
  const created = new Date();
  // The writers (docx, pdfkit) load when first used, not when the app starts.
  const bytes =
    input.format === 'docx'
      ? await (await import('../../submission/docx.js')).documentDocx(doc, { created })
      : await (await import('../../submission/document-pdf.js')).documentPdf(doc, { created });
  const base = `${s.budget.fiscalYear}年${s.budget.department.name}部门预算说明`.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_');
  return {
    fileName: `${base}.${input.format}`,
    base64: bytes.toString('base64'),
    mimeType: input.format === 'docx' ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' : 'application/pdf',
  };
}

/** The 预算说明 view of the session. */
function documentSession(s: Session): DocumentSession {
  const { store, budget, book, engine } = s.requireBudget();
  return {
    store,
    budget,
    book,
    engine,
    // The narrative and last year's figures are read by 审核 rules that look at no line: count them again.
    changed: () => s.budgetPartsChanged(),
    // One 预算说明 action: its writes and its undo step in one transaction (as Session.act does for lines).
    commit: (label, document, write) => {
      try {
        store.transaction(() => {
          write();
          s.record({ label, changes: [], document });
        });
      } catch (err) {
        s.stacks = stepsFromJson(store.getMeta(UNDO_META_KEY));
        refusalFrom(err);
      }
      s.dailyBackup();
    },
  };
}

/** One handler per method of DOCUMENT_API, registered over the 预算说明 view of the session. */
export const documentArea = defineAreaOver('document', documentSession, {
  'document.view': (s: DocumentSession) => view(s),
  'document.saveTexts': saveTexts,
  'document.savePrior': savePrior,
  'document.importPrior': importPrior,
  'document.priorFunctional': (s: DocumentSession) => priorFunctional(s),
  'document.file': file,
});
