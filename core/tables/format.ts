// A publication format (公开表格式) as data: which tables a budget publishes, their title block, header tree,
// rows and, for every row and amount column, which lines feed it. The shipped formats live in data/formats/;
// a user may load another from a file. Every file is checked completely with zod and the rules below before
// it is used, and every problem is reported with its JSON path, in Chinese.
//
// Text may hold placeholders filled per budget: {year} 预算年度, {priorYear} 上一年度, {department} 部门名称,
// {unit} 金额单位 (万元 / 元). The schema is documented in the README (“公开表格式”).
import { z } from 'zod';
import type { CodeBook } from '../codelists.js';
import { FUNDS } from '../funds.js';
import type { AmountUnit } from '../money.js';
import { UNIT_KINDS, type UnitKind } from '../model.js';
import type { Problem } from '../problems.js';
import type { ColumnSpec, DefinitionContext, FixedRowSpec, RowsSpec, TableDefinition } from './definitions.js';
import type { LinePredicate } from './predicates.js';
import type { RowKind } from './report.js';
import { PRIOR_SOURCES, type PriorSource } from './prior-columns.js';
import { chineseOrdinal, functionalClassLabel, yearLabels } from './years.js';
import { identityTables, parseIdentity } from '../audit/expression.js';
import { identityRuleProblems } from '../audit/identities.js';
import { BUILTIN_RULE_IDS } from '../audit/rule-set.js';

export const PUBLICATION_FORMAT_VERSION = 'budget-publication-format/1';

const FUND_CODES = FUNDS.map((f) => f.code) as [string, ...string[]];
const FUND_GROUPS = [...new Set(FUNDS.map((f) => f.group))] as [string, ...string[]];
const ROW_KINDS = ['total', 'subtotal', 'unit', 'class', 'section', 'item', 'fixed', 'project'] as const satisfies readonly RowKind[];
const PLACEHOLDERS = new Set(['year', 'priorYear', 'department', 'unit']);

const key = z.string().min(1).max(80);
const label = z.string().max(200);
const code = z.string().regex(/^\d{3}(\d{2}){0,2}$/);

const predicate: z.ZodType<LinePredicate> = z.lazy(() =>
  z.union([
    z.object({ always: z.literal(true) }).strict(),
    z.object({ all: z.array(predicate).min(1) }).strict(),
    z.object({ any: z.array(predicate).min(1) }).strict(),
    z.object({ not: predicate }).strict(),
    z.object({ kind: z.enum(['basic', 'project']) }).strict(),
    z.object({ fund: z.array(z.enum(FUND_CODES)).min(1) }).strict(),
    z.object({ fundGroup: z.array(z.enum(FUND_GROUPS)).min(1) }).strict(),
    z.object({ economic: z.array(code).min(1) }).strict(),
    z.object({ economicClass: z.array(code).min(1) }).strict(),
    z.object({ functionalClass: z.array(code).min(1) }).strict(),
    z.object({ category: z.enum(['general', 'special']) }).strict(),
    z.object({ unitKind: z.array(z.enum(UNIT_KINDS as [UnitKind, ...UnitKind[]])).min(1) }).strict(),
  ]),
) as z.ZodType<LinePredicate>;

interface ColumnInput {
  key: string;
  label: string;
  side?: 'income' | 'expenditure' | undefined;
  feed?: LinePredicate | undefined;
  /** A 上年 column: last year's figure (prior-columns.ts) instead of lines. */
  prior?: PriorSource | undefined;
  children?: ColumnInput[] | undefined;
}

const column: z.ZodType<ColumnInput> = z.lazy(() =>
  z
    .object({
      key,
      label,
      side: z.enum(['income', 'expenditure']).optional(),
      feed: predicate.optional(),
      prior: z.enum(PRIOR_SOURCES).optional(),
      children: z.array(column).min(1).optional(),
    })
    .strict(),
);

