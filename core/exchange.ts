// The exchange format budget-exchange/1: one JSON document per department and fiscal year
// (see the format description shipped with the fixtures). Reading checks everything and reports every
// problem with its JSON path and line; a document with any problem yields no budget at all, so a bad
// file can never half-load. Writing gives a stable document: the same budget always serialises to the
// same bytes, and export → import → export is the identity.
//
// Amounts are written in their normalised exact form: the shortest decimal string that is exactly the
// amount in the document's unit ("5.00" is read as 5 万元 and written back as "5"; "24.0" as "24").
import type { CodeBook, CodeList } from './codelists.js';
import { isFundCode, type FundCode } from './funds.js';
import {
  UNIT_KINDS,
  UNIT_KIND_LABELS,
  type Budget,
  type BudgetLine,
  type DepartmentPerformance,
  type ExpenditureKind,
  type Indicator,
  type IncomeLine,
  type ChangeReasons,
  type NarrativeTexts,
  type PriorYear,
  THREE_PUBLIC_ITEMS,
  type ThreePublicItem,
  type Procurement,
  type ProcurementCategory,
  type Project,
  type ProjectCategory,
  type Unit,
  type UnitKind,
} from './model.js';
import { AMOUNT_UNITS, isAmountUnit, parseAmount, toExactString, type AmountUnit, type Fen } from './money.js';
import type { Problem } from './problems.js';
import { MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, PROJECT_FIELD_LABELS } from './budget-fields.js';
import { economicCodeProblem, functionalCodeProblem, isIsoDate, lineProblems, textLengthProblem, type LineFields } from './validate.js';
import { JsonSyntaxError, LocatedJsonReader, TYPE_NAMES, jsonSyntaxMessage, withoutBom, type JsonNode, type ObjectNode } from './json-lines.js';

export type { Problem } from './problems.js';

export const EXCHANGE_FORMAT = 'budget-exchange/1';

export type ParseExchangeResult =
  | { ok: true; budget: Budget; warnings: Problem[] }
  | { ok: false; problems: Problem[] };


// ---------------------------------------------------------------------------------------------------
// Field lists. Order here is the order written on export (the order of the format description).

const TOP_FIELDS = [
  'format', 'fiscalYear', 'amountUnit', 'department', 'units', 'lines', 'income', 'projects', 'procurement',
  'departmentPerformance', 'priorYear', 'narrative', 'changeReasons',
] as const;
const DEPARTMENT_FIELDS = ['code', 'name'] as const;
const UNIT_FIELDS = ['code', 'name', 'kind'] as const;
const LINE_FIELDS = ['unit', 'functional', 'economic', 'kind', 'project', 'fund', 'amount', 'assumed', 'remark'] as const;
const INCOME_FIELDS = ['unit', 'fund', 'amount'] as const;
const PROJECT_TEXT_FIELDS = [
  'usage', 'leader', 'contact', 'phone',
] as const;
const PROJECT_NARRATIVE_FIELDS = [
  'overview', 'basis', 'necessity', 'measures', 'plan', 'remarks', 'overallGoal', 'annualGoal',
] as const;
const PROJECT_AMOUNT_FIELDS = ['totalAmount', 'yearAmount', 'priorTotalAmount', 'priorYearAmount'] as const;
const PROJECT_FIELDS = [
  'code', 'unit', 'name', 'category', 'functional', ...PROJECT_TEXT_FIELDS, 'start', 'end',
  ...PROJECT_AMOUNT_FIELDS, ...PROJECT_NARRATIVE_FIELDS, 'indicators',
] as const;
const INDICATOR_FIELDS = ['level1', 'level2', 'name', 'target', 'note'] as const;
const PROCUREMENT_FIELDS = ['project', 'category', 'amount', 'assumed'] as const;
const PERFORMANCE_FIELDS = ['dutyGoal', 'tasks', 'indicators'] as const;
const TASK_FIELDS = ['name', 'content'] as const;
const PRIOR_YEAR_AMOUNTS = [
  ['total', '上年支出合计'],
  ['threePublic', '上年"三公"经费'],
  ['basic', '上年基本支出'],
  ['project', '上年项目支出'],
  ['generalPublicBudget', '上年一般公共预算支出'],
  ['governmentFund', '上年政府性基金预算支出'],
  ['operatingCost', '上年机关运行经费'],
] as const;
const PRIOR_YEAR_FIELDS = [...PRIOR_YEAR_AMOUNTS.map(([k]) => k), 'threePublicItems', 'functional', 'economic'] as const;
const THREE_PUBLIC_ITEM_LABELS: Record<ThreePublicItem, string> = {
  abroad: '因公出国（境）费',
  reception: '公务接待费',
  vehicleRunning: '公务用车运行维护费',
  vehiclePurchase: '公务用车购置费',
};

