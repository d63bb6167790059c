// Soft rules: things a reviewer asks about. The user may keep the figure and write a 说明.
import Decimal from 'decimal.js';
import { dimensionOfLevel2 } from '../indicators.js';
import { UNIT_KIND_LABELS } from '../model.js';
import { isIsoDate } from '../validate.js';
import { targetWarnings, type TargetWarningCode } from '../targets.js';
import type { AuditContext, IndicatorAt } from './context.js';
import type { AuditRule, FindingDraft, FindingPlace } from './types.js';

function percent(part: Decimal): string {
  return part.times(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2) + '%';
}

export const lineGovernmentMappingUnknown: AuditRule = {
  id: 'line.government-mapping-unknown',
  severity: 'soft',
  description: '经济分类对该单位类型的政府预算支出经济分类对应关系未知，请对照当年的对照表核对。',
  line(ctx, line) {
    const unit = ctx.unitByCode.get(line.unit);
    if (!unit || !ctx.book.economic.has(line.economic)) return [];
    if (ctx.book.mapping.government(line.economic, unit.kind) !== null) return [];
    return [
      {
        place: { line: line.id, field: 'economic' },
        message: `${ctx.lineLabel(line)}：经济分类 ${line.economic} ${ctx.book.economic.name(line.economic)}对${UNIT_KIND_LABELS[unit.kind]}没有已知的政府预算支出经济分类对应科目，部门支出经济分类汇总表将无法列示其政府经济分类；请导入当年的对照表或核对科目`,
      },
    ];
  },
  check: () => [],
};

export const largeChangeAgainstPriorYear: AuditRule = {
  id: 'budget.large-change',
  severity: 'soft',
  description: '本年预算总额较上年变动幅度超过设定比例（默认 30%）时，需说明原因。',
  reads: 'sums',
  check(ctx) {
    const prior = ctx.budget.priorYear?.total;
    if (prior === undefined || prior === 0n) return [];
    const total = ctx.crossCheckSums().total;
    const change = new Decimal((total - prior).toString()).dividedBy(prior.toString());
    if (change.abs().lte(ctx.settings.largeChangeRatio)) return [];
    const direction = total > prior ? '增加' : '减少';
    return [
      {
        place: { table: 'T01' },
        message: `本年预算总额 ${ctx.money(total)}，较上年 ${ctx.money(prior)} ${direction} ${ctx.money(total > prior ? total - prior : prior - total)}（${percent(change.abs())}），变动超过 ${percent(new Decimal(ctx.settings.largeChangeRatio))}，请说明原因`,
      },
    ];
  },
};

export const threePublicIncrease: AuditRule = {
  id: 'three-public.increase',
  severity: 'soft',
  description: '一般公共预算“三公”经费较上年增加时，需说明原因。',
  reads: 'sums',
  check(ctx) {
    const prior = ctx.budget.priorYear?.threePublic;
    if (prior === undefined) return [];
    const current = ctx.crossCheckSums().threePublicGpb;
    if (current <= prior) return [];
    return [
      {
        place: { table: 'T08' },
        message: `一般公共预算“三公”经费 ${ctx.money(current)}，较上年 ${ctx.money(prior)} 增加 ${ctx.money(current - prior)}，请说明原因`,
      },
    ];
  },
};

function indicatorPlace(at: IndicatorAt): FindingPlace {
  return at.project
    ? { table: 'T11', project: at.project.code, indicator: at.index, field: 'target' }
    : { table: 'T10', indicator: at.index, field: 'target' };
}

function tableName(at: IndicatorAt): string {
  return at.project ? `${at.project.code}“${at.project.name}”` : '部门整体绩效目标表';
}

