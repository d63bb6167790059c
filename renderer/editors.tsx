// Cell editors of the line grid. The code picker searches 科目, units, projects and funding sources by code
// or by name as the user types, like the pickers of finance software: arrows move, Enter takes the
// highlighted entry, Escape cancels.
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type RefObject } from 'react';
import type { CustomCellEditorProps } from 'ag-grid-react';
import type { CodeOption } from '../api/contract.js';
import { call } from './api.js';

export type PickerKind = 'functional' | 'economic' | 'unit' | 'project' | 'fund';

export interface PickerParams {
  pickerKind: PickerKind;
  /** Offer an empty choice (project: “无项目”). */
  allowEmpty?: string;
  /**
   * Offer “新建项目” for text that names no project: the editor closes leaving the cell as it was, and this is
   * called with the text and the grid row being edited.
   */
  onCreate?: (text: string, row: unknown) => void;
}

/** The code an option of “新建…” carries: never a real code (codes have no spaces). */
export const CREATE_OPTION = ' create';

/** What an empty search says it did not find. */
export const NOTHING: Record<PickerKind, string> = {
  functional: '科目',
  economic: '科目',
  unit: '单位',
  project: '项目',
  fund: '资金来源',
};

export const PLACEHOLDER: Record<PickerKind, string> = {
  functional: '输入功能分类编码或名称',
  economic: '输入经济分类编码或名称',
  unit: '输入单位编码或名称',
  project: '输入项目编码或名称',
  fund: '输入资金来源名称',
};

/** Printable characters that started the edit replace the value, as in a spreadsheet. */
function typedStart(eventKey: string | null | undefined): string | null {
  return eventKey && eventKey.length === 1 ? eventKey : null;
}

/**
 * The picker's search as the user types: the options for the text (after a short pause), which of them is
 * highlighted, and for which text they are (the list may still be catching up with the typing). With
 * `createLabel`, text that names no option exactly gets a last option “新建…” (code CREATE_OPTION), highlighted
 * when nothing matches.
 */
