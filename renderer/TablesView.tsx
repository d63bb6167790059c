// 预算公开表: the eleven tables in their published layout (merged headers, 类/款/项 rows, 万元 with one
// decimal and blank zeros), refreshed whenever the lines change. Clicking a figure lists the lines behind it.
import { TableExport } from './TableExport.js';
import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import type { AmountUnitCode, FormatsInfo, LineField, NameBook, LineRow, TableView, TablesReport } from '../api/contract.js';
import { ApiCallError, call, errorMessage } from './api.js';
import { convertExact, formatExact } from './amounts.js';
import type { ShowToast } from './toast.js';

interface Props {
  revision: number;
  displayUnit: AmountUnitCode;
  budgetUnit: AmountUnitCode;
  /** Id of the table shown ("T03", or "T11:P01" for one project's sheet). */
  selected: string;
  onSelect(id: string): void;
  onPickLine(id: number, field?: LineField): void;
  toast: ShowToast;
  /**
   * Set when the file holds received unit packages (a key that changes with them): the tables show the
   * consolidated department (汇总), with a switch to 仅本级.
   */
  consolidation?: string;
}

interface Behind {
  title: string;
  total: string;
  lines: LineRow[];
  names: NameBook;
}

const KIND_TEXT: Record<string, string> = { basic: '基本支出', project: '项目支出' };