const PROJECT_CATEGORIES: readonly ProjectCategory[] = ['general', 'special'];
const PROCUREMENT_CATEGORIES: readonly ProcurementCategory[] = ['goods', 'works', 'services'];
const EXPENDITURE_KINDS: readonly ExpenditureKind[] = ['basic', 'project'];


// ---------------------------------------------------------------------------------------------------

class ExchangeChecker {
  readonly problems: Problem[] = [];
  /** Unknown fields, one warning per field name and place kind. */
  private readonly unknown = new Map<string, { path: string; line: number; count: number; key: string }>();
  private unit: AmountUnit | undefined;

  problem(path: string, line: number | undefined, message: string): void {
    this.problems.push(line === undefined ? { path, message } : { path, line, message });
  }

  warnings(): Problem[] {
    return [...this.unknown.values()].map((u) => ({
      path: u.path,
      line: u.line,
      message:
        u.count > 1 ? `未定义的字段“${u.key}”已忽略（共 ${u.count} 处）` : `未定义的字段“${u.key}”已忽略`,
    }));
  }

  setAmountUnit(unit: AmountUnit | undefined): void {
    this.unit = unit;
  }

  /** The node as an object, after checking its field names; undefined (with a problem) when it is not one. */
  object(
    node: JsonNode,
    path: string,
    what: string,
    known: readonly string[],
    place: string,
    silentlyIgnored: readonly string[] = [],
  ): ObjectNode | undefined {
    if (node.type !== 'object') {
      this.problem(path, node.line, `${what}应为对象（{…}），实际是${TYPE_NAMES[node.type]}`);
      return undefined;
    }
    for (const d of node.duplicates) {
      this.problem(`${path}.${d.key}`, d.line, `字段“${d.key}”重复出现，无法确定以哪个为准`);
    }
    for (const [key, value] of node.entries) {
      if (known.includes(key) || silentlyIgnored.includes(key)) continue;
      const id = `${place}.${key}`;
      const seen = this.unknown.get(id);
      if (seen) seen.count++;
      else this.unknown.set(id, { path: `${path}.${key}`, line: value.line, count: 1, key });
    }
    return node;
  }

  array(node: JsonNode, path: string, what: string): JsonNode[] | undefined {
    if (node.type !== 'array') {
      this.problem(path, node.line, `${what}应为数组（[…]），实际是${TYPE_NAMES[node.type]}`);
      return undefined;
    }
    return node.items;
  }

  /** A field that must be present; null counts as absent. */
  required(obj: ObjectNode, key: string, path: string, what: string): JsonNode | undefined {
    const node = obj.entries.get(key);
    if (node === undefined || node.type === 'null') {
      this.problem(`${path}.${key}`, node?.line ?? obj.line, `缺少必填字段“${key}”（${what}）`);
      return undefined;
    }
    return node;
  }

  /** A field that may be absent; null counts as absent. */
  optional(obj: ObjectNode, key: string): JsonNode | undefined {
    const node = obj.entries.get(key);
    return node === undefined || node.type === 'null' ? undefined : node;
  }

  text(node: JsonNode | undefined, path: string, what: string, nonEmpty = false): string | undefined {
    if (node === undefined) return undefined;
    if (node.type !== 'string') {
      this.problem(path, node.line, `${what}应为文本（加双引号），实际是${TYPE_NAMES[node.type]}`);
      return undefined;
    }
    if (nonEmpty && node.value.trim() === '') {
      this.problem(path, node.line, `${what}不能为空`);
      return undefined;
    }
    const tooLong = textLengthProblem(/[A-Za-z]+$/.exec(path)?.[0] ?? '', what, node.value);
    if (tooLong) {
      this.problem(path, node.line, tooLong);
      return undefined;
    }
    return node.value;
  }

  requiredText(obj: ObjectNode, key: string, path: string, what: string): string | undefined {
    return this.text(this.required(obj, key, path, what), `${path}.${key}`, what, true);
  }

  optionalText(obj: ObjectNode, key: string, path: string, what: string): string | undefined {
    return this.text(this.optional(obj, key), `${path}.${key}`, what);
  }

