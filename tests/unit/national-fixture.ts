// The budget written for the national format's tests (tests/fixtures/national/budget.json): three units, five
// sources, 上年结转 partly carried to next year.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseExchange } from '../../core/exchange.js';
import type { Budget } from '../../core/model.js';
import { defaultCodeBook } from '../../db/defaults.js';

export const NATIONAL_FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'national', 'budget.json');

export function nationalBudget(): Budget {
  const parsed = parseExchange(readFileSync(NATIONAL_FIXTURE, 'utf8'), defaultCodeBook);
  if (!parsed.ok) throw new Error(parsed.problems[0]!.message);
  return parsed.budget;
}
