// The indicator tree of a 绩效目标表 (一级 → 二级 → 三级) with each 目标值 entered as parts: comparator + number +
// unit, or a qualitative value. A target imported as text stays text (with its warning) until converted; an
// unchanged target goes back as "keep" so its published text is never rewritten.
import { useEffect, useMemo, useRef, useState } from 'react';
import type {
  IndicatorInput,
  TargetView,
  WizardChoices,
  WizardIndicator,
  WizardIndicatorDraft,
  WizardSlot,
  WizardSuggestion,
} from '../../api/wizard.js';
import { call, errorMessage } from '../api.js';
import type { ShowToast } from '../toast.js';
import { Messages, type FieldMessage } from './common.js';

export type TargetDraft =
  | { mode: 'keep'; text: string; view: TargetView }
  | { mode: 'quantitative'; comparator: string; number: string; unit: string; problem?: string }
  | { mode: 'qualitative'; value: string }
  | { mode: 'empty' };

export interface DraftIndicator {
  /** Local identity of the row while editing. */
  id: number;
  /** Position in the last saved list (findings point there); null for a row added since. */
  savedIndex: number | null;
  level1: string;
  level2: string;
  name: string;
  note: string;
  target: TargetDraft;
}

let nextId = 1;

export function draftsFrom(indicators: readonly WizardIndicator[]): DraftIndicator[] {
  return indicators.map((x, i) => ({
    id: nextId++,
    savedIndex: i,
    level1: x.level1,
    level2: x.level2,
    name: x.name,
    note: x.note,
    target: x.target.kind === 'empty' ? { mode: 'empty' } : { mode: 'keep', text: x.target.text, view: x.target },
  }));
}

/** Rows kept as typed by 保存草稿 (see WizardIndicatorDraft), back into the editor's drafts. */
export function draftsFromDraft(draft: WizardIndicatorDraft, stored: readonly WizardIndicator[]): DraftIndicator[] {
  return draft.rows.map(({ input, keep }, i) => {
    const t = input.target;
    let target: TargetDraft;
    if (t.kind === 'keep' && keep) target = { mode: 'keep', text: t.text, view: keep };
    else if (t.kind === 'quantitative') target = { mode: 'quantitative', comparator: t.comparator, number: t.number, unit: t.unit };
    else if (t.kind === 'qualitative') target = { mode: 'qualitative', value: t.value };
    else target = { mode: 'empty' };
    // A row still where the stored table has it keeps its place (findings and messages point there).
    const same = stored[i];
    const savedIndex = same && same.level1 === input.level1 && same.level2 === input.level2 && same.name === input.name ? i : null;
    return { id: nextId++, savedIndex, level1: input.level1, level2: input.level2, name: input.name, note: input.note ?? '', target };
  });
}

export function indicatorInputs(drafts: readonly DraftIndicator[], withNotes: boolean): IndicatorInput[] {
  return drafts.map((d) => {
    const t = d.target;
    let target: IndicatorInput['target'];
    if (t.mode === 'keep') target = { kind: 'keep', text: t.text };
    else if (t.mode === 'quantitative') {
      target =
        t.number.trim() === '' && t.unit.trim() === ''
          ? { kind: 'empty' }
          : { kind: 'quantitative', comparator: t.comparator as '=', number: t.number, unit: t.unit };
    } else if (t.mode === 'qualitative') target = t.value === '' ? { kind: 'empty' } : { kind: 'qualitative', value: t.value };
    else target = { kind: 'empty' };
    const out: IndicatorInput = { level1: d.level1, level2: d.level2, name: d.name, target };
    if (withNotes) out.note = d.note;
    return out;
  });
}

/** Problems found while typing (a pasted placeholder): the row cannot be saved until they are fixed. */
export function draftProblems(drafts: readonly DraftIndicator[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const d of drafts) if (d.target.mode === 'quantitative' && d.target.problem) out.set(d.id, d.target.problem);
  return out;
}