const fixedRow = z
  .object({
    key,
    label,
    code: z.string().max(80).optional(),
    level: z.number().int().min(0).max(9).optional(),
    kind: z.enum(ROW_KINDS),
    group: label.optional(),
    labels: z.record(key, label).optional(),
    stream: z.enum(['income', 'expenditure', 'balance']).optional(),
    feed: predicate,
    /**
     * Two-sided tables: the row's place counted from the bottom (1 = the last printed row, 收入合计 ‖ 支出合计),
     * so that rows of both sides line up (本年收入合计 ‖ 本年支出合计) however long the lists above them are.
     */
    tail: z.number().int().min(1).max(20).optional(),
  })
  .strict();
type FixedRowInput = z.infer<typeof fixedRow>;

/**
 * Rows made from the year's code list: every functional 类 (T04's expenditure side), printed even when empty.
 * `numbering`: "一、一般公共服务支出" by the code less 200 (济源, the default), "（一）一般公共服务支出" by place in the
 * list (national N4, under 一、本年支出), or the name alone. `level`: their depth (2 indents them under a row).
 */
const generatedRows = z
  .object({
    generate: z.enum(['functional-classes']),
    numbering: z.enum(['code', 'bracketed', 'none']).optional(),
    level: z.number().int().min(1).max(9).optional(),
  })
  .strict();
type GeneratedRowsInput = z.infer<typeof generatedRows>;

const amountFormat = z.object({ decimals: z.number().int().min(0).max(6), thousands: z.boolean(), blankZero: z.boolean() }).strict();

const rows = z.discriminatedUnion('type', [
  z.object({ type: z.literal('fixed'), rows: z.array(fixedRow).min(1) }).strict(),
  z.object({ type: z.literal('two-sided'), income: z.array(fixedRow).min(1), expenditure: z.array(z.union([fixedRow, generatedRows])).min(1) }).strict(),
  z.object({ type: z.literal('unit-functional') }).strict(),
  z.object({ type: z.literal('economic'), codeStyle: z.enum(['full', 'short']), totalLabelColumn: key }).strict(),
  z.object({ type: z.literal('projects') }).strict(),
  z.object({ type: z.literal('functional-tree') }).strict(),
  z.object({ type: z.literal('economic-tree') }).strict(),
]);

const table = z
  .object({
    id: z.string().regex(/^[A-Z][A-Z0-9]{0,3}$/),
    title: label.min(1),
    caption: z.array(label).min(1).max(6),
    layout: z.enum(['list', 'two-sided', 'form', 'projects']),
    labelColumns: z.array(column),
    columns: z.array(column).min(1),
    numberRow: z.boolean(),
    /** How figures print, per amount unit: decimals, thousands separator, zero as an empty cell. */
    printFormat: z.object({ 万元: amountFormat, 元: amountFormat }).strict(),
    filter: predicate,
    rows,
    note: z.string().max(4000).optional(),
  })
  .strict();
type TableInput = z.infer<typeof table>;

/** A 审核 rule of identities between the format's table cells (core/audit/expression.ts), shipped with it. */
export const identityRuleSchema = z
  .object({
    id: z.string().min(1).max(64),
    level: z.enum(['hard', 'soft', 'off']),
    description: z.string().min(1).max(500),
    expressions: z
      .array(z.object({ expression: z.string().min(1).max(2000), because: z.string().min(1).max(200).optional() }).strict())
      .min(1)
      .max(100),
  })
  .strict();

const formatSchema = z
  .object({
    format: z.literal(PUBLICATION_FORMAT_VERSION),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/),
    name: z.string().min(1).max(100),
    description: z.string().max(2000).optional(),
    tables: z.array(table).min(1).max(40),
    identities: z.array(identityRuleSchema).max(200).optional(),
  })
  .strict();

export type PublicationFormat = z.infer<typeof formatSchema>;

export type ParseFormatResult = { ok: true; format: PublicationFormat } | { ok: false; problems: Problem[] };

function pathOf(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return out;
}

const TYPE_NAMES: Record<string, string> = {
  string: '文字',
  number: '数字',
  boolean: 'true 或 false',
  array: '数组',
  object: '对象',
};

