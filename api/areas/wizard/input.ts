// Reading what the user typed in the wizard: 基本信息 fields, dates, amounts and indicator rows.
import { functionalCodeProblem, isIsoDate } from '../../../core/validate.js';
import type { Indicator, Project } from '../../../core/model.js';
import { parseAmount, type Fen } from '../../../core/money.js';
import { formatTarget, readTarget, targetWarnings } from '../../../core/targets.js';
import { StoreError } from '../../../db/store.js';
import type { ApiParsedInput } from '../../contract.js';
import { ApiRefusal } from '../../errors.js';
import { PROJECT_FIELD_LABELS, type IndicatorInput } from '../../wizard.js';
import type { WizardSession } from './state.js';
import { pairKey } from './templates.js';
import { skeleton, type IndicatorTemplate } from '../../../core/indicators.js';
import { TARGET_ERROR_CODES, qualitativeChoices } from './targets.js';

// ---- reading what the user typed ---------------------------------------------------------------------------

interface Issue {
  path: string;
  message: string;
}

export function refuse(summary: string, issues: Issue[]): never {
  throw new ApiRefusal(issues.length === 1 ? issues[0]!.message : `${summary}：${issues[0]!.message}（共 ${issues.length} 处）`, issues);
}

export function storeRefusal(err: unknown): never {
  if (err instanceof StoreError) {
    throw new ApiRefusal(err.message, err.problems.length ? err.problems.map((p) => ({ path: p.field ?? '$', message: p.message })) : undefined);
  }
  throw err;
}

/** "2020/1/1", "2020.1.1", "2020年1月1日" → "2020-01-01"; anything else unchanged (then refused as a date). */
function normaliseDate(text: string): string {
  const s = text.normalize('NFKC').trim();
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : s;
}

/** A text field: '' clears it, except that a field stored as '' stays '' (imports keep their exact form). */
export function textValue(typed: string, before: string | undefined, trim: boolean): string | undefined {
  const v = trim ? typed.trim() : typed;
  if (v.trim() === '') return before === '' ? '' : undefined;
  return v;
}

export function readBasics(
  s: Pick<WizardSession, 'budget' | 'book'>,
  values: ApiParsedInput<'wizard.saveBasics'>['values'],
  before: Project | null,
): { project: Project; issues: Issue[] } {
  const issues: Issue[] = [];
  const unit = s.budget.amountUnit;
  const code = values.code.normalize('NFKC').trim();
  if (code === '') issues.push({ path: 'code', message: '请填写项目编码' });
  else if (/\s/.test(code)) issues.push({ path: 'code', message: `项目编码“${code}”不能包含空格` });
  else if (code !== before?.code) {
    const other = s.budget.projects.find((p) => p.code === code);
    if (other) issues.push({ path: 'code', message: `项目编码“${code}”已被项目“${other.name}”使用` });
  }
  const name = values.name.trim();
  if (name === '') issues.push({ path: 'name', message: '请填写项目名称' });
  if (!s.budget.units.some((u) => u.code === values.unit)) {
    issues.push({ path: 'unit', message: values.unit === '' ? '请选择项目所属单位' : `单位“${values.unit}”不在本预算中` });
  }
  let functional: string | undefined;
  const functionalText = values.functional.normalize('NFKC').trim();
  if (functionalText !== '') {
    // A pick from the list may carry the name after the code ("2010306 政务公开审批").
    functional = /^\d+/.exec(functionalText)?.[0] ?? functionalText;
    const why = functionalCodeProblem(functional, s.book.functional, s.budget.fiscalYear);
    if (why) issues.push({ path: 'functional', message: why });
  }
  const dates: Partial<Record<'start' | 'end', string>> = {};
  for (const field of ['start', 'end'] as const) {
    const typed = normaliseDate(values[field]);
    if (typed === '') continue;
    if (!isIsoDate(typed)) issues.push({ path: field, message: `${PROJECT_FIELD_LABELS[field]}“${values[field]}”不是有效日期，应为 年-月-日（如 ${s.budget.fiscalYear}-01-01）` });
    else dates[field] = typed;
  }
  const amounts: Partial<Record<'totalAmount' | 'yearAmount' | 'priorTotalAmount' | 'priorYearAmount', Fen>> = {};
  for (const field of ['totalAmount', 'yearAmount', 'priorTotalAmount', 'priorYearAmount'] as const) {
    const typed = values[field].trim();
    if (typed === '') {
      if (field === 'yearAmount') issues.push({ path: field, message: `请填写${PROJECT_FIELD_LABELS[field]}（没有则填 0）` });
      continue;
    }
    const r = parseAmount(typed, unit, { loose: true });
    if (r.ok) amounts[field] = r.fen;
    else issues.push({ path: field, message: `${PROJECT_FIELD_LABELS[field]}：${r.reason}` });
  }
  const project: Project = {
    ...(before ?? { indicators: [] }),
    code,
    name: before?.name === values.name ? before.name : name,
    unit: values.unit,
    category: values.category,
    yearAmount: amounts.yearAmount ?? 0n,
  } as Project;
  const set = <K extends keyof Project>(field: K, value: Project[K] | undefined) => {
    if (value === undefined) delete project[field];
    else project[field] = value;
  };
  set('functional', functional);
  for (const field of ['usage', 'leader', 'contact', 'phone'] as const) set(field, textValue(values[field], before?.[field], true));
  set('start', dates.start ?? (values.start.trim() === '' && before?.start === '' ? '' : undefined));
  set('end', dates.end ?? (values.end.trim() === '' && before?.end === '' ? '' : undefined));
  set('totalAmount', amounts.totalAmount);
  set('priorTotalAmount', amounts.priorTotalAmount);
  set('priorYearAmount', amounts.priorYearAmount);
  return { project, issues };
}

