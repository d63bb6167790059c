import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  comparatorDirection,
  formatTarget,
  readTarget,
  targetText,
  targetWarnings,
  type TargetReading,
} from '../../core/targets.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const targetsData = JSON.parse(readFileSync(join(root, 'data/indicators/targets.json'), 'utf8')) as {
  targets: {
    target: string;
    kind: string;
    seenIn: number;
    reading: Pick<TargetReading, 'comparator' | 'number' | 'unit' | 'qualitative'>;
    comparatorImplicit?: boolean;
    unitAsWritten?: string;
    qualitativeAsWritten?: string;
  }[];
  variantCases: { target: string; reading: Pick<TargetReading, 'comparator' | 'number' | 'unit' | 'qualitative'> }[];
};
const fixture = JSON.parse(readFileSync(join(root, 'tests/fixtures/jiyuan-2020/budget.json'), 'utf8')) as {
  projects: { code: string; indicators: { level1: string; level2: string; name: string; target: string }[] }[];
  departmentPerformance: { indicators: { level1: string; level2: string; name: string; target: string }[] };
};

const core = (r: TargetReading) => ({ comparator: r.comparator, number: r.number, unit: r.unit, qualitative: r.qualitative });

describe('readTarget against the targets.json test table', () => {
  it('has the 43 seed targets and 19 variant cases', () => {
    expect(targetsData.targets).toHaveLength(43);
    expect(targetsData.variantCases).toHaveLength(19);
  });

  for (const t of targetsData.targets) {
    it(`reads seed target “${t.target}”`, () => {
      const r = readTarget(t.target);
      expect(core(r)).toEqual(t.reading);
      expect(r.kind).toBe(t.kind);
      expect(r.comparatorImplicit ?? false).toBe(t.comparatorImplicit ?? false);
      expect(r.unitAsWritten).toBe(t.unitAsWritten);
      expect(r.qualitativeAsWritten).toBe(t.qualitativeAsWritten);
      expect(r.source).toBe(t.target);
    });
  }

  for (const v of targetsData.variantCases) {
    it(`reads variant “${v.target}”`, () => {
      expect(core(readTarget(v.target))).toEqual(v.reading);
    });
  }
});

describe('readTarget beyond the table', () => {
  it('reads word forms as their symbol', () => {
    expect(core(readTarget('不低于95%'))).toEqual({ comparator: '≥', number: '95', unit: '%', qualitative: null });
    expect(core(readTarget('不超过 3 天'))).toEqual({ comparator: '≤', number: '3', unit: '天', qualitative: null });
    expect(core(readTarget('超过10次'))).toEqual({ comparator: '>', number: '10', unit: '次', qualitative: null });
  });

  it('reads suffix forms and explicit negative numbers', () => {
    expect(core(readTarget('95%以上'))).toEqual({ comparator: '≥', number: '95', unit: '%', qualitative: null });
    expect(readTarget('95%以上').comparatorImplicit).toBeUndefined();
    expect(core(readTarget('≤-5%'))).toEqual({ comparator: '≤', number: '-5', unit: '%', qualitative: null });
  });

  it('maps qualitative aliases and term+性', () => {
    expect(readTarget('达到预期目标')).toMatchObject({ kind: 'qualitative', qualitative: '达成', qualitativeAsWritten: '达到预期目标' });
    expect(readTarget('规范性')).toMatchObject({ kind: 'qualitative', qualitative: '规范', qualitativeAsWritten: '规范性' });
  });

  it('does not pick numbers out of phrases', () => {
    for (const s of ['30多个部门', '2020年12月31日前完成', '不超预算', '≥', '约50%', '完成率100%']) {
      expect(readTarget(s).kind, s).toBe('text');
    }
  });

  it('is total on odd input', () => {
    for (const s of ['', '   ', '\u0000', '≥≥5', '１２３４５６７８９０'.repeat(30), '=.5', '∞', '=1e5%']) {
      expect(() => readTarget(s)).not.toThrow();
    }
  });

  it('never throws and always keeps the source (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const r = readTarget(s);
        expect(r.source).toBe(s);
        expect(['quantitative', 'qualitative', 'text']).toContain(r.kind);
      }),
    );
  });

  it('reads any written comparator, number and known unit back to the same reading (property)', () => {
    const forms: [string, string][] = [['≥', '≥'], ['>=', '≥'], ['不低于', '≥'], ['≤', '≤'], ['<=', '≤'], ['不超过', '≤'], ['=', '='], ['＝', '='], ['>', '>'], ['<', '<']];
    const units = ['%', '次', '套', '件', '人', '万元', '天', '个', '平方米'];
    fc.assert(
      fc.property(
        fc.constantFrom(...forms),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.option(fc.integer({ min: 0, max: 99 }), { nil: null }),
        fc.constantFrom(...units),
        fc.constantFrom('', ' '),
        ([written, canonical], int, frac, unit, space) => {
          const number = frac === null ? int.toString() : `${int}.${String(frac).padStart(2, '0')}`;
          const r = readTarget(`${written}${space}${number}${space}${unit}`);
          expect(r).toMatchObject({ kind: 'quantitative', comparator: canonical, number, unit });
          expect(formatTarget(r)).toBe(`${canonical}${number}${unit}`);
        },
      ),
    );
  });

  it('knows the direction of each comparator', () => {
    expect(comparatorDirection('≥')).toBe('positive');
    expect(comparatorDirection('≤')).toBe('negative');
    expect(comparatorDirection('<')).toBe('negative');
  });
});

