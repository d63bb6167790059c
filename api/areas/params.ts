// The 年度参数包 area: handlers of api/params.ts. The 控制数 view reads the sums the session's incremental 审核
// keeps line by line, through the same function as the ceiling rule, so it follows every edit without a second
// computation; the changes that need a reason come from the rule's own function likewise.
import { z } from 'zod';
import type { AuditConfig } from '../../core/audit/rule-set.js';
import type { CrossCheckSums } from '../../core/audit/context.js';
import { ceilingId, ceilingUsage, EXPENDITURE_KIND_LABELS, fundGroupLabel, largeChanges } from '../../core/audit/param-rules.js';
import type { CodeBook } from '../../core/codelists.js';
import type { Budget } from '../../core/model.js';
import { toExactString } from '../../core/money.js';
import {
  changeReasonRows,
  importParams,
  paramPackages,
  previewParams,
  previewSections,
  setChangeReasons,
  setRuleByUser,
  storedRuleSettings,
  type ParamsPreview,
} from '../../db/params.js';
import { StoreError, sqliteFailure, type BudgetStore } from '../../db/store.js';
import { PackageError } from '../../submission/errors.js';
import { ApiRefusal } from '../errors.js';
import { defineAreaOver } from '../handlers.js';
import type { Session } from '../session.js';
import type { CeilingsView, ParamsOutputs, ParamsPreviewView, ParamsView, PARAMS_API, RuleView } from '../params.js';
import Decimal from 'decimal.js';
import { createHash } from 'node:crypto';

export interface ParamsSession {
  store: BudgetStore;
  /** The session's budget (its changeReasons are kept up to date here). */
  budget: Budget;
  book: CodeBook;
  /** The rule set the session audits with. */
  config: AuditConfig;
  /** The 审核's cross-check sums of the lines (core/audit/context.ts), kept edit by edit: what the ceiling rule reads. */
  crossCheckSums(): CrossCheckSums;
  auditSummary(): { errors: number; warnings: number };
  /** The budget's reasons changed: 审核 counts again. */
  changed(): void;
  /** Code lists, format or rules changed: the session reads the file again (the answer is the session after). */
  reload(): ParamsSession;
}

type Input<M extends keyof typeof PARAMS_API> = z.output<(typeof PARAMS_API)[M]['input']>;

function refusal(err: unknown): never {
  if (err instanceof ApiRefusal) throw err;
  if (err instanceof PackageError) throw new ApiRefusal(err.message.split('\n')[0]!, err.details.map((d) => ({ path: '参数包', message: d })));
  const sqlite = sqliteFailure(err);
  if (sqlite) throw new ApiRefusal(`操作失败，未保存：${sqlite.message}`);
  if (err instanceof StoreError) throw new ApiRefusal(err.message, err.problems.length ? err.problems.map((p) => ({ path: p.field ?? '参数包', message: p.message })) : undefined);
  throw err;
}

function ceilings(s: ParamsSession): CeilingsView {
  const unit = s.budget.amountUnit;
  const money = (v: bigint) => toExactString(v, unit);
  const units = new Map(s.budget.units.map((u) => [u.code, u.name]));
  const projects = new Map(s.budget.projects.map((p) => [p.code, p.name]));
  const usage = ceilingUsage(s.config.settings.ceilings, s.crossCheckSums());
  const total = { ceiling: 0n, used: 0n, remaining: 0n };
  for (const u of usage) {
    if (u.ceiling.project) continue;
    total.ceiling += u.ceiling.amount;
    total.used += u.used;
    total.remaining += u.remaining;
  }
  const rows = usage.map((u) => ({
    id: ceilingId(u.ceiling),
    unit: u.ceiling.unit,
    unitName: units.get(u.ceiling.unit) ?? '',
    fundGroupLabel: fundGroupLabel(u.ceiling.fundGroup),
    kindLabel: EXPENDITURE_KIND_LABELS[u.ceiling.kind],
    project: u.ceiling.project ?? null,
    projectName: u.ceiling.project ? (projects.get(u.ceiling.project) ?? '') : null,
    ceiling: money(u.ceiling.amount),
    used: money(u.used),
    remaining: money(u.remaining),
    exceeded: u.remaining < 0n,
  }));
  const level = s.config.entries.find((e) => e.id === 'ceiling.exceeded')?.level ?? 'hard';
  return {
    amountUnit: unit,
    rows,
    totals: { ceiling: money(total.ceiling), used: money(total.used), remaining: money(total.remaining) },
    exceeded: rows.filter((r) => r.exceeded).length,
    level,
  };
}

const SOURCE_LABELS = { builtin: '内置', format: '公开表格式', package: '参数包' } as const;

