// 导出明细模板 / 从Excel导入明细, in the line grid's toolbar. The template is the lines as an .xlsx with a code
// sheet; an import is checked first (rows that cannot be read are listed with row, column and reason), then
// stored as one step of 撤销 — appended, or replacing every line.
import { useRef, useState } from 'react';
import type { ChangeSet } from '../../api/contract.js';
import { UPLOAD_MAX_BYTES, type LinesImportView } from '../../api/submission.js';
import { call, hostKind } from '../api.js';
import type { ShowToast } from '../toast.js';
import { HiddenFileInput } from '../dialogs.js';
import { Modal, ProblemBox, problemOf, type Problem } from './common.js';
import { downloadBase64, fileToBase64, showSize, XLSX_TYPE } from './files.js';

type Source = { path: string; name: string } | { upload: { fileName: string; base64: string }; name: string };

export function LinesExcelTools({
  locked,
  suggestedName,
  onApplied,
  toast,
}: {
  locked: boolean;
  /** e.g. "济源市行政服务中心-2020年预算明细.xlsx" (the desktop save dialog's suggestion). */
  suggestedName: string;
  onApplied(cs: ChangeSet, message: string): void;
  toast: ShowToast;
}) {
  const [importing, setImporting] = useState(false);
  const desktop = hostKind() === 'electron';

  const exportTemplate = async () => {
    try {
      if (desktop) {
        const chosen = await call('submission.choose', { kind: 'lines-template', suggested: suggestedName });
        if (!chosen.path) return;
        const r = await call('submission.linesTemplate', { path: chosen.path });
        toast(`已导出明细模板：${r.path}`, 'success');
        return;
      }
      const r = await call('submission.linesTemplate', {});
      downloadBase64(r.base64!, r.fileName, XLSX_TYPE);
      toast(`已导出明细模板“${r.fileName}”`, 'success');
    } catch (err) {
      toast(problemOf(err).message, 'error');
    }
  };

  return (
    <>
      <span className="sep-v" />
      <button type="button" data-action="export-lines-xlsx" onClick={() => void exportTemplate()}>导出明细模板</button>
      <button
        type="button"
        data-action="import-lines-xlsx"
        disabled={locked}
        title={locked ? '预算已上报并锁定，如需修改请先解锁' : '从 Excel（.xlsx）导入预算明细'}
        onClick={() => setImporting(true)}
      >
        从Excel导入…
      </button>
      {importing ? (
        <ImportLinesDialog
          onClose={() => setImporting(false)}
          onApplied={(cs, message) => {
            setImporting(false);
            onApplied(cs, message);
          }}
        />
      ) : null}
    </>
  );
}

