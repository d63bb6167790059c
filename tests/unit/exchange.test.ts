import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { parseExchange, serializeExchange, toExchange, type ParseExchangeResult } from '../../core/exchange.js';
import { defaultCodeBook } from '../../db/defaults.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'jiyuan-2020', 'budget.json');
const fixtureText = readFileSync(FIXTURE, 'utf8');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;
const fixture = (): Doc => JSON.parse(fixtureText);

function parse(text: string): ParseExchangeResult {
  return parseExchange(text, defaultCodeBook);
}

function refused(doc: Doc | string) {
  const r = parse(typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  if (r.ok) throw new Error('expected the document to be refused');
  return r.problems;
}

/** The fixture with `mutate` applied, expected to be refused with a problem at `path` whose message has `fragment`. */
function expectRefused(mutate: (d: Doc) => void, path: string, fragment: string | RegExp) {
  const d = fixture();
  mutate(d);
  const problems = refused(d);
  const at = problems.filter((p) => p.path === path);
  expect(at.map((p) => p.message).join('\n'), `problems: ${JSON.stringify(problems, null, 1)}`).toMatch(fragment);
  expect(at[0]!.line).toBeGreaterThan(0);
  return problems;
}

describe('parseExchange: the fixture', () => {
  it('reads the 济源 2020 budget with ids 1..n in document order', () => {
    const r = parse(fixtureText);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const b = r.budget;
    expect(b.fiscalYear).toBe(2020);
    expect(b.amountUnit).toBe('万元');
    expect(b.units).toEqual([{ code: '074001', name: '济源市行政服务中心', kind: 'public-institution' }]);
    expect(b.lines).toHaveLength(45);
    expect(b.lines.map((l) => l.id)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    expect(b.lines[0]).toMatchObject({ functional: '2010350', economic: '30101', amount: 1_409_000_00n, kind: 'basic', project: null });
    expect(b.projects).toHaveLength(13);
    // 1740.2 万元 in total, exactly.
    expect(b.lines.reduce((s, l) => s + l.amount, 0n)).toBe(1_740_200_000n);
    expect(b.procurement.every((p) => p.assumed === true)).toBe(true);
    expect(b.departmentPerformance?.tasks.length).toBeGreaterThan(0);
    expect(b.priorYear).toEqual({ total: 2_475_700_000n, threePublic: 8_500_000n });
  });

  it('accepts what only breaks audit rules (total below year amount, income ≠ expenditure, project ≠ its lines)', () => {
    const d = fixture();
    // P05 and P09 already have totalAmount 0.00 < yearAmount in the seed.
    d.projects[0].yearAmount = '999';
    d.income = [{ unit: '074001', fund: 'gpb.appropriation', amount: '1' }];
    const r = parse(JSON.stringify(d));
    expect(r.ok).toBe(true);
  });

  it('ignores fields the format does not define, with one warning per field name', () => {
    const r = parse(fixtureText);
    if (!r.ok) throw new Error('refused');
    expect(r.warnings.map((w) => w.path)).toEqual(['$.transcriptionNotes', '$.projects[0].skeleton']);
    expect(r.warnings[1]!.message).toContain('共 13 处');
    // departmentPerformance.budget is computed by the app: silently ignored.
    expect(r.warnings.some((w) => w.path.includes('departmentPerformance'))).toBe(false);
  });

  it('accepts a minimal 一上 budget in 元 with 2 decimals and no optional sections', () => {
    const doc = {
      format: 'budget-exchange/1',
      fiscalYear: 2024,
      amountUnit: '元',
      department: { code: '101', name: '某局' },
      units: [{ code: '101001', name: '某局机关', kind: 'administrative' }],
      lines: [{ unit: '101001', functional: '2010101', economic: '30101', kind: 'basic', fund: 'gpb.appropriation', amount: '1234.56' }],
    };
    const r = parse(JSON.stringify(doc));
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.budget.lines[0]!.amount).toBe(123456n);
    expect(r.budget.income).toEqual([]);
    expect(r.budget.departmentPerformance).toBeNull();
    expect(r.budget.priorYear).toBeNull();
    const out = JSON.parse(serializeExchange(r.budget));
    expect(out.lines[0].amount).toBe('1234.56');
    expect(out).not.toHaveProperty('departmentPerformance');
  });
});

describe('parseExchange: refusals', () => {
  it('refuses text that is not JSON, with line and column', () => {
    const p = refused('{\n  "format": budget\n}');
    expect(p).toHaveLength(1);
    expect(p[0]!.line).toBe(2);
    expect(p[0]!.message).toMatch(/不是有效的 JSON（第 2 行第 13 列）/);
  });

  it('refuses a truncated file, saying where it ends', () => {
    const cut = fixtureText.slice(0, Math.floor(fixtureText.length / 2));
    const p = refused(cut);
    const lastLine = cut.split('\n').length;
    expect(p[0]!.line).toBe(lastLine);
    expect(p[0]!.message).toMatch(/意外结束.*截断/);
  });

  it('refuses an empty file', () => {
    expect(refused('  \n')[0]!.message).toContain('文件为空');
  });

  it('refuses a JSON document that is not an object', () => {
    expect(refused('[1, 2]')[0]!.message).toContain('应为对象');
  });

  it('refuses a wrong or missing format version', () => {
    expectRefused((d) => (d.format = 'budget-exchange/2'), '$.format', /不支持的交换格式“budget-exchange\/2”/);
    expectRefused((d) => delete d.format, '$.format', /缺少必填字段“format”/);
  });

  it('refuses a fiscal year that is not a sane integer', () => {
    expectRefused((d) => (d.fiscalYear = '2020'), '$.fiscalYear', /应为整数/);
    expectRefused((d) => (d.fiscalYear = 1899), '$.fiscalYear', /2000–2100/);
    expectRefused((d) => (d.fiscalYear = 2020.5), '$.fiscalYear', /无效/);
  });

  it('refuses an amount unit other than 万元 and 元', () => {
    expectRefused((d) => (d.amountUnit = '千元'), '$.amountUnit', /金额单位“千元”无效/);
  });

  it('refuses amounts written as JSON numbers, pointing at the line', () => {
    const text = fixtureText.replace('"amount": "74.2"', '"amount": 74.2');
    const p = refused(text);
    expect(p).toHaveLength(1);
    expect(p[0]!.path).toBe('$.lines[1].amount');
    expect(p[0]!.line).toBe(text.split('\n').findIndex((l) => l.includes('"amount": 74.2')) + 1);
    expect(p[0]!.message).toMatch(/带双引号的十进制文本.*不能是 JSON 数字/);
  });

  it('refuses more decimals than the unit allows', () => {
    expectRefused((d) => (d.lines[2].amount = '1.1234567'), '$.lines[2].amount', /小数位数过多.*万元.*6 位/);
    expectRefused(
      (d) => {
        d.amountUnit = '元';
        for (const l of d.lines) l.amount = '1';
        for (const p of d.projects) for (const k of ['totalAmount', 'yearAmount', 'priorTotalAmount', 'priorYearAmount']) p[k] = '1';
        for (const p of d.procurement) p.amount = '1';
        d.priorYear = { total: '1', threePublic: '1.001' };
      },
      '$.priorYear.threePublic',
      /以元为单位最多 2 位小数/,
    );
  });

  it('refuses negative and non-numeric amounts', () => {
    expectRefused((d) => (d.lines[0].amount = '-5'), '$.lines[0].amount', /不能为负数/);
    expectRefused((d) => (d.lines[0].amount = '1,234.5'), '$.lines[0].amount', /不是有效金额/);
    expectRefused((d) => (d.projects[3].yearAmount = 'abc'), '$.projects[3].yearAmount', /本年度金额.*不是有效金额/);
  });

  it('refuses an unknown unit kind and duplicate unit codes', () => {
    expectRefused((d) => (d.units[0].kind = 'company'), '$.units[0].kind', /单位类型“company”无效/);
    expectRefused((d) => d.units.push({ ...d.units[0] }), '$.units[1].code', /单位编码“074001”重复/);
  });

  it('refuses an unknown fund', () => {
    expectRefused((d) => (d.lines[4].fund = 'gpb.lottery'), '$.lines[4].fund', /资金来源“gpb.lottery”不是已知/);
  });

  it('refuses a line, project or income naming no unit', () => {
    expectRefused((d) => (d.lines[5].unit = '999001'), '$.lines[5].unit', /单位“999001”不在单位列表/);
    expectRefused((d) => (d.projects[1].unit = '999001'), '$.projects[1].unit', /项目所属单位“999001”/);
    expectRefused((d) => (d.income = [{ unit: 'X', fund: 'gpb.appropriation', amount: '1' }]), '$.income[0].unit', /单位“X”/);
  });

  it('refuses unknown functional codes and a 类/款 where a 项 is required', () => {
    expectRefused((d) => (d.lines[0].functional = '2019998'), '$.lines[0].functional', /“2019998”不在 2020 年的支出功能分类/);
    expectRefused((d) => (d.lines[0].functional = '20103'), '$.lines[0].functional', /款级科目，此处须填写项级科目（7 位）/);
    expectRefused((d) => (d.lines[0].functional = '201'), '$.lines[0].functional', /类级科目/);
    expectRefused((d) => (d.projects[0].functional = '20103'), '$.projects[0].functional', /款级科目/);
  });

  it('refuses unknown economic codes and a 类 where a 款 is required', () => {
    expectRefused((d) => (d.lines[0].economic = '30199x'), '$.lines[0].economic', /编码“30199x”无效/);
    expectRefused((d) => (d.lines[0].economic = '39998'), '$.lines[0].economic', /“39998”不在 2020 年的部门预算支出经济分类/);
    expectRefused((d) => (d.lines[0].economic = '301'), '$.lines[0].economic', /“301 工资福利支出”是类级科目，此处须填写款级科目/);
  });

  it('refuses project lines without a project or naming no project, and basic lines naming one', () => {
    const projectLine = (d: Doc) => d.lines.findIndex((l: Doc) => l.kind === 'project');
    const i = projectLine(fixture());
    expectRefused((d) => (d.lines[i].project = null), `$.lines[${i}].project`, /项目支出行必须用 project 指明/);
    expectRefused((d) => delete d.lines[i].project, `$.lines[${i}].project`, /项目支出行必须/);
    expectRefused((d) => (d.lines[i].project = 'P99'), `$.lines[${i}].project`, /项目“P99”不在项目列表/);
    expectRefused((d) => (d.lines[0].project = 'P01'), '$.lines[0].project', /基本支出行不能指定项目“P01”/);
  });

  it('refuses duplicate project codes', () => {
    expectRefused((d) => (d.projects[2].code = 'P01'), '$.projects[2].code', /项目编码“P01”重复/);
  });

  it('refuses invalid project and procurement categories, and procurement naming no project', () => {
    expectRefused((d) => (d.projects[0].category = 'normal'), '$.projects[0].category', /项目类别“normal”无效.*general/);
    expectRefused((d) => (d.procurement[0].category = 'food'), '$.procurement[0].category', /采购类别“food”无效/);
    expectRefused((d) => (d.procurement[1].project = 'P77'), '$.procurement[1].project', /项目“P77”不在项目列表/);
  });

  it('refuses dates that are not YYYY-MM-DD calendar dates', () => {
    expectRefused((d) => (d.projects[0].start = '2020/01/01'), '$.projects[0].start', /YYYY-MM-DD/);
    expectRefused((d) => (d.projects[0].end = '2020-02-30'), '$.projects[0].end', /不是有效日期/);
  });

  it('refuses missing required fields', () => {
    expectRefused((d) => delete d.lines[3].amount, '$.lines[3].amount', /缺少必填字段“amount”/);
    expectRefused((d) => delete d.projects[0].yearAmount, '$.projects[0].yearAmount', /缺少必填字段“yearAmount”/);
    expectRefused((d) => delete d.units, '$.units', /缺少必填字段“units”/);
    expectRefused((d) => (d.department = { code: '074' }), '$.department.name', /缺少必填字段“name”/);
    expectRefused((d) => (d.units = []), '$.units', /单位列表为空/);
  });

  it('refuses wrong types', () => {
    expectRefused((d) => (d.units = {}), '$.units', /应为数组/);
    expectRefused((d) => (d.department = '济源'), '$.department', /应为对象/);
    expectRefused((d) => (d.lines[1] = 'line'), '$.lines[1]', /第 2 条预算行应为对象/);
    expectRefused((d) => (d.lines[0].assumed = 'yes'), '$.lines[0].assumed', /应为 true 或 false/);
    expectRefused((d) => (d.lines[0].functional = 2010350), '$.lines[0].functional', /应为文本/);
    expectRefused((d) => (d.projects[0].indicators[0].target = 100), '$.projects[0].indicators[0].target', /指标值应为文本/);
  });

  it('refuses a repeated field, which would make the value ambiguous', () => {
    const text = fixtureText.replace('"amount": "74.2"', '"amount": "74.2", "amount": "7.42"');
    const p = refused(text);
    expect(p[0]).toMatchObject({ path: '$.lines[1].amount', message: expect.stringContaining('重复出现') });
  });

  it('reports every problem of a document at once', () => {
    const d = fixture();
    d.format = 'x';
    d.lines[0].amount = '-1';
    d.lines[1].economic = '301';
    d.lines[2].fund = 'nope';
    d.projects[0].category = 'y';
    d.procurement[0].category = 'z';
    const paths = refused(d).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '$.format', '$.lines[0].amount', '$.lines[1].economic', '$.lines[2].fund', '$.projects[0].category', '$.procurement[0].category',
      ]),
    );
  });
});

