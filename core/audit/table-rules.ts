// Hard rules that compare the computed tables with each other and with the line items (docs/domain/TABLES.md "Cross-table
// facts"). Tables computed from one consistent budget satisfy them by construction; the rules are there for the
// tables that are not: a stale cache, a year's table definitions that lost a column, an engine defect, or tables
// read back from a file. Every comparison is exact, in 分.
import type { FundGroup } from '../funds.js';
import { THREE_PUBLIC } from '../model.js';
import type { Fen } from '../money.js';
import { leafColumns, type ReportTable } from '../tables/report.js';
import type { AuditContext } from './context.js';
import type { AuditRule, FindingDraft } from './types.js';

/** A missing generated row is an empty one: the engine prints a row only while lines are booked on it. */
function cell(ctx: AuditContext, table: ReportTable | undefined, key: string, column: string): Fen {
  return ctx.row(table, key)?.cells[column] ?? 0n;
}

export function columnLabel(table: ReportTable, key: string): string {
  const leaf = leafColumns(table.columns).find((c) => c.key === key);
  if (!leaf) return key;
  // 小计 alone says nothing: name its group (基本支出小计, 一般公共预算小计).
  if (leaf.label === '小计' || leaf.label.startsWith('其中')) {
    const parent = findParentLabel(table.columns, key);
    if (parent) return `${parent}${leaf.label}`;
  }
  return leaf.label;
}

function findParentLabel(columns: ReportTable['columns'], key: string, parent: string | null = null): string | null {
  for (const c of columns) {
    if (c.key === key) return parent;
    if (c.children) {
      const found = findParentLabel(c.children, key, c.label);
      if (found !== null) return found;
    }
  }
  return null;
}

/** "T05 一般公共预算支出情况表“合计”行“基本支出小计”列". */
export function where(ctx: AuditContext, table: ReportTable, rowKey: string, column: string): string {
  const r = ctx.row(table, rowKey);
  return `${table.id} ${table.title}“${r?.label ?? rowKey}”行“${columnLabel(table, column)}”列`;
}

/** Expenditure tables whose rows split 总计 into 基本支出 and 项目支出, and the fund group whose lines each counts. */
const SPLIT_TABLES: readonly { id: 'T03' | 'T05' | 'T09'; group?: FundGroup; lines: string }[] = [
  { id: 'T03', lines: '全部支出明细' },
  { id: 'T05', group: 'gpb', lines: '一般公共预算支出明细' },
  { id: 'T09', group: 'gfb', lines: '政府性基金支出明细' },
];
const SPLIT_TABLE_IDS: readonly string[] = SPLIT_TABLES.map((t) => t.id);

export function mismatch(ctx: AuditContext, table: ReportTable, rowKey: string, column: string, shown: Fen, expected: Fen, because: string): FindingDraft {
  return {
    place: { table: table.id, row: rowKey, field: column },
    message: `${where(ctx, table, rowKey, column)}为 ${ctx.money(shown)}，${because} ${ctx.money(expected)}（差额 ${ctx.difference(shown - expected)}）`,
  };
}

export const tablesBasicSplit: AuditRule = {
  id: 'tables.basic-split',
  severity: 'hard',
  description: '基本支出 = 工资福利支出 + 公用经费 + 对个人和家庭的补助，总计 = 基本支出 + 项目支出（T01、T03、T05、T09 各行），且与支出明细一致。',
  needsTables: true,
  rowTables: SPLIT_TABLE_IDS,
  row(ctx, t, r) {
    const out: FindingDraft[] = [];
    const cells = r.cells;
    const basic = cells.basic ?? 0n;
    const parts = (cells.wages ?? 0n) + (cells.public ?? 0n) + (cells.family ?? 0n);
    if (basic !== parts) out.push(mismatch(ctx, t, r.key, 'basic', basic, parts, '而工资福利支出、公用经费、对个人和家庭的补助之和为'));
    const total = cells.total ?? 0n;
    const sum = basic + (cells.project ?? 0n);
    if (total !== sum) out.push(mismatch(ctx, t, r.key, 'total', total, sum, '而基本支出与项目支出之和为'));
    return out;
  },
  check(ctx) {
    const out: FindingDraft[] = [];
    for (const spec of SPLIT_TABLES) {
      const t = ctx.table(spec.id);
      if (!t) continue;
      // The 合计 row against the lines themselves.
      const expected = ctx.split(spec.group);
      for (const k of ['basic', 'wages', 'public', 'family'] as const) {
        const shown = cell(ctx, t, 'total', k);
        if (shown !== expected[k]) out.push(mismatch(ctx, t, 'total', k, shown, expected[k], `而${spec.lines}中相应金额为`));
      }
    }
    const t01 = ctx.table('T01');
    if (t01) {
      for (const k of Object.keys(ctx.row(t01, 'expenditure:basic')?.cells ?? {})) {
        const basic = cell(ctx, t01, 'expenditure:basic', k);
        const parts = cell(ctx, t01, 'expenditure:wages', k) + cell(ctx, t01, 'expenditure:public', k) + cell(ctx, t01, 'expenditure:family', k);
        if (basic !== parts) out.push(mismatch(ctx, t01, 'expenditure:basic', k, basic, parts, '而工资福利支出、公用经费、对个人和家庭的补助支出之和为'));
        const total = cell(ctx, t01, 'expenditure:total', k);
        const sum = basic + cell(ctx, t01, 'expenditure:project', k);
        if (total !== sum) out.push(mismatch(ctx, t01, 'expenditure:total', k, total, sum, '而基本支出与项目支出之和为'));
      }
      const t03 = ctx.table('T03');
      for (const k of ['basic', 'wages', 'public', 'family'] as const) {
        const shown = cell(ctx, t01, `expenditure:${k}`, 'total');
        const expected = t03 ? cell(ctx, t03, 'total', k) : ctx.split()[k];
        if (shown !== expected) out.push(mismatch(ctx, t01, `expenditure:${k}`, 'total', shown, expected, t03 ? `而 T03 合计行相应金额为` : '而支出明细中相应金额为'));
      }
    }
    return out;
  },
};

