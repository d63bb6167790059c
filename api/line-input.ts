// Reading a line's fields from text as a user types or pastes it: a code, a code followed by its name (as
// the grid shows and copies it), or an exact name. Amounts are read exactly in the unit they are typed in.
// Every refusal says what was typed and why; nothing here touches storage.
import type { CodeList } from '../core/codelists.js';
import { FUNDS, fundLabel, isFundCode, type FundCode } from '../core/funds.js';
import type { ExpenditureKind, Project, Unit } from '../core/model.js';
import { parseAmount, type AmountUnit, type Fen } from '../core/money.js';
import type { LineField } from './contract.js';

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const no = (reason: string): Read<never> => ({ ok: false, reason });

/** "2010350", "2010350 其他政府办公厅…", "201 03 50" → the leading code; null when the text starts with no digit. */
export function leadingCode(text: string): string | null {
  const m = /^\s*(\d[\d\s]*?)(?=\s*[^\d\s]|\s*$)/.exec(text.normalize('NFKC'));
  if (!m?.[1]) return null;
  return m[1].replace(/\s+/g, '');
}

function byName<T>(items: readonly T[], name: (t: T) => string, wanted: string): T[] {
  const w = wanted.normalize('NFKC').trim();
  return items.filter((t) => name(t).normalize('NFKC').trim() === w);
}

/** A bookable code of a classification list (项 for functional, 款 for economic), by code or exact name. */
export function readClassification(text: string, list: CodeList, level: '项' | '款', label: string): Read<string> {
  const t = text.trim();
  if (t === '') return no(`${label}不能为空`);
  const code = leadingCode(t);
  if (code !== null) return ok(code);
  const matches = byName(list.entries().filter((e) => e.level === level), (e) => e.name, t);
  if (matches.length === 1) return ok(matches[0]!.code);
  if (matches.length > 1) {
    return no(`名称为“${t}”的${label}科目有 ${matches.length} 个（${matches.map((m) => m.code).join('、')}），请填写编码`);
  }
  return no(`找不到名称为“${t}”的${level}级${label}科目，请填写编码或从列表中选择`);
}

export function readUnit(text: string, units: readonly Unit[]): Read<string> {
  const t = text.trim();
  if (t === '') return no('单位不能为空');
  const exact = units.find((u) => u.code === t);
  if (exact) return ok(exact.code);
  const code = leadingCode(t);
  if (code !== null && units.some((u) => u.code === code)) return ok(code);
  const named = byName(units, (u) => u.name, t.replace(/^\d+\s+/, ''));
  if (named.length === 1) return ok(named[0]!.code);
  if (named.length > 1) return no(`名称为“${t}”的单位有多个，请填写单位编码`);
  return no(`单位“${t}”不在本部门的单位列表中`);
}

/** A project code; empty text is no project. */
export function readProject(text: string, projects: readonly Project[]): Read<string | null> {
  const t = text.trim();
  if (t === '' || t === '无' || t === '（无项目）') return ok(null);
  const exact = projects.find((p) => p.code === t);
  if (exact) return ok(exact.code);
  const head = t.split(/\s+/)[0]!;
  const byCode = projects.find((p) => p.code === head);
  if (byCode) return ok(byCode.code);
  const named = byName(projects, (p) => p.name, t);
  if (named.length === 1) return ok(named[0]!.code);
  if (named.length > 1) return no(`名称为“${t}”的项目有多个，请填写项目编码`);
  return no(`项目“${t}”不存在：请先在「项目库」中新建该项目（或在项目单元格的列表中选“新建项目”），再选用它`);
}

const KIND_WORDS: Record<string, ExpenditureKind> = {
  basic: 'basic',
  基本: 'basic',
  基本支出: 'basic',
  project: 'project',
  项目: 'project',
  项目支出: 'project',
};

export function readKind(text: string): Read<ExpenditureKind> {
  const t = text.normalize('NFKC').trim();
  const kind = KIND_WORDS[t];
  if (kind) return ok(kind);
  return no(`支出类型“${text}”无效，应为“基本支出”或“项目支出”`);
}

export const KIND_LABELS: Record<ExpenditureKind, string> = { basic: '基本支出', project: '项目支出' };

function normaliseLabel(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '').replace(/[·•・]/g, '·').replace(/\(/g, '（').replace(/\)/g, '）');
}

/** A funding source by code, full label ("一般公共预算·财政拨款") or short label when that is unambiguous. */
export function readFund(text: string): Read<FundCode> {
  const t = text.trim();
  if (t === '') return no('资金来源不能为空');
  if (isFundCode(t)) return ok(t);
  const n = normaliseLabel(t);
  const full = FUNDS.filter((f) => normaliseLabel(fundLabel(f.code)) === n);
  if (full.length === 1) return ok(full[0]!.code);
  const short = FUNDS.filter((f) => normaliseLabel(f.label) === n);
  if (short.length === 1) return ok(short[0]!.code);
  if (short.length > 1) {
    return no(`资金来源“${t}”有歧义（${short.map((f) => fundLabel(f.code)).join('、')}），请写全称`);
  }
  return no(`资金来源“${t}”不是已知的资金来源`);
}

/** An amount typed in `unit`: "1,234.5" and "1234.50" are read exactly; anything else is refused. */
export function readAmount(text: string, unit: AmountUnit): Read<Fen> {
  const r = parseAmount(text, unit, { loose: true });
  return r.ok ? ok(r.fen) : no(r.reason);
}

export interface LineInputContext {
  functional: CodeList;
  economic: CodeList;
  units: readonly Unit[];
  projects: readonly Project[];
  amountUnit: AmountUnit;
}

export type FieldValue =
  | { field: 'unit' | 'functional' | 'economic' | 'remark'; value: string }
  | { field: 'kind'; value: ExpenditureKind }
  | { field: 'project'; value: string | null }
  | { field: 'fund'; value: FundCode }
  | { field: 'amount'; value: Fen };

/** Reads one field of a line from text. */
export function readField(field: LineField, text: string, ctx: LineInputContext): Read<FieldValue> {
  const wrap = (f: FieldValue['field'], r: Read<unknown>): Read<FieldValue> =>
    r.ok ? ok({ field: f, value: r.value } as FieldValue) : r;
  switch (field) {
    case 'unit':
      return wrap('unit', readUnit(text, ctx.units));
    case 'functional':
      return wrap('functional', readClassification(text, ctx.functional, '项', '功能分类'));
    case 'economic':
      return wrap('economic', readClassification(text, ctx.economic, '款', '经济分类'));
    case 'kind':
      return wrap('kind', readKind(text));
    case 'project':
      return wrap('project', readProject(text, ctx.projects));
    case 'fund':
      return wrap('fund', readFund(text));
    case 'amount':
      return wrap('amount', readAmount(text, ctx.amountUnit));
    case 'remark':
      return text.length > 2000 ? no('备注不能超过 2000 个字符') : ok({ field: 'remark', value: text });
  }
}
