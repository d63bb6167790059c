// The 绩效目标 wizard over a real SQLite budget file holding the real 济源 2020 fixture, called through
// dispatch as the hosts call it: the 13 project tables and the department table against the published text
// (seed.txt), the 目标值 round trip, drafts that survive a restart, the 审核 rules at their fields, and the
// table engine kept in step with project edits.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiInput, ApiMethod, ApiOutputs, TableView } from '../../api/contract.js';
import { dispatch } from '../../api/dispatch.js';
import { BudgetSession, createBudgetService } from '../../api/service.js';
import type { IndicatorInput, TargetInput, WizardIndicator, WizardProject } from '../../api/wizard.js';
import { nextProjectCode } from '../../api/areas/wizard/views.js';
import { callOk, callRefused } from './api-support.js';

const FIXTURE_DIR = join(import.meta.dirname, '..', 'fixtures', 'jiyuan-2020');
const FIXTURE = readFileSync(join(FIXTURE_DIR, 'budget.json'), 'utf8');
const SEED = readFileSync(join(FIXTURE_DIR, 'seed.txt'), 'utf8');

interface FixtureIndicator {
  level1: string;
  level2: string;
  name: string;
  target: string;
  note?: string;
}
interface FixtureProject {
  code: string;
  name: string;
  unit: string;
  usage: string;
  leader: string;
  contact: string;
  phone: string;
  start: string;
  end: string;
  overview: string;
  basis: string;
  necessity: string;
  measures: string;
  plan: string;
  remarks: string;
  overallGoal: string;
  annualGoal: string;
  indicators: FixtureIndicator[];
}
const fixture = JSON.parse(FIXTURE) as {
  projects: FixtureProject[];
  departmentPerformance: { dutyGoal: string; tasks: { name: string; content: string }[]; indicators: FixtureIndicator[] };
};

let dir: string;
let dbPath: string;
let service: BudgetSession;

const ok = <M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutputs[M]> => callOk(service, method, input);

const refused = async (method: ApiMethod, input: unknown) => {
  const error = await callRefused(service, method, input);
  return { message: error.message, issues: error.issues ?? [] };
};

function reopen(): void {
  service.close();
  service = createBudgetService({ dbPath, budgetsDir: dir });
}

const squeeze = (s: string) => s.replace(/\s+/g, '');

/** The seed's text of each project table (P01 … P13 in order): from its 项目名称 row to the next table. */
function seedProjectBlocks(): string[] {
  return SEED.split('\n项目名称\t').slice(1);
}

/** Non-empty tab fields of each line of a block. */
function seedRows(block: string): string[][] {
  return block.split('\n').map((l) => l.split('\t').filter((c) => c.trim() !== ''));
}

function indicatorCells(view: TableView): { name: string; target: string; note?: string }[] {
  const head = view.rows.findIndex((r) => r.kind === 'head' && r.cells[0]?.text === '一级指标');
  const width = view.rows[head]!.cells.length;
  // Cells back on their grid columns: a cell merged down from a row above (一级, 二级, a shared 指标值说明)
  // is left out of the rows it covers, so a row's cells fill the columns no span above covers.
  const covered = new Map<number, number>();
  const placed = view.rows.slice(head + 1).map((r, i) => {
    const byColumn: (string | undefined)[] = new Array(width).fill(undefined);
    let col = 0;
    for (const c of r.cells) {
      while ((covered.get(col) ?? -1) >= i) col++;
      byColumn[col] = c.text;
      if ((c.rowSpan ?? 1) > 1) covered.set(col, i + (c.rowSpan ?? 1) - 1);
      col += c.colSpan ?? 1;
    }
    return { kind: r.kind, byColumn };
  });
  return placed
    .filter((r) => r.kind === 'indicator')
    .map(({ byColumn }) =>
      width === 5
        ? { name: byColumn[2] ?? '', target: byColumn[3] ?? '', note: byColumn[4] ?? '' }
        : { name: byColumn[2] ?? '', target: byColumn[3] ?? '' },
    )
    .filter((c) => c.name !== '' || c.target !== '');
}

function formRow(view: TableView, label: string): string[] {
  const row = view.rows.find((r) => r.cells[0]?.text === label);
  if (!row) throw new Error(`no row ${label}`);
  return row.cells.map((c) => c.text);
}

