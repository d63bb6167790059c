// Facts about a budget's fields that every layer states the same way: the fiscal years accepted and the
// printed labels of a project's fields (as T11 prints them). No imports: the UI's contract uses it too.

export const MIN_FISCAL_YEAR = 2000;
export const MAX_FISCAL_YEAR = 2100;

export function isFiscalYear(year: number): boolean {
  return Number.isInteger(year) && year >= MIN_FISCAL_YEAR && year <= MAX_FISCAL_YEAR;
}

/** Printed labels (T11) of a project's dated and amount fields. */
export const PROJECT_FIELD_LABELS = {
  start: '开始时间',
  end: '结束时间',
  totalAmount: '项目总金额',
  yearAmount: '项目本年度金额',
  priorTotalAmount: '上年度项目总金额',
  priorYearAmount: '项目上年度金额',
} as const;
