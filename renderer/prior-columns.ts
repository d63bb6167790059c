// 上年数 / 增减 in the line grid (issue 13): an optional set of columns beside 金额 — last year's figure, the
// 增减 amount and the 增减率 — filled on the 功能分类 类/款/项 小计 rows (lines have no 上年数 of their own). Every
// figure is the host's (document.priorFunctional): the 增减率 is computed in core/document/figures.ts
// (changeRate) by the rule the 预算说明 writes its rates with; the grid only converts the unit and formats.
// Whether the columns show is the user's choice, remembered in this browser profile.
import type { ColDef, ITooltipParams, ValueFormatterParams, ValueGetterParams } from 'ag-grid-community';
import type { AmountUnitCode } from '../api/contract.js';
import type { PriorFunctionalRow } from '../api/document.js';
import { compareExact, convertExact, formatExact } from './amounts.js';

/** The columns' ids, in the order they show (after 金额). */
export const PRIOR_COLUMNS = ['prior', 'priorChange', 'priorRate'];

const STORAGE_KEY = 'budget.grid.priorColumns';

export function priorColumnsRemembered(): boolean {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === 'shown';
  } catch {
    return false;
  }
}

export function rememberPriorColumns(shown: boolean): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, shown ? 'shown' : 'hidden');
  } catch {
    // Storage turned off: the choice holds until the page is closed.
  }
}

/** What the columns read of a grid row. */
export interface PriorRowShape {
  type: 'line' | 'subtotal' | 'total';
  sub?: { code: string };
  /** The engine's figure, exact in the budget's unit. */
  amount: string;
}

/** The host's last answer by 功能分类 code; null until it has answered. */
export type PriorRows = ReadonlyMap<string, PriorFunctionalRow> | null;

interface PriorCell {
  /** Exact in the budget's unit (the rate: a percentage text); '' shows nothing. */
  value: string;
  /** Why nothing or only part shows (the cell's tooltip). */
  note?: string;
  /** The host's figures are of an earlier state of this 小计 (its answer to the last edit is on its way). */
  stale?: boolean;
}

/**
 * What a row shows in one of the columns. `shown` is the amount the 金额 column shows for the row (under a
 * filter the sum of the lines shown): 增减 is shown only against the 科目's whole amount.
 */
export function priorCell(row: PriorRowShape | undefined, column: string, rows: PriorRows, shown: string): PriorCell {
  if (row?.type !== 'subtotal' || !row.sub || !rows) return { value: '' };
  const r = rows.get(row.sub.code);
  if (!r || r.prior === null) return { value: '', note: '未录入上年数（在“预算说明 › 上年数”中填写或导入上年数据）' };
  if (column === 'prior') return { value: r.prior };
  if (compareExact(r.current, row.amount) !== 0) return { value: '', stale: true };
  if (compareExact(shown, row.amount) !== 0) return { value: '', note: '筛选后的小计只含部分预算行，不与上年数比较' };
  if (column === 'priorChange') return { value: r.change ?? '' };
  return r.rate === null ? { value: '', note: '上年数为 0，不计算增减率' } : { value: r.rate };
}

interface Options<R extends PriorRowShape> {
  /** Hidden until the user shows them. */
  hidden: boolean;
  /** The unit shown in the headers. */
  displayUnit: AmountUnitCode;
  /** The budget's and the shown unit now. */
  units(): { budget: AmountUnitCode; display: AmountUnitCode };
  rows(): PriorRows;
  /** The amount the 金额 column shows for a row, exact in the budget's unit. */
  shown(row: R): string;
}

/** The three column definitions (not editable, not sortable, no filter). */
export function priorColumnDefs<R extends PriorRowShape>(o: Options<R>): ColDef<R>[] {
  const cellOf = (data: R | undefined, column: string) => priorCell(data, column, o.rows(), data ? o.shown(data) : '0');
  const amount = (colId: string, headerName: string, width: number): ColDef<R> => ({
    colId,
    headerName,
    width,
    hide: o.hidden,
    type: 'rightAligned',
    valueGetter: (p: ValueGetterParams<R>) => {
      const v = cellOf(p.data, colId).value;
      const u = o.units();
      return v === '' ? '' : convertExact(v, u.budget, u.display);
    },
    valueFormatter: (p: ValueFormatterParams<R>) => formatExact(p.value as string, 2),
    tooltipValueGetter: (p: ITooltipParams<R>) => cellOf(p.data, colId).note,
    cellClassRules: { 'cell-stale': (p) => !!cellOf(p.data, colId).stale },
  });
  return [
    amount('prior', `上年数（${o.displayUnit}）`, 132),
    amount('priorChange', `增减（${o.displayUnit}）`, 124),
    {
      colId: 'priorRate',
      headerName: '增减率',
      width: 92,
      hide: o.hidden,
      type: 'rightAligned',
      valueGetter: (p: ValueGetterParams<R>) => {
        const v = cellOf(p.data, 'priorRate').value;
        return v === '' ? '' : `${v}%`;
      },
      tooltipValueGetter: (p: ITooltipParams<R>) => cellOf(p.data, 'priorRate').note,
      cellClassRules: { 'cell-stale': (p) => !!cellOf(p.data, 'priorRate').stale },
    },
  ];
}
