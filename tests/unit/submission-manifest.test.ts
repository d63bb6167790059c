// The pure rules of the package: FAT32-safe names, entry-name checks (zip-slip), manifest reading, notes.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/audit/index.js';
import {
  attachNotes,
  budgetTotals,
  checkEntryName,
  checkPackageFormat,
  findingKey,
  isFat32SafeName,
  localIsoTimestamp,
  MAX_FILE_NAME_BYTES,
  packageFileName,
  parseManifest,
  safeNameComponent,
  truncateUtf8,
} from '../../core/manifest.js';
import { toExactString } from '../../core/money.js';
import { AuditContext, DEFAULT_AUDIT_SETTINGS } from '../../core/audit/index.js';
import { computeTables } from '../../core/tables/index.js';
import { HEADLINE_CELLS, headlineFigures } from '../../core/totals.js';
import { fixtureBudget } from './submission-fixture.js';
import { defaultCodeBook } from '../../db/defaults.js';

const at = new Date(2026, 10, 30, 14, 5, 42);
const bytes = (s: string) => new TextEncoder().encode(s).length;

describe('package file name', () => {
  it('is year_code_name_datetime.zip', () => {
    expect(packageFileName({ fiscalYear: 2020, code: '074', name: '济源市行政服务中心', at })).toBe('2020_074_济源市行政服务中心_20261130-1405.zip');
  });

  it('replaces what FAT32 refuses and drops trailing dots and spaces', () => {
    const name = packageFileName({ fiscalYear: 2021, code: '07/4', name: '某局: "办公室" <本级>|*?\\ . ', at });
    expect(name).toBe('2021_07_4_某局_ _办公室_ _本级_____' + '_20261130-1405.zip');
    expect(isFat32SafeName(name)).toBe(true);
    expect(safeNameComponent('name. . ')).toBe('name');
    expect(safeNameComponent('CON')).toBe('_CON');
  });

  it('cuts a long name to 200 bytes of UTF-8 without splitting a character', () => {
    const long = '济源市'.repeat(100);
    const name = packageFileName({ fiscalYear: 2020, code: '074', name: long, at });
    expect(bytes(name)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    expect(name.endsWith('_20261130-1405.zip')).toBe(true);
    expect(name).not.toContain('\uFFFD');
    expect(truncateUtf8('a济b', 3)).toBe('a');
    expect(truncateUtf8('a济b', 4)).toBe('a济');
    expect(truncateUtf8('𠀀x', 3)).toBe('');
  });

  it('local ISO time carries the offset', () => {
    expect(localIsoTimestamp(at)).toMatch(/^2026-11-30T14:05:42[+-]\d{2}:\d{2}$/);
  });
});

describe('entry names of a received archive', () => {
  const check = (name: string | number[], utf8 = true) =>
    checkEntryName(typeof name === 'string' ? new TextEncoder().encode(name) : Uint8Array.from(name), utf8);

  it('accepts plain file names, CJK ones only with the UTF-8 flag', () => {
    expect(check('budget.json')).toEqual({ ok: true, name: 'budget.json' });
    expect(check('说明.txt')).toEqual({ ok: true, name: '说明.txt' });
    expect(check('说明.txt', false).ok).toBe(false);
  });

  it.each([
    ['../evil', /“\.\.”/],
    ['a/../../evil', /“\.\.”/],
    ['/etc/passwd', /绝对路径/],
    ['C:/x', /盘符/],
    ['c:evil', /盘符/],
    ['..\\evil', /反斜杠/],
    ['dir/', /目录条目/],
    ['dir/file', /子目录/],
    ['a\u0000b', /控制字符/],
    ['name.', /不是有效的文件名/],
    ['', /为空/],
  ])('refuses %j', (name, message) => {
    const r = check(name);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it('refuses bytes that are not UTF-8', () => {
    const r = check([0xc3, 0x28, 0x2e, 0x74], true);
    expect(r.ok).toBe(false);
  });
});

describe('manifest', () => {
  const valid = {
    format: 'budget-package/1',
    app: { name: '部门预算编制', version: '0.1.0' },
    fiscalYear: 2020,
    amountUnit: '万元',
    department: { code: '074', name: '济源市行政服务中心' },
    units: [{ code: '074001', name: '济源市行政服务中心', kind: 'public-institution' }],
    createdAt: '2026-11-30T14:05:00+08:00',
    files: [{ name: 'budget.json', size: 10, sha256: 'a'.repeat(64) }],
    totals: {
      unit: '万元', expenditure: '1740.2', income: '1740.2', basic: '560.8', project: '1179.4',
      generalPublicBudget: '1740.2', threePublic: '6.1', lines: 66, projects: 13,
    },
    audit: { hard: 0, soft: 1, findings: [{ rule: 'x', severity: 'soft', place: { project: 'P01', indicator: 2 }, message: 'm', note: 'n' }] },
  };

  it('reads a valid manifest', () => {
    const r = parseManifest(JSON.stringify(valid));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.manifest.audit.findings[0]!.place).toEqual({ project: 'P01', indicator: 2 });
  });

  it('says in Chinese where a manifest stops being JSON', () => {
    const r = parseManifest('{\n  "format": "budget-package/1",\n  "fiscalYear": 2020,,\n}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toEqual([{ path: '$', message: expect.stringMatching(/^清单 manifest.json 不是有效的 JSON（第 3 行第 \d+ 列）：/) }]);
    if (!r.ok) expect(r.problems[0]!.message).not.toMatch(/Unexpected|position/);
  });

  it('totals: 一般公共预算 and its “三公” part are what T05 and T08 print, whatever else funds the same 款', () => {
    const budget = fixtureBudget();
    const reception = budget.lines.find((l) => l.economic === '30217')!;
    // The same 款, paid from 事业收入: neither 一般公共预算 nor its “三公”经费.
    budget.lines.push({ ...reception, id: 1000, fund: 'operations', amount: 10_000_000n });
    const tables = computeTables(budget, defaultCodeBook(2020));
    const cell = (id: string, row: string, column: string) => tables.find((t) => t.id === id)!.rows.find((r) => r.key === row)!.cells[column]!;
    const totals = budgetTotals(budget, defaultCodeBook(2020));
    expect(totals.threePublic).toBe(toExactString(cell('T08', 'total', 'total'), '万元'));
    expect(totals.threePublic).toBe('6.1');
    expect(totals.generalPublicBudget).toBe(toExactString(cell('T05', 'total', 'total'), '万元'));
    expect(totals.expenditure).toBe('1750.2');
  });

  it('totals are the engine cells (T01, T08) and agree with the 审核 cross-check sums of the lines', () => {
    const budget = fixtureBudget();
    const book = defaultCodeBook(2020);
    const totals = budgetTotals(budget, book);
    const figures = headlineFigures(budget, book);
    const tables = computeTables(budget, book);
    for (const [figure, [table, row, column]] of Object.entries(HEADLINE_CELLS)) {
      const cell = tables.find((t) => t.id === table)!.rows.find((r) => r.key === row)!.cells[column]!;
      expect(figures[figure as keyof typeof figures], figure).toBe(cell);
    }
    // The cross-check: the 审核's own sums, worked out apart from the engine.
    const sums = new AuditContext(budget, book, null, DEFAULT_AUDIT_SETTINGS).crossCheckSums();
    const all = new AuditContext(budget, book, null, DEFAULT_AUDIT_SETTINGS).split();
    const gpb = sums.splitByGroup.get('gpb')!;
    expect(totals.expenditure).toBe(toExactString(sums.total, '万元'));
    expect(totals.income).toBe(totals.expenditure); // the fixture states no income budget
    expect(totals.basic).toBe(toExactString(all.basic, '万元'));
    expect(totals.project).toBe(toExactString(all.project, '万元'));
    expect(totals.generalPublicBudget).toBe(toExactString(gpb.total, '万元'));
    expect(totals.threePublic).toBe(toExactString(sums.threePublicGpb, '万元'));
    expect(totals).toMatchObject({ expenditure: '1740.2', basic: '560.8', lines: budget.lines.length, projects: budget.projects.length });
  });

  it('totals with an income budget: 收入总计 is the income stated, not the spending', () => {
    const budget = fixtureBudget();
    const unit = budget.units[0]!.code;
    budget.income = [
      { unit, fund: 'gpb.appropriation', amount: 1_700_000_000n },
      { unit, fund: 'operations', amount: 100_000_000n },
    ];
    const totals = budgetTotals(budget, defaultCodeBook(2020));
    expect(totals.income).toBe('1800');
    expect(totals.expenditure).toBe('1740.2');
  });

  it('names a newer format as such, an unknown one as unknown', () => {
    expect(checkPackageFormat('budget-package/2')).toMatchObject({ ok: false, reason: 'newer' });
    expect(checkPackageFormat('budget-package/0')).toMatchObject({ ok: false, reason: 'unknown' });
    expect(checkPackageFormat(42)).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it('reports every bad field with its path', () => {
    const bad = { ...valid, fiscalYear: '2020', files: [{ name: '', size: -1, sha256: 'xyz' }], totals: { ...valid.totals, expenditure: 1740.2 } };
    const r = parseManifest(JSON.stringify(bad));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems.map((p) => p.path)).toEqual(
        expect.arrayContaining(['$.fiscalYear', '$.files[0].name', '$.files[0].size', '$.files[0].sha256', '$.totals.expenditure']),
      );
    }
  });
});

describe('notes for soft findings', () => {
  const soft = (project: string): Finding => ({ rule: 'r.soft', severity: 'soft', place: { project, field: 'target' }, message: `${project} 提示` });
  const hard: Finding = { rule: 'r.hard', severity: 'hard', place: { project: 'P05' }, message: '错误' };

  it('pairs notes by rule and place; blank notes count as missing; hard findings are reported apart', () => {
    const r = attachNotes([soft('P01'), soft('P02'), hard], [
      { rule: 'r.soft', place: { field: 'target', project: 'P01' }, note: '原因' },
      { rule: 'r.soft', place: { project: 'P02', field: 'target' }, note: '  ' },
      { rule: 'r.soft', place: { project: 'P99' }, note: '过期' },
    ]);
    expect(r.hard).toEqual([hard]);
    expect(r.missing.map((f) => f.place.project)).toEqual(['P02']);
    expect(r.findings.find((f) => f.place.project === 'P01')!.note).toBe('原因');
    expect(findingKey(soft('P01'))).toBe('r.soft@project=P01;field=target');
  });
});
