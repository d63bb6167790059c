// Columns a publication format fills from last year's figures (上年数) rather than from this year's lines: an
// amount column with `"prior": "<source>"` instead of a `feed` (the national N7's {priorYear}年预算数 group). Lines
// never feed such a column; the engine prints the budget's priorYear figure in it (zero, printed blank, while it
// is not known).
import type { PriorYear } from '../model.js';
import type { Fen } from '../money.js';

export const PRIOR_SOURCES = [
  'total',
  'basic',
  'project',
  'generalPublicBudget',
  'governmentFund',
  'operatingCost',
  'threePublic',
  'threePublic.abroad',
  'threePublic.reception',
  'threePublic.vehicle',
  'threePublic.vehicleRunning',
  'threePublic.vehiclePurchase',
  'functional',
  'economic',
] as const;

/**
 * Where a 上年 column takes its figure: a total of last year (`total` 收支总计, `basic`, `project`,
 * `generalPublicBudget`, `governmentFund`, `operatingCost` 机关运行经费, `threePublic` “三公” 合计), a “三公” item
 * (`threePublic.vehicle` = 购置 + 运行), or the figure of the row's own code (`functional`: its 类/款/项,
 * `economic`: its economic 类/款).
 */
export type PriorSource = (typeof PRIOR_SOURCES)[number];

/** Last year's figure for a row (its code, for the per-code sources); undefined when not known. */
export function priorFigure(prior: PriorYear | null, source: PriorSource, rowCode: string | undefined): Fen | undefined {
  if (!prior) return undefined;
  switch (source) {
    case 'functional':
      return rowCode === undefined ? undefined : prior.functional?.[rowCode];
    case 'economic':
      return rowCode === undefined ? undefined : prior.economic?.[rowCode];
    case 'threePublic.abroad':
      return prior.threePublicItems?.abroad;
    case 'threePublic.reception':
      return prior.threePublicItems?.reception;
    case 'threePublic.vehicleRunning':
      return prior.threePublicItems?.vehicleRunning;
    case 'threePublic.vehiclePurchase':
      return prior.threePublicItems?.vehiclePurchase;
    case 'threePublic.vehicle': {
      const items = prior.threePublicItems;
      if (items?.vehicleRunning === undefined && items?.vehiclePurchase === undefined) return undefined;
      return (items.vehicleRunning ?? 0n) + (items.vehiclePurchase ?? 0n);
    }
    default:
      return prior[source];
  }
}
