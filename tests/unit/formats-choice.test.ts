// Choosing a budget's publication format and living with it: 新建预算 takes a format (the shipped ones listed
// before any budget is open), the status bar's totals, the 预算说明 (its figures and its 附件) and 审核 work
// under the national format as under 河南 2020, the engine keeps the budget's 河南 2020 tables in step with every
// change, and the national N1/N4 list every 类 of the year, N4's numbered （一）（二）… under 一、本年支出.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiInput, ApiMethod, ApiOutputs } from '../../api/contract.js';
import { createBudgetService, type BudgetSession } from '../../api/service.js';
import { narrativeAmount } from '../../core/document/figures.js';
import type { Budget, BudgetLine } from '../../core/model.js';
import { amount, toExactString } from '../../core/money.js';
import { chineseOrdinal, computeTables, reportToJson, SHIPPED_FORMATS, TableEngine, type ReportTable } from '../../core/tables/index.js';
import { printedTable } from '../../core/tables/layout.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { callOk, callRefused } from './api-support.js';
import { nationalBudget, NATIONAL_FIXTURE } from './national-fixture.js';
import { tempDir } from './submission-fixture.js';

const national = SHIPPED_FORMATS.get('national')!;

const cell = (tables: readonly ReportTable[], id: string, row: string, column: string) =>
  tables.find((t) => t.id === id)?.rows.find((r) => r.key === row)?.cells[column] ?? 0n;

