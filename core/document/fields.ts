// The parts of the 预算说明 the user writes (the budget does not hold them), with their defaults. Every other
// word of the document is drafted from the budget. Keys are stored in the budget file and the exchange
// format's `narrative`; a figure typed over a computed one is stored under `figure:<id>`.

export type NarrativeFieldKind = 'text' | 'paragraphs' | 'count';

export interface NarrativeField {
  key: string;
  label: string;
  kind: NarrativeFieldKind;
  /** What the document says while the user has not written this part ('' = the clause is left out). */
  default: string;
  /** Shown in the editor. */
  hint?: string;
}

export const STANDARD_DEFINITIONS = [
  '财政拨款收入：是指市级财政当年拨付的资金。',
  '事业收入：是指事业单位开展专业活动及辅助活动所取得的收入。',
  '其他收入：是指部门取得的除“财政拨款”、“事业收入”、“事业单位经营收入”等以外的收入。',
  '用事业基金弥补收支差额：是指事业单位在当年的“财政拨款收入”、“事业收入”、“经营收入”和“其他收入”不足以安排当年支出的情况下，使用以前年度积累的事业基金（即事业单位以前各年度收支相抵后，按国家规定提取、用于弥补以后年度收支差额的基金）弥补当年收支缺口的资金。',
  '基本支出：是指为保障机构正常运转、完成日常工作任务所必需的开支，其内容包括人员经费和日常公用经费两部分。',
  '项目支出：是指在基本支出之外，为完成特定的行政工作任务或事业发展目标所发生的支出。',
  '“三公”经费：是指纳入市级财政预算管理，部门使用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。其中，因公出国（境）费反映单位公务出国（境）的住宿费、旅费、伙食补助费、杂费、培训费等支出；公务用车购置及运行费反映单位公务用车购置费及租用费、燃料费、维修费、过路过桥费、保险费、安全奖励费用等支出；公务接待费反映单位按规定开支的各类公务接待（含外宾接待）支出。',
  '机关运行经费：是指为保障行政单位（含参照公务员法管理的事业单位）运行用于购买货物和服务的各项资金，包括办公及印刷费、邮电费、差旅费、会议费、福利费、日常维修费及一般设备购置费、办公用房水电费、办公用房取暖费、办公用房物业管理费、公务用车运行维护费以及其他费用。',
].join('\n');

export const ECONOMIC_REFORM_TEXT =
  '按照《财政部关于印发〈支出经济分类科目改革方案〉的通知》（财预〔2017〕98号）要求，从2018年起全面实施支出经济分类科目改革，根据政府预算管理和部门预算管理的不同特点，分设部门预算支出经济分类科目和政府预算支出经济分类科目，两套科目之间保持对应关系。为适应改革要求，我单位《支出经济分类汇总表》按两套经济分类科目分别反映不同资金来源的全部预算支出。';

export const PERFORMANCE_TEXT =
  '从项目产出、项目效益、满意度等方面设置了绩效目标，综合反映项目预期完成的数量、实效、质量，预期达到的社会效益、可持续影响以及对象满意度等情况。';

export const TRANSFER_TEXT =
  '我单位将按照《预算法》等有关规定，积极做好项目分配前期准备工作，在规定的时间内向财政部门提出资金分配意见，根据有关要求做好项目申报公开等相关工作。';

export const NARRATIVE_FIELDS: readonly NarrativeField[] = [
  { key: 'shortName', label: '部门简称', kind: 'text', default: '', hint: '说明中称呼本部门的名称；不填则用部门全称' },
  { key: 'preamble', label: '第一部分开头说明', kind: 'paragraphs', default: '' },
  { key: 'duties', label: '主要职能', kind: 'paragraphs', default: '', hint: '每行一条' },
  { key: 'reason.total', label: '收支总计增减的主要原因', kind: 'text', default: '' },
  { key: 'reason.appropriation', label: '一般公共预算增减的主要原因', kind: 'text', default: '' },
  { key: 'economic', label: '支出经济分类情况说明', kind: 'paragraphs', default: ECONOMIC_REFORM_TEXT },
  { key: 'reason.threePublic', label: '“三公”经费增减的主要原因', kind: 'text', default: '' },
  { key: 'usage.abroad', label: '因公出国（境）费主要用途', kind: 'text', default: '' },
  { key: 'usage.reception', label: '公务接待费主要用途', kind: 'text', default: '' },
  { key: 'usage.vehicle', label: '公务用车购置及运行费主要用途', kind: 'text', default: '' },
  { key: 'operatingCost.usage', label: '机关运行经费主要用途', kind: 'text', default: '' },
  { key: 'operatingCost.unitType', label: '单位性质（无机关运行经费时）', kind: 'text', default: '', hint: '如“事业全供单位”；不填则按单位类型写' },
  { key: 'performance', label: '绩效目标设置情况', kind: 'paragraphs', default: PERFORMANCE_TEXT },
  { key: 'assets.officialVehicles', label: '一般公务用车（辆）', kind: 'count', default: '0' },
  { key: 'assets.lawVehicles', label: '一般执法执勤用车（辆）', kind: 'count', default: '0' },
  { key: 'assets.otherVehicles', label: '其他用车（辆）', kind: 'count', default: '0' },
  { key: 'assets.generalEquipment', label: '单价50万元以上通用设备（套）', kind: 'count', default: '0' },
  { key: 'assets.specialEquipment', label: '单位价值100万元以上专用设备（套）', kind: 'count', default: '0' },
  { key: 'transfer.count', label: '专项转移支付项目（项）', kind: 'count', default: '0' },
  { key: 'transfer.text', label: '专项转移支付项目情况说明', kind: 'paragraphs', default: TRANSFER_TEXT },
  { key: 'definitions', label: '名词解释（每行一条）', kind: 'paragraphs', default: STANDARD_DEFINITIONS },
  { key: 'date', label: '落款日期', kind: 'text', default: '' },
];

const FIELD_BY_KEY = new Map(NARRATIVE_FIELDS.map((f) => [f.key, f]));

export const FIGURE_KEY_PREFIX = 'figure:';

/** A key the narrative may hold: a field above, or a typed figure. */
export function isNarrativeKey(key: string): boolean {
  return FIELD_BY_KEY.has(key) || (key.startsWith(FIGURE_KEY_PREFIX) && /^[a-zA-Z0-9.\-]+$/.test(key.slice(FIGURE_KEY_PREFIX.length)));
}

export function narrativeField(key: string): NarrativeField | undefined {
  return FIELD_BY_KEY.get(key);
}

/** Whether a count field's text is a count (a whole number, 0 or more). */
export function isCount(text: string): boolean {
  return /^\d{1,9}$/.test(text.normalize('NFKC').trim());
}
