// Shared setup of the submission tests: the 济源 2020 fixture in real budget files, notes for its soft findings,
// and a department database to receive into.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditBudget } from '../../core/audit/index.js';
import { parseExchange } from '../../core/exchange.js';
import type { FindingNote } from '../../core/manifest.js';
import type { Budget } from '../../core/model.js';
import { computeTables } from '../../core/tables/index.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { BudgetStore } from '../../db/store.js';

export const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'jiyuan-2020', 'budget.json');

export function tempDir(prefix = 'submission-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The fixture budget; with `fixed`, the two projects whose 项目总金额 is below the year's amount are corrected. */
export function fixtureBudget(fixed = true): Budget {
  const parsed = parseExchange(readFileSync(FIXTURE, 'utf8'), defaultCodeBook);
  if (!parsed.ok) throw new Error(`fixture does not parse: ${parsed.problems[0]?.message}`);
  const budget = parsed.budget;
  if (fixed) {
    for (const p of budget.projects) {
      if ((p.code === 'P05' || p.code === 'P09') && (p.totalAmount ?? 0n) < p.yearAmount) p.totalAmount = p.yearAmount;
    }
  }
  return budget;
}

export function budgetDb(dir: string, budget: Budget, name = 'unit.budget'): string {
  const file = join(dir, name);
  const store = BudgetStore.open(file, { create: true });
  try {
    store.replaceBudget(budget);
  } finally {
    store.close();
  }
  return file;
}

/** A supervising department's file for `year`, with no units received yet. */
export function departmentDb(dir: string, year = 2020, name = 'department.budget'): string {
  return budgetDb(
    dir,
    {
      fiscalYear: year,
      amountUnit: '万元',
      department: { code: '074', name: '济源市行政服务中心（主管部门）' },
      units: [],
      lines: [],
      income: [],
      projects: [],
      procurement: [],
      departmentPerformance: null,
      priorYear: null,
    },
    name,
  );
}

/** A 说明 for every soft finding of the budget. */
export function notesFor(budget: Budget): FindingNote[] {
  const book = defaultCodeBook(budget.fiscalYear);
  return auditBudget(budget, book, computeTables(budget, book))
    .filter((f) => f.severity === 'soft')
    .map((f) => ({ rule: f.rule, place: f.place, note: `已核实：${f.rule} 按单位实际情况填写` }));
}

/**
 * The PDF cut into pages and joined again by poppler (pdfseparate, pdfunite): another program's writing of the
 * same pages, optionally without one page (1-based), as a forger would drop it.
 */
export function rejoinedByPoppler(pdf: Buffer, options: { without?: number } = {}): Buffer {
  const dir = tempDir('poppler-');
  try {
    const input = join(dir, 'in.pdf');
    writeFileSync(input, pdf);
    execFileSync('pdfseparate', [input, join(dir, 'page-%d.pdf')]);
    const count = readdirSync(dir).filter((f) => f.startsWith('page-')).length;
    if (options.without !== undefined && options.without > count) throw new Error(`the PDF has ${count} pages, not ${options.without}`);
    const kept = Array.from({ length: count }, (_, i) => i + 1).filter((p) => p !== options.without).map((p) => join(dir, `page-${p}.pdf`));
    const output = join(dir, 'out.pdf');
    execFileSync('pdfunite', [...kept, output]);
    return readFileSync(output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