  oneOf<T extends string>(
    node: JsonNode | undefined,
    path: string,
    what: string,
    allowed: readonly T[],
    labels?: Partial<Record<T, string>>,
  ): T | undefined {
    const value = this.text(node, path, what);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) {
      const list = allowed.map((a) => (labels?.[a] ? `${a}（${labels[a]}）` : a)).join('、');
      this.problem(path, node!.line, `${what}“${value}”无效，应为 ${list} 之一`);
      return undefined;
    }
    return value as T;
  }

  boolean(node: JsonNode | undefined, path: string, what: string): boolean | undefined {
    if (node === undefined) return undefined;
    if (node.type !== 'boolean') {
      this.problem(path, node.line, `${what}应为 true 或 false，实际是${TYPE_NAMES[node.type]}`);
      return undefined;
    }
    return node.value;
  }

  amount(node: JsonNode | undefined, path: string, what: string): Fen | undefined {
    if (node === undefined) return undefined;
    if (node.type === 'number') {
      this.problem(
        path,
        node.line,
        `${what}应写成带双引号的十进制文本（如 "${node.raw}"），不能是 JSON 数字：数字按二进制浮点读取会丢失分位`,
      );
      return undefined;
    }
    if (node.type !== 'string') {
      this.problem(path, node.line, `${what}应为带双引号的十进制文本（如 "140.9"），实际是${TYPE_NAMES[node.type]}`);
      return undefined;
    }
    if (this.unit === undefined) return undefined; // the unit is wrong: already reported, cannot read amounts
    const parsed = parseAmount(node.value, this.unit);
    if (!parsed.ok) {
      this.problem(path, node.line, `${what}：${parsed.reason}`);
      return undefined;
    }
    return parsed.fen;
  }

  date(node: JsonNode | undefined, path: string, what: string): string | undefined {
    const value = this.text(node, path, what);
    if (value === undefined) return undefined;
    if (!isIsoDate(value)) {
      this.problem(path, node!.line, `${what}“${value}”不是有效日期，应为 YYYY-MM-DD 格式，如 "2020-01-01"`);
      return undefined;
    }
    return value;
  }
}

// ---------------------------------------------------------------------------------------------------

/**
 * Reads a budget-exchange/1 document. `bookFor` gives the code lists of the document's fiscal year.
 * Either the whole budget (with warnings about ignored fields) or every problem found; never part of it.
 */
