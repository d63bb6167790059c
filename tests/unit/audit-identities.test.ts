// 审核 rules as data: identities between table cells evaluated by the engine, rule levels and parameters, and
// the default rule set giving exactly today's audit.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AUDIT_RULES, auditBudget, type Finding } from '../../core/audit/index.js';
import { evaluateIdentity, parseIdentity, type CellSource } from '../../core/audit/expression.js';
import { auditConfig, ruleSettingProblems, BUILTIN_RULE_IDS, type IdentityRuleSpec } from '../../core/audit/rule-set.js';
import { parseExchange } from '../../core/exchange.js';
import type { Budget } from '../../core/model.js';
import { amount } from '../../core/money.js';
import { computeTables } from '../../core/tables/engine.js';
import { parsePublicationFormat } from '../../core/tables/format.js';
import type { ReportTable } from '../../core/tables/report.js';
import { defaultCodeBook } from '../../db/defaults.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const parsed = parseExchange(readFileSync(join(root, 'tests/fixtures/jiyuan-2020/budget.json'), 'utf8'), defaultCodeBook);
if (!parsed.ok) throw new Error(`fixture does not load: ${parsed.problems[0]?.message}`);
const seedBudget = parsed.budget;
const book = defaultCodeBook(2020);
const seedTables = computeTables(seedBudget, book);
const seed = (): Budget => structuredClone(seedBudget);
const tables = (): ReportTable[] => structuredClone(seedTables);
const add = (ts: ReportTable[], id: string, key: string, column: string, delta: string) => {
  const r = ts.find((t) => t.id === id)!.rows.find((x) => x.key === key)!;
  r.cells[column] = (r.cells[column] ?? 0n) + amount(delta);
};
const only = (f: Finding[], rule: string) => f.filter((x) => x.rule === rule);
const withoutRule = (f: Finding) => ({ severity: f.severity, place: f.place, message: f.message });

/** tables.t10-budget, written as data. */
const T10_AS_DATA: IdentityRuleSpec = {
  id: 'data.t10-budget',
  level: 'hard',
  description: 'T10 预算情况（写成数据的恒等式）',
  expressions: [
    { expression: 'T10.total.amount = T10.fiscal.amount + T10.other.amount', because: '财政性资金与其他资金之和' },
    { expression: 'T10.total.amount = T10.basic.amount + T10.project.amount', because: '基本支出与项目支出之和' },
    { expression: 'T10.total.amount = T03.total.total', because: ' T03 合计行“总计”' },
    { expression: 'T10.basic.amount = T03.total.basic', because: ' T03 合计行“基本支出小计”' },
    { expression: 'T10.project.amount = T03.total.project', because: ' T03 合计行“项目支出小计”' },
  ],
};

describe('identities over table cells', () => {
  const source = (ts: ReportTable[]): CellSource => ({
    hasTable: (id) => ts.some((t) => t.id === id),
    cell: (id, row, column) => ts.find((t) => t.id === id)?.rows.find((r) => r.key === row)?.cells[column] ?? 0n,
    rowKeys: (id) => ts.find((t) => t.id === id)?.rows.map((r) => r.key) ?? [],
  });

  it('reads cells, quoted keys, sums over row patterns and constants with their unit', () => {
    const ok = [
      'T01.expenditure:total.total = T03.total.total',
      'T03.total.total = sum(T03.unit:*.total)',
      'T08.total.total <= 50万元',
      'T05.total.total - T05.total.basic = T05.total.project',
      'T11."P03".yearAmount >= 0',
      'T03.total.project ≥ 1179.4万元',
    ];
    for (const text of ok) {
      const p = parseIdentity(text);
      expect(p.ok, text).toBe(true);
      if (p.ok) expect(evaluateIdentity(source(seedTables), p.identity)?.holds, text).toBe(true);
    }
    const p = parseIdentity('T08.total.total < 6.1万元');
    expect(p.ok && evaluateIdentity(source(seedTables), p.identity)).toEqual({ left: amount('6.1'), right: amount('6.1'), holds: false });
    // A table the format does not have: not checked.
    const n = parseIdentity('N3.total.total = T03.total.total');
    expect(n.ok && evaluateIdentity(source(seedTables), n.identity)).toBe(null);
  });

  it('says what is wrong with an expression that does not read, and where', () => {
    const bad: [string, string][] = [
      ['', '表达式为空'],
      ['T01.expenditure:total.total', '比较符'],
      ['T01.expenditure:total = T03.total.total', '列键'],
      ['t01.a.b = T03.total.total', '单元格'],
      ['T03.total.total = 50', '单位'],
      ['T03.total.total = 0.0000001万元', '小数位数过多'],
      ['T03.item:*.total = 0', '*'],
      ['T03.total.total = T03.total.total )', '多出了'],
      ['0 = 0', '没有单元格'],
      ['T03."total.total = 0', '引号'],
    ];
    for (const [text, mention] of bad) {
      const p = parseIdentity(text);
      expect(p.ok, text).toBe(false);
      if (!p.ok) expect(p.message, text).toContain(mention);
    }
  });

  it('an identity written as data fires exactly like the built-in tables.t10-budget on broken tables', () => {
    const config = auditConfig({ settings: { 'tables.t10-budget': { level: 'off' } }, packageIdentities: [T10_AS_DATA] });
    for (const [key, column, delta] of [
      ['other', 'amount', '5'],
      ['basic', 'amount', '-1.5'],
      ['total', 'amount', '0.000001'],
      ['project', 'amount', '3'],
    ] as const) {
      const ts = tables();
      add(ts, 'T10', key, column, delta);
      const builtin = only(auditBudget(seed(), book, ts), 'tables.t10-budget');
      const data = only(auditBudget(seed(), book, ts, config), 'data.t10-budget');
      expect(builtin.length, `${key} ${delta}`).toBeGreaterThan(0);
      expect(data.map(withoutRule)).toEqual(builtin.map(withoutRule));
      expect(only(auditBudget(seed(), book, ts, config), 'tables.t10-budget')).toEqual([]);
    }
    // On the intact worked example neither fires.
    expect(only(auditBudget(seed(), book, seedTables, config), 'data.t10-budget')).toEqual([]);
  });

  it('an identity written as data fires with the built-in rule on a deliberately broken budget (项目支出 ≠ the projects)', () => {
    const spec: IdentityRuleSpec = {
      id: 'data.project-spending',
      level: 'hard',
      description: '项目支出合计等于各项目本年度金额之和（写成数据）',
      expressions: [{ expression: 'T03.total.project = sum(T11.*.yearAmount)', because: '各项目本年度金额之和' }],
    };
    const config = auditConfig({ packageIdentities: [spec] });
    const broken = seed();
    broken.projects.find((p) => p.code === 'P07')!.yearAmount = amount('68.8');
    for (const [b, fires] of [
      [seed(), false],
      [broken, true],
    ] as const) {
      const f = auditBudget(b, book, computeTables(b, book), config);
      const builtin = only(f, 'budget.project-spending');
      const data = only(f, 'data.project-spending');
      expect(builtin.length).toBe(fires ? 1 : 0);
      expect(data.length).toBe(builtin.length);
      if (fires) {
        expect(data[0]!.severity).toBe(builtin[0]!.severity);
        expect(data[0]!.place).toMatchObject({ table: 'T03', field: 'project' });
        // The same two figures and the same difference.
        for (const figure of ['1179.40万元', '1180.40万元', '-1.00万元']) {
          expect(builtin[0]!.message).toContain(figure);
          expect(data[0]!.message).toContain(figure);
        }
      }
    }
  });
});

