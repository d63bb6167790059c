// 解锁: an explicit act with a reason, recorded with the time and the user in the budget file.
import { useState } from 'react';
import type { SubmissionStatusView } from '../../api/submission.js';
import { call } from '../api.js';
import { Modal, ProblemBox, problemOf, type Problem } from './common.js';
import { showTime } from './files.js';

export function UnlockDialog({
  status,
  onClose,
  onUnlocked,
}: {
  status: SubmissionStatusView;
  onClose(): void;
  onUnlocked(next: SubmissionStatusView): void;
}) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  const unlock = async () => {
    if (reason.trim() === '') {
      setProblem({ message: '请填写解锁原因（会记录在预算文件中）', details: [] });
      return;
    }
    setBusy(true);
    try {
      onUnlocked(await call('submission.unlock', { reason: reason.trim() }));
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title="解锁已上报的预算"
      testId="unlock-dialog"
      closable={!busy}
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose} disabled={busy}>取消</button>
          <button type="button" className="primary" data-action="confirm-unlock" disabled={busy || reason.trim() === ''} onClick={() => void unlock()}>解锁</button>
        </>
      }
    >
      <p>
        预算已于 <b>{showTime(status.lockedAt)}</b> 上报{status.last ? `（数据包 ${status.last.fileName}）` : ''}。解锁后可以修改，
        修改的内容可在“与上次上报的差异”中查看；修改完成后须重新上报。
      </p>
      <label className="wide">
        解锁原因（必填，记录在预算文件中）
        <textarea
          data-testid="unlock-reason"
          rows={3}
          maxLength={2000}
          autoFocus
          value={reason}
          placeholder="例如：财政局审核退回，调整培训费"
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      {problem ? <ProblemBox problem={problem} /> : null}
    </Modal>
  );
}
