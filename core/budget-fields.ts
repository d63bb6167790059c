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

/**
 * The longest text accepted in a field, in characters: names, codes and short fields (a name prints in one
 * table cell), and paragraphs (remarks, a project's 申报 texts, the 预算说明). A longer value is refused at import.
 */
export const MAX_SHORT_TEXT_CHARS = 200;
export const MAX_LONG_TEXT_CHARS = 100_000;
/** Fields holding a name, code or other short value; every other text field may hold paragraphs. */
export const SHORT_TEXT_FIELDS: ReadonlySet<string> = new Set([
  'code', 'name', 'unit', 'functional', 'economic', 'project', 'fund', 'kind', 'category', 'level1', 'level2',
  'leader', 'contact', 'phone', 'start', 'end', 'format', 'amountUnit',
]);
