// Tables and 审核: the published tables (read from the engine's kept cells), the lines behind a figure, the
// full 审核 list, and the publication formats the tables follow.
import { auditRule } from '../../core/audit/index.js';
import { templateChoicesFromWizardState, WIZARD_STATE_META_KEY } from '../../core/indicators.js';
import type { BudgetLine } from '../../core/model.js';
import type { TableId as CoreTableId } from '../../core/tables/report.js';
import type { BudgetStore } from '../../db/store.js';
import { availableFormats, checkFormatFile, chooseFormat, chosenFormat, storeUserFormat } from '../../db/publication-formats.js';
import { DEFAULT_FORMAT_ID, SHIPPED_FORMATS } from '../../core/tables/index.js';
import type { ApiOutputs, ApiParsedInput } from '../contract.js';
import { ApiRefusal } from '../errors.js';
import { defineArea } from '../handlers.js';
import { compareLines, refusalFrom } from '../session.js';
import { reportToView } from '../tables-view.js';

function formatsInfo(store: BudgetStore): ApiOutputs['formats.list'] {
  return {
    current: chosenFormat(store).id,
    formats: availableFormats(store).map((f) => ({ id: f.id, name: f.name, builtin: f.builtin, tables: f.format.tables.map((t) => t.id) })),
  };
}

export const reportsArea = defineArea('reports', {
  'formats.list': (s): ApiOutputs['formats.list'] => {
    // With no budget open (新建预算): the shipped formats, the default first chosen.
    if (!s.store || !s.budget) {
      return {
        current: DEFAULT_FORMAT_ID,
        formats: [...SHIPPED_FORMATS.values()].map((f) => ({ id: f.id, name: f.name, builtin: true, tables: f.tables.map((t) => t.id) })),
      };
    }
    const { store } = s.requireBudget();
    return formatsInfo(store);
  },

  'formats.choose': (s, input: ApiParsedInput<'formats.choose'>): ApiOutputs['formats.choose'] => {
    const { store } = s.requireBudget();
    try {
      chooseFormat(store, input.id);
    } catch (err) {
      refusalFrom(err);
    }
    // The tables are the format's: start the engine afresh.
    s.load();
    return formatsInfo(store);
  },

  'formats.import': (s, input: ApiParsedInput<'formats.import'>): ApiOutputs['formats.import'] => {
    const { store } = s.requireBudget();
    const checked = checkFormatFile(input.text);
    if (!checked.ok) {
      throw new ApiRefusal(
        `公开表格式文件有 ${checked.problems.length} 处问题，未载入（预算文件未作改动）`,
        checked.problems.map((p) => ({ path: p.path, message: p.message })),
      );
    }
    try {
      storeUserFormat(store, checked.format);
    } catch (err) {
      refusalFrom(err);
    }
    return { ...formatsInfo(store), message: `已载入公开表格式“${checked.format.name}”（${checked.format.tables.length} 张表），可在上方选用` };
  },

  // ---- API: reports and audit ---------------------------------------------------------------------------

  'reports.tables': (s, input: ApiParsedInput<'reports.tables'>): ApiOutputs['reports.tables'] => {
    const { engine, budget, store } = s.requireBudget();
    const displayUnit = input.displayUnit ?? s.unit;
    // The indicator trees chosen in the wizard, so the T10/T11 sheets follow the same tree as the wizard.
    const choices = templateChoicesFromWizardState(store.getMeta(WIZARD_STATE_META_KEY));
    // Only the tables asked for, each read from the engine's kept cells (nothing is computed for the others).
    const tables = input.tables ? input.tables.map((id) => engine.sharedTable(id as CoreTableId)) : engine.sharedTables();
    return { displayUnit, tables: tables.flatMap((t) => reportToView(t, displayUnit, budget.fiscalYear, choices)) };
  },

  'reports.linesBehind': (s, input: ApiParsedInput<'reports.linesBehind'>): ApiOutputs['reports.linesBehind'] => {
    const { engine } = s.requireBudget();
    let figure: ReturnType<typeof engine.figureLines>;
    try {
      figure = engine.figureLines(input.table as CoreTableId, input.row, input.column);
    } catch {
      throw new ApiRefusal(`表 ${input.table} 中没有这个数字`);
    }
    // The total is the engine's figure (the cell, or a project's kept line total), not a sum made again here.
    const total = figure.total;
    const lines = figure.lines.map((id) => s.lines.get(id)).filter((l): l is BudgetLine => !!l).sort(compareLines);
    const table = engine.sharedTable(input.table as CoreTableId);
    const row = table?.rows.find((r) => r.key === input.row);
    const title = `${table?.title ?? input.table}${row ? ` · ${row.label}` : ''}`;
    return { title, total: s.money(total), lines: lines.map((l) => s.row(l)), names: s.names(lines) };
  },

  'audit.run': (s): ApiOutputs['audit.run'] => {
    s.auditCache = null;
    const { findings, summary } = s.auditNow();
    return {
      summary,
      findings: findings.map((f) => ({
        severity: f.severity === 'hard' ? 'error' : 'warning',
        rule: f.rule,
        ruleDescription: s.ruleDescription(f.rule) || (auditRule(f.rule)?.description ?? ''),
        message: f.message,
        place: { ...f.place },
      })),
    };
  },
});
