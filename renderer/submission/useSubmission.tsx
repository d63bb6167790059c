// The 上报 part of the application frame, as one hook so App only places its pieces: the 已上报 badge, the
// 上报 button, the banner of the locked state, the 上报与汇总 tab, the .xlsx tools of the line grid, and the
// dialogs. The state (locked or not, received units) is read from the host after every change that can
// alter it.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { BudgetInfo, ChangeSet, LineField } from '../../api/contract.js';
import type { SubmissionStatusView } from '../../api/submission.js';
import { call, errorMessage } from '../api.js';
import type { ShowToast } from '../toast.js';
import { goToFinding } from './common.js';
import { showTime } from './files.js';
import { LinesExcelTools } from './LinesExcel.js';
import { ReceiveDialog } from './ReceiveDialog.js';
import { SubmissionPane } from './SubmissionPane.js';
import { SubmitDialog } from './SubmitDialog.js';
import { UnlockDialog } from './UnlockDialog.js';
import './submission.css';

export const SUBMISSION_TAB = { id: 'submission', label: '上报与汇总' } as const;

interface Options {
  info: BudgetInfo | null;
  /** Bumped when another budget is open (open, new, import). */
  generation: number;
  /** Bumped after every change of the budget. */
  revision: number;
  goToLine(id: number, field?: LineField): void;
  goToTable(id: string): void;
  showTab(): void;
  /** An accepted change (an import of lines): the grid and the frame take it as any edit's. */
  applyChanges(cs: ChangeSet): void;
  toast: ShowToast;
}

export interface SubmissionFrame {
  status: SubmissionStatusView | null;
  locked: boolean;
  /** The tables view may show the consolidated department. */
  hasReceived: boolean;
  refresh(): Promise<void>;
  badge: ReactNode;
  toolbarButton: ReactNode;
  banner: ReactNode;
  statusText: ReactNode;
  lineTools: ReactNode;
  pane: ReactNode;
  dialogs: ReactNode;
}

export function useSubmission({ info, generation, revision, goToLine, goToTable, showTab, applyChanges, toast }: Options): SubmissionFrame {
  const [status, setStatus] = useState<SubmissionStatusView | null>(null);
  const [dialog, setDialog] = useState<'submit' | 'unlock' | 'receive' | null>(null);
  const open = info?.open ?? false;

  const refresh = useCallback(async () => {
    try {
      setStatus(await call('submission.status', {}));
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  }, [toast]);

  useEffect(() => {
    if (open) void refresh();
    else setStatus(null);
  }, [open, generation, info?.path, refresh]);

  const locked = !!status?.locked;
  const openSubmit = useCallback(() => setDialog('submit'), []);
  const openUnlock = useCallback(() => setDialog('unlock'), []);

  const badge = locked ? (
    <button type="button" className="sub-badge" data-testid="submitted-badge" title="查看上报状态" onClick={showTab}>
      已上报 · {showTime(status?.lockedAt)}
    </button>
  ) : null;

  const toolbarButton = (
    <button type="button" data-action="submit" disabled={!open} title="生成上报数据包（存到 U 盘交上级主管部门）" onClick={openSubmit}>
      上报…
    </button>
  );

  const banner = locked ? (
    <div className="sub-banner" role="status" data-testid="locked-banner">
      <b className="sub-banner-tag">已上报锁定</b>
      预算已于 {showTime(status?.lockedAt)} 上报并锁定：明细、项目和绩效目标只能查看（各项目的绩效目标表见“预算公开表”T11）。如需修改，请先
      <button type="button" className="link" data-action="banner-unlock" onClick={openUnlock}>解锁</button>
      （原因会被记录）。
    </div>
  ) : null;

  const statusText = locked ? (
    <span className="stat sub-stat" data-testid="status-submitted">已上报 {showTime(status?.lockedAt)}</span>
  ) : status?.last ? (
    <span className="stat muted">已解锁（上次上报 {showTime(status.last.createdAt)}）</span>
  ) : null;

  const suggestedName = info ? `${info.department.name}-${info.fiscalYear}年预算明细.xlsx` : '预算明细.xlsx';
  const lineTools = open ? (
    <LinesExcelTools
      locked={locked}
      suggestedName={suggestedName}
      toast={toast}
      onApplied={(cs, message) => {
        applyChanges(cs);
        toast(message, 'success', 6000);
      }}
    />
  ) : null;

  const pane = status ? (
    <SubmissionPane
      status={status}
      revision={revision}
      onSubmit={openSubmit}
      onUnlock={openUnlock}
      onReceive={() => setDialog('receive')}
      onPickLine={(id) => goToLine(id)}
    />
  ) : (
    <div className="empty-state">正在读取上报状态…</div>
  );

  const dialogs = (
    <>
      {dialog === 'submit' ? (
        <SubmitDialog
          onClose={() => setDialog(null)}
          onSubmitted={() => void refresh()}
          onPick={(f) => {
            setDialog(null);
            goToFinding(f, { goToLine, goToTable, toast });
          }}
        />
      ) : null}
      {dialog === 'unlock' && status ? (
        <UnlockDialog
          status={status}
          onClose={() => setDialog(null)}
          onUnlocked={(next) => {
            setStatus(next);
            setDialog(null);
            toast('已解锁：可以修改预算，修改后请重新上报', 'success');
          }}
        />
      ) : null}
      {dialog === 'receive' ? (
        <ReceiveDialog
          onClose={() => setDialog(null)}
          onReceived={(next, message) => {
            setStatus(next);
            setDialog(null);
            toast(message, 'success', 6000);
          }}
        />
      ) : null}
    </>
  );

  return {
    status,
    locked,
    hasReceived: (status?.received.length ?? 0) > 0,
    refresh,
    badge,
    toolbarButton,
    banner,
    statusText,
    lineTools,
    pane,
    dialogs,
  };
}

/** Wraps edit controls that must not be used while the budget is locked (a disabled fieldset disables them all). */
export function LockScope({ locked, children }: { locked: boolean; children: ReactNode }) {
  return (
    <fieldset className="sub-lock-scope" disabled={locked} data-locked={locked ? 'true' : 'false'}>
      {children}
    </fieldset>
  );
}
