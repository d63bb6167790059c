// Hard rules that need only the budget and its code book: references, amounts and the identities that the
// line items themselves must satisfy.
import { FUNCTIONAL_BUDGET_LABELS } from '../codelists.js';
import { economicCodeProblem, functionalCodeProblem } from '../validate.js';
import { FUNDS, fundBudget, type FundCode } from '../funds.js';
import { UNIT_KIND_LABELS, fundBalances, fundFamilyLabel } from '../model.js';
import type { Fen } from '../money.js';
import type { AuditRule, FindingDraft } from './types.js';

const FUND_ORDER = new Map<string, number>(FUNDS.map((f, i) => [f.code, i]));

export const incomeBalancePerFund: AuditRule = {
  id: 'income.balance-per-fund',
  severity: 'hard',
  description:
    '各资金来源的支出不能超过其收入预算（含上年结转、使用非财政拨款结余）；收入多于支出的部分为结转下年（未编收入预算时收入即等于支出）。',
  reads: 'sums',
  check(ctx) {
    const { budget } = ctx;
    // Without an income budget, income per source is defined as expenditure per source: nothing to compare.
    if (budget.income.length === 0) return [];
    const out: FindingDraft[] = [];
    for (const family of fundBalances(budget, ctx.crossCheckSums().byFund).values()) {
      // Income not spent this year is carried to next year (结转下年): only spending beyond what the family's
      // income and carry-over allow is a fault.
      if (family.carryOut >= 0n) continue;
      const funds = [...family.funds.entries()]
        .filter(([, f]) => f.spending > f.income)
        .sort(([a], [b]) => (FUND_ORDER.get(a) ?? 999) - (FUND_ORDER.get(b) ?? 999));
      for (const [fund, f] of funds) {
        const carry = family.funds.size > 1 ? `；“${fundFamilyLabel(family.family)}”合计收入 ${ctx.money(family.income)}，支出 ${ctx.money(family.spending)}` : '';
        out.push({
          place: { table: 'T01', row: fund, field: 'fund' },
          message: `资金来源“${ctx.fund(fund)}”收入预算 ${ctx.money(f.income)}，支出预算 ${ctx.money(f.spending)}，支出超过收入及上年结转（收入减支出 ${ctx.difference(f.income - f.spending)}${carry}）`,
        });
      }
    }
    return out;
  },
};

export const amountsNonNegative: AuditRule = {
  id: 'amount.non-negative',
  severity: 'hard',
  description: '所有金额（支出明细、收入预算、项目金额、政府采购）不能为负数。',
  line(ctx, line) {
    return line.amount < 0n ? [{ place: { line: line.id, field: 'amount' }, message: `${ctx.lineLabel(line)}金额为负数` }] : [];
  },
  check(ctx) {
    const out: FindingDraft[] = [];
    ctx.budget.income.forEach((i, index) => {
      if (i.amount < 0n) {
        out.push({
          place: { table: 'T02', row: i.unit, field: 'income' },
          message: `第 ${index + 1} 条收入预算（单位 ${i.unit}，${ctx.fund(i.fund)}）金额 ${ctx.money(i.amount)} 为负数`,
        });
      }
    });
    const projectAmounts = [
      ['yearAmount', '项目本年度金额'],
      ['totalAmount', '项目总金额'],
      ['priorTotalAmount', '上年度项目总金额'],
      ['priorYearAmount', '项目上年度金额'],
    ] as const;
    for (const p of ctx.budget.projects) {
      for (const [field, label] of projectAmounts) {
        const v = p[field];
        if (v !== undefined && v < 0n) {
          out.push({ place: { project: p.code, field }, message: `${ctx.projectLabel(p)}的${label} ${ctx.money(v)} 为负数` });
        }
      }
    }
    ctx.budget.procurement.forEach((p, index) => {
      if (p.amount < 0n) {
        out.push({ place: { project: p.project ?? undefined, field: 'procurement' }, message: `第 ${index + 1} 条政府采购预算金额 ${ctx.money(p.amount)} 为负数` });
      }
    });
    return out.map(stripUndefined);
  },
};

export const lineUnitExists: AuditRule = {
  id: 'line.unit-exists',
  severity: 'hard',
  description: '每条支出明细和收入预算所属的单位必须在本部门的单位列表中。',
  line(ctx, line) {
    if (ctx.unitByCode.has(line.unit)) return [];
    return [{ place: { line: line.id, field: 'unit' }, message: `${ctx.lineLabel(line)}所属单位“${line.unit}”不在本部门的单位列表中` }];
  },
  check(ctx) {
    const out: FindingDraft[] = [];
    ctx.budget.income.forEach((i, index) => {
      if (!ctx.unitByCode.has(i.unit)) {
        out.push({ place: { table: 'T02', row: i.unit, field: 'unit' }, message: `第 ${index + 1} 条收入预算所属单位“${i.unit}”不在本部门的单位列表中` });
      }
    });
    return out;
  },
};

