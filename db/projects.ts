// 项目库's reads of the budget file beyond the store's project rows (BudgetStore.getProject / upsertProject /
// deleteProject): what uses a project, so a delete can be refused with where its lines are.
import type { BudgetStore } from './store.js';

export interface ProjectUsage {
  /** Budget lines booked on the project. */
  lines: number;
  /** Its lines by unit (code order) and by 功能分类 (code order). */
  byUnit: { unit: string; name: string; lines: number }[];
  functional: string[];
  /** 政府采购 rows of the project. */
  procurement: number;
}

const count = (v: unknown): number => Number(v ?? 0);

export function projectUsage(store: BudgetStore, code: string): ProjectUsage {
  const byUnit = store
    .select(
      `SELECT l.unit AS unit, COALESCE(u.name, '') AS name, COUNT(*) AS n
         FROM lines l LEFT JOIN units u ON u.code = l.unit
        WHERE l.project = ? GROUP BY l.unit ORDER BY l.unit`,
      code,
    )
    .map((r) => ({ unit: r.unit as string, name: r.name as string, lines: count(r.n) }));
  const functional = store.select('SELECT DISTINCT functional FROM lines WHERE project = ? ORDER BY functional', code).map((r) => r.functional as string);
  const procurement = count(store.selectOne('SELECT COUNT(*) AS n FROM procurement WHERE project = ?', code)?.n);
  return { lines: byUnit.reduce((n, u) => n + u.lines, 0), byUnit, functional, procurement };
}
