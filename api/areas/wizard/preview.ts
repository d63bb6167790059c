// The printed 预览 of a project's T11 sheet and of the department's T10, laid out by core/tables/layout.ts.
import type { IndicatorTemplate } from '../../../core/indicators.js';
import type { DepartmentPerformance, Project } from '../../../core/model.js';
import { formatAmount, toExactString, type Fen } from '../../../core/money.js';
import type { AmountFormat } from '../../../core/tables/report.js';
import { FORM_COLUMN_WIDTHS, departmentForm, projectForm } from '../../../core/tables/layout.js';
import type { TableView } from '../../contract.js';
import { blockToView } from '../../tables-view.js';
import type { WizardSession } from './state.js';

// ---- printed layout (T11, T10) ---------------------------------------------------------------------------

/** One project's 项目支出绩效目标表 as printed (docs/domain/TABLES.md T11): the draft on the one print layout. */
export function projectPreview(s: WizardSession, p: Project, template: IndicatorTemplate | null): TableView {
  const t11 = s.engine.table('T11');
  return blockToView(projectForm(t11, p, undefined, template), t11, { amountUnit: t11.amountUnit, columnWidths: FORM_COLUMN_WIDTHS.projects });
}

export function departmentBudget(s: WizardSession): { rows: WizardBudgetRowLike[]; format: AmountFormat } {
  const t10 = s.engine.table('T10');
  const unit = s.budget.amountUnit;
  return {
    format: t10.format,
    rows: t10.rows.map((r) => {
      const fen = r.cells.amount ?? 0n;
      return { key: r.key, label: r.label, fen, exact: toExactString(fen, unit), text: formatAmount(fen, unit, t10.format) };
    }),
  };
}

interface WizardBudgetRowLike {
  key: string;
  label: string;
  fen: Fen;
  exact: string;
  text: string;
}

/** The department's 整体绩效目标表 as printed (docs/domain/TABLES.md T10): the draft on the one print layout. */
export function departmentPreview(s: WizardSession, perf: DepartmentPerformance, template: IndicatorTemplate | null): TableView {
  const t10 = s.engine.table('T10');
  const block = departmentForm(t10, perf, template);
  return blockToView(block, t10, { amountUnit: t10.amountUnit, columnWidths: FORM_COLUMN_WIDTHS.form });
}
