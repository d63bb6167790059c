// Whole-budget validation: the structural checks a budget must pass wherever it comes from — an exchange file
// (core/exchange.ts), the store before it writes (db/store.ts), a received package (through the exchange
// reader) or a typed line (the API) — so an edit in the app is held to the same rules as an imported file.
// 审核 rules (totals, balances, publication faults) are not checked here: see core/audit/.
import type { CodeBook, CodeList } from './codelists.js';
import { isFundCode } from './funds.js';
import { PROJECT_CATEGORY_LABELS, UNIT_KINDS, type Budget, type BudgetLine, type IncomeLine, type Procurement, type Project } from './model.js';
import { isAmountUnit } from './money.js';
import { MAX_FISCAL_YEAR, MAX_LONG_TEXT_CHARS, MAX_SHORT_TEXT_CHARS, MIN_FISCAL_YEAR, PROJECT_FIELD_LABELS, SHORT_TEXT_FIELDS } from './budget-fields.js';

/** A problem of a budget: the field it concerns (a path such as `lines[3].amount`) and a Chinese sentence. */
export interface ValidationProblem {
  field?: string;
  message: string;
}

export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

/**
 * Why a text is too long for its field (`key` is the field's name in the exchange format), or null. Counted in
 * characters; a 200 MB remark would otherwise be stored and only fail later, when a package is read back.
 */
export function textLengthProblem(key: string, what: string, value: string): string | null {
  const max = SHORT_TEXT_FIELDS.has(key) ? MAX_SHORT_TEXT_CHARS : MAX_LONG_TEXT_CHARS;
  if (value.length <= max) return null;
  return `${what}过长（${value.length} 个字符，上限 ${max} 个字符）`;
}

// ---------------------------------------------------------------------------------------------------
// Code checks shared with the store (a line edited in the app is held to the same rules as an imported one).

/** Why a functional code cannot carry a line or project, or null when it is a 项 of the year's list. */
export function functionalCodeProblem(code: string, list: CodeList, year: number): string | null {
  const entry = list.get(code);
  if (entry?.level === '项') return null;
  if (entry) return `功能分类“${code} ${entry.name}”是${entry.level}级科目，此处须填写项级科目（7 位）`;
  if (!/^\d{7}$/.test(code)) return `功能分类科目编码“${code}”无效，应为 ${year} 年科目表中的 7 位项级编码`;
  return `功能分类科目“${code}”不在 ${year} 年的支出功能分类科目表中`;
}

/** Why an economic code cannot carry a line, or null when it is a 款 of the year's department list. */
export function economicCodeProblem(code: string, list: CodeList, year: number): string | null {
  const entry = list.get(code);
  if (entry?.level === '款') return null;
  if (entry) return `经济分类“${code} ${entry.name}”是${entry.level}级科目，此处须填写款级科目（5 位）`;
  if (!/^\d{5}$/.test(code)) return `经济分类科目编码“${code}”无效，应为 ${year} 年部门预算支出经济分类中的 5 位款级编码`;
  return `经济分类科目“${code}”不在 ${year} 年的部门预算支出经济分类科目表中`;
}

/** A line as an editor would change it: everything but the id. */
export type LineFields = Omit<BudgetLine, 'id'>;

/**
 * Every reason a line cannot stand in a budget with these units and projects, as Chinese sentences keyed
 * by field. Empty when the line is fine. Audit rules (totals, balances) are not checked here.
 */
export function lineProblems(
  line: LineFields,
  context: { book: CodeBook; unitCodes: { has(code: string): boolean }; projectCodes: { has(code: string): boolean } },
): { field: keyof LineFields; message: string }[] {
  const out: { field: keyof LineFields; message: string }[] = [];
  const year = context.book.year;
  if (!context.unitCodes.has(line.unit)) out.push({ field: 'unit', message: `单位“${line.unit}”不在本部门的单位列表中` });
  const f = functionalCodeProblem(line.functional, context.book.functional, year);
  if (f) out.push({ field: 'functional', message: f });
  const e = economicCodeProblem(line.economic, context.book.economic, year);
  if (e) out.push({ field: 'economic', message: e });
  if (!(['basic', 'project'] as const).includes(line.kind)) {
    out.push({ field: 'kind', message: `支出类型“${String(line.kind)}”无效，应为 basic（基本支出）或 project（项目支出）` });
  } else if (line.kind === 'project') {
    if (line.project === null || line.project === '') {
      out.push({ field: 'project', message: '项目支出行必须指明所属项目（project）' });
    } else if (!context.projectCodes.has(line.project)) {
      out.push({ field: 'project', message: `项目“${line.project}”不存在（请先在「项目库」中新建该项目）` });
    }
  } else if (line.project !== null) {
    out.push({ field: 'project', message: `基本支出行不能指定项目（project 应为 null），实际为“${line.project}”` });
  }
  if (!isFundCode(line.fund)) out.push({ field: 'fund', message: `资金来源“${String(line.fund)}”不是已知的资金来源编码` });
  const remarkTooLong = typeof line.remark === 'string' ? textLengthProblem('remark', '备注', line.remark) : null;
  if (remarkTooLong) out.push({ field: 'remark', message: remarkTooLong });
  if (typeof line.amount !== 'bigint') out.push({ field: 'amount', message: '金额无效' });
  else if (line.amount < 0n) out.push({ field: 'amount', message: '金额不能为负数' });
  return out;
}

