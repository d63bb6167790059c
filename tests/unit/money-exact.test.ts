// Sums past 20 digits: amounts are bigint 分 all the way and every conversion to text is exact at any size
// (decimal.js arithmetic rounds to 20 significant digits).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExchange } from '../../core/exchange.js';
import { formatAmount, MAX_FEN, parseAmount, toExactString, toFixedExact } from '../../core/money.js';
import { computeTables, reportToJson } from '../../core/tables/index.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { convertExact, formatExact, subtractExact } from '../../renderer/amounts.js';

/** 分 as 万元 text, by string slicing only (independent of the code under test). */
function wan(fen: bigint): string {
  const digits = fen.toString().padStart(7, '0');
  const whole = digits.slice(0, -6);
  const frac = digits.slice(-6).replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole;
}

describe('exact money text at any size', () => {
  it("T01's total of 11,135 lines at the per-line maximum is exact to the last digit", () => {
    const parsed = parseExchange(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'jiyuan-2020', 'budget.json'), 'utf8'), defaultCodeBook);
    if (!parsed.ok) throw new Error('fixture');
    const template = parsed.budget.lines.find((l) => l.kind === 'basic')!;
    const lines = Array.from({ length: 11_135 }, (_, i) => ({ ...template, id: i + 1, amount: MAX_FEN }));
    const budget = { ...parsed.budget, lines, income: [], procurement: [] };
    const t01 = reportToJson(computeTables(budget, defaultCodeBook(budget.fiscalYear))).tables.find((t) => t.id === 'T01')!;
    const exact = wan(MAX_FEN * 11_135n);
    expect(exact).toBe('100295163701540.934785');
    const texts = t01.rows.flatMap((r) => Object.values(r.cells));
    expect(texts).toContain(exact);
  });

  it('converts, rounds and reads back 30-digit amounts exactly', () => {
    const fen = 123456789012345678901234567891n;
    expect(toExactString(fen, '万元')).toBe('123456789012345678901234.567891');
    expect(toExactString(fen, '元')).toBe('1234567890123456789012345678.91');
    expect(toExactString(-fen, '元')).toBe('-1234567890123456789012345678.91');
    expect(toFixedExact(100_000_000_000_000_000_000_000n, '元', 2)).toBe('1000000000000000000000.00');
    expect(formatAmount(fen, '万元', { decimals: 2, thousands: true })).toBe('123,456,789,012,345,678,901,234.57');
    expect(formatAmount(fen, '万元', { decimals: 1 })).toBe('123456789012345678901234.6');
    expect(formatAmount(-5n, '万元', { decimals: 2 })).toBe('0.00');
    expect(formatAmount(-5_000n, '万元', { decimals: 2 })).toBe('-0.01');
    expect(formatAmount(1234n, '元', { decimals: 4 })).toBe('12.3400');
    const back = parseAmount('9007199254.740991', '万元');
    expect(back).toEqual({ ok: true, fen: MAX_FEN });
    // The screen's unit switch and differences.
    expect(convertExact('100295163701540.934785', '万元', '元')).toBe('1002951637015409347.85');
    expect(formatExact('100295163701540.934785', 2)).toBe('100,295,163,701,540.93');
    expect(subtractExact('100295163701540.934785', '0.000001')).toBe('100295163701540.934784');
  });
});
