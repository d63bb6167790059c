// 恢复备份: the open file's rotating backups (taken before every import, receive and unlock, and once a day
// while it is edited), newest first, with when and why each was taken and what it holds. Restoring one first
// backs up the current state, so a restore can itself be undone the same way.
import { useEffect, useState } from 'react';
import type { BackupList, BudgetInfo } from '../api/contract.js';
import { formatExact } from './amounts.js';
import { call, errorMessage } from './api.js';
import { Modal } from './dialogs.js';

export function BackupDialog({ onClose, onRestored }: { onClose(): void; onRestored(info: BudgetInfo, at: string): void }) {
  const [list, setList] = useState<BackupList | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);

  useEffect(() => {
    call('backups.list', {})
      .then(setList)
      .catch((err: unknown) => setError(errorMessage(err)));
  }, []);

  const picked = list?.backups.find((b) => b.fileName === chosen) ?? null;
  const restore = async () => {
    if (!picked) return;
    setWorking(true);
    setError(null);
    try {
      onRestored(await call('backups.restore', { fileName: picked.fileName }), picked.at);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setWorking(false);
    }
  };

  return (
    <Modal
      title="恢复备份"
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>取消</button>
          <button type="button" className="primary" disabled={!picked || working} onClick={() => void restore()}>
            {working ? '正在恢复…' : '恢复所选备份'}
          </button>
        </>
      }
    >
      <p className="muted">
        导入、接收数据包、解锁之前和每天首次修改时，程序会自动备份预算文件（保留最近 10 份）。恢复后，当前内容也会先备份一份。
      </p>
      {list === null && !error ? <p className="muted">正在读取…</p> : null}
      {list?.backups.length === 0 ? <p className="muted">此预算文件还没有备份。</p> : null}
      {list && list.backups.length > 0 ? (
        <table className="backup-list" data-testid="backup-list">
          <thead>
            <tr>
              <th />
              <th>备份时间</th>
              <th>原因</th>
              <th>部门与年度</th>
              <th className="num">预算行</th>
              <th className="num">支出合计</th>
            </tr>
          </thead>
          <tbody>
            {list.backups.map((b) => (
              <tr key={b.fileName} className={b.fileName === chosen ? 'chosen' : undefined} onClick={() => setChosen(b.fileName)}>
                <td>
                  <input type="radio" name="backup" aria-label={`选择 ${new Date(b.at).toLocaleString('zh-CN')} 的备份`} checked={b.fileName === chosen} onChange={() => setChosen(b.fileName)} />
                </td>
                <td>{new Date(b.at).toLocaleString('zh-CN')}</td>
                <td>{b.reason}</td>
                <td>{b.department ? `${b.department} ${b.fiscalYear ?? ''} 年` : '（无法读取）'}</td>
                <td className="num">{b.lineCount ?? ''}</td>
                <td className="num">{b.total !== null ? `${formatExact(b.total, 2)} ${b.amountUnit ?? ''}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {list ? <p className="muted small">备份位置：{list.folder}</p> : null}
      {picked ? (
        <p className="warning-note">将用 {new Date(picked.at).toLocaleString('zh-CN')} 的备份替换当前预算文件的全部内容（当前内容会先备份）。</p>
      ) : null}
      {error ? <div className="form-error" role="alert">{error}</div> : null}
    </Modal>
  );
}