export const tablesProjectSplit: AuditRule = {
  id: 'tables.project-split',
  severity: 'hard',
  description: '项目支出 = 一般性项目 + 专项资金（T01、T03、T05、T09 各行），与项目支出明细一致，T11 各项目金额与项目信息一致。',
  needsTables: true,
  rowTables: SPLIT_TABLE_IDS,
  row(ctx, t, r) {
    const project = r.cells.project ?? 0n;
    const parts = (r.cells.general ?? 0n) + (r.cells.special ?? 0n);
    return project === parts ? [] : [mismatch(ctx, t, r.key, 'project', project, parts, '而一般性项目与专项资金之和为')];
  },
  check(ctx) {
    const out: FindingDraft[] = [];
    // Against the lines: whether the projects' 本年度金额 add up to them is budget.project-spending's question.
    const fromLines = ctx.split();
    const t03 = ctx.table('T03');
    if (t03) {
      for (const k of ['project', 'general', 'special'] as const) {
        const shown = cell(ctx, t03, 'total', k);
        if (shown !== fromLines[k]) out.push(mismatch(ctx, t03, 'total', k, shown, fromLines[k], '而项目支出明细中相应金额为'));
      }
    }
    const t11 = ctx.table('T11');
    if (t11) {
      for (const p of ctx.budget.projects) {
        const r = ctx.row(t11, p.code);
        const shown = r?.cells.yearAmount;
        if (shown !== p.yearAmount) {
          out.push({
            place: { table: 'T11', row: p.code, project: p.code, field: 'yearAmount' },
            message: r
              ? `${where(ctx, t11, p.code, 'yearAmount')}为 ${ctx.money(shown ?? 0n)}，而${ctx.projectLabel(p)}的本年度金额为 ${ctx.money(p.yearAmount)}`
              : `T11 ${t11.title}缺少${ctx.projectLabel(p)}`,
          });
        }
      }
    }
    const t01 = ctx.table('T01');
    if (t01) {
      for (const k of ['project', 'general', 'special'] as const) {
        const shown = cell(ctx, t01, `expenditure:${k}`, 'total');
        const expected = t03 ? cell(ctx, t03, 'total', k) : fromLines[k];
        if (shown !== expected) out.push(mismatch(ctx, t01, `expenditure:${k}`, 'total', shown, expected, t03 ? '而 T03 合计行相应金额为' : '而项目支出明细中相应金额为'));
      }
    }
    return out;
  },
};

export const tablesGrandTotals: AuditRule = {
  id: 'tables.grand-totals',
  severity: 'hard',
  description: 'T01 支出合计、T02 合计、T03 合计、T06 合计相等，且等于全部支出明细之和。',
  needsTables: true,
  check(ctx) {
    const out: FindingDraft[] = [];
    const { total: all, byFund } = ctx.crossCheckSums();
    // T02 is an income table: drawing on 事业基金 to cover a gap (用事业单位基金弥补收支差额) is not income of the year.
    const cover = byFund.get('institution-fund.cover') ?? 0n;
    const checks: [string, string, Fen, string][] = [
      ['T01', 'expenditure:total', all, '全部支出明细之和为'],
      ['T02', 'total', all - cover, cover === 0n ? '全部支出明细之和为' : '全部支出明细（不含用事业单位基金弥补收支差额）之和为'],
      ['T03', 'total', all, '全部支出明细之和为'],
      ['T06', 'total', all, '全部支出明细之和为'],
    ];
    for (const [id, rowKey, expected, because] of checks) {
      const t = ctx.table(id);
      if (!t) continue;
      const shown = cell(ctx, t, rowKey, 'total');
      if (shown !== expected) out.push(mismatch(ctx, t, rowKey, 'total', shown, expected, `而${because}`));
    }
    return out;
  },
};

