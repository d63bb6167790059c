// Times the table engine on a large made-up budget: building it from 100,000 lines, one incremental update
// (what the editor does on every committed keystroke), a full set of tables, and "lines behind a figure".
// Run: npx tsx scripts/bench-tables.ts [lines]
import { performance } from 'node:perf_hooks';
import { FUNDS } from '../core/funds.js';
import type { Budget, BudgetLine, Project } from '../core/model.js';
import { TableEngine } from '../core/tables/index.js';
import { defaultCodeBook } from '../db/defaults.js';

const LINES = Number.parseInt(process.argv[2] ?? '100000', 10);
const UPDATES = 2000;

// A fixed-seed generator (mulberry32, 32-bit integer arithmetic) so two runs time the same budget.
let seed = 20200619;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
}
function pick<T>(list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

const book = defaultCodeBook(2024);
const allFunctional = book.functional.entries().filter((e) => e.level === '项').map((e) => e.code);
const allEconomic = book.economic.entries().filter((e) => e.level === '款').map((e) => e.code);
const funds = FUNDS.map((f) => f.code);
const units = Array.from({ length: 40 }, (_, i) => ({
  code: `900${String(i + 1).padStart(3, '0')}`,
  name: `单位${i + 1}`,
  kind: i % 3 === 0 ? ('administrative' as const) : ('public-institution' as const),
}));
const projects: Project[] = Array.from({ length: 800 }, (_, i) => ({
  code: `P${i + 1}`,
  unit: units[i % units.length]!.code,
  name: `项目${i + 1}`,
  category: i % 2 === 0 ? 'general' : 'special',
  yearAmount: 0n,
  indicators: [],
}));

function ms(value: number): string {
  return `${value.toFixed(value < 1 ? 4 : 1)} ms`;
}

/** One scenario: lines drawn from the given 项 and 款. */
function run(title: string, functional: readonly string[], economic: readonly string[]): void {
  const randomLine = (id: number): BudgetLine => {
    const project = random() < 0.4 ? pick(projects) : null;
    return {
      id,
      unit: project ? project.unit : pick(units).code,
      functional: pick(functional),
      economic: pick(economic),
      kind: project ? 'project' : 'basic',
      project: project ? project.code : null,
      fund: random() < 0.7 ? 'gpb.appropriation' : pick(funds),
      amount: BigInt(Math.floor(random() * 100_000_000)),
    };
  };
  const budget: Budget = {
    fiscalYear: 2024,
    amountUnit: '万元',
    department: { code: '900', name: '基准测试部门' },
    units,
    lines: Array.from({ length: LINES }, (_, i) => randomLine(i + 1)),
    income: [],
    projects,
    procurement: [],
    departmentPerformance: null,
    priorYear: null,
  };

  let t = performance.now();
  const engine = new TableEngine(budget, book);
  const build = performance.now() - t;

  // Updates as the editor sends them: mostly a new amount, sometimes a new 项 or 款 (which may add or remove rows).
  const current = new Map(budget.lines.map((l) => [l.id, l]));
  let cells = 0;
  t = performance.now();
  for (let i = 0; i < UPDATES; i++) {
    const id = 1 + Math.floor(random() * LINES);
    const before = current.get(id)!;
    const r = random();
    const after: BudgetLine =
      r < 0.7 ? { ...before, amount: BigInt(Math.floor(random() * 100_000_000)) } : r < 0.85 ? { ...before, functional: pick(functional) } : { ...before, economic: pick(economic) };
    cells += engine.apply({ before, after }).length;
    current.set(id, after);
  }
  const update = (performance.now() - t) / UPDATES;

  const moved = engine.linesBehind('T11', projects[0]!.code, 'yearAmount').length;
  t = performance.now();
  const category = engine.updateProject({ ...projects[0]!, category: 'special' });
  const categoryMove = performance.now() - t;

  t = performance.now();
  const tables = engine.tables();
  const snapshot = performance.now() - t;

  t = performance.now();
  const behind = engine.linesBehind('T03', 'total', 'wages');
  const linesBehind = performance.now() - t;

  t = performance.now();
  engine.functionalSubtotals();
  const subtotals = performance.now() - t;

  console.log(`\n${title}`);
  console.log(`  lines                                  ${LINES.toLocaleString('en')}`);
  console.log(`  build engine                           ${ms(build)}`);
  console.log(`  one incremental update (mean of ${UPDATES})  ${ms(update)}  (${(cells / UPDATES).toFixed(1)} changed cells on average)`);
  console.log(`  project category change                ${ms(categoryMove)}  (${moved} lines moved, ${category.length} changed cells)`);
  console.log(`  all eleven tables (snapshot)           ${ms(snapshot)}  (${tables.reduce((n, x) => n + x.rows.length, 0)} rows)`);
  console.log(`  lines behind T03 合计 工资福利支出     ${ms(linesBehind)}  (${behind.length} lines)`);
  console.log(`  functional subtotals                   ${ms(subtotals)}`);
}

// A department's lines sit on a few dozen 项 and 款; spreading them over the whole code list is the worst case
// (nearly every line its own 项 row in T02/T03/T05).
run('typical: 60 项, 40 款', allFunctional.filter((_, i) => i % 19 === 0).slice(0, 60), allEconomic.slice(0, 40));
run('worst case: every 项 and 款 of the code list', allFunctional, allEconomic);
