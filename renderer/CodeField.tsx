// A form field with the grid's searchable code picker (renderer/editors.tsx): typing searches codes and names
// and the parents' names (“农业农村 行政运行”), the list shows each entry under its parents (类 › 款 › 项),
// arrows move, Enter or Tab takes the highlighted entry, Escape goes back. The field holds a code of the list or
// nothing, never the raw text typed: leaving it takes the highlighted entry, and text that names nothing is
// dropped with a note. Shown as “code name” when not being typed in.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type CSSProperties } from 'react';
import type { CodeOption } from '../api/contract.js';
import { call } from './api.js';
import { CREATE_OPTION, NOTHING, PLACEHOLDER, PickerOptions, usePickerSearch, type PickerKind } from './editors.js';

/** Names of codes already seen, so a field shows “code name” at once. */
const KNOWN = new Map<string, string>();
const knownKey = (kind: PickerKind, code: string) => `${kind}|${code}`;

async function lookUp(kind: PickerKind, code: string): Promise<CodeOption | undefined> {
  const found = await call('codes.search', { kind, query: code, limit: 5 });
  return found.find((o) => o.code === code);
}

export function CodeField({
  kind,
  value,
  onChange,
  id,
  placeholder,
  testId,
}: {
  kind: Exclude<PickerKind, 'fund'>;
  /** The chosen code ('' = none). */
  value: string;
  onChange(code: string): void;
  id?: string;
  placeholder?: string;
  testId?: string;
}) {
  /** What is being typed; null when the field shows its value. */
  const [query, setQuery] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(() => KNOWN.get(knownKey(kind, value)) ?? '');
  const [note, setNote] = useState<string | null>(null);
  const [place, setPlace] = useState<CSSProperties>({});
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const focusedByPointer = useRef(false);
  const { options, active, setActive, optionsFor, loading } = usePickerSearch(kind, query ?? '', { initialValue: value, enabled: open });

  // The name of the value (read once per code).
  useEffect(() => {
    if (value === '') return setName('');
    const known = KNOWN.get(knownKey(kind, value));
    if (known !== undefined) return setName(known);
    let live = true;
    setName('');
    lookUp(kind, value)
      .then((o) => {
        if (!o) return;
        KNOWN.set(knownKey(kind, value), o.name);
        if (live) setName(o.name);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [kind, value]);

  // The list floats under the field (fixed, so a dialog's scrolling body does not cut it off).
  useLayoutEffect(() => {
    if (!open) return;
    const place = () => {
      const r = input.current?.getBoundingClientRect();
      if (!r) return;
      const below = window.innerHeight - r.bottom;
      const height = Math.min(280, Math.max(below, r.top) - 12);
      setPlace({
        position: 'fixed',
        left: r.left,
        width: Math.max(r.width, Math.min(620, window.innerWidth - r.left - 12)),
        maxHeight: height,
        ...(below >= Math.min(280, r.top) ? { top: r.bottom + 2 } : { bottom: window.innerHeight - r.top + 2 }),
      });
    };
    place();
    window.addEventListener('resize', place);
    window.addEventListener('scroll', place, true);
    return () => {
      window.removeEventListener('resize', place);
      window.removeEventListener('scroll', place, true);
    };
  }, [open]);

  useEffect(() => {
    list.current?.querySelector('[data-active="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [active, options]);

  const take = useCallback(
    (o: CodeOption) => {
      if (o.code === CREATE_OPTION) return;
      KNOWN.set(knownKey(kind, o.code), o.name);
      setName(o.name);
      setQuery(null);
      setOpen(false);
      setNote(null);
      if (o.code !== value) onChange(o.code);
    },
    [kind, value, onChange],
  );

  const back = () => {
    setQuery(null);
    setOpen(false);
  };

  /** Leaving the field (Tab, a click elsewhere): the highlighted entry for what is typed, or nothing typed: none. */
  const settle = () => {
    if (query === null) return setOpen(false);
    const q = query.trim();
    if (q === '') {
      back();
      setNote(null);
      if (value !== '') onChange('');
      return;
    }
    const chosen = optionsFor === q ? options[active] : undefined;
    if (chosen) return take(chosen);
    if (optionsFor === q) {
      back();
      setNote(`没有匹配“${q}”的${NOTHING[kind]}，未修改`);
      return;
    }
    // The list has not caught up with the typing yet: its best match, as the list would have shown it.
    back();
    call('codes.search', { kind, query: q, limit: 1 })
      .then((found) => {
        if (found[0]) take(found[0]);
        else setNote(`没有匹配“${q}”的${NOTHING[kind]}，未修改`);
      })
      .catch(() => setNote(`没有匹配“${q}”的${NOTHING[kind]}，未修改`));
  };

  const shown = value === '' ? '' : name ? `${value} ${name}` : value;
  const listId = id ? `${id}-list` : undefined;

  return (
    <div className="code-field" data-testid={testId}>
      <input
        ref={input}
        id={id}
        type="text"
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        autoComplete="off"
        value={query ?? shown}
        placeholder={placeholder ?? PLACEHOLDER[kind]}
        onFocus={(e) => {
          e.currentTarget.select();
          focusedByPointer.current = true;
        }}
        onMouseUp={(e) => {
          // The click that focused the field keeps its text selected, so typing replaces it.
          if (focusedByPointer.current) e.preventDefault();
          focusedByPointer.current = false;
        }}
        onChange={(e) => {
          // Typing into the shown “code name” starts a new search (as in the grid's cell): the shown text is
          // not part of it, wherever the caret was.
          let typed = e.target.value;
          if (query === null && shown !== '' && typed.length > shown.length) {
            if (typed.startsWith(shown)) typed = typed.slice(shown.length);
            else if (typed.endsWith(shown)) typed = typed.slice(0, typed.length - shown.length);
          }
          setQuery(typed);
          setOpen(true);
          setNote(null);
        }}
        onBlur={settle}
        onKeyDown={(e) => {
          focusedByPointer.current = false;
          // A printable key typed over the shown value replaces it.
          if (query === null && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) e.currentTarget.select();
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp' || e.key === 'PageDown' || e.key === 'PageUp') {
            e.preventDefault();
            if (!open) {
              setQuery((q) => q ?? '');
              setOpen(true);
              return;
            }
            const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : e.key === 'PageDown' ? 10 : -10;
            setActive((a) => Math.max(0, Math.min(a + step, options.length - 1)));
          } else if (e.key === 'Enter') {
            if (!open) return;
            // Enter takes the highlighted entry (and never submits the form around the field).
            e.preventDefault();
            settle();
          } else if (e.key === 'Escape') {
            if (!open && query === null) return;
            e.preventDefault();
            e.stopPropagation();
            e.nativeEvent.stopImmediatePropagation();
            back();
          }
        }}
      />
      {open ? (
        <div className="code-field-list" style={place}>
          <PickerOptions
            kind={kind}
            options={options}
            active={active}
            query={query ?? ''}
            loading={loading}
            listRef={list}
            id={listId}
            onHover={setActive}
            onPick={take}
          />
        </div>
      ) : null}
      {note ? (
        <div className="code-field-note" role="status">
          {note}
        </div>
      ) : null}
    </div>
  );
}
