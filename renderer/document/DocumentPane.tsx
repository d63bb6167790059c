// 预算说明: the drafted disclosure document beside the parts the user writes. The preview is drafted by the
// service from the live table engine, so an edit in the grid changes its sentences the next time it is shown;
// figures are marked, parts still to be written are shown as placeholders (never printed).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DocFieldView, DocumentView, PriorFunctionalView } from '../../api/document.js';
import { PRIOR_ITEM_FIELDS, PRIOR_ITEM_LABELS, PRIOR_SCALAR_FIELDS, PRIOR_SCALAR_LABELS, PRIOR_UPLOAD_MAX_BYTES } from '../../api/document.js';
import { call, errorMessage } from '../api.js';
import { HiddenFileInput } from '../dialogs.js';
import { downloadBase64, fileToBase64 } from '../submission/files.js';
import { trackSave } from '../save-state.js';
import { DocChart } from './DocChart.js';
import type { ShowToast } from '../toast.js';
import './document.css';

interface Props {
  revision: number;
  readOnly: boolean;
  /** Texts or 上年数 changed: the frame refreshes its 审核 counts. */
  onChanged(): void;
  toast: ShowToast;
}

const GROUPS: { title: string; keys: string[] }[] = [
  { title: '第一部分 部门概况', keys: ['shortName', 'preamble', 'duties'] },
  { title: '增减的主要原因', keys: ['reason.total', 'reason.appropriation', 'reason.threePublic'] },
  { title: '“三公”经费与机关运行经费', keys: ['usage.abroad', 'usage.reception', 'usage.vehicle', 'operatingCost.usage', 'operatingCost.unitType'] },
  { title: '国有资产与专项转移支付', keys: ['assets.officialVehicles', 'assets.lawVehicles', 'assets.otherVehicles', 'assets.generalEquipment', 'assets.specialEquipment', 'transfer.count', 'transfer.text'] },
  { title: '固定表述', keys: ['economic', 'performance', 'definitions', 'date'] },
];

