// Pieces the 绩效目标 screens share: field frames with their messages, step badges, the 指标模板 bar, the printed
// table.
import type { ReactNode } from 'react';
import type { TableView } from '../../api/contract.js';
import type { StepStateCode, WizardFinding, WizardStepState, WizardTemplate, WizardTemplateInfo } from '../../api/wizard.js';
import { ApiCallError } from '../api.js';

/** A message shown at a field: a refusal of the last save, or a 审核 finding. */
export interface FieldMessage {
  severity: 'error' | 'warning';
  message: string;
}

/** Issues of a refused save by their path ("start", "indicators[3].unit"). */
export type IssueMap = ReadonlyMap<string, string>;

export function issuesOf(err: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (err instanceof ApiCallError) for (const i of err.issues ?? []) if (!out.has(i.path)) out.set(i.path, i.message);
  return out;
}

/**
 * Splits the issues of a refused save: one about an indicator ("indicators[3].unit") goes to the row of that
 * draft, by the row's local id, so the editor shows it there; the others stay by path.
 */
export function splitIndicatorIssues(
  found: IssueMap,
  drafts: readonly { id: number }[],
): { byRow: Map<number, string[]>; rest: Map<string, string> } {
  const byRow = new Map<number, string[]>();
  const rest = new Map<string, string>();
  for (const [path, message] of found) {
    const m = /^indicators\[(\d+)\]/.exec(path);
    const draft = m ? drafts[Number(m[1])] : undefined;
    if (draft) byRow.set(draft.id, [...(byRow.get(draft.id) ?? []), message]);
    else rest.set(path, message);
  }
  return { byRow, rest };
}

export function Messages({ list, testId }: { list: readonly FieldMessage[]; testId?: string }) {
  if (list.length === 0) return null;
  return (
    <ul className="wz-messages" data-testid={testId}>
      {list.map((m, i) => (
        <li key={i} className={m.severity === 'error' ? 'wz-msg error' : 'wz-msg warning'} role={m.severity === 'error' ? 'alert' : undefined}>
          {m.message}
        </li>
      ))}
    </ul>
  );
}

/** The messages of one field: the refusal for its path first, then the findings of the last saved state. */
export function messagesFor(field: string, issues: IssueMap, findings: readonly WizardFinding[], indicator: number | null = null): FieldMessage[] {
  const out: FieldMessage[] = [];
  const issue = issues.get(field);
  if (issue) out.push({ severity: 'error', message: issue });
  for (const f of findings) {
    if (f.field === field && f.indicator === indicator) out.push({ severity: f.severity, message: f.message });
  }
  return out;
}

export function Field({
  field,
  label,
  required,
  messages,
  wide,
  children,
  hint,
}: {
  field: string;
  label: string;
  required?: boolean;
  messages: readonly FieldMessage[];
  wide?: boolean;
  children: ReactNode;
  hint?: ReactNode;
}) {
  const state = messages.some((m) => m.severity === 'error') ? ' has-error' : messages.length ? ' has-warning' : '';
  return (
    <div className={`wz-field${wide ? ' wide' : ''}${state}`} data-field={field}>
      <label htmlFor={`wz-f-${field}`}>
        {label}
        {required ? <span className="wz-required" aria-label="必填">*</span> : null}
      </label>
      <div className="wz-control">{children}</div>
      {hint ? <div className="wz-hint">{hint}</div> : null}
      <Messages list={messages} testId={`msg-${field}`} />
    </div>
  );
}

const STATE_MARK: Record<StepStateCode, string> = { done: '✓', partial: '◐', empty: '○', error: '!' };
const STATE_TEXT: Record<StepStateCode, string> = { done: '已完成', partial: '部分填写', empty: '未填写', error: '有错误' };

export function StepDots({ steps }: { steps: readonly WizardStepState[] }) {
  return (
    <span className="wz-dots">
      {steps.map((s, i) => (
        <span
          key={s.step}
          className={`wz-dot ${s.state}`}
          title={`${i + 1} ${s.label}：${STATE_TEXT[s.state]}${s.errors ? `，${s.errors} 项错误` : ''}${s.warnings ? `，${s.warnings} 项提示` : ''}`}
          data-step={s.step}
          data-state={s.state}
        >
          {STATE_MARK[s.state]}
        </span>
      ))}
    </span>
  );
}

export function stateMark(state: StepStateCode): string {
  return STATE_MARK[state];
}

export function stateText(state: StepStateCode): string {
  return STATE_TEXT[state];
}

/**
 * The 指标模板 bar: the automatic choice or one of the templates, and why the current one applies. `yearNote`
 * marks templates made for other years; `children` go at the bar's end.
 */
export function TemplateBar({
  template,
  templates,
  onChoose,
  yearNote,
  children,
}: {
  template: WizardTemplate | null;
  templates: readonly WizardTemplateInfo[];
  onChoose(id: string): void;
  yearNote?: boolean;
  children?: ReactNode;
}) {
  return (
    <div className="wz-indicator-bar">
      <label className="wz-inline">
        指标模板
        <select aria-label="指标模板" value={template?.chosen ? template.id : ''} onChange={(e) => onChoose(e.target.value)}>
          <option value="">自动：{template ? template.name : '无适用模板'}</option>
          {templates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
              {yearNote && !t.appliesToYear ? `（适用 ${t.years}）` : ''}
            </option>
          ))}
        </select>
      </label>
      {template ? <span className="muted">{template.reason}</span> : null}
      {children}
    </div>
  );
}

/** A table as printed (T10 / T11 form layout): text with line breaks kept, spans as published. */
export function PrintedTable({ view, testId }: { view: TableView; testId?: string }) {
  return (
    <div className="wz-paper" data-testid={testId}>
      <h2 className="table-title">{view.title}</h2>
      {view.subtitle.map((line) => (
        <div key={line} className="wz-paper-subtitle">
          {line}
        </div>
      ))}
      <table className="published form wz-printed">
        <tbody>
          {view.rows.map((row, i) => (
            <tr key={i} className={`k-${row.kind ?? 'plain'}`}>
              {row.cells.map((c, j) => (
                <td key={j} colSpan={c.colSpan} rowSpan={c.rowSpan} className={c.exact !== null ? 'num' : undefined}>
                  {c.text}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
