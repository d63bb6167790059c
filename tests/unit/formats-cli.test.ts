// Choosing a publication format on the command line and loading a user's format into a budget file: a real
// SQLite file, the command runner in process.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../cli/run.js';
import { NATIONAL_FIXTURE } from './national-fixture.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

const henanText = readFileSync(new URL('../../data/formats/henan-2020.json', import.meta.url), 'utf8');

describe('formats on the command line', () => {
  it('import --format-id national: the budget prints the national tables, rows carrying their codes', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'formats-')), 'n.budget');
    expect((await cli('import', NATIONAL_FIXTURE, '--db', db, '--format-id', 'national')).code).toBe(0);
    const listed = await cli('formats', 'list', '--db', db);
    expect(listed.out).toMatch(/^\* national/m);
    const report = await cli('report', 'all', '--db', db, '--format', 'json');
    expect(report.code).toBe(0);
    const json = JSON.parse(report.out) as { tables: { id: string; columns: unknown[]; rows: { code?: string; cells: Record<string, string> }[] }[] };
    expect(json.tables.map((t) => t.id)).toEqual(['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8', 'N9', 'T10', 'T11']);
    const n3 = json.tables.find((t) => t.id === 'N3')!;
    expect(n3.rows.slice(0, 4).map((r) => [r.code ?? '合计', r.cells.total])).toEqual([
      ['合计', '275'],
      ['201', '195'],
      ['20101', '195'],
      ['2010101', '122'],
    ]);
    // --format-id on report prints another format once, without changing the budget's choice.
    const henan = await cli('report', 'T03', '--db', db, '--format-id', 'henan-2020', '--format', 'json');
    expect(JSON.parse(henan.out).tables[0].id).toBe('T03');
    expect((await cli('report', 'T03', '--db', db)).code).toBe(2);
    // An unknown format id is refused before anything is imported.
    const before = readFileSync(db);
    const refused = await cli('import', NATIONAL_FIXTURE, '--db', db, '--format-id', 'nosuch');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('没有公开表格式“nosuch”');
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('formats import: a user format file with mistakes is refused with every problem, the budget file unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'formats-'));
    const db = join(dir, 'n.budget');
    expect((await cli('import', NATIONAL_FIXTURE, '--db', db)).code).toBe(0);
    const json = JSON.parse(henanText);
    json.id = 'my-region';
    json.tables[1].id = 'T01';
    json.tables[2].columns[0].feed = { fund: ['gpb.unknown'] };
    json.tables[5].caption[0] = '{year}年{regionName}支出经济分类汇总表';
    delete json.tables[8].filter;
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(json, null, 2));
    const before = readFileSync(db);
    const refused = await cli('formats', 'import', bad, '--db', db);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('不是有效的公开表格式文件');
    for (const path of ['$.tables[2].columns[0].feed', '$.tables[8].filter']) expect(refused.err).toContain(path);
    expect(readFileSync(db).equals(before)).toBe(true);

    // The same file corrected loads, is kept in the budget file and can be chosen.
    const good = JSON.parse(henanText);
    good.id = 'my-region';
    good.name = '本地区格式';
    good.tables[2].printFormat['万元'].decimals = 2;
    writeFileSync(join(dir, 'good.json'), JSON.stringify(good));
    expect((await cli('formats', 'import', join(dir, 'good.json'), '--db', db)).code).toBe(0);
    expect((await cli('formats', 'use', 'my-region', '--db', db)).code).toBe(0);
    const text = await cli('report', 'T03', '--db', db);
    expect(text.out).toMatch(/合计\s+275\.00\s+192\.00/);
  });
});