/** The tables whose every target carries the same number (a filled-in placeholder, "88100" in every cell). */
function uniformTables(ctx: AuditContext): Map<string, { number: string; count: number; project: IndicatorAt['project'] }> {
  const byTable = new Map<string, IndicatorAt[]>();
  for (const at of ctx.indicators()) {
    const key = at.project?.code ?? '';
    const list = byTable.get(key) ?? [];
    list.push(at);
    byTable.set(key, list);
  }
  const out = new Map<string, { number: string; count: number; project: IndicatorAt['project'] }>();
  for (const [key, list] of byTable) {
    if (list.length < ctx.settings.placeholderMinIndicators) continue;
    const first = list[0]!.reading;
    if (first.kind !== 'quantitative' || first.number === null) continue;
    if (list.every((at) => at.reading.kind === 'quantitative' && at.reading.number === first.number)) {
      out.set(key, { number: first.number, count: list.length, project: list[0]!.project });
    }
  }
  return out;
}

export const indicatorTargetPlaceholder: AuditRule = {
  id: 'indicator.target-placeholder',
  severity: 'soft',
  description: '目标值不能是占位内容：空白、“无”、“/”、单独一个数字（如 88100），或整张表每个目标值都是同一个数字。',
  check(ctx) {
    const out: FindingDraft[] = [];
    const uniform = uniformTables(ctx);
    for (const [key, u] of uniform) {
      out.push({
        place: u.project ? { table: 'T11', project: key, field: 'target' } : { table: 'T10', field: 'target' },
        message: `${u.project ? `项目 ${u.project.code}“${u.project.name}”` : '部门整体绩效目标表'}的全部 ${u.count} 个目标值都是同一个数字 ${u.number}，疑似占位内容，请逐项填写实际目标值`,
      });
    }
    for (const at of ctx.indicators()) {
      if (uniform.has(at.project?.code ?? '')) continue;
      const context = { level1: at.indicator.level1, level2: at.indicator.level2, name: at.indicator.name };
      for (const w of targetWarnings(at.reading, context)) {
        if (w.code !== 'placeholder') continue;
        out.push({ place: indicatorPlace(at), message: `${tableName(at)}：${w.message}` });
      }
    }
    return out;
  },
};

function targetWarningRule(id: string, code: TargetWarningCode, description: string): AuditRule {
  return {
    id,
    severity: 'soft',
    description,
    check(ctx) {
      const out: FindingDraft[] = [];
      for (const at of ctx.indicators()) {
        const context = { level1: at.indicator.level1, level2: at.indicator.level2, name: at.indicator.name };
        for (const w of targetWarnings(at.reading, context)) {
          if (w.code === code) out.push({ place: indicatorPlace(at), message: `${tableName(at)}：${w.message}` });
        }
      }
      return out;
    },
  };
}

export const indicatorTargetMissingUnit = targetWarningRule(
  'indicator.target-missing-unit',
  'missing-unit',
  '定量目标值应写明计量单位（如 %、次、套）。',
);
export const indicatorTargetImplicitComparator = targetWarningRule(
  'indicator.target-implicit-comparator',
  'implicit-comparator',
  '定量目标值应写明比较符（=、≥、≤、>、<）。',
);
export const indicatorTargetText = targetWarningRule(
  'indicator.target-text',
  'text-target',
  '目标值应为“比较符+数值+单位”或定性值，不应是一段文字。',
);
export const indicatorTargetRateOver100 = targetWarningRule(
  'indicator.target-rate-over-100',
  'rate-over-100',
  '比率类目标值不应要求达到 100% 以上（≥100% 实为 =100%）。',
);
export const indicatorTargetPercentOnCount = targetWarningRule(
  'indicator.target-percent-on-count',
  'percent-on-count',
  '数量指标的目标值应是数量和单位，不应是百分比。',
);
export const indicatorTargetResultGrade = targetWarningRule(
  'indicator.target-result-grade',
  'result-grade',
  '“未达成”是评价结果等级，不能作为目标值。',
);

const OUTPUT_DIMENSIONS = new Set(['数量', '质量', '时效', '产出']);

function isOutputIndicator(at: IndicatorAt): boolean {
  if (at.indicator.level1.includes('产出')) return true;
  const d = dimensionOfLevel2(at.indicator.level2);
  return d !== null && OUTPUT_DIMENSIONS.has(d);
}

