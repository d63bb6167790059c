// A deterministic, realistic department budget of any size, for `npm run bench` and for trying the app at a
// department's real size: units (行政/事业), projects with their 绩效目标表 (indicators, dates, amounts),
// three funds (一般公共预算 财政拨款, 纳入预算管理的行政事业性收费, 政府性基金), and lines spread over about
// 400 functional 项 and every economic 款 of the shipped code lists. Each project's 本年度金额 is the sum of its
// lines, so the budget passes the hard 审核 rules; soft findings occur as in real budgets.
//
// Command line: npx tsx scripts/realistic-budget.ts <lines> <out.json>   (then `npm run budget -- import …`)
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { serializeExchange } from '../core/exchange.js';
import type { FundCode } from '../core/funds.js';
import type { Budget, BudgetLine, Indicator, Project, Unit } from '../core/model.js';
import { defaultCodeBook } from '../db/defaults.js';

export const REALISTIC_YEAR = 2024;

/**
 * Units and projects for a budget of `lines` lines: one unit below 10,000 lines (a unit's own budget), else one
 * unit per 1,000 lines; one project per 50 lines.
 */
export function realisticShape(lines: number): { units: number; projects: number } {
  return { units: lines < 10_000 ? 1 : Math.round(lines / 1000), projects: Math.max(1, Math.round(lines / 50)) };
}