describe('新建预算 with a format, and the formats offered before any budget is open', () => {
  let dir: string;
  let service: BudgetSession;
  const ok = <M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutputs[M]> => callOk(service, method, input);

  beforeEach(() => {
    dir = tempDir('formats-choice-');
    service = createBudgetService({ budgetsDir: dir });
  });
  afterEach(() => {
    service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const create = (formatId?: string, name = 'b.budget') => ({
    path: join(dir, name),
    department: { code: '101', name: '某市测试局' },
    units: [{ code: '101001', name: '某市测试局本级', kind: 'administrative' as const }],
    fiscalYear: 2021,
    amountUnit: '万元' as const,
    ...(formatId ? { formatId } : {}),
  });

  it('lists the shipped formats with no budget open, 河南 2020 first chosen', async () => {
    const f = await ok('formats.list', {});
    expect(f.current).toBe('henan-2020');
    expect(f.formats.map((x) => x.id)).toEqual([...SHIPPED_FORMATS.keys()]);
    expect(f.formats.every((x) => x.builtin)).toBe(true);
  });

  it('creates a budget printed in the national format: its tables are N1 … N9, T10, T11', async () => {
    await ok('budget.create', create('national'));
    expect((await ok('formats.list', {})).current).toBe('national');
    const index = await ok('reports.index', {});
    expect(index.tables.map((t) => t.id)).toEqual(national.tables.filter((t) => t.layout !== 'projects').map((t) => t.id));
  });

  it('without a format the budget prints in 河南 2020; an unknown format is refused and no file is made', async () => {
    await ok('budget.create', create(undefined, 'a.budget'));
    expect((await ok('formats.list', {})).current).toBe('henan-2020');
    const error = await callRefused(service, 'budget.create', create('no-such-format', 'c.budget'));
    expect(error.message).toContain('no-such-format');
    expect(error.message).toContain('national');
    expect(existsSync(join(dir, 'c.budget'))).toBe(false);
  });
});

describe('a budget in the national format in the app', () => {
  let dir: string;
  let service: BudgetSession;
  const ok = <M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutputs[M]> => callOk(service, method, input);
  const budget = nationalBudget();
  const reference = computeTables(budget, defaultCodeBook(budget.fiscalYear));

  beforeEach(async () => {
    dir = tempDir('formats-national-');
    service = createBudgetService({ dbPath: join(dir, 'n.budget'), budgetsDir: dir });
    await ok('exchange.import', { text: readFileSync(NATIONAL_FIXTURE, 'utf8') });
    await ok('formats.choose', { id: 'national' });
  });
  afterEach(() => {
    service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the status bar’s totals are the budget’s (总计, 基本支出, 项目支出), not zeros, and follow an edit', async () => {
    const info = await ok('budget.info', {});
    expect(info.totals).toEqual({ total: '275', basic: '192', project: '83' });
    const { lines } = await ok('lines.list', {});
    const basic = lines.find((l) => l.kind === 'basic')!;
    const changed = await ok('lines.update', { id: basic.id, field: 'amount', value: toExactString(amount(basic.amount) + amount('2'), '万元') });
    expect(changed.totals).toEqual({ total: '277', basic: '194', project: '83' });
  });

  it('the 预算说明 reads its figures from the budget and lists the national tables as its 附件', async () => {
    const view = await ok('document.view', {});
    const figure = (id: string) => view.figures.find((f) => f.id === id)?.computed;
    expect(figure('income.total')).toBe(narrativeAmount(cell(reference, 'T01', 'income:total', 'amount'), '万元'));
    expect(figure('expenditure.sum')).toBe('275');
    expect(figure('basic')).toBe('192');
    expect(figure('project')).toBe('83');
    expect(figure('gpb.total')).toBe(narrativeAmount(cell(reference, 'T05', 'total', 'total'), '万元'));
    expect(figure('gpb.total')).not.toBe('0');
    const text = view.paragraphs.map((p) => p.runs.map((r) => r.text).join('')).join('\n');
    expect(text).toContain('一、部门收支总表');
    expect(text).toContain('四、财政拨款收支总表');
    expect(text).not.toContain('部门收支总体情况表');
  });

  it('a figure typed as the budget gives it is no 审核 finding; a wrong one is', async () => {
    const income = narrativeAmount(cell(reference, 'T01', 'income:total', 'amount'), '万元');
    await ok('document.saveTexts', { texts: [{ key: 'figure:income.total', value: income }] });
    const clean = await ok('audit.run', {});
    expect(clean.findings.filter((f) => f.rule === 'narrative.figure-disagrees')).toEqual([]);
    await ok('document.saveTexts', { texts: [{ key: 'figure:income.total', value: '1' }] });
    const wrong = await ok('audit.run', {});
    expect(wrong.findings.filter((f) => f.rule === 'narrative.figure-disagrees').map((f) => f.message)).toEqual([
      expect.stringContaining(`按预算应为 ${income}万元`),
    ]);
    expect((await ok('budget.info', {})).audit.errors).toBe(wrong.summary.errors);
  });

  it('the 预算说明 as .docx appends the national tables after its sentences', async () => {
    const file = await ok('document.file', { format: 'docx' });
    const path = join(dir, 'document.docx');
    writeFileSync(path, Buffer.from(file.base64, 'base64'));
    const xml = execFileSync('unzip', ['-p', path, 'word/document.xml'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const text = xml.replace(/<[^>]+>/g, '');
    const tables = computeTables(budget, defaultCodeBook(budget.fiscalYear), national);
    for (const t of tables.filter((x) => /^N\d$/.test(x.id))) expect(text, t.id).toContain(t.caption[0]!);
    expect(text).not.toContain('部门收支总体情况表');
    expect(text).toContain(`收入总计${narrativeAmount(cell(reference, 'T01', 'income:total', 'amount'), '万元')}万元`);
  });
});

describe('a user-made format file with mistakes, through the app', () => {
  let dir: string;
  let service: BudgetSession;
  beforeEach(async () => {
    dir = tempDir('formats-user-');
    service = createBudgetService({ dbPath: join(dir, 'n.budget'), budgetsDir: dir });
    await callOk(service, 'exchange.import', { text: readFileSync(NATIONAL_FIXTURE, 'utf8') });
  });
  afterEach(() => {
    service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is refused with every problem listed, each with its place, and the budget file unchanged', async () => {
    const json = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'data', 'formats', 'national.json'), 'utf8')) as {
      id: string;
      tables: Record<string, unknown>[];
    };
    json.id = 'my-region';
    json.tables[1]!.id = 'N1';
    (json.tables[2]!.columns as { feed?: unknown }[])[0]!.feed = { fund: ['gpb.unknown'] };
    (json.tables[4]!.caption as string[])[0] = '{year}年{regionName}一般公共预算支出表';
    delete json.tables[7]!.filter;
    const files = () => ['n.budget', 'n.budget-wal'].map((n) => (existsSync(join(dir, n)) ? readFileSync(join(dir, n)).toString('base64') : ''));
    const before = files();
    const formatsBefore = await callOk(service, 'formats.list', {});
    const error = await callRefused(service, 'formats.import', { text: JSON.stringify(json) });
    expect(error.message).toContain('未载入');
    const paths = (error.issues ?? []).map((i) => i.path);
    for (const p of ['$.tables[1].id', '$.tables[2].columns[0].feed', '$.tables[4].caption[0]', '$.tables[7].filter']) {
      expect(paths.some((x) => x.startsWith(p)), p).toBe(true);
    }
    expect(error.message).toContain(`${paths.length} 处问题`);
    expect(files()).toEqual(before);
    expect(await callOk(service, 'formats.list', {})).toEqual(formatsBefore);
  });
});

describe('the engine under another format keeps the budget’s 河南 2020 tables', () => {
  const budget = nationalBudget();
  const book = defaultCodeBook(budget.fiscalYear);

  it('none under 河南 2020 itself; under the national format they equal a fresh computation after every kind of change', () => {
    expect(new TableEngine(budget, book).referenceTables()).toBeNull();
    const engine = new TableEngine(nationalBudget(), book, national);
    const json = (tables: ReportTable[] | null) => reportToJson(tables ?? []);
    expect(json(engine.referenceTables())).toEqual(json(computeTables(budget, book)));

    // Lines changed, added and removed; an income line; a project; the units; last year's figures.
    const current: Budget = nationalBudget();
    const lines = current.lines;
    const changed: BudgetLine = { ...lines[0]!, amount: lines[0]!.amount + amount('3') };
    engine.apply({ before: lines[0]!, after: changed });
    lines[0] = changed;
    const added: BudgetLine = { ...lines[1]!, id: 999, functional: '2050101', amount: amount('7') };
    engine.applyAll([{ before: null, after: added }]);
    lines.push(added);
    engine.apply({ before: lines[2]!, after: null });
    lines.splice(2, 1);
    const income = { ...current.income[0]!, amount: current.income[0]!.amount + amount('3') };
    engine.applyIncome({ before: current.income[0]!, after: income });
    current.income[0] = income;
    const project = { ...current.projects[0]!, name: '改名的项目', yearAmount: current.projects[0]!.yearAmount };
    engine.updateProject(project);
    current.projects[0] = project;
    const units = current.units.map((u, i) => (i === 0 ? { ...u, name: '改名的单位' } : u));
    engine.setUnits(units);
    current.units = units;
    engine.setPriorYear({ total: amount('250') });
    current.priorYear = { total: amount('250') };

    expect(json(engine.referenceTables())).toEqual(json(computeTables(current, book)));
    expect(json(engine.tables())).toEqual(json(computeTables(current, book, national)));
    // The kind totals the status bar shows are T03's 合计 row.
    const t03 = computeTables(current, book).find((t) => t.id === 'T03')!.rows.find((r) => r.key === 'total')!;
    expect([engine.grandTotal(), engine.kindTotal('basic'), engine.kindTotal('project')]).toEqual([t03.cells.total, t03.cells.basic, t03.cells.project]);
  });

  it('the 审核 reads the format’s tables and 河南 2020’s of other ids, and learns which of those a line change moved', () => {
    const engine = new TableEngine(nationalBudget(), book, national);
    const ids = engine.sharedAuditTables().map((t) => t.id);
    expect(ids).toEqual([...national.tables.map((t) => t.id), 'T01', 'T02', 'T03', 'T04', 'T05', 'T06', 'T07', 'T08', 'T09']);
    expect(engine.auditTables().map((t) => t.id)).toEqual(ids);
    const line = budget.lines[0]!;
    const own = engine.apply({ before: line, after: { ...line, amount: line.amount + amount('1') } });
    expect(own.every((c) => !/^T0\d$/.test(c.table))).toBe(true);
    const moved = engine.takeReferenceChanges();
    expect(moved.some((c) => c.table === 'T03' && c.row === 'total' && c.column === 'total')).toBe(true);
    expect(moved.every((c) => /^T0\d$/.test(c.table))).toBe(true);
    expect(engine.takeReferenceChanges()).toEqual([]);
  });
});

describe('national N1 and N4 list every 类 the year’s code list holds', () => {
  const budget = nationalBudget();
  const book = defaultCodeBook(budget.fiscalYear);
  const tables = computeTables(budget, book, national);
  const classes = book.functional.children(null);

  it('N1: one row per 类, numbered by code as 济源 T04, printed even when empty', () => {
    const n1 = tables.find((t) => t.id === 'N1')!;
    const rows = n1.rows.filter((r) => r.kind === 'class');
    expect(rows.map((r) => r.code)).toEqual(classes.map((c) => c.code));
    expect(rows[0]!.label).toBe(`一、${classes[0]!.name}`);
    const printed = printedTable(n1).blocks[0]!.cells.map((c) => c.text);
    for (const r of rows) expect(printed, r.code).toContain(r.label);
  });

  it('N4: the same 类 under 一、本年支出, numbered （一）（二）… as its income side numbers its sources', () => {
    const n4 = tables.find((t) => t.id === 'N4')!;
    const rows = n4.rows.filter((r) => r.kind === 'class');
    expect(rows.map((r) => r.code)).toEqual(classes.map((c) => c.code));
    expect(rows.map((r) => r.label)).toEqual(classes.map((c, i) => `（${chineseOrdinal(i + 1)}）${c.name}`));
    expect(rows[1]!.label).toBe(`（二）${classes[1]!.name}`);
    const labels = printedTable(n4).blocks[0]!.cells.filter((c) => c.role === 'label').map((c) => c.text);
    for (const r of rows) expect(labels, r.code).toContain(r.label);
    // Every 类 row lies above 二、结转下年 and 支出总计, which stay on the last lines.
    const line = (key: string) => n4.rows.find((r) => r.key === key)!.line!;
    expect(Math.max(...rows.map((r) => r.line!))).toBeLessThan(line('expenditure:carry-out'));
    expect(line('expenditure:total')).toBe(Math.max(...n4.rows.map((r) => r.line ?? 0)));
  });

});
