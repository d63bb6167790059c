// One choice of indicator tree for every place that needs one: the wizard, the tables on screen and the
// printed files (.xlsx/PDF) all ask core/indicators.ts, so the seed's T11 prints the same rows everywhere.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiInput, ApiMethod, ApiOutputs, TableView } from '../../api/contract.js';
import { dispatch } from '../../api/dispatch.js';
import { createBudgetService, type BudgetSession } from '../../api/service.js';
import { reportToView } from '../../api/tables-view.js';
import {
  TEMPLATES,
  bestFitTemplate,
  templateById,
  templateChoicesFromWizardState,
  WIZARD_STATE_META_KEY,
  templateForDepartment,
  templateForProject,
  type IndicatorTemplate,
  type TemplateChoices,
} from '../../core/indicators.js';
import type { Budget } from '../../core/model.js';
import { computeTables, type ReportTable } from '../../core/tables/index.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { printedTable } from '../../core/tables/layout.js';
import { BudgetStore } from '../../db/store.js';
import { exportPackage } from '../../submission/export.js';
import { readZipEntries } from '../../submission/zip-read.js';
import { budgetDb, FIXTURE, fixtureBudget, notesFor, tempDir } from './submission-fixture.js';

/** Printed indicator rows per seed project (docs/domain/TABLES.md, T11). */
const PUBLISHED_ROWS: Record<string, number> = {
  P01: 25, P02: 24, P03: 28, P04: 28, P05: 25, P06: 25, P07: 24, P08: 26, P09: 24, P10: 25, P11: 25, P12: 24, P13: 24,
};

const slots = (id: string) => templateById(id)!.levels.reduce((n, l) => n + l.level2.length, 0);

function t11(budget: Budget): ReportTable {
  return computeTables(budget, defaultCodeBook(budget.fiscalYear)).find((t) => t.id === 'T11')!;
}

/** Indicator rows per project as the screen shows them. */
function viewRows(budget: Budget, choices?: TemplateChoices): Record<string, number> {
  const views = reportToView(t11(budget), budget.amountUnit, budget.fiscalYear, choices);
  return Object.fromEntries(views.map((v) => [v.id.replace('T11:', ''), v.rows.filter((r) => r.kind === 'indicator').length]));
}

/** Indicator rows per project as the .xlsx and the PDF print them (the rows under the 一级指标 header). */
function printedRows(budget: Budget, choices?: TemplateChoices): Record<string, number> {
  const table = t11(budget);
  const printed = printedTable(table, choices ? { templateChoices: choices } : {});
  return Object.fromEntries(
    printed.blocks.map((b, i) => {
      const head = b.cells.find((c) => c.text === '一级指标' && c.role === 'header')!;
      return [table.projects![i]!.code, b.rowCount - head.row - 1];
    }),
  );
}

describe('templateForProject', () => {
  const budget = fixtureBudget();

  it('gives every seed project the Henan 2020 project tree, from its own indicators', () => {
    for (const p of budget.projects) {
      expect(templateForProject(budget, p), p.code).toMatchObject({ template: { id: 'henan-2020-project' }, reason: 'own' });
    }
  });

  it('gives a project without indicators the tree the budget’s other projects fit, not the year’s national tree', () => {
    expect(templateFor2020National()).toBe('national-2020-project');
    const fresh = { indicators: [] };
    expect(templateForProject(budget, fresh)).toMatchObject({ template: { id: 'henan-2020-project' }, reason: 'budget' });
    expect(templateForProject(budget, null)).toMatchObject({ template: { id: 'henan-2020-project' }, reason: 'budget' });
  });

  it('falls back to the year’s tree when no project has indicators', () => {
    expect(templateForProject({ fiscalYear: 2020, projects: [] }, null)).toMatchObject({ template: { id: 'national-2020-project' }, reason: 'year' });
    expect(templateForProject({ fiscalYear: 2023, projects: [{ indicators: [] }] }, null)).toMatchObject({
      template: { id: 'national-2021-project' },
      reason: 'year',
    });
  });

  it('takes the user’s choice first; an unknown id or a department tree is no choice', () => {
    const p = budget.projects[0]!;
    expect(templateForProject(budget, p, { chosen: 'national-2020-project' })).toMatchObject({
      template: { id: 'national-2020-project' },
      reason: 'chosen',
    });
    expect(templateForProject(budget, p, { chosen: 'no-such-tree' })?.reason).toBe('own');
    expect(templateForProject(budget, p, { chosen: 'henan-2020-department' })?.reason).toBe('own');
  });

  it('breaks a tie in fit by the budget year', () => {
    const base = templateById('national-2020-project')!;
    const old: IndicatorTemplate = { ...base, id: 'old', years: [2018] };
    const current: IndicatorTemplate = { ...base, id: 'current', years: [2020] };
    const indicators = [{ level1: '产出指标', level2: '数量指标' }];
    expect(bestFitTemplate('project', 2020, indicators, [old, current])?.id).toBe('current');
    expect(bestFitTemplate('project', 2018, indicators, [old, current])?.id).toBe('old');
    // More indicators held beats the year.
    const narrow: IndicatorTemplate = { ...base, id: 'narrow', years: [2020], levels: [{ level1: '产出指标', level2: ['数量指标'], dimensions: ['数量'] }] };
    const two = [...indicators, { level1: '产出指标', level2: '质量指标' }];
    expect(bestFitTemplate('project', 2020, two, [narrow, old])?.id).toBe('old');
    expect(bestFitTemplate('project', 2020, [], TEMPLATES)).toBeNull();
  });
});

function templateFor2020National(): string | undefined {
  return templateForProject({ fiscalYear: 2020, projects: [] }, null)?.template.id;
}

