// Prints the figures the editor's speed targets are judged by, measured through the real API path
// (dispatch → BudgetSession → SQLite file → table engine), for budgets of 10,000 and 100,000 lines, and then
// the table engine on its own. Run: npm run bench [-- 10000 100000]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { dispatch } from '../api/dispatch.js';
import { createBudgetService } from '../api/service.js';

const sizes = process.argv.slice(2).map((s) => Number.parseInt(s, 10)).filter((n) => n > 0);
const SIZES = sizes.length ? sizes : [10_000, 100_000];
const EDITS = 200;

const fixture = JSON.parse(readFileSync(new URL('../tests/fixtures/jiyuan-2020/budget.json', import.meta.url), 'utf8')) as {
  lines: Record<string, unknown>[];
};

/** The seed budget with its lines repeated up to `n` lines (amounts unchanged strings: no float involved). */
function bigBudget(n: number): string {
  const lines = Array.from({ length: n }, (_, i) => ({ ...fixture.lines[i % fixture.lines.length]! }));
  return JSON.stringify({ ...fixture, lines });
}

async function call(session: ReturnType<typeof createBudgetService>, method: string, input: unknown): Promise<unknown> {
  const r = (await dispatch(session, method, input)) as { result?: unknown; error?: { message: string } };
  if (r.error) throw new Error(`${method}: ${r.error.message}`);
  return r.result;
}

function ms(v: number): string {
  return `${v.toFixed(v < 10 ? 2 : 0)} ms`;
}

for (const n of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), 'budget-bench-'));
  try {
    const session = createBudgetService({ dbPath: join(dir, 'bench.budget'), budgetsDir: dir });
    const text = bigBudget(n);
    let t = performance.now();
    await call(session, 'exchange.import', { text });
    const importTime = performance.now() - t;

    t = performance.now();
    const list = (await call(session, 'lines.list', {})) as { lines: { id: number; amount: string }[] };
    const listTime = performance.now() - t;
    const listBytes = JSON.stringify(list).length;

    const ids = list.lines.map((l) => l.id);
    const times: number[] = [];
    let replyBytes = 0;
    for (let i = 0; i < EDITS; i++) {
      const id = ids[(i * 7919) % ids.length]!;
      t = performance.now();
      const reply = await call(session, 'lines.update', { id, field: 'amount', value: `${(i % 97) + 1}.5` });
      times.push(performance.now() - t);
      replyBytes += JSON.stringify(reply).length;
    }
    times.sort((a, b) => a - b);

    t = performance.now();
    await call(session, 'edit.undo', {});
    const undoTime = performance.now() - t;

    t = performance.now();
    await call(session, 'reports.tables', {});
    const tablesTime = performance.now() - t;

    t = performance.now();
    await call(session, 'audit.run', {});
    const auditTime = performance.now() - t;

    console.log(`\nAPI path, ${n.toLocaleString('en')} lines`);
    console.log(`  import exchange file (parse, check, store, engine)  ${ms(importTime)}`);
    console.log(`  lines.list                                          ${ms(listTime)}  (${(listBytes / 1e6).toFixed(1)} MB)`);
    console.log(`  lines.update amount: median / p95 of ${EDITS}            ${ms(times[Math.floor(EDITS / 2)]!)} / ${ms(times[Math.floor(EDITS * 0.95)]!)}  (reply ${Math.round(replyBytes / EDITS)} bytes)`);
    console.log(`  edit.undo                                           ${ms(undoTime)}`);
    console.log(`  reports.tables (all eleven)                         ${ms(tablesTime)}`);
    console.log(`  audit.run                                           ${ms(auditTime)}`);
    session.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The table engine on its own, on made-up budgets spread over the code lists.
await import('./bench-tables.js');
