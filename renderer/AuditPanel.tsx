// 审核: the findings grouped by rule, errors first, each group with its count; a group opens to list its
// places, each pointing at the line or field it concerns. Filters: severity, and unit (the findings of one
// unit, or those of the department as a whole).
//
// The counts are the ones the host keeps edit by edit (audit.groups: no full audit); a group's places come a
// window at a time (audit.places), and the list shows only the rows in view, so a budget with 10,000 提示
// opens as fast as one with ten.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Finding, LineField } from '../api/contract.js';
import { LINE_FIELDS } from '../api/contract.js';
import type { AuditGroup, AuditGroups } from '../api/browse.js';
import { call, errorMessage } from './api.js';
import type { ShowToast } from './toast.js';
import { BlockCache, useRowWindow } from './virtual.js';
import type { ProjectTarget } from './wizard/PerformancePane.js';

interface Props {
  revision: number;
  onPickLine(id: number, field?: LineField): void;
  /** Shows a table of 预算公开表 ("T03", "T11:P05"). */
  onPickTable(id: string): void;
  /** Shows 控制数与参数 (a 控制数 exceeded, a reason for a large change to write). */
  onPickParams?(): void;
  /** Opens a project's 绩效 wizard at the field a finding concerns. */
  onPickProject(target: ProjectTarget): void;
  toast: ShowToast;
}

const SEVERITY_LABEL: Record<Finding['severity'], string> = { error: '错误', warning: '提示' };
/** Groups open by themselves while the list holds no more findings than this. */
const OPEN_ALL_UP_TO = 200;
const BLOCK = 200;
/** Every unit (no unit filter). */
const ALL_UNITS = '\u0000all';

function placeText(f: Finding): string {
  const p = f.place;
  const parts: string[] = [];
  if (p.table) parts.push(p.table);
  if (p.project) parts.push(`项目 ${p.project}`);
  if (p.line !== undefined) parts.push('预算明细中的一行（点击定位）');
  if (p.indicator !== undefined) parts.push(`第 ${p.indicator + 1} 个指标`);
  return parts.join(' · ');
}

const groupId = (g: Pick<AuditGroup, 'severity' | 'rule'>) => `${g.severity}|${g.rule}`;

type Item = { kind: 'head'; group: AuditGroup } | { kind: 'finding'; group: AuditGroup; index: number };