/** Every indicator handed back unchanged (the editor's "keep"). */
function kept(indicators: readonly WizardIndicator[]): IndicatorInput[] {
  return indicators.map((x) => ({
    level1: x.level1,
    level2: x.level2,
    name: x.name,
    ...(x.note ? { note: x.note } : {}),
    target: x.target.kind === 'empty' ? { kind: 'empty' } : { kind: 'keep', text: x.target.text },
  }));
}

/** The values of step 1 as the form sends them. */
function basics(p: WizardProject, changes: Partial<WizardProject['fields']> = {}): ApiInput<'wizard.saveBasics'>['values'] {
  const f = { ...p.fields, ...changes };
  return {
    code: f.code, name: f.name, unit: f.unit, category: f.category, functional: f.functional, usage: f.usage,
    leader: f.leader, contact: f.contact, phone: f.phone, start: f.start, end: f.end, totalAmount: f.totalAmount,
    yearAmount: f.yearAmount, priorTotalAmount: f.priorTotalAmount, priorYearAmount: f.priorYearAmount,
  };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wizard-test-'));
  dbPath = join(dir, 'b.budget');
  service = createBudgetService({ dbPath, budgetsDir: dir });
  await ok('exchange.import', { text: FIXTURE });
});

afterEach(() => {
  service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the 13 project tables of the seed', () => {
  /** docs/domain/TABLES.md T11: printed indicator rows per project (Σ over the 18 二级 of max(1, n)). */
  const PRINTED_INDICATOR_ROWS = [25, 24, 28, 28, 25, 25, 24, 26, 24, 25, 25, 24, 24];

  it('shows every field and every 目标值 exactly as imported and as published', async () => {
    const blocks = seedProjectBlocks();
    expect(blocks).toHaveLength(13);
    const list = await ok('wizard.list', {});
    expect(list.projects.map((p) => p.code)).toEqual(fixture.projects.map((p) => p.code));
    for (const [i, fp] of fixture.projects.entries()) {
      const view = await ok('wizard.project', { code: fp.code });
      const rows = seedRows(blocks[i]!);
      for (const field of ['name', 'usage', 'leader', 'contact', 'phone', 'start', 'end', 'overview', 'basis', 'necessity', 'measures', 'plan', 'remarks', 'overallGoal', 'annualGoal'] as const) {
        expect(view.fields[field], `${fp.code} ${field}`).toBe(fp[field]);
      }
      expect(view.template?.id).toBe('henan-2020-project');
      const preview = view.preview!;
      // Name, unit code, people, dates and the four amounts as the seed prints them.
      expect(squeeze(formRow(preview, '项目名称')[1]!)).toBe(squeeze(blocks[i]!.split('\t')[0]!));
      const seedRow = (label: string) => rows.find((r) => r[0] === label)!;
      expect(formRow(preview, '单位编码')).toEqual(seedRow('单位编码'));
      expect(formRow(preview, '项目负责人')).toEqual(seedRow('项目负责人'));
      expect(formRow(preview, '开始时间')).toEqual(seedRow('开始时间'));
      expect(formRow(preview, '项目总金额')).toEqual(seedRow('项目总金额'));
      expect(formRow(preview, '上年度项目总金额')).toEqual(seedRow('上年度项目总金额'));
      // Every 二级 of the tree is printed, empty ones on one row: the published row count.
      expect(preview.rows.filter((r) => r.kind === 'indicator')).toHaveLength(PRINTED_INDICATOR_ROWS[i]!);
      // Each 三级 with its 目标值 exactly as published (names lose the PDF's spaces, targets keep theirs).
      const printed = indicatorCells(preview);
      expect(printed.map((c) => c.target)).toEqual(fp.indicators.map((x) => x.target));
      for (const c of printed) {
        const hit = rows.some((r) => r.length >= 2 && r.at(-1) === c.target && squeeze(r.at(-2)!) === squeeze(c.name));
        expect(hit, `${fp.code} ${c.name} ${c.target} in seed.txt`).toBe(true);
      }
      // The editor's reading of each target prints back the same string.
      expect(view.indicators.map((x) => x.target.text)).toEqual(fp.indicators.map((x) => x.target));
    }
  });

  it('prints back the same 目标值 strings after every table is saved unchanged, and after re-entering each one as parts', async () => {
    for (const fp of fixture.projects) {
      const view = await ok('wizard.project', { code: fp.code });
      const saved = await ok('wizard.saveIndicators', { code: fp.code, indicators: kept(view.indicators) });
      expect(saved.indicators.map((x) => x.target.text)).toEqual(fp.indicators.map((x) => x.target));
      // Re-entered through the parts editor: a canonical target comes back identical.
      const asParts = view.indicators.map((x): IndicatorInput => {
        const t = x.target;
        let target: TargetInput = { kind: 'keep', text: t.text };
        if (t.kind === 'quantitative' && t.unit !== null && t.text === t.canonical) target = { kind: 'quantitative', comparator: t.comparator as '=', number: t.number!, unit: t.unit! };
        if (t.kind === 'qualitative' && t.text === t.canonical) target = { kind: 'qualitative', value: t.qualitative! };
        return { level1: x.level1, level2: x.level2, name: x.name, target };
      });
      const again = await ok('wizard.saveIndicators', { code: fp.code, indicators: asParts });
      expect(again.indicators.map((x) => x.target.text)).toEqual(fp.indicators.map((x) => x.target));
    }
    const t11 = (await ok('reports.tables', {})).tables.filter((t) => t.table === 'T11');
    expect(t11).toHaveLength(13);
  });

  it('reads published free text into its parts: comparator, number and unit, or a qualitative value', async () => {
    const p01 = await ok('wizard.project', { code: 'P01' });
    const byName = new Map(p01.indicators.map((x) => [x.name, x.target]));
    expect(byName.get('全年开展论证活动')).toMatchObject({ kind: 'quantitative', comparator: '≥', number: '20', unit: '次', text: '≥20次' });
    expect(byName.get('预算执行率')).toMatchObject({ kind: 'quantitative', comparator: '=', number: '100', unit: '%' });
    expect(byName.get('预算编制合理性')).toMatchObject({ kind: 'qualitative', qualitative: '合理' });
    const dept = await ok('wizard.department', {});
    const share = dept.indicators.find((x) => x.name === '电子政务内外网网络共享')!.target;
    expect(share).toMatchObject({ kind: 'quantitative', comparator: '≥', number: '422', unit: '条', text: '≥422 条', canonical: '≥422条' });
    const implicit = dept.indicators.find((x) => x.name === '绩效监控完成率')!.target;
    expect(implicit).toMatchObject({ kind: 'quantitative', comparator: '=', implicitComparator: true, text: '100%' });
    expect(implicit.warnings.map((w) => w.code)).toContain('implicit-comparator');
    const sentence = dept.indicators.find((x) => x.name === '全市政务内外网运行数量')!.target;
    expect(sentence.kind).toBe('text');
    expect(sentence.warnings[0]).toMatchObject({ code: 'text-target', severity: 'warning' });
  });

  it('lists each project with the steps done and its 审核 findings', async () => {
    const list = await ok('wizard.list', {});
    expect(list.projects).toHaveLength(13);
    for (const p of list.projects) {
      expect(p.steps.map((x) => x.step)).toEqual(['basics', 'details', 'goals', 'indicators', 'audit', 'preview']);
      expect(p.templateName).toContain('河南');
    }
    const p01 = list.projects.find((p) => p.code === 'P01')!;
    expect(p01.steps.slice(0, 3).map((x) => x.state)).toEqual(['done', 'done', 'done']);
    expect(p01.yearAmount).toBe('5');
    expect(list.department).toMatchObject({ filled: true, taskCount: 7, indicatorCount: 39 });
  });
});