/** Refusal messages of rows edited since: they no longer apply. */
export function forgetChanged<T>(issues: ReadonlyMap<number, T>, before: readonly DraftIndicator[], after: readonly DraftIndicator[]): Map<number, T> {
  const old = new Map(before.map((d) => [d.id, d]));
  const next = new Map(issues);
  for (const d of after) if (old.get(d.id) !== d) next.delete(d.id);
  return next;
}

const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

function normaliseNumber(text: string): string {
  return text.normalize('NFKC').trim().replace(/,/g, '');
}

/** The parts an editor shows for a draft. */
function shownParts(t: TargetDraft): { kind: 'quantitative' | 'qualitative' | 'text'; comparator: string; number: string; unit: string; value: string } {
  if (t.mode === 'keep') {
    const v = t.view;
    if (v.kind === 'text') return { kind: 'text', comparator: '=', number: '', unit: '', value: '' };
    if (v.kind === 'qualitative') return { kind: 'qualitative', comparator: '=', number: '', unit: '', value: v.qualitative ?? '' };
    return { kind: 'quantitative', comparator: v.comparator ?? '=', number: v.number ?? '', unit: v.unit ?? '', value: '' };
  }
  if (t.mode === 'qualitative') return { kind: 'qualitative', comparator: '=', number: '', unit: '', value: t.value };
  if (t.mode === 'quantitative') return { kind: 'quantitative', comparator: t.comparator, number: t.number, unit: t.unit, value: '' };
  return { kind: 'quantitative', comparator: '≥', number: '', unit: '', value: '' };
}

interface TargetEditorProps {
  draft: DraftIndicator;
  choices: WizardChoices;
  unitsListId: string;
  onChange(target: TargetDraft): void;
}