function view(s: ParamsSession): ParamsView {
  const stored = new Map(storedRuleSettings(s.store).map((r) => [r.rule, r]));
  const packages = paramPackages(s.store);
  const rules: RuleView[] = s.config.entries.map((e) => {
    const set = stored.get(e.id);
    const by = set ? (set.source === 'user' ? '本单位' : (packages.find((p) => p.id === set.package)?.authority.name ?? '参数包')) : null;
    return {
      id: e.id,
      description: e.description,
      sourceLabel: SOURCE_LABELS[e.source],
      level: e.level,
      defaultLevel: e.defaultLevel,
      params: e.params,
      expressions: e.expressions ?? [],
      setBy: by,
      reason: set?.reason ?? null,
    };
  });
  const unit = s.budget.amountUnit;
  const settings = s.config.settings;
  const priorRows = new Map(changeReasonRows(s.store).map((r) => [r.code, r.prior]));
  const changes = largeChanges(s.budget, s.crossCheckSums().byFunctional, settings).map((c) => ({
    code: c.code,
    name: s.book.functional.name(c.code),
    current: toExactString(c.current, unit),
    prior: toExactString(c.prior, unit),
    ratio: c.ratio === null ? null : new Decimal(c.ratio).times(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2) + '%',
    direction: c.current >= c.prior ? ('增加' as const) : ('减少' as const),
    reason: s.budget.changeReasons?.[c.code] ?? '',
    priorReason: priorRows.get(c.code) ?? null,
  }));
  const length = { 类: 3, 款: 5, 项: 7 }[settings.itemChangeLevel];
  return {
    ceilings: ceilings(s),
    rules,
    changes: {
      threshold: new Decimal(settings.itemChangeRatio).times(100).toString() + '%',
      level: settings.itemChangeLevel,
      priorKnown: Object.keys(s.budget.priorYear?.functional ?? {}).some((code) => code.length === length),
      rows: changes,
    },
    packages: packages.map((p) => ({ importedAt: p.importedAt, fileName: p.fileName, authority: p.authority.name, issuedAt: p.issuedAt })),
  };
}

function previewView(preview: ParamsPreview, fileName: string, sha256: string): ParamsPreviewView {
  return {
    fileName,
    sha256,
    fiscalYear: preview.fiscalYear,
    authority: preview.authority.name,
    issuedAt: preview.issuedAt,
    note: preview.note,
    sections: previewSections(preview),
    unchanged: preview.unchanged,
  };
}

async function checked(s: ParamsSession, upload: { fileName: string; base64: string }) {
  const bytes = Buffer.from(upload.base64, 'base64');
  const { readParamsPackage } = await import('../../submission/params-package.js');
  let pkg;
  try {
    pkg = await readParamsPackage(bytes);
  } catch (err) {
    refusal(err);
  }
  const preview = previewParams(s.store, pkg);
  if (!preview.ok) {
    throw new ApiRefusal(`年度参数包不能导入，预算文件未作改动：${preview.problems[0]}`, preview.problems.map((message) => ({ path: upload.fileName, message })));
  }
  return { pkg, preview: preview.preview, sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function inspect(s: ParamsSession, input: Input<'params.inspect'>): Promise<ParamsPreviewView> {
  const c = await checked(s, input.upload);
  return previewView(c.preview, input.upload.fileName, c.sha256);
}

async function importPackage(s: ParamsSession, input: Input<'params.import'>): Promise<ParamsOutputs['params.import']> {
  const c = await checked(s, input.upload);
  if (c.sha256 !== input.sha256) throw new ApiRefusal('参数包与检查时的文件不同：请重新选择参数包');
  let preview: ParamsPreview;
  try {
    s.store.assertWritable();
    s.store.backup('params');
    preview = importParams(s.store, c.pkg, { fileName: input.upload.fileName, manifestJson: JSON.stringify(c.pkg.manifest) });
  } catch (err) {
    refusal(err);
  }
  s.reload();
  return {
    preview: previewView(preview, input.upload.fileName, c.sha256),
    message: preview.unchanged ? `参数包“${input.upload.fileName}”与现有设置相同，没有改变任何设置` : `已导入 ${preview.authority.name} 下达的 ${preview.fiscalYear} 年度参数包`,
  };
}

function setRule(s: ParamsSession, input: Input<'params.setRule'>): ParamsView {
  try {
    setRuleByUser(s.store, input.rule, { ...(input.level ? { level: input.level } : {}), ...(input.params ? { params: input.params } : {}) }, input.reason);
  } catch (err) {
    refusal(err);
  }
  return view(s.reload());
}

function saveReasons(s: ParamsSession, input: Input<'params.saveReasons'>): ParamsOutputs['params.saveReasons'] {
  const reasons: Record<string, string | null> = {};
  for (const r of input.reasons) reasons[r.code] = r.text;
  try {
    setChangeReasons(s.store, reasons);
  } catch (err) {
    refusal(err);
  }
  const next = { ...(s.budget.changeReasons ?? {}) };
  for (const [code, text] of Object.entries(reasons)) {
    if (text === null || text.trim() === '') delete next[code];
    else next[code] = text.trim();
  }
  if (Object.keys(next).length > 0) s.budget.changeReasons = next;
  else delete s.budget.changeReasons;
  s.changed();
  return { ...view(s), audit: s.auditSummary() };
}

/** The 年度参数包 view of the session. */
function paramsSession(s: Session): ParamsSession {
  const { store, budget, book } = s.requireBudget();
  const audit = s.audit!;
  return {
    store,
    budget,
    book,
    config: s.auditConfig!,
    crossCheckSums: () => audit.crossCheckSums(),
    auditSummary: () => s.auditSummary(),
    // Reasons are read by a 审核 rule that looks at no line: count it again.
    changed: () => s.budgetPartsChanged(),
    reload: () => {
      s.load();
      return paramsSession(s);
    },
  };
}

/** One handler per method of PARAMS_API, registered over the 年度参数包 view of the session. */
export const paramsArea = defineAreaOver('params', paramsSession, {
  'params.view': (s: ParamsSession) => view(s),
  'params.ceilings': (s: ParamsSession) => ceilings(s),
  'params.inspect': inspect,
  'params.import': importPackage,
  'params.setRule': setRule,
  'params.saveReasons': saveReasons,
});
