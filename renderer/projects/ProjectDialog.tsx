// A project's master data in a dialog (项目库's 新建 and 编辑, and 新建项目 from the grid's 项目 cell): code, name,
// unit, category, 功能分类 (the grid's 科目 picker), 资金用途, leader, contact, dates and amounts. Saving is one
// action and one undo step; a refused save keeps the dialog open with each message at its field.
import { useEffect, useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import type { ProjectChoices, ProjectSaved } from '../../api/projects.js';
import { PROJECT_FIELD_LABELS, type BasicsValues } from '../../api/wizard.js';
import { call, errorMessage } from '../api.js';
import { CodeField } from '../CodeField.js';
import { Modal } from '../dialogs.js';
import { trackSave } from '../save-state.js';
import { Field, issuesOf } from '../wizard/common.js';
import '../wizard/wizard.css';
import './projects.css';

type TextField = 'code' | 'name' | 'usage' | 'leader' | 'contact' | 'phone' | 'start' | 'end';
type AmountField = 'totalAmount' | 'yearAmount' | 'priorTotalAmount' | 'priorYearAmount';
const AMOUNT_FIELDS: readonly AmountField[] = ['totalAmount', 'yearAmount', 'priorTotalAmount', 'priorYearAmount'];

export function ProjectDialog({
  title,
  values: initial,
  choices,
  editing,
  assignLine,
  intro,
  onClose,
  onSaved,
}: {
  title: string;
  values: BasicsValues;
  choices: ProjectChoices;
  /** The code of the project being edited; null for a new one. */
  editing: string | null;
  /** The line that takes the new project in the same action (from the grid). */
  assignLine?: number;
  /** A sentence above the fields (what the dialog will do). */
  intro?: ReactNode;
  onClose(): void;
  onSaved(saved: ProjectSaved): void;
}) {
  const [values, setValues] = useState<BasicsValues>(initial);
  const [issues, setIssues] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => {
    first.current?.focus();
    first.current?.select();
  }, []);

  const set = <K extends keyof BasicsValues>(field: K, value: BasicsValues[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    setIssues((m) => {
      if (!m.has(field)) return m;
      const next = new Map(m);
      next.delete(field);
      return next;
    });
  };
  const msgs = (field: string) => {
    const m = issues.get(field);
    return m ? [{ severity: 'error' as const, message: m }] : [];
  };

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await trackSave(call('projects.save', { code: editing, values, ...(assignLine !== undefined ? { assignLine } : {}) }));
      onSaved(saved);
    } catch (err) {
      setIssues(issuesOf(err));
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const text = (field: TextField, props: { type?: string; wide?: boolean; required?: boolean; list?: string; inputRef?: RefObject<HTMLInputElement | null> } = {}) => (
    <Field field={field} label={field === 'code' ? '项目编码' : field === 'name' ? '项目名称' : PROJECT_FIELD_LABELS[field]} required={props.required} messages={msgs(field)} wide={props.wide}>
      <input
        ref={props.inputRef}
        id={`wz-f-${field}`}
        name={field}
        type={props.type ?? 'text'}
        list={props.list}
        value={values[field]}
        onChange={(e) => set(field, e.target.value)}
      />
    </Field>
  );

  const amount = (field: AmountField) => (
    <Field key={field} field={field} label={PROJECT_FIELD_LABELS[field]} required={field === 'yearAmount'} messages={msgs(field)}>
      <input id={`wz-f-${field}`} name={field} className="wz-amount" inputMode="decimal" value={values[field]} onChange={(e) => set(field, e.target.value)} />
      <span className="wz-suffix">{choices.amountUnit}</span>
    </Field>
  );

  const submitLabel = editing !== null ? '保存' : assignLine !== undefined ? '新建并用于此行' : '新建项目';

  return (
    <Modal
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>取消</button>
          <button type="submit" form="project-form" className="primary" disabled={busy} data-action="save-project">
            {busy ? '正在保存…' : submitLabel}
          </button>
        </>
      }
    >
      <form id="project-form" className="pj-form" data-testid="project-dialog" onSubmit={(e) => void submit(e)} noValidate>
        {intro ? <p className="pj-intro">{intro}</p> : null}
        {error ? (
          <div className="form-error" role="alert">
            {error}
          </div>
        ) : null}
        <div className="wz-grid">
          {text('code', { required: true })}
          <Field field="unit" label="单位" required messages={msgs('unit')}>
            <select id="wz-f-unit" name="unit" value={values.unit} onChange={(e) => set('unit', e.target.value)}>
              {values.unit === '' ? <option value="">（请选择）</option> : null}
              {choices.units.map((u) => (
                <option key={u.code} value={u.code}>
                  {u.code} {u.name}
                </option>
              ))}
            </select>
          </Field>
          {text('name', { wide: true, required: true, inputRef: first })}
          <Field field="category" label="项目类别" required messages={msgs('category')}>
            <select id="wz-f-category" name="category" value={values.category} onChange={(e) => set('category', e.target.value as BasicsValues['category'])}>
              {choices.categories.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.label}
                </option>
              ))}
            </select>
          </Field>
          <Field field="functional" label={PROJECT_FIELD_LABELS.functional} messages={msgs('functional')}>
            <CodeField kind="functional" id="wz-f-functional" value={values.functional} onChange={(code) => set('functional', code)} />
          </Field>
          {text('usage', { list: 'pj-usage-options' })}
          {text('leader')}
          {text('contact')}
          {text('phone')}
          {text('start', { type: 'date' })}
          {text('end', { type: 'date' })}
        </div>
        <h3 className="wz-section">项目金额（{choices.amountUnit}）</h3>
        <div className="wz-grid">{AMOUNT_FIELDS.map(amount)}</div>
        <datalist id="pj-usage-options">
          {choices.usages.map((u) => (
            <option key={u} value={u} />
          ))}
        </datalist>
      </form>
    </Modal>
  );
}
