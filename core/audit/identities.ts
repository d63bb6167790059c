// 审核 rules written as data: a rule of identities between table cells (core/audit/expression.ts), with an id,
// a level and a Chinese description. A publication format ships the identities of its tables this way, and the
// finance bureau's parameter package may add its own. Each broken identity is one finding, worded like the
// built-in table rules: "<where> 为 X，而 <because> 为 Y（差额 D）", placed on the identity's first cell.
import type { Fen } from '../money.js';
import type { ReportTable } from '../tables/report.js';
import type { AuditContext } from './context.js';
import { evaluateIdentity, parseIdentity, type CellSource, type Identity, type Term } from './expression.js';
import { columnLabel, mismatch, where } from './table-rules.js';
import type { AuditRule, FindingDraft, Severity } from './types.js';

export type RuleLevel = Severity | 'off';
export const RULE_LEVELS: readonly RuleLevel[] = ['hard', 'soft', 'off'];
export const RULE_LEVEL_LABELS: Record<RuleLevel, string> = { hard: '错误（必须修改）', soft: '提示（需说明）', off: '不审核' };

/** One identity of a data rule: the expression, and (optional) how its right side is named in a finding. */
export interface IdentityExpression {
  expression: string;
  /** Chinese: what the right side is, e.g. "财政性资金与其他资金之和"; default: the cells named one by one. */
  because?: string;
}

export interface IdentityRuleSpec {
  id: string;
  level: RuleLevel;
  description: string;
  expressions: IdentityExpression[];
}

export const IDENTITY_RULE_ID = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;

/** Every problem of a data rule (its id, description, each expression), with paths below `path`. */
export function identityRuleProblems(spec: IdentityRuleSpec, path: string, reservedIds: ReadonlySet<string>): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (!IDENTITY_RULE_ID.test(spec.id) || spec.id.length > 64) {
    out.push({ path: `${path}.id`, message: `规则编号“${spec.id}”无效：只能用小写字母、数字、“-”和“.”，如 henan.t10-sources` });
  } else if (reservedIds.has(spec.id)) out.push({ path: `${path}.id`, message: `规则编号“${spec.id}”已被内置审核规则使用，请另取一个编号` });
  if (!RULE_LEVELS.includes(spec.level)) out.push({ path: `${path}.level`, message: '级别应为 hard、soft 或 off' });
  if (spec.description.trim() === '') out.push({ path: `${path}.description`, message: '规则说明不能为空' });
  spec.expressions.forEach((e, i) => {
    const parsed = parseIdentity(e.expression);
    if (!parsed.ok) out.push({ path: `${path}.expressions[${i}].expression`, message: `表达式“${e.expression}”有误：${parsed.message}` });
  });
  if (spec.expressions.length === 0) out.push({ path: `${path}.expressions`, message: '至少应有一个表达式' });
  return out;
}

function source(ctx: AuditContext): CellSource {
  return {
    hasTable: (id) => ctx.table(id) !== undefined,
    cell: (id, row, column) => ctx.row(ctx.table(id), row)?.cells[column] ?? 0n,
    rowKeys: (id) => (ctx.table(id)?.rows ?? []).map((r) => r.key),
  };
}

function describeTerm(ctx: AuditContext, t: Term): string {
  const o = t.operand;
  if (o.kind === 'constant') return o.text;
  const table = ctx.table(o.table)!;
  if (o.kind === 'cell') {
    const row = ctx.row(table, o.row);
    return `${table.id}“${row?.label ?? o.row}”行“${columnLabel(table, o.column)}”列`;
  }
  return o.rows === '*' ? `${table.id} 各行“${columnLabel(table, o.column)}”列之和` : `${table.id} 中“${o.rows}”各行“${columnLabel(table, o.column)}”列之和`;
}

function describeSide(ctx: AuditContext, terms: readonly Term[]): string {
  return terms
    .map((t, i) => (i === 0 ? (t.sign === -1 ? `负 ${describeTerm(ctx, t)}` : describeTerm(ctx, t)) : `${t.sign === 1 ? '加' : '减'} ${describeTerm(ctx, t)}`))
    .join(' ');
}

const OP_TEXT: Record<Exclude<Identity['op'], '='>, string> = { '<=': '不大于', '>=': '不小于', '<': '小于', '>': '大于' };

function finding(ctx: AuditContext, identity: Identity, because: string | undefined, left: Fen, right: Fen): FindingDraft {
  const first = [...identity.left, ...identity.right].find((t) => t.operand.kind !== 'constant')!.operand as Exclude<Term['operand'], { kind: 'constant' }>;
  const table: ReportTable = ctx.table(first.table)!;
  const single = identity.left.length === 1 && identity.left[0]!.sign === 1 && identity.left[0]!.operand.kind === 'cell' ? identity.left[0]!.operand : null;
  const rightText = because ?? describeSide(ctx, identity.right);
  if (identity.op === '=' && single) return mismatch(ctx, table, single.row, single.column, left, right, `而${rightText}为`);
  const leftText = single ? where(ctx, table, single.row, single.column) : describeSide(ctx, identity.left);
  const place = single ? { table: table.id, row: single.row, field: single.column } : { table: table.id };
  const expectation = identity.op === '=' ? `，而${rightText}为` : `，应${OP_TEXT[identity.op]}${rightText}`;
  return { place, message: `${leftText}为 ${ctx.money(left)}${expectation} ${ctx.money(right)}（差额 ${ctx.difference(left - right)}）` };
}

/** The rule of a spec (null when it is switched off). Expressions that do not read are left out (checked on load). */
export function identityRule(spec: IdentityRuleSpec): AuditRule | null {
  if (spec.level === 'off') return null;
  const identities: { identity: Identity; because?: string }[] = [];
  for (const e of spec.expressions) {
    const parsed = parseIdentity(e.expression);
    if (parsed.ok) identities.push({ identity: parsed.identity, ...(e.because !== undefined ? { because: e.because } : {}) });
  }
  return {
    id: spec.id,
    severity: spec.level,
    description: spec.description,
    needsTables: true,
    check(ctx) {
      const out: FindingDraft[] = [];
      const cells = source(ctx);
      for (const { identity, because } of identities) {
        const result = evaluateIdentity(cells, identity);
        if (result && !result.holds) out.push(finding(ctx, identity, because, result.left, result.right));
      }
      return out;
    },
  };
}
