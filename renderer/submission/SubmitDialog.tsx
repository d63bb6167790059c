// 上报: the 审核 state of the budget the package carries (errors block it, each 提示 needs a 说明, kept as a
// draft in the budget file while typed), the destination folder (the desktop host's folder dialog, or a
// folder path on this machine in the browser host), then the export step by step and its outcome.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Finding } from '../../api/contract.js';
import {
  EXPORT_STEPS,
  EXPORT_STEP_LABELS,
  type ExportProgressView,
  type SubmissionFinding,
  type SubmissionPrepareView,
} from '../../api/submission.js';
import { call, hostKind } from '../api.js';
import { holdSave } from '../save-state.js';
import { Modal, ProblemBox, placeText, problemOf, type Problem } from './common.js';
import { showExact, showSize, showTime } from './files.js';

interface Props {
  onClose(): void;
  /** The package was written and the budget locked. */
  onSubmitted(): void;
  /** Leads to the place of a finding (the dialog closes). */
  onPick(f: Finding): void;
}

const POLL_MS = 150;
const SAVE_DELAY_MS = 500;

type StepState = 'pending' | 'active' | 'done' | 'failed';

function stepStates(p: ExportProgressView | null): StepState[] {
  if (!p) return EXPORT_STEPS.map(() => 'pending');
  const at = p.step ? EXPORT_STEPS.indexOf(p.step) : -1;
  return EXPORT_STEPS.map((_, i) => {
    if (p.state === 'done') return 'done';
    if (i < at) return 'done';
    if (i === at) return p.state === 'failed' ? 'failed' : 'active';
    return 'pending';
  });
}