describe('the department table (T10)', () => {
  it('shows the duty goal, the tasks, the indicators with notes and the budget block as published', async () => {
    const dept = await ok('wizard.department', {});
    const fp = fixture.departmentPerformance;
    expect(dept.saved).toBe(true);
    expect(dept.dutyGoal).toBe(fp.dutyGoal);
    expect(dept.tasks).toEqual(fp.tasks);
    expect(dept.indicators.map((x) => [x.name, x.target.text, x.note])).toEqual(fp.indicators.map((x) => [x.name, x.target, x.note ?? '']));
    expect(dept.template?.id).toBe('henan-2020-department');
    // The budget block comes from the lines, printed as T10 prints it (one decimal, separators, zero blank).
    expect(dept.budget.map((r) => [r.key, r.text])).toEqual([
      ['total', '1,740.2'],
      ['fiscal', '1,740.2'],
      ['other', ''],
      ['basic', '560.8'],
      ['project', '1,179.4'],
    ]);
    const rows = seedRows(SEED.slice(SEED.indexOf('(2020 年度)'), SEED.indexOf('\n项目名称\t')));
    for (const r of dept.budget.slice(1)) {
      const seedRow = rows.find((x) => x[0] === r.label);
      expect(seedRow?.slice(1) ?? [], r.label).toEqual(r.text === '' ? [] : [r.text]);
    }
    const printed = indicatorCells(dept.preview);
    expect(printed.map((c) => c.target)).toEqual(fp.indicators.map((x) => x.target));
    for (const c of printed) {
      // The seed prints a 指标值说明 only on the first row of its span; name and target are on every row.
      const hit = rows.some((r) => r.some((cell, k) => squeeze(cell) === squeeze(c.name) && r[k + 1] === c.target));
      expect(hit, `${c.name} ${c.target}`).toBe(true);
    }
    for (const t of fp.tasks) expect(rows.some((r) => squeeze(r[0] ?? '') === squeeze(t.name) && r[1] === t.content)).toBe(true);
  });

  it('saves unchanged text as is, refuses an edit of the budget block (not an input), and keeps the engine in step', async () => {
    const dept = await ok('wizard.department', {});
    const saved = await ok('wizard.saveDepartment', {
      dutyGoal: dept.dutyGoal,
      tasks: [...dept.tasks, { name: '新任务', content: '新任务的主要内容' }],
      indicators: kept(dept.indicators),
    });
    expect(saved.indicators.map((x) => x.target.text)).toEqual(dept.indicators.map((x) => x.target.text));
    expect(saved.tasks).toHaveLength(8);
    const t10 = (await ok('reports.tables', {})).tables.find((t) => t.id === 'T10')!;
    expect(t10.rows.some((r) => r.cells.some((c) => c.text === '新任务'))).toBe(true);
    const bad = await refused('wizard.saveDepartment', { dutyGoal: 'x', tasks: [], indicators: [], budget: [] });
    expect(bad.message).toMatch(/参数无效/);
  });

  it('starts an unsaved table from the tree\'s standard rows', async () => {
    await ok('wizard.saveDepartment', { dutyGoal: '', tasks: [], indicators: [] });
    const empty = await ok('wizard.department', {});
    expect(empty.indicators).toHaveLength(0);
    expect(empty.findings.map((f) => f.field)).toEqual(expect.arrayContaining(['dutyGoal', 'tasks', 'indicators']));
  });
});

