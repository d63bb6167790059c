// Cell editors of the line grid. The code picker searches 科目, units, projects and funding sources by code
// or by name as the user types, like the pickers of finance software: arrows move, Enter takes the
// highlighted entry, Escape cancels.
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { CustomCellEditorProps } from 'ag-grid-react';
import type { CodeOption } from '../api/contract.js';
import { call } from './api.js';

export type PickerKind = 'functional' | 'economic' | 'unit' | 'project' | 'fund';

export interface PickerParams {
  pickerKind: PickerKind;
  /** Offer an empty choice (project: “无项目”). */
  allowEmpty?: string;
}

/** What an empty search says it did not find. */
const NOTHING: Record<PickerKind, string> = {
  functional: '科目',
  economic: '科目',
  unit: '单位',
  project: '项目',
  fund: '资金来源',
};

const PLACEHOLDER: Record<PickerKind, string> = {
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

export function CodePickerEditor(props: CustomCellEditorProps & PickerParams) {
  const { pickerKind, allowEmpty, onValueChange, stopEditing, eventKey, initialValue, formatValue } = props;
  // Funding sources are known by their names only; their codes are internal.
  const showCodes = pickerKind !== 'fund';
  const current = initialValue ? formatValue(initialValue) || '无' : '';
  const typed = typedStart(eventKey);
  // The key that opened the picker; what was typed before its text box existed comes from the grid's
  // keyboard buffer (renderer/keyboard-buffer.ts) when the box takes the focus.
  const [query, setQuery] = useState(typed ?? '');
  const [options, setOptions] = useState<CodeOption[]>([]);
  const [active, setActive] = useState(0);
  const [moved, setMoved] = useState(false);
  const [optionsFor, setOptionsFor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const seq = useRef(0);

  useLayoutEffect(() => {
    const el = input.current;
    if (!el) return;
    el.focus();
    if (el.value === '') return;
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);

  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    const timer = window.setTimeout(() => {
      call('codes.search', { kind: pickerKind, query: query.trim(), limit: 80 })
        .then((found) => {
          if (mine !== seq.current) return;
          const all = allowEmpty !== undefined && query.trim() === '' ? [{ code: '', name: allowEmpty }, ...found] : found;
          setOptions(all);
          setOptionsFor(query.trim());
          // Start on the current value when nothing was typed, else on the best match.
          const current = query.trim() === '' ? all.findIndex((o) => o.code === initialValue) : -1;
          setActive(current >= 0 ? current : 0);
        })
        .catch(() => {
          if (mine === seq.current) {
            setOptions([]);
            setOptionsFor(query.trim());
          }
        })
        .finally(() => {
          if (mine === seq.current) setLoading(false);
        });
    }, 60);
    return () => window.clearTimeout(timer);
  }, [query, pickerKind, allowEmpty, initialValue]);

  // The value the grid takes when editing stops: the highlighted entry of the list for what is typed now,
  // or the text as typed while the list is still catching up (the service reads a code or an exact name,
  // and refuses with its reason when the text names nothing).
  useEffect(() => {
    const q = query.trim();
    if (q === '' && !moved) onValueChange(initialValue);
    else if (optionsFor === q && options[active]) onValueChange(options[active]!.code);
    else onValueChange(q);
  }, [options, optionsFor, active, moved, query, initialValue, onValueChange]);

  useEffect(() => {
    list.current?.querySelector('[data-active="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [active, options]);

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
      <ul className="picker-list" ref={list} role="listbox">
        {options.map((o, i) => (
          <li
            key={`${o.code}|${i}`}
            role="option"
            aria-selected={i === active}
            data-active={i === active}
            data-code={o.code}
            className={i === active ? 'active' : undefined}
            onMouseEnter={() => {
              setActive(i);
              setMoved(true);
            }}
            onMouseDown={(e) => {
              e.preventDefault();
              onValueChange(o.code);
              stopEditing();
            }}
          >
            {o.code && showCodes ? <span className="code">{o.code}</span> : null}
            <span className="name">
              {o.path ? <span className="path">{o.path} › </span> : null}
              {o.name}
            </span>
            {o.budget ? <span className="budget">{o.budget}</span> : null}
            {o.level ? <span className="level">{o.level}</span> : null}
          </li>
        ))}
        {!loading && options.length === 0 ? <li className="none">没有匹配“{query}”的{NOTHING[pickerKind]}</li> : null}
      </ul>
    </div>
  );
}

/** Keeps the grid from moving the focused cell while arrows move the picker's highlight. */
export function pickerSuppressKeys(params: { editing: boolean; event: KeyboardEvent }): boolean {
  if (!params.editing) return false;
  return ['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End'].includes(params.event.key);
}
