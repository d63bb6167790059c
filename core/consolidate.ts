// 汇总: a department's budget as published — its own units (机关本级 and any unit it compiles itself) plus
// the budgets its subordinate units submitted (received packages). The tables of the result show one row
// per unit and the department's totals, because the table engine already works per unit.
//
// Rules, in the order they are applied:
// - A received budget of another fiscal year is refused (left out, with an error).
// - A received budget whose units differ from the units its package declared (manifest) is refused.
// - A unit code belongs to exactly one part. A received budget that brings a unit code the department's own
//   budget uses, or that another received budget also brings, is refused (all received claimants are left
//   out: which of them is right is for the user to settle, not for the order of receiving).
// - Project codes are unique per unit, not per department. The department's own projects keep their codes;
//   a received project whose code is used by another part is qualified as "<unit code>-<project code>" (its
//   lines and procurement follow), with a warning. Should even the qualified code be taken, the received
//   budget is refused.
// - Lines: the own budget's lines keep their ids (the UI can lead from a consolidated cell to the line to
//   edit); received lines are numbered after them, part by part.
// - Income: a budget without income lines has income equal to expenditure per unit and fund. When any part
//   states its income, the others' implicit income is written out the same way, so each part keeps its own
//   rule in the sum.
// - 上年数 (priorYear): each part's figure covers its own lines, so the department's is the sum, for each
//   figure that every part states; a figure some parts lack is left out, with a warning.
// - The department (code, name), amount unit and 整体绩效目标 (T10) are the own budget's.
import type { Budget, BudgetLine, IncomeLine, PriorYear, Procurement, Project } from './model.js';
import type { Fen } from './money.js';

export interface ReceivedPart {
  budget: Budget;
  /** The unit codes the package declared in its manifest, when known. */
  declaredUnits?: readonly string[];
  /** Identifies the part in problems and results (the received package's unit code). */
  source?: string;
  /** How messages name it, e.g. "074001 济源市行政服务中心"; defaults to the budget's department. */
  label?: string;
}

export type ConsolidationProblemCode =
  | 'fiscal-year'
  | 'undeclared-unit'
  | 'unit-clash'
  | 'project-clash'
  | 'project-qualified'
  | 'prior-year-incomplete'
  /** A stored package that no longer reads (reported by the caller that reads the packages). */
  | 'unreadable';

export interface ConsolidationProblem {
  severity: 'error' | 'warning';
  code: ConsolidationProblemCode;
  /** The received part concerned (its `source`); null for the department's own budget. */
  source: string | null;
  message: string;
}

export interface ConsolidatedPart {
  /** null for the department's own budget. */
  source: string | null;
  label: string;
  units: string[];
  /** Ids of the part's lines in the consolidated budget (inclusive range), or null when it has none. */
  lineIds: { first: number; last: number } | null;
}

export interface QualifiedProject {
  source: string;
  unit: string;
  from: string;
  to: string;
}

export interface ConsolidationResult {
  /** The department's budget with every accepted part merged in. */
  budget: Budget;
  /** Errors (a part left out) and warnings (a part merged with a change). */
  problems: ConsolidationProblem[];
  /** True when no part was refused. */
  ok: boolean;
  parts: ConsolidatedPart[];
  excluded: string[];
  qualifiedProjects: QualifiedProject[];
}

interface Part {
  /** Position in `received`; null for the own budget. */
  index: number | null;
  source: string | null;
  label: string;
  budget: Budget;
}

function sourceOf(r: ReceivedPart, index: number): string {
  return r.source ?? r.budget.department.code ?? `#${index + 1}`;
}

function labelOf(r: ReceivedPart): string {
  return r.label ?? `${r.budget.department.code} ${r.budget.department.name}`;
}

/** The qualified form of a received project's code (see the rules above). */
export function qualifiedProjectCode(unit: string, code: string): string {
  return `${unit}-${code}`;
}

/** First and last id of the lines; a loop, because spreading 100,000 ids into Math.min overflows the stack. */
function idRange(lines: readonly BudgetLine[]): { first: number; last: number } | null {
  if (lines.length === 0) return null;
  let first = Infinity;
  let last = -Infinity;
  for (const l of lines) {
    if (l.id < first) first = l.id;
    if (l.id > last) last = l.id;
  }
  return { first, last };
}

/** Income of a budget as the tables read it: the stated lines, or expenditure per unit and fund. */
function effectiveIncome(b: Budget): IncomeLine[] {
  if (b.income.length > 0) return b.income.map((i) => ({ ...i }));
  const sums = new Map<string, IncomeLine>();
  for (const l of b.lines) {
    const key = `${l.unit}\u0001${l.fund}`;
    const e = sums.get(key);
    if (e) e.amount += l.amount;
    else sums.set(key, { unit: l.unit, fund: l.fund, amount: l.amount });
  }
  return [...sums.values()];
}

