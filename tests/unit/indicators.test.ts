import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  LIBRARY,
  TEMPLATES,
  dimensionOfLevel2,
  optionalRows,
  publishedIndicatorRows,
  skeleton,
  standardRows,
  suggestions,
  templateById,
  templateFor,
  type IndicatorTemplate,
} from '../../core/indicators.js';
import type { Indicator } from '../../core/model.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = JSON.parse(readFileSync(join(root, 'tests/fixtures/jiyuan-2020/budget.json'), 'utf8')) as {
  projects: { code: string; indicators: Indicator[]; skeleton: { level1: string; level2: string }[] }[];
  departmentPerformance: { indicators: Indicator[] };
};

const henanProject = templateById('henan-2020-project')!;

describe('templates and library load as data', () => {
  it('loads the four templates and the 197 library entries', () => {
    expect(TEMPLATES.map((t) => t.id)).toEqual([
      'henan-2020-project',
      'henan-2020-department',
      'national-2020-project',
      'national-2021-project',
    ]);
    expect(LIBRARY).toHaveLength(197);
  });

  it('has the 2021 national tree with 成本指标 as a 一级', () => {
    const t = templateById('national-2021-project')!;
    expect(skeleton(t).map((s) => s.level1)).toContain('成本指标');
    expect(skeleton(t).filter((s) => s.level1 === '成本指标').map((s) => s.level2)).toEqual([
      '经济成本指标',
      '社会成本指标',
      '生态环境成本指标',
    ]);
  });
});

describe('templateFor', () => {
  it("uses the region's template for its year", () => {
    expect(templateFor(2020, '河南', 'project')?.id).toBe('henan-2020-project');
    expect(templateFor(2020, '河南省济源市', 'project')?.id).toBe('henan-2020-project');
    expect(templateFor(2020, '河南', 'department')?.id).toBe('henan-2020-department');
  });

  it('falls back to the national template for the year', () => {
    expect(templateFor(2020, '湖北', 'project')?.id).toBe('national-2020-project');
    expect(templateFor(2021, '河南', 'project')?.id).toBe('national-2020-project');
    expect(templateFor(2021, undefined, 'project')?.id).toBe('national-2020-project');
    expect(templateFor(2022, null, 'project')?.id).toBe('national-2021-project');
    expect(templateFor(2030, '河南', 'project')?.id).toBe('national-2021-project');
    expect(templateFor(2015, null, 'project')).toBeNull();
    expect(templateFor(2021, '河南', 'department')).toBeNull();
  });

  it('lets the user override the choice by id', () => {
    expect(templateFor(2024, '湖北', 'project', { override: 'national-2020-project' })?.id).toBe('national-2020-project');
    expect(templateFor(2024, '湖北', 'project', { override: 'no-such-template' })?.id).toBe('national-2021-project');
  });

  it('takes a parameter package with its own templates', () => {
    const hubei: IndicatorTemplate = { ...henanProject, id: 'hubei-2024-project', region: '湖北', years: '2024+' };
    expect(templateFor(2025, '湖北省', 'project', { templates: [...TEMPLATES, hubei] })?.id).toBe('hubei-2024-project');
  });
});

describe('skeleton and standard rows', () => {
  it('gives the 18 pairs every seed table prints, in order', () => {
    const pairs = skeleton(henanProject).map(({ level1, level2 }) => ({ level1, level2 }));
    expect(pairs).toHaveLength(18);
    for (const p of fixture.projects) expect(pairs, p.code).toEqual(p.skeleton);
  });

  it('starts a table with the nine standard rows as editable copies', () => {
    const rows = standardRows(henanProject);
    expect(rows).toHaveLength(9);
    expect(rows[0]).toEqual({ level1: '投入与目标管理', level2: '投入管理', name: '预算执行率', target: '=100%' });
    rows[0]!.target = '≥95%';
    expect(henanProject.standardRows[0]!.target).toBe('=100%');
    expect(optionalRows(henanProject).map((r) => r.name)).toContain('政府采购规范性');
  });

  it('maps a 二级 to its dimension across trees', () => {
    expect(dimensionOfLevel2('数量')).toBe('数量');
    expect(dimensionOfLevel2('数量指标')).toBe('数量');
    expect(dimensionOfLevel2('环境效益')).toBe('生态效益');
    expect(dimensionOfLevel2('可持续影响指标', templateById('national-2021-project'))).toBe('可持续影响');
    expect(dimensionOfLevel2('不存在')).toBeNull();
  });
});