/** mulberry32: 32-bit integer arithmetic, the same sequence on every machine. */
function generator(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const INDICATORS: readonly Indicator[] = [
  { level1: '产出指标', level2: '数量指标', name: '完成任务数', target: '≥12项' },
  { level1: '产出指标', level2: '数量指标', name: '培训人次', target: '≥200人次' },
  { level1: '产出指标', level2: '质量指标', name: '验收合格率', target: '=100%' },
  { level1: '产出指标', level2: '时效指标', name: '按时完成率', target: '≥95%' },
  { level1: '成本指标', level2: '经济成本指标', name: '成本控制', target: '≤预算批复数' },
  { level1: '效益指标', level2: '社会效益指标', name: '服务水平', target: '明显提升' },
  { level1: '效益指标', level2: '可持续影响指标', name: '长效机制', target: '健全' },
  { level1: '满意度指标', level2: '服务对象满意度指标', name: '服务对象满意度', target: '≥90%' },
  // Written as real tables sometimes are: soft findings the 审核 asks about.
  { level1: '产出指标', level2: '数量指标', name: '设备数量', target: '20' },
  { level1: '产出指标', level2: '质量指标', name: '达标率', target: '≥100%' },
];

const FUND_MIX: readonly [FundCode, number][] = [
  ['gpb.appropriation', 0.8],
  ['gpb.admin-fees', 0.12],
  ['gfb.current', 0.08],
];

/** The budget as the domain model holds it. */
export function realisticBudget(lineCount: number, seed = 20240101): Budget {
  const random = generator(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const book = defaultCodeBook(REALISTIC_YEAR);
  const items = book.functional.entries().filter((e) => e.level === '项');
  // 一般公共预算 项 for the general funds; 政府性基金 lines go on the 政府性基金预算 项 (审核 line.fund-budget).
  const allFunctional = items.filter((e) => book.functional.budgetOf(e.code) === 'general').map((e) => e.code);
  const fundFunctional = items.filter((e) => book.functional.budgetOf(e.code) === 'fund').map((e) => e.code);
  const economic = book.economic.entries().filter((e) => e.level === '款').map((e) => e.code);
  // About 400 项 spread over the whole list, the way a department with many kinds of units uses it.
  const stride = Math.max(1, Math.floor(allFunctional.length / 400));
  const functional = allFunctional.filter((_, i) => i % stride === 0).slice(0, 400);
  const shape = realisticShape(lineCount);

  const units: Unit[] = Array.from({ length: shape.units }, (_, i) => ({
    code: `901${String(i + 1).padStart(3, '0')}`,
    name: `第${i + 1}单位${i % 4 === 0 ? '机关' : '中心'}`,
    kind: i % 4 === 0 ? 'administrative' : i % 4 === 1 ? 'civil-servant-managed' : 'public-institution',
  }));
  // Each unit books on its own ~100 项 of the department's 400 (T03 then has units × 100 item rows).
  const unitFunctional = units.map(() => {
    const start = Math.floor(random() * functional.length);
    const span = Math.min(functional.length, 100);
    return Array.from({ length: span }, (_, k) => functional[(start + k * 3) % functional.length]!);
  });
  const unitIndex = new Map(units.map((u, i) => [u.code, i]));

  const projects: Project[] = Array.from({ length: shape.projects }, (_, i) => {
    const unit = units[i % units.length]!;
    const n = 3 + Math.floor(random() * 6);
    const indicators = Array.from({ length: n }, (_, k) => ({ ...INDICATORS[(i + k * 3) % INDICATORS.length]! }));
    return {
      code: `${unit.code}-P${String(Math.floor(i / units.length) + 1).padStart(3, '0')}`,
      unit: unit.code,
      name: `${unit.name}专项业务项目${i + 1}`,
      category: i % 3 === 0 ? 'special' : 'general',
      functional: pick(unitFunctional[i % units.length]!),
      usage: '用于保障本单位重点业务工作开展',
      leader: '张主任',
      contact: '李会计',
      phone: '0391-6600000',
      start: `${REALISTIC_YEAR}-01-01`,
      end: `${REALISTIC_YEAR}-12-31`,
      yearAmount: 0n,
      overview: '本项目保障单位年度重点工作任务的实施。',
      basis: '依据本级政府年度工作安排设立。',
      necessity: '为完成年度重点任务所必需。',
      overallGoal: `完成${unit.name}年度重点工作任务`,
      annualGoal: '年度内按计划完成各项任务，服务对象满意度不低于90%',
      indicators,
    };
  });
  const projectsByUnit = units.map(() => [] as Project[]);
  for (const p of projects) projectsByUnit[unitIndex.get(p.unit)!]!.push(p);

  const lines: BudgetLine[] = [];
  for (let id = 1; id <= lineCount; id++) {
    const u = Math.floor(((id - 1) * units.length) / lineCount);
    const unit = units[u]!;
    const own = projectsByUnit[u]!;
    const project = own.length > 0 && random() < 0.45 ? pick(own) : null;
    let r = random();
    let fund: FundCode = FUND_MIX[0]![0];
    for (const [code, share] of FUND_MIX) {
      if (r < share) {
        fund = code;
        break;
      }
      r -= share;
    }
    // Amounts in whole 元 up to 50 万元, a few with 分.
    const yuan = BigInt(100 + Math.floor(random() * 500_000));
    const amount = yuan * 100n + (random() < 0.1 ? BigInt(Math.floor(random() * 100)) : 0n);
    lines.push({
      id,
      unit: unit.code,
      functional: fund === 'gfb.current' ? pick(fundFunctional) : project?.functional && random() < 0.7 ? project.functional : pick(unitFunctional[u]!),
      economic: pick(economic),
      kind: project ? 'project' : 'basic',
      project: project ? project.code : null,
      fund,
      amount,
    });
  }
  const byCode = new Map(projects.map((p) => [p.code, p]));
  for (const l of lines) if (l.project !== null) byCode.get(l.project)!.yearAmount += l.amount;
  for (const [i, p] of projects.entries()) p.totalAmount = p.yearAmount * BigInt(1 + (i % 3));
  let total = 0n;
  for (const l of lines) total += l.amount;

  return {
    fiscalYear: REALISTIC_YEAR,
    amountUnit: '万元',
    department: { code: '901', name: '基准测试市教育局' },
    units,
    lines,
    income: [],
    projects,
    procurement: [],
    departmentPerformance: {
      dutyGoal: '履行部门职责，保障各项事业发展。',
      tasks: [{ name: '重点工作', content: '完成年度重点工作任务' }],
      indicators: INDICATORS.slice(0, 6).map((x) => ({ ...x, note: '' })),
    },
    priorYear: { total: (total * 9n) / 10n, threePublic: 0n },
  };
}

/** The budget as an exchange file (what `budget import` and 导入交换文件 read). */
export function realisticExchange(lineCount: number, seed?: number): string {
  return serializeExchange(realisticBudget(lineCount, seed));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const n = Number.parseInt(process.argv[2] ?? '', 10);
  const out = process.argv[3];
  if (!(n > 0) || !out) {
    console.error('用法：npx tsx scripts/realistic-budget.ts <行数> <输出文件.json>');
    process.exit(2);
  }
  writeFileSync(out, realisticExchange(n));
  console.log(`已生成 ${n} 行的预算：${out}`);
}