describe('templateForDepartment', () => {
  const budget = fixtureBudget();

  it('gives the seed department the Henan 2020 department tree; the choice wins; 2020 has no national one', () => {
    expect(templateForDepartment(budget)).toMatchObject({ template: { id: 'henan-2020-department' }, reason: 'own' });
    expect(templateForDepartment({ fiscalYear: 2020, departmentPerformance: null })).toBeNull();
    expect(templateForDepartment({ fiscalYear: 2020, departmentPerformance: null }, { chosen: 'henan-2020-department' })).toMatchObject({
      reason: 'chosen',
    });
    expect(templateForDepartment(budget, { chosen: 'national-2020-project' })?.reason).toBe('own');
  });
});

describe('the seed’s T11 on screen and in the files', () => {
  it('prints the published row counts in the tables view and in the .xlsx/PDF layout', () => {
    const budget = fixtureBudget();
    expect(viewRows(budget)).toEqual(PUBLISHED_ROWS);
    expect(printedRows(budget)).toEqual(PUBLISHED_ROWS);
  });

  it('prints a project without indicators on the budget’s tree: one empty row per 二级 of the Henan tree', () => {
    const budget = fixtureBudget();
    budget.projects[1]!.indicators = [];
    const expected = { ...PUBLISHED_ROWS, P02: slots('henan-2020-project') };
    expect(slots('henan-2020-project')).not.toBe(slots('national-2020-project'));
    expect(viewRows(budget)).toEqual(expected);
    expect(printedRows(budget)).toEqual(expected);
  });

  it('follows a tree the user chose, the same on screen and in the files', () => {
    const budget = fixtureBudget();
    budget.projects[1]!.indicators = [];
    const choices: TemplateChoices = { projects: { P02: 'national-2020-project' } };
    const expected = { ...PUBLISHED_ROWS, P02: slots('national-2020-project') };
    expect(viewRows(budget, choices)).toEqual(expected);
    expect(printedRows(budget, choices)).toEqual(expected);
  });
});

describe('templateChoicesFromWizardState', () => {
  it('reads the chosen trees and ignores everything else, damaged state included', () => {
    const raw = JSON.stringify({
      projects: { P01: { position: 'goals', template: 'national-2020-project' }, P02: { completed: true }, P03: { template: 7 } },
      department: { template: 'henan-2020-department' },
    });
    expect(templateChoicesFromWizardState(raw)).toEqual({ projects: { P01: 'national-2020-project' }, department: 'henan-2020-department' });
    expect(templateChoicesFromWizardState('{not json')).toEqual({ projects: {} });
    expect(templateChoicesFromWizardState(null)).toEqual({ projects: {} });
  });
});

describe('through the API: the wizard’s choice reaches the tables view', () => {
  let dir: string;
  let service: BudgetSession;

  async function ok<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutputs[M]> {
    const r = await dispatch(service, method, input);
    if ('error' in r) throw new Error(`${method} refused: ${r.error.message}`);
    return r.result as ApiOutputs[M];
  }
  const indicatorRows = (v: TableView | undefined) => v?.rows.filter((r) => r.kind === 'indicator').length;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'indicators-choice-'));
    service = createBudgetService({ dbPath: join(dir, 'b.budget'), budgetsDir: dir });
    await ok('exchange.import', { text: readFileSync(FIXTURE, 'utf8') });
  });
  afterEach(() => {
    service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the published rows, then the chosen tree, in the wizard and in 预算公开表 alike', async () => {
    const before = await ok('reports.tables', {});
    const counts = Object.fromEntries(before.tables.filter((t) => t.table === 'T11').map((t) => [t.id.replace('T11:', ''), indicatorRows(t)]));
    expect(counts).toEqual(PUBLISHED_ROWS);
    const wizard = await ok('wizard.project', { code: 'P01' });
    expect(wizard.template?.id).toBe('henan-2020-project');

    const chosen = await ok('wizard.setTemplate', { code: 'P01', template: 'national-2020-project' });
    expect(chosen.template?.id).toBe('national-2020-project');
    const after = await ok('reports.tables', {});
    const p01 = after.tables.find((t) => t.id === 'T11:P01');
    // The Henan indicators are kept and printed after the chosen tree's (empty) rows: never dropped.
    expect(indicatorRows(p01)).toBeGreaterThan(PUBLISHED_ROWS.P01!);
    expect(p01?.rows.find((r) => r.kind === 'indicator')?.cells[0]?.text).toBe('产出指标');
  });
});

describe('the 上报 package prints T11 on the tree chosen in the wizard', () => {
  async function t11Texts(choose: boolean): Promise<string[]> {
    const dir = tempDir('indicators-choice-');
    try {
      const budget = fixtureBudget();
      const db = budgetDb(dir, budget);
      if (choose) {
        const store = BudgetStore.open(db);
        store.setMeta(WIZARD_STATE_META_KEY, JSON.stringify({ projects: { P02: { template: 'national-2020-project' } }, department: {} }));
        store.close();
      }
      const out = join(dir, 'out');
      mkdirSync(out);
      const { file } = await exportPackage({ dbPath: db, outDir: out, notes: notesFor(budget), lock: false, now: new Date(2026, 0, 5, 9, 0, 0) });
      const entries = await readZipEntries(readFileSync(file));
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(entries.find((e) => e.name === 'T11_项目支出绩效目标表.xlsx')!.bytes as unknown as ArrayBuffer);
      const texts: string[] = [];
      for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell((c) => texts.push(String(c.value ?? ''))));
      return texts;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('the national tree’s 二级 appear only when the user chose it for P02', async () => {
    expect(await t11Texts(false)).not.toContain('数量指标');
    const chosen = await t11Texts(true);
    expect(chosen).toContain('数量指标');
    expect(chosen).toContain('服务对象满意度指标');
  });
});