export const projectUnitExists: AuditRule = {
  id: 'project.unit-exists',
  severity: 'hard',
  description: '每个项目的所属单位必须在本部门的单位列表中。',
  check(ctx) {
    return ctx.budget.projects
      .filter((p) => !ctx.unitByCode.has(p.unit))
      .map((p) => ({ place: { project: p.code, field: 'unit' }, message: `${ctx.projectLabel(p)}所属单位“${p.unit}”不在本部门的单位列表中` }));
  },
};

export const lineFundBudget: AuditRule = {
  id: 'line.fund-budget',
  severity: 'hard',
  description:
    '支出明细的资金来源必须属于其功能分类科目所在的预算：政府性基金预算科目由政府性基金安排，国有资本经营预算科目由国有资本经营预算安排，一般公共预算资金只安排一般公共预算科目。',
  line(ctx, line) {
    const entry = ctx.book.functional.get(line.functional);
    // A code that is not a 项 of the year's list is reported by line.functional-code.
    if (!entry || entry.level !== '项') return [];
    const codeBudget = ctx.book.functional.budgetOf(line.functional);
    const paidFrom = fundBudget(line.fund);
    // The unit's own funds (事业收入 …) pay only for 一般公共预算 科目.
    if (paidFrom === null ? codeBudget === 'gpb' : paidFrom === codeBudget) return [];
    const from = paidFrom === null ? '单位资金' : FUNCTIONAL_BUDGET_LABELS[paidFrom];
    return [
      {
        place: { line: line.id, field: 'fund' },
        message: `${ctx.lineLabel(line)}：功能分类“${line.functional} ${entry.name}”属于${FUNCTIONAL_BUDGET_LABELS[codeBudget]}，资金来源“${ctx.fund(line.fund)}”却属于${from}`,
      },
    ];
  },
  check: () => [],
};

export const lineFunctionalCode: AuditRule = {
  id: 'line.functional-code',
  severity: 'hard',
  description: '支出明细的功能分类必须是当年支出功能分类科目表中的项级科目。',
  line(ctx, line) {
    const why = functionalCodeProblem(line.functional, ctx.book.functional, ctx.book.year);
    return why ? [{ place: { line: line.id, field: 'functional' }, message: `${ctx.lineLabel(line)}：${why}` }] : [];
  },
  check: () => [],
};

export const lineEconomicCode: AuditRule = {
  id: 'line.economic-code',
  severity: 'hard',
  description: '支出明细的经济分类必须是当年部门预算支出经济分类科目表中的款级科目。',
  line(ctx, line) {
    const why = economicCodeProblem(line.economic, ctx.book.economic, ctx.book.year);
    return why ? [{ place: { line: line.id, field: 'economic' }, message: `${ctx.lineLabel(line)}：${why}` }] : [];
  },
  check: () => [],
};

export const lineProjectExists: AuditRule = {
  id: 'line.project-exists',
  severity: 'hard',
  description: '项目支出明细必须指明一个已有项目，且与该项目属于同一单位。',
  line(ctx, line) {
    if (line.kind !== 'project') return [];
    if (line.project === null || line.project === '') {
      return [{ place: { line: line.id, field: 'project' }, message: `${ctx.lineLabel(line)}是项目支出，但未指明所属项目` }];
    }
    const project = ctx.projectByCode.get(line.project);
    if (!project) {
      return [{ place: { line: line.id, project: line.project, field: 'project' }, message: `${ctx.lineLabel(line)}所属项目“${line.project}”不存在` }];
    }
    if (project.unit !== line.unit) {
      return [
        {
          place: { line: line.id, project: project.code, field: 'unit' },
          message: `${ctx.lineLabel(line)}属于单位“${line.unit}”，但其项目 ${project.code}“${project.name}”属于单位“${project.unit}”`,
        },
      ];
    }
    return [];
  },
  check: () => [],
};

export const basicLineWithoutProject: AuditRule = {
  id: 'line.basic-without-project',
  severity: 'hard',
  description: '基本支出明细不能指定项目。',
  line(ctx, line) {
    if (line.kind !== 'basic' || line.project === null) return [];
    return [
      {
        place: { line: line.id, project: line.project, field: 'project' },
        message: `${ctx.lineLabel(line)}是基本支出，却指定了项目“${line.project}”；基本支出不属于任何项目`,
      },
    ];
  },
  check: () => [],
};

