// 上年数 from last year's exchange file or 上报 package: the package is verified as a received one would be,
// last year's tables are computed, and the figures they published become this year's priorYear.
import type { CodeBook } from '../core/codelists.js';
import { priorYearFromBudget } from '../core/document/prior.js';
import { parseExchange } from '../core/exchange.js';
import type { Budget, PriorYear } from '../core/model.js';
import { formatProblem } from '../core/problems.js';
import { TableEngine } from '../core/tables/index.js';
import { PackageError } from './errors.js';
import { checkArchive, checkBudget } from './receive.js';

export interface PriorSource {
  budget: Budget;
  priorYear: PriorYear;
  kind: 'package' | 'exchange';
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * Reads last year's budget from a file's bytes (a .zip 上报 package or a budget-exchange/1 .json) and works out
 * the prior-year figures for a budget of `forYear`. Refuses (PackageError, Chinese message) a file that is
 * neither, is damaged, or is not of the year before `forYear`.
 */
export async function readPriorSource(bytes: Buffer, forYear: number, bookFor: (year: number) => CodeBook): Promise<PriorSource> {
  let budget: Budget;
  let kind: PriorSource['kind'];
  if (bytes.subarray(0, 4).equals(ZIP_MAGIC)) {
    budget = checkBudget(await checkArchive(bytes), bookFor);
    kind = 'package';
  } else {
    const parsed = parseExchange(bytes.toString('utf8'), bookFor);
    if (!parsed.ok) {
      const shown = parsed.problems.slice(0, 20).map(formatProblem);
      if (parsed.problems.length > shown.length) shown.push(`……共 ${parsed.problems.length} 处问题`);
      throw new PackageError('budget', '文件既不是上报数据包，也不是有效的预算交换文件：', shown);
    }
    budget = parsed.budget;
    kind = 'exchange';
  }
  if (budget.fiscalYear !== forYear - 1) {
    throw new PackageError('fiscal-year', `文件中是 ${budget.fiscalYear} 年的预算，本预算为 ${forYear} 年，上年数应取自 ${forYear - 1} 年的预算`);
  }
  const engine = new TableEngine(budget, bookFor(budget.fiscalYear));
  return { budget, kind, priorYear: priorYearFromBudget(budget, engine.tables(), engine.functionalSubtotals()) };
}
