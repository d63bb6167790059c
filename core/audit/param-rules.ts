// The rules the finance bureau's parameter package brings: 控制数 (ceilings), a written reason for a large change
// against last year, and placeholders left in text. Their figures are worked out here once, for the rule and for
// the screens that show them (the 控制数 view, the list of changes that need a reason).
import Decimal from 'decimal.js';
import { FUNDS, type FundGroup } from '../funds.js';
import type { Budget } from '../model.js';
import type { Fen } from '../money.js';
import { ceilingKey, ITEM_CHANGE_CODE_LENGTH, type AuditSettings, type Ceiling, type CrossCheckSums } from './context.js';
import type { AuditRule, FindingDraft, FindingPlace } from './types.js';

// ---- 控制数 -----------------------------------------------------------------------------------------------

/** Chinese names of the fund groups a ceiling is set for. */
export function fundGroupLabel(group: string): string {
  if (group === 'gpb') return '一般公共预算';
  if (group === 'gfb') return '政府性基金预算';
  if (group === 'state-capital-budget') return '国有资本经营预算';
  return FUNDS.find((f) => f.group === group)?.label ?? group;
}

export const FUND_GROUP_CODES: readonly FundGroup[] = [...new Set(FUNDS.map((f) => f.group))];

export const EXPENDITURE_KIND_LABELS = { basic: '基本支出', project: '项目支出' } as const;

export interface CeilingUsage {
  ceiling: Ceiling;
  used: Fen;
  /** amount − used; negative when the ceiling is exceeded. */
  remaining: Fen;
}

/** Each ceiling with what the lines use of it (from the sums kept line by line). */
export function ceilingUsage(ceilings: readonly Ceiling[], sums: Pick<CrossCheckSums, 'byCeiling' | 'byProjectCeiling'>): CeilingUsage[] {
  return ceilings.map((ceiling) => {
    const key = ceilingKey(ceiling.unit, ceiling.fundGroup, ceiling.kind, ceiling.project);
    const used = (ceiling.project ? sums.byProjectCeiling.get(key) : sums.byCeiling.get(key)) ?? 0n;
    return { ceiling, used, remaining: ceiling.amount - used };
  });
}

/** A stable text key of a ceiling ("074001:gpb:basic", "074001:gpb:project:P03"). */
export function ceilingId(c: Pick<Ceiling, 'unit' | 'fundGroup' | 'kind' | 'project'>): string {
  return [c.unit, c.fundGroup, c.kind, ...(c.project ? [c.project] : [])].join(':');
}

export const ceilingExceeded: AuditRule = {
  id: 'ceiling.exceeded',
  severity: 'hard',
  description: '各单位按资金来源安排的基本支出、项目支出（及单列控制数的项目）不能超过财政下达的控制数。',
  reads: 'sums',
  check(ctx) {
    const out: FindingDraft[] = [];
    for (const u of ceilingUsage(ctx.settings.ceilings, ctx.crossCheckSums())) {
      if (u.remaining >= 0n) continue;
      const c = u.ceiling;
      const unit = ctx.unitByCode.get(c.unit);
      const project = c.project ? ctx.projectByCode.get(c.project) : undefined;
      const who = c.project
        ? `项目 ${c.project}${project ? `“${project.name}”` : ''}`
        : `单位 ${c.unit}${unit ? `“${unit.name}”` : ''}`;
      const place: FindingPlace = { row: `ceiling:${ceilingId(c)}`, field: 'ceiling' };
      if (c.project) place.project = c.project;
      out.push({
        place,
        message: `${who}的${fundGroupLabel(c.fundGroup)}${EXPENDITURE_KIND_LABELS[c.kind]}安排 ${ctx.money(u.used)}，超过控制数 ${ctx.money(c.amount)}（超出 ${ctx.money(-u.remaining)}）`,
      });
    }
    return out;
  },
};

// ---- reasons for large changes ------------------------------------------------------------------------

export interface LargeChange {
  /** Functional code at the settings' level (7 digits for a 项). */
  code: string;
  current: Fen;
  prior: Fen;
  /** |current − prior| / prior as a decimal string; null when last year had nothing. */
  ratio: string | null;
  /** The reason written for it, '' while none. */
  reason: string;
}

/**
 * The functional codes (at `itemChangeLevel`) whose amount changed against last year's figure by at least
 * `itemChangeRatio`. Nothing when last year's figures have no detail at that level.
 */