export function parseExchange(text: string, bookFor: (year: number) => CodeBook): ParseExchangeResult {
  let root: JsonNode;
  try {
    root = new LocatedJsonReader(withoutBom(text)).read();
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { ok: false, problems: [{ path: '$', line: err.line, message: jsonSyntaxMessage(err) }] };
    throw err;
  }
  const c = new ExchangeChecker();
  const doc = c.object(root, '$', '预算交换文件', TOP_FIELDS, 'top');
  if (!doc) return { ok: false, problems: c.problems };

  // Header: format, year, unit. The year decides the code lists, the unit how amounts are read.
  const formatNode = c.required(doc, 'format', '$', `交换格式标识，应为 "${EXCHANGE_FORMAT}"`);
  const format = c.text(formatNode, '$.format', '交换格式标识');
  if (format !== undefined && format !== EXCHANGE_FORMAT) {
    c.problem('$.format', formatNode!.line, `不支持的交换格式“${format}”，本程序读取 "${EXCHANGE_FORMAT}"`);
  }
  const yearNode = c.required(doc, 'fiscalYear', '$', '预算年度');
  let fiscalYear: number | undefined;
  if (yearNode) {
    if (yearNode.type !== 'number') {
      c.problem('$.fiscalYear', yearNode.line, `预算年度应为整数（如 2020，不加引号），实际是${TYPE_NAMES[yearNode.type]}`);
    } else if (!/^\d{4}$/.test(yearNode.raw) || Number(yearNode.raw) < MIN_FISCAL_YEAR || Number(yearNode.raw) > MAX_FISCAL_YEAR) {
      c.problem('$.fiscalYear', yearNode.line, `预算年度“${yearNode.raw}”无效，应为 ${MIN_FISCAL_YEAR}–${MAX_FISCAL_YEAR} 之间的整数`);
    } else fiscalYear = Number(yearNode.raw);
  }
  const unitNode = c.required(doc, 'amountUnit', '$', '金额单位');
  const unitText = c.text(unitNode, '$.amountUnit', '金额单位');
  let amountUnit: AmountUnit | undefined;
  if (unitText !== undefined) {
    if (isAmountUnit(unitText)) amountUnit = unitText;
    else c.problem('$.amountUnit', unitNode!.line, `金额单位“${unitText}”无效，应为 ${AMOUNT_UNITS.join(' 或 ')}`);
  }
  c.setAmountUnit(amountUnit);

  let book: CodeBook | undefined;
  if (fiscalYear !== undefined) {
    try {
      book = bookFor(fiscalYear);
    } catch (err) {
      c.problem('$.fiscalYear', yearNode!.line, `无法取得 ${fiscalYear} 年的科目表：${err instanceof Error ? err.message : String(err)}`);
    }
  }

  // Department.
  let department: Budget['department'] | undefined;
  const deptNode = c.required(doc, 'department', '$', '部门');
  const dept = deptNode && c.object(deptNode, '$.department', '部门', DEPARTMENT_FIELDS, 'department');
  if (dept) {
    const code = c.requiredText(dept, 'code', '$.department', '部门编码');
    const name = c.requiredText(dept, 'name', '$.department', '部门名称');
    if (code !== undefined && name !== undefined) department = { code, name };
  }

  // Units.
  const units: Unit[] = [];
  const unitLines = new Map<string, number>();
  const unitsNode = c.required(doc, 'units', '$', '单位列表');
  const unitItems = unitsNode && c.array(unitsNode, '$.units', '单位列表');
  if (unitItems && unitItems.length === 0) c.problem('$.units', unitsNode!.line, '单位列表为空：部门至少要有一个单位（机关本级）');
  unitItems?.forEach((item, i) => {
    const path = `$.units[${i}]`;
    const u = c.object(item, path, `第 ${i + 1} 个单位`, UNIT_FIELDS, 'unit');
    if (!u) return;
    const code = c.requiredText(u, 'code', path, '单位编码');
    const name = c.requiredText(u, 'name', path, '单位名称');
    const kind = c.oneOf<UnitKind>(c.required(u, 'kind', path, '单位类型'), `${path}.kind`, '单位类型', UNIT_KINDS, UNIT_KIND_LABELS);
    if (code !== undefined) {
      if (unitLines.has(code)) {
        c.problem(`${path}.code`, u.entries.get('code')!.line, `单位编码“${code}”重复（第 ${unitLines.get(code)} 行已有同一编码的单位）`);
      } else unitLines.set(code, u.entries.get('code')!.line);
    }
    if (code !== undefined && name !== undefined && kind !== undefined) units.push({ code, name, kind });
  });
  const unitCodes = new Set(unitLines.keys());
  const unitsKnown = unitItems !== undefined; // when the list itself is broken, do not also flag every reference

  // Projects first: lines and procurement refer to them.
  const projects: Project[] = [];
  const projectLines = new Map<string, number>();
  const projectsNode = c.optional(doc, 'projects');
  const projectItems = projectsNode ? c.array(projectsNode, '$.projects', '项目列表') : [];
  const projectsKnown = projectItems !== undefined;
  projectItems?.forEach((item, i) => {
    const path = `$.projects[${i}]`;
    const p = c.object(item, path, `第 ${i + 1} 个项目`, PROJECT_FIELDS, 'project');
    if (!p) return;
    const code = c.requiredText(p, 'code', path, '项目编码');
    if (code !== undefined) {
      if (projectLines.has(code)) {
        c.problem(`${path}.code`, p.entries.get('code')!.line, `项目编码“${code}”重复（第 ${projectLines.get(code)} 行已有同一编码的项目）`);
      } else projectLines.set(code, p.entries.get('code')!.line);
    }
  });
  const projectCodes = new Set(projectLines.keys());
  projectItems?.forEach((item, i) => {
    if (item.type !== 'object') return;
    const project = readProject(c, item, `$.projects[${i}]`, { book, unitCodes, unitsKnown });
    if (project) projects.push(project);
  });

  // Lines.
  const lines: BudgetLine[] = [];
  const linesNode = c.required(doc, 'lines', '$', '预算支出明细');
  const lineItems = linesNode && c.array(linesNode, '$.lines', '预算支出明细');
  lineItems?.forEach((item, i) => {
    const path = `$.lines[${i}]`;
    const l = c.object(item, path, `第 ${i + 1} 条预算行`, LINE_FIELDS, 'line');
    if (!l) return;
    const line = readLine(c, l, path, { book, unitCodes, unitsKnown, projectCodes, projectsKnown });
    if (line) lines.push({ id: lines.length + 1, ...line });
  });

  // Income.
  const income: IncomeLine[] = [];
  const incomeNode = c.optional(doc, 'income');
  const incomeItems = incomeNode && c.array(incomeNode, '$.income', '收入预算');
  incomeItems?.forEach((item, i) => {
    const path = `$.income[${i}]`;
    const o = c.object(item, path, `第 ${i + 1} 条收入`, INCOME_FIELDS, 'income');
    if (!o) return;
    const unit = c.requiredText(o, 'unit', path, '单位编码');
    if (unit !== undefined && unitsKnown && !unitCodes.has(unit)) {
      c.problem(`${path}.unit`, o.entries.get('unit')!.line, `单位“${unit}”不在单位列表（units）中`);
    }
    const fund = readFund(c, o, path);
    const amount = c.amount(c.required(o, 'amount', path, '金额'), `${path}.amount`, '金额');
    if (unit !== undefined && fund !== undefined && amount !== undefined) income.push({ unit, fund, amount });
  });

  // Procurement.
  const procurement: Procurement[] = [];
  const procNode = c.optional(doc, 'procurement');
  const procItems = procNode && c.array(procNode, '$.procurement', '政府采购预算');
  procItems?.forEach((item, i) => {
    const path = `$.procurement[${i}]`;
    const o = c.object(item, path, `第 ${i + 1} 条政府采购`, PROCUREMENT_FIELDS, 'procurement');
    if (!o) return;
    const projectNode = c.optional(o, 'project');
    const project = projectNode ? c.text(projectNode, `${path}.project`, '采购所属项目编码', true) : null;
    if (typeof project === 'string' && projectsKnown && !projectCodes.has(project)) {
      c.problem(`${path}.project`, projectNode!.line, `项目“${project}”不在项目列表（projects）中`);
    }
    const category = c.oneOf<ProcurementCategory>(
      c.required(o, 'category', path, '采购类别'),
      `${path}.category`,
      '采购类别',
      PROCUREMENT_CATEGORIES,
      { goods: '货物', works: '工程', services: '服务' },
    );
    const amount = c.amount(c.required(o, 'amount', path, '金额'), `${path}.amount`, '金额');
    const assumed = c.boolean(c.optional(o, 'assumed'), `${path}.assumed`, 'assumed') ?? false;
    if (project !== undefined && category !== undefined && amount !== undefined) {
      procurement.push({ project, category, amount, assumed });
    }
  });

  // Department performance.
  let departmentPerformance: DepartmentPerformance | null = null;
  const perfNode = c.optional(doc, 'departmentPerformance');
  if (perfNode) {
    const path = '$.departmentPerformance';
    // `budget` is the table's computed block: the app derives it from the lines, so a copy in the file is ignored.
    const o = c.object(perfNode, path, '部门整体绩效目标', PERFORMANCE_FIELDS, 'performance', ['budget']);
    if (o) {
      const dutyGoal = c.optionalText(o, 'dutyGoal', path, '年度履职目标') ?? '';
      const tasks: DepartmentPerformance['tasks'] = [];
      const tasksNode = c.optional(o, 'tasks');
      const taskItems = tasksNode && c.array(tasksNode, `${path}.tasks`, '主要任务');
      taskItems?.forEach((item, i) => {
        const tp = `${path}.tasks[${i}]`;
        const t = c.object(item, tp, `第 ${i + 1} 项主要任务`, TASK_FIELDS, 'task');
        if (!t) return;
        const name = c.text(c.required(t, 'name', tp, '任务名称'), `${tp}.name`, '任务名称');
        const content = c.optionalText(t, 'content', tp, '主要内容') ?? '';
        if (name !== undefined) tasks.push({ name, content });
      });
      const indicators = readIndicators(c, o, path);
      departmentPerformance = { dutyGoal, tasks, indicators };
    }
  }

  // Prior year.
  let priorYear: PriorYear | null = null;
  const priorNode = c.optional(doc, 'priorYear');
  if (priorNode) {
    const path = '$.priorYear';
    const o = c.object(priorNode, path, '上年数', PRIOR_YEAR_FIELDS, 'priorYear');
    if (o) {
      const py: PriorYear = {};
      for (const [key, label] of PRIOR_YEAR_AMOUNTS) {
        const v = c.amount(c.optional(o, key), `${path}.${key}`, label);
        if (v !== undefined) py[key] = v;
      }
      const itemsNode = c.optional(o, 'threePublicItems');
      if (itemsNode) {
        const ip = `${path}.threePublicItems`;
        const io = c.object(itemsNode, ip, '上年“三公”经费分项', THREE_PUBLIC_ITEMS, 'priorYear.threePublicItems');
        if (io) {
          py.threePublicItems = {};
          for (const item of THREE_PUBLIC_ITEMS) {
            const v = c.amount(c.optional(io, item), `${ip}.${item}`, `上年${THREE_PUBLIC_ITEM_LABELS[item]}`);
            if (v !== undefined) py.threePublicItems[item] = v;
          }
        }
      }
      for (const [key, label, lengths] of [
        ['functional', '上年功能分类数', [3, 5, 7]],
        ['economic', '上年经济分类数', [3, 5]],
      ] as const) {
        const node = c.optional(o, key);
        if (!node) continue;
        const mp = `${path}.${key}`;
        if (node.type !== 'object') {
          c.problem(mp, node.line, `${label}应为对象（{"科目编码": "金额"}），实际是${TYPE_NAMES[node.type]}`);
          continue;
        }
        for (const d of node.duplicates) c.problem(`${mp}.${d.key}`, d.line, `科目“${d.key}”重复出现，无法确定以哪个为准`);
        const amounts: Record<string, Fen> = {};
        for (const [code, value] of node.entries) {
          if (!/^\d+$/.test(code) || !(lengths as readonly number[]).includes(code.length)) {
            c.problem(`${mp}.${code}`, value.line, `${label}的科目编码“${code}”无效，应为 ${lengths.join('、')} 位数字`);
            continue;
          }
          const v = c.amount(value, `${mp}.${code}`, `${label}（${code}）`);
          if (v !== undefined) amounts[code] = v;
        }
        py[key] = amounts;
      }
      priorYear = py;
    }
  }

  // User-typed text of the 预算说明.
  let narrative: NarrativeTexts | undefined;
  const narrativeNode = c.optional(doc, 'narrative');
  if (narrativeNode) {
    const path = '$.narrative';
    if (narrativeNode.type !== 'object') {
      c.problem(path, narrativeNode.line, `预算说明文字应为对象（{"名称": "文字"}），实际是${TYPE_NAMES[narrativeNode.type]}`);
    } else {
      for (const d of narrativeNode.duplicates) c.problem(`${path}.${d.key}`, d.line, `预算说明文字“${d.key}”重复出现`);
      narrative = {};
      for (const [key, value] of narrativeNode.entries) {
        const text = c.text(value, `${path}.${key}`, `预算说明文字“${key}”`);
        if (text !== undefined) narrative[key] = text;
      }
    }
  }

  // Reasons for large changes against last year, by functional code.
  let changeReasons: ChangeReasons | undefined;
  const reasonsNode = c.optional(doc, 'changeReasons');
  if (reasonsNode) {
    const path = '$.changeReasons';
    if (reasonsNode.type !== 'object') {
      c.problem(path, reasonsNode.line, `变动原因应为对象（{"功能分类编码": "原因"}），实际是${TYPE_NAMES[reasonsNode.type]}`);
    } else {
      for (const d of reasonsNode.duplicates) c.problem(`${path}.${d.key}`, d.line, `功能分类“${d.key}”的变动原因重复出现`);
      changeReasons = {};
      for (const [key, value] of reasonsNode.entries) {
        if (!/^\d{3}(\d{2}){0,2}$/.test(key)) {
          c.problem(`${path}.${key}`, value.line, `“${key}”不是功能分类的类、款或项编码`);
          continue;
        }
        const text = c.text(value, `${path}.${key}`, `功能分类“${key}”的变动原因`);
        if (text !== undefined) changeReasons[key] = text;
      }
    }
  }

  if (c.problems.length > 0 || fiscalYear === undefined || amountUnit === undefined || department === undefined) {
    return { ok: false, problems: c.problems };
  }
  const warnings = c.warnings();
  // A project line booked under another unit than its project's: legal in the format, but worth a look.
  const projectUnit = new Map(projects.map((p) => [p.code, p.unit]));
  lines.forEach((line, i) => {
    if (line.project !== null && projectUnit.get(line.project) !== line.unit) {
      warnings.push({
        path: `$.lines[${i}].unit`,
        line: lineItems![i]!.line,
        message: `该行属于项目“${line.project}”，但单位“${line.unit}”与项目所属单位“${projectUnit.get(line.project)}”不同`,
      });
    }
  });
  return {
    ok: true,
    budget: {
      fiscalYear,
      amountUnit,
      department,
      units,
      lines,
      income,
      projects,
      procurement,
      departmentPerformance,
      priorYear,
      ...(narrative && Object.keys(narrative).length > 0 ? { narrative } : {}),
      ...(changeReasons && Object.keys(changeReasons).length > 0 ? { changeReasons } : {}),
    },
    warnings,
  };
}