/** A zod issue in Chinese. */
function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? '缺少此项' : `应为${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `应为 ${JSON.stringify(issue.values[0])}`
        : `不是可用的值（可用：${issue.values.map((v) => String(v)).join('、')}）`;
    case 'unrecognized_keys':
      return `未知的字段：${issue.keys.join('、')}`;
    case 'too_small':
      return issue.origin === 'array' ? `至少应有 ${String(issue.minimum)} 项` : issue.origin === 'string' ? '不能为空' : `不能小于 ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array' ? `最多 ${String(issue.maximum)} 项` : issue.origin === 'string' ? `太长（最多 ${String(issue.maximum)} 个字符）` : `不能大于 ${String(issue.maximum)}`;
    case 'invalid_format':
      return '格式不对（编号、代码只能用规定的字母和数字）';
    case 'invalid_union':
      return '不是可用的写法（行来源条件见 README“公开表格式”）';
    default:
      return '不是可用的值';
  }
}

/** Every leaf of a header tree. */
function leaves(columns: readonly ColumnInput[]): ColumnInput[] {
  return columns.flatMap((c) => (c.children?.length ? leaves(c.children) : [c]));
}

function allColumns(columns: readonly ColumnInput[]): ColumnInput[] {
  return columns.flatMap((c) => [c, ...(c.children ? allColumns(c.children) : [])]);
}

/** Table ids used twice. */
function duplicateIds(ids: readonly unknown[]): Problem[] {
  const out: Problem[] = [];
  const seen = new Map<string, number>();
  ids.forEach((id, ti) => {
    if (typeof id !== 'string') return;
    const first = seen.get(id);
    if (first !== undefined) out.push({ path: `$.tables[${ti}].id`, message: `表编号 ${id} 与第 ${first + 1} 张表重复` });
    else seen.set(id, ti);
  });
  return out;
}

