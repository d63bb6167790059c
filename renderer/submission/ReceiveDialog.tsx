// 接收上报数据包 (the supervising department): pick a unit's .zip, see it checked — unit, year, totals, every
// file's checksum — and what differs from the unit's package received before; then receive (or replace).
import { useRef, useState } from 'react';
import { UPLOAD_MAX_BYTES, type PackageInspectionView, type SubmissionStatusView } from '../../api/submission.js';
import { call, hostKind } from '../api.js';
import { HiddenFileInput } from '../dialogs.js';
import { Modal, ProblemBox, problemOf, type Problem } from './common.js';
import { DiffView } from './DiffView.js';
import { fileToBase64, showExact, showSize, showTime } from './files.js';

export function ReceiveDialog({ onClose, onReceived }: { onClose(): void; onReceived(status: SubmissionStatusView, message: string): void }) {
  const [inspection, setInspection] = useState<PackageInspectionView | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [allowOlder, setAllowOlder] = useState(false);
  const [picked, setPicked] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const desktop = hostKind() === 'electron';

  const discard = () => {
    if (inspection) void call('submission.discard', { ticket: inspection.ticket }).catch(() => undefined);
  };

  const inspect = async (source: { path: string } | { file: File }) => {
    discard();
    setInspection(null);
    setProblem(null);
    setAllowOlder(false);
    setPicked('path' in source ? (source.path.split(/[\\/]/).pop() ?? source.path) : source.file.name);
    setBusy('正在检查数据包…');
    try {
      let input: { path: string } | { upload: { fileName: string; base64: string } };
      if ('path' in source) input = { path: source.path };
      else {
        if (source.file.size > UPLOAD_MAX_BYTES) {
          throw new Error(`文件“${source.file.name}”过大（${showSize(source.file.size)}），不是本程序生成的上报数据包`);
        }
        input = { upload: { fileName: source.file.name, base64: await fileToBase64(source.file) } };
      }
      setInspection(await call('submission.inspect', input));
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(null);
    }
  };

  const pick = async () => {
    if (!desktop) {
      fileInput.current?.click();
      return;
    }
    try {
      const r = await call('submission.choose', { kind: 'receive-package' });
      if (r.path) await inspect({ path: r.path });
    } catch (err) {
      setProblem(problemOf(err));
    }
  };

  const receive = async () => {
    if (!inspection) return;
    setBusy(inspection.previous ? '正在替换…' : '正在接收…');
    try {
      const r = await call('submission.receive', { ticket: inspection.ticket, ...(allowOlder ? { allowOlder: true } : {}) });
      const verb = r.unit.replaced ? '已替换' : '已接收';
      onReceived(r.status, `${verb} ${r.unit.code} ${r.unit.name} 的上报数据包（生成于 ${showTime(r.unit.createdAt)}）`);
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(null);
    }
  };

  const close = () => {
    discard();
    onClose();
  };

  const i = inspection;
  return (
    <Modal
      title="接收上报数据包"
      wide
      testId="receive-dialog"
      closable={!busy}
      onClose={close}
      footer={
        <>
          {busy ? <span className="sub-foot-note">{busy}</span> : null}
          <button type="button" disabled={!!busy} onClick={close}>取消</button>
          {i ? (
            <button
              type="button"
              className="primary"
              data-action="confirm-receive"
              disabled={!!busy || i.blocked !== null || (i.older && !allowOlder)}
              onClick={() => void receive()}
            >
              {i.previous ? '确认替换' : '接收'}
            </button>
          ) : null}
        </>
      }
    >
      <div className="sub-folder">
        <button type="button" data-action="pick-package" disabled={!!busy} onClick={() => void pick()}>选择数据包（.zip）…</button>
        <span className={picked ? 'path' : 'muted'}>{picked ?? '下属单位“上报”生成的 .zip 文件，通常在 U 盘上'}</span>
        <HiddenFileInput inputRef={fileInput} accept=".zip,application/zip" testId="receive-file" onFile={(f) => void inspect({ file: f })} />
      </div>
      {problem ? <ProblemBox testId="receive-error" problem={{ ...problem, message: `未接收：${problem.message}` }} /> : null}
      {i ? (
        <div className="sub-inspection" data-testid="receive-inspection">
          <table className="plain sub-facts">
            <tbody>
              <tr>
                <th>单位</th>
                <td data-testid="receive-unit">
                  {i.unit.code} {i.unit.name}
                  {i.units.length > 1 || i.units[0]?.code !== i.unit.code
                    ? `（含 ${i.units.map((u) => `${u.code} ${u.name}`).join('、')}）`
                    : ''}
                </td>
              </tr>
              <tr>
                <th>预算年度</th>
                <td>{i.fiscalYear} 年</td>
              </tr>
              <tr>
                <th>生成时间</th>
                <td>
                  {showTime(i.createdAt)}（程序版本 {i.appVersion}）
                </td>
              </tr>
              <tr>
                <th>公开表格式</th>
                <td data-testid="receive-format">{i.format.name}</td>
              </tr>
              <tr>
                <th>支出总计</th>
                <td>
                  <b data-testid="receive-total">{showExact(i.totals.expenditure)}</b> {i.totals.unit}（基本支出 {showExact(i.totals.basic)} {i.totals.unit}，项目支出{' '}
                  {showExact(i.totals.project)} {i.totals.unit}；{i.totals.lines} 行，{i.totals.projects} 个项目）
                </td>
              </tr>
              <tr>
                <th>校验</th>
                <td className="ok" data-testid="receive-checksum">
                  ✓ {i.fileCount} 个文件的大小和 SHA-256 校验值全部正确；数据可读，审核无错误
                  <div className="muted mono">数据包 SHA-256：{i.sha256}（{showSize(i.size)}）</div>
                </td>
              </tr>
            </tbody>
          </table>
          {i.notes.length ? (
            <details className="sub-section">
              <summary>单位对 {i.notes.length} 个审核提示的情况说明</summary>
              <ol className="sub-unit-notes">
                {i.notes.map((n, k) => (
                  <li key={k}>
                    <div>{n.message}</div>
                    <div className="note">说明：{n.note || '（无）'}</div>
                  </li>
                ))}
              </ol>
            </details>
          ) : null}
          {i.blocked ? <ProblemBox problem={{ message: i.blocked, details: [] }} /> : null}
          {i.previous ? (
            <section className="sub-section" data-testid="receive-previous">
              <h4>
                已于 {showTime(i.previous.receivedAt)} 接收过该单位生成于 {showTime(i.previous.createdAt)} 的数据包（{i.previous.fileName}）。
                确认后将用此数据包替换它。与原数据包相比：
              </h4>
              {i.older ? (
                <label className="sub-older">
                  <input type="checkbox" checked={allowOlder} onChange={(e) => setAllowOlder(e.target.checked)} />
                  此数据包比已接收的更早生成，仍要用它替换
                </label>
              ) : null}
              {i.diff ? <DiffView diff={i.diff} beforeLabel="原数据包" afterLabel="此数据包" /> : null}
            </section>
          ) : null}
        </div>
      ) : null}
    </Modal>
  );
}