export const projectYearAmountEqualsLines: AuditRule = {
  id: 'project.year-amount-lines',
  severity: 'hard',
  description: '每个项目的本年度金额等于其全部支出明细之和。',
  reads: 'sums',
  check(ctx) {
    const out: FindingDraft[] = [];
    const byProject = ctx.crossCheckSums().byProject;
    for (const p of ctx.budget.projects) {
      const { amount: sum, lines } = byProject.get(p.code) ?? { amount: 0n, lines: 0 };
      if (sum === p.yearAmount) continue;
      out.push({
        place: { project: p.code, field: 'yearAmount' },
        message:
          lines === 0
            ? `${ctx.projectLabel(p)}本年度金额 ${ctx.money(p.yearAmount)}，但没有任何支出明细`
            : `${ctx.projectLabel(p)}本年度金额 ${ctx.money(p.yearAmount)}，与其 ${lines} 条支出明细之和 ${ctx.money(sum)} 不相等（差额 ${ctx.difference(p.yearAmount - sum)}）`,
      });
    }
    return out;
  },
};

export const projectSpendingEqualsProjects: AuditRule = {
  id: 'budget.project-spending',
  severity: 'hard',
  description: '项目支出合计等于各项目本年度金额之和。',
  reads: 'sums',
  check(ctx) {
    const spending = ctx.split().project;
    let projects = 0n;
    for (const p of ctx.budget.projects) projects += p.yearAmount;
    if (spending === projects) return [];
    return [
      {
        place: { table: 'T03', field: 'project' },
        message: `项目支出明细合计 ${ctx.money(spending)}，各项目本年度金额之和 ${ctx.money(projects)}，两者不相等（差额 ${ctx.difference(spending - projects)}）`,
      },
    ];
  },
};

export const projectTotalBelowYear: AuditRule = {
  id: 'project.total-below-year',
  severity: 'hard',
  description: '项目总金额不能小于项目本年度金额。',
  check(ctx) {
    return ctx.budget.projects
      .filter((p) => p.totalAmount !== undefined && p.totalAmount < p.yearAmount)
      .map((p) => ({
        place: { table: 'T11', project: p.code, field: 'totalAmount' },
        message: `${ctx.projectLabel(p)}的项目总金额 ${ctx.money(p.totalAmount!)} 小于项目本年度金额 ${ctx.money(p.yearAmount)}`,
      }));
  },
};

/**
 * The mapping file cannot tell "this 款 has no counterpart for this unit kind" from "the counterpart is not
 * known": the shipped list leaves cells blank for both (see data/reference/SOURCES.md). A blank is therefore
 * soft — the user checks it against the year's official 对照表 — while a mapping to a government code that
 * the year's government list does not have is hard: T06 would print a class that does not exist.
 */
export const lineGovernmentMappingInvalid: AuditRule = {
  id: 'line.government-mapping-invalid',
  severity: 'hard',
  description: '经济分类对应的政府预算支出经济分类科目必须存在于当年的政府经济分类科目表中。',
  line(ctx, line) {
    const unit = ctx.unitByCode.get(line.unit);
    if (!unit) return [];
    const government = ctx.book.mapping.government(line.economic, unit.kind);
    if (government === null || ctx.book.government.has(government)) return [];
    return [
      {
        place: { line: line.id, field: 'economic' },
        message: `${ctx.lineLabel(line)}：经济分类 ${line.economic} 对${UNIT_KIND_LABELS[unit.kind]}对应政府经济分类“${government}”，该科目不在 ${ctx.book.year} 年的政府预算支出经济分类科目表中`,
      },
    ];
  },
  check: () => [],
};

function stripUndefined(d: FindingDraft): FindingDraft {
  const place = Object.fromEntries(Object.entries(d.place).filter(([, v]) => v !== undefined));
  return { place, message: d.message };
}

export const BUDGET_HARD_RULES: readonly AuditRule[] = [
  incomeBalancePerFund,
  amountsNonNegative,
  lineUnitExists,
  projectUnitExists,
  lineFunctionalCode,
  lineEconomicCode,
  lineFundBudget,
  lineProjectExists,
  basicLineWithoutProject,
  projectYearAmountEqualsLines,
  projectSpendingEqualsProjects,
  projectTotalBelowYear,
  lineGovernmentMappingInvalid,
];