describe('every 目标值 of the fixture', () => {
  const projectRows = fixture.projects.flatMap((p) => p.indicators.map((i) => ({ where: p.code, ...i })));
  const deptRows = fixture.departmentPerformance.indicators.map((i) => ({ where: 'DEPT', ...i }));
  const quantitativeSpacing = new Map(
    targetsData.targets.filter((t) => t.kind === 'quantitative').map((t) => [t.target, t] as const),
  );

  it('has 205 project rows and 39 department rows', () => {
    expect(projectRows).toHaveLength(205);
    expect(deptRows).toHaveLength(39);
  });

  it('reads every one without throwing, and prints each back unchanged', () => {
    for (const row of [...projectRows, ...deptRows]) {
      const r = readTarget(row.target);
      expect(targetText(r)).toBe(row.target);
    }
  });

  it('writes each quantitative one back in canonical form equal to the original modulo the noted spacing', () => {
    let checked = 0;
    for (const row of [...projectRows, ...deptRows]) {
      const r = readTarget(row.target);
      if (r.kind !== 'quantitative') continue;
      const entry = quantitativeSpacing.get(row.target);
      expect(entry, `${row.target} is in targets.json`).toBeDefined();
      let expected = row.target.replace(/\s+/g, '');
      if (entry?.comparatorImplicit) expected = '=' + expected;
      if (entry?.unitAsWritten) expected = expected.slice(0, -entry.unitAsWritten.length) + entry.reading.unit;
      expect(formatTarget(r)).toBe(expected);
      checked++;
    }
    // Every quantitative occurrence counted by targets.json was checked.
    const expectedCount = targetsData.targets
      .filter((t) => t.kind === 'quantitative')
      .reduce((n, t) => n + t.seenIn, 0);
    expect(checked).toBe(expectedCount);
  });

  it('every seed target is one of the 43 distinct strings of targets.json', () => {
    const distinct = new Set([...projectRows, ...deptRows].map((r) => r.target));
    expect([...distinct].sort()).toEqual(targetsData.targets.map((t) => t.target).sort());
  });
});

describe('formatTarget and targetText', () => {
  it('writes symbol + number + unit', () => {
    expect(formatTarget(readTarget('>=95 ％'))).toBe('≥95%');
    expect(formatTarget(readTarget('=1 套'))).toBe('=1套');
    expect(formatTarget(readTarget('=58 万'))).toBe('=58万元');
    expect(formatTarget(readTarget('合规性'))).toBe('合规');
  });

  it('prints a reading built by editing in canonical form', () => {
    expect(targetText({ kind: 'quantitative', comparator: '≤', number: '15', unit: '%', qualitative: null })).toBe('≤15%');
  });
});

describe('targetWarnings', () => {
  const codes = (text: string, ctx = {}) => targetWarnings(readTarget(text), ctx).map((w) => w.code);

  it('flags the seed oddities', () => {
    expect(codes('≥70', { level2: '质量', name: '电话接通率' })).toEqual(['missing-unit']);
    expect(codes('=1', { level2: '经济效益', name: '部门整合共享' })).toEqual(['missing-unit']);
    expect(codes('100%', { level2: '质量', name: '活动计划完成率' })).toEqual(['implicit-comparator']);
    expect(codes('≥100%', { level2: '部门协助', name: '交办事项全市各部门配合程度' })).toEqual(['rate-over-100']);
    expect(codes('=100%', { level2: '数量', name: '信息公开工作培训' })).toEqual(['percent-on-count']);
    expect(codes('≥80%', { level2: '数量指标', name: '业务受理量' })).toEqual(['percent-on-count']);
    expect(codes('提高办事效率，进一步减少群众等待时间，窗口办事更方便、快捷。')).toEqual(['text-target']);
  });

  it('flags placeholders', () => {
    for (const s of ['88100', '', '无', '/', ' — ']) expect(codes(s), s).toEqual(['placeholder']);
  });

  it('leaves good targets alone', () => {
    for (const s of ['=100%', '≥20次', '健全', '≤15%', '≥422 条', '=58 万']) expect(codes(s, { level2: '质量' }), s).toEqual([]);
    expect(codes('≥150%', { level2: '经济效益', name: '营业收入增长率' })).toEqual([]);
  });

  it('names the indicator and the target in the message', () => {
    const [w] = targetWarnings(readTarget('≥70'), { level2: '质量', name: '电话接通率' });
    expect(w?.message).toContain('电话接通率');
    expect(w?.message).toContain('≥70');
  });

  it('flags a result grade used as a target', () => {
    expect(codes('未达成')).toEqual(['result-grade']);
  });
});