export function largeChanges(
  budget: Pick<Budget, 'priorYear' | 'changeReasons'>,
  byFunctional: ReadonlyMap<string, Fen>,
  settings: Pick<AuditSettings, 'itemChangeRatio' | 'itemChangeLevel'>,
): LargeChange[] {
  const length = ITEM_CHANGE_CODE_LENGTH[settings.itemChangeLevel];
  const prior = priorAt(budget.priorYear?.functional, length);
  if (prior.size === 0) return [];
  const current = new Map<string, Fen>();
  for (const [code, amount] of byFunctional) {
    const at = code.slice(0, length);
    current.set(at, (current.get(at) ?? 0n) + amount);
  }
  // |current − prior| / prior ≥ num / den, compared in integers: this runs on every count of the 审核.
  const [num, den] = fraction(settings.itemChangeRatio);
  const out: LargeChange[] = [];
  for (const code of [...new Set([...prior.keys(), ...current.keys()])].sort()) {
    const p = prior.get(code) ?? 0n;
    const c = current.get(code) ?? 0n;
    if (p === c) continue;
    const diff = c > p ? c - p : p - c;
    if (p !== 0n && diff * den < num * p) continue;
    out.push({ code, current: c, prior: p, ratio: p === 0n ? null : ratioText(diff, p), reason: budget.changeReasons?.[code]?.trim() ?? '' });
  }
  return out;
}

/** Last year's figures at one level of the code. */
function priorAt(functional: Record<string, Fen> | undefined, length: number): ReadonlyMap<string, Fen> {
  const out = new Map<string, Fen>();
  for (const [code, amount] of Object.entries(functional ?? {})) if (code.length === length) out.set(code, amount);
  return out;
}

/** A non-negative decimal string as numerator and denominator. */
function fraction(decimal: string): [bigint, bigint] {
  const [whole = '0', frac = ''] = new Decimal(decimal).toFixed().split('.');
  return [BigInt(whole + frac), 10n ** BigInt(frac.length)];
}

/** diff / prior as a decimal string; the last few are kept (the same few codes are asked for edit after edit). */
const RATIO_TEXTS = new Map<string, string>();
function ratioText(diff: Fen, prior: Fen): string {
  const key = `${diff}/${prior}`;
  let text = RATIO_TEXTS.get(key);
  if (text === undefined) {
    if (RATIO_TEXTS.size > 20_000) RATIO_TEXTS.clear();
    text = new Decimal(diff.toString()).dividedBy(prior.toString()).toString();
    RATIO_TEXTS.set(key, text);
  }
  return text;
}

function percentText(ratio: string): string {
  return new Decimal(ratio).times(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2) + '%';
}

export const itemLargeChange: AuditRule = {
  id: 'item.large-change',
  severity: 'soft',
  description: '功能分类科目（默认为项）的预算较上年变动达到设定比例（默认 10%）时，应填写变动原因。',
  reads: 'sums',
  check(ctx) {
    const out: FindingDraft[] = [];
    for (const c of largeChanges(ctx.budget, ctx.crossCheckSums().byFunctional, ctx.settings)) {
      if (c.reason !== '') continue;
      // The same finding edit after edit is worded once (the rule runs on every count of the 审核).
      const key = `${c.code}|${c.current}|${c.prior}|${ctx.settings.itemChangeRatio}|${ctx.budget.amountUnit}|${ctx.book.functional.name(c.code)}`;
      const kept = LARGE_CHANGE_DRAFTS.get(key);
      if (kept) {
        out.push(kept);
        continue;
      }
      const name = ctx.book.functional.name(c.code);
      const what = `功能分类 ${c.code}${name ? ` ${name}` : ''}`;
      let change: string;
      if (c.prior === 0n) change = `上年没有安排，本年安排 ${ctx.money(c.current)}`;
      else if (c.current === 0n) change = `上年 ${ctx.money(c.prior)}，本年不再安排`;
      else {
        const direction = c.current > c.prior ? '增加' : '减少';
        change = `本年 ${ctx.money(c.current)}，较上年 ${ctx.money(c.prior)} ${direction} ${ctx.money(c.current > c.prior ? c.current - c.prior : c.prior - c.current)}（${percentText(c.ratio!)}）`;
      }
      const draft: FindingDraft = {
        place: { row: c.code, field: 'changeReason' },
        message: `${what}${change}，变动达到 ${percentText(ctx.settings.itemChangeRatio)}，请填写变动原因`,
      };
      if (LARGE_CHANGE_DRAFTS.size > 20_000) LARGE_CHANGE_DRAFTS.clear();
      LARGE_CHANGE_DRAFTS.set(key, draft);
      out.push(draft);
    }
    return out;
  },
};

const LARGE_CHANGE_DRAFTS = new Map<string, FindingDraft>();

// ---- placeholders left in text --------------------------------------------------------------------------