/** The fixture as the format defines it, amounts normalised: what an export must equal. */
function semanticFixture(): Doc {
  const d = fixture();
  delete d.transcriptionNotes;
  delete d.departmentPerformance.budget;
  const norm = (s: string) => new Decimal(s).toFixed();
  for (const l of d.lines) l.amount = norm(l.amount);
  for (const p of d.procurement) p.amount = norm(p.amount);
  for (const p of d.projects) {
    delete p.skeleton;
    for (const k of ['totalAmount', 'yearAmount', 'priorTotalAmount', 'priorYearAmount']) if (k in p) p[k] = norm(p[k]);
  }
  d.priorYear.total = norm(d.priorYear.total);
  d.priorYear.threePublic = norm(d.priorYear.threePublic);
  return d;
}

describe('toExchange / serializeExchange', () => {
  it('round-trips: export → import → export gives the same document', () => {
    const first = parse(fixtureText);
    if (!first.ok) throw new Error('refused');
    const once = serializeExchange(first.budget);
    const second = parse(once);
    if (!second.ok) throw new Error(JSON.stringify(second.problems));
    expect(second.warnings).toEqual([]);
    expect(serializeExchange(second.budget)).toBe(once);
  });

  it('exports the fixture’s data with amounts in normalised exact form', () => {
    const r = parse(fixtureText);
    if (!r.ok) throw new Error('refused');
    const out = toExchange(r.budget) as Doc;
    expect(out).toEqual(semanticFixture());
    // Key order follows the format description.
    expect(Object.keys(out)).toEqual([
      'format', 'fiscalYear', 'amountUnit', 'department', 'units', 'lines', 'income', 'projects', 'procurement',
      'departmentPerformance', 'priorYear',
    ]);
    expect(Object.keys(out.lines[0])).toEqual(['unit', 'functional', 'economic', 'kind', 'project', 'fund', 'amount', 'assumed']);
    expect(out.projects[0].totalAmount).toBe('5');
    expect(out.projects[3].yearAmount).toBe('24');
  });

  it('keeps assumed:true and leaves absent optional project fields absent', () => {
    const d = fixture();
    d.lines[7].assumed = true;
    for (const k of ['leader', 'phone', 'start', 'totalAmount', 'overview']) delete d.projects[4][k];
    const r = parse(JSON.stringify(d));
    if (!r.ok) throw new Error('refused');
    const out = JSON.parse(serializeExchange(r.budget));
    expect(out.lines[7].assumed).toBe(true);
    expect(out.lines[6].assumed).toBe(false);
    expect(out.procurement.every((p: Doc) => p.assumed === true)).toBe(true);
    for (const k of ['leader', 'phone', 'start', 'totalAmount', 'overview']) expect(out.projects[4]).not.toHaveProperty(k);
    expect(out.projects[4]).toHaveProperty('contact');
  });

  it('writes amounts exactly, without floats, at the extremes of precision', () => {
    const d = fixture();
    d.lines[0].amount = '9007199254.740991'; // the largest amount allowed, in 万元
    d.lines[1].amount = '0.000001';
    d.lines[2].amount = '5.50';
    const r = parse(JSON.stringify(d));
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.budget.lines[0]!.amount).toBe(9_007_199_254_740_991n);
    const out = JSON.parse(serializeExchange(r.budget));
    expect(out.lines[0].amount).toBe('9007199254.740991');
    expect(out.lines[1].amount).toBe('0.000001');
    expect(out.lines[2].amount).toBe('5.5');
    d.lines[0].amount = '9007199254.740992';
    expect(refused(d)[0]).toMatchObject({ path: '$.lines[0].amount', message: expect.stringContaining('超出允许范围') });
  });
});