export function SubmitDialog({ onClose, onSubmitted, onPick }: Props) {
  const [prep, setPrep] = useState<SubmissionPrepareView | null>(null);
  const [loadProblem, setLoadProblem] = useState<Problem | null>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [folder, setFolder] = useState('');
  const [progress, setProgress] = useState<ExportProgressView | null>(null);
  const [running, setRunning] = useState(false);
  const [startProblem, setStartProblem] = useState<Problem | null>(null);
  const [noteProblem, setNoteProblem] = useState<string | null>(null);
  const unsaved = useRef(new Map<string, string>());
  const saveTimer = useRef<number | null>(null);
  /** The status bar says 正在保存 from the first key of a draft until the host has stored it. */
  const saveTicket = useRef<((ok?: boolean) => void) | null>(null);
  const live = useRef(true);
  const desktop = hostKind() === 'electron';

  useEffect(() => {
    live.current = true;
    call('submission.prepare', {})
      .then((p) => {
        if (!live.current) return;
        setPrep(p);
        setNotes(Object.fromEntries(p.soft.map((f) => [f.key, f.note])));
        setFolder(p.lastFolder ?? '');
      })
      .catch((err: unknown) => live.current && setLoadProblem(problemOf(err)));
    return () => {
      live.current = false;
    };
  }, []);

  const flushNotes = useCallback(async () => {
    if (saveTimer.current !== null) window.clearTimeout(saveTimer.current);
    saveTimer.current = null;
    const release = saveTicket.current ?? (() => undefined);
    saveTicket.current = null;
    if (unsaved.current.size === 0) return release();
    const batch = [...unsaved.current].map(([key, note]) => ({ key, note }));
    unsaved.current.clear();
    try {
      await call('submission.saveNotes', { notes: batch });
      release(true);
      if (live.current) setNoteProblem(null);
    } catch (err) {
      release(false);
      for (const { key, note } of batch) if (!unsaved.current.has(key)) unsaved.current.set(key, note);
      if (live.current) setNoteProblem(`说明未能保存：${problemOf(err).message}`);
    }
  }, []);

  // Drafts typed but not yet saved are saved when the dialog goes away.
  useEffect(() => () => void flushNotes(), [flushNotes]);

  const setNote = (key: string, note: string) => {
    setNotes((n) => ({ ...n, [key]: note }));
    unsaved.current.set(key, note);
    saveTicket.current ??= holdSave();
    if (saveTimer.current !== null) window.clearTimeout(saveTimer.current);
    saveTimer.current = window.setTimeout(() => void flushNotes(), SAVE_DELAY_MS);
  };

  const chooseFolder = async () => {
    try {
      const r = await call('submission.choose', { kind: 'package-folder', ...(folder.trim() ? { suggested: folder.trim() } : {}) });
      if (r.path) setFolder(r.path);
    } catch (err) {
      setStartProblem(problemOf(err));
    }
  };

  const start = async () => {
    setStartProblem(null);
    setProgress(null);
    setRunning(true);
    try {
      await flushNotes();
      const { job } = await call('submission.export', { outDir: folder.trim() });
      for (;;) {
        const p = await call('submission.exportProgress', { job });
        if (!live.current) return;
        setProgress(p);
        if (p.state !== 'running') {
          if (p.state === 'done') onSubmitted();
          break;
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    } catch (err) {
      if (live.current) setStartProblem(problemOf(err));
    } finally {
      if (live.current) setRunning(false);
    }
  };

  const missing = prep ? prep.soft.filter((f) => (notes[f.key] ?? '').trim() === '') : [];
  const done = progress?.state === 'done';
  const failed = progress?.state === 'failed';
  const reasons: string[] = [];
  if (prep) {
    if (prep.blocking.length) reasons.push('有下级单位的数据包无法汇总');
    if (prep.hard.length) reasons.push(`还有 ${prep.hard.length} 个错误须改正`);
    if (missing.length) reasons.push(`还有 ${missing.length} 个提示未填写说明`);
    if (!folder.trim()) reasons.push('请选择保存位置');
  }
  const canStart = !!prep && reasons.length === 0 && !running && !done;
  const states = stepStates(progress);
  const wroteNothing = failed && progress?.error && progress.error.code !== 'write-failed' && progress.error.code !== 'verify-failed';

  return (
    <Modal
      title="上报"
      wide
      testId="submit-dialog"
      closable={!running}
      onClose={onClose}
      footer={
        <>
          {!done && reasons.length ? <span className="sub-foot-note" data-testid="submit-blockers">{reasons.join('；')}</span> : null}
          <button type="button" disabled={running} onClick={onClose}>{done ? '关闭' : '取消'}</button>
          {done ? null : (
            <button type="button" className="primary" data-action="start-submit" disabled={!canStart} onClick={() => void start()}>
              {failed ? '重新上报' : '生成上报数据包'}
            </button>
          )}
        </>
      }
    >
      {loadProblem ? <ProblemBox problem={loadProblem} /> : null}
      {!prep && !loadProblem ? <p className="muted">正在审核…</p> : null}
      {prep ? (
        <>
          <div className="sub-summary">
            <span className={prep.hard.length ? 'pill error' : 'pill ok'}>{prep.hard.length} 项错误</span>
            <span className={prep.soft.length ? 'pill warning' : 'pill ok'}>{prep.soft.length} 项提示</span>
            <span className="muted">
              支出总计 {showExact(prep.totals.expenditure)} {prep.totals.unit}（{prep.totals.lines} 行，{prep.totals.projects} 个项目）
              {prep.consolidated ? `，含 ${prep.receivedCount} 个下属单位的数据包（汇总）` : ''}
            </span>
          </div>
          {prep.locked ? (
            <p className="sub-note" data-testid="submit-relock-note">
              预算已于 {showTime(prep.lockedAt)} 上报并锁定。再次上报会生成新的数据包，并记为又一次上报。
            </p>
          ) : null}
          {prep.blocking.length ? (
            <ProblemBox problem={{ message: '以下下级单位的数据包无法汇总，处理后才能上报：', details: prep.blocking }} />
          ) : null}

          {prep.hard.length ? (
            <section className="sub-section" data-testid="submit-hard">
              <h4>错误（须改正后才能上报，点击定位）</h4>
              <ol className="findings">
                {prep.hard.map((f) => (
                  <li key={f.key}>
                    <button type="button" className="finding" data-rule={f.rule} onClick={() => onPick(f)}>
                      <span className="sev error">错误</span>
                      <span className="msg">{f.message}</span>
                      <span className="where">{placeText(f)}</span>
                      {f.ruleDescription ? <span className="rule">规则：{f.ruleDescription}</span> : null}
                    </button>
                  </li>
                ))}
              </ol>
            </section>
          ) : null}

          {prep.soft.length ? (
            <section className="sub-section" data-testid="submit-soft">
              <h4>
                提示：请逐条填写情况说明（随数据包上报；输入后自动保存为草稿）
                <span className="muted">　已填写 {prep.soft.length - missing.length} / {prep.soft.length}</span>
              </h4>
              <ol className="sub-notes">
                {prep.soft.map((f: SubmissionFinding) => (
                  <li key={f.key} className={(notes[f.key] ?? '').trim() ? 'filled' : 'empty'}>
                    <button type="button" className="link sub-note-msg" title="定位到相关位置" onClick={() => onPick(f)}>
                      {f.message}
                    </button>
                    <span className="where">{placeText(f)}</span>
                    <textarea
                      aria-label={`说明：${f.message}`}
                      data-key={f.key}
                      rows={2}
                      maxLength={4000}
                      placeholder="情况说明，例如：该项增长系新增职能所需，已报财政部门审核"
                      value={notes[f.key] ?? ''}
                      disabled={running || done}
                      onChange={(e) => setNote(f.key, e.target.value)}
                      onBlur={() => void flushNotes()}
                    />
                  </li>
                ))}
              </ol>
              {noteProblem ? <div className="form-error">{noteProblem}</div> : null}
            </section>
          ) : null}

          <section className="sub-section">
            <h4>保存位置</h4>
            {desktop ? (
              <div className="sub-folder">
                <button type="button" disabled={running || done} onClick={() => void chooseFolder()}>选择文件夹…</button>
                <span className={folder ? 'path' : 'muted'} data-testid="submit-folder">{folder || '尚未选择（通常选择 U 盘）'}</span>
              </div>
            ) : (
              <label className="wide">
                本机上的文件夹（完整路径，如 U 盘 E:\ 或 /media/用户/U盘）
                <input
                  data-testid="submit-folder-input"
                  value={folder}
                  disabled={running || done}
                  onChange={(e) => setFolder(e.target.value)}
                  placeholder="例如 E:\ 或 /media/用户/U盘"
                />
              </label>
            )}
          </section>

          {progress || running ? (
            <section className="sub-section">
              <ol className="sub-steps" data-testid="submit-steps">
                {EXPORT_STEPS.map((s, i) => (
                  <li key={s} className={states[i]} data-step={s} data-state={states[i]}>
                    <span className="dot">{states[i] === 'done' ? '✓' : states[i] === 'failed' ? '✕' : i + 1}</span>
                    {EXPORT_STEP_LABELS[s]}
                  </li>
                ))}
              </ol>
            </section>
          ) : null}

          {done && progress?.result ? (
            <div className="sub-success" role="status" data-testid="submit-result">
              <b>上报数据包已保存并校验无误，预算已锁定。</b>
              <div>
                文件：<span className="mono" data-testid="submit-file-name">{progress.result.fileName}</span>（{showSize(progress.result.size)}）
              </div>
              <div>
                位置：<span className="mono">{progress.result.folder}</span>
              </div>
              <div className="muted">
                支出总计 {showExact(progress.result.totals.expenditure)} {progress.result.totals.unit}，生成于 {showTime(progress.result.createdAt)}。请将 U 盘交上级主管部门。
              </div>
            </div>
          ) : null}
          {failed && progress?.error ? (
            <ProblemBox
              testId="submit-error"
              problem={{ message: `上报未完成：${progress.error.message}`, details: progress.error.details }}
              extra={wroteNothing ? <div className="sub-problem-foot">没有向目标文件夹写入任何文件，预算未锁定。</div> : <div className="sub-problem-foot">预算未锁定。</div>}
            />
          ) : null}
          {startProblem ? <ProblemBox testId="submit-error" problem={startProblem} /> : null}
        </>
      ) : null}
    </Modal>
  );
}
