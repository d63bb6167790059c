// Whole-budget validation is stated once (core/validate.ts, core/budget-fields.ts): the exchange reader, the
// store and the API contract agree on the fiscal years and on a project field's label.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API } from '../../api/contract.js';
import { MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, PROJECT_FIELD_LABELS } from '../../core/budget-fields.js';
import { parseExchange } from '../../core/exchange.js';
import { budgetProblems } from '../../core/validate.js';
import { defaultCodeBook } from '../../db/defaults.js';
import { BudgetStore, StoreError } from '../../db/store.js';

const FIXTURE = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'jiyuan-2020', 'budget.json'), 'utf8');

function fixture() {
  const parsed = parseExchange(FIXTURE, defaultCodeBook);
  if (!parsed.ok) throw new Error('fixture');
  return parsed.budget;
}

describe('validation stated once', () => {
  it('the same fiscal years in the exchange reader, the store checks and the contract', () => {
    const create = API['budget.create'].input;
    const input = (fiscalYear: number) => ({ department: { code: '1', name: '部门' }, units: [{ code: '1', name: '单位', kind: 'administrative' }], fiscalYear, amountUnit: '万元' });
    for (const [year, ok] of [[MIN_FISCAL_YEAR, true], [MAX_FISCAL_YEAR, true], [MIN_FISCAL_YEAR - 1, false], [MAX_FISCAL_YEAR + 1, false]] as const) {
      expect(create.safeParse(input(year)).success, `contract ${year}`).toBe(ok);
      const doc = FIXTURE.replace(/"fiscalYear":\s*2020/, `"fiscalYear": ${year}`);
      const parsed = parseExchange(doc, defaultCodeBook);
      expect(parsed.ok || !parsed.problems.some((p) => p.path === '$.fiscalYear'), `exchange ${year}`).toBe(ok);
      const problems = budgetProblems({ ...fixture(), fiscalYear: year }, defaultCodeBook(2020));
      expect(problems.some((p) => p.field === 'fiscalYear'), `store ${year}`).toBe(!ok);
    }
  });

  it('a bad project date is named with the printed label, read from a file or stored', () => {
    const doc = JSON.parse(FIXTURE) as { projects: { start?: string }[] };
    doc.projects[0]!.start = '2020-13-01';
    const parsed = parseExchange(JSON.stringify(doc, null, 2), defaultCodeBook);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.map((p) => p.message).join('\n')).toContain(`${PROJECT_FIELD_LABELS.start}“2020-13-01”`);

    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    try {
      const store = BudgetStore.open(join(dir, 'b.budget'), { create: true });
      const budget = fixture();
      budget.projects[0] = { ...budget.projects[0]!, start: '2020-13-01' };
      let refused: unknown = null;
      try {
        store.replaceBudget(budget);
      } catch (err) {
        refused = err;
      }
      store.close();
      expect(refused).toBeInstanceOf(StoreError);
      expect((refused as StoreError).problems.map((p) => p.message).join('\n')).toContain(`${PROJECT_FIELD_LABELS.start}“2020-13-01”`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
