// The incremental 审核 per edit with the built-in rules and with a parameter package's rule set (控制数 for every
// unit, last year's figures by 项 with every 项 changed by 10% — the worst case for item.large-change — and a rule
// written as data), at 100,000 lines. Run: npm run bench -- --params (or npx tsx scripts/bench-audit-params.ts).
import { IncrementalAudit } from '../core/audit/index.js';
import { auditConfig } from '../core/audit/rule-set.js';
import { TableEngine } from '../core/tables/index.js';
import { defaultCodeBook } from '../db/defaults.js';
import { realisticBudget, REALISTIC_YEAR } from './realistic-budget.js';

const size = Number(process.argv[2] ?? 100_000);
const budget = realisticBudget(size);
console.log(`\n审核 per edit at ${size} lines, built-in rules and a parameter package's rule set (300 edits):`);
const book = defaultCodeBook(REALISTIC_YEAR);
const functional = new Map<string, bigint>();
for (const l of budget.lines) functional.set(l.functional, (functional.get(l.functional) ?? 0n) + l.amount);
const ceilings = budget.units.flatMap((u) => [
  { unit: u.code, fundGroup: 'gpb' as const, kind: 'basic' as const, amount: 10n ** 12n },
  { unit: u.code, fundGroup: 'gpb' as const, kind: 'project' as const, amount: 10n ** 12n },
]);
const params = auditConfig({
  ceilings,
  packageIdentities: [{ id: 'data.t10', level: 'hard', description: 'x', expressions: [{ expression: 'T10.total.amount = T03.total.total' }, { expression: 'T03.total.project = sum(T11.*.yearAmount)' }] }],
});
const withPrior = { ...budget, priorYear: { functional: Object.fromEntries([...functional].map(([k, v]) => [k, (v * 9n) / 10n])) } };
for (const [name, b, config] of [['built-in rules', budget, auditConfig()], ['parameter package', withPrior, params]] as const) {
  const engine = new TableEngine({ ...b, lines: [...b.lines] }, book);
  const lines = new Map(b.lines.map((l) => [l.id, l]));
  let t = performance.now();
  const audit = new IncrementalAudit(b, book, () => lines.values(), () => engine.sharedTables(), config.rules, config.settings);
  audit.counts();
  const build = performance.now() - t;
  const times: number[] = [];
  const ids = [...lines.keys()];
  for (let i = 0; i < 300; i++) {
    const before = lines.get(ids[(i * 7919) % ids.length]!)!;
    const after = { ...before, amount: before.amount + 100n };
    const changed = engine.apply({ before, after });
    lines.set(after.id, after);
    t = performance.now();
    audit.applyLines([{ before, after }]);
    audit.rowsChanged(changed);
    audit.counts();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`  ${name}: first count ${build.toFixed(0)} ms; per edit p50 ${times[150]!.toFixed(2)} ms, p95 ${times[285]!.toFixed(2)} ms; counts ${JSON.stringify(audit.counts())}`);
}
