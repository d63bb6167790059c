// The national tables in the printed files: LibreOffice reads each .xlsx with the figures of the one print
// layout cell for cell, and pdftotext finds in the PDF every figure the screen shows.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toExactString } from '../../core/money.js';
import { computeTables, SHIPPED_FORMATS } from '../../core/tables/index.js';
import { printedTable } from '../../core/tables/layout.js';
import { reportToView } from '../../api/tables-view.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { tablesPdf } from '../../submission/pdf.js';
import { tableWorkbook } from '../../submission/xlsx.js';
import { nationalBudget } from './national-fixture.js';

const budget = nationalBudget();
const tables = computeTables(budget, defaultCodeBook(budget.fiscalYear), SHIPPED_FORMATS.get('national')).filter((t) => /^N\d$/.test(t.id));
const created = new Date('2026-12-01T08:00:00Z');

/** LibreOffice's CSV (comma, double quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += ch;
  }
  if (field !== '' || row.length) row.push(field), rows.push(row);
  return rows;
}

/** Every figure the screen shows for the national tables, as printed. */
const screenFigures = tables.flatMap((t) =>
  reportToView(t, budget.amountUnit, budget.fiscalYear).flatMap((v) => v.rows.flatMap((r) => r.cells.filter((c) => c.exact !== null && c.text !== '').map((c) => c.text))),
);

describe('national tables in .xlsx and PDF', () => {
  it('LibreOffice reads every .xlsx with the layout’s text and exact figures, cell for cell', async () => {
    const work = mkdtempSync(join(tmpdir(), 'national-files-'));
    const dir = join(work, 'xlsx');
    const csvDir = join(work, 'csv');
    mkdirSync(dir);
    const files: string[] = [];
    for (const t of tables) {
      const f = join(dir, `${t.id}.xlsx`);
      writeFileSync(f, await tableWorkbook(t, created));
      files.push(f);
    }
    execFileSync(
      'soffice',
      ['--headless', '--norestore', `-env:UserInstallation=file://${join(work, 'lo-profile')}`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1', '--outdir', csvDir, ...files],
      { stdio: 'ignore', timeout: 180_000 },
    );
    let amounts = 0;
    for (const t of tables) {
      const csv = readdirSync(csvDir).find((n) => n.startsWith(`${t.id}.`) || n.startsWith(`${t.id}-`));
      expect(csv, `CSV of ${t.id}`).toBeDefined();
      const rows = parseCsv(readFileSync(join(csvDir, csv!), 'utf8'));
      const block = printedTable(t).blocks[0]!;
      expect(rows[0]?.[0]).toBe(block.title);
      const top = 1 + block.captions.length;
      for (const cell of block.cells) {
        const got = rows[top + cell.row]?.[cell.col] ?? '';
        if (cell.role === 'amount') {
          expect(got, `${t.id} r${cell.row} c${cell.col}`).toBe(toExactString(cell.amount!, t.amountUnit));
          amounts++;
        } else expect(got, `${t.id} r${cell.row} c${cell.col}`).toBe(cell.text);
      }
    }
    // N1's last line as LibreOffice shows it: 收入总计 295 ‖ 支出总计 295.
    const n1 = parseCsv(readFileSync(join(csvDir, readdirSync(csvDir).find((n) => n.startsWith('N1'))!), 'utf8'));
    expect(n1.some((r) => r[0] === '收入总计' && r[1] === '295' && r[2] === '支出总计' && r[3] === '295')).toBe(true);
    expect(amounts).toBeGreaterThan(200);
  });

  it('pdftotext finds every figure the screen shows, with the 类/款/项 codes and the balancing rows', async () => {
    const work = mkdtempSync(join(tmpdir(), 'national-pdf-'));
    const pdf = join(work, 'tables.pdf');
    writeFileSync(pdf, await tablesPdf(tables, { created, title: '某市测试局2021年部门预算表' }));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    for (const t of tables) expect(text, t.id).toContain(t.caption[0]!);
    expect(screenFigures.length).toBeGreaterThan(100);
    for (const figure of new Set(screenFigures)) expect(text, figure).toContain(figure);
    expect(text).toMatch(/本年收入合计\s+245\.00\s+本年支出合计\s+275\.00/);
    expect(text).toMatch(/上年结转\s+50\.00\s+结转下年\s+20\.00/);
    expect(text).toMatch(/20101\s+人大事务\s+195\.00\s+162\.00\s+33\.00/);
    expect(text).toMatch(/2010150\s+事业运行\s+43\.00\s+40\.00\s+3\.00/);
  });
});