export function usePickerSearch(
  kind: PickerKind,
  query: string,
  opts: { allowEmpty?: string; initialValue?: string; createLabel?: (text: string) => string; enabled?: boolean } = {},
) {
  const { allowEmpty, initialValue, createLabel, enabled = true } = opts;
  const [options, setOptions] = useState<CodeOption[]>([]);
  const [active, setActive] = useState(0);
  const [optionsFor, setOptionsFor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const offerCreate = useRef(createLabel);
  offerCreate.current = createLabel;

  useEffect(() => {
    if (!enabled) return;
    const mine = ++seq.current;
    setLoading(true);
    const q = query.trim();
    const timer = window.setTimeout(() => {
      call('codes.search', { kind, query: q, limit: 80 })
        .then((found) => {
          if (mine !== seq.current) return;
          let all: CodeOption[] = allowEmpty !== undefined && q === '' ? [{ code: '', name: allowEmpty }, ...found] : found;
          const label = offerCreate.current;
          const named = all.some((o) => o.code === q || o.name === q);
          if (label && q !== '' && !named) all = [...all, { code: CREATE_OPTION, name: label(q) }];
          setOptions(all);
          setOptionsFor(q);
          // Start on the current value when nothing was typed, else on the best match.
          const current = q === '' ? all.findIndex((o) => o.code === initialValue) : -1;
          setActive(current >= 0 ? current : 0);
        })
        .catch(() => {
          if (mine === seq.current) {
            setOptions([]);
            setOptionsFor(q);
          }
        })
        .finally(() => {
          if (mine === seq.current) setLoading(false);
        });
    }, 60);
    return () => window.clearTimeout(timer);
  }, [query, kind, allowEmpty, initialValue, enabled]);

  return { options, active, setActive, optionsFor, loading };
}

/** The picker's list: code, the entry's parents (类 › 款) and name, its budget and level; “新建…” set apart. */
export function PickerOptions({
  kind,
  options,
  active,
  query,
  loading,
  listRef,
  onHover,
  onPick,
  id,
}: {
  kind: PickerKind;
  options: readonly CodeOption[];
  active: number;
  query: string;
  loading: boolean;
  listRef?: RefObject<HTMLUListElement | null>;
  onHover(index: number): void;
  onPick(option: CodeOption): void;
  id?: string;
}) {
  // Funding sources are known by their names only; their codes are internal.
  const showCodes = kind !== 'fund';
  return (
    <ul className="picker-list" ref={listRef} role="listbox" id={id}>
      {options.map((o, i) => (
        <li
          key={`${o.code}|${i}`}
          role="option"
          aria-selected={i === active}
          data-active={i === active}
          data-code={o.code === CREATE_OPTION ? undefined : o.code}
          data-create={o.code === CREATE_OPTION ? 'true' : undefined}
          className={[i === active ? 'active' : '', o.code === CREATE_OPTION ? 'create' : ''].filter(Boolean).join(' ') || undefined}
          onMouseEnter={() => onHover(i)}
          onMouseDown={(e) => {
            e.preventDefault();
            onPick(o);
          }}
        >
          {o.code && o.code !== CREATE_OPTION && showCodes ? <span className="code">{o.code}</span> : null}
          <span className="name">
            {o.path ? <span className="path">{o.path} › </span> : null}
            {o.name}
          </span>
          {o.budget ? <span className="budget">{o.budget}</span> : null}
          {o.level ? <span className="level">{o.level}</span> : null}
        </li>
      ))}
      {!loading && options.length === 0 ? <li className="none">没有匹配“{query}”的{NOTHING[kind]}</li> : null}
    </ul>
  );
}

export function CodePickerEditor(props: CustomCellEditorProps & PickerParams) {
  const { pickerKind, allowEmpty, onCreate, onValueChange, stopEditing, eventKey, initialValue, formatValue, data, api } = props;
  const current = initialValue ? formatValue(initialValue) || '无' : '';
  const typed = typedStart(eventKey);
  // The key that opened the picker; what was typed before its text box existed comes from the grid's
  // keyboard buffer (renderer/keyboard-buffer.ts) when the box takes the focus.
  const [query, setQuery] = useState(typed ?? '');
  const [moved, setMoved] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const { options, active, setActive, optionsFor, loading } = usePickerSearch(pickerKind, query, {
    allowEmpty,
    initialValue,
    createLabel: onCreate ? (text) => `＋ 新建项目“${text}”…` : undefined,
  });

  useLayoutEffect(() => {
    const el = input.current;
    if (!el) return;
    el.focus();
    if (el.value === '') return;
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);

  /** “新建项目”: the edit is cancelled (the cell keeps its value); the grid opens the dialog for the typed text. */
  const create = (text: string) => {
    api.stopEditing(true);
    onCreate?.(text, data);
  };

  // The value the grid takes when editing stops: the highlighted entry of the list for what is typed now,
  // or the text as typed while the list is still catching up (the service reads a code or an exact name,
  // and refuses with its reason when the text names nothing).
  useEffect(() => {
    const q = query.trim();
    const chosen = optionsFor === q ? options[active] : undefined;
    if (q === '' && !moved) onValueChange(initialValue);
    // “新建项目” highlighted: Enter opens the dialog (below); leaving the cell otherwise hands over the text as
    // typed, which the service refuses saying where projects are created.
    else if (chosen && chosen.code !== CREATE_OPTION) onValueChange(chosen.code);
    else onValueChange(q);
  }, [options, optionsFor, active, moved, query, initialValue, onValueChange]);

  useEffect(() => {
    list.current?.querySelector('[data-active="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [active, options]);

  // Enter on “新建项目” must not reach the grid (which would store the typed text): taken on the text box
  // itself, before the grid's own listener sees it.
  const createState = useRef({ offered: false, text: '' });
  createState.current = { offered: !!onCreate && optionsFor === query.trim() && options[active]?.code === CREATE_OPTION, text: query.trim() };
  const createRef = useRef(create);
  createRef.current = create;
  useEffect(() => {
    const el = input.current;
    if (!el) return;
    const onEnter = (e: KeyboardEvent) => {
      if (e.key !== 'Enter' || !createState.current.offered) return;
      e.preventDefault();
      e.stopPropagation();
      createRef.current(createState.current.text);
    };
    el.addEventListener('keydown', onEnter);
    return () => el.removeEventListener('keydown', onEnter);
  }, []);

  const onKeyDown = (e: ReactKeyboardEvent) => {
    if (['ArrowDown', 'ArrowUp', 'PageDown', 'PageUp'].includes(e.key)) setMoved(true);
    if (e.key === 'ArrowDown') {
      setActive((a) => Math.min(a + 1, options.length - 1));
      e.preventDefault();
      e.stopPropagation();
    } else if (e.key === 'ArrowUp') {
      setActive((a) => Math.max(a - 1, 0));
      e.preventDefault();
      e.stopPropagation();
    } else if (e.key === 'PageDown') {
      setActive((a) => Math.min(a + 10, options.length - 1));
      e.preventDefault();
      e.stopPropagation();
    } else if (e.key === 'PageUp') {
      setActive((a) => Math.max(a - 10, 0));
      e.preventDefault();
      e.stopPropagation();
    }
  };

  return (
    <div className="picker" data-testid={`picker-${pickerKind}`}>
      <input
        ref={input}
        className="picker-input"
        value={query}
        placeholder={current ? `${PLACEHOLDER[pickerKind]}（当前：${current}）` : PLACEHOLDER[pickerKind]}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onKeyDown}
        aria-label={PLACEHOLDER[pickerKind]}
      />
      <PickerOptions
        kind={pickerKind}
        options={options}
        active={active}
        query={query}
        loading={loading}
        listRef={list}
        onHover={(i) => {
          setActive(i);
          setMoved(true);
        }}
        onPick={(o) => {
          if (o.code === CREATE_OPTION) return create(query.trim());
          onValueChange(o.code);
          stopEditing();
        }}
      />
    </div>
  );
}

/** Keeps the grid from moving the focused cell while arrows move the picker's highlight. */
export function pickerSuppressKeys(params: { editing: boolean; event: KeyboardEvent }): boolean {
  if (!params.editing) return false;
  return ['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End'].includes(params.event.key);
}