function FieldEditor({ field, readOnly, onSave }: { field: DocFieldView; readOnly: boolean; onSave(key: string, value: string | null): Promise<void> }) {
  const [value, setValue] = useState(field.value);
  useEffect(() => setValue(field.value), [field.value]);
  const commit = () => {
    if (value !== field.value) void onSave(field.key, value);
  };
  const id = `doc-field-${field.key}`;
  return (
    <div className="doc-field">
      <label htmlFor={id}>
        {field.label}
        {field.typed && field.kind !== 'count' ? (
          <button type="button" className="link" disabled={readOnly} onClick={() => void onSave(field.key, null)} title="删除手工填写的内容，恢复自动生成的文字">
            恢复默认
          </button>
        ) : null}
      </label>
      {field.kind === 'paragraphs' ? (
        <textarea id={id} data-field={field.key} rows={Math.min(8, Math.max(3, value.split('\n').length + 1))} value={value} disabled={readOnly} onChange={(e) => setValue(e.target.value)} onBlur={commit} />
      ) : (
        <input
          id={id}
          data-field={field.key}
          type="text"
          inputMode={field.kind === 'count' ? 'numeric' : undefined}
          value={value}
          disabled={readOnly}
          onChange={(e) => setValue(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
        />
      )}
      {field.hint ? <div className="hint">{field.hint}</div> : null}
    </div>
  );
}

type PriorInput = { amounts: Record<string, string>; items: Record<string, string>; functional: Record<string, string> };

/** 上年数: totals and 三公 items, and last year's figure per 功能分类 类/款/项 beside this year's. */
function PriorEditor({
  view,
  functional,
  readOnly,
  onSave,
  onImport,
}: {
  view: DocumentView;
  functional: PriorFunctionalView | null;
  readOnly: boolean;
  onSave(input: PriorInput): Promise<void>;
  onImport(file: File): Promise<void>;
}) {
  const [amounts, setAmounts] = useState(view.prior.amounts as Record<string, string>);
  const [items, setItems] = useState(view.prior.items as Record<string, string>);
  const shownFunctional = useMemo(() => Object.fromEntries((functional?.rows ?? []).map((r) => [r.code, r.prior ?? ''])), [functional]);
  const [codes, setCodes] = useState<Record<string, string>>(shownFunctional);
  const fileInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    setAmounts(view.prior.amounts);
    setItems(view.prior.items);
  }, [view.prior]);
  useEffect(() => setCodes(shownFunctional), [shownFunctional]);
  const changedCodes = Object.fromEntries(Object.entries(codes).filter(([c, v]) => v !== (shownFunctional[c] ?? '')));
  const changed =
    PRIOR_SCALAR_FIELDS.some((k) => amounts[k] !== view.prior.amounts[k]) ||
    PRIOR_ITEM_FIELDS.some((k) => items[k] !== view.prior.items[k]) ||
    Object.keys(changedCodes).length > 0;
  return (
    <div className="doc-prior" data-testid="prior-editor">
      <div className="doc-prior-import">
        <button type="button" disabled={readOnly} onClick={() => fileInput.current?.click()} title="从上年的预算交换文件（.json）或上报数据包（.zip）取上年数，替换现有上年数（可撤销）">
          导入上年数据…
        </button>
        <HiddenFileInput inputRef={fileInput} accept=".json,.zip,application/json,application/zip" testId="prior-import-file" onFile={(f) => void onImport(f)} />
      </div>
      <div className="doc-prior-grid">
        {PRIOR_SCALAR_FIELDS.map((k) => (
          <label key={k}>
            <span>{PRIOR_SCALAR_LABELS[k]}</span>
            <input type="text" inputMode="decimal" data-prior={k} value={amounts[k] ?? ''} disabled={readOnly} onChange={(e) => setAmounts({ ...amounts, [k]: e.target.value })} />
          </label>
        ))}
        {PRIOR_ITEM_FIELDS.map((k) => (
          <label key={k}>
            <span>{PRIOR_ITEM_LABELS[k]}</span>
            <input type="text" inputMode="decimal" data-prior-item={k} value={items[k] ?? ''} disabled={readOnly} onChange={(e) => setItems({ ...items, [k]: e.target.value })} />
          </label>
        ))}
      </div>
      {functional && functional.rows.length > 0 ? (
        <table className="doc-prior-codes" data-testid="prior-functional">
          <thead>
            <tr>
              <th>功能分类科目</th>
              <th>{functional.priorYear + 1}年</th>
              <th>{functional.priorYear}年</th>
            </tr>
          </thead>
          <tbody>
            {functional.rows.map((r) => (
              <tr key={r.code} className={`level-${r.code.length}`}>
                <td title={r.code}>
                  {r.code} {r.name}
                </td>
                <td className="num">{r.current}</td>
                <td>
                  <input
                    type="text"
                    inputMode="decimal"
                    aria-label={`${r.code} ${r.name} ${functional.priorYear}年`}
                    data-prior-code={r.code}
                    value={codes[r.code] ?? ''}
                    disabled={readOnly}
                    onChange={(e) => setCodes({ ...codes, [r.code]: e.target.value })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="doc-prior-foot">
        <span className="muted">
          单位：{view.unit}；已有功能分类 {view.prior.functionalCodes} 个科目、经济分类 {view.prior.economicCodes} 个科目的上年数
        </span>
        <button type="button" className="primary" disabled={readOnly || !changed} onClick={() => void onSave({ amounts, items, functional: changedCodes })}>
          保存上年数
        </button>
      </div>
    </div>
  );
}

export function DocumentPane({ revision, readOnly, onChanged, toast }: Props) {
  const [view, setView] = useState<DocumentView | null>(null);
  const [functional, setFunctional] = useState<PriorFunctionalView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [figure, setFigure] = useState<string | null>(null);
  const [typed, setTyped] = useState('');

  useEffect(() => {
    let live = true;
    Promise.all([call('document.view', {}), call('document.priorFunctional', {})])
      .then(([v, f]) => live && (setView(v), setFunctional(f), setError(null)))
      .catch((err: unknown) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [revision]);

  const saveText = useCallback(
    async (key: string, value: string | null) => {
      try {
        setView(await trackSave(call('document.saveTexts', { texts: [{ key, value }] })));
        onChanged();
      } catch (err) {
        toast(errorMessage(err), 'error', 10000);
      }
    },
    [onChanged, toast],
  );

  const savePrior = useCallback(
    async (input: PriorInput) => {
      try {
        setView(await trackSave(call('document.savePrior', input)));
        setFunctional(await call('document.priorFunctional', {}));
        onChanged();
        toast('已保存上年数', 'success');
      } catch (err) {
        toast(errorMessage(err), 'error', 10000);
      }
    },
    [onChanged, toast],
  );

  const importPrior = useCallback(
    async (file: File) => {
      try {
        if (file.size > PRIOR_UPLOAD_MAX_BYTES) throw new Error(`文件“${file.name}”过大，不是上年的预算交换文件或上报数据包`);
        const r = await trackSave(call('document.importPrior', { upload: { fileName: file.name, base64: await fileToBase64(file) } }));
        setView(r.view);
        setFunctional(await call('document.priorFunctional', {}));
        onChanged();
        toast(r.message, 'success', 10000);
      } catch (err) {
        toast(errorMessage(err), 'error', 15000);
      }
    },
    [onChanged, toast],
  );

  const download = async (format: 'docx' | 'pdf') => {
    try {
      const f = await call('document.file', { format });
      downloadBase64(f.base64, f.fileName, f.mimeType);
      toast(`已生成“${f.fileName}”`, 'success');
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };

  const fieldsByKey = useMemo(() => new Map((view?.fields ?? []).map((f) => [f.key, f])), [view]);
  const selected = view?.figures.find((f) => f.id === figure) ?? null;
  useEffect(() => setTyped(selected?.typed ?? ''), [selected?.id, selected?.typed]);

  if (error) return <div className="empty-state error">{error}</div>;
  if (!view) return <div className="empty-state">正在生成预算说明…</div>;

  return (
    <div className="doc-pane">
      <aside className="doc-editor" aria-label="预算说明填写">
        <div className="doc-actions">
          <button type="button" onClick={() => void download('docx')}>下载 Word（.docx）</button>
          <button type="button" onClick={() => void download('pdf')}>下载 PDF</button>
        </div>
        {view.disagreements.length + view.problems.length > 0 ? (
          <div className="doc-findings" role="alert" data-testid="doc-findings">
            {view.disagreements.map((d) => (
              <div key={d.figure}>
                “{d.label}”手工填写为 {d.typed}
                {d.unit}，按预算应为 {d.computed}
                {d.unit}
              </div>
            ))}
            {view.problems.map((p) => (
              <div key={p}>{p}</div>
            ))}
          </div>
        ) : null}
        {selected ? (
          <div className="doc-figure-editor" data-testid="figure-editor">
            <div>
              <b>{selected.label}</b>：按预算为 {selected.computed}
              {selected.unit}
            </div>
            <label>
              手工填写
              <input type="text" value={typed} disabled={readOnly} onChange={(e) => setTyped(e.target.value)} placeholder="留空则使用预算数" />
            </label>
            <button type="button" disabled={readOnly} onClick={() => void saveText(`figure:${selected.id}`, typed.trim() === '' ? null : typed)}>
              保存
            </button>
            <button type="button" onClick={() => setFigure(null)}>关闭</button>
          </div>
        ) : (
          <p className="hint">预览中带底色的数字由预算自动计算，随预算明细的修改即时更新；点击数字可查看或手工填写（与预算不一致时审核报错）。</p>
        )}
        <details className="doc-group">
          <summary>上年数（与上年对比）</summary>
          <PriorEditor view={view} functional={functional} readOnly={readOnly} onSave={savePrior} onImport={importPrior} />
        </details>
        {GROUPS.map((g) => (
          <details className="doc-group" key={g.title} open={g.title !== '固定表述'}>
            <summary>{g.title}</summary>
            {g.keys.map((k) => {
              const f = fieldsByKey.get(k);
              return f ? <FieldEditor key={k} field={f} readOnly={readOnly} onSave={saveText} /> : null;
            })}
          </details>
        ))}
      </aside>
      <article className="doc-preview" data-testid="doc-preview" aria-label="预算说明预览">
        {view.paragraphs.map((p, i) => {
          const chart = p.kind === 'chart' ? view.charts.find((c) => c.id === p.chart) : undefined;
          if (chart) return <DocChart key={`chart-${chart.id}`} chart={chart} />;
          return (
            <p key={i} className={`doc-p doc-${p.kind}`} data-section={p.section}>
              {p.runs.map((r, j) =>
                r.figure ? (
                  <span
                    key={j}
                    className={view.disagreements.some((d) => d.figure === r.figure) ? 'doc-figure doc-disagrees' : 'doc-figure'}
                    data-figure={r.figure}
                    title={view.figures.find((f) => f.id === r.figure)?.label}
                    onClick={() => setFigure(r.figure!)}
                  >
                    {r.text}
                  </span>
                ) : r.missing ? (
                  <span key={j} className="doc-missing" data-field={r.field}>
                    {r.text}
                  </span>
                ) : r.field ? (
                  <span key={j} className="doc-user" data-field={r.field}>
                    {r.text}
                  </span>
                ) : (
                  <span key={j}>{r.text}</span>
                ),
              )}
            </p>
          );
        })}
        <p className="doc-p doc-list muted">（附件各表见“预算公开表”，下载的 Word 与 PDF 中附在说明之后。）</p>
      </article>
    </div>
  );
}