/** Checks one table beyond its shape: unique keys, what its layout needs, known placeholders. */
function tableProblems(t: TableInput, ti: number): Problem[] {
  const out: Problem[] = [];
  {
    const at = (rest: string) => `$.tables[${ti}]${rest}`;
    const keys = new Map<string, string>();
    const checkKeys = (cs: readonly ColumnInput[], base: string) => {
      cs.forEach((c, i) => {
        const p = `${base}[${i}]`;
        const prior = keys.get(c.key);
        if (prior) out.push({ path: at(`${p}.key`), message: `列键 “${c.key}” 重复（已用于 ${prior}）` });
        else keys.set(c.key, at(p));
        if (c.children) checkKeys(c.children, `${p}.children`);
      });
    };
    checkKeys(t.labelColumns, '.labelColumns');
    checkKeys(t.columns, '.columns');
    const labelKeys = new Set(leaves(t.labelColumns).map((c) => c.key));

    // Amount columns are fed by lines, except the projects table's, which hold the projects' own amounts.
    const projectFields = new Set(['totalAmount', 'yearAmount', 'priorTotalAmount', 'priorYearAmount']);
    const walkFeeds = (cs: readonly ColumnInput[], base: string) => {
      cs.forEach((c, i) => {
        const p = `${base}[${i}]`;
        if (c.children?.length) {
          if (c.feed) out.push({ path: at(`${p}.feed`), message: '有下级的表头格不取数，feed 只能写在最下一级的列上' });
          if (c.prior) out.push({ path: at(`${p}.prior`), message: '有下级的表头格不取数，prior 只能写在最下一级的列上' });
          walkFeeds(c.children, `${p}.children`);
        } else if (t.layout === 'projects') {
          if (!projectFields.has(c.key)) out.push({ path: at(`${p}.key`), message: `项目表的金额列只能是 ${[...projectFields].join('、')}` });
        } else if (c.prior) {
          if (c.feed) out.push({ path: at(`${p}.feed`), message: `上年列 “${c.label || c.key}” 取上年数（prior），不能再写 feed` });
          if (t.layout === 'two-sided') out.push({ path: at(`${p}.prior`), message: '收支两栏的表不能有上年列（prior）' });
        } else if (!c.feed) out.push({ path: at(`${p}.feed`), message: `金额列 “${c.label || c.key}” 缺少 feed（哪些预算行计入此列；上年列写 prior）` });
      });
    };
    walkFeeds(t.columns, '.columns');

    const rowKeys = new Set<string>();
    const checkRow = (r: FixedRowInput, p: string) => {
      if (rowKeys.has(r.key)) out.push({ path: at(`${p}.key`), message: `行键 “${r.key}” 重复` });
      rowKeys.add(r.key);
      for (const k of Object.keys(r.labels ?? {})) {
        if (!labelKeys.has(k)) out.push({ path: at(`${p}.labels.${k}`), message: `没有键为 “${k}” 的文字列` });
      }
    };
    const r = t.rows;
    if (r.type === 'fixed') r.rows.forEach((row, i) => checkRow(row, `.rows.rows[${i}]`));
    if (r.type === 'two-sided') {
      if (t.layout !== 'two-sided') out.push({ path: at('.layout'), message: '收支两栏的行（two-sided）要求 layout 为 two-sided' });
      for (const side of ['income', 'expenditure'] as const) {
        if (t.columns.filter((c) => c.side === side && c.children?.length).length !== 1) {
          out.push({ path: at('.columns'), message: `收支两栏的表应有一个 side 为 “${side}” 且有下级列的表头格` });
        }
      }
      r.income.forEach((row, i) => checkRow(row, `.rows.income[${i}]`));
      r.expenditure.forEach((row, i) => {
        if (!('generate' in row)) checkRow(row, `.rows.expenditure[${i}]`);
      });
      for (const [name, list] of [
        ['income', r.income],
        ['expenditure', r.expenditure],
      ] as const) {
        const seen = new Set<number>();
        list.forEach((x, i) => {
          if ('generate' in x || x.tail === undefined) return;
          if (seen.has(x.tail)) out.push({ path: at(`.rows.${name}[${i}].tail`), message: `同一栏有两行的 tail 都是 ${x.tail}` });
          seen.add(x.tail);
        });
      }
    } else if (t.layout === 'two-sided') out.push({ path: at('.rows.type'), message: 'layout 为 two-sided 的表，rows.type 应为 two-sided' });
    if (r.type === 'economic' && !labelKeys.has(r.totalLabelColumn)) {
      out.push({ path: at('.rows.totalLabelColumn'), message: `没有键为 “${r.totalLabelColumn}” 的文字列` });
    }
    if (r.type === 'projects' && t.layout !== 'projects') out.push({ path: at('.layout'), message: '项目行（projects）要求 layout 为 projects' });
    if (t.layout === 'projects' && r.type !== 'projects') out.push({ path: at('.rows.type'), message: 'layout 为 projects 的表，rows.type 应为 projects' });

    // Placeholders in every text.
    const texts: [string, string][] = [
      ['.title', t.title],
      ...t.caption.map((c, i): [string, string] => [`.caption[${i}]`, c]),
      ...allColumns([...t.labelColumns, ...t.columns]).map((c): [string, string] => [`（列 ${c.key}）.label`, c.label]),
    ];
    if (r.type === 'fixed') r.rows.forEach((row, i) => texts.push([`.rows.rows[${i}].label`, row.label]));
    for (const [p, text] of texts) {
      for (const m of text.matchAll(/\{([^}]*)\}/g)) {
        if (!PLACEHOLDERS.has(m[1]!)) out.push({ path: at(p), message: `未知的占位符 {${m[1]}}（可用：{year}、{priorYear}、{department}、{unit}）` });
      }
    }
  }
  return out;
}

/**
 * Checks a parsed JSON value as a publication format; every problem at once. The rules beyond the shape are
 * checked for every table whose shape is right, also when others are not, so one pass lists everything.
 */