export function projectProblems(p: Project, ctx: { book: CodeBook; unitCodes: ReadonlySet<string> }): ValidationProblem[] {
  const out: ValidationProblem[] = [];
  if (typeof p.code !== 'string' || p.code.trim() === '') out.push({ field: 'code', message: '项目编码不能为空' });
  if (typeof p.name !== 'string' || p.name.trim() === '') out.push({ field: 'name', message: '项目名称不能为空' });
  if (!ctx.unitCodes.has(p.unit)) out.push({ field: 'unit', message: `项目所属单位“${p.unit}”不存在` });
  if (!(p.category in PROJECT_CATEGORY_LABELS)) {
    out.push({ field: 'category', message: `项目类别“${String(p.category)}”无效，应为 general（一般性项目）或 special（专项资金）` });
  }
  if (p.functional !== undefined) {
    const why = functionalCodeProblem(p.functional, ctx.book.functional, ctx.book.year);
    if (why) out.push({ field: 'functional', message: why });
  }
  for (const field of ['start', 'end'] as const) {
    const v = p[field];
    if (v !== undefined && !isIsoDate(v)) out.push({ field, message: `${PROJECT_FIELD_LABELS[field]}“${v}”不是有效日期，应为 YYYY-MM-DD` });
  }
  for (const field of ['yearAmount', 'totalAmount', 'priorTotalAmount', 'priorYearAmount'] as const) {
    const label = PROJECT_FIELD_LABELS[field];
    const v = p[field];
    if (v === undefined && field !== 'yearAmount') continue;
    if (typeof v !== 'bigint') out.push({ field, message: `${label}无效` });
    else if (v < 0n) out.push({ field, message: `${label}不能为负数` });
  }
  if (!Array.isArray(p.indicators)) out.push({ field: 'indicators', message: '绩效指标应为列表' });
  for (const [key, value] of Object.entries(p)) {
    const why = typeof value === 'string' ? textLengthProblem(key, key, value) : null;
    if (why) out.push({ field: key, message: why });
  }
  return out;
}

export function incomeProblems(income: IncomeLine[], unitCodes: ReadonlySet<string>): ValidationProblem[] {
  const out: ValidationProblem[] = [];
  income.forEach((i, n) => {
    const field = `income[${n}]`;
    if (!unitCodes.has(i.unit)) out.push({ field, message: `收入第 ${n + 1} 条：单位“${i.unit}”不存在` });
    if (!isFundCode(i.fund)) out.push({ field, message: `收入第 ${n + 1} 条：资金来源“${String(i.fund)}”无效` });
    if (typeof i.amount !== 'bigint' || i.amount < 0n) out.push({ field, message: `收入第 ${n + 1} 条：金额无效或为负数` });
  });
  return out;
}

export function procurementProblems(procurement: Procurement[], projectCodes: ReadonlySet<string>): ValidationProblem[] {
  const out: ValidationProblem[] = [];
  procurement.forEach((p, n) => {
    const field = `procurement[${n}]`;
    if (p.project !== null && !projectCodes.has(p.project)) out.push({ field, message: `政府采购第 ${n + 1} 条：项目“${p.project}”不存在` });
    if (!['goods', 'works', 'services'].includes(p.category)) out.push({ field, message: `政府采购第 ${n + 1} 条：采购类别“${String(p.category)}”无效` });
    if (typeof p.amount !== 'bigint' || p.amount < 0n) out.push({ field, message: `政府采购第 ${n + 1} 条：金额无效或为负数` });
  });
  return out;
}

/** The structural checks of a whole budget (the same as reading an exchange file; audit rules excluded). */
export function budgetProblems(b: Budget, book: CodeBook): ValidationProblem[] {
  const out: ValidationProblem[] = [];
  if (!Number.isInteger(b.fiscalYear) || b.fiscalYear < MIN_FISCAL_YEAR || b.fiscalYear > MAX_FISCAL_YEAR) out.push({ field: 'fiscalYear', message: `预算年度“${b.fiscalYear}”无效` });
  if (!isAmountUnit(b.amountUnit)) out.push({ field: 'amountUnit', message: `金额单位“${String(b.amountUnit)}”无效` });
  if (!b.department?.code?.trim() || !b.department?.name?.trim()) out.push({ field: 'department', message: '部门编码和名称不能为空' });
  const unitCodes = new Set<string>();
  b.units.forEach((u, i) => {
    if (unitCodes.has(u.code)) out.push({ field: `units[${i}].code`, message: `单位编码“${u.code}”重复` });
    unitCodes.add(u.code);
    if (!UNIT_KINDS.includes(u.kind)) out.push({ field: `units[${i}].kind`, message: `单位类型“${String(u.kind)}”无效` });
    if (!u.code?.trim() || !u.name?.trim()) out.push({ field: `units[${i}]`, message: '单位编码和名称不能为空' });
  });
  const projectCodes = new Set<string>();
  b.projects.forEach((p, i) => {
    if (projectCodes.has(p.code)) out.push({ field: `projects[${i}].code`, message: `项目编码“${p.code}”重复` });
    projectCodes.add(p.code);
    for (const x of projectProblems(p, { book, unitCodes })) out.push({ field: `projects[${i}].${x.field}`, message: `项目“${p.code}”：${x.message}` });
  });
  b.lines.forEach((l, i) => {
    for (const x of lineProblems(l, { book, unitCodes, projectCodes })) {
      out.push({ field: `lines[${i}].${x.field}`, message: `第 ${i + 1} 条预算行：${x.message}` });
    }
  });
  out.push(...incomeProblems(b.income, unitCodes), ...procurementProblems(b.procurement, projectCodes));
  return out;
}
