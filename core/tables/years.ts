// Labels that change from year to year, as data. A year without an entry falls back to names derived from
// that year's code list, so a new year works before anyone has typed its labels in.

export interface YearLabels {
  /**
   * T04 expenditure rows: the 类 name as printed that year, by 类 code. The published 2020 list drops 支出
   * from eleven names and prints 215 with its older name; a 类 not listed prints its code-list name.
   */
  functionalClassNames?: Readonly<Record<string, string>>;
  /**
   * Generic 项 names that T02/T03/T05/T09 print qualified by their 款 name, "事业运行（政府办公厅（室）及相关机构事务）",
   * because the bare name repeats under many 款.
   */
  qualifiedItemNames?: readonly string[];
}

/** Names repeated under many 款 of the functional classification. */
const GENERIC_ITEM_NAMES = ['行政运行', '一般行政管理事务', '机关服务', '事业运行'] as const;

export const YEAR_LABELS: Readonly<Record<number, YearLabels>> = {
  // 济源 2020 (docs/domain/TABLES.md, T04 "The 类 list").
  2020: {
    functionalClassNames: {
      '201': '一般公共服务',
      '202': '外交',
      '203': '国防',
      '204': '公共安全',
      '205': '教育',
      '206': '科学技术',
      '207': '文化旅游体育与传媒',
      '208': '社会保障和就业',
      '210': '卫生健康',
      '211': '节能环保',
      '214': '交通运输',
      '215': '资源勘探信息等支出',
    },
    qualifiedItemNames: GENERIC_ITEM_NAMES,
  },
};

export function yearLabels(year: number): YearLabels {
  return YEAR_LABELS[year] ?? {};
}

export function qualifiedItemNames(year: number): readonly string[] {
  return yearLabels(year).qualifiedItemNames ?? GENERIC_ITEM_NAMES;
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 15 → 十五, 21 → 二十一, 30 → 三十 (1–99). */
export function chineseOrdinal(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) return String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  const head = tens === 0 ? '' : tens === 1 ? '十' : `${DIGITS[tens]}十`;
  return head + (ones === 0 ? '' : DIGITS[ones]);
}

/**
 * T04 label of a functional 类: its ordinal (the code minus 200, so numbers of codes that do not exist are
 * skipped, as published) and the year's name: "一、一般公共服务", "二十一、住房保障支出".
 */
export function functionalClassLabel(code: string, codeListName: string, year: number): string {
  const name = yearLabels(year).functionalClassNames?.[code] ?? codeListName;
  const ordinal = /^2\d\d$/.test(code) ? Number.parseInt(code, 10) - 200 : NaN;
  return Number.isNaN(ordinal) || ordinal < 1 ? name : `${chineseOrdinal(ordinal)}、${name}`;
}