export function TablesView({ revision, displayUnit, budgetUnit, selected, onSelect, onPickLine, toast, consolidation }: Props) {
  const [ownOnly, setOwnOnly] = useState(false);
  const consolidated = consolidation !== undefined && !ownOnly;
  const [report, setReport] = useState<TablesReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [behind, setBehind] = useState<Behind | null>(null);
  const [changed, setChanged] = useState<Set<string>>(new Set());
  const previous = useRef<Map<string, string> | null>(null);
  const [formats, setFormats] = useState<FormatsInfo | null>(null);
  const [formatRevision, setFormatRevision] = useState(0);
  const formatFile = useRef<HTMLInputElement>(null);
  const [formatError, setFormatError] = useState<{ message: string; issues: string[] } | null>(null);

  useEffect(() => {
    let live = true;
    call('formats.list', {})
      .then((f) => live && setFormats(f))
      .catch(() => live && setFormats(null));
    return () => {
      live = false;
    };
  }, [revision, formatRevision]);

  const chooseFormat = async (id: string) => {
    try {
      setFormats(await call('formats.choose', { id }));
      setFormatRevision((n) => n + 1);
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };

  const importFormat = async (file: File) => {
    try {
      const r = await call('formats.import', { text: await file.text() });
      setFormats(r);
      setFormatError(null);
      toast(r.message, 'success');
    } catch (err) {
      // Every problem of the file, each with where it is.
      const issues = err instanceof ApiCallError ? (err.issues ?? []).map((i) => `${i.path}：${i.message}`) : [];
      setFormatError({ message: errorMessage(err), issues });
    }
  };

  useEffect(() => {
    let live = true;
    (consolidated ? call('submission.tables', { displayUnit }) : call('reports.tables', { displayUnit }))
      .then((r) => {
        if (!live) return;
        // Cells whose printed text changed since the last look are highlighted briefly.
        const texts = new Map<string, string>();
        for (const t of r.tables) for (const row of t.rows) for (const c of row.cells) if (c.row && c.column) texts.set(`${t.id}|${c.row}|${c.column}`, c.text);
        const prev = previous.current;
        const diff = new Set<string>();
        if (prev) for (const [k, v] of texts) if (prev.has(k) && prev.get(k) !== v) diff.add(k);
        previous.current = texts;
        setChanged(diff);
        setReport(r);
        setError(null);
      })
      .catch((err: unknown) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [revision, displayUnit, consolidated, consolidation, formatRevision]);

  useEffect(() => {
    if (changed.size === 0) return;
    const t = window.setTimeout(() => setChanged(new Set()), 2500);
    return () => window.clearTimeout(t);
  }, [changed]);

  const view = useMemo(
    () => report?.tables.find((t) => t.id === selected) ?? report?.tables.find((t) => t.table === selected) ?? report?.tables[0],
    [report, selected],
  );
  const projects = useMemo(() => report?.tables.filter((t) => t.table === 'T11') ?? [], [report]);
  const mainTables = useMemo(() => report?.tables.filter((t) => t.table !== 'T11') ?? [], [report]);

  const drill = async (t: TableView, row: string, column: string) => {
    try {
      const r = await call('reports.linesBehind', { table: t.table, row, column });
      setBehind(r);
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };

  if (error) return <div className="empty-state error">{error}</div>;
  if (!report || !view) return <div className="empty-state">正在计算预算公开表…</div>;

  return (
    <div className="tables-view">
      <aside className="table-list" aria-label="表格列表">
        {formats ? (
          <div className="format-choice" data-testid="format-choice">
            <label>
              公开表格式
              <select value={formats.current} onChange={(e) => void chooseFormat(e.target.value)} data-testid="format-select">
                {formats.formats.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.name}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="link" onClick={() => formatFile.current?.click()}>
              导入公开表格式…
            </button>
            <input
              ref={formatFile}
              type="file"
              accept=".json,application/json"
              hidden
              data-testid="format-file"
              onChange={(e) => {
                const f = e.target.files?.[0];
                e.target.value = '';
                if (f) void importFormat(f);
              }}
            />
            {formatError ? (
              <div className="format-error" role="alert" data-testid="format-error">
                <b>{formatError.message}</b>
                <ul>
                  {formatError.issues.map((i) => (
                    <li key={i}>{i}</li>
                  ))}
                </ul>
                <button type="button" className="link" onClick={() => setFormatError(null)}>
                  关闭
                </button>
              </div>
            ) : null}
          </div>
        ) : null}
        {consolidation !== undefined ? (
          <div className="sub-consolidation" data-testid="consolidation-switch">
            <label>
              <input type="radio" name="tables-scope" checked={!ownOnly} onChange={() => setOwnOnly(false)} />
              汇总（本级＋下属单位）
            </label>
            <label>
              <input type="radio" name="tables-scope" checked={ownOnly} onChange={() => setOwnOnly(true)} />
              仅本级
            </label>
          </div>
        ) : null}
        {mainTables.map((t) => (
          <button key={t.id} type="button" className={t.id === view.id ? 'active' : ''} data-table={t.id} onClick={() => onSelect(t.id)}>
            <span className="tid">{t.id}</span>
            <span className="tname">{shortTitle(t)}</span>
          </button>
        ))}
        {projects.length ? (
          <div className="table-group">
            <div className="group-label">
              <span className="tid">T11</span> 项目支出绩效目标表
            </div>
            {projects.map((t) => (
              <button key={t.id} type="button" className={t.id === view.id ? 'active sub' : 'sub'} data-table={t.id} onClick={() => onSelect(t.id)}>
                {t.subtitle[t.subtitle.length - 1]}
              </button>
            ))}
          </div>
        ) : null}
      </aside>
      <section className="table-paper" data-testid={`table-${view.id}`}>
        <TableExport table={view.id} title={view.title} displayUnit={displayUnit} ownOnly={ownOnly} toast={toast} />
        <h2 className="table-title">{view.title}</h2>
        {view.subtitle.length || view.unitLabel ? (
          <div className="table-caption">
            <span>{view.subtitle.join('　')}</span>
            <span>{view.unitLabel}</span>
          </div>
        ) : null}
        <PublishedTable key={view.id} view={view} changed={changed} onDrill={(row, column) => void drill(view, row, column)} />
        {view.emptyNote ? <p className="empty-note">{view.emptyNote}</p> : null}
        {view.note ? <p className="table-note">{view.note}</p> : null}
      </section>
      {behind ? (
        <section className="behind-panel" data-testid="lines-behind">
          <header>
            <b>{behind.title}</b>
            <span>
              共 {behind.lines.length} 行，合计 {formatExact(convertExact(behind.total, budgetUnit, displayUnit), 2)} {displayUnit}
            </span>
            <button type="button" className="link" onClick={() => setBehind(null)}>关闭</button>
          </header>
          <div className="behind-scroll">
            <table className="plain">
              <thead>
                <tr>
                  <th>单位</th>
                  <th>功能分类</th>
                  <th>经济分类</th>
                  <th>支出类型</th>
                  <th>项目</th>
                  <th>资金来源</th>
                  <th className="num">金额（{displayUnit}）</th>
                </tr>
              </thead>
              <tbody>
                {behind.lines.map((l) => (
                  <tr key={l.id} className="clickable" onClick={() => onPickLine(l.id, 'amount')} title="在预算明细中定位此行">
                    <td>{behind.names.units[l.unit] ?? l.unit}</td>
                    <td>
                      {l.functional} {behind.names.functional[l.functional]}
                    </td>
                    <td>
                      {l.economic} {behind.names.economic[l.economic]}
                    </td>
                    <td>{KIND_TEXT[l.kind]}</td>
                    <td>{l.project ? `${l.project} ${behind.names.projects[l.project] ?? ''}` : ''}</td>
                    <td>{behind.names.funds[l.fund] ?? l.fund}</td>
                    <td className="num">{formatExact(convertExact(l.amount, budgetUnit, displayUnit), 2)}</td>
                  </tr>
                ))}
                {behind.lines.length === 0 ? (
                  <tr>
                    <td colSpan={7} className="muted">
                      这个数字后面没有预算行（例如收入按资金来源填报的数字）
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </div>
  );
}

function shortTitle(t: TableView): string {
  return t.title.replace(/^\d{4}\s*年/, '').replace(/^.*?(整体绩效目标表)$/, '部门（单位）$1');
}

function PublishedTable({ view, changed, onDrill }: { view: TableView; changed: Set<string>; onDrill(row: string, column: string): void }) {
  const align = view.align ?? [];
  return (
    <table className={`published ${view.header.length ? '' : 'form'}`}>
      {view.widths ? (
        <colgroup>
          {view.widths.map((w, i) => (
            <col key={i} style={{ width: `${w}%` }} />
          ))}
        </colgroup>
      ) : null}
      {view.header.length ? (
        <thead>
          {view.header.map((cells, i) => (
            <tr key={i}>
              {cells.map((c, j) => (
                <th key={j} colSpan={c.colSpan} rowSpan={c.rowSpan}>
                  {c.text}
                </th>
              ))}
            </tr>
          ))}
        </thead>
      ) : null}
      <tbody>
        {view.rows.map((row, i) => {
          let col = 0;
          return (
            <tr key={`${i}:${row.key ?? ''}`} className={`k-${row.kind ?? 'plain'}`} data-row={row.key}>
              {row.cells.map((c, j) => {
                const a = align[col] ?? 'left';
                col += c.colSpan ?? 1;
                const amountish = c.column !== undefined;
                const key = `${view.id}|${c.row}|${c.column}`;
                const classes = [amountish || (a === 'right' && row.kind === 'number') ? 'num' : '', c.drillable ? 'drill' : '', c.strong ? 'strong' : '', amountish && changed.has(key) ? 'changed' : '']
                  .filter(Boolean)
                  .join(' ');
                return (
                  <Fragment key={j}>
                    <td
                      colSpan={c.colSpan}
                      rowSpan={c.rowSpan}
                      className={classes || undefined}
                      data-row={c.row}
                      data-column={c.column}
                      title={c.drillable && c.exact !== null ? `精确值：${c.exact}，点击查看明细` : undefined}
                      onClick={c.drillable && c.row && c.column ? () => onDrill(c.row!, c.column!) : undefined}
                    >
                      {c.text}
                    </td>
                  </Fragment>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