export const tablesGeneralPublicBudget: AuditRule = {
  id: 'tables.gpb-part',
  severity: 'hard',
  description: 'T05 与 T03 的一般公共预算部分一致，T07 合计等于 T05 基本支出，T02、T06 的一般公共预算小计等于 T05 总计。',
  needsTables: true,
  check(ctx) {
    const out: FindingDraft[] = [];
    const t05 = ctx.table('T05');
    const gpb = ctx.split('gpb');
    if (t05) {
      for (const k of ['total', 'project', 'general', 'special'] as const) {
        const shown = cell(ctx, t05, 'total', k);
        if (shown !== gpb[k]) out.push(mismatch(ctx, t05, 'total', k, shown, gpb[k], '而 T03 中一般公共预算资金相应金额为'));
      }
    }
    const t07 = ctx.table('T07');
    if (t07) {
      const pairs: [string, Fen, string][] = [
        ['total', gpb.basic, '一般公共预算基本支出'],
        ['class:301', gpb.wages, '一般公共预算基本支出中的工资福利支出'],
        ['class:303', gpb.family, '一般公共预算基本支出中的对个人和家庭的补助'],
      ];
      const fromT05 = t05 !== undefined;
      for (const [rowKey, fromLines, what] of pairs) {
        const column = rowKey === 'total' ? 'basic' : rowKey === 'class:301' ? 'wages' : 'family';
        const expected = fromT05 ? cell(ctx, t05, 'total', column) : fromLines;
        const shown = cell(ctx, t07, rowKey, 'total');
        if (shown !== expected) {
          out.push(mismatch(ctx, t07, rowKey, 'total', shown, expected, fromT05 ? `而 T05 合计行“${columnLabel(t05!, column)}”为` : `而${what}为`));
        }
      }
    }
    for (const id of ['T02', 'T06']) {
      const t = ctx.table(id);
      if (!t) continue;
      const shown = cell(ctx, t, 'total', 'gpb');
      const expected = t05 ? cell(ctx, t05, 'total', 'total') : gpb.total;
      if (shown !== expected) out.push(mismatch(ctx, t, 'total', 'gpb', shown, expected, t05 ? '而 T05 合计行总计为' : '而一般公共预算支出明细之和为'));
    }
    return out;
  },
};

export const tablesAppropriationByClass: AuditRule = {
  id: 'tables.t04-by-class',
  severity: 'hard',
  description: 'T04 各类支出等于 T05、T09 按功能分类前三位汇总的金额，合计等于 T03 中财政拨款资金的部分。',
  needsTables: true,
  check(ctx) {
    const t04 = ctx.table('T04');
    if (!t04) return [];
    const out: FindingDraft[] = [];
    const t03 = ctx.itemTotalsByClass(ctx.table('T03'));
    const t05 = ctx.itemTotalsByClass(ctx.table('T05'));
    const t09 = ctx.itemTotalsByClass(ctx.table('T09'));
    // Spending T03 counts but a 财政拨款 table does not (事业收入, 经营收入, 其他收入 …), by 类.
    const notAppropriation = ctx.crossCheckSums().nonAppropriationByClass;
    const classes = new Set<string>([...t03.keys(), ...t05.keys(), ...t09.keys()]);
    for (const r of t04.rows) if (r.side === 'expenditure' && r.kind === 'class' && r.code) classes.add(r.code);
    for (const cls of [...classes].sort()) {
      const key = `expenditure:${cls}`;
      const r = ctx.row(t04, key);
      const name = ctx.book.functional.name(cls);
      if (!r) {
        if ((t03.get(cls) ?? 0n) !== 0n || (t05.get(cls) ?? 0n) !== 0n || (t09.get(cls) ?? 0n) !== 0n) {
          out.push({ place: { table: 'T04', row: key }, message: `T04 ${t04.title}缺少功能分类 ${cls}${name ? ` ${name}` : ''} 一行，而该类有支出` });
        }
        continue;
      }
      const gpb = r.cells.gpb ?? 0n;
      const gfb = r.cells.gfb ?? 0n;
      if (gpb !== (t05.get(cls) ?? 0n)) out.push(mismatch(ctx, t04, key, 'gpb', gpb, t05.get(cls) ?? 0n, `而 T05 中 ${cls} 类各项之和为`));
      if (gfb !== (t09.get(cls) ?? 0n)) out.push(mismatch(ctx, t04, key, 'gfb', gfb, t09.get(cls) ?? 0n, `而 T09 中 ${cls} 类各项之和为`));
      const total = r.cells.total ?? 0n;
      const expected = (t03.get(cls) ?? 0n) - (notAppropriation.get(cls) ?? 0n);
      if (total !== expected) {
        const because = (notAppropriation.get(cls) ?? 0n) === 0n ? `而 T03 中 ${cls} 类各项之和为` : `而 T03 中 ${cls} 类各项之和扣除非财政拨款资金后为`;
        out.push(mismatch(ctx, t04, key, 'total', total, expected, because));
      }
      const parts = gpb + gfb + (r.cells['state-capital-budget'] ?? 0n);
      if (total === expected && total !== parts) out.push(mismatch(ctx, t04, key, 'total', total, parts, '而一般公共预算、政府性基金、国有资本经营预算之和为'));
    }
    return out;
  },
};

