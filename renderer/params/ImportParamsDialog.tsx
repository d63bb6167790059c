// 导入年度参数包: the package is checked whole by the host (as a received 上报 package is) and what it would
// change is listed first; only 导入 writes, and a refused package leaves the budget file as it was.
import { useState } from 'react';
import type { ApiError } from '../../api/contract.js';
import type { ParamsPreviewView } from '../../api/params.js';
import { ApiCallError, call, errorMessage } from '../api.js';
import { Modal } from '../dialogs.js';
import { fileToBase64, showTime } from '../submission/files.js';

export function ImportParamsDialog({ onClose, onImported }: { onClose(): void; onImported(message: string): void }) {
  const [upload, setUpload] = useState<{ fileName: string; base64: string } | null>(null);
  const [preview, setPreview] = useState<ParamsPreviewView | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<{ message: string; issues: NonNullable<ApiError['issues']> } | null>(null);

  const pick = async (file: File | undefined) => {
    setPreview(null);
    setError(null);
    setUpload(null);
    if (!file) return;
    setBusy('正在校验参数包…');
    try {
      const u = { fileName: file.name, base64: await fileToBase64(file) };
      setPreview(await call('params.inspect', { upload: u }));
      setUpload(u);
    } catch (err) {
      setError({ message: errorMessage(err), issues: err instanceof ApiCallError ? (err.issues ?? []) : [] });
    } finally {
      setBusy(null);
    }
  };

  const submit = async () => {
    if (!upload || !preview) return;
    setBusy('正在导入…');
    try {
      const r = await call('params.import', { upload, sha256: preview.sha256 });
      onImported(r.message);
    } catch (err) {
      setError({ message: errorMessage(err), issues: err instanceof ApiCallError ? (err.issues ?? []) : [] });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Modal
      title="导入年度参数包"
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>取消</button>
          <button type="button" className="primary" data-testid="params-import-confirm" disabled={!preview || !!busy || preview.unchanged} onClick={() => void submit()}>
            导入
          </button>
        </>
      }
    >
      <p className="muted">
        年度参数包由财政部门（或主管部门）下达，包含当年的科目表、公开表格式、审核规则及其级别和参数、控制数。选择文件后先校验并列出将要改变的设置，确认后才导入。
      </p>
      <label className="wide">
        参数包文件
        <input type="file" accept=".zip,application/zip" data-testid="params-file" disabled={!!busy} onChange={(e) => void pick(e.target.files?.[0])} />
      </label>
      {busy ? <div className="muted" role="status">{busy}</div> : null}
      {preview ? (
        <div className="params-preview" data-testid="params-preview">
          <div className="params-preview-head">
            <b>{preview.authority}</b> 下达的 {preview.fiscalYear} 年度参数包（{showTime(preview.issuedAt)}）
            {preview.note ? <div className="muted">{preview.note}</div> : null}
          </div>
          {preview.unchanged ? <div className="form-ok">参数包与本预算的设置相同，没有需要改变的内容。</div> : null}
          {preview.sections.map((s) => (
            <section key={s.title}>
              <h4>{s.title}</h4>
              <ul>
                {s.lines.slice(0, 200).map((l, i) => (
                  <li key={i}>{l}</li>
                ))}
                {s.lines.length > 200 ? <li className="muted">……共 {s.lines.length} 项</li> : null}
              </ul>
            </section>
          ))}
        </div>
      ) : null}
      {error ? (
        <div className="form-error" role="alert" data-testid="params-error">
          <div>{error.message}</div>
          {error.issues.length > 1 ? (
            <ul>
              {error.issues.slice(0, 50).map((i, k) => (
                <li key={k}>{i.message}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </Modal>
  );
}
