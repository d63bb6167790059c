// 审核: every finding of the audit rules, errors first, each pointing at the line or field it concerns.
import { useEffect, useMemo, useState } from 'react';
import type { AuditReport, Finding, LineField } from '../api/contract.js';
import { LINE_FIELDS } from '../api/contract.js';
import { call, errorMessage } from './api.js';
import type { ShowToast } from './toast.js';
import type { ProjectTarget } from './wizard/PerformancePane.js';

interface Props {
  revision: number;
  onPickLine(id: number, field?: LineField): void;
  /** Shows a table of 预算公开表 ("T03", "T11:P05"). */
  onPickTable(id: string): void;
  /** Opens a project's 绩效 wizard at the field a finding concerns. */
  onPickProject(target: ProjectTarget): void;
  toast: ShowToast;
}

const GROUPS: { severity: Finding['severity']; label: string }[] = [
  { severity: 'error', label: '错误' },
  { severity: 'warning', label: '提示' },
];

function placeText(f: Finding): string {
  const p = f.place;
  const parts: string[] = [];
  if (p.table) parts.push(p.table);
  if (p.project) parts.push(`项目 ${p.project}`);
  if (p.line !== undefined) parts.push('预算明细中的一行（点击定位）');
  if (p.indicator !== undefined) parts.push(`第 ${p.indicator + 1} 个指标`);
  return parts.join(' · ');
}

export function AuditPanel({ revision, onPickLine, onPickTable, onPickProject, toast }: Props) {
  const [report, setReport] = useState<AuditReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [collapsed, setCollapsed] = useState<Record<string, boolean>>({});

  useEffect(() => {
    let live = true;
    call('audit.run', {})
      .then((r) => live && (setReport(r), setError(null)))
      .catch((err: unknown) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [revision]);

  const grouped = useMemo(() => {
    const out = new Map<Finding['severity'], Finding[]>();
    for (const f of report?.findings ?? []) out.set(f.severity, [...(out.get(f.severity) ?? []), f]);
    return out;
  }, [report]);

  if (error) return <div className="empty-state error">{error}</div>;
  if (!report) return <div className="empty-state">正在审核…</div>;

  const pick = (f: Finding) => {
    if (f.place.line !== undefined) {
      const field = (LINE_FIELDS as readonly string[]).includes(f.place.field ?? '') ? (f.place.field as LineField) : undefined;
      onPickLine(f.place.line, field);
    } else if (f.place.project) {
      // A project's finding (its T11 绩效目标表): the wizard opens at the step and field concerned.
      onPickProject({ project: f.place.project, rule: f.rule, field: f.place.field ?? null, indicator: f.place.indicator ?? null });
    } else if (f.place.table) onPickTable(f.place.table);
  };

  return (
    <div className="audit-panel" data-testid="audit-panel">
      <div className="audit-summary">
        <span className={report.summary.errors ? 'pill error' : 'pill ok'}>{report.summary.errors} 项错误</span>
        <span className={report.summary.warnings ? 'pill warning' : 'pill ok'}>{report.summary.warnings} 项提示</span>
        <span className="muted">错误须改正后才能上报；提示请核实，必要时填写说明。点击一条可定位到相关预算行。</span>
      </div>
      {report.findings.length === 0 ? <div className="empty-state">审核通过：没有发现问题。</div> : null}
      {GROUPS.map(({ severity, label }) => {
        const list = grouped.get(severity) ?? [];
        if (!list.length) return null;
        const isCollapsed = collapsed[severity] ?? false;
        return (
          <section key={severity} className={`audit-group ${severity}`}>
            <button type="button" className="audit-group-head" onClick={() => setCollapsed((c) => ({ ...c, [severity]: !isCollapsed }))}>
              <span className="chev">{isCollapsed ? '▸' : '▾'}</span>
              {label}（{list.length}）
            </button>
            {isCollapsed ? null : (
              <ol className="findings">
                {list.map((f, i) => (
                  <li key={i}>
                    <button type="button" className="finding" data-rule={f.rule} onClick={() => pick(f)}>
                      <span className={`sev ${severity}`}>{label}</span>
                      <span className="msg">{f.message}</span>
                      <span className="where">{placeText(f)}</span>
                      {f.ruleDescription ? <span className="rule">规则：{f.ruleDescription}</span> : null}
                    </button>
                  </li>
                ))}
              </ol>
            )}
          </section>
        );
      })}
    </div>
  );
}