describe('the rule set', () => {
  it('with no settings is exactly the built-in rules: the worked example’s 审核 is unchanged', () => {
    const config = auditConfig();
    expect(config.rules).toEqual([...AUDIT_RULES]);
    const f = auditBudget(seed(), book, seedTables, config);
    expect(f).toEqual(auditBudget(seed(), book, seedTables));
    expect(f.filter((x) => x.severity === 'hard').map((x) => [x.rule, x.place.project])).toEqual([
      ['project.total-below-year', 'P05'],
      ['project.total-below-year', 'P09'],
    ]);
    expect(f.filter((x) => x.severity === 'soft')).toHaveLength(19);
  });

  it('switches a rule off, makes a soft rule hard and changes a threshold', () => {
    const config = auditConfig({
      settings: {
        'project.total-below-year': { level: 'off' },
        'indicator.target-missing-unit': { level: 'hard' },
        'budget.large-change': { params: { ratio: '20%' } },
      },
    });
    const f = auditBudget(seed(), book, seedTables, config);
    expect(f.filter((x) => x.rule === 'project.total-below-year')).toEqual([]);
    expect(f.filter((x) => x.rule === 'indicator.target-missing-unit').map((x) => x.severity)).toEqual(['hard', 'hard']);
    expect(f.filter((x) => x.rule === 'budget.large-change')).toHaveLength(1);
    expect(config.settings.largeChangeRatio).toBe('0.2');
    const entry = config.entries.find((e) => e.id === 'budget.large-change')!;
    expect(entry.params).toEqual([{ key: 'ratio', label: '变动比例', hint: expect.any(String), value: '0.2', defaultValue: '0.3' }]);
  });

  it('refuses unknown rules, levels, parameters and values, each with its place', () => {
    const problems = ruleSettingProblems(
      {
        'no.such-rule': { level: 'off' },
        'item.large-change': { level: 'loud' as never, params: { ratio: '-5%', colour: 'red' } },
        'project.dates': { params: { x: '1' } },
      },
      BUILTIN_RULE_IDS,
      '$.rules',
    );
    expect(problems.map((p) => p.path)).toEqual([
      '$.rules.no.such-rule',
      '$.rules.item.large-change.level',
      '$.rules.item.large-change.params.ratio',
      '$.rules.item.large-change.params.colour',
      '$.rules.project.dates.params.x',
    ]);
  });
});

describe('identities shipped with a publication format', () => {
  const henan = JSON.parse(readFileSync(join(root, 'data/formats/henan-2020.json'), 'utf8')) as Record<string, unknown>;

  it('a format carries its identities; each is checked when the format is loaded', () => {
    const good = parsePublicationFormat({ ...henan, id: 'henan-checked', identities: [T10_AS_DATA] });
    expect(good.ok).toBe(true);
    const bad = parsePublicationFormat({
      ...henan,
      id: 'henan-checked',
      identities: [
        { ...T10_AS_DATA, expressions: [{ expression: 'T10.total.amount = N9.total.total' }, { expression: 'T10.total = 0' }] },
        { ...T10_AS_DATA, id: 'tables.t10-budget' },
      ],
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems.map((p) => p.path)).toEqual([
        '$.identities[0].expressions[0].expression',
        '$.identities[0].expressions[1].expression',
        '$.identities[1].id',
      ]);
      expect(bad.problems[0]!.message).toContain('N9');
      expect(bad.problems[2]!.message).toContain('内置');
    }
  });

  it('the format’s identities run with the budget’s rules', () => {
    const config = auditConfig({ formatIdentities: [T10_AS_DATA] });
    const ts = tables();
    add(ts, 'T10', 'other', 'amount', '5');
    expect(only(auditBudget(seed(), book, ts, config), 'data.t10-budget')).toHaveLength(1);
    expect(config.entries.find((e) => e.id === 'data.t10-budget')).toMatchObject({ source: 'format', level: 'hard' });
  });
});
