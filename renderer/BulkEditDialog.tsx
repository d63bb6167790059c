// 批量修改: one field set to one value on every selected line, stored as one undoable step (lines.updateMany).
// 科目, units, projects and funding sources are chosen from the same search as the grid's pickers.
import { useEffect, useRef, useState } from 'react';
import { LINE_FIELD_LABELS, type AmountUnitCode, type ChangeSet, type CodeOption, type LineField } from '../api/contract.js';
import { call, errorMessage } from './api.js';
import { Modal } from './dialogs.js';

const FIELDS: LineField[] = ['unit', 'functional', 'economic', 'kind', 'project', 'fund', 'amount', 'remark'];
const SEARCHED: Partial<Record<LineField, 'unit' | 'functional' | 'economic' | 'project' | 'fund'>> = {
  unit: 'unit',
  functional: 'functional',
  economic: 'economic',
  project: 'project',
  fund: 'fund',
};

export function BulkEditDialog({
  ids,
  displayUnit,
  initialField,
  onClose,
  onDone,
}: {
  ids: number[];
  displayUnit: AmountUnitCode;
  initialField: LineField;
  onClose(): void;
  onDone(cs: ChangeSet, field: LineField): void;
}) {
  const [field, setField] = useState<LineField>(initialField);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<CodeOption | null>(null);
  const [options, setOptions] = useState<CodeOption[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement | null>(null);
  const searched = SEARCHED[field];

  useEffect(() => {
    setQuery('');
    setChosen(null);
    setError(null);
    input.current?.focus();
  }, [field]);

  useEffect(() => {
    if (!searched) return;
    let live = true;
    call('codes.search', { kind: searched, query: query.trim(), limit: 30 })
      .then((found) => {
        if (live) setOptions(searched === 'project' && query.trim() === '' ? [{ code: '', name: '（无项目，基本支出）' }, ...found] : found);
      })
      .catch(() => live && setOptions([]));
    return () => {
      live = false;
    };
  }, [searched, query]);

  const value = (): string | null => {
    if (field === 'kind') return query || '基本支出';
    if (searched) return chosen ? chosen.code : null;
    return query;
  };

  const apply = async () => {
    const v = value();
    if (v === null) return setError(`请从列表中选择${LINE_FIELD_LABELS[field]}`);
    setBusy(true);
    setError(null);
    try {
      const cs = await call('lines.updateMany', { ids, field, value: v, unit: displayUnit });
      onDone(cs, field);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={`批量修改（已选 ${ids.length} 行）`}
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>取消</button>
          <button type="button" className="primary" data-action="bulk-apply" disabled={busy} onClick={() => void apply()}>
            修改 {ids.length} 行
          </button>
        </>
      }
    >
      <p className="muted">所选各行的同一栏改为同一个值，作为一步操作保存，可一次撤销。</p>
      <div className="form-grid">
        <label>
          修改的栏目
          <select aria-label="修改的栏目" data-testid="bulk-field" value={field} onChange={(e) => setField(e.target.value as LineField)}>
            {FIELDS.map((f) => (
              <option key={f} value={f}>{LINE_FIELD_LABELS[f]}</option>
            ))}
          </select>
        </label>
        {field === 'kind' ? (
          <label>
            改为
            <select aria-label="改为" data-testid="bulk-value" value={query || '基本支出'} onChange={(e) => setQuery(e.target.value)}>
              <option>基本支出</option>
              <option>项目支出</option>
            </select>
          </label>
        ) : (
          <label>
            改为{field === 'amount' ? `（${displayUnit}）` : ''}
            <input
              ref={input}
              aria-label="改为"
              data-testid="bulk-value"
              value={query}
              placeholder={searched ? '输入编码或名称查找' : ''}
              onChange={(e) => {
                setQuery(e.target.value);
                setChosen(null);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && searched && options[0] && !chosen) {
                  setChosen(options[0]);
                  setQuery(options[0].code && field !== 'fund' ? `${options[0].code} ${options[0].name}` : options[0].name);
                  e.preventDefault();
                }
              }}
            />
          </label>
        )}
      </div>
      {searched && !chosen ? (
        <ul className="picker-list bulk-options" role="listbox" data-testid="bulk-options">
          {options.map((o) => (
            <li
              key={`${o.code}|${o.name}`}
              role="option"
              aria-selected={false}
              data-code={o.code}
              onMouseDown={(e) => {
                e.preventDefault();
                setChosen(o);
                setQuery(o.code && field !== 'fund' ? `${o.code} ${o.name}` : o.name);
              }}
            >
              {o.code && field !== 'fund' ? <span className="code">{o.code}</span> : null}
              <span className="name">
                {o.path ? <span className="path">{o.path} › </span> : null}
                {o.name}
              </span>
              {o.budget ? <span className="budget">{o.budget}</span> : null}
            </li>
          ))}
          {options.length === 0 ? <li className="none">没有匹配“{query}”的{LINE_FIELD_LABELS[field]}</li> : null}
        </ul>
      ) : null}
      {chosen ? <p data-testid="bulk-chosen">改为：{chosen.code && field !== 'fund' ? `${chosen.code} ` : ''}{chosen.name}</p> : null}
      {error ? (
        <div className="form-error" role="alert" data-testid="bulk-error">
          {error}
        </div>
      ) : null}
    </Modal>
  );
}