export const projectQuantitativeOutput: AuditRule = {
  id: 'project.no-quantitative-output',
  severity: 'soft',
  description: '每个项目至少应有一个定量的产出指标（数量、质量或时效）。',
  check(ctx) {
    const out: FindingDraft[] = [];
    const byProject = new Map<string, IndicatorAt[]>();
    for (const at of ctx.indicators()) {
      if (!at.project) continue;
      const list = byProject.get(at.project.code) ?? [];
      list.push(at);
      byProject.set(at.project.code, list);
    }
    for (const p of ctx.budget.projects) {
      const list = byProject.get(p.code) ?? [];
      // A project without any indicator is reported by project.missing-fields.
      if (list.length === 0) continue;
      if (list.some((at) => isOutputIndicator(at) && at.reading.kind === 'quantitative')) continue;
      out.push({
        place: { table: 'T11', project: p.code, field: 'indicators' },
        message: `${ctx.projectLabel(p)}没有定量的产出指标：产出指标至少应有一项写成“比较符+数值+单位”（如 ≥20次、=100%）`,
      });
    }
    return out;
  },
};

export const projectDates: AuditRule = {
  id: 'project.dates',
  severity: 'soft',
  description: '项目开始时间不晚于结束时间，且项目期间覆盖本预算年度。',
  check(ctx) {
    const out: FindingDraft[] = [];
    const year = ctx.budget.fiscalYear;
    const yearStart = `${year}-01-01`;
    const yearEnd = `${year}-12-31`;
    for (const p of ctx.budget.projects) {
      const label = ctx.projectLabel(p);
      const bad = [
        ['start', '开始时间', p.start],
        ['end', '结束时间', p.end],
      ].filter(([, , v]) => v !== undefined && v !== '' && !isIsoDate(v!));
      for (const [field, what, v] of bad) {
        out.push({ place: { table: 'T11', project: p.code, field: field! }, message: `${label}的${what}“${v}”不是有效日期（应为 YYYY-MM-DD）` });
      }
      if (bad.length > 0) continue;
      const { start, end } = p;
      // ISO dates compare correctly as strings.
      if (start && end && start > end) {
        out.push({ place: { table: 'T11', project: p.code, field: 'end' }, message: `${label}的开始时间 ${start} 晚于结束时间 ${end}` });
        continue;
      }
      if (end && end < yearStart) {
        out.push({ place: { table: 'T11', project: p.code, field: 'end' }, message: `${label}的结束时间 ${end} 早于 ${year} 年度开始，却安排了 ${year} 年预算` });
      } else if (start && start > yearEnd) {
        out.push({ place: { table: 'T11', project: p.code, field: 'start' }, message: `${label}的开始时间 ${start} 晚于 ${year} 年度结束，却安排了 ${year} 年预算` });
      }
    }
    return out;
  },
};

function isBlank(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

export const projectMissingFields: AuditRule = {
  id: 'project.missing-fields',
  severity: 'soft',
  description: '二上报送前，项目支出绩效目标表的必填内容（项目名称、负责人、总目标、年度目标、绩效指标等）应填写完整。',
  check(ctx) {
    const out: FindingDraft[] = [];
    for (const p of ctx.budget.projects) {
      const missing = ctx.settings.requiredProjectFields.filter((f) => isBlank(p[f.field]));
      if (missing.length === 0) continue;
      out.push({
        place: { table: 'T11', project: p.code, field: missing[0]!.field },
        message: `项目 ${p.code}“${p.name || '（未命名）'}”尚未填写：${missing.map((f) => f.label).join('、')}（二上报送时必须填写）`,
      });
    }
    return out;
  },
};

export const SOFT_RULES: readonly AuditRule[] = [
  lineGovernmentMappingUnknown,
  largeChangeAgainstPriorYear,
  threePublicIncrease,
  indicatorTargetPlaceholder,
  indicatorTargetMissingUnit,
  indicatorTargetImplicitComparator,
  indicatorTargetText,
  indicatorTargetRateOver100,
  indicatorTargetPercentOnCount,
  indicatorTargetResultGrade,
  projectQuantitativeOutput,
  projectDates,
  projectMissingFields,
];
