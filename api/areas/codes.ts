// Lookups: 科目 search as you type, loading a year's official code list, and the project list.
import { CODE_LIST_KIND_LABELS, FUNCTIONAL_BUDGET_LABELS, parseCodeListCsv, type CsvProblem } from '../../core/codelists.js';
import { FUNDS, fundLabel } from '../../core/funds.js';
import { PROJECT_CATEGORY_LABELS, UNIT_KIND_LABELS } from '../../core/model.js';
import type { ApiOutputs, ApiParsedInput } from '../contract.js';
import type { CodeOption } from '../views.js';
import { ApiRefusal } from '../errors.js';
import { defineArea } from '../handlers.js';
import { KIND_LABELS } from '../line-input.js';
import { refusalFrom } from '../session.js';

/** A code list with more problems than this lists the first ones (the count is in the message). */
const CODE_IMPORT_PROBLEMS_SHOWN = 500;

function codeProblemText(p: CsvProblem): string {
  return `第 ${p.line} 行${p.field ? `（${p.field}）` : ''}：${p.message}`;
}

/** Code prefix matches first, then names starting with the text, then names containing it. */
function rankOptions(options: CodeOption[], q: string, matchLabelsOnly: boolean): CodeOption[] {
  if (q === '') return options;
  const digits = /^\d+$/.test(q);
  // "农业农村 行政运行": every word somewhere in the code, the parents' names or the name.
  const words = q.split(/\s+/).filter((w) => w !== '');
  const scored: { o: CodeOption; score: number; i: number }[] = [];
  options.forEach((o, i) => {
    let score = -1;
    if (!matchLabelsOnly && o.code === q) score = 0;
    else if (!matchLabelsOnly && o.code.startsWith(q)) score = 1;
    else if (o.name.startsWith(q)) score = 2;
    else if (o.name.includes(q)) score = 3;
    else if (!digits && `${o.code} ${o.name}`.includes(q)) score = 4;
    else if (o.path && words.every((w) => `${o.code} ${o.path} ${o.name}`.includes(w))) score = 5;
    if (score >= 0) scored.push({ o, score, i });
  });
  scored.sort((a, b) => a.score - b.score || a.i - b.i);
  return scored.map((s) => s.o);
}

export const codesArea = defineArea('codes', {
  'codes.search': (s, input: ApiParsedInput<'codes.search'>): CodeOption[] => {
    const limit = input.limit ?? 50;
    const q = input.query.normalize('NFKC').trim();
    const leafOnly = input.leafOnly ?? true;
    let options: CodeOption[];
    switch (input.kind) {
      case 'functional':
      case 'economic': {
        const { book } = s.requireBudget();
        const list = input.kind === 'functional' ? book.functional : book.economic;
        const leaf = input.kind === 'functional' ? '项' : '款';
        const pathOf = (parent: string | null): string => {
          const names: string[] = [];
          for (let at: string | null = parent; at; at = list.get(at)?.parent ?? null) names.unshift(list.name(at));
          return names.join(' › ');
        };
        options = list
          .entries()
          .filter((e) => !leafOnly || e.level === leaf)
          .map((e) => {
            const budget = input.kind === 'functional' ? list.budgetOf(e.code) : 'general';
            return { code: e.code, name: e.name, level: e.level, path: pathOf(e.parent), ...(budget !== 'general' ? { budget: FUNCTIONAL_BUDGET_LABELS[budget] } : {}) };
          });
        break;
      }
      case 'unit':
        options = s.requireBudget().budget.units.map((u) => ({ code: u.code, name: u.name, level: UNIT_KIND_LABELS[u.kind] }));
        break;
      case 'project':
        options = s.requireBudget().budget.projects.map((p) => ({ code: p.code, name: p.name, level: PROJECT_CATEGORY_LABELS[p.category] }));
        break;
      case 'fund':
        options = FUNDS.map((f) => ({ code: f.code, name: fundLabel(f.code) }));
        break;
      case 'kind':
        options = (['basic', 'project'] as const).map((k) => ({ code: k, name: KIND_LABELS[k] }));
        break;
    }
    return rankOptions(options, q, input.kind === 'fund').slice(0, limit);
  },

  /**
   * Loads a year's code list into the file, all or nothing. Problems are reported by CSV line (the file's own
   * lines and the parents the year's list lacks); afterwards the pickers, names, tables and 审核 use the list.
   */
  'codes.import': (s, input: ApiParsedInput<'codes.import'>): ApiOutputs['codes.import'] => {
    const store = s.store;
    if (!store) throw new ApiRefusal('尚未打开预算文件：请新建预算或打开预算文件');
    const year = input.year ?? s.budget?.fiscalYear;
    if (year === undefined) throw new ApiRefusal('预算文件中还没有预算，无法确定科目表的年度：请指定年度');
    const label = CODE_LIST_KIND_LABELS[input.kind];
    const parsed = parseCodeListCsv(input.csvText, input.kind);
    const problems: CsvProblem[] = parsed.ok ? [] : parsed.problems;
    if (parsed.ok) {
      // A parent must be in the file or already in the year's list (the store checks the same, by entry).
      const current = store.codeBook(year)[input.kind === 'government-economic' ? 'government' : input.kind];
      const incoming = new Set(parsed.entries.map((e) => e.code));
      parsed.entries.forEach((e, i) => {
        if (e.parent !== null && !incoming.has(e.parent) && !current.has(e.parent)) {
          problems.push({ line: i + 2, field: 'parent_code', message: `上级科目“${e.parent}”既不在此表中，也不在 ${year} 年的科目表中` });
        }
      });
    }
    if (!parsed.ok || problems.length > 0) {
      const shown = problems.slice(0, CODE_IMPORT_PROBLEMS_SHOWN);
      throw new ApiRefusal(
        `科目表有 ${problems.length} 处问题，未导入（预算文件未作改动）。${codeProblemText(problems[0]!)}` +
          (problems.length > shown.length ? `（以下列出前 ${shown.length} 处）` : ''),
        shown.map((p) => ({ path: `第 ${p.line} 行${p.field ? `（${p.field}）` : ''}`, message: p.message })),
      );
    }
    let counts: { added: number; changed: number };
    try {
      counts = store.importCodeList(input.kind, year, parsed.entries);
    } catch (err) {
      refusalFrom(err);
    }
    // Names, pickers, tables and 审核 read the year's lists: start them afresh from the file.
    if (s.budget?.fiscalYear === year) s.load();
    return {
      kind: input.kind,
      kindLabel: label,
      year,
      entries: parsed.entries.length,
      ...counts,
      message: `已载入 ${year} 年${label}（${parsed.entries.length} 个科目）：新增 ${counts.added} 个，修改 ${counts.changed} 个`,
    };
  },

  'projects.list': (s): ApiOutputs['projects.list'] => {
    const { budget, engine } = s.requireBudget();
    const sums = engine.projectLineTotals();
    return budget.projects.map((p) => ({
      code: p.code,
      unit: p.unit,
      name: p.name,
      category: p.category,
      categoryLabel: PROJECT_CATEGORY_LABELS[p.category],
      yearAmount: s.money(p.yearAmount),
      linesAmount: s.money(sums.get(p.code) ?? 0n),
    }));
  },
});
