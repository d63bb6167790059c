// 打印 / 导出 Excel / 导出 PDF for the table on screen (预算公开表). The files are written by the host from the
// same printed grid as the 上报 package's (core/tables/layout.ts); printing prints the page's table alone.
import { useState } from 'react';
import type { AmountUnitCode } from '../api/contract.js';
import { call, errorMessage, hostKind } from './api.js';
import { downloadBase64, XLSX_TYPE } from './submission/files.js';
import type { ShowToast } from './toast.js';

const PDF_TYPE = 'application/pdf';

export function TableExport({
  table,
  title,
  displayUnit,
  ownOnly,
  toast,
}: {
  /** The table's id on screen: "T03", or "T11:P05" for one project's form. */
  table: string;
  title: string;
  displayUnit: AmountUnitCode;
  ownOnly: boolean;
  toast: ShowToast;
}) {
  const [busy, setBusy] = useState<'xlsx' | 'pdf' | null>(null);
  const desktop = hostKind() === 'electron';

  const save = async (format: 'xlsx' | 'pdf') => {
    setBusy(format);
    try {
      if (desktop) {
        const suggested = `${table.replace(':', '_')}_${title}.${format}`;
        const chosen = await call('submission.choose', { kind: 'table-file', suggested });
        if (!chosen.path) return;
        const r = await call('submission.tableFile', { table, format, displayUnit, ownOnly, path: chosen.path });
        toast(`已导出：${r.path}`, 'success');
        return;
      }
      const r = await call('submission.tableFile', { table, format, displayUnit, ownOnly });
      downloadBase64(r.base64!, r.fileName, format === 'xlsx' ? XLSX_TYPE : PDF_TYPE);
      toast(`已导出“${r.fileName}”`, 'success');
    } catch (err) {
      toast(errorMessage(err), 'error');
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="table-actions" data-testid="table-actions">
      <button type="button" data-action="print-table" onClick={() => window.print()} title="打印本表（与上报数据包中的版式相同）">
        打印
      </button>
      <button type="button" data-action="export-table-xlsx" disabled={busy !== null} onClick={() => void save('xlsx')}>
        {busy === 'xlsx' ? '正在导出…' : '导出 Excel'}
      </button>
      <button type="button" data-action="export-table-pdf" disabled={busy !== null} onClick={() => void save('pdf')}>
        {busy === 'pdf' ? '正在导出…' : '导出 PDF'}
      </button>
    </div>
  );
}