export function parsePublicationFormat(value: unknown): ParseFormatResult {
  const parsed = formatSchema.safeParse(value);
  const problems: Problem[] = [];
  const rawTables = typeof value === 'object' && value !== null && Array.isArray((value as { tables?: unknown }).tables) ? ((value as { tables: unknown[] }).tables) : [];
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => ({ path: pathOf(i.path), message: issueMessage(i) })));
  problems.push(...duplicateIds(rawTables.map((t) => (typeof t === 'object' && t !== null ? (t as { id?: unknown }).id : undefined))));
  rawTables.forEach((raw, ti) => {
    const t = table.safeParse(raw);
    if (t.success) problems.push(...tableProblems(t.data, ti));
  });
  const rawIdentities = typeof value === 'object' && value !== null && Array.isArray((value as { identities?: unknown }).identities) ? (value as { identities: unknown[] }).identities : [];
  const tableIds = new Set(rawTables.map((t) => (typeof t === 'object' && t !== null ? (t as { id?: unknown }).id : undefined)));
  problems.push(...identitiesProblems(rawIdentities, '$.identities', tableIds));
  problems.sort((a, b) => comparePaths(a.path, b.path));
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, format: parsed.data };
}

/**
 * Checks data rules beyond their shape: ids (unique, not a built-in rule's), expressions that read, and (when
 * `tableIds` is given) tables the expressions name that exist.
 */
export function identitiesProblems(raw: readonly unknown[], path: string, tableIds: ReadonlySet<unknown> | null): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  raw.forEach((item, i) => {
    const r = identityRuleSchema.safeParse(item);
    if (!r.success) return;
    const at = `${path}[${i}]`;
    out.push(...identityRuleProblems(r.data, at, BUILTIN_RULE_IDS));
    if (seen.has(r.data.id)) out.push({ path: `${at}.id`, message: `规则编号“${r.data.id}”重复` });
    seen.add(r.data.id);
    if (!tableIds) return;
    r.data.expressions.forEach((e, j) => {
      const parsed = parseIdentity(e.expression);
      if (!parsed.ok) return;
      const missing = identityTables(parsed.identity).filter((t) => !tableIds.has(t));
      if (missing.length) out.push({ path: `${at}.expressions[${j}].expression`, message: `格式中没有表 ${missing.join('、')}` });
    });
  });
  return out;
}

/** Orders problems by where they are: tables in order, then as the path reads. */
function comparePaths(a: string, b: string): number {
  const index = (p: string) => Number(/^\$\.tables\[(\d+)\]/.exec(p)?.[1] ?? -1);
  return index(a) - index(b) || (a < b ? -1 : a > b ? 1 : 0);
}

// --- from a format to the engine's definitions ------------------------------------------------------------

function fill(text: string, ctx: DefinitionContext): string {
  return text.replace(/\{(year|priorYear|department|unit)\}/g, (_, k: string) =>
    k === 'year' ? String(ctx.year) : k === 'priorYear' ? String(ctx.year - 1) : k === 'department' ? ctx.departmentName : ctx.amountUnit,
  );
}

function toColumn(c: ColumnInput, ctx: DefinitionContext): ColumnSpec {
  const out: ColumnSpec = { key: c.key, label: fill(c.label, ctx) };
  if (c.side) out.side = c.side;
  if (c.feed) out.feed = c.feed;
  if (c.prior) out.prior = c.prior;
  if (c.children?.length) out.children = c.children.map((k) => toColumn(k, ctx));
  return out;
}

function toRow(r: FixedRowInput, ctx: DefinitionContext): FixedRowSpec {
  const out: FixedRowSpec = { key: r.key, label: fill(r.label, ctx), kind: r.kind, feed: r.feed };
  if (r.code !== undefined) out.code = r.code;
  if (r.level !== undefined) out.level = r.level;
  if (r.group !== undefined) out.group = fill(r.group, ctx);
  if (r.labels) out.labels = Object.fromEntries(Object.entries(r.labels).map(([k, v]) => [k, fill(v, ctx)]));
  if (r.stream) out.stream = r.stream;
  return out;
}

/** Every functional 类 of the year's list, printed even when empty (济源 T04, national N1 and N4). */
function functionalClassRows(book: CodeBook, year: number, spec: GeneratedRowsInput): FixedRowSpec[] {
  return book.functional.children(null).map((entry, i) => {
    const name = yearLabels(year).functionalClassNames?.[entry.code] ?? entry.name;
    const numbering = spec.numbering ?? 'code';
    const label =
      numbering === 'code' ? functionalClassLabel(entry.code, entry.name, year) : numbering === 'bracketed' ? `（${chineseOrdinal(i + 1)}）${name}` : name;
    return {
      key: `expenditure:${entry.code}`,
      code: entry.code,
      label,
      level: spec.level ?? 1,
      kind: 'class',
      feed: { functionalClass: [entry.code] },
    };
  });
}

