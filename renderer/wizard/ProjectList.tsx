// Every project of the budget with how far its 绩效目标表 is: the six steps, its 审核 findings, its state; and
// the department's overall table. Opening a project resumes the wizard where it was left.
import { useEffect, useState } from 'react';
import type { WizardList } from '../../api/wizard.js';
import { call, errorMessage } from '../api.js';
import { formatExact } from '../amounts.js';
import type { ShowToast } from '../toast.js';
import { StepDots } from './common.js';

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

  if (error) return <div className="empty-state error">{error}</div>;
  if (!list) return <div className="empty-state">正在读取项目…</div>;

  const counts = {
    complete: list.projects.filter((p) => p.status === 'complete').length,
    fix: list.projects.filter((p) => p.status === 'needs-fix').length,
  };
  const dept = list.department;

  return (
    <div className="wz-list" data-testid="project-list">
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
      {list.projects.length === 0 ? (
        <div className="empty-state">本预算还没有项目。点“新建项目”开始填写第一个项目支出绩效目标表。</div>
      ) : (
        <table className="wz-projects">
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
          <tbody>
            {list.projects.map((p) => (
              <tr key={p.code} data-project={p.code} className={p.status}>
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
                  <button type="button" className="link danger" aria-label={`删除项目 ${p.code}`} onClick={() => void remove(p.code, p.name)}>
                    删除
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
