// 预算公开表: the tables in their published layout (merged headers, 类/款/项 rows, 万元 with one decimal and
// blank zeros), refreshed whenever the lines change. Clicking a figure lists the lines behind it.
//
// Only the table on screen is asked for, a window of rows at a time (reports.window): a long table (T03 of a
// department of 100 units has 10,000 rows) shows only the rows in view, under its header, which stays put;
// the host lays the table out once with the one print layout and keeps it until the table changes. Search in
// the table (code or name) jumps to the row. Short tables and tables whose cells span rows are shown whole.
import { Fragment, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AmountUnitCode, FormatsInfo, LineField, NameBook, LineRow, TableRow, TableView, TablesReport } from '../api/contract.js';
import type { TableFind, TableIndex, TableIndexEntry, TableWindow } from '../api/browse.js';
import { TableExport } from './TableExport.js';
import { ApiCallError, call, errorMessage } from './api.js';
import { convertExact, formatExact } from './amounts.js';
import type { ShowToast } from './toast.js';
import { BlockCache, useRowWindow } from './virtual.js';

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
/** Rows per window asked of the host. */
const BLOCK = 200;
/** Tables with at most this many rows are shown whole, as printed. */
const WHOLE = BLOCK;
/** Project sheets listed at once in the table list (the rest are found by typing). */
const SHEETS_LISTED = 200;

/** What the table on screen is drawn from: the host's windows of the budget's tables, or a report held whole. */
interface Source {
  key: string;
  first(): Promise<TableWindow>;
  rows(offset: number, limit: number): Promise<TableRow[]>;
  find(query: string): Promise<TableFind>;
}

function hostSource(id: string, displayUnit: AmountUnitCode, revision: string): Source {
  return {
    key: `host|${id}|${displayUnit}|${revision}`,
    first: () => call('reports.window', { id, displayUnit, offset: 0, limit: BLOCK }),
    rows: (offset, limit) => call('reports.window', { id, displayUnit, offset, limit }).then((w) => w.rows),
    find: (query) => call('reports.find', { id, displayUnit, query }),
  };
}

/** A table of a report held whole (the consolidated department's): windows are slices of it. */
function wholeSource(view: TableView, key: string): Source {
  const window: TableWindow = {
    ...view,
    align: view.align ?? [],
    columnWidths: [],
    rowCount: view.rows.length,
    rowSpans: true,
    offset: 0,
  };
  return {
    key: `whole|${view.id}|${key}`,
    first: () => Promise.resolve(window),
    rows: (offset, limit) => Promise.resolve(view.rows.slice(offset, offset + limit)),
    find: (query) => {
      const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
      const rows: number[] = [];
      if (words.length)
        view.rows.forEach((r, i) => {
          if (r.kind === 'number') return;
          const texts = r.cells.filter((c) => c.exact === null && c.column === undefined && c.text !== '').map((c) => c.text);
          const text = `${texts.join(' ')} ${texts.join('')}`.toLowerCase();
          if (words.every((w) => text.includes(w))) rows.push(i);
        });
      return Promise.resolve({ rows: rows.slice(0, 1000), total: rows.length });
    },
  };
}

