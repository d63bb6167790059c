// Input edges: bytes that are not UTF-8 and lone surrogates are refused with where they are (byte offset or
// line); nothing is stored as "�", and the budget file stays byte-identical with integrity_check ok.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeFileName } from '../../api/session.js';
import { terminalSafe } from '../../cli/args.js';
import { EXIT_USAGE, run } from '../../cli/run.js';
import { isFat32SafeName, packageFileName } from '../../core/manifest.js';
import { parseExchange } from '../../core/exchange.js';
import { invalidUtf8Offset } from '../../core/json-lines.js';
import { lineProblems } from '../../core/validate.js';
import { defaultCodeBook } from '../../db/defaults.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'jiyuan-2020', 'budget.json');
const FUNCTIONAL_CSV = join(import.meta.dirname, '..', '..', 'data', 'reference', 'functional-classification.csv');

let dir: string;
let db: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'reliability-input-'));
  db = join(dir, 'budget.budget');
  expect(await run(['import', FIXTURE, '--db', db], { out: () => {}, err: () => {} })).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refused(argv: string[]): Promise<string> {
  const before = readFileSync(db);
  const err: string[] = [];
  const code = await run(argv, { out: () => {}, err: (t) => err.push(t) });
  expect(code).toBe(EXIT_USAGE);
  expect(readFileSync(db).equals(before), 'budget file unchanged').toBe(true);
  const check = new Database(db, { readonly: true });
  expect(String(check.pragma('integrity_check', { simple: true }))).toBe('ok');
  check.close();
  return err.join('');
}

describe('text that is not UTF-8 is refused with its byte offset', () => {
  it('finds the first bad byte: stray continuation, truncated sequence, overlong, encoded surrogate, past U+10FFFF', () => {
    const at = (...b: number[]) => invalidUtf8Offset(Uint8Array.from(b));
    expect(at(0x61, 0xe4, 0xb8, 0xad)).toBe(-1);
    expect(at(0x61, 0x80)).toBe(1);
    expect(at(0x61, 0x62, 0xe4, 0xb8)).toBe(2);
    expect(at(0xc0, 0xaf)).toBe(0);
    expect(at(0x61, 0xed, 0xa0, 0x80)).toBe(1);
    expect(at(0xf4, 0x90, 0x80, 0x80)).toBe(0);
    expect(at(0xf0, 0x9f, 0x98, 0x80)).toBe(-1);
  });

  it('an exchange file with a GBK byte in a name: refused at import with the offset, file unchanged', async () => {
    const bytes = readFileSync(FIXTURE);
    const offset = bytes.indexOf(Buffer.from('行政服务中心'));
    const bad = Buffer.from(bytes);
    bad[offset] = 0xd0; // a GBK lead byte followed by a UTF-8 continuation: not UTF-8
    bad[offset + 1] = 0xd0;
    const file = join(dir, 'gbk.json');
    writeFileSync(file, bad);
    const text = await refused(['import', file, '--db', db]);
    expect(text).toContain(`不是有效的 UTF-8 文本：第 ${offset} 字节`);
    expect(text).not.toContain('\uFFFD');
  });

  it('a code list in GBK: refused with the offset, file unchanged', async () => {
    const csv = readFileSync(FUNCTIONAL_CSV);
    const gbk = Buffer.concat([csv.subarray(0, 40), Buffer.from([0xb9, 0xab]), csv.subarray(40)]);
    const file = join(dir, 'functional-gbk.csv');
    writeFileSync(file, gbk);
    const text = await refused(['codes', 'import', file, '--kind', 'functional', '--db', db]);
    expect(text).toMatch(/科目表“.*”不是有效的 UTF-8 文本：第 \d+ 字节/);
  });
});

describe('a lone surrogate is refused with its line', () => {
  it('in the exchange reader', () => {
    const text = readFileSync(FIXTURE, 'utf8').replace('"济源市行政服务中心"', '"济源\\ud800市"');
    const r = parseExchange(text, defaultCodeBook);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]!.line).toBe(7);
    expect(r.problems[0]!.message).toMatch(/不成对的代理项/);
  });

  it('on the command line, file unchanged', async () => {
    const file = join(dir, 'surrogate.json');
    writeFileSync(file, readFileSync(FIXTURE, 'utf8').replace('"济源市行政服务中心"', '"\\udc00"'));
    const text = await refused(['import', file, '--db', db]);
    expect(text).toMatch(/第 7 行.*不成对的代理项/);
  });
});

describe('control characters and direction overrides', () => {
  it('a file name with ESC and BEL is shown escaped in the message', async () => {
    const err: string[] = [];
    const code = await run(['import', join(dir, 'a\x1b[2Jb\x07\u202ec.json'), '--db', db], { out: () => {}, err: (t) => err.push(t) });
    expect(code).toBe(EXIT_USAGE);
    const text = err.join('');
    expect(text).toContain('a\\x1b[2Jb\\x07\\u202ec.json');
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u202e]/);
    expect(terminalSafe('第 1 行\n\t值')).toBe('第 1 行\n\t值');
  });

  it('right-to-left overrides are removed from names used in file names', () => {
    const name = '济源\u202efdp.exe\u2066中心\u200f';
    const file = packageFileName({ fiscalYear: 2020, code: '07\u202e4', name, at: new Date(2026, 10, 30, 14, 5) });
    expect(file).toBe('2020_074_济源fdp.exe中心_20261130-1405.zip');
    expect(isFat32SafeName('济源\u202efdp')).toBe(false);
    expect(safeFileName(name)).toBe('济源fdp.exe中心');
  });
});

describe('text lengths are checked at import', () => {
  it('a remark of 300,000 characters and a unit name of 201 are refused with their lines, file unchanged', async () => {
    const doc = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { units: { name: string }[]; lines: { remark?: string }[] };
    doc.units[0]!.name = '济'.repeat(201);
    doc.lines[1]!.remark = '备'.repeat(300_000);
    const file = join(dir, 'long.json');
    writeFileSync(file, JSON.stringify(doc, null, 1));
    const parsed = parseExchange(readFileSync(file, 'utf8'), defaultCodeBook);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => [p.path, p.line, p.message])).toEqual([
      ['$.units[0].name', 12, '单位名称过长（201 个字符，上限 200 个字符）'],
      ['$.lines[1].remark', expect.any(Number), '备注过长（300000 个字符，上限 100000 个字符）'],
    ]);
    const text = await refused(['import', file, '--db', db]);
    expect(text).toContain('过长');
  });

  it('a remark typed in the app is held to the same limit', () => {
    const problems = lineProblems(
      { unit: '074001', functional: '2010350', economic: '30101', kind: 'basic', project: null, fund: 'gpb.appropriation', amount: 1n, assumed: false, remark: 'x'.repeat(100_001) },
      { book: defaultCodeBook(2020), unitCodes: new Set(['074001']), projectCodes: new Set() },
    );
    expect(problems).toEqual([{ field: 'remark', message: '备注过长（100001 个字符，上限 100000 个字符）' }]);
  });
});
