// How the 预算说明 writes its figures. One rule for each kind, stated here and nowhere else:
// - Amounts are in the budget's unit, rounded half-up to 0.01 and written without trailing zeros
//   (1740.2, 24, 0), as the published narrative writes them. The exact amount stays in the tables.
// - A share or a rate is a percentage rounded half-up to 0.01% (29.71%).
// - A set of shares that covers its whole (基本/项目, the 类 of 一般公共预算, income by source) is made to add up to
//   exactly 100.00% by giving the last share what the others leave.
import Decimal from 'decimal.js';
import { toDecimal, type AmountUnit, type Fen } from '../money.js';

/** "1740.2", "24", "0": half-up to 0.01 in `unit`, trailing zeros dropped. */
export function narrativeAmount(fen: Fen, unit: AmountUnit): string {
  const d = toDecimal(fen, unit).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  return d.isZero() ? '0' : d.toFixed();
}

/** part / whole in hundredths of a percent (basis points), rounded half-up; null when whole is 0. */
export function basisPoints(part: Fen, whole: Fen): bigint | null {
  if (whole === 0n) return null;
  const d = new Decimal(part.toString()).times(10000).dividedBy(whole.toString()).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  return BigInt(d.toFixed(0));
}

/** Basis points as a percentage text: 2971n → "29.71". */
export function percentText(bp: bigint): string {
  const negative = bp < 0n;
  const abs = negative ? -bp : bp;
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/**
 * Shares of `parts` in `whole`, each rounded half-up to 0.01%. When the parts add up to the whole, the last
 * share is 100.00% less the others, so the set adds up to exactly 100.00%. null when whole is 0.
 */
export function sharesOf(parts: readonly Fen[], whole: Fen): string[] | null {
  if (whole === 0n) return null;
  const bps = parts.map((p) => basisPoints(p, whole)!);
  const complete = parts.reduce((a, b) => a + b, 0n) === whole;
  if (complete && bps.length > 0) {
    const others = bps.slice(0, -1).reduce((a, b) => a + b, 0n);
    bps[bps.length - 1] = 10000n - others;
  }
  return bps.map(percentText);
}

export type Direction = '增加' | '减少' | '持平';

export interface Change {
  direction: Direction;
  /** |current − prior|. */
  amount: Fen;
  /** |current − prior| / prior as a percentage text; null when prior is 0. */
  rate: string | null;
}

/**
 * The 增减率: (current − prior) / prior in basis points, signed, rounded half-up (away from zero, so a decrease
 * rounds as the same increase would); null when prior is 0. The one rate of change: the 预算说明's sentences
 * (changeAgainst) and the grid's 上年数 / 增减 column (document.priorFunctional) both use it.
 */
export function changeRate(current: Fen, prior: Fen): bigint | null {
  return basisPoints(current - prior, prior);
}

export function changeAgainst(current: Fen, prior: Fen): Change {
  const diff = current - prior;
  const amount = diff < 0n ? -diff : diff;
  const bp = changeRate(current, prior);
  return { direction: diff > 0n ? '增加' : diff < 0n ? '减少' : '持平', amount, rate: bp === null ? null : percentText(bp < 0n ? -bp : bp) };
}

/** Reads a figure as typed by hand ("1,740.20", "29.7%", " 6.1 ") into a decimal, or null when it is not a number. */
export function typedNumber(text: string): Decimal | null {
  const s = text.normalize('NFKC').trim().replace(/[,，\s]/g, '').replace(/%$/, '');
  if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
  return new Decimal(s);
}