describe('suggestions', () => {
  it('ranks same template and 二级 first, then the same dimension', () => {
    const list = suggestions(henanProject, '数量', ['培训']);
    const firstOther = list.findIndex((e) => e.template !== 'henan-2020-project' || e.level2 !== '数量');
    expect(firstOther).toBeGreaterThan(0);
    expect(list.slice(0, firstOther).every((e) => e.template === 'henan-2020-project' && e.level2 === '数量')).toBe(true);
    expect(list.slice(firstOther).every((e) => e.dimension === '数量')).toBe(true);
    // Within the first tier, entries of the wanted project type come before the rest.
    const tier0 = list.slice(0, firstOther);
    const training = tier0.map((e) => e.projectTypes.includes('培训'));
    expect(training[0]).toBe(true);
    expect(training).toEqual([...training].sort((a, b) => Number(b) - Number(a)));
  });

  it('puts 通用 before other project types', () => {
    const list = suggestions(templateById('national-2020-project')!, '数量指标');
    const ranks = list.filter((e) => e.template === 'national-2020-project' && e.level2 === '数量指标').map((e) => (e.projectTypes.includes('通用') ? 0 : 1));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('widens 产出 to 数量/质量/时效/成本 for the department table', () => {
    const list = suggestions(templateById('henan-2020-department')!, '重点工作任务完成');
    const dims = new Set(list.map((e) => e.dimension));
    expect(dims.has('产出')).toBe(true);
    expect(dims.has('数量')).toBe(true);
    expect(dims.has('满意度')).toBe(false);
  });

  it('never offers suggest:false entries, and offers a name once', () => {
    const hidden = new Set(LIBRARY.filter((e) => e.suggest === false).map((e) => e.id));
    expect(hidden.size).toBe(4);
    for (const t of TEMPLATES) {
      for (const s of skeleton(t)) {
        const list = suggestions(t, s.level2, ['信息化运维']);
        expect(list.some((e) => hidden.has(e.id))).toBe(false);
        expect(new Set(list.map((e) => e.name)).size).toBe(list.length);
      }
    }
  });
});

describe('publishedIndicatorRows', () => {
  const expectedCounts: Record<string, number> = {
    P01: 25, P02: 24, P03: 28, P04: 28, P05: 25, P06: 25, P07: 24, P08: 26, P09: 24, P10: 25, P11: 25, P12: 24, P13: 24,
  };

  it('prints the published row count of every seed project', () => {
    const counts = Object.fromEntries(fixture.projects.map((p) => [p.code, publishedIndicatorRows(p, henanProject).length]));
    expect(counts).toEqual(expectedCounts);
  });

  it('prints every indicator once, an empty row for an empty 二级, and spans that add up', () => {
    for (const p of fixture.projects) {
      const rows = publishedIndicatorRows(p, henanProject);
      expect(rows.filter((r) => r.indicator).map((r) => r.index).sort((a, b) => a! - b!)).toEqual(p.indicators.map((_, i) => i));
      expect(rows.every((r) => r.inTemplate)).toBe(true);
      expect(rows.reduce((n, r) => n + r.level1RowSpan, 0)).toBe(rows.length);
      expect(rows.reduce((n, r) => n + r.level2RowSpan, 0)).toBe(rows.length);
      const level1Spans = rows.filter((r) => r.level1RowSpan > 0).map((r) => r.level1);
      expect(level1Spans).toEqual(['投入与目标管理', '产出目标', '效果目标', '影响力目标']);
    }
    // P02 has nothing under 资产管理: one empty row spanning itself.
    const p02 = publishedIndicatorRows(fixture.projects[1]!, henanProject);
    const asset = p02.filter((r) => r.level2 === '资产管理');
    expect(asset).toEqual([
      { level1: '投入与目标管理', level2: '资产管理', indicator: null, index: null, level1RowSpan: 0, level2RowSpan: 1, inTemplate: true },
    ]);
    expect(p02[0]!.level1RowSpan).toBe(10);
  });

  it('keeps indicators outside the template and prints them after', () => {
    const indicators: Indicator[] = [
      { level1: '产出目标', level2: '效率', name: '平均办理时长', target: '≤3天' },
      { level1: '投入与目标管理', level2: '投入管理', name: '预算执行率', target: '=100%' },
      { level1: '产出目标', level2: '效率', name: '一次办结率', target: '≥95%' },
    ];
    const rows = publishedIndicatorRows(indicators, henanProject);
    expect(rows).toHaveLength(18 + 2);
    const extra = rows.slice(18);
    expect(extra.map((r) => [r.index, r.inTemplate, r.level1RowSpan, r.level2RowSpan])).toEqual([
      [0, false, 2, 2],
      [2, false, 0, 0],
    ]);
    expect(rows[0]!.index).toBe(1);
  });

  it('lays out the department table (39 rows, no empty 二级)', () => {
    const rows = publishedIndicatorRows(fixture.departmentPerformance.indicators, templateById('henan-2020-department')!);
    expect(rows).toHaveLength(39);
    expect(rows.filter((r) => r.level1RowSpan > 0).map((r) => [r.level1, r.level1RowSpan])).toEqual([
      ['投入管理指标', 19],
      ['产出指标', 9],
      ['效益指标', 11],
    ]);
  });
});