export interface IndicatorRules {
  /** Targets stored now or in the tree: a "keep" must name one of them (nothing else bypasses the parts). */
  storedTargets: ReadonlySet<string>;
  storedNames: ReadonlySet<string>;
  /** (一级, 二级) pairs an indicator may use: the tree's and those already stored. */
  pairs: ReadonlySet<string>;
  withNotes: boolean;
}

export function readIndicators(inputs: readonly IndicatorInput[], rules: IndicatorRules): { indicators: Indicator[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const qualitative = new Set(qualitativeChoices());
  const indicators = inputs.map((x, i): Indicator => {
    const at = `indicators[${i}]`;
    const label = x.name.trim() || `第 ${i + 1} 个指标`;
    if (!rules.pairs.has(pairKey(x.level1, x.level2))) {
      issues.push({ path: `${at}.level2`, message: `“${x.level1} / ${x.level2}”不是所选模板中的指标层级` });
    }
    const name = rules.storedNames.has(x.name) ? x.name : x.name.trim();
    let target = '';
    const t = x.target;
    if (t.kind === 'keep') {
      if (rules.storedTargets.has(t.text)) target = t.text;
      else issues.push({ path: `${at}.target`, message: `${label}：目标值请按“比较符 + 数值 + 单位”或定性值填写` });
    } else if (t.kind === 'quantitative') {
      const number = t.number.normalize('NFKC').trim().replace(/,/g, '');
      const unit = t.unit.normalize('NFKC').trim();
      if (!/^[+-]?\d+(\.\d+)?$/.test(number)) {
        issues.push({ path: `${at}.number`, message: number === '' ? `${label}：请填写目标值的数值` : `${label}：目标值的数值“${t.number}”不是数字` });
      } else if (unit === '') {
        issues.push({ path: `${at}.unit`, message: `${label}：目标值缺少计量单位（如 %、次、套）` });
      } else {
        const reading = readTarget(`${t.comparator}${number}${unit}`);
        const problem = reading.kind !== 'quantitative' || reading.unit === null
          ? `计量单位“${unit}”无法识别，请填写如 %、次、套、个工作日`
          : targetWarnings(reading, { level1: x.level1, level2: x.level2, name: x.name }).find((w) => TARGET_ERROR_CODES.has(w.code))?.message;
        if (problem) issues.push({ path: `${at}.unit`, message: `${label}：${problem}` });
        else target = formatTarget(reading);
      }
    } else if (t.kind === 'qualitative') {
      const reading = readTarget(t.value);
      if (reading.kind !== 'qualitative' || !qualitative.has(reading.qualitative ?? '')) {
        issues.push({ path: `${at}.target`, message: `${label}：“${t.value}”不是可选的定性目标值` });
      } else target = formatTarget(reading);
    }
    const out: Indicator = { level1: x.level1, level2: x.level2, name, target };
    if (rules.withNotes && x.note !== undefined && x.note !== '') out.note = x.note;
    return out;
  });
  return { indicators, issues };
}

export function indicatorRules(template: IndicatorTemplate | null, stored: readonly Indicator[], withNotes: boolean): IndicatorRules {
  const pairs = new Set(stored.map((x) => pairKey(x.level1, x.level2)));
  if (template) for (const slot of skeleton(template)) pairs.add(pairKey(slot.level1, slot.level2));
  // The tree's own rows are data the app ships: their targets may be added back unchanged too.
  const treeTargets = template ? [...template.standardRows, ...(template.optionalRows ?? [])].map((r) => r.target) : [];
  return {
    storedTargets: new Set([...stored.map((x) => x.target), ...treeTargets]),
    storedNames: new Set(stored.map((x) => x.name)),
    pairs,
    withNotes,
  };
}
