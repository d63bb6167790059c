// Last year's budget → this year's priorYear: every figure read from last year's computed tables (and the
// engine's functional subtotals), so the 上年数 are exactly what last year's tables published.
import { THREE_PUBLIC_ITEMS, type Budget, type PriorYear, type ThreePublicItem } from '../model.js';
import type { Fen } from '../money.js';
import type { ReportTable, TableId } from '../tables/report.js';

const T08_ROWS: Record<ThreePublicItem, string> = {
  abroad: 'abroad',
  reception: 'reception',
  vehicleRunning: 'vehicle-running',
  vehiclePurchase: 'vehicle-purchase',
};

/**
 * The prior-year figures of a budget, from its tables (computeTables or TableEngine.tables()) and its
 * functional subtotals by 类/款/项 (TableEngine.functionalSubtotals()).
 */
export function priorYearFromBudget(budget: Budget, tables: readonly ReportTable[], functional: ReadonlyMap<string, Fen>): PriorYear {
  const byId = new Map<TableId, ReportTable>(tables.map((t) => [t.id, t]));
  const cell = (id: TableId, row: string, column: string): Fen => byId.get(id)?.rows.find((r) => r.key === row)?.cells[column] ?? 0n;
  let operatingCost = 0n;
  for (const u of budget.units) if (u.kind !== 'public-institution') operatingCost += cell('T05', `unit:${u.code}`, 'public');
  const threePublicItems: Partial<Record<ThreePublicItem, Fen>> = {};
  for (const item of THREE_PUBLIC_ITEMS) threePublicItems[item] = cell('T08', T08_ROWS[item], 'total');
  const economic: Record<string, Fen> = {};
  for (const r of byId.get('T06')?.rows ?? []) {
    if ((r.kind === 'class' || r.kind === 'item') && r.code) economic[r.code] = (economic[r.code] ?? 0n) + (r.cells.total ?? 0n);
  }
  return {
    total: cell('T01', 'expenditure:total', 'total'),
    threePublic: cell('T08', 'total', 'total'),
    basic: cell('T03', 'total', 'basic'),
    project: cell('T03', 'total', 'project'),
    generalPublicBudget: cell('T05', 'total', 'total'),
    governmentFund: cell('T09', 'total', 'total'),
    operatingCost,
    threePublicItems,
    functional: Object.fromEntries([...functional].sort(([a], [b]) => a.localeCompare(b))),
    economic,
  };
}
