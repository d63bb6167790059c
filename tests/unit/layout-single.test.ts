// One print layout (core/tables/layout.ts, with the header grid of core/tables/header.ts) feeds the screen, the
// text report, the .xlsx and PDF writers, the 预算说明's .docx/PDF and the wizard's 预览: checked on the source, so
// a second header or row layout builder cannot come back unnoticed. Every other module may only carry the grid's
// cells over (`rowSpan: c.rowSpan`), never decide a span, measure text for columns or build a header itself.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const FOLDERS = ['api', 'cli', 'core', 'db', 'electron', 'renderer', 'server', 'submission'];
const LAYOUT = new Set(['core/tables/layout.ts', 'core/tables/header.ts']);

function sources(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push({ file: relative(ROOT, path).split('\\').join('/'), text: readFileSync(path, 'utf8') });
    }
  };
  for (const f of FOLDERS) walk(join(ROOT, f));
  return out;
}

/** Lines of `text` matching `pattern`, as "file:line: text". */
function hits(files: { file: string; text: string }[], pattern: RegExp, keep: (line: string) => boolean = () => true): string[] {
  const out: string[] = [];
  for (const { file, text } of files) {
    text.split('\n').forEach((line, i) => {
      if (pattern.test(line) && keep(line)) out.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  return out;
}

describe('one print layout', () => {
  const all = sources();
  const others = all.filter((s) => !LAYOUT.has(s.file));

  it('the layout module exists and builds the header, the rows and the forms', () => {
    const layout = all.find((s) => s.file === 'core/tables/layout.ts')!.text;
    for (const name of ['export function printedTable', 'function listBlock', 'function twoSidedBlock', 'export function departmentForm', 'export function projectForm', 'export function displayWidth']) {
      expect(layout, name).toContain(name);
    }
    expect(all.find((s) => s.file === 'core/tables/header.ts')!.text).toContain('export function headerGrid');
  });

  it('no other module lays out a header: headerGrid is called by the layout only', () => {
    expect(hits(others, /\bheaderGrid\s*\(/)).toEqual([]);
  });

  it('no other module decides a cell’s span: spans are only carried over from the grid', () => {
    // `rowSpan: c.rowSpan` (a writer passing the grid's span on) is fine; `colSpan: 2` or `rowSpan: n` is a layout.
    // (.tsx screens draw their own small tables, a 合计 line or a list's spacer, which are no published table.)
    const modules = others.filter((s) => s.file.endsWith('.ts'));
    const spans = hits(modules, /(?<![\w.])(rowSpan|colSpan|columnSpan)\s*:\s*(?!.*\.(rowSpan|colSpan)\b)|\.(rowSpan|colSpan|columnSpan)\s*=(?!=)\s*(?!.*\.(rowSpan|colSpan)\b)/, (l) => !/^\s*(\/\/|\*)/.test(l) && !/(rowSpan|colSpan|columnSpan)\??\s*:\s*number\b/.test(l));
    expect(spans).toEqual([]);
  });

  it('no other module measures text for columns or builds the body rows of a table', () => {
    expect(hits(others, /function\s+displayWidth\b|const\s+displayWidth\s*=/)).toEqual([]);
    // Reading the header tree's leaves to lay out columns is the layout's (and the header grid's) work.
    expect(hits(others, /\bfunction\s+(listBlock|twoSidedBlock|departmentForm|projectForm|indicatorTable|placeHeader)\b/)).toEqual([]);
  });
});
