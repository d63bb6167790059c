// The budget's headline figures — 支出总计, 收入总计, 基本支出, 项目支出, 一般公共预算, “三公”经费 — read from the
// table engine's cells, never summed again. Each is a cell of the 河南 2020 tables (T01 部门收支总体情况表 and T08
// “三公”经费支出情况表), whatever format the budget publishes in, so every package's manifest states the same
// figures and the receiver compares them with the same cells computed from budget.json. (The audit's own sums
// of the lines, core/audit/context.ts, are the independent cross-check of these cells.)
import type { CodeBook } from './codelists.js';
import type { Budget } from './model.js';
import type { Fen } from './money.js';
import { defaultFormat } from './tables/definitions.js';
import { TableEngine } from './tables/engine.js';
import type { PublicationFormat } from './tables/format.js';

export type HeadlineFigure = 'expenditure' | 'income' | 'basic' | 'project' | 'generalPublicBudget' | 'threePublic';

/** The cell each figure is: table, row and column in the 河南 2020 format (data/formats/henan-2020.json). */
export const HEADLINE_CELLS: Readonly<Record<HeadlineFigure, readonly [table: string, row: string, column: string]>> = {
  /** 支出合计: every expenditure line. */
  expenditure: ['T01', 'expenditure:total', 'total'],
  /** 收入合计: the income budget, or the expenditure per fund when the budget states no income. */
  income: ['T01', 'income:total', 'amount'],
  basic: ['T01', 'expenditure:basic', 'total'],
  project: ['T01', 'expenditure:project', 'total'],
  /** 一般公共预算 lines. */
  generalPublicBudget: ['T01', 'expenditure:total', 'gpb'],
  /** T08's 共计: the four “三公” 款 of 一般公共预算 lines. */
  threePublic: ['T08', 'total', 'total'],
};

let figuresFormat: PublicationFormat | null = null;

/** The 河南 2020 format with only the tables the figures are cells of (two fixed-row tables: quick to build). */
function formatOfFigures(): PublicationFormat {
  if (!figuresFormat) {
    const ids = new Set(Object.values(HEADLINE_CELLS).map(([table]) => table));
    const format = defaultFormat();
    figuresFormat = { ...format, tables: format.tables.filter((t) => ids.has(t.id)) };
  }
  return figuresFormat;
}

/** The headline figures of a budget in 分, each the engine's cell named in HEADLINE_CELLS. */
export function headlineFigures(budget: Budget, book: CodeBook): Record<HeadlineFigure, Fen> {
  const engine = new TableEngine(budget, book, formatOfFigures());
  const cell = (figure: HeadlineFigure): Fen => {
    const [table, row, column] = HEADLINE_CELLS[figure];
    return engine.cell(table, row, column);
  };
  return {
    expenditure: cell('expenditure'),
    income: cell('income'),
    basic: cell('basic'),
    project: cell('project'),
    generalPublicBudget: cell('generalPublicBudget'),
    threePublic: cell('threePublic'),
  };
}