function ImportLinesDialog({ onClose, onApplied }: { onClose(): void; onApplied(cs: ChangeSet, message: string): void }) {
  const [source, setSource] = useState<Source | null>(null);
  const [mode, setMode] = useState<'append' | 'replace'>('append');
  const [preview, setPreview] = useState<LinesImportView | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const desktop = hostKind() === 'electron';

  const input = (s: Source) => ('path' in s ? { path: s.path } : { upload: s.upload });

  const check = async (s: Source, m: 'append' | 'replace') => {
    setBusy(true);
    setProblem(null);
    setPreview(null);
    try {
      setPreview(await call('submission.importLines', { ...input(s), mode: m, apply: false }));
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };

  const choose = async () => {
    if (!desktop) {
      fileInput.current?.click();
      return;
    }
    try {
      const r = await call('submission.choose', { kind: 'import-lines' });
      if (!r.path) return;
      const s = { path: r.path, name: r.path.split(/[\\/]/).pop() ?? r.path };
      setSource(s);
      await check(s, mode);
    } catch (err) {
      setProblem(problemOf(err));
    }
  };

  const fromFile = async (f: File) => {
    if (f.size > UPLOAD_MAX_BYTES) {
      setProblem({ message: `文件“${f.name}”过大（${showSize(f.size)}），最多 ${showSize(UPLOAD_MAX_BYTES)}`, details: [] });
      return;
    }
    const s = { upload: { fileName: f.name, base64: await fileToBase64(f) }, name: f.name };
    setSource(s);
    await check(s, mode);
  };

  const apply = async () => {
    if (!source || !preview) return;
    if (mode === 'replace' && !window.confirm(`将删除现有的 ${preview.replacing} 行明细，换成工作簿中的 ${preview.accepted} 行。可用“撤销”一步恢复。是否继续？`)) return;
    setBusy(true);
    try {
      const r = await call('submission.importLines', { ...input(source), mode, apply: true });
      const what = mode === 'replace' ? `已用 Excel 中的 ${r.accepted} 行替换全部明细` : `已从 Excel 追加 ${r.accepted} 行明细`;
      const skipped = r.rejected.length ? `；${new Set(r.rejected.map((x) => x.row)).size} 行无法读取，未导入` : '';
      onApplied(r.changes!, `${what}${skipped}（可撤销）`);
    } catch (err) {
      setProblem(problemOf(err));
      setBusy(false);
    }
  };

  const rejectedRows = preview ? new Set(preview.rejected.map((r) => r.row)).size : 0;
  return (
    <Modal
      title="从 Excel 导入预算明细"
      wide
      testId="import-lines-dialog"
      closable={!busy}
      onClose={onClose}
      footer={
        <>
          <button type="button" disabled={busy} onClick={onClose}>取消</button>
          <button type="button" className="primary" data-action="confirm-import-lines" disabled={busy || !preview || preview.accepted === 0} onClick={() => void apply()}>
            {preview ? `导入 ${preview.accepted} 行` : '导入'}
          </button>
        </>
      }
    >
      <p className="muted">
        工作簿应按“导出明细模板”的格式填写：每行一条明细，列为单位、功能分类编码、经济分类编码、支出类型、项目编码、资金来源、金额、备注。
      </p>
      <div className="sub-folder">
        <button type="button" data-action="pick-lines-file" disabled={busy} onClick={() => void choose()}>选择 .xlsx 文件…</button>
        <span className={source ? 'path' : 'muted'}>{source ? source.name : '尚未选择'}</span>
        <HiddenFileInput inputRef={fileInput} accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" testId="import-lines-file" onFile={(f) => void fromFile(f)} />
      </div>
      <fieldset className="sub-mode" disabled={busy}>
        <legend>导入方式</legend>
        <label>
          <input
            type="radio"
            name="import-mode"
            checked={mode === 'append'}
            onChange={() => {
              setMode('append');
              if (source) void check(source, 'append');
            }}
          />
          追加到现有明细之后
        </label>
        <label>
          <input
            type="radio"
            name="import-mode"
            checked={mode === 'replace'}
            onChange={() => {
              setMode('replace');
              if (source) void check(source, 'replace');
            }}
          />
          替换全部现有明细
        </label>
      </fieldset>
      {busy && !preview ? <p className="muted">正在检查工作簿…</p> : null}
      {problem ? <ProblemBox testId="import-lines-error" problem={problem} /> : null}
      {preview ? (
        <div data-testid="import-lines-preview">
          <p>
            工作表“{preview.sheet}”（金额单位 {preview.amountUnit}）：<b>{preview.accepted}</b> 行可以导入
            {rejectedRows ? (
              <>
                ，<b className="err">{rejectedRows}</b> 行无法读取（不会导入）
              </>
            ) : null}
            {preview.skipped ? `，${preview.skipped} 行合计行已跳过` : ''}。
            {preview.mode === 'replace' ? ` 将先删除现有的 ${preview.replacing} 行明细。` : ''}
            {preview.undoable ? ' 导入作为一步操作，可用“撤销”撤回。' : ' 注意：导入后不能撤销。'}
          </p>
          {preview.rejected.length ? (
            <div className="sub-scroll short">
              <table className="plain" data-testid="import-lines-rejected">
                <thead>
                  <tr>
                    <th>行</th>
                    <th>列</th>
                    <th>原因</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.rejected.slice(0, 500).map((r, k) => (
                    <tr key={k}>
                      <td>第 {r.row} 行</td>
                      <td>{r.column ? `${r.column}${r.cell ? `（${r.cell}）` : ''}` : '—'}</td>
                      <td>{r.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </div>
      ) : null}
    </Modal>
  );
}
