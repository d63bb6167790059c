// Money in the domain core.
//
// At rest and in memory an amount is an integer number of 分 held as a bigint: addition and subtraction
// of bigints are exact, so every subtotal is exact. decimal.js is used where a decimal point appears:
// reading user or file input, converting between 分 / 元 / 万元, rounding for display and computing shares.
// At every boundary (JSON, IPC, files) an amount is a decimal string. A JS number never holds money.
import Decimal from 'decimal.js';

export type Fen = bigint;
export type AmountUnit = '万元' | '元';
export const AMOUNT_UNITS: readonly AmountUnit[] = ['万元', '元'];

/** 分 per one unit of the given amount unit. */
const FEN_PER_UNIT: Record<AmountUnit, bigint> = { 万元: 1_000_000n, 元: 100n };
/** Decimals an amount may carry in each unit: both are exact to the 分. */
export const MAX_DECIMALS: Record<AmountUnit, number> = { 万元: 6, 元: 2 };

/** Amounts beyond this (about 9×10^13 元) are refused: no budget is that large, and it keeps 分 within 2^53. */
export const MAX_FEN: Fen = 9_007_199_254_740_991n;

export function isAmountUnit(value: unknown): value is AmountUnit {
  return value === '万元' || value === '元';
}

export type ParseResult = { ok: true; fen: Fen } | { ok: false; reason: string };

const STRICT_DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;
const LOOSE_DECIMAL = /^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/;

/**
 * Reads an amount written as a decimal string in `unit`.
 * strict (files): plain decimal, no separators, no leading zeros ("140.9", "0.50").
 * loose (typing): also thousands separators in the right places, surrounding spaces, fullwidth digits
 * ("1,234.5", " 1234.50 ").
 */
export function parseAmount(
  text: string,
  unit: AmountUnit,
  options: { loose?: boolean; allowNegative?: boolean } = {},
): ParseResult {
  if (typeof text !== 'string') return { ok: false, reason: '金额必须是文本形式的十进制数' };
  let s = text;
  if (options.loose) {
    s = s.normalize('NFKC').trim().replace(/，/g, ',');
    if (s === '') return { ok: false, reason: '金额为空' };
    if (!LOOSE_DECIMAL.test(s)) return { ok: false, reason: `“${text}”不是有效金额，只能包含数字、小数点和千位分隔符` };
    s = s.replace(/,/g, '');
  } else if (!STRICT_DECIMAL.test(s)) {
    return { ok: false, reason: `“${text}”不是有效金额，应为十进制数字字符串，如 "140.9"` };
  }
  const negative = s.startsWith('-');
  if (negative && !options.allowNegative) return { ok: false, reason: `金额不能为负数（${text}）` };
  const decimals = s.includes('.') ? s.length - s.indexOf('.') - 1 : 0;
  if (decimals > MAX_DECIMALS[unit]) {
    return { ok: false, reason: `“${text}”的小数位数过多：以${unit}为单位最多 ${MAX_DECIMALS[unit]} 位小数（精确到分）` };
  }
  const [whole = '', frac = ''] = (negative ? s.slice(1) : s).split('.');
  const magnitude = BigInt(whole + frac.padEnd(MAX_DECIMALS[unit], '0'));
  const fen = negative ? -magnitude : magnitude;
  if (fen > MAX_FEN || -fen > MAX_FEN) return { ok: false, reason: `金额“${text}”超出允许范围` };
  return { ok: true, fen };
}

/** Like parseAmount but throws; for trusted data (tests, stored values). */
export function amount(text: string, unit: AmountUnit = '万元'): Fen {
  const r = parseAmount(text, unit, { allowNegative: true });
  if (!r.ok) throw new Error(r.reason);
  return r.fen;
}

/**
 * The exact digits of an amount in `unit`: sign, whole part and all the unit's decimals. Pure bigint, exact at
 * any size (decimal.js arithmetic is limited to its precision, 20 digits by default).
 */
