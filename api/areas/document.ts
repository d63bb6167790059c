// The 预算说明 area: handlers of api/document.ts. The document is drafted from the session's live table
// engine on every call, so it follows every edit of the grid without a copy of any figure.
import { z } from 'zod';
import { draftDocument, isCount, isNarrativeKey, narrativeField, NARRATIVE_FIELDS, typedNumber, FIGURE_KEY_PREFIX, type BudgetDocument } from '../../core/document/index.js';
import { THREE_PUBLIC_ITEMS, type Budget, type PriorYear } from '../../core/model.js';
import { parseAmount, toExactString } from '../../core/money.js';
import type { TableEngine } from '../../core/tables/index.js';
import { StoreError, type BudgetStore } from '../../db/store.js';
import { ApiRefusal } from '../errors.js';
import { PRIOR_ITEM_FIELDS, PRIOR_ITEM_LABELS, PRIOR_SCALAR_FIELDS, PRIOR_SCALAR_LABELS, type DOCUMENT_API, type DocumentOutputs, type DocumentView } from '../document.js';
import { defineAreaOver } from '../handlers.js';
import type { Session } from '../session.js';

/** What the handlers read from the session. */
export interface DocumentSession {
  store: BudgetStore;
  budget: Budget;
  engine: TableEngine;
  /** The budget's texts or prior-year figures changed: 审核 must run again. */
  changed(): void;
}

type Input<M extends keyof typeof DOCUMENT_API> = z.output<(typeof DOCUMENT_API)[M]['input']>;

function draft(s: DocumentSession): BudgetDocument {
  return draftDocument({ ...s.budget, lines: s.engine.currentLines() }, s.engine.tables());
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
    paragraphs: doc.paragraphs.map((p) => ({ kind: p.kind, section: p.section, runs: p.runs.map((r) => ({ ...r })) })),
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

function storeRefusal(err: unknown): never {
  if (err instanceof StoreError) throw new ApiRefusal(err.message);
  throw err;
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
  try {
    s.store.setNarrativeTexts(texts);
  } catch (err) {
    storeRefusal(err);
  }
  const next = { ...(s.budget.narrative ?? {}) };
  for (const [k, v] of Object.entries(texts)) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  s.budget.narrative = next;
  s.changed();
  return view(s);
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
  if (issues.length > 0) throw new ApiRefusal(issues.length === 1 ? issues[0]!.message : `上年数有 ${issues.length} 处填写有误，未保存`, issues);
  if (Object.keys(items).length > 0) prior.threePublicItems = items;
  const old = s.budget.priorYear;
  if (old?.functional) prior.functional = old.functional;
  if (old?.economic) prior.economic = old.economic;
  const next = Object.keys(prior).length > 0 ? prior : null;
  try {
    s.store.setPriorYear(next);
  } catch (err) {
    storeRefusal(err);
  }
  s.budget.priorYear = next;
  s.changed();
  return view(s);
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
  const { store, budget, engine } = s.requireBudget();
  // The narrative and last year's figures are read by 审核 rules that look at no line: count them again.
  return { store, budget, engine, changed: () => s.budgetPartsChanged() };
}

/** One handler per method of DOCUMENT_API, registered over the 预算说明 view of the session. */
export const documentArea = defineAreaOver('document', documentSession, {
  'document.view': (s: DocumentSession) => view(s),
  'document.saveTexts': saveTexts,
  'document.savePrior': savePrior,
  'document.file': file,
});