function TargetEditor({ draft, choices, unitsListId, onChange }: TargetEditorProps) {
  const t = draft.target;
  const parts = shownParts(t);
  const label = draft.name || '指标';

  const setParts = (patch: Partial<{ comparator: string; number: string; unit: string }>) => {
    const next = { comparator: parts.comparator, number: parts.number, unit: parts.unit, ...patch };
    onChange({ mode: 'quantitative', ...next });
  };

  /** A whole target typed or pasted into the number box ("≥20次", "合理", "无") is read into its parts. */
  const readTyped = async (typed: string) => {
    const number = normaliseNumber(typed);
    if (number === '' || PLAIN_NUMBER.test(number)) {
      if (number !== typed && number !== '') setParts({ number });
      return;
    }
    try {
      const r = await call('wizard.readTarget', { text: typed, level1: draft.level1, level2: draft.level2, name: draft.name });
      if (r.refusal) onChange({ mode: 'quantitative', comparator: parts.comparator, number: typed, unit: parts.unit, problem: r.refusal });
      else if (r.kind === 'qualitative') onChange({ mode: 'qualitative', value: r.qualitative ?? '' });
      else if (r.kind === 'quantitative') onChange({ mode: 'quantitative', comparator: r.comparator ?? '=', number: r.number ?? '', unit: r.unit ?? parts.unit });
    } catch (err) {
      onChange({ mode: 'quantitative', comparator: parts.comparator, number: typed, unit: parts.unit, problem: errorMessage(err) });
    }
  };

  if (parts.kind === 'text' && t.mode === 'keep') {
    return (
      <div className="wz-target text" data-kind="text">
        <span className="wz-target-text" title="按发布原文保留">{t.text}</span>
        <button type="button" className="link" onClick={() => onChange({ mode: 'quantitative', comparator: '≥', number: '', unit: '' })}>
          改为定量
        </button>
        <button type="button" className="link" onClick={() => onChange({ mode: 'qualitative', value: '' })}>
          改为定性
        </button>
      </div>
    );
  }

  return (
    <div className="wz-target" data-kind={parts.kind}>
      <select
        className="wz-kind"
        aria-label={`${label} 目标值类型`}
        value={parts.kind}
        onChange={(e) => onChange(e.target.value === 'qualitative' ? { mode: 'qualitative', value: '' } : { mode: 'quantitative', comparator: '≥', number: '', unit: '' })}
      >
        <option value="quantitative">定量</option>
        <option value="qualitative">定性</option>
      </select>
      {parts.kind === 'qualitative' ? (
        <select
          className="wz-qualitative"
          aria-label={`${label} 定性目标值`}
          value={parts.value}
          onChange={(e) => onChange({ mode: 'qualitative', value: e.target.value })}
        >
          <option value="">（请选择）</option>
          {(parts.value && !choices.qualitative.includes(parts.value) ? [parts.value, ...choices.qualitative] : choices.qualitative).map((q) => (
            <option key={q} value={q}>
              {q}
            </option>
          ))}
        </select>
      ) : (
        <>
          <select
            className="wz-comparator"
            aria-label={`${label} 比较符`}
            value={parts.comparator}
            onChange={(e) => setParts({ comparator: e.target.value })}
          >
            {choices.comparators.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          <input
            className="wz-number"
            aria-label={`${label} 数值`}
            inputMode="decimal"
            value={parts.number}
            placeholder="数值"
            onChange={(e) => setParts({ number: e.target.value })}
            onBlur={(e) => void readTyped(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void readTyped((e.target as HTMLInputElement).value);
            }}
          />
          <input
            className="wz-unit"
            aria-label={`${label} 单位`}
            list={unitsListId}
            value={parts.unit}
            placeholder="单位"
            onChange={(e) => setParts({ unit: e.target.value })}
          />
        </>
      )}
      {t.mode === 'keep' && t.view.text !== t.view.canonical ? (
        <span className="wz-original">
          <span title="未修改时按发布原文打印">原文 {t.view.text}</span>
          <button
            type="button"
            className="link"
            title={`改为规范写法“${t.view.canonical}”`}
            onClick={() =>
              onChange(
                t.view.kind === 'qualitative'
                  ? { mode: 'qualitative', value: t.view.qualitative ?? '' }
                  : { mode: 'quantitative', comparator: t.view.comparator ?? '=', number: t.view.number ?? '', unit: t.view.unit ?? '' },
              )
            }
          >
            规范为 {t.view.canonical}
          </button>
        </span>
      ) : null}
    </div>
  );
}

interface Group {
  level1: string;
  level2: string;
  dimension: string;
  inTemplate: boolean;
}

const pairKey = (level1: string, level2: string) => `${level1}\u0000${level2}`;

export interface IndicatorEditorProps {
  drafts: DraftIndicator[];
  onChange(drafts: DraftIndicator[]): void;
  slots: readonly WizardSlot[];
  choices: WizardChoices;
  /** Messages of one row (refusal issues and findings of the saved state). */
  rowMessages(draft: DraftIndicator): FieldMessage[];
  withNotes: boolean;
  /** Project code for suggestions; null for the department table. */
  code: string | null;
  projectTypes: readonly string[];
  toast: ShowToast;
}

export function IndicatorEditor({ drafts, onChange, slots, choices, rowMessages, withNotes, code, projectTypes, toast }: IndicatorEditorProps) {
  const [adding, setAdding] = useState<{ level1: string; level2: string } | null>(null);
  const [found, setFound] = useState<WizardSuggestion[] | null>(null);
  const [filter, setFilter] = useState('');
  const [focusId, setFocusId] = useState<number | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const unitsListId = 'wz-target-units';

  const groups = useMemo(() => {
    const out: Group[] = slots.map((s) => ({ ...s, inTemplate: true }));
    const known = new Set(out.map((g) => pairKey(g.level1, g.level2)));
    for (const d of drafts) {
      const key = pairKey(d.level1, d.level2);
      if (known.has(key)) continue;
      known.add(key);
      out.push({ level1: d.level1, level2: d.level2, dimension: '', inTemplate: false });
    }
    return out;
  }, [slots, drafts]);

  const byLevel1 = useMemo(() => {
    const out: { level1: string; inTemplate: boolean; groups: Group[] }[] = [];
    for (const g of groups) {
      const last = out.at(-1);
      if (last && last.level1 === g.level1 && last.inTemplate === g.inTemplate) last.groups.push(g);
      else out.push({ level1: g.level1, inTemplate: g.inTemplate, groups: [g] });
    }
    return out;
  }, [groups]);

  useEffect(() => {
    if (focusId === null) return;
    const row = root.current?.querySelector(`[data-draft="${focusId}"]`);
    (row?.querySelector('.wz-number, .wz-qualitative, .wz-name') as HTMLElement | null)?.focus();
    setFocusId(null);
  }, [focusId, drafts]);

  const update = (id: number, patch: Partial<DraftIndicator>) => onChange(drafts.map((d) => (d.id === id ? { ...d, ...patch } : d)));
  const remove = (id: number) => onChange(drafts.filter((d) => d.id !== id));

  const openPicker = async (g: Group) => {
    setAdding({ level1: g.level1, level2: g.level2 });
    setFound(null);
    setFilter('');
    try {
      setFound(await call('wizard.suggest', { code, level1: g.level1, level2: g.level2, projectTypes: [...projectTypes] }));
    } catch (err) {
      setFound([]);
      toast(errorMessage(err), 'error');
    }
  };

  /** Inserted after the last row of its 二级 (or where the tree puts the 二级), so the list stays in printed order. */
  const insert = (row: DraftIndicator) => {
    const key = pairKey(row.level1, row.level2);
    const order = new Map(groups.map((g, i) => [pairKey(g.level1, g.level2), i]));
    const mine = order.get(key) ?? groups.length;
    let at = 0;
    drafts.forEach((d, i) => {
      if ((order.get(pairKey(d.level1, d.level2)) ?? groups.length) <= mine) at = i + 1;
    });
    onChange([...drafts.slice(0, at), row, ...drafts.slice(at)]);
    setAdding(null);
    setFocusId(row.id);
  };

  const addSuggestion = (s: WizardSuggestion | null) => {
    if (!adding) return;
    const target: TargetDraft = !s
      ? { mode: 'quantitative', comparator: '≥', number: '', unit: '' }
      : s.kind === 'qualitative'
        ? { mode: 'qualitative', value: s.qualitative[0] ?? '' }
        : { mode: 'quantitative', comparator: s.comparator ?? '≥', number: s.number ?? '', unit: s.unit ?? '' };
    insert({ id: nextId++, savedIndex: null, level1: adding.level1, level2: adding.level2, name: s?.name ?? '', note: '', target });
  };

  const present = new Set(drafts.map((d) => `${pairKey(d.level1, d.level2)}\u0000${d.name}`));
  const shown = (found ?? []).filter((s) => filter.trim() === '' || s.name.includes(filter.trim()));

  return (
    <div className="wz-indicators" ref={root}>
      <datalist id={unitsListId}>
        {choices.targetUnits.map((u) => (
          <option key={u} value={u} />
        ))}
      </datalist>
      {byLevel1.map((l1) => (
        <section key={`${l1.level1}-${l1.inTemplate}`} className={`wz-l1${l1.inTemplate ? '' : ' outside'}`}>
          <h4 className="wz-l1-head">
            {l1.level1}
            {l1.inTemplate ? null : <span className="wz-outside-note">（不在所选模板中，打印在模板指标之后）</span>}
          </h4>
          {l1.groups.map((g) => {
            const rows = drafts.filter((d) => d.level1 === g.level1 && d.level2 === g.level2);
            const isAdding = adding?.level1 === g.level1 && adding.level2 === g.level2;
            return (
              <div key={g.level2} className="wz-l2" data-level2={g.level2}>
                <div className="wz-l2-head">
                  <span className="wz-l2-name">{g.level2}</span>
                  {g.dimension && g.dimension !== g.level2 ? <span className="wz-dim">{g.dimension}</span> : null}
                  <span className="wz-count">{rows.length ? `${rows.length} 项` : '空（打印为一行空白）'}</span>
                  <button type="button" className="wz-add" onClick={() => void openPicker(g)} aria-label={`在“${g.level2}”下添加指标`}>
                    ＋ 添加指标
                  </button>
                </div>
                {rows.map((d) => {
                  const typed: FieldMessage[] = d.target.mode === 'quantitative' && d.target.problem ? [{ severity: 'error', message: d.target.problem }] : [];
                  const messages = [...typed, ...rowMessages(d)];
                  const state = messages.some((m) => m.severity === 'error') ? ' has-error' : messages.length ? ' has-warning' : '';
                  return (
                    <div key={d.id} className={`wz-row${state}`} data-draft={d.id} data-indicator={d.savedIndex ?? ''}>
                      <input
                        className="wz-name"
                        aria-label={`${g.level2} 三级指标名称`}
                        value={d.name}
                        placeholder="三级指标名称"
                        onChange={(e) => update(d.id, { name: e.target.value })}
                      />
                      <TargetEditor draft={d} choices={choices} unitsListId={unitsListId} onChange={(target) => update(d.id, { target })} />
                      {withNotes ? (
                        <textarea
                          className="wz-note"
                          aria-label={`${d.name || '指标'} 指标值说明`}
                          rows={1}
                          value={d.note}
                          placeholder="指标值说明"
                          onChange={(e) => update(d.id, { note: e.target.value })}
                        />
                      ) : null}
                      <button type="button" className="wz-remove link" aria-label={`删除指标 ${d.name}`} title="删除此指标" onClick={() => remove(d.id)}>
                        ×
                      </button>
                      <Messages list={messages} testId={`msg-row-${d.savedIndex ?? `new-${d.id}`}`} />
                    </div>
                  );
                })}
                {isAdding ? (
                  <div
                    className="wz-picker"
                    role="dialog"
                    aria-label={`为“${g.level2}”选择指标`}
                    onKeyDown={(e) => {
                      if (e.key === 'Escape') setAdding(null);
                    }}
                  >
                    <div className="wz-picker-head">
                      <input autoFocus aria-label="筛选建议指标" placeholder="筛选建议指标…" value={filter} onChange={(e) => setFilter(e.target.value)} />
                      <button type="button" onClick={() => addSuggestion(null)}>
                        空白指标
                      </button>
                      <button type="button" className="link" onClick={() => setAdding(null)}>
                        取消
                      </button>
                    </div>
                    {found === null ? <div className="wz-picker-empty">正在查找建议…</div> : null}
                    {found !== null && shown.length === 0 ? <div className="wz-picker-empty">没有建议：可添加空白指标后自行填写</div> : null}
                    <ul className="wz-suggestions">
                      {shown.map((s) => {
                        const used = present.has(`${pairKey(g.level1, g.level2)}\u0000${s.name}`);
                        return (
                          <li key={s.name}>
                            <button type="button" disabled={used} onClick={() => addSuggestion(s)} title={used ? '已在表中' : s.projectTypes.join('、')}>
                              <span className="wz-s-name">{s.name}</span>
                              <span className="wz-s-example">{s.example}</span>
                              <span className="wz-s-meta">
                                {s.source === 'template' ? '模板可选' : s.projectTypes.slice(0, 2).join('、')}
                                {s.seen > 0 ? ` · ${s.seen} 表` : ''}
                              </span>
                            </button>
                          </li>
                        );
                      })}
                    </ul>
                  </div>
                ) : null}
              </div>
            );
          })}
        </section>
      ))}
    </div>
  );
}
