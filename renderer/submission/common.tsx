// Pieces shared by the 上报 screens: a modal like the app's other dialogs, an error box with its details, and
// going to the place a 审核 finding concerns.
import { useEffect, type ReactNode } from 'react';
import { LINE_FIELDS, type Finding, type LineField } from '../../api/contract.js';
import { ApiCallError, errorMessage } from '../api.js';
import type { ShowToast } from '../toast.js';

export function Modal({
  title,
  onClose,
  children,
  footer,
  wide,
  testId,
  closable = true,
}: {
  title: string;
  onClose(): void;
  children: ReactNode;
  footer: ReactNode;
  wide?: boolean;
  testId?: string;
  /** False while work is under way: Escape and × do nothing. */
  closable?: boolean;
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && closable && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose, closable]);
  return (
    <div className="modal-backdrop" role="presentation">
      <div className={wide ? 'modal sub-modal wide' : 'modal sub-modal'} role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <header className="modal-head">
          <h3>{title}</h3>
          <button type="button" className="link close" aria-label="关闭" disabled={!closable} onClick={onClose}>×</button>
        </header>
        <div className="modal-body">{children}</div>
        <footer className="modal-foot">{footer}</footer>
      </div>
    </div>
  );
}

/** A refusal as the user reads it: the sentence, then each item (findings, package problems). */
export interface Problem {
  message: string;
  details: string[];
}

export function problemOf(err: unknown): Problem {
  if (err instanceof ApiCallError) return { message: err.message, details: (err.issues ?? []).map((i) => i.message) };
  return { message: errorMessage(err), details: [] };
}

export function ProblemBox({ problem, testId, extra }: { problem: Problem; testId?: string; extra?: ReactNode }) {
  return (
    <div className="sub-problem" role="alert" data-testid={testId}>
      <div className="sub-problem-msg">{problem.message}</div>
      {problem.details.length ? (
        <ul>
          {problem.details.slice(0, 50).map((d, i) => (
            <li key={i}>{d}</li>
          ))}
          {problem.details.length > 50 ? <li>……另有 {problem.details.length - 50} 项</li> : null}
        </ul>
      ) : null}
      {extra}
    </div>
  );
}

export interface Navigation {
  goToLine(id: number, field?: LineField): void;
  goToTable(id: string): void;
  toast: ShowToast;
}

/** Where a finding points, as the 审核 panel leads there. */
export function goToFinding(f: Finding, nav: Navigation): void {
  if (f.place.line !== undefined) {
    const field = (LINE_FIELDS as readonly string[]).includes(f.place.field ?? '') ? (f.place.field as LineField) : undefined;
    nav.goToLine(f.place.line, field);
  } else if (f.place.project) {
    nav.goToTable(`T11:${f.place.project}`);
    nav.toast(`项目 ${f.place.project}：请在“绩效目标”中修改（${f.ruleDescription || f.rule}）`, 'info', 8000);
  } else if (f.place.table) nav.goToTable(f.place.table);
}

export function placeText(f: Finding): string {
  const p = f.place;
  const parts: string[] = [];
  if (p.table) parts.push(p.table);
  if (p.project) parts.push(`项目 ${p.project}`);
  if (p.line !== undefined) parts.push('预算明细中的一行（点击定位）');
  if (p.indicator !== undefined) parts.push(`第 ${p.indicator + 1} 个指标`);
  return parts.join(' · ');
}

export const CHANGE_LABELS = { added: '新增', removed: '删除', changed: '修改' } as const;
