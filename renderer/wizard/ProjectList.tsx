// Every project of the budget with how far its 绩效目标表 is: the six steps, its 审核 findings, its state; and
// the department's overall table. Opening a project resumes the wizard where it was left. The list filters by
// unit and by state; a long list (a department's 2,000 projects) shows only the rows in view.
import { useMemo, useEffect, useRef, useState } from 'react';
import type { WizardList, WizardProjectSummary } from '../../api/wizard.js';
import { call, errorMessage } from '../api.js';
import { formatExact } from '../amounts.js';
import type { ShowToast } from '../toast.js';
import { useRowWindow } from '../virtual.js';
import { StepDots } from './common.js';

/** Lists up to this long are shown whole. */
const WHOLE = 200;
const ALL = '';

interface Props {
  onOpen(code: string | null): void;
  onDepartment(): void;
  toast: ShowToast;
  onChanged(): void;
  revision: number;
}

export function ProjectList({ onOpen, onDepartment, toast, onChanged, revision }: Props) {
  const [list, setList] = useState<WizardList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [unit, setUnit] = useState(ALL);
  const [status, setStatus] = useState(ALL);
  const scroller = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLTableSectionElement>(null);

  useEffect(() => {
    let live = true;
    call('wizard.list', {})
      .then((l) => live && setList(l))
      .catch((err: unknown) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [revision]);

  const remove = async (code: string, name: string) => {
    if (!window.confirm(`删除项目 ${code}“${name}”及其绩效目标表？此操作不能撤销。`)) return;
    try {
      setList(await call('wizard.deleteProject', { code }));
      onChanged();
      toast(`已删除项目 ${code}`, 'success');
    } catch (err) {
      toast(errorMessage(err), 'error', 10000);
    }
  };

  const filters = useMemo(() => {
    const units = new Map<string, { name: string; count: number }>();
    const statuses = new Map<string, { label: string; count: number }>();
    for (const p of list?.projects ?? []) {
      const u = units.get(p.unit);
      if (u) u.count++;
      else units.set(p.unit, { name: p.unitName, count: 1 });
      const s = statuses.get(p.status);
      if (s) s.count++;
      else statuses.set(p.status, { label: p.statusLabel, count: 1 });
    }
    return { units: [...units].sort((a, b) => (a[0] < b[0] ? -1 : 1)), statuses: [...statuses] };
  }, [list]);
  const shown = useMemo(
    () => (list?.projects ?? []).filter((p) => (unit === ALL || p.unit === unit) && (status === ALL || p.status === status)),
    [list, unit, status],
  );
  const virtual = shown.length > WHOLE;
  const stickyTop = body.current?.parentElement?.querySelector('thead')?.getBoundingClientRect().height ?? 0;
  const win = useRowWindow({ scroller, body, count: shown.length, estimate: 41, stickyTop, enabled: virtual });

  if (error) return <div className="empty-state error">{error}</div>;
  if (!list) return <div className="empty-state">正在读取项目…</div>;

  const counts = {
    complete: list.projects.filter((p) => p.status === 'complete').length,
    fix: list.projects.filter((p) => p.status === 'needs-fix').length,
  };
  const dept = list.department;

  return (
    <div className="wz-list" data-testid="project-list" ref={scroller}>
      <div className="wz-list-bar">
        <h2>{list.fiscalYear} 年绩效目标</h2>
        <span className="muted">
          共 {list.projects.length} 个项目，已完成 {counts.complete} 个{counts.fix ? `，需修改 ${counts.fix} 个` : ''}
        </span>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => onOpen(null)}>
          ＋ 新建项目
        </button>
      </div>
      <button type="button" className="wz-dept-card" onClick={onDepartment} data-testid="department-card">
        <span className="wz-dept-title">部门（单位）整体绩效目标表</span>
        <span className="muted">
          {dept.filled ? `${dept.taskCount} 项主要任务，${dept.indicatorCount} 项指标` : '尚未填写'}
        </span>
        {dept.errors ? <span className="pill error">{dept.errors} 项必须修改</span> : null}
        {dept.warnings ? <span className="pill warning">{dept.warnings} 项提示</span> : null}
        <span className="wz-open">打开 →</span>
      </button>
      {list.projects.length > 0 ? (
        <div className="wz-filters">
          <label>
            单位
            <select value={unit} onChange={(e) => setUnit(e.target.value)} data-testid="project-unit">
              <option value={ALL}>全部单位（{list.projects.length}）</option>
              {filters.units.map(([code, u]) => (
                <option key={code} value={code}>
                  {code} {u.name}（{u.count}）
                </option>
              ))}
            </select>
          </label>
          <label>
            状态
            <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="project-status">
              <option value={ALL}>全部状态</option>
              {filters.statuses.map(([code, s]) => (
                <option key={code} value={code}>
                  {s.label}（{s.count}）
                </option>
              ))}
            </select>
          </label>
          {unit !== ALL || status !== ALL ? <span className="muted" data-testid="project-shown">显示 {shown.length} 个项目</span> : null}
        </div>
      ) : null}
      {list.projects.length === 0 ? (
        <div className="empty-state">本预算还没有项目。点“新建项目”开始填写第一个项目支出绩效目标表。</div>
      ) : shown.length === 0 ? (
        <div className="empty-state">没有符合所选单位和状态的项目。</div>
      ) : (
        <table className={virtual ? 'wz-projects virtual' : 'wz-projects'}>
          {virtual ? (
            <colgroup>
              {[9, 22, 7, 10, 10, 14, 11, 7, 10].map((w, i) => (
                <col key={i} style={{ width: `${w}%` }} />
              ))}
            </colgroup>
          ) : null}
          <thead>
            <tr>
              <th>编码</th>
              <th>项目名称</th>
              <th>类别</th>
              <th className="num">本年度金额（{list.amountUnit}）</th>
              <th className="num">明细合计</th>
              <th>进度（1 基本信息 … 6 预览）</th>
              <th>审核</th>
              <th>状态</th>
              <th />
            </tr>
          </thead>
          <tbody ref={body}>
            {win.padTop > 0 ? <PadRow height={win.padTop} /> : null}
            {shown.slice(win.start, win.end).map((p, k) => (
              <ProjectRow key={p.code} p={p} index={virtual ? win.start + k : undefined} onOpen={onOpen} onRemove={(code, name) => void remove(code, name)} />
            ))}
            {win.padBottom > 0 ? <PadRow height={win.padBottom} /> : null}
          </tbody>
        </table>
      )}
    </div>
  );
}

function PadRow({ height }: { height: number }) {
  return (
    <tr className="pad" aria-hidden>
      <td colSpan={9} style={{ height: `${height}px`, padding: 0, border: 0 }} />
    </tr>
  );
}

function ProjectRow({ p, index, onOpen, onRemove }: { p: WizardProjectSummary; index: number | undefined; onOpen(code: string): void; onRemove(code: string, name: string): void }) {
  return (
              <tr data-project={p.code} data-vrow={index} className={p.status}>
                <td>{p.code}</td>
                <td className="wz-pname">
                  <button type="button" className="link" onClick={() => onOpen(p.code)}>
                    {p.name}
                  </button>
                </td>
                <td>{p.categoryLabel}</td>
                <td className="num">{formatExact(p.yearAmount, 2)}</td>
                <td className={`num${p.linesAmount !== p.yearAmount ? ' wz-mismatch' : ''}`} title={p.linesAmount !== p.yearAmount ? '与本年度金额不相等' : undefined}>
                  {formatExact(p.linesAmount, 2)}
                </td>
                <td>
                  <StepDots steps={p.steps} />
                </td>
                <td className="wz-findings-cell">
                  {p.errors ? <span className="pill error">{p.errors} 必须修改</span> : null}
                  {p.warnings ? <span className="pill warning">{p.warnings} 提示</span> : null}
                  {!p.errors && !p.warnings ? <span className="ok">通过</span> : null}
                </td>
                <td>
                  <span className={`wz-status ${p.status}`}>{p.statusLabel}</span>
                </td>
                <td className="wz-actions">
                  <button type="button" onClick={() => onOpen(p.code)}>
                    {p.status === 'complete' ? '查看' : '继续填写'}
                  </button>
                  <button type="button" className="link danger" aria-label={`删除项目 ${p.code}`} onClick={() => onRemove(p.code, p.name)}>
                    删除
                  </button>
                </td>
              </tr>
  );
}
