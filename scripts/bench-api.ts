// One size of `npm run bench`, in a process of its own (so its memory figure is its own): the API path as the
// hosts call it (dispatch → BudgetSession → SQLite file → table engine → 审核) on a realistic budget from
// scripts/realistic-budget.ts. Prints one JSON object on stdout.
// Run: npx tsx scripts/bench-api.ts <lines> <folder holding bench-<lines>.json and its budget file>
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { dispatch } from '../api/dispatch.js';
import { createBudgetService, type BudgetSession } from '../api/service.js';
import { API } from '../api/contract.js';
import { defaultCodeBook } from '../db/defaults.js';
import { REALISTIC_YEAR } from './realistic-budget.js';

const n = Number.parseInt(process.argv[2] ?? '', 10);
const dir = process.argv[3]!;
const EDITS = 600;
const ROOT = join(import.meta.dirname, '..');

async function call<T = unknown>(session: BudgetSession, method: string, input: unknown = {}): Promise<T> {
  const r = (await dispatch(session, method, input)) as { result?: T; error?: { message: string } };
  if (r.error) throw new Error(`${method}: ${r.error.message}`);
  return r.result as T;
}

function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  return fn().then((v) => [performance.now() - t, v]);
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
}

// A fixed-seed sequence so two runs make the same edits.
let seed = 7;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
}

const exchange = join(dir, `bench-${n}.json`);
const dbPath = join(dir, `bench-${n}.budget`);

// import: the whole command-line process, as a user runs it.
let t = performance.now();
const imported = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'budget.ts'), 'import', exchange, '--db', dbPath], { cwd: ROOT, encoding: 'utf8' });
const importMs = performance.now() - t;
if (imported.status !== 0) throw new Error(`import failed: ${imported.stderr}`);
const editPath = join(dir, `bench-${n}-edit.budget`);
copyFileSync(dbPath, editPath);

// The process with every module loaded and no budget open: the part of the memory figures that is not the budget.
global.gc?.();
const rssBeforeOpenMb = process.memoryUsage().rss / 1048576;

// open: file → session ready, then → the first page of lines the grid shows.
t = performance.now();
const session = createBudgetService({ dbPath: editPath, budgetsDir: dir, recentFile: join(dir, 'recent.json') });
const info = await call<{ lineCount: number }>(session, 'budget.info');
const sessionMs = performance.now() - t;
const paged = 'lines.page' in API;
const [firstPageMs, firstPage] = await timed(() =>
  paged ? call(session, 'lines.page', { offset: 0, limit: 200 }) : call(session, 'lines.list'),
);
const firstPageBytes = JSON.stringify(firstPage).length;
// This process is the host and its client at once: what the client side holds (the whole list, the tables) is
// let go as soon as it is measured, so the memory figures are the host's. The line ids come the way the grid
// gets its lines: pages of 20,000.
const ids: number[] = [];
for (let offset = 0; offset < info.lineCount; offset += 20_000) {
  const page = await call<{ lines: { id: number }[] }>(session, 'lines.page', { offset, limit: 20_000 });
  for (const l of page.lines) ids.push(l.id);
}

// lines.update: amounts (70%) and codes (30%), at random lines.
const book = defaultCodeBook(REALISTIC_YEAR);
const functional = book.functional.entries().filter((e) => e.level === '项').map((e) => e.code);
const economic = book.economic.entries().filter((e) => e.level === '款').map((e) => e.code);
const times: number[] = [];
let replyBytes = 0;
for (let i = 0; i < EDITS; i++) {
  const id = ids[Math.floor(random() * ids.length)]!;
  const r = random();
  const input =
    r < 0.7
      ? { id, field: 'amount', value: `${Math.floor(random() * 5000) / 100}` }
      : r < 0.85
        ? { id, field: 'functional', value: functional[Math.floor(random() * functional.length)]! }
        : { id, field: 'economic', value: economic[Math.floor(random() * economic.length)]! };
  const [ms, reply] = await timed(() => call(session, 'lines.update', input));
  times.push(ms);
  replyBytes += JSON.stringify(reply).length;
}
times.sort((a, b) => a - b);
global.gc?.();
const rssAfterEditsMb = process.memoryUsage().rss / 1048576;
// The whole list at once (what the grid no longer asks for at this size).
const { listMs, listBytes } = await (async () => {
  const [listMs, list] = await timed(() => call(session, 'lines.list'));
  return { listMs, listBytes: JSON.stringify(list).length };
})();

// paste: 1,000 amounts down the amount column from a line in the middle.
const start = ids[Math.floor(ids.length / 3)]!;
const rows = Array.from({ length: Math.min(1000, ids.length) }, (_, i) => [`${(i % 97) + 1}.25`]);
const [pasteMs] = await timed(() => call(session, 'lines.paste', { rows, startId: start, startField: 'amount' }));
const [undoPasteMs] = await timed(() => call(session, 'edit.undo'));
const [undoMs] = await timed(() => call(session, 'edit.undo'));
const { tablesMs, tablesBytes } = await (async () => {
  const [tablesMs, tables] = await timed(() => call(session, 'reports.tables'));
  return { tablesMs, tablesBytes: JSON.stringify(tables).length };
})();
const tableT03Ms = 'tables' in (API['reports.tables'].input as unknown as { shape: object }).shape
  ? (await timed(() => call(session, 'reports.tables', { tables: ['T03'] })))[0]
  : undefined;
const { auditMs, findings } = await (async () => {
  const [auditMs, audit] = await timed(() => call<{ findings: unknown[] }>(session, 'audit.run'));
  return { auditMs, findings: audit.findings.length };
})();

// The long views as the screen asks for them: one table a window of rows at a time (the first look lays the
// table out, the next window reads what is kept), 审核 by rule, the 绩效目标 project list.
const views = 'reports.window' in API;
const [windowT03Ms] = views ? await timed(() => call(session, 'reports.window', { id: 'T03', offset: 0, limit: 200 })) : [undefined];
const [windowT03NextMs] = views ? await timed(() => call(session, 'reports.window', { id: 'T03', offset: 5000, limit: 200 })) : [undefined];
const [auditGroupsMs] = views ? await timed(() => call(session, 'audit.groups', {})) : [undefined];
const [wizardListMs] = await timed(() => call(session, 'wizard.list', {}));

global.gc?.();
const rssMb = process.memoryUsage().rss / 1048576;
session.close();

process.stdout.write(
  JSON.stringify({
    lines: info.lineCount,
    importMs,
    sessionMs,
    firstPageMs,
    firstPageBytes,
    openMs: sessionMs + firstPageMs,
    listMs,
    listBytes,
    updateP50Ms: quantile(times, 0.5),
    updateP95Ms: quantile(times, 0.95),
    updateMaxMs: times.at(-1),
    updates: EDITS,
    replyBytes: Math.round(replyBytes / EDITS),
    paste1000Ms: pasteMs,
    undoPasteMs,
    undoMs,
    tablesMs,
    tablesBytes,
    tableT03Ms,
    auditMs,
    findings,
    windowT03Ms,
    windowT03NextMs,
    auditGroupsMs,
    wizardListMs,
    hostRssMb: rssAfterEditsMb,
    rssBeforeOpenMb,
    hostRssEndMb: rssMb,
  }) + '\n',
);
