// `npm run bench`: the figures the app's speed is judged by, on realistic budgets from
// scripts/realistic-budget.ts (2,000 lines: one unit; 10,000; 100,000: 100 units, 2,000 projects), through the
// real paths: the command line for import, the API as the hosts call it (each size in a process of its own, so
// its memory is its own), and the app in Chromium for what a user sees. Prints a table and writes
// bench-results.json (one object per size).
// Run: npm run bench [-- 2000 10000 100000] [-- --no-chromium] [-- --engine] [-- --params]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { realisticExchange, realisticShape } from './realistic-budget.js';
import { chromiumFigures, VIEW_LABELS, type ViewName } from './bench-chromium.js';

const args = process.argv.slice(2);
const sizes = args.map((s) => Number.parseInt(s, 10)).filter((n) => n > 0);
const SIZES = sizes.length ? sizes : [2_000, 10_000, 100_000];
const CHROMIUM = !args.includes('--no-chromium') && existsSync('/usr/bin/chromium') && existsSync(join(import.meta.dirname, '..', 'dist', 'renderer', 'index.html'));
const CHROMIUM_EDITS = 40;
const ROOT = join(import.meta.dirname, '..');

type Figures = Record<string, number | string>;
const results: Figures[] = [];
const dir = mkdtempSync(join(tmpdir(), 'budget-bench-'));
try {
  for (const n of SIZES) {
    const exchange = realisticExchange(n);
    writeFileSync(join(dir, `bench-${n}.json`), exchange);
    const units = (JSON.parse(exchange) as { units: { name: string }[] }).units;
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(ROOT, 'scripts', 'bench-api.ts'), String(n), dir], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    const figures = JSON.parse(out.trim().split('\n').at(-1)!) as Figures;
    const shape = realisticShape(n);
    figures.units = shape.units;
    figures.projects = shape.projects;
    if (CHROMIUM) {
      const c = await chromiumFigures(join(dir, `bench-${n}.budget`), CHROMIUM_EDITS, String(n), units.at(-1)!.name);
      figures.chromiumOpenToFirstRowMs = c.openToFirstRowMs;
      figures.chromiumEnterP50Ms = c.enterP50Ms;
      figures.chromiumEnterP95Ms = c.enterP95Ms;
      figures.chromiumEdits = c.edits;
      for (const [view, ms] of Object.entries(c.views)) figures[`chromiumView_${view}Ms`] = ms;
      figures.browserHostRssMb = c.hostRssMb;
    }
    results.push(figures);
    console.error(`${n.toLocaleString('en')} lines measured`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const ms = (v: unknown) => (typeof v === 'number' ? (v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString('en')) : '–');
const mb = (v: unknown) => (typeof v === 'number' ? `${Math.round(v)} MB` : '–');
const rows: [string, (f: Figures) => string][] = [
  ['units / projects', (f) => `${f.units} / ${f.projects}`],
  ['import (whole CLI process), ms', (f) => ms(f.importMs)],
  ['open: file → session ready, ms', (f) => ms(f.sessionMs)],
  ['open: file → first page of lines, ms', (f) => ms(f.openMs)],
  ['first page of lines, bytes', (f) => Number(f.firstPageBytes).toLocaleString('en')],
  [`lines.update p50 / p95 (${results[0]?.updates ?? ''} edits: amounts, 项, 款), ms`, (f) => `${ms(f.updateP50Ms)} / ${ms(f.updateP95Ms)}`],
  ['lines.update reply, bytes', (f) => String(f.replyBytes)],
  ['paste 1,000 amounts, ms', (f) => ms(f.paste1000Ms)],
  ['undo the paste / undo one edit, ms', (f) => `${ms(f.undoPasteMs)} / ${ms(f.undoMs)}`],
  ['reports.tables (all eleven), ms', (f) => ms(f.tablesMs)],
  ['reports.tables one table (T03), ms', (f) => ms(f.tableT03Ms)],
  ['audit.run (findings), ms', (f) => `${ms(f.auditMs)} (${f.findings})`],
  ['reports.window T03: first look / next window, ms', (f) => `${ms(f.windowT03Ms)} / ${ms(f.windowT03NextMs)}`],
  ['audit.groups, ms', (f) => ms(f.auditGroupsMs)],
  ['wizard.list (绩效目标 project list), ms', (f) => ms(f.wizardListMs)],
  ['API process RSS: open + edits / after everything', (f) => `${mb(f.hostRssMb)} / ${mb(f.hostRssEndMb)}`],
  ['  of which the process before opening a file', (f) => mb(f.rssBeforeOpenMb)],
  ['Chromium: open → first grid row, ms', (f) => ms(f.chromiumOpenToFirstRowMs)],
  [`Chromium: Enter → 合计 p50 / p95 (${CHROMIUM_EDITS} edits), ms`, (f) => `${ms(f.chromiumEnterP50Ms)} / ${ms(f.chromiumEnterP95Ms)}`],
  ...(Object.entries(VIEW_LABELS) as [ViewName, string][]).map(([view, label]): [string, (f: Figures) => string] => [
    `Chromium: ${label}, ms`,
    (f) => ms(f[`chromiumView_${view}Ms`]),
  ]),
  ['browser host RSS after the edits and views', (f) => mb(f.browserHostRssMb)],
];
const header = ['', ...results.map((f) => `${Number(f.lines).toLocaleString('en')} lines`)];
const table = [header, ...rows.map(([label, get]) => [label, ...results.map(get)])];
const widths = header.map((_, i) => Math.max(...table.map((r) => [...r[i]!].length)));
for (const r of table) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 1073741824)} GB, Node ${process.version}`;
console.log(`\n${machine}`);
writeFileSync(join(ROOT, 'bench-results.json'), JSON.stringify({ machine, date: new Date().toISOString(), sizes: results }, null, 2) + '\n');
console.log('written: bench-results.json');

if (args.includes('--engine')) {
  // Side note: the table engine alone on made-up lines (the earlier benchmark).
  await import('./bench-tables.js');
}

if (args.includes('--params')) {
  // Side note: the incremental 审核 under a parameter package's rule set.
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'bench-audit-params.ts'), '100000'], { stdio: 'inherit' });
}