interface RefContext {
  book: CodeBook | undefined;
  unitCodes: ReadonlySet<string>;
  unitsKnown: boolean;
}

function readFund(c: ExchangeChecker, o: ObjectNode, path: string): FundCode | undefined {
  const node = c.required(o, 'fund', path, '资金来源');
  const fund = c.text(node, `${path}.fund`, '资金来源');
  if (fund === undefined) return undefined;
  if (!isFundCode(fund)) {
    c.problem(`${path}.fund`, node!.line, `资金来源“${fund}”不是已知的资金来源编码（如 "gpb.appropriation" 一般公共预算·财政拨款）`);
    return undefined;
  }
  return fund;
}

function readLine(
  c: ExchangeChecker,
  l: ObjectNode,
  path: string,
  ctx: RefContext & { projectCodes: ReadonlySet<string>; projectsKnown: boolean },
): Omit<BudgetLine, 'id'> | undefined {
  const unit = c.requiredText(l, 'unit', path, '单位编码');
  if (unit !== undefined && ctx.unitsKnown && !ctx.unitCodes.has(unit)) {
    c.problem(`${path}.unit`, l.entries.get('unit')!.line, `单位“${unit}”不在单位列表（units）中`);
  }
  const functional = c.requiredText(l, 'functional', path, '支出功能分类科目（7 位项级编码）');
  if (functional !== undefined && ctx.book) {
    const why = functionalCodeProblem(functional, ctx.book.functional, ctx.book.year);
    if (why) c.problem(`${path}.functional`, l.entries.get('functional')!.line, why);
  }
  const economic = c.requiredText(l, 'economic', path, '部门预算支出经济分类科目（5 位款级编码）');
  if (economic !== undefined && ctx.book) {
    const why = economicCodeProblem(economic, ctx.book.economic, ctx.book.year);
    if (why) c.problem(`${path}.economic`, l.entries.get('economic')!.line, why);
  }
  const kind = c.oneOf<ExpenditureKind>(c.required(l, 'kind', path, '支出类型'), `${path}.kind`, '支出类型', EXPENDITURE_KINDS, {
    basic: '基本支出',
    project: '项目支出',
  });
  const projectNode = c.optional(l, 'project');
  let project: string | null | undefined = null;
  if (kind === 'project') {
    if (!projectNode) {
      c.problem(`${path}.project`, l.entries.get('project')?.line ?? l.line, '项目支出行必须用 project 指明所属项目的编码');
      project = undefined;
    } else {
      project = c.text(projectNode, `${path}.project`, '所属项目编码', true);
      if (project !== undefined && ctx.projectsKnown && !ctx.projectCodes.has(project)) {
        c.problem(`${path}.project`, projectNode.line, `项目“${project}”不在项目列表（projects）中`);
      }
    }
  } else if (kind === 'basic' && projectNode) {
    const named = projectNode.type === 'string' ? `“${projectNode.value}”` : '';
    c.problem(`${path}.project`, projectNode.line, `基本支出行不能指定项目${named}：project 应为 null，或将 kind 改为 "project"`);
  }
  const fund = readFund(c, l, path);
  const amount = c.amount(c.required(l, 'amount', path, '金额'), `${path}.amount`, '金额');
  const assumed = c.boolean(c.optional(l, 'assumed'), `${path}.assumed`, 'assumed') ?? false;
  const remark = c.optionalText(l, 'remark', path, '备注');
  if (
    unit === undefined || functional === undefined || economic === undefined || kind === undefined ||
    project === undefined || fund === undefined || amount === undefined
  ) {
    return undefined;
  }
  const line: Omit<BudgetLine, 'id'> = { unit, functional, economic, kind, project, fund, amount, assumed };
  if (remark !== undefined) line.remark = remark;
  return line;
}

