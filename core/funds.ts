// Funding sources (收入来源) of the exchange format, and how the published tables group them.

export const FUNDS = [
  { code: 'gpb.appropriation', label: '财政拨款', group: 'gpb' },
  { code: 'gpb.admin-fees', label: '纳入预算管理的行政事业性收费', group: 'gpb' },
  { code: 'gpb.special-revenue', label: '专项收入', group: 'gpb' },
  { code: 'gpb.state-asset-use', label: '国有资源（资产）有偿使用收入', group: 'gpb' },
  { code: 'gpb.state-capital', label: '国有资本经营收入', group: 'gpb' },
  { code: 'gpb.housing-fund', label: '政府住房基金收入', group: 'gpb' },
  { code: 'gpb.debt', label: '债务收入', group: 'gpb' },
  { code: 'gpb.other', label: '其他一般公共预算收入', group: 'gpb' },
  { code: 'gpb.upper-advance', label: '上级预拨', group: 'gpb' },
  { code: 'gpb.stabilization', label: '动用预算稳定调节基金', group: 'gpb' },
  { code: 'gpb.transfer-in', label: '调入资金', group: 'gpb' },
  { code: 'gpb.carryover', label: '上年结余（结转）', group: 'gpb' },
  { code: 'gfb.current', label: '当年收入', group: 'gfb' },
  { code: 'gfb.debt', label: '债务收入', group: 'gfb' },
  { code: 'gfb.upper-advance', label: '上级预拨', group: 'gfb' },
  { code: 'gfb.carryover', label: '上年结余（结转）', group: 'gfb' },
  { code: 'edu-fees', label: '专户管理的教育收费', group: 'edu-fees' },
  { code: 'edu-fees.carryover', label: '专户管理的教育收费结余（结转）', group: 'edu-fees.carryover' },
  { code: 'state-capital-budget', label: '国有资本经营预算收入', group: 'state-capital-budget' },
  { code: 'operations', label: '事业收入', group: 'operations' },
  { code: 'business', label: '经营收入', group: 'business' },
  { code: 'institution-fund', label: '事业基金', group: 'institution-fund' },
  { code: 'other', label: '其他收入', group: 'other' },
  { code: 'dept-carryover', label: '部门结转', group: 'dept-carryover' },
  { code: 'institution-fund.cover', label: '用事业单位基金弥补收支差额', group: 'institution-fund.cover' },
] as const;

export type FundCode = (typeof FUNDS)[number]['code'];
export type FundGroup = (typeof FUNDS)[number]['group'];

const BY_CODE = new Map<string, (typeof FUNDS)[number]>(FUNDS.map((f) => [f.code, f]));

export function isFundCode(value: unknown): value is FundCode {
  return typeof value === 'string' && BY_CODE.has(value);
}

export function fundGroup(code: FundCode): FundGroup {
  return BY_CODE.get(code)!.group;
}

/** Full Chinese name, e.g. "一般公共预算 · 财政拨款". */
export function fundLabel(code: FundCode): string {
  const f = BY_CODE.get(code)!;
  if (f.group === 'gpb') return `一般公共预算·${f.label}`;
  if (f.group === 'gfb') return `政府性基金·${f.label}`;
  return f.label;
}

/**
 * The budget a fund is part of: 一般公共预算 ('general'), 政府性基金预算 ('fund'), 国有资本经营预算
 * ('state-capital'); null for the unit's own funds (事业收入, 经营收入, 事业基金, 其他收入 …), which are none of them.
 */
export function fundBudget(code: FundCode): 'general' | 'fund' | 'state-capital' | null {
  const group = fundGroup(code);
  if (group === 'gpb') return 'general';
  if (group === 'gfb') return 'fund';
  if (group === 'state-capital-budget') return 'state-capital';
  return null;
}