/** XX (not inside a latin word), ××, and {…} (a template's field); words come from the settings. */
const PLACEHOLDER_PATTERNS: readonly RegExp[] = [/(?<![A-Za-z])[Xx]{2,}(?![A-Za-z])/, /×{2,}/, /\{[^{}\n]{0,40}\}/];

/** The placeholder a text holds (the fragment as found), or null. */
export function findPlaceholder(text: string | undefined | null, words: readonly string[]): string | null {
  if (!text) return null;
  const normal = text.normalize('NFKC');
  for (const re of PLACEHOLDER_PATTERNS) {
    const m = re.exec(normal);
    if (m) return m[0];
  }
  for (const w of words) if (w !== '' && normal.includes(w.normalize('NFKC'))) return w;
  return null;
}

const PROJECT_TEXT_FIELDS = [
  ['name', '项目名称'],
  ['usage', '资金用途'],
  ['leader', '项目负责人'],
  ['contact', '联系人'],
  ['phone', '联系电话'],
  ['overview', '项目概况'],
  ['basis', '立项依据'],
  ['necessity', '项目设立的必要性'],
  ['measures', '保障措施'],
  ['plan', '实施计划'],
  ['remarks', '备注'],
  ['overallGoal', '项目总目标'],
  ['annualGoal', '年度绩效目标'],
] as const;

const INDICATOR_TEXT_FIELDS = [
  ['level1', '一级指标'],
  ['level2', '二级指标'],
  ['name', '三级指标'],
  ['target', '指标值'],
  ['note', '指标值说明'],
] as const;

function placeholderMessage(where: string, found: string): string {
  return `${where}中留有占位内容“${found}”，请填写实际内容`;
}

export const textPlaceholder: AuditRule = {
  id: 'text.placeholder',
  severity: 'hard',
  description: '任何文字（备注、项目信息、绩效目标、预算说明、变动原因等）中不能留有“XX”“××”“待填写”“{单位}”之类的占位内容。',
  line(ctx, line) {
    const found = findPlaceholder(line.remark, ctx.settings.placeholderWords);
    return found ? [{ place: { line: line.id, field: 'remark' }, message: placeholderMessage(`${ctx.lineLabel(line)}的备注`, found) }] : [];
  },
  check(ctx) {
    const words = ctx.settings.placeholderWords;
    const out: FindingDraft[] = [];
    const { budget } = ctx;
    const check = (text: string | undefined, place: FindingPlace, where: string) => {
      const found = findPlaceholder(text, words);
      if (found) out.push({ place, message: placeholderMessage(where, found) });
    };
    check(budget.department.name, { field: 'department' }, '部门名称');
    for (const u of budget.units) check(u.name, { row: u.code, field: 'unit' }, `单位 ${u.code} 的名称`);
    for (const p of budget.projects) {
      const label = `项目 ${p.code}“${p.name}”`;
      for (const [field, name] of PROJECT_TEXT_FIELDS) check(p[field], { table: 'T11', project: p.code, field }, `${label}的${name}`);
      p.indicators.forEach((ind, index) => {
        for (const [field, name] of INDICATOR_TEXT_FIELDS) {
          check(ind[field], { table: 'T11', project: p.code, indicator: index, field: field === 'target' ? 'target' : field }, `${label}第 ${index + 1} 个绩效指标的${name}`);
        }
      });
    }
    const perf = budget.departmentPerformance;
    if (perf) {
      check(perf.dutyGoal, { table: 'T10', field: 'dutyGoal' }, '部门整体绩效目标表的部门职能及年度目标');
      perf.tasks.forEach((t, i) => {
        check(t.name, { table: 'T10', field: `tasks[${i}].name` }, `部门整体绩效目标表第 ${i + 1} 项任务名称`);
        check(t.content, { table: 'T10', field: `tasks[${i}].content` }, `部门整体绩效目标表第 ${i + 1} 项任务的主要内容`);
      });
      perf.indicators.forEach((ind, index) => {
        for (const [field, name] of INDICATOR_TEXT_FIELDS) check(ind[field], { table: 'T10', indicator: index, field }, `部门整体绩效目标表第 ${index + 1} 个绩效指标的${name}`);
      });
    }
    for (const [key, value] of Object.entries(budget.narrative ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      check(value, { field: `narrative:${key}` }, '预算说明');
    }
    for (const [code, value] of Object.entries(budget.changeReasons ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      check(value, { row: code, field: 'changeReason' }, `功能分类 ${code} 的变动原因`);
    }
    return out;
  },
};

export const PARAMETER_HARD_RULES: readonly AuditRule[] = [ceilingExceeded, textPlaceholder];
export const PARAMETER_SOFT_RULES: readonly AuditRule[] = [itemLargeChange];