function readProject(c: ExchangeChecker, p: ObjectNode, path: string, ctx: RefContext): Project | undefined {
  let complete = true;
  const need = <T>(v: T | undefined): T | undefined => {
    if (v === undefined) complete = false;
    return v;
  };
  const code = need(c.text(c.required(p, 'code', path, '项目编码'), `${path}.code`, '项目编码', true));
  const unit = need(c.requiredText(p, 'unit', path, '项目所属单位编码'));
  if (unit !== undefined && ctx.unitsKnown && !ctx.unitCodes.has(unit)) {
    c.problem(`${path}.unit`, p.entries.get('unit')!.line, `项目所属单位“${unit}”不在单位列表（units）中`);
  }
  const name = need(c.requiredText(p, 'name', path, '项目名称'));
  const category = need(
    c.oneOf<ProjectCategory>(c.required(p, 'category', path, '项目类别'), `${path}.category`, '项目类别', PROJECT_CATEGORIES, {
      general: '一般性项目',
      special: '专项资金',
    }),
  );
  const yearAmount = need(c.amount(c.required(p, 'yearAmount', path, '本年度金额'), `${path}.yearAmount`, '本年度金额'));
  if (!complete || code === undefined || unit === undefined || name === undefined || category === undefined || yearAmount === undefined) {
    // Still check the optional fields so the user sees every problem at once.
    readProjectOptional(c, p, path, ctx, {} as Project);
    return undefined;
  }
  const project: Project = { code, unit, name, category, yearAmount, indicators: [] };
  return readProjectOptional(c, p, path, ctx, project) ? project : undefined;
}

