// The 上报与汇总 tab: the budget's 上报 state with its history, what changed since the last submission, and —
// for a supervising department — the units' packages received, with 接收上报数据包.
import { useEffect, useState } from 'react';
import type { SubmissionDiffView, SubmissionStatusView } from '../../api/submission.js';
import { call } from '../api.js';
import { ProblemBox, problemOf, type Problem } from './common.js';
import { DiffView } from './DiffView.js';
import { showExact, showTime } from './files.js';

interface Props {
  status: SubmissionStatusView;
  /** Bumped after every change of the budget. */
  revision: number;
  onSubmit(): void;
  onUnlock(): void;
  onReceive(): void;
  onPickLine(id: number): void;
}

export function SubmissionPane({ status, revision, onSubmit, onUnlock, onReceive, onPickLine }: Props) {
  const [diff, setDiff] = useState<SubmissionDiffView | null>(null);
  const [diffProblem, setDiffProblem] = useState<Problem | null>(null);
  const [loadingDiff, setLoadingDiff] = useState(false);
  const submitted = status.last !== null;

  useEffect(() => {
    if (!submitted) {
      setDiff(null);
      return;
    }
    let live = true;
    setLoadingDiff(true);
    call('submission.diff', {})
      .then((d) => live && (setDiff(d), setDiffProblem(null)))
      .catch((err: unknown) => live && setDiffProblem(problemOf(err)))
      .finally(() => live && setLoadingDiff(false));
    return () => {
      live = false;
    };
  }, [submitted, revision, status]);

  const last = status.last;
  return (
    <div className="sub-pane" data-testid="submission-pane">
      <section className="sub-card">
        <header>
          <h3>上报状态</h3>
          {status.locked ? (
            <span className="sub-state locked" data-testid="pane-state">已上报 · 已锁定</span>
          ) : last ? (
            <span className="sub-state unlocked" data-testid="pane-state">已解锁 · 修改后须重新上报</span>
          ) : (
            <span className="sub-state none" data-testid="pane-state">尚未上报</span>
          )}
        </header>
        {last ? (
          <p>
            最近一次上报：<b>{showTime(last.createdAt)}</b>，数据包 <span className="mono">{last.fileName}</span>，支出总计{' '}
            <b>{showExact(last.totals.expenditure)}</b> {last.totals.unit}
            {last.consolidated ? `（汇总 ${last.unitCount} 个单位）` : ''}。
            {status.lastFolder ? <span className="muted">保存位置：{status.lastFolder}</span> : null}
          </p>
        ) : (
          <p className="muted">审核无错误、每个提示都填写了说明后，即可生成上报数据包（存到 U 盘交上级主管部门）。上报后预算被锁定，修改须先解锁。</p>
        )}
        <div className="sub-actions">
          <button type="button" className="primary" data-action="open-submit" onClick={onSubmit}>{status.locked ? '再次上报…' : '上报…'}</button>
          {status.locked ? (
            <button type="button" data-action="open-unlock" onClick={onUnlock}>解锁…</button>
          ) : null}
        </div>
      </section>

      {submitted ? (
        <section className="sub-card" data-testid="since-submission">
          <header>
            <h3>与上次上报的差异</h3>
            {diff ? <span className="muted">上次上报：{showTime(diff.submittedAt)}（{diff.fileName}）</span> : null}
          </header>
          {loadingDiff && !diff ? <p className="muted">正在比较…</p> : null}
          {diffProblem ? <ProblemBox problem={diffProblem} /> : null}
          {diff ? <DiffView diff={diff.diff} beforeLabel="上报时" afterLabel="现在" onPickLine={diff.consolidated ? undefined : onPickLine} /> : null}
        </section>
      ) : null}

      {status.events.length ? (
        <section className="sub-card">
          <header>
            <h3>上报与解锁记录</h3>
          </header>
          <table className="plain" data-testid="lock-events">
            <thead>
              <tr>
                <th>时间</th>
                <th>操作</th>
                <th>操作人</th>
                <th>原因</th>
              </tr>
            </thead>
            <tbody>
              {status.events.map((e, i) => (
                <tr key={i}>
                  <td className="nowrap">{showTime(e.at)}</td>
                  <td>{e.event === 'submitted' ? '上报并锁定' : '解锁'}</td>
                  <td>{e.by ?? ''}</td>
                  <td>{e.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      <section className="sub-card" data-testid="received-units">
        <header>
          <h3>下属单位</h3>
          <span className="muted">已接收的上报数据包（汇总进本部门的预算公开表）</span>
          <span className="spacer" />
          <button type="button" data-action="open-receive" onClick={onReceive}>接收上报数据包…</button>
        </header>
        {status.received.length === 0 ? (
          <p className="muted">还没有接收任何下属单位的数据包。</p>
        ) : (
          <table className="plain">
            <thead>
              <tr>
                <th>单位</th>
                <th>生成时间</th>
                <th>接收时间</th>
                <th className="num">支出总计</th>
                <th className="num">基本支出</th>
                <th className="num">项目支出</th>
                <th>数据包</th>
              </tr>
            </thead>
            <tbody>
              {status.received.map((r) => (
                <tr key={r.code} data-unit={r.code}>
                  <td>
                    {r.code} {r.name}
                    {r.units.length > 1 ? <span className="muted">（{r.units.length} 个单位）</span> : null}
                  </td>
                  <td className="nowrap">{showTime(r.createdAt)}</td>
                  <td className="nowrap">{showTime(r.receivedAt)}</td>
                  <td className="num">{r.totals ? `${showExact(r.totals.expenditure)} ${r.totals.unit}` : '—'}</td>
                  <td className="num">{r.totals ? `${showExact(r.totals.basic)} ${r.totals.unit}` : '—'}</td>
                  <td className="num">{r.totals ? `${showExact(r.totals.project)} ${r.totals.unit}` : '—'}</td>
                  <td className="mono small" title={`SHA-256 ${r.sha256}`}>{r.fileName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