type PriorScalar = 'total' | 'threePublic' | 'basic' | 'project' | 'generalPublicBudget' | 'governmentFund' | 'operatingCost';
type PriorMap = 'threePublicItems' | 'functional' | 'economic';

function sumPriorYear(parts: readonly Part[], problems: ConsolidationProblem[]): PriorYear | null {
  const fields: { key: PriorScalar; label: string }[] = [
    { key: 'total', label: '上年预算总额' },
    { key: 'threePublic', label: '上年“三公”经费' },
    { key: 'basic', label: '上年基本支出' },
    { key: 'project', label: '上年项目支出' },
    { key: 'generalPublicBudget', label: '上年一般公共预算支出' },
    { key: 'governmentFund', label: '上年政府性基金预算支出' },
    { key: 'operatingCost', label: '上年机关运行经费' },
  ];
  const maps: { key: PriorMap; label: string }[] = [
    { key: 'threePublicItems', label: '上年“三公”经费分项数' },
    { key: 'functional', label: '上年功能分类数' },
    { key: 'economic', label: '上年经济分类数' },
  ];
  const out: PriorYear = {};
  let any = false;
  const complete = (key: PriorScalar | PriorMap, label: string): boolean => {
    const stated = parts.filter((p) => p.budget.priorYear?.[key] !== undefined);
    if (stated.length === 0) return false;
    if (stated.length < parts.length) {
      const missing = parts.filter((p) => p.budget.priorYear?.[key] === undefined).map((p) => p.label);
      problems.push({
        severity: 'warning',
        code: 'prior-year-incomplete',
        source: null,
        message: `${missing.join('、')}没有填写${label}，汇总的${label}无法计算，已留空`,
      });
      return false;
    }
    return true;
  };
  for (const { key, label } of fields) {
    if (!complete(key, label)) continue;
    let total: Fen = 0n;
    for (const p of parts) total += p.budget.priorYear![key]!;
    out[key] = total;
    any = true;
  }
  for (const { key, label } of maps) {
    if (!complete(key, label)) continue;
    const sum: Record<string, Fen> = {};
    for (const p of parts) {
      for (const [code, amount] of Object.entries(p.budget.priorYear![key]! as Record<string, Fen>)) sum[code] = (sum[code] ?? 0n) + amount;
    }
    (out as Record<PriorMap, Record<string, Fen>>)[key] = sum;
    any = true;
  }
  return any ? out : null;
}

/**
 * Merges the department's own budget and the received unit budgets into one budget of the department.
 * Pure: the inputs are not changed. Refused parts are left out and named in `problems`.
 */
