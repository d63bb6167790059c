// Publication formats as data (data/formats/*.json, core/tables/format.ts): the shipped files load, the
// 河南 2020 file gives the worked example's tables (tables.test.ts checks every figure), and a format file
// with mistakes is refused with every problem listed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeTables, defaultFormat, formatDefinitions, parsePublicationFormat, SHIPPED_FORMATS } from '../../core/tables/index.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { fixtureBudget } from './submission-fixture.js';

const henanText = readFileSync(new URL('../../data/formats/henan-2020.json', import.meta.url), 'utf8');

describe('shipped formats', () => {
  it('河南 2020 is the default and declares the eleven tables with their print decimals', () => {
    const f = defaultFormat();
    expect(f.id).toBe('henan-2020');
    expect([...SHIPPED_FORMATS.keys()]).toContain('henan-2020');
    expect(f.tables.map((t) => t.id)).toEqual(['T01', 'T02', 'T03', 'T04', 'T05', 'T06', 'T07', 'T08', 'T09', 'T10', 'T11']);
    // T01–T10 in 万元 with one decimal, T11 with two (TABLES.md "Number format").
    for (const t of f.tables) expect(t.printFormat.万元.decimals, t.id).toBe(t.id === 'T11' ? 2 : 1);
  });

  it('placeholders take the budget’s year, department and unit; T04 lists every 类 of the year', () => {
    const budget = fixtureBudget();
    const book = defaultCodeBook(budget.fiscalYear);
    const defs = formatDefinitions(defaultFormat(), { year: 2021, amountUnit: '元', departmentName: '某某局', book });
    expect(defs[0]!.caption).toEqual(['2021年部门收支总体情况表', '单位：某某局', '单位：元']);
    const t04 = defs.find((d) => d.id === 'T04')!;
    const rows = t04.rows.type === 'fixed' ? t04.rows.rows : [];
    expect(rows.filter((r) => r.kind === 'class').map((r) => r.code)).toEqual(book.functional.children(null).map((e) => e.code));
  });

  it('a format changed in data changes the tables: decimals and a column label, with no code change', () => {
    const budget = fixtureBudget();
    const json = JSON.parse(henanText);
    json.id = 'henan-2020-two-decimals';
    json.tables[2].printFormat['万元'].decimals = 2;
    json.tables[2].columns[0].label = '合计数';
    const parsed = parsePublicationFormat(json);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const t03 = computeTables({ ...budget }, defaultCodeBook(budget.fiscalYear), parsed.format).find((t) => t.id === 'T03')!;
    expect(t03.format.decimals).toBe(2);
    expect(t03.columns[0]!.label).toBe('合计数');
  });
});

describe('a user format file with mistakes', () => {
  it('is refused with every problem listed, each with its JSON path', () => {
    const json = JSON.parse(henanText);
    json.id = 'Bad Id';
    json.tables[1].id = 'T01'; // duplicate table id
    json.tables[2].columns[0].feed = { fund: ['gpb.unknown'] }; // unknown fund code
    json.tables[4].printFormat['万元'].decimals = 9; // more decimals than 分
    json.tables[5].caption[0] = '{year}年{regionName}支出经济分类汇总表'; // unknown placeholder
    json.tables[7].colour = 'red'; // unknown field
    delete json.tables[8].filter; // missing filter
    const parsed = parsePublicationFormat(json);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const paths = parsed.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(['$.id', '$.tables[2].columns[0].feed', '$.tables[4].printFormat.万元.decimals', '$.tables[7]', '$.tables[8].filter']),
    );
    for (const p of parsed.problems) expect(p.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('semantic mistakes are listed together: duplicate ids, a leaf without feed, an unknown label column, a placeholder', () => {
    const json = JSON.parse(henanText);
    json.tables[1].id = 'T01';
    delete json.tables[2].columns[0].feed;
    json.tables[7].rows.rows[0].labels = { nosuch: '共计' };
    json.tables[5].caption[0] = '{year}年{regionName}支出经济分类汇总表';
    const parsed = parsePublicationFormat(json);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => `${p.path} ${p.message}`)).toEqual([
      '$.tables[1].id 表编号 T01 与第 1 张表重复',
      '$.tables[2].columns[0].feed 金额列 “总计” 缺少 feed（哪些预算行计入此列；上年列写 prior）',
      '$.tables[5].caption[0] 未知的占位符 {regionName}（可用：{year}、{priorYear}、{department}、{unit}）',
      '$.tables[7].rows.rows[0].labels.nosuch 没有键为 “nosuch” 的文字列',
    ]);
  });

  it('a 上年 column (prior) takes no feed, sits on a leaf, names a known source, and not in a two-sided table', () => {
    const json = JSON.parse(henanText);
    const t08 = json.tables[7];
    t08.columns.push({ key: 'group:prior', label: '{priorYear}年', prior: 'threePublic', children: [{ key: 'prior:total', label: '合计', prior: 'threePublic', feed: { always: true } }] });
    json.tables[0].columns[0].children[0].prior = 'total';
    const parsed = parsePublicationFormat(json);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => `${p.path} ${p.message}`)).toEqual([
      '$.tables[0].columns[0].children[0].feed 上年列 “金额” 取上年数（prior），不能再写 feed',
      '$.tables[0].columns[0].children[0].prior 收支两栏的表不能有上年列（prior）',
      `$.tables[7].columns[${t08.columns.length - 1}].children[0].feed 上年列 “合计” 取上年数（prior），不能再写 feed`,
      `$.tables[7].columns[${t08.columns.length - 1}].prior 有下级的表头格不取数，prior 只能写在最下一级的列上`,
    ]);
    const unknown = JSON.parse(henanText);
    unknown.tables[7].columns[0].prior = 'lastYear';
    const bad = parsePublicationFormat(unknown);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.path)).toEqual(['$.tables[7].columns[0].prior']);
  });
});