export function TablesView({ revision, displayUnit, budgetUnit, selected, onSelect, onPickLine, toast, consolidation }: Props) {
  const [ownOnly, setOwnOnly] = useState(false);
  const consolidated = consolidation !== undefined && !ownOnly;
  const [index, setIndex] = useState<TableIndex | null>(null);
  const [report, setReport] = useState<TablesReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [behind, setBehind] = useState<Behind | null>(null);
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

  // The list of tables (cheap: no table is laid out for it), or the consolidated report held whole.
  useEffect(() => {
    let live = true;
    const done = (f: () => void) => {
      if (!live) return;
      f();
      setError(null);
    };
    if (consolidated) {
      call('submission.tables', { displayUnit })
        .then((r) => done(() => setReport(r)))
        .catch((err: unknown) => live && setError(errorMessage(err)));
    } else {
      call('reports.index', {})
        .then((r) => done(() => (setIndex(r), setReport(null))))
        .catch((err: unknown) => live && setError(errorMessage(err)));
    }
    return () => {
      live = false;
    };
  }, [revision, displayUnit, consolidated, consolidation, formatRevision]);

  const list = useMemo((): TableIndex | null => {
    if (consolidated) {
      if (!report) return null;
      const entry = (t: TableView): TableIndexEntry => ({ id: t.id, table: t.table, title: t.table === 'T11' ? (t.subtitle[t.subtitle.length - 1] ?? t.id) : t.title });
      const sheets = report.tables.filter((t) => t.table === 'T11').map(entry);
      return {
        tables: report.tables.filter((t) => t.table !== 'T11').map(entry),
        projects: sheets.length ? { id: 'T11', table: 'T11', title: '项目支出绩效目标表', sheets } : null,
      };
    }
    return index;
  }, [consolidated, report, index]);

  // The sheet shown: the one selected, a projects table's first sheet, or the first table.
  const shown = useMemo((): TableIndexEntry | null => {
    if (!list) return null;
    return (
      list.tables.find((t) => t.id === selected) ??
      list.projects?.sheets.find((t) => t.id === selected) ??
      (list.projects && (selected === list.projects.id || selected.startsWith(`${list.projects.id}:`)) ? list.projects.sheets[0] : undefined) ??
      list.tables[0] ??
      null
    );
  }, [list, selected]);

  const source = useMemo((): Source | null => {
    if (!shown) return null;
    if (consolidated) {
      const view = report?.tables.find((t) => t.id === shown.id);
      return view ? wholeSource(view, `${revision}|${displayUnit}|${consolidation ?? ''}`) : null;
    }
    return hostSource(shown.id, displayUnit, `${revision}|${formatRevision}`);
  }, [shown, consolidated, report, displayUnit, revision, formatRevision, consolidation]);

  const drill = async (table: string, row: string, column: string) => {
    try {
      const r = await call('reports.linesBehind', { table, row, column });
      setBehind(r);
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };

  const [sheetFilter, setSheetFilter] = useState('');
  const sheets = useMemo(() => {
    const all = list?.projects?.sheets ?? [];
    const words = sheetFilter.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const matching = words.length ? all.filter((s) => words.every((w) => s.title.toLowerCase().includes(w))) : all;
    return { shown: matching.slice(0, SHEETS_LISTED), more: Math.max(0, matching.length - SHEETS_LISTED), all: all.length };
  }, [list, sheetFilter]);

  if (error) return <div className="empty-state error">{error}</div>;
  if (!list || !shown || !source) return <div className="empty-state">正在读取预算公开表…</div>;

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
        {list.tables.map((t) => (
          <button key={t.id} type="button" className={t.id === shown.id ? 'active' : ''} data-table={t.id} onClick={() => onSelect(t.id)}>
            <span className="tid">{t.id}</span>
            <span className="tname">{shortTitle(t.title)}</span>
          </button>
        ))}
        {list.projects ? (
          <div className="table-group">
            <div className="group-label">
              <span className="tid">{list.projects.id}</span> 项目支出绩效目标表
            </div>
            {sheets.all > SHEETS_LISTED ? (
              <input
                className="sheet-filter"
                type="search"
                placeholder={`在 ${sheets.all} 个项目中查找（编码或名称）`}
                aria-label="查找项目"
                data-testid="sheet-filter"
                value={sheetFilter}
                onChange={(e) => setSheetFilter(e.target.value)}
              />
            ) : null}
            {sheets.shown.map((t) => (
              <button key={t.id} type="button" className={t.id === shown.id ? 'active sub' : 'sub'} data-table={t.id} onClick={() => onSelect(t.id)}>
                {t.title}
              </button>
            ))}
            {sheets.more > 0 ? <div className="muted sheet-more">另有 {sheets.more} 个项目，请输入编码或名称查找</div> : null}
            {sheets.shown.length === 0 ? <div className="muted sheet-more">没有匹配“{sheetFilter.trim()}”的项目</div> : null}
          </div>
        ) : null}
      </aside>
      <SheetView
        key={`${shown.id}|${consolidated ? 'c' : 'o'}`}
        source={source}
        onDrill={(table, row, column) => void drill(table, row, column)}
        actions={<TableExport table={shown.id} title={shown.title} displayUnit={displayUnit} ownOnly={ownOnly} toast={toast} />}
      />
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

function shortTitle(title: string): string {
  return title.replace(/^\d{4}\s*年/, '').replace(/^.*?(整体绩效目标表)$/, '部门（单位）$1');
}

/** Printed cells' text by address, to mark the figures an edit changed. */
type Seen = Map<string, string>;

/** One table: its title block, its header and its rows (a window of them when it is long), and search in it. */
function SheetView({ source, onDrill, actions }: { source: Source; onDrill(table: string, row: string, column: string): void; actions?: ReactNode }) {
  const [frame, setFrame] = useState<TableWindow | null>(null);
  const [whole, setWhole] = useState<TableRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [, setTick] = useState(0);
  const seen = useRef<Seen | null>(null);
  const [changed, setChanged] = useState<Set<string>>(new Set());
  const [found, setFound] = useState<{ query: string; result: TableFind; at: number } | null>(null);
  const [query, setQuery] = useState('');
  const paper = useRef<HTMLElement>(null);
  const body = useRef<HTMLTableSectionElement>(null);
  const head = useRef<HTMLTableSectionElement>(null);

  // Figures whose printed text changed since the last look are marked for a moment.
  const note = useCallback((rows: readonly TableRow[]) => {
    const before = seen.current;
    const next: string[] = [];
    const map = (seen.current ??= new Map());
    for (const r of rows)
      for (const c of r.cells) {
        if (!c.row || !c.column) continue;
        const k = `${c.row}|${c.column}`;
        if (before && before.has(k) && before.get(k) !== c.text) next.push(k);
        map.set(k, c.text);
      }
    if (next.length) setChanged((s) => new Set([...s, ...next]));
  }, []);

  useEffect(() => {
    if (changed.size === 0) return;
    const t = window.setTimeout(() => setChanged(new Set()), 2500);
    return () => window.clearTimeout(t);
  }, [changed]);

  const cache = useMemo(
    () =>
      new BlockCache<TableRow>(
        (offset, limit) =>
          source.rows(offset, limit).then((rows) => {
            note(rows);
            return rows;
          }),
        BLOCK,
        () => setTick((t) => t + 1),
      ),
    [source, note],
  );
  useEffect(() => () => cache.dispose(), [cache]);

  useEffect(() => {
    let live = true;
    source
      .first()
      .then(async (w) => {
        note(w.rows);
        if (w.rowSpans || w.rowCount <= WHOLE) {
          // Shown whole: the rest of a long table whose cells span rows comes in windows of the largest size.
          const rows = [...w.rows];
          while (rows.length < w.rowCount) rows.push(...(await source.rows(rows.length, 2000)));
          if (!live) return;
          setWhole(rows);
        } else {
          cache.put(0, w.rows);
          setWhole(null);
        }
        setFrame(w);
        setError(null);
      })
      .catch((err: unknown) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [source, cache, note]);

  const virtual = frame !== null && whole === null;
  const stickyTop = head.current?.getBoundingClientRect().height ?? 0;
  const win = useRowWindow({ scroller: paper, body, count: frame?.rowCount ?? 0, estimate: 27, stickyTop, enabled: virtual });
  useEffect(() => {
    if (virtual) cache.want(win.start, win.end);
  }, [virtual, cache, win.start, win.end]);

  const jump = (result: TableFind, at: number) => {
    const row = result.rows[at];
    if (row === undefined) return;
    if (virtual) win.scrollToRow(row);
    else body.current?.querySelectorAll('tr')[row]?.scrollIntoView({ block: 'center' });
  };

  const search = async () => {
    const q = query.trim();
    if (!q) return setFound(null);
    if (found && found.query === q && found.result.rows.length > 0) {
      const at = (found.at + 1) % found.result.rows.length;
      setFound({ ...found, at });
      jump(found.result, at);
      return;
    }
    try {
      const result = await source.find(q);
      setFound({ query: q, result, at: 0 });
      jump(result, 0);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  if (error) return <section className="table-paper"><div className="empty-state error">{error}</div></section>;
  if (!frame) return <section className="table-paper"><div className="empty-state">正在计算预算公开表…</div></section>;

  const foundRow = found && found.result.rows.length ? found.result.rows[found.at] : undefined;
  const drill = (row: string, column: string) => onDrill(frame.table, row, column);
  const searchable = frame.header.length > 0;

  return (
    <section className="table-paper" ref={paper} data-testid={`table-${frame.id}`} data-rows={frame.rowCount}>
      <div className="table-tools">
        {searchable ? (
          <div className="table-search">
            <input
              type="search"
              value={query}
              placeholder="在本表中查找：编码或名称，回车查找下一个"
              aria-label="在本表中查找"
              data-testid="table-search"
              onChange={(e) => {
                setQuery(e.target.value);
                setFound(null);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  void search();
                }
              }}
            />
            {found ? (
              <span className="muted" data-testid="table-search-result">
                {found.result.total === 0 ? `没有找到“${found.query}”` : `第 ${found.at + 1} / ${found.result.total} 处`}
              </span>
            ) : null}
          </div>
        ) : (
          <span />
        )}
        {actions ?? null}
      </div>
      <h2 className="table-title">{frame.title}</h2>
      {frame.subtitle.length || frame.unitLabel ? (
        <div className="table-caption">
          <span>{frame.subtitle.join('　')}</span>
          <span>{frame.unitLabel}</span>
        </div>
      ) : null}
      <table className={`published ${frame.header.length ? '' : 'form'} ${virtual ? 'virtual' : ''}`} style={virtual ? { minWidth: `${columnsWidth(frame.columnWidths)}px` } : undefined}>
        {virtual ? (
          <colgroup>
            {frame.columnWidths.map((w, i) => (
              <col key={i} style={{ width: `${columnPx(w)}px` }} />
            ))}
          </colgroup>
        ) : frame.widths ? (
          <colgroup>
            {frame.widths.map((w, i) => (
              <col key={i} style={{ width: `${w}%` }} />
            ))}
          </colgroup>
        ) : null}
        {frame.header.length ? (
          <thead ref={head}>
            {frame.header.map((cells, i) => (
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
        <tbody ref={body}>
          {whole ? (
            whole.map((row, i) => <PrintedRow key={`${i}:${row.key ?? ''}`} row={row} align={frame.align} changed={changed} found={i === foundRow} onDrill={drill} />)
          ) : (
            <>
              {win.padTop > 0 ? <PadRow height={win.padTop} columns={frame.align.length} /> : null}
              {Array.from({ length: win.end - win.start }, (_, k) => {
                const i = win.start + k;
                const row = cache.get(i);
                return row ? (
                  <PrintedRow key={i} index={i} row={row} align={frame.align} changed={changed} found={i === foundRow} onDrill={drill} />
                ) : (
                  <tr key={i} data-vrow={i} className="loading">
                    <td colSpan={frame.align.length}>&nbsp;</td>
                  </tr>
                );
              })}
              {win.padBottom > 0 ? <PadRow height={win.padBottom} columns={frame.align.length} /> : null}
            </>
          )}
        </tbody>
      </table>
      {frame.emptyNote ? <p className="empty-note">{frame.emptyNote}</p> : null}
      {frame.note ? <p className="table-note">{frame.note}</p> : null}
    </section>
  );
}

/** The height of the rows not rendered, above or below those in view. */
function PadRow({ height, columns }: { height: number; columns: number }) {
  return (
    <tr className="pad" aria-hidden>
      <td colSpan={columns} style={{ height: `${height}px` }} />
    </tr>
  );
}

/** Screen pixels of a printed column width in character cells (12.5 px type: a CJK character is 2 cells). */
function columnPx(cells: number): number {
  return Math.round(cells * 7 + 14);
}

function columnsWidth(widths: readonly number[]): number {
  return widths.reduce((a, w) => a + columnPx(w), 0);
}

function PrintedRow({
  row,
  index,
  align,
  changed,
  found,
  onDrill,
}: {
  row: TableRow;
  index?: number;
  align: readonly string[];
  changed: Set<string>;
  found: boolean;
  onDrill(row: string, column: string): void;
}) {
  let col = 0;
  return (
    <tr className={`k-${row.kind ?? 'plain'}${found ? ' found' : ''}`} data-row={row.key} data-vrow={index}>
      {row.cells.map((c, j) => {
        const a = align[col] ?? 'left';
        col += c.colSpan ?? 1;
        const amountish = c.column !== undefined;
        const classes = [
          amountish || (a === 'right' && row.kind === 'number') ? 'num' : '',
          c.drillable ? 'drill' : '',
          c.strong ? 'strong' : '',
          amountish && changed.has(`${c.row}|${c.column}`) ? 'changed' : '',
        ]
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
}