function exactDigits(fen: Fen, unit: AmountUnit): { negative: boolean; whole: string; frac: string } {
  const per = FEN_PER_UNIT[unit];
  const magnitude = fen < 0n ? -fen : fen;
  return { negative: fen < 0n, whole: (magnitude / per).toString(), frac: (magnitude % per).toString().padStart(MAX_DECIMALS[unit], '0') };
}

export function toDecimal(fen: Fen, unit: AmountUnit): Decimal {
  // Parsing a string is exact in decimal.js; only its arithmetic rounds.
  return new Decimal(toExactString(fen, unit));
}

/** Exact decimal string in `unit`, without trailing zeros: 1740200000n 分 → "1740.2" (万元). */
export function toExactString(fen: Fen, unit: AmountUnit): string {
  const { negative, whole, frac } = exactDigits(fen, unit);
  const decimals = frac.replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${decimals ? `.${decimals}` : ''}`;
}

/** Exact decimal string with a fixed number of decimals where that is exact (export files). */
export function toFixedExact(fen: Fen, unit: AmountUnit, minDecimals: number): string {
  const { negative, whole, frac } = exactDigits(fen, unit);
  let decimals = frac.replace(/0+$/, '');
  if (decimals.length < minDecimals) decimals = decimals.padEnd(minDecimals, '0');
  return `${negative ? '-' : ''}${whole}${decimals ? `.${decimals}` : ''}`;
}

/** `fen` in `unit` rounded half-up (away from zero) to `decimals` places, exact at any size. */
/** 10ⁿ as bigints, worked out once (a long table formats every one of its figures). */
const POW10: readonly bigint[] = Array.from({ length: 40 }, (_, n) => 10n ** BigInt(n));
function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

function roundedFixed(fen: Fen, unit: AmountUnit, decimals: number): string {
  const scale = MAX_DECIMALS[unit];
  const magnitude = fen < 0n ? -fen : fen;
  let scaled: bigint;
  let places: number;
  if (decimals >= scale) {
    scaled = magnitude * pow10(decimals - scale);
    places = decimals;
  } else {
    const divisor = pow10(scale - decimals);
    scaled = magnitude / divisor;
    if ((magnitude % divisor) * 2n >= divisor) scaled += 1n;
    places = decimals;
  }
  const digits = scaled.toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places);
  return `${fen < 0n && scaled !== 0n ? '-' : ''}${whole}${places > 0 ? `.${frac}` : ''}`;
}

/**
 * Display form: rounded half-up from the exact value (never summed from rounded parts),
 * with optional thousands separators. Zero may be shown as an empty string, as published tables do.
 */
export function formatAmount(
  fen: Fen,
  unit: AmountUnit,
  options: { decimals?: number; thousands?: boolean; blankZero?: boolean } = {},
): string {
  const decimals = options.decimals ?? 2;
  if (fen === 0n && options.blankZero) return '';
  const fixed = roundedFixed(fen, unit, decimals);
  if (!options.thousands) return fixed;
  const point = fixed.indexOf('.');
  const intPart = point < 0 ? fixed : fixed.slice(0, point);
  const sign = intPart.startsWith('-') ? '-' : '';
  const digits = sign ? intPart.slice(1) : intPart;
  if (digits.length <= 3) return fixed;
  // Thousands from the right: 1234567 → 1,234,567.
  let grouped = digits.slice(0, digits.length % 3 || 3);
  for (let i = grouped.length; i < digits.length; i += 3) grouped += ',' + digits.slice(i, i + 3);
  return sign + grouped + (point < 0 ? '' : fixed.slice(point));
}

/** part / whole as a percentage with `decimals` places, half-up; null when whole is zero. */
export function share(part: Fen, whole: Fen, decimals = 2): string | null {
  if (whole === 0n) return null;
  return new Decimal(part.toString()).times(100).dividedBy(whole.toString()).toFixed(decimals, Decimal.ROUND_HALF_UP);
}

export function sumFen(values: Iterable<Fen>): Fen {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}