function leafKeys(columns: readonly ColumnSpec[]): string[] {
  return columns.flatMap((c) => (c.children?.length ? leafKeys(c.children) : [c.key]));
}

/**
 * A two-sided table (收入 ‖ 支出): income rows on the left, expenditure rows on the right, row n of each side
 * sharing printed row n, and the `tail` rows lined up from the bottom (收入合计 ‖ 支出合计 on the last row).
 */
function twoSidedRows(t: TableInput & { rows: { type: 'two-sided' } }, columns: ColumnSpec[], labelColumns: ColumnSpec[], ctx: DefinitionContext): RowsSpec {
  const sideKeys = (side: 'income' | 'expenditure') => leafKeys(columns.find((c) => c.side === side)?.children ?? []);
  const expenditureLabel = leafKeys(labelColumns.filter((c) => c.side === 'expenditure'))[0] ?? 'expenditureItem';
  const income = t.rows.income.map((r) => ({ spec: toRow(r, ctx), tail: r.tail }));
  const expenditure = t.rows.expenditure.flatMap((r) =>
    'generate' in r ? functionalClassRows(ctx.book, ctx.year, r).map((spec) => ({ spec, tail: undefined })) : [{ spec: toRow(r, ctx), tail: r.tail }],
  );
  const top = (list: { tail: number | undefined }[]) => list.filter((x) => x.tail === undefined).length;
  const tails = Math.max(0, ...[...income, ...expenditure].map((x) => x.tail ?? 0));
  const above = Math.max(top(income), top(expenditure));
  const place = (list: { spec: FixedRowSpec; tail: number | undefined }[], side: 'income' | 'expenditure'): FixedRowSpec[] => {
    let n = 0;
    const keys = sideKeys(side);
    return list.map(({ spec, tail }) => {
      const row: FixedRowSpec = { ...spec, side, columns: keys, line: tail === undefined ? ++n : above + tails - tail + 1 };
      if (side === 'income') row.stream = spec.stream ?? 'income';
      else row.labels = spec.labels ?? { [expenditureLabel]: spec.label };
      return row;
    });
  };
  const all = [...place(income, 'income'), ...place(expenditure, 'expenditure')];
  // One list ordered by printed row, the income row before the expenditure row of the same line.
  all.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.side === 'income' ? -1 : 1));
  return { type: 'fixed', rows: all };
}

/** The engine's definitions of a format's tables for one budget (year, department, unit, code lists). */
export function formatDefinitions(format: PublicationFormat, ctx: DefinitionContext): TableDefinition[] {
  return format.tables.map((t) => {
    const labelColumns = t.labelColumns.map((c) => toColumn(c, ctx));
    const columns = t.columns.map((c) => toColumn(c, ctx));
    let rowsSpec: RowsSpec;
    const r = t.rows;
    if (r.type === 'two-sided') rowsSpec = twoSidedRows(t as TableInput & { rows: { type: 'two-sided' } }, columns, labelColumns, ctx);
    else if (r.type === 'fixed') rowsSpec = { type: 'fixed', rows: r.rows.map((x) => toRow(x, ctx)) };
    else rowsSpec = r;
    const def: TableDefinition = {
      id: t.id,
      title: fill(t.title, ctx),
      caption: t.caption.map((c) => fill(c, ctx)),
      layout: t.layout,
      labelColumns,
      columns,
      numberRow: t.numberRow,
      formats: { 万元: { ...t.printFormat.万元 }, 元: { ...t.printFormat.元 } } satisfies Record<AmountUnit, unknown>,
      filter: t.filter,
      rows: rowsSpec,
    };
    if (t.note) def.note = fill(t.note, ctx);
    return def;
  });
}