/** Fills the optional fields into `project`; false when any of them is wrong. */
function readProjectOptional(c: ExchangeChecker, p: ObjectNode, path: string, ctx: RefContext, project: Project): boolean {
  const before = c.problems.length;
  const functionalNode = c.optional(p, 'functional');
  const functional = c.text(functionalNode, `${path}.functional`, '项目功能分类科目', true);
  if (functional !== undefined) {
    const why = ctx.book ? functionalCodeProblem(functional, ctx.book.functional, ctx.book.year) : null;
    if (why) c.problem(`${path}.functional`, functionalNode!.line, why);
    project.functional = functional;
  }
  for (const key of [...PROJECT_TEXT_FIELDS, ...PROJECT_NARRATIVE_FIELDS]) {
    const value = c.optionalText(p, key, path, key);
    if (value !== undefined) project[key] = value;
  }
  const start = c.date(c.optional(p, 'start'), `${path}.start`, `项目${PROJECT_FIELD_LABELS.start}`);
  if (start !== undefined) project.start = start;
  const end = c.date(c.optional(p, 'end'), `${path}.end`, `项目${PROJECT_FIELD_LABELS.end}`);
  if (end !== undefined) project.end = end;
  for (const key of ['totalAmount', 'priorTotalAmount', 'priorYearAmount'] as const) {
    const value = c.amount(c.optional(p, key), `${path}.${key}`, PROJECT_FIELD_LABELS[key]);
    if (value !== undefined) project[key] = value;
  }
  project.indicators = readIndicators(c, p, path);
  return c.problems.length === before;
}

