// 导入科目代码表: loads a year's official 功能分类 / 经济分类 list from a CSV file into the budget file. The
// file is checked whole: either every code is stored, or every problem is listed by line and nothing is.
import { useState } from 'react';
import type { ApiError, CodeListImportResult } from '../api/contract.js';
import { ApiCallError, call, errorMessage } from './api.js';
import { Modal } from './dialogs.js';

type Kind = 'functional' | 'economic';

/**
 * The text of a CSV file: UTF-8 (with or without BOM) as the reference lists are; a file saved by Excel or WPS
 * as “CSV（逗号分隔）” on a Chinese system is GB18030, which is read as such rather than as mojibake.
 */
export async function readCsvFile(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

export function CodeListDialog({
  fiscalYear,
  onClose,
  onImported,
}: {
  fiscalYear: number;
  onClose(): void;
  onImported(result: CodeListImportResult): void;
}) {
  const [kind, setKind] = useState<Kind>('functional');
  const [year, setYear] = useState(String(fiscalYear));
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<CodeListImportResult | null>(null);
  const [error, setError] = useState<{ message: string; issues: NonNullable<ApiError['issues']> } | null>(null);

  const submit = async () => {
    setError(null);
    setResult(null);
    if (!file) return setError({ message: '请选择科目代码表文件（.csv）', issues: [] });
    if (!/^\d{4}$/.test(year.trim())) return setError({ message: '年度应为四位年份，如 2026', issues: [] });
    setBusy(true);
    try {
      const csvText = await readCsvFile(file);
      const r = await call('codes.import', { kind, year: Number.parseInt(year.trim(), 10), csvText });
      setResult(r);
      onImported(r);
    } catch (err) {
      setError({ message: errorMessage(err), issues: err instanceof ApiCallError ? (err.issues ?? []) : [] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title="导入科目代码表"
      onClose={onClose}
      footer={
        result ? (
          <button type="button" className="primary" onClick={onClose}>完成</button>
        ) : (
          <>
            <button type="button" onClick={onClose}>取消</button>
            <button type="button" className="primary" disabled={busy} onClick={() => void submit()}>导入</button>
          </>
        )
      }
    >
      <p className="muted">
        载入财政部门发布的当年科目代码表：新增的科目加入，名称有变的科目按新表更正，已有的科目不会删除。文件为 CSV，
        首行为 code,name,level,parent_code（编码、名称、级次 类/款/项、上级编码）；功能分类表可再加 budget 列（所属预算：一般公共预算、政府性基金预算、国有资本经营预算，留空为同上级科目）。
      </p>
      <div className="form-grid">
        <label>
          科目表
          <select aria-label="科目表类型" value={kind} onChange={(e) => setKind(e.target.value as Kind)} disabled={busy || !!result}>
            <option value="functional">功能分类（支出功能分类科目）</option>
            <option value="economic">经济分类（部门预算支出经济分类科目）</option>
          </select>
        </label>
        <label>
          年度
          <input aria-label="科目表年度" value={year} onChange={(e) => setYear(e.target.value)} inputMode="numeric" disabled={busy || !!result} />
        </label>
      </div>
      <label className="wide">
        文件
        <input
          type="file"
          accept=".csv,text/csv"
          data-testid="code-list-file"
          disabled={busy || !!result}
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setError(null);
          }}
        />
      </label>
      {result ? (
        <div className="form-ok" role="status" data-testid="code-list-result">
          {result.message}
        </div>
      ) : null}
      {error ? (
        <div className="form-error" role="alert" data-testid="code-list-error">
          <div>{error.message}</div>
          {error.issues.length ? (
            <table className="plain code-list-problems">
              <thead>
                <tr>
                  <th>位置</th>
                  <th>问题</th>
                </tr>
              </thead>
              <tbody>
                {error.issues.map((i, k) => (
                  <tr key={k}>
                    <td>{i.path}</td>
                    <td>{i.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ) : null}
    </Modal>
  );
}