const THREE_PUBLIC_ROWS: readonly [string, readonly string[]][] = [
  ['abroad', [THREE_PUBLIC.abroad]],
  ['reception', [THREE_PUBLIC.reception]],
  ['vehicle', [THREE_PUBLIC.vehicleRunning, THREE_PUBLIC.vehiclePurchase]],
  ['vehicle-running', [THREE_PUBLIC.vehicleRunning]],
  ['vehicle-purchase', [THREE_PUBLIC.vehiclePurchase]],
  ['total', Object.values(THREE_PUBLIC)],
];

export const tablesThreePublic: AuditRule = {
  id: 'tables.three-public',
  severity: 'hard',
  description: 'T08“三公”经费共计及各项等于 T06 中 30212、30217、30231、31013 四款的一般公共预算金额。',
  needsTables: true,
  check(ctx) {
    const t08 = ctx.table('T08');
    const t06 = ctx.table('T06');
    if (!t08 || !t06) return [];
    const out: FindingDraft[] = [];
    const t06ByEconomic = new Map<string, Fen>();
    for (const r of t06.rows) {
      if (r.kind !== 'item' || !r.code) continue;
      t06ByEconomic.set(r.code, (t06ByEconomic.get(r.code) ?? 0n) + (r.cells.gpb ?? 0n));
    }
    for (const [key, codes] of THREE_PUBLIC_ROWS) {
      const expected = codes.reduce((s, c) => s + (t06ByEconomic.get(c) ?? 0n), 0n);
      const shown = cell(ctx, t08, key, 'total');
      if (shown !== expected) out.push(mismatch(ctx, t08, key, 'total', shown, expected, `而 T06 中 ${codes.join('、')} 的一般公共预算金额之和为`));
    }
    return out;
  },
};

export const tablesDepartmentBudgetBlock: AuditRule = {
  id: 'tables.t10-budget',
  severity: 'hard',
  description: 'T10 预算情况：财政性资金 + 其他资金 = 基本支出 + 项目支出 = 部门预算总额，且与 T03 合计一致。',
  needsTables: true,
  check(ctx) {
    const t10 = ctx.table('T10');
    if (!t10) return [];
    const out: FindingDraft[] = [];
    const v = (k: string) => cell(ctx, t10, k, 'amount');
    const total = v('total');
    if (v('fiscal') + v('other') !== total) out.push(mismatch(ctx, t10, 'total', 'amount', total, v('fiscal') + v('other'), '而财政性资金与其他资金之和为'));
    if (v('basic') + v('project') !== total) out.push(mismatch(ctx, t10, 'total', 'amount', total, v('basic') + v('project'), '而基本支出与项目支出之和为'));
    const t03 = ctx.table('T03');
    if (t03) {
      for (const [k, column] of [['total', 'total'], ['basic', 'basic'], ['project', 'project']] as const) {
        const expected = cell(ctx, t03, 'total', column);
        if (v(k) !== expected) out.push(mismatch(ctx, t10, k, 'amount', v(k), expected, `而 T03 合计行“${columnLabel(t03, column)}”为`));
      }
    }
    return out;
  },
};

export const TABLE_RULES: readonly AuditRule[] = [
  tablesBasicSplit,
  tablesProjectSplit,
  tablesGrandTotals,
  tablesGeneralPublicBudget,
  tablesAppropriationByClass,
  tablesThreePublic,
  tablesDepartmentBudgetBlock,
];