export function consolidate(own: Budget, received: readonly (Budget | ReceivedPart)[]): ConsolidationResult {
  const problems: ConsolidationProblem[] = [];
  const inputs: ReceivedPart[] = received.map((r) => ('budget' in r ? r : { budget: r }));
  const refused = new Set<number>();
  const refuse = (i: number, code: ConsolidationProblemCode, message: string) => {
    refused.add(i);
    problems.push({ severity: 'error', code, source: sourceOf(inputs[i]!, i), message });
  };

  inputs.forEach((r, i) => {
    const label = labelOf(r);
    if (r.budget.fiscalYear !== own.fiscalYear) {
      refuse(i, 'fiscal-year', `${label}的预算是 ${r.budget.fiscalYear} 年度的，本部门汇总的是 ${own.fiscalYear} 年度，未汇总`);
      return;
    }
    if (r.declaredUnits) {
      const declared = new Set(r.declaredUnits);
      const actual = new Set(r.budget.units.map((u) => u.code));
      const undeclared = [...actual].filter((c) => !declared.has(c));
      const absent = [...declared].filter((c) => !actual.has(c));
      if (undeclared.length || absent.length) {
        const parts: string[] = [];
        if (undeclared.length) parts.push(`预算中有清单未声明的单位 ${undeclared.join('、')}`);
        if (absent.length) parts.push(`清单声明的单位 ${absent.join('、')} 在预算中不存在`);
        refuse(i, 'undeclared-unit', `${label}的数据包与其清单不一致：${parts.join('；')}，未汇总`);
      }
    }
  });

  // Unit codes: the own budget's are fixed; a code claimed by two received parts excludes both.
  const ownUnits = new Set(own.units.map((u) => u.code));
  const claims = new Map<string, number[]>();
  inputs.forEach((r, i) => {
    if (refused.has(i)) return;
    for (const u of r.budget.units) claims.set(u.code, [...(claims.get(u.code) ?? []), i]);
  });
  const clash = new Map<number, string[]>();
  for (const [code, who] of claims) {
    if (ownUnits.has(code) || who.length > 1) for (const i of who) clash.set(i, [...(clash.get(i) ?? []), code]);
  }
  for (const [i, codes] of [...clash].sort((a, b) => a[0] - b[0])) {
    const detail = codes
      .map((code) => {
        const others = (claims.get(code) ?? []).filter((j) => j !== i).map((j) => labelOf(inputs[j]!));
        if (ownUnits.has(code)) others.unshift('本部门自身的预算');
        return `单位编码 ${code} 已被${others.join('、')}使用`;
      })
      .join('；');
    refuse(i, 'unit-clash', `${labelOf(inputs[i]!)}：${detail}，未汇总`);
  }

  // Project codes: own codes stay; received codes used by more than one part are qualified.
  const accepted = inputs.map((r, i) => ({ r, i })).filter(({ i }) => !refused.has(i));
  const users = new Map<string, number>();
  for (const p of own.projects) users.set(p.code, (users.get(p.code) ?? 0) + 1);
  for (const { r } of accepted) for (const p of r.budget.projects) users.set(p.code, (users.get(p.code) ?? 0) + 1);
  const qualifiedProjects: QualifiedProject[] = [];
  const renames = new Map<number, Map<string, string>>();
  const taken = new Set(own.projects.map((p) => p.code));
  for (const { r, i } of accepted) {
    const map = new Map<string, string>();
    for (const p of r.budget.projects) {
      if ((users.get(p.code) ?? 0) > 1) map.set(p.code, qualifiedProjectCode(p.unit, p.code));
    }
    const finalCodes = r.budget.projects.map((p) => map.get(p.code) ?? p.code);
    const conflict = finalCodes.filter((c) => taken.has(c));
    if (conflict.length) {
      refuse(i, 'project-clash', `${labelOf(r)}：项目编码 ${conflict.join('、')} 与本部门其他项目重复，加单位编码前缀后仍无法区分，未汇总`);
      continue;
    }
    for (const c of finalCodes) taken.add(c);
    renames.set(i, map);
    for (const [from, to] of map) {
      const unit = r.budget.projects.find((p) => p.code === from)!.unit;
      qualifiedProjects.push({ source: sourceOf(r, i), unit, from, to });
      problems.push({
        severity: 'warning',
        code: 'project-qualified',
        source: sourceOf(r, i),
        message: `${labelOf(r)}的项目编码“${from}”与本部门其他项目重复，汇总时改为“${to}”`,
      });
    }
  }

  const parts: Part[] = [{ index: null, source: null, label: `${own.department.code} ${own.department.name}（本部门）`, budget: own }];
  for (const { r, i } of accepted) if (!refused.has(i)) parts.push({ index: i, source: sourceOf(r, i), label: labelOf(r), budget: r.budget });
  const renameOf = (part: Part): Map<string, string> => (part.index === null ? new Map() : (renames.get(part.index) ?? new Map()));

  const lines: BudgetLine[] = own.lines.map((l) => ({ ...l }));
  let nextId = (idRange(own.lines)?.last ?? 0) + 1;
  const partInfo: ConsolidatedPart[] = [];
  const projects: Project[] = own.projects.map((p) => ({ ...p, indicators: p.indicators.map((x) => ({ ...x })) }));
  const procurement: Procurement[] = own.procurement.map((p) => ({ ...p }));
  const statesIncome = parts.some((p) => p.budget.income.length > 0);
  const income: IncomeLine[] = statesIncome ? effectiveIncome(own) : [];

  partInfo.push({
    source: null,
    label: parts[0]!.label,
    units: own.units.map((u) => u.code),
    lineIds: idRange(own.lines),
  });
  for (const part of parts.slice(1)) {
    const map = renameOf(part);
    const code = (c: string | null) => (c === null ? null : (map.get(c) ?? c));
    const first = nextId;
    for (const l of part.budget.lines) lines.push({ ...l, id: nextId++, project: code(l.project) });
    for (const p of part.budget.projects) projects.push({ ...p, code: code(p.code)!, indicators: p.indicators.map((x) => ({ ...x })) });
    for (const p of part.budget.procurement) procurement.push({ ...p, project: code(p.project) });
    if (statesIncome) income.push(...effectiveIncome(part.budget));
    partInfo.push({
      source: part.source,
      label: part.label,
      units: part.budget.units.map((u) => u.code),
      lineIds: nextId > first ? { first, last: nextId - 1 } : null,
    });
  }

  const budget: Budget = {
    fiscalYear: own.fiscalYear,
    amountUnit: own.amountUnit,
    department: { ...own.department },
    units: parts.flatMap((p) => p.budget.units.map((u) => ({ ...u }))),
    lines,
    income,
    projects,
    procurement,
    departmentPerformance: own.departmentPerformance,
    priorYear: parts.length === 1 ? own.priorYear : sumPriorYear(parts, problems),
  };
  const excluded = [...refused].sort((a, b) => a - b).map((i) => sourceOf(inputs[i]!, i));
  return {
    budget,
    problems,
    ok: !problems.some((p) => p.severity === 'error'),
    parts: partInfo,
    excluded,
    qualifiedProjects,
  };
}