function readIndicators(c: ExchangeChecker, o: ObjectNode, path: string): Indicator[] {
  const out: Indicator[] = [];
  const node = c.optional(o, 'indicators');
  const items = node && c.array(node, `${path}.indicators`, '绩效指标');
  items?.forEach((item, i) => {
    const ip = `${path}.indicators[${i}]`;
    const x = c.object(item, ip, `第 ${i + 1} 个绩效指标`, INDICATOR_FIELDS, 'indicator');
    if (!x) return;
    const level1 = c.text(c.required(x, 'level1', ip, '一级指标'), `${ip}.level1`, '一级指标');
    const level2 = c.text(c.required(x, 'level2', ip, '二级指标'), `${ip}.level2`, '二级指标');
    const name = c.text(c.required(x, 'name', ip, '三级指标'), `${ip}.name`, '三级指标');
    // An empty target is a real (if poor) submission: the audit flags it, reading keeps it.
    const targetNode = x.entries.get('target');
    const target = targetNode === undefined || targetNode.type === 'null' ? '' : c.text(targetNode, `${ip}.target`, '指标值');
    const note = c.optionalText(x, 'note', ip, '指标值说明');
    if (level1 === undefined || level2 === undefined || name === undefined || target === undefined) return;
    const indicator: Indicator = { level1, level2, name, target };
    if (note !== undefined) indicator.note = note;
    out.push(indicator);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Writing.

function indicatorToExchange(i: Indicator): Record<string, string> {
  const out: Record<string, string> = { level1: i.level1, level2: i.level2, name: i.name, target: i.target };
  if (i.note !== undefined) out.note = i.note;
  return out;
}

/** The budget as a budget-exchange/1 document (plain JSON data, keys in the format's order). */
export function toExchange(budget: Budget): Record<string, unknown> {
  const unit = budget.amountUnit;
  const money = (fen: Fen) => toExactString(fen, unit);
  const doc: Record<string, unknown> = {
    format: EXCHANGE_FORMAT,
    fiscalYear: budget.fiscalYear,
    amountUnit: unit,
    department: { code: budget.department.code, name: budget.department.name },
    units: budget.units.map((u) => ({ code: u.code, name: u.name, kind: u.kind })),
    lines: budget.lines.map((l) => {
      const out: Record<string, unknown> = {
        unit: l.unit,
        functional: l.functional,
        economic: l.economic,
        kind: l.kind,
        project: l.kind === 'project' ? l.project : null,
        fund: l.fund,
        amount: money(l.amount),
        assumed: l.assumed === true,
      };
      if (l.remark !== undefined && l.remark !== '') out.remark = l.remark;
      return out;
    }),
    income: budget.income.map((i) => ({ unit: i.unit, fund: i.fund, amount: money(i.amount) })),
    projects: budget.projects.map((p) => {
      const out: Record<string, unknown> = { code: p.code, unit: p.unit, name: p.name, category: p.category };
      for (const key of PROJECT_FIELDS) {
        if (key === 'code' || key === 'unit' || key === 'name' || key === 'category') continue;
        if (key === 'indicators') out.indicators = p.indicators.map(indicatorToExchange);
        else if ((PROJECT_AMOUNT_FIELDS as readonly string[]).includes(key)) {
          const v = p[key as (typeof PROJECT_AMOUNT_FIELDS)[number]];
          if (v !== undefined) out[key] = money(v);
        } else {
          const v = p[key as Exclude<keyof Project, 'indicators'>];
          if (v !== undefined) out[key] = v;
        }
      }
      return out;
    }),
    procurement: budget.procurement.map((x) => ({
      project: x.project,
      category: x.category,
      amount: money(x.amount),
      assumed: x.assumed === true,
    })),
  };
  if (budget.departmentPerformance) {
    const d = budget.departmentPerformance;
    doc.departmentPerformance = {
      dutyGoal: d.dutyGoal,
      tasks: d.tasks.map((t) => ({ name: t.name, content: t.content })),
      indicators: d.indicators.map(indicatorToExchange),
    };
  }
  if (budget.priorYear) {
    const prior = budget.priorYear;
    const py: Record<string, unknown> = {};
    for (const [key] of PRIOR_YEAR_AMOUNTS) {
      const v = prior[key];
      if (v !== undefined) py[key] = money(v);
    }
    if (prior.threePublicItems) {
      const items: Record<string, string> = {};
      for (const item of THREE_PUBLIC_ITEMS) {
        const v = prior.threePublicItems[item];
        if (v !== undefined) items[item] = money(v);
      }
      py.threePublicItems = items;
    }
    for (const key of ['functional', 'economic'] as const) {
      const m = prior[key];
      if (m) py[key] = Object.fromEntries(Object.keys(m).sort().map((code) => [code, money(m[code]!)]));
    }
    doc.priorYear = py;
  }
  if (budget.narrative && Object.keys(budget.narrative).length > 0) {
    const n = budget.narrative;
    doc.narrative = Object.fromEntries(Object.keys(n).sort().map((k) => [k, n[k]!]));
  }
  if (budget.changeReasons && Object.keys(budget.changeReasons).length > 0) {
    const r = budget.changeReasons;
    doc.changeReasons = Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]!]));
  }
  return doc;
}

/** The exchange document as text: two-space indented JSON with a final newline. */
export function serializeExchange(budget: Budget): string {
  return JSON.stringify(toExchange(budget), null, 2) + '\n';
}