describe('a new project through every step', () => {
  async function newProject(): Promise<WizardProject> {
    const blank = await ok('wizard.project', { code: null });
    expect(blank.isNew).toBe(true);
    expect(blank.fields.code).toBe('P14');
    expect(blank.fields.start).toBe('2020-01-01');
    return ok('wizard.saveBasics', {
      code: null,
      values: basics(blank, {
        name: '政务服务效能评估', usage: '业务类', leader: '张三', contact: '李四', phone: '6633496',
        totalAmount: '12', yearAmount: '12', functional: '2010350',
      }),
      position: 'details',
    });
  }

  it('creates the project with the tree\'s standard rows, saves each step, and completes it', async () => {
    const created = await newProject();
    expect(created.code).toBe('P14');
    expect(created.position).toBe('details');
    expect(created.template?.id).toBe('henan-2020-project');
    expect(created.indicators.map((x) => x.name)).toEqual(created.template!.standardRows.map((r) => r.name));
    expect(created.lines).toMatchObject({ count: 0, matches: false });
    expect(created.lines.explanation).toContain('还没有支出明细');
    // The engine knows the project at once: T11 has its table, projects.list its amount.
    const t11 = (await ok('reports.tables', {})).tables.filter((t) => t.table === 'T11');
    expect(t11.map((t) => t.id)).toContain('T11:P14');
    expect((await ok('projects.list', {})).find((p) => p.code === 'P14')?.yearAmount).toBe('12');

    await ok('wizard.saveDetails', {
      code: 'P14',
      values: { overview: '概况', basis: '依据', necessity: '必要性', measures: '', plan: '计划', remarks: '' },
      position: 'goals',
    });
    await ok('wizard.saveGoals', { code: 'P14', values: { overallGoal: '总目标', annualGoal: '年度目标' }, position: 'indicators' });
    const before = await ok('wizard.project', { code: 'P14' });
    // No quantitative 产出 indicator yet: a 提示 here as in 审核.
    expect(before.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(before.findings.find((f) => f.rule === 'project.no-quantitative-output')).toMatchObject({ severity: 'warning' });
    const withOutput = await ok('wizard.saveIndicators', {
      code: 'P14',
      indicators: [
        ...kept(before.indicators),
        { level1: '产出目标', level2: '数量', name: '评估报告', target: { kind: 'quantitative', comparator: '≥', number: '2', unit: '份' } },
        { level1: '产出目标', level2: '时效', name: '按期完成', target: { kind: 'qualitative', value: '及时' } },
      ],
      projectTypes: ['政务服务'],
      position: 'audit',
    });
    expect(withOutput.indicators.at(-2)!.target.text).toBe('≥2份');
    expect(withOutput.projectTypes).toEqual(['政务服务']);
    expect(withOutput.findings.filter((f) => f.severity === 'error')).toEqual([]);
    // The only warning: no lines yet for the 12 of 本年度金额.
    expect(withOutput.findings.map((f) => [f.rule, f.severity, f.field])).toEqual([['project.year-amount-lines', 'warning', 'yearAmount']]);
    expect(withOutput.status).toBe('ready');
    const done = await ok('wizard.complete', { code: 'P14' });
    expect(done).toMatchObject({ completed: true, status: 'complete', position: 'preview' });
    expect(done.steps.every((x) => x.state === 'done')).toBe(true);
    const printed = indicatorCells(done.preview!);
    expect(printed.at(-1)).toEqual({ name: '按期完成', target: '及时' });
  });

  it('keeps every saved step and the position when the lead stops at step 4 and comes back after a restart', async () => {
    const created = await newProject();
    await ok('wizard.saveIndicators', {
      code: 'P14',
      indicators: [...kept(created.indicators), { level1: '产出目标', level2: '数量', name: '评估报告', target: { kind: 'quantitative', comparator: '≥', number: '2', unit: '份' } }],
      projectTypes: ['政务服务', '调研编纂'],
      position: 'indicators',
    });
    await ok('wizard.setTemplate', { code: 'P14', template: 'henan-2020-project' });
    reopen();
    const back = await ok('wizard.project', { code: 'P14' });
    expect(back.position).toBe('indicators');
    expect(back.projectTypes).toEqual(['政务服务', '调研编纂']);
    expect(back.template).toMatchObject({ id: 'henan-2020-project', chosen: true });
    expect(back.indicators.at(-1)).toMatchObject({ name: '评估报告', target: { text: '≥2份' } });
    expect(back.fields).toMatchObject({ name: '政务服务效能评估', leader: '张三', yearAmount: '12', functional: '2010350' });
    const list = await ok('wizard.list', {});
    expect(list.projects.find((p) => p.code === 'P14')).toMatchObject({ position: 'indicators', status: 'in-progress' });
  });

  it('forgets the wizard state of a budget replaced by an import', async () => {
    await ok('wizard.visit', { code: 'P03', position: 'goals' });
    await ok('wizard.complete', { code: 'P01' });
    expect((await ok('wizard.list', {})).projects.filter((p) => p.status === 'complete' || p.position !== 'basics').map((p) => p.code)).toEqual(['P01', 'P03']);
    await ok('exchange.import', { text: FIXTURE });
    const after = await ok('wizard.list', {});
    expect(after.projects.every((p) => p.position === 'basics' && p.status !== 'complete')).toBe(true);
  });
});

describe('indicator drafts', () => {
  it('保存草稿 keeps rows that cannot be stored yet exactly as typed, across a restart, and 完成 waits for them', async () => {
    const v = await ok('wizard.project', { code: 'P01' });
    const typed: IndicatorInput = { level1: '产出目标', level2: '数量', name: '培训人次', target: { kind: 'quantitative', comparator: '≥', number: '', unit: '人次' } };
    const rows = [...kept(v.indicators), typed];
    await expect(refused('wizard.saveIndicators', { code: 'P01', indicators: rows })).resolves.toMatchObject({ issues: [{ path: `indicators[${rows.length - 1}].number` }] });
    const drafted = await ok('wizard.saveIndicators', { code: 'P01', indicators: rows, draft: true });
    expect(drafted.indicators.map((x) => x.target.text)).toEqual(v.indicators.map((x) => x.target.text));
    expect(drafted.indicatorDraft!.rows.at(-1)!.input).toEqual(typed);
    expect(drafted.indicatorDraft!.issues).toEqual([{ path: `indicators[${rows.length - 1}].number`, message: '培训人次：请填写目标值的数值' }]);
    expect(drafted.findings.find((f) => f.rule === 'wizard.indicator-draft')).toMatchObject({ severity: 'error', step: 'indicators' });
    await expect(refused('wizard.complete', { code: 'P01' })).resolves.toBeTruthy();

    reopen();
    const again = await ok('wizard.project', { code: 'P01' });
    expect(again.indicatorDraft!.rows.map((r) => r.input)).toEqual(rows);

    const fixed = await ok('wizard.saveIndicators', { code: 'P01', indicators: [...kept(v.indicators), { ...typed, target: { ...typed.target, number: '50' } as TargetInput }], draft: true });
    expect(fixed.indicatorDraft).toBeNull();
    expect(fixed.indicators.at(-1)!.target.text).toBe('≥50人次');
  });
});

describe('审核 rules at their fields', () => {
  it('one severity: every finding the wizard takes from 审核 has the severity 审核 gives it, in the tables and the list', async () => {
    // A target without a comparator ("100%"), an empty target, a date order and a missing field: 提示 in
    // 审核, so 提示 here; the published tables add their own.
    const v = await ok('wizard.project', { code: 'P01' });
    await ok('wizard.saveBasics', { code: 'P01', values: basics(v, { start: '2020-12-31', end: '2020-01-01', leader: '' }) });
    await ok('wizard.saveIndicators', {
      code: 'P01',
      indicators: [...kept(v.indicators), { level1: '产出目标', level2: '质量', name: '论证通过率', target: { kind: 'empty' } }],
    });
    const audit = (await ok('audit.run', {})).findings;
    const list = await ok('wizard.list', {});
    let compared = 0;
    for (const p of list.projects) {
      const view = await ok('wizard.project', { code: p.code });
      for (const f of view.findings) {
        const same = audit.filter((a) => a.rule === f.rule && a.place.project === p.code && (a.place.indicator ?? null) === f.indicator);
        if (same.length === 0 || (f.rule === 'project.year-amount-lines' && view.lines.count === 0)) continue;
        for (const a of same) expect([p.code, f.rule, f.severity]).toEqual([p.code, f.rule, a.severity]);
        compared++;
      }
      const errors = view.findings.filter((f) => f.severity === 'error').length;
      expect(p.errors, p.code).toBe(errors);
    }
    expect(compared).toBeGreaterThan(3);
    const implicit = (await ok('wizard.readTarget', { text: '100%' })).warnings.find((w) => w.code === 'implicit-comparator');
    expect(implicit?.severity).toBe('warning');
  });

  async function p01(): Promise<WizardProject> {
    return ok('wizard.project', { code: 'P01' });
  }

  it('dates out of order, 总金额 below 本年度金额 and a missing 负责人 point at their fields', async () => {
    const v = await p01();
    const saved = await ok('wizard.saveBasics', { code: 'P01', values: basics(v, { start: '2020-12-31', end: '2020-01-01', totalAmount: '4', leader: '' }) });
    const at = (rule: string) => saved.findings.filter((f) => f.rule === rule).map((f) => [f.step, f.field, f.severity]);
    // Each with the severity 审核 gives it: dates and a missing 负责人 are 提示, 总金额 below 本年度金额 an error.
    expect(at('project.dates')).toEqual([['basics', 'end', 'warning']]);
    expect(at('project.total-below-year')).toEqual([['basics', 'totalAmount', 'error']]);
    expect(at('project.missing-fields')).toEqual([['basics', 'leader', 'warning']]);
    expect(saved.steps[0]).toMatchObject({ step: 'basics', state: 'error', errors: 1, warnings: 2 });
  });

  it('本年度金额 against the project\'s lines: equal, then a mismatch explained with the difference', async () => {
    const v = await p01();
    expect(v.lines).toMatchObject({ count: 2, amount: '5', difference: '0', matches: true });
    const saved = await ok('wizard.saveBasics', { code: 'P01', values: basics(v, { yearAmount: '6', totalAmount: '6' }) });
    expect(saved.lines).toMatchObject({ matches: false, difference: '1' });
    expect(saved.lines.explanation).toContain('差额 +1.00万元');
    expect(saved.findings.find((f) => f.rule === 'project.year-amount-lines')).toMatchObject({ severity: 'error', field: 'yearAmount' });
    // The engine follows: T11 prints 6.00 and the audit of the whole budget sees the mismatch.
    const t11 = (await ok('reports.tables', {})).tables.find((t) => t.id === 'T11:P01')!;
    expect(formRow(t11, '项目总金额')).toEqual(['项目总金额', '6.00', '项目本年度金额', '6.00']);
    const audit = await ok('audit.run', {});
    expect(audit.findings.some((f) => f.rule === 'project.year-amount-lines' && f.place.project === 'P01')).toBe(true);
  });

  it('a category change moves the project\'s lines between 一般性项目 and 专项资金 in the tables', async () => {
    const cell = async (column: string) => {
      const t03 = (await ok('reports.tables', {})).tables.find((t) => t.id === 'T03')!;
      for (const r of t03.rows) for (const c of r.cells) if (c.row === 'total' && c.column === column) return c.exact;
      return undefined;
    };
    const general = await cell('general');
    const v = await p01();
    await ok('wizard.saveBasics', { code: 'P01', values: basics(v, { category: 'special' }) });
    const after = await cell('general');
    expect(general).not.toBe(after);
    expect(await cell('special')).not.toBe(undefined);
  });

  it('placeholders are refused: a bare number, "无", "/", a unit missing; the same number in every target is a 提示', async () => {
    for (const text of ['88100', '无', '/', '']) {
      const r = await ok('wizard.readTarget', { text, name: '全年开展论证活动' });
      expect(r.refusal, text).toMatch(/占位|未填写/);
    }
    expect((await ok('wizard.readTarget', { text: '≥20次' })).refusal).toBeNull();
    expect((await ok('wizard.readTarget', { text: '100%' })).refusal).toBeNull();
    expect((await ok('wizard.readTarget', { text: '全市 30 多个部门' })).refusal).toMatch(/文字/);

    const v = await p01();
    const noUnit = await refused('wizard.saveIndicators', {
      code: 'P01',
      indicators: [{ level1: '产出目标', level2: '数量', name: '论证', target: { kind: 'quantitative', comparator: '≥', number: '20', unit: '' } }],
    });
    expect(noUnit.issues).toEqual([{ path: 'indicators[0].unit', message: '论证：目标值缺少计量单位（如 %、次、套）' }]);
    const notNumber = await refused('wizard.saveIndicators', {
      code: 'P01',
      indicators: [{ level1: '产出目标', level2: '数量', name: '论证', target: { kind: 'quantitative', comparator: '≥', number: '无', unit: '次' } }],
    });
    expect(notNumber.issues[0]).toMatchObject({ path: 'indicators[0].number' });
    // "keep" can only keep a text the table holds: it is no way round the parts editor.
    const smuggled = await refused('wizard.saveIndicators', {
      code: 'P01',
      indicators: [{ level1: '产出目标', level2: '数量', name: '论证', target: { kind: 'keep', text: '88100' } }],
    });
    expect(smuggled.issues[0]!.path).toBe('indicators[0].target');
    // Nothing was stored by the refusals.
    expect((await p01()).indicators.map((x) => x.target.text)).toEqual(v.indicators.map((x) => x.target.text));

    // The same number everywhere ("88100" typed as 88100% into every row) is caught by 审核.
    const uniform = await ok('wizard.saveIndicators', {
      code: 'P01',
      indicators: v.indicators.map((x) => ({ level1: x.level1, level2: x.level2, name: x.name, target: { kind: 'quantitative', comparator: '=', number: '88100', unit: '%' } })),
    });
    const placeholder = uniform.findings.filter((f) => f.rule === 'indicator.target-placeholder');
    expect(placeholder).toHaveLength(1);
    expect(placeholder[0]).toMatchObject({ severity: 'warning', step: 'indicators', field: 'target' });
    expect(placeholder[0]!.message).toContain('88100');
    const audit = (await ok('audit.run', {})).findings.filter((f) => f.rule === 'indicator.target-placeholder' && f.place.project === 'P01');
    expect(audit.map((f) => f.severity)).toEqual(['warning']);
  });

  it('an empty target is a 提示 and a missing name an error at their rows; a text target is a 提示', async () => {
    const v = await p01();
    const saved = await ok('wizard.saveIndicators', {
      code: 'P01',
      indicators: [...kept(v.indicators), { level1: '产出目标', level2: '质量', name: '', target: { kind: 'empty' } }],
    });
    const last = v.indicators.length;
    const atRow = saved.findings.filter((f) => f.indicator === last).map((f) => [f.rule, f.field, f.severity]);
    expect(atRow).toEqual(expect.arrayContaining([
      ['indicator.target-placeholder', 'target', 'warning'],
      ['wizard.indicator-name', 'name', 'error'],
    ]));
    const p07 = await ok('wizard.project', { code: 'P07' });
    const text = p07.findings.filter((f) => f.rule === 'indicator.target-text');
    expect(text.length).toBeGreaterThan(0);
    expect(text.every((f) => f.severity === 'warning' && f.field === 'target' && f.indicator !== null)).toBe(true);
  });

  it('refuses unreadable step 1 values with the field in the path and stores nothing', async () => {
    const v = await p01();
    const r = await refused('wizard.saveBasics', {
      code: 'P01',
      values: basics(v, { start: '2020-02-30', yearAmount: 'abc', functional: '201', code: 'P02', name: ' ' }),
    });
    expect(r.issues.map((i) => i.path).sort()).toEqual(['code', 'functional', 'name', 'start', 'yearAmount']);
    expect((await p01()).fields).toEqual(v.fields);
    // Loose forms are read: 2020/3/1, 1,234.5.
    const loose = await ok('wizard.saveBasics', { code: 'P01', values: basics(v, { start: '2020/3/1', totalAmount: '1,234.5' }) });
    expect(loose.fields).toMatchObject({ start: '2020-03-01', totalAmount: '1234.5' });
  });
});

describe('templates and codes', () => {
  it('another tree may be chosen per project; indicators outside it are kept and printed after', async () => {
    const national = await ok('wizard.setTemplate', { code: 'P01', template: 'national-2020-project' });
    expect(national.template).toMatchObject({ id: 'national-2020-project', chosen: true });
    expect(national.templates.find((t) => t.id === 'henan-2020-project')?.appliesToYear).toBe(true);
    expect(national.findings.filter((f) => f.rule === 'wizard.indicator-outside-template')).toHaveLength(17);
    const printed = indicatorCells(national.preview!);
    expect(printed.map((c) => c.target)).toEqual(fixture.projects[0]!.indicators.map((x) => x.target));
    const auto = await ok('wizard.setTemplate', { code: 'P01', template: null });
    expect(auto.template).toMatchObject({ id: 'henan-2020-project', chosen: false });
    expect((await refused('wizard.setTemplate', { code: 'P01', template: 'henan-2020-department' })).message).toContain('不是项目支出');
  });

  it('suggests the tree\'s optional rows and library entries for a 二级, ranked by project type', async () => {
    const s = await ok('wizard.suggest', { code: 'P01', level1: '产出目标', level2: '数量', projectTypes: ['培训'] });
    expect(s.length).toBeGreaterThan(3);
    expect(s.every((x) => x.level2 === '数量')).toBe(true);
    const firstTraining = s.findIndex((x) => x.projectTypes.includes('培训'));
    const firstOther = s.findIndex((x) => x.source === 'library' && !x.projectTypes.includes('培训') && !x.projectTypes.includes('通用'));
    expect(firstTraining).toBeGreaterThanOrEqual(0);
    if (firstOther >= 0) expect(firstTraining).toBeLessThan(firstOther);
    const management = await ok('wizard.suggest', { code: 'P01', level1: '投入与目标管理', level2: '项目管理' });
    expect(management.some((x) => x.source === 'template')).toBe(true);
  });

  it('a renamed code follows the project to its lines; a project with lines cannot be deleted, an empty one can', async () => {
    const v = await ok('wizard.project', { code: 'P01' });
    const renamed = await ok('wizard.saveBasics', { code: 'P01', values: basics(v, { code: 'P01A' }), position: 'goals' });
    expect(renamed).toMatchObject({ code: 'P01A', position: 'goals' });
    expect(renamed.lines).toMatchObject({ count: 2, matches: true });
    expect((await ok('lines.list', {})).lines.filter((l) => l.project === 'P01A')).toHaveLength(2);
    expect((await refused('wizard.deleteProject', { code: 'P01A' })).message).toContain('仍有 2 条预算行');
    const blank = await ok('wizard.project', { code: null });
    await ok('wizard.saveBasics', { code: null, values: basics(blank, { name: '临时项目', yearAmount: '0' }) });
    const after = await ok('wizard.deleteProject', { code: blank.fields.code });
    expect(after.projects.some((p) => p.code === blank.fields.code)).toBe(false);
    expect((await ok('reports.tables', {})).tables.some((t) => t.id === `T11:${blank.fields.code}`)).toBe(false);
  });

  it('next codes follow the existing style', () => {
    expect(nextProjectCode(['P01', 'P13', 'P02'])).toBe('P14');
    expect(nextProjectCode(['074001003', '074001001'])).toBe('074001004');
    expect(nextProjectCode([])).toBe('P01');
    expect(nextProjectCode(['X9'])).toBe('X10');
  });
});
