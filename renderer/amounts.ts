// Display of exact decimal strings from the service. Decimal arithmetic only (never JS floats): the unit
// switch 万元/元 is a shift by four places, and rounding for display is half-up from the exact value.
import DecimalBase from 'decimal.js';
import type { AmountUnitCode } from '../api/contract.js';

// decimal.js rounds its arithmetic to 20 significant digits by default; a sum of many large lines has more.
// With this precision the shift and the subtraction below are exact for any amount the app can hold.
const Decimal = DecimalBase.clone({ precision: 1000 });

const SHIFT: Record<AmountUnitCode, number> = { 万元: 4, 元: 0 };

/** Exact value `exact` (in `from`) expressed in `to`, still exact. */
export function convertExact(exact: string, from: AmountUnitCode, to: AmountUnitCode): string {
  if (from === to) return exact;
  const d = new Decimal(exact);
  return d.times(new Decimal(10).pow(SHIFT[from] - SHIFT[to])).toFixed();
}

export function groupThousands(fixed: string): string {
  const negative = fixed.startsWith('-');
  const body = negative ? fixed.slice(1) : fixed;
  const [intPart = '', frac] = body.split('.');
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (negative ? '-' : '') + grouped + (frac !== undefined ? '.' + frac : '');
}

/** Rounded half-up display with thousands separators: "1740.2" → "1,740.20". */
export function formatExact(exact: string | null | undefined, decimals = 2, blankZero = false): string {
  if (exact === null || exact === undefined || exact === '') return '';
  // Text still being saved (or refused) is shown as typed.
  if (!/^-?\d+(\.\d+)?$/.test(exact)) return exact;
  const d = new Decimal(exact);
  if (blankZero && d.isZero()) return '';
  return groupThousands(d.toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP).toFixed(decimals));
}

export function isZero(exact: string): boolean {
  return new Decimal(exact).isZero();
}

export function subtractExact(a: string, b: string): string {
  return new Decimal(a).minus(b).toFixed();
}

/** Exact sum of decimal strings (the lines a filter shows under a subtotal). */
export function sumExact(values: Iterable<string>): string {
  let total = new Decimal(0);
  for (const v of values) total = total.plus(v);
  return total.toFixed();
}

/** Orders two exact decimal strings; text that is no number (still being typed) sorts after numbers. */
export function compareExact(a: string, b: string): number {
  const isNumber = (x: string) => /^-?\d+(\.\d+)?$/.test(x);
  if (!isNumber(a) || !isNumber(b)) return isNumber(a) ? -1 : isNumber(b) ? 1 : a < b ? -1 : a > b ? 1 : 0;
  return new Decimal(a).comparedTo(b);
}