export function AuditPanel({ revision, onPickLine, onPickTable, onPickParams, onPickProject, toast }: Props) {
  const [data, setData] = useState<AuditGroups | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [unit, setUnit] = useState(ALL_UNITS);
  const [severity, setSeverity] = useState<'all' | Finding['severity']>('all');
  const [opened, setOpened] = useState<Record<string, boolean>>({});
  const [, setTick] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => {
    let live = true;
    call('audit.groups', unit === ALL_UNITS ? {} : { unit })
      .then((r) => live && (setData(r), setError(null)))
      .catch((err: unknown) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [revision, unit]);

  // The places of each group, fetched a window at a time; new caches whenever the findings may have changed.
  const caches = useMemo(() => new Map<string, BlockCache<Finding>>(), [revision, unit]);
  useEffect(() => () => caches.forEach((c) => c.dispose()), [caches]);
  const cacheOf = (g: AuditGroup): BlockCache<Finding> => {
    let c = caches.get(groupId(g));
    if (!c) {
      c = new BlockCache<Finding>(
        (offset, limit) =>
          call('audit.places', { rule: g.rule, severity: g.severity, ...(unit === ALL_UNITS ? {} : { unit }), offset, limit }).then((r) => r.findings),
        BLOCK,
        () => setTick((t) => t + 1),
      );
      caches.set(groupId(g), c);
    }
    return c;
  };

  const groups = useMemo(() => (data?.groups ?? []).filter((g) => severity === 'all' || g.severity === severity), [data, severity]);
  const shownTotal = groups.reduce((a, g) => a + g.count, 0);
  const openAll = shownTotal <= OPEN_ALL_UP_TO;
  const isOpen = (g: AuditGroup) => opened[groupId(g)] ?? openAll;
  const items = useMemo(() => {
    const out: Item[] = [];
    for (const g of groups) {
      out.push({ kind: 'head', group: g });
      if (opened[groupId(g)] ?? openAll) for (let i = 0; i < g.count; i++) out.push({ kind: 'finding', group: g, index: i });
    }
    return out;
  }, [groups, opened, openAll]);

  const win = useRowWindow({ scroller, body: list, count: items.length, estimate: 56 });
  const visible = items.slice(win.start, win.end);
  useEffect(() => {
    // Ask for the places of the open groups in view.
    const ranges = new Map<AuditGroup, [number, number]>();
    for (const it of visible) {
      if (it.kind !== 'finding') continue;
      const r = ranges.get(it.group);
      ranges.set(it.group, r ? [Math.min(r[0], it.index), Math.max(r[1], it.index + 1)] : [it.index, it.index + 1]);
    }
    for (const [g, [from, to]] of ranges) cacheOf(g).want(from, to);
  });

  if (error) return <div className="empty-state error">{error}</div>;
  if (!data) return <div className="empty-state">正在审核…</div>;

  const pick = (f: Finding) => {
    if ((f.place.field === 'ceiling' || f.place.field === 'changeReason') && f.place.line === undefined && onPickParams) onPickParams();
    else if (f.place.line !== undefined) {
      const field = (LINE_FIELDS as readonly string[]).includes(f.place.field ?? '') ? (f.place.field as LineField) : undefined;
      onPickLine(f.place.line, field);
    } else if (f.place.project) {
      // A project's finding (its T11 绩效目标表): the wizard opens at the step and field concerned.
      onPickProject({ project: f.place.project, rule: f.rule, field: f.place.field ?? null, indicator: f.place.indicator ?? null });
    } else if (f.place.table) onPickTable(f.place.table);
  };
  const counts = { error: 0, warning: 0 };
  for (const g of data.groups) counts[g.severity] += g.count;
  const unitTotal = data.units.reduce((a, u) => a + u.count, 0);

  return (
    <div className="audit-panel" data-testid="audit-panel" ref={scroller}>
      <div className="audit-summary">
        <span className={data.summary.errors ? 'pill error' : 'pill ok'}>{data.summary.errors} 项错误</span>
        <span className={data.summary.warnings ? 'pill warning' : 'pill ok'}>{data.summary.warnings} 项提示</span>
        <span className="muted">错误须改正后才能上报；提示请核实，必要时填写说明。点击一条可定位到相关预算行。</span>
      </div>
      {data.summary.errors + data.summary.warnings > 0 ? (
        <div className="audit-filters">
          <span className="seg" role="group" aria-label="按类别筛选">
            {(['all', 'error', 'warning'] as const).map((s) => (
              <button key={s} type="button" className={severity === s ? 'on' : ''} aria-pressed={severity === s} data-severity={s} onClick={() => setSeverity(s)}>
                {s === 'all' ? `全部（${counts.error + counts.warning}）` : `${SEVERITY_LABEL[s]}（${counts[s]}）`}
              </button>
            ))}
          </span>
          <label>
            单位
            <select value={unit} onChange={(e) => setUnit(e.target.value)} data-testid="audit-unit">
              <option value={ALL_UNITS}>全部单位（{unitTotal}）</option>
              {data.units.map((u) => (
                <option key={u.code} value={u.code}>
                  {u.code ? `${u.code} ${u.name}` : u.name}（{u.count}）
                </option>
              ))}
              {unit !== ALL_UNITS && !data.units.some((u) => u.code === unit) ? <option value={unit}>{unit}（0）</option> : null}
            </select>
          </label>
          <span className="muted">
            共 {groups.length} 条规则、{shownTotal} 项
          </span>
        </div>
      ) : null}
      {data.summary.errors + data.summary.warnings === 0 ? <div className="empty-state">审核通过：没有发现问题。</div> : null}
      {data.summary.errors + data.summary.warnings > 0 && groups.length === 0 ? <div className="empty-state">所选范围内没有发现问题。</div> : null}
      <ol className="audit-list" ref={list}>
        {win.padTop > 0 ? <li className="pad" aria-hidden style={{ height: `${win.padTop}px` }} /> : null}
        {visible.map((it, k) => {
          const i = win.start + k;
          const g = it.group;
          if (it.kind === 'head') {
            const open = isOpen(g);
            return (
              <li key={`h:${groupId(g)}`} data-vrow={i} className={`audit-group-row ${g.severity}`}>
                <button
                  type="button"
                  className="audit-group-head"
                  aria-expanded={open}
                  data-rule={g.rule}
                  onClick={() => setOpened((o) => ({ ...o, [groupId(g)]: !open }))}
                >
                  <span className="chev">{open ? '▾' : '▸'}</span>
                  <span className={`sev ${g.severity}`}>{SEVERITY_LABEL[g.severity]}</span>
                  <span className="desc" title={g.description}>{g.description || g.rule}</span>
                  <span className="count">{g.count} 项</span>
                </button>
              </li>
            );
          }
          const f = cacheOf(g).get(it.index);
          return (
            <li key={`f:${groupId(g)}:${it.index}`} data-vrow={i} className="audit-finding-row">
              {f ? (
                <button type="button" className="finding" data-rule={f.rule} onClick={() => pick(f)} title={f.message}>
                  <span className="msg">{f.message}</span>
                  <span className="where">{placeText(f)}</span>
                </button>
              ) : (
                <span className="finding loading">正在读取…</span>
              )}
            </li>
          );
        })}
        {win.padBottom > 0 ? <li className="pad" aria-hidden style={{ height: `${win.padBottom}px` }} /> : null}
      </ol>
    </div>
  );
}
