// Reading what a user types or pastes into the line grid: codes with or without names, funds by label,
// amounts exactly; and the tab-separated blocks Excel and WPS put on the clipboard.
import { describe, expect, it } from 'vitest';
import { leadingCode, readAmount, readClassification, readFund, readKind, readProject, readUnit } from '../../api/line-input.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { parseClipboardTable, toClipboardTable } from '../../renderer/clipboard.js';

const book = defaultCodeBook(2020);

describe('reading typed line fields', () => {
  it('takes the leading code of "code name" as the grid shows and copies it', () => {
    expect(leadingCode('2010350 事业运行')).toBe('2010350');
    expect(leadingCode('30101基本工资')).toBe('30101');
    expect(leadingCode('２０１０３５０')).toBe('2010350');
    expect(leadingCode('事业运行')).toBeNull();
  });

  it('finds a bookable code by its exact name, and refuses an ambiguous or unknown name', () => {
    expect(readClassification('基本工资', book.economic, '款', '经济分类')).toEqual({ ok: true, value: '30101' });
    const unknown = readClassification('不存在的科目', book.economic, '款', '经济分类');
    expect(unknown.ok).toBe(false);
    // 办公设备购置 is both 30902 and 31002: the user must give the code.
    const twice = readClassification('办公设备购置', book.economic, '款', '经济分类');
    expect(twice).toMatchObject({ ok: false });
    expect(!twice.ok && twice.reason).toMatch(/30902.*31002|31002.*30902/);
  });

  it('reads funding sources by code, full label or unambiguous short label', () => {
    expect(readFund('gpb.appropriation')).toEqual({ ok: true, value: 'gpb.appropriation' });
    expect(readFund('一般公共预算·财政拨款')).toEqual({ ok: true, value: 'gpb.appropriation' });
    expect(readFund('一般公共预算 · 财政拨款')).toEqual({ ok: true, value: 'gpb.appropriation' });
    expect(readFund('财政拨款')).toEqual({ ok: true, value: 'gpb.appropriation' });
    expect(readFund('政府性基金·债务收入')).toEqual({ ok: true, value: 'gfb.debt' });
    const ambiguous = readFund('债务收入');
    expect(ambiguous.ok).toBe(false);
    expect(!ambiguous.ok && ambiguous.reason).toMatch(/歧义/);
  });

  it('reads kinds, units and projects by code or name', () => {
    expect(readKind('基本支出')).toEqual({ ok: true, value: 'basic' });
    expect(readKind('项目')).toEqual({ ok: true, value: 'project' });
    expect(readKind('其他').ok).toBe(false);
    const units = [{ code: '074001', name: '济源市行政服务中心', kind: 'public-institution' as const }];
    expect(readUnit('济源市行政服务中心', units)).toEqual({ ok: true, value: '074001' });
    expect(readUnit('074001 济源市行政服务中心', units)).toEqual({ ok: true, value: '074001' });
    expect(readUnit('074002', units).ok).toBe(false);
    const projects = [{ code: 'P01', unit: '074001', name: '专家论证费', category: 'general' as const, yearAmount: 0n, indicators: [] }];
    expect(readProject('', projects)).toEqual({ ok: true, value: null });
    expect(readProject('P01 专家论证费', projects)).toEqual({ ok: true, value: 'P01' });
    expect(readProject('专家论证费', projects)).toEqual({ ok: true, value: 'P01' });
    expect(readProject('P99', projects).ok).toBe(false);
  });

  it('reads amounts exactly in the unit typed, with or without separators', () => {
    expect(readAmount('1,234.5', '万元')).toEqual({ ok: true, value: 1_234_500_000n });
    expect(readAmount('1234.50', '万元')).toEqual({ ok: true, value: 1_234_500_000n });
    expect(readAmount('0.01', '元')).toEqual({ ok: true, value: 1n });
    for (const bad of ['12,34', '1.2.3', 'abc', '-1', '1e5', '0.001']) expect(readAmount(bad, '元').ok, bad).toBe(false);
  });
});

describe('clipboard blocks from Excel and WPS', () => {
  it('splits rows and cells, unquotes quoted cells, and drops the trailing line break', () => {
    expect(parseClipboardTable('a\tb\r\nc\td\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseClipboardTable('"x\ty"\t"he said ""hi"""\n"two\nlines"\t3')).toEqual([
      ['x\ty', 'he said "hi"'],
      ['two\nlines', '3'],
    ]);
    expect(parseClipboardTable('1,234.50')).toEqual([['1,234.50']]);
    expect(parseClipboardTable('a\t\t\n')).toEqual([['a', '', '']]);
  });

  it('writes what it reads', () => {
    const rows = [
      ['30101 基本工资', '1,234.50', 'tab\there'],
      ['"quoted"', '', 'two\nlines'],
    ];
    expect(parseClipboardTable(toClipboardTable(rows))).toEqual(rows);
  });
});
