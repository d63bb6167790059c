// The line grid (预算明细): one row per budget line, with subtotal rows by functional 类/款/项 built from the
// service's subtotals (AG Grid's grouping is not in the community edition) and the total pinned on top.
// Rows are kept in the service's order (functional code, then id) by a hidden sort key, so a change moves
// only the rows it touches. Edits go to the service and come back as small change sets applied as grid
// transactions — the grid never reloads all rows after one edit, which keeps 10,000 lines fluid.
import { forwardRef, useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState, type ReactNode } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type {
  CellClassParams,
  CellKeyDownEvent,
  ColDef,
  IRowNode,
  TextMatcherParams,
  GetRowIdParams,
  GridApi,
  GridReadyEvent,
  RowClassParams,
  SuppressKeyboardEventParams,
  ValueFormatterParams,
  ValueGetterParams,
  ValueSetterParams,
} from 'ag-grid-community';
import {
  LINE_FIELDS,
  LINE_FIELD_LABELS,
  type AmountUnitCode,
  type ChangeSet,
  type LineField,
  type LineRow,
  type NameBook,
  type Subtotal,
  type Totals,
} from '../api/contract.js';
import { call, errorMessage } from './api.js';
import { loadLinePages } from './line-data.js';
import { compareExact, convertExact, formatExact, sumExact } from './amounts.js';
import { BulkEditDialog } from './BulkEditDialog.js';
import { CodePickerEditor, pickerSuppressKeys, type PickerParams } from './editors.js';
import { createKeyboardBuffer } from './keyboard-buffer.js';
import { parseClipboardTable, toClipboardTable } from './clipboard.js';
import { gridTheme, styleNonce } from './theme.js';
import type { ShowToast } from './toast.js';
import { trackSave } from './save-state.js';
import { NewProjectFromLine } from './projects/NewProjectFromLine.js';
import { PRIOR_COLUMNS, priorColumnDefs, priorColumnsRemembered, rememberPriorColumns, type PriorRows } from './prior-columns.js';

/** After an edit that moves its line (a new 功能分类), the cursor goes with the line. */
interface Follow {
  /** The edited line's row key. */
  key: string;
  /** The edited column. */
  column: LineField;
  /** The row shown below the edited line when the edit was made (where Enter moved the cursor). */
  below?: string;
}

export interface LineGridHandle {
  applyChanges(cs: ChangeSet): void;
  selectLine(id: number, field?: LineField): void;
}

interface GridRow {
  key: string;
  sortKey: string;
  type: 'line' | 'subtotal' | 'total';
  line?: LineRow;
  sub?: Subtotal;
  /** Exact amount in the budget unit. */
  amount: string;
  /**
   * Text typed into cells and being saved, by field: shown (marked as pending) until the service answers
   * with the stored line, so a cell shown as settled always holds what the file holds.
   */
  pending?: Partial<Record<LineField, string>>;
}

const KIND_TEXT: Record<string, string> = { basic: '基本支出', project: '项目支出' };
const PICKER_FIELDS = new Set<string>(['unit', 'functional', 'economic', 'project', 'fund']);

function lineKey(id: number): string {
  return `L${id}`;
}

function lineRow(line: LineRow): GridRow {
  // Lines sort after their 项 row ("2010350" < "2010350 ~…") and by id within it.
  return { key: lineKey(line.id), sortKey: `${line.functional} ~${String(line.id).padStart(10, '0')}`, type: 'line', line, amount: line.amount };
}

function subRow(sub: Subtotal): GridRow {
  // A space sorts before every digit, so a 类 row ("201 ") comes before its 款 rows ("20103 ").
  return { key: `S${sub.code}`, sortKey: `${sub.code} `, type: 'subtotal', sub, amount: sub.amount };
}

function totalRow(totals: Totals): GridRow {
  return { key: 'TOTAL', sortKey: '', type: 'total', amount: totals.total };
}

function mergeNames(into: NameBook, from: Partial<NameBook>): void {
  for (const k of Object.keys(from) as (keyof NameBook)[]) Object.assign(into[k], from[k]);
}

const EMPTY_NAMES = (): NameBook => ({ units: {}, functional: {}, economic: {}, projects: {}, funds: {} });

/** The text a line's cell shows (what the filters match and the column sorts by). */
function shownText(row: GridRow, field: LineField, names: NameBook, units: { budget: AmountUnitCode; display: AmountUnitCode }): string {
  const l = row.line;
  if (!l) return '';
  const typed = row.pending?.[field];
  if (typed !== undefined) return typed;
  const named = (code: string | null, book: Record<string, string>) => (code ? `${code} ${book[code] ?? ''}`.trim() : '');
  switch (field) {
    case 'unit':
      return named(l.unit, names.units);
    case 'functional':
      return named(l.functional, names.functional);
    case 'economic':
      return named(l.economic, names.economic);
    case 'kind':
      return KIND_TEXT[l.kind] ?? '';
    case 'project':
      return named(l.project, names.projects);
    case 'fund':
      return names.funds[l.fund] ?? '';
    case 'amount':
      return formatExact(convertExact(l.amount, units.budget, units.display), 2);
    case 'remark':
      return l.remark ?? '';
  }
}

/** A per-column text filter: 小计 and 合计 rows always pass (they follow the lines the filters show). */
function columnTextMatcher(p: TextMatcherParams): boolean {
  if ((p.data as GridRow | undefined)?.type !== 'line') return true;
  // Amounts are matched with or without thousands separators.
  const v = String(p.value ?? '').replace(/,/g, '');
  const f = (p.filterText ?? '').replace(/,/g, '');
  switch (p.filterOption) {
    case 'contains':
      return v.includes(f);
    case 'notContains':
      return !v.includes(f);
    case 'equals':
      return v === f;
    case 'startsWith':
      return v.startsWith(f);
    default:
      return true;
  }
}

interface Props {
  generation: number;
  budgetUnit: AmountUnitCode;
  displayUnit: AmountUnitCode;
  onChanges(cs: ChangeSet): void;
  toast: ShowToast;
  /** The budget is locked after 上报: nothing can be edited (the host refuses anyway). */
  readOnly?: boolean;
  /** More buttons for the toolbar (.xlsx import/export). */
  tools?: ReactNode;
  /** The grid's tab is shown (上年数 typed or imported elsewhere meanwhile are read again). */
  active?: boolean;
}

const READ_ONLY_MESSAGE = '预算已上报并锁定，如需修改请先解锁';

export const LineGrid = forwardRef<LineGridHandle, Props>(function LineGrid({ generation, budgetUnit, displayUnit, onChanges, toast, readOnly = false, tools, active = true }, ref) {
  const apiRef = useRef<GridApi<GridRow> | null>(null);
  const rows = useRef(new Map<string, GridRow>());
  const names = useRef<NameBook>(EMPTY_NAMES());
  const units = useRef({ budget: budgetUnit, display: displayUnit });
  units.current = { budget: budgetUnit, display: displayUnit };
  const refused = useRef(new Set<string>());
  const locked = useRef(readOnly);
  locked.current = readOnly;
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string; action?: { label: string; run(): void } } | null>(null);
  /** 新建项目 offered for text typed in a line's 项目 cell (the picker's last entry, or the refusal's button). */
  const [creating, setCreating] = useState<{ text: string; lineId: number } | null>(null);
  const offerProject = useRef((text: string, lineId: number) => {
    if (locked.current) return toast(READ_ONLY_MESSAGE, 'info');
    setMessage(null);
    setCreating({ text, lineId });
  });
  const [loading, setLoading] = useState(true);
  const [rowCount, setRowCount] = useState(0);
  const [selectedCount, setSelectedCount] = useState(0);
  /** 批量修改 dialog: the lines it changes and the field it starts on. */
  const [bulk, setBulk] = useState<{ ids: number[]; field: LineField } | null>(null);
  /** The search box over every column's shown text (all words must appear). */
  const [search, setSearch] = useState('');
  const searchRef = useRef('');
  const searchBox = useRef<HTMLInputElement>(null);
  /** A filter is on: the lines it shows, and the 小计/合计 of just those lines by row key. */
  const filtered = useRef<{ active: boolean; shown: number; sums: Map<string, string> }>({ active: false, shown: 0, sums: new Map() });
  const [shownCount, setShownCount] = useState<number | null>(null);
  /** The user sorted by a column: lines are listed flat, without 小计 rows. */
  const userSort = useRef(false);
  const [rowData, setRowData] = useState<GridRow[] | null>(null);
  const [pinned, setPinned] = useState<GridRow[]>([]);
  const nonce = useMemo(() => styleNonce(), []);
  /** Keys typed while an editor opens or a line moves wait here (renderer/keyboard-buffer.ts). */
  const keyboard = useMemo(() => createKeyboardBuffer(() => apiRef.current), []);
  /** 上年数 / 增减 columns (renderer/prior-columns.ts): shown or not, and the host's figures by 功能分类 code. */
  const priorShown = useRef(priorColumnsRemembered());
  const [showPrior, setShowPrior] = useState(priorShown.current);
  const priorRows = useRef<PriorRows>(null);
  const priorLoads = useRef(0);
  /** Reads the 上年数 and 增减 again (after every change, so they follow the 小计); the latest answer wins. */
  const loadPrior = useCallback(async () => {
    if (!priorShown.current) return;
    const run = ++priorLoads.current;
    try {
      const v = await call('document.priorFunctional', {});
      if (run !== priorLoads.current) return;
      priorRows.current = new Map(v.rows.map((r) => [r.code, r]));
      apiRef.current?.refreshCells({ columns: PRIOR_COLUMNS, force: true });
    } catch (err) {
      if (run === priorLoads.current) setMessage({ kind: 'error', text: `上年数未能读取：${errorMessage(err)}` });
    }
  }, []);

  // ---- loading and applying changes -------------------------------------------------------------------

  const loads = useRef(0);
  const load = useCallback(async () => {
    setLoading(true);
    const run = ++loads.current;
    try {
      // Page by page (renderer/line-data.ts): the first screen shows before every line has arrived.
      await loadLinePages(
        {
          first: (list) => {
            const map = new Map<string, GridRow>();
            for (const l of list.lines) map.set(lineKey(l.id), lineRow(l));
            for (const s of list.subtotals) {
              const r = subRow(s);
              map.set(r.key, r);
            }
            rows.current = map;
            names.current = list.names;
            setRowData([...map.values()]);
            setPinned([totalRow(list.totals)]);
            setRowCount(list.lineCount);
            setMessage(null);
            setLoading(false);
          },
          more: (page) => {
            mergeNames(names.current, page.names);
            const api = apiRef.current;
            const map = rows.current;
            const add: GridRow[] = [];
            for (const l of page.lines) {
              const key = lineKey(l.id);
              // An edit may have brought this line already; its answer is newer than the page.
              const known = map.get(key);
              if (known) {
                if (api && !api.getRowNode(key)) add.push(known);
                continue;
              }
              const r = lineRow(l);
              map.set(key, r);
              add.push(r);
            }
            if (api) api.applyTransaction({ add });
            else setRowData([...map.values()]);
          },
        },
        () => run === loads.current,
      );
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
    void loadPrior();
  }, [load, loadPrior, generation]);

  useEffect(() => {
    if (active) void loadPrior();
  }, [active, loadPrior]);

  const togglePrior = () => {
    const on = !priorShown.current;
    priorShown.current = on;
    setShowPrior(on);
    rememberPriorColumns(on);
    apiRef.current?.setColumnsVisible(PRIOR_COLUMNS, on);
    void loadPrior();
  };

  // ---- filter and sort ------------------------------------------------------------------------------------

  /** Whether a line shows every word of the search box in one of its cells. */
  const matchesSearch = (row: GridRow): boolean => {
    const words = searchRef.current.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return true;
    const u = units.current;
    const text = LINE_FIELDS.map((f) => shownText(row, f, names.current, u)).join(' ').toLowerCase();
    const plain = text.replace(/,/g, '');
    return words.every((w) => text.includes(w) || plain.includes(w.replace(/,/g, '')));
  };

  /**
   * After the filters ran: which 小计 rows have lines shown under them, and their sums over just those lines
   * (exact, in the budget's unit). When that changes the grid filters once more, so 小计 rows follow.
   */
  const refilter = useCallback(() => {
    const api = apiRef.current;
    if (!api) return;
    const before = filtered.current;
    const active = searchRef.current.trim() !== '' || api.isColumnFilterPresent();
    const next: typeof before = { active, shown: 0, sums: new Map() };
    if (active) {
      const amounts = new Map<string, string[]>();
      const add = (key: string, amount: string) => {
        const list = amounts.get(key);
        if (list) list.push(amount);
        else amounts.set(key, [amount]);
      };
      api.forEachNodeAfterFilter((node: IRowNode<GridRow>) => {
        const d = node.data;
        if (d?.type !== 'line' || !d.line) return;
        next.shown++;
        add('TOTAL', d.amount);
        const f = d.line.functional;
        for (const n of [3, 5, 7]) if (f.length >= n) add(`S${f.slice(0, n)}`, d.amount);
      });
      for (const [key, list] of amounts) next.sums.set(key, sumExact(list));
    }
    filtered.current = next;
    setShownCount(active ? next.shown : null);
    const sameRows = before.active === next.active && before.sums.size === next.sums.size && [...next.sums.keys()].every((k) => before.sums.has(k));
    if (!sameRows) api.onFilterChanged();
    api.refreshCells({ columns: ['unit', 'amount', ...PRIOR_COLUMNS], force: true });
  }, []);

  const isExternalFilterPresent = useCallback(() => searchRef.current.trim() !== '' || userSort.current || filtered.current.active, []);
  const doesExternalFilterPass = useCallback((node: IRowNode<GridRow>) => {
    const d = node.data;
    if (!d || d.type === 'total') return true;
    if (d.type === 'line') return matchesSearch(d);
    // 小计 rows: none while the lines are sorted by another column; under a filter, those with lines shown.
    if (userSort.current) return false;
    return !filtered.current.active || filtered.current.sums.has(d.key);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const onSortChanged = useCallback(() => {
    const api = apiRef.current;
    if (!api) return;
    const sorted = api.getColumnState().filter((c) => c.sort);
    if (sorted.length === 0) {
      // Back to the budget's own order (by 功能分类, with 小计 rows).
      api.applyColumnState({ state: [{ colId: 'order', sort: 'asc' }] });
      return;
    }
    const byUser = sorted.some((c) => c.colId !== 'order');
    if (byUser !== userSort.current) {
      userSort.current = byUser;
      api.onFilterChanged();
    }
  }, []);

  const onSearch = (text: string) => {
    setSearch(text);
    searchRef.current = text;
    apiRef.current?.onFilterChanged();
  };

  /**
   * Gives the grid its changed rows. Most edits change figures only (an amount, a remark, a fund): no row comes or
   * goes, none moves, and no filter or user sort is on; then each changed row takes its new data in place. A
   * transaction sorts, filters and positions every row of the grid again (at 100,000 lines, most of an edit's time).
   */
  const putRows = useCallback((api: GridApi<GridRow>, add: GridRow[], update: GridRow[], remove: GridRow[]) => {
    const inPlace =
      add.length === 0 &&
      remove.length === 0 &&
      !isExternalFilterPresent() &&
      !api.isColumnFilterPresent() &&
      update.every((r) => {
        const node = api.getRowNode(r.key);
        return node?.data !== undefined && node.data.sortKey === r.sortKey;
      });
    if (inPlace) for (const r of update) api.getRowNode(r.key)!.updateData(r);
    else api.applyTransaction({ add, update, remove });
  }, [isExternalFilterPresent]);

  const applyChanges = useCallback((cs: ChangeSet, follow?: Follow) => {
    const api = apiRef.current;
    mergeNames(names.current, cs.names);
    /** A line answered by the service keeps the typed text of other edits still on their way. */
    const withPending = (r: GridRow): GridRow => {
      const pending = { ...(rows.current.get(r.key)?.pending ?? {}) };
      // The answered field itself is settled: the stored line replaces its typed text.
      if (follow && follow.key === r.key) delete pending[follow.column];
      return Object.keys(pending).length ? { ...r, pending } : r;
    };
    const add: GridRow[] = [];
    const update: GridRow[] = [];
    const remove: GridRow[] = [];
    const map = rows.current;
    for (const l of cs.changed) {
      const r = withPending(lineRow(l));
      map.set(r.key, r);
      update.push(r);
    }
    for (const l of cs.added) {
      const r = withPending(lineRow(l));
      if (map.has(r.key)) update.push(r);
      else add.push(r);
      map.set(r.key, r);
    }
    for (const id of cs.removed) {
      const r = map.get(lineKey(id));
      if (r) {
        remove.push(r);
        map.delete(r.key);
      }
    }
    for (const s of cs.subtotals) {
      const r = subRow(s);
      if (map.has(r.key)) update.push(r);
      else add.push(r);
      map.set(r.key, r);
    }
    for (const code of cs.removedSubtotals) {
      const r = map.get(`S${code}`);
      if (r) {
        remove.push(r);
        map.delete(r.key);
      }
    }
    if (api) {
      // The cursor stays on its line when rows move (a changed 功能分类 re-sorts the line; new 小计 rows
      // appear above it): it is kept by row, not by position, so the next keystroke edits the same line.
      const focus = api.getFocusedCell();
      const focusedKey = focus && !focus.rowPinned ? api.getDisplayedRowAtIndex(focus.rowIndex)?.data?.key : undefined;
      const editedIndex = follow ? api.getRowNode(follow.key)?.rowIndex : undefined;
      putRows(api, add, update, remove);
      api.setGridOption('pinnedTopRowData', [totalRow(cs.totals)]);
      if (focus && focusedKey) {
        let target = focusedKey;
        // Enter moved the cursor below the edited line, and then the line moved away: the cursor goes
        // with the line it was typing in rather than stay with whichever row took its place.
        const editedMoved = follow && api.getRowNode(follow.key)?.rowIndex !== editedIndex;
        if (follow && editedMoved && focusedKey === follow.below && focus.column.getColId() === follow.column) target = follow.key;
        const node = api.getRowNode(target);
        if (node && node.rowIndex !== null && node.rowIndex !== undefined && (node.rowIndex !== focus.rowIndex || target !== focusedKey)) {
          // An editor may be open in the moved row (Tab opened the next cell's picker): the grid's idea of
          // the focused cell moves with the row, and the keyboard stays in the editor.
          const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
          const inEditor = api.getEditingCells().length > 0;
          api.setFocusedCell(node.rowIndex, focus.column);
          api.ensureIndexVisible(node.rowIndex);
          if (inEditor && active?.isConnected && document.activeElement !== active) active.focus();
        }
      }
    }
    setRowCount((n) => n + cs.added.length - cs.removed.length);
    // The grid filters the changed rows again itself; the 小计 of what the filter shows follow them.
    if (filtered.current.active) refilter();
    // The 增减 follow the 小计 (and an undone 导入上年数据 its 上年数).
    void loadPrior();
  }, []);

  // ---- edits ------------------------------------------------------------------------------------------

  const markRefused = useCallback((id: number, field: LineField) => {
    const key = `${id}:${field}`;
    refused.current.add(key);
    const node = apiRef.current?.getRowNode(lineKey(id));
    if (node) apiRef.current?.refreshCells({ rowNodes: [node], columns: [field], force: true });
    window.setTimeout(() => {
      refused.current.delete(key);
      const n = apiRef.current?.getRowNode(lineKey(id));
      if (n) apiRef.current?.refreshCells({ rowNodes: [n], columns: [field], force: true });
    }, 4000);
  }, []);

  /** Drops a typed value still shown on a row (the service answered: stored, refused, or nothing new). */
  const clearPending = useCallback((id: number, field: LineField) => {
    const key = lineKey(id);
    const row = rows.current.get(key);
    if (!row?.pending || !(field in row.pending)) return;
    const pending = { ...row.pending };
    delete pending[field];
    const clean: GridRow = { ...row, pending };
    if (Object.keys(pending).length === 0) delete clean.pending;
    rows.current.set(key, clean);
    if (apiRef.current) putRows(apiRef.current, [], [clean], []);
  }, []);

  const commit = useCallback(
    async (id: number, field: LineField, value: string, below?: string) => {
      try {
        const cs = await trackSave(call('lines.update', { id, field, value, unit: units.current.display }));
        applyChanges(cs, { key: lineKey(id), column: field, below });
        onChanges(cs);
        setMessage(null);
      } catch (err) {
        const reason = errorMessage(err);
        const label = LINE_FIELD_LABELS[field];
        const text = `${label}未保存：${reason.startsWith(`${label}：`) ? reason.slice(label.length + 1) : reason}`;
        // A project that does not exist yet: the message offers to create it (then the line takes it).
        const unknownProject = field === 'project' && value.trim() !== '' && reason.includes('「项目库」');
        setMessage({ kind: 'error', text, ...(unknownProject ? { action: { label: `新建项目“${value.trim()}”…`, run: () => offerProject.current(value.trim(), id) } } : {}) });
        toast(text, 'error');
        clearPending(id, field);
        markRefused(id, field);
        return;
      }
      clearPending(id, field);
    },
    [applyChanges, onChanges, toast, markRefused, clearPending],
  );

  const mutate = useCallback(
    async (run: () => Promise<ChangeSet>, focusAdded = false) => {
      setMessage(null);
      try {
        const cs = await trackSave(run());
        applyChanges(cs);
        onChanges(cs);
        const first = cs.added[0];
        if (focusAdded && first) {
          requestAnimationFrame(() => selectLineNow(first.id, 'amount'));
        }
        return cs;
      } catch (err) {
        const text = errorMessage(err);
        setMessage({ kind: 'error', text });
        toast(text, 'error');
        return null;
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [applyChanges, onChanges, toast],
  );

  const focusedLine = (): { id: number; field: LineField } | null => {
    const api = apiRef.current;
    const cell = api?.getFocusedCell();
    if (!api || !cell || cell.rowPinned) return null;
    const node = api.getDisplayedRowAtIndex(cell.rowIndex);
    const id = node?.data?.line?.id;
    const field = cell.column.getColId() as LineField;
    return id !== undefined && (LINE_FIELDS as readonly string[]).includes(field) ? { id, field } : null;
  };

  const selectedIds = (): number[] => {
    const api = apiRef.current;
    const ids = (api?.getSelectedRows() ?? []).flatMap((r) => (r.line ? [r.line.id] : []));
    if (ids.length) return ids;
    const f = focusedLine();
    return f ? [f.id] : [];
  };

  const addLine = () => void mutate(() => call('lines.add', { like: focusedLine()?.id ?? selectedIds()[0] }), true);
  const duplicate = () => {
    const ids = selectedIds();
    if (!ids.length) return toast('请先选择要复制的行', 'info');
    void mutate(() => call('lines.duplicate', { ids }), true);
  };
  const remove = () => {
    const ids = selectedIds();
    if (!ids.length) return toast('请先选择要删除的行', 'info');
    void mutate(async () => {
      const cs = await call('lines.delete', { ids });
      toast(`已删除 ${ids.length} 行（可撤销）`, 'info');
      return cs;
    });
  };

  /** The value a line holds in a field, as the grid would send it typed (codes, amount in the display unit). */
  const typedValue = (line: LineRow, field: LineField): string => {
    switch (field) {
      case 'amount':
        return convertExact(line.amount, units.current.budget, units.current.display);
      case 'kind':
        return KIND_TEXT[line.kind] ?? line.kind;
      case 'project':
        return line.project ?? '';
      case 'remark':
        return line.remark ?? '';
      default:
        return line[field];
    }
  };

  /**
   * Ctrl+D (向下填充): with several lines selected, the first one's cell (in the column of the cursor) is copied
   * to the others; with none, the cell above the cursor is copied into it. One undo step.
   */
  const fillDown = () => {
    const api = apiRef.current;
    const f = focusedLine();
    if (!api || !f) return;
    if (locked.current) return toast(READ_ONLY_MESSAGE, 'info');
    const selected = api
      .getSelectedNodes()
      .filter((n) => n.data?.line && n.rowIndex !== null)
      .sort((a, b) => a.rowIndex! - b.rowIndex!);
    let source: LineRow | undefined;
    let targets: number[];
    if (selected.length >= 2) {
      source = selected[0]!.data!.line;
      targets = selected.slice(1).map((n) => n.data!.line!.id);
    } else {
      const focus = api.getFocusedCell();
      const above = focus && focus.rowIndex > 0 ? api.getDisplayedRowAtIndex(focus.rowIndex - 1)?.data : undefined;
      if (!above?.line) return toast('光标上一行不是预算行，无法向下填充', 'info');
      source = above.line;
      targets = [f.id];
    }
    const value = typedValue(source!, f.field);
    void mutate(() => call('lines.updateMany', { ids: targets, field: f.field, value, unit: units.current.display }));
  };

  const openBulk = () => {
    const ids = selectedIds();
    if (!ids.length) return toast('请先选择要批量修改的行（单击、Shift 或 Ctrl + 单击行）', 'info');
    setBulk({ ids, field: focusedLine()?.field ?? 'economic' });
  };

  /** The keyboard handler (set up once) reaches the current actions through this. */
  const actions = useRef({ addLine, fillDown });
  actions.current = { addLine, fillDown };

  // ---- selecting a line from elsewhere (审核, tables) ------------------------------------------------------

  const selectLineNow = (id: number, field?: LineField) => {
    const api = apiRef.current;
    const node = api?.getRowNode(lineKey(id));
    if (!api || !node || node.rowIndex === null) {
      toast('要定位的预算行已不存在', 'info');
      return;
    }
    api.deselectAll();
    node.setSelected(true);
    api.ensureNodeVisible(node, 'middle');
    api.setFocusedCell(node.rowIndex, field ?? 'amount');
    api.flashCells({ rowNodes: [node], columns: field ? [field] : undefined });
  };

  /** The keyboard back in a line's cell (after a dialog opened from it). */
  const refocus = (id: number, field: LineField) => {
    requestAnimationFrame(() => {
      const api = apiRef.current;
      const node = api?.getRowNode(lineKey(id));
      if (api && node && node.rowIndex !== null) api.setFocusedCell(node.rowIndex, field);
    });
  };

  useImperativeHandle(ref, () => ({ applyChanges: (cs: ChangeSet) => applyChanges(cs), selectLine: selectLineNow }));

  // ---- keyboard: Delete clears, paste fills, copy copies ------------------------------------------------

  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const editing = () => (apiRef.current?.getEditingCells().length ?? 0) > 0;
    const inGrid = (t: EventTarget | null) => t instanceof Node && !!el.querySelector('.ag-root-wrapper')?.contains(t);
    const onKeyDown = (e: KeyboardEvent) => {
      const api = apiRef.current;
      if (!api) return;
      // Keys typed while a cell's editor is still opening wait for it (renderer/keyboard-buffer.ts).
      if (keyboard.keyDown(e)) return;
      if (!inGrid(e.target)) return;
      // An input method (Chinese) announces itself with key "Process": open the editor at once so the
      // composed text lands in it, as typing a letter would.
      if ((e.key === 'Process' || e.keyCode === 229) && !editing()) {
        const cell = api.getFocusedCell();
        const node = cell && !cell.rowPinned ? api.getDisplayedRowAtIndex(cell.rowIndex) : null;
        if (cell && node?.data?.type === 'line') api.startEditingCell({ rowIndex: cell.rowIndex, colKey: cell.column });
        return;
      }
      // Spreadsheet shortcuts: Insert or Ctrl+Enter adds a line below the cursor, Ctrl+D fills down,
      // Ctrl+F goes to the search box.
      const ctrl = e.ctrlKey || e.metaKey;
      if (!editing() && (e.key === 'Insert' || (ctrl && e.key === 'Enter'))) {
        e.preventDefault();
        e.stopPropagation();
        if (locked.current) toast(READ_ONLY_MESSAGE, 'info');
        else actions.current.addLine();
        return;
      }
      if (!editing() && ctrl && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'd') {
        e.preventDefault();
        e.stopPropagation();
        actions.current.fillDown();
        return;
      }
      if (ctrl && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        e.stopPropagation();
        searchBox.current?.focus();
        return;
      }
      if (e.key !== 'Delete' || editing()) return;
      const f = focusedLine();
      if (!f) return;
      e.preventDefault();
      e.stopPropagation();
      if (locked.current) {
        toast(READ_ONLY_MESSAGE, 'info');
        return;
      }
      void commit(f.id, f.field, f.field === 'amount' ? '0' : '');
    };
    const onPaste = (e: ClipboardEvent) => {
      if (editing() || !inGrid(e.target)) return;
      if (locked.current) {
        e.preventDefault();
        toast(READ_ONLY_MESSAGE, 'info');
        return;
      }
      const text = e.clipboardData?.getData('text/plain') ?? '';
      if (text === '') return;
      e.preventDefault();
      const block = parseClipboardTable(text);
      if (block.length === 0) return;
      const api = apiRef.current;
      const cell = api?.getFocusedCell();
      const node = cell && !cell.rowPinned ? api?.getDisplayedRowAtIndex(cell.rowIndex) : null;
      const colId = cell?.column.getColId();
      const startField = (LINE_FIELDS as readonly string[]).includes(colId ?? '') ? (colId as LineField) : 'unit';
      // On a subtotal row or nowhere, the block is appended as new lines.
      const startId = node?.data?.line?.id ?? null;
      void mutate(async () => {
        const r = await call('lines.paste', { rows: block, startId, startField, unit: units.current.display });
        const parts = [];
        if (r.updatedCount) parts.push(`修改 ${r.updatedCount} 行`);
        if (r.addedCount) parts.push(`新增 ${r.addedCount} 行`);
        if (r.rejected.length) {
          const detail = r.rejected.slice(0, 5).map((x) => `第 ${x.row} 行：${x.reason}`).join('\n');
          const more = r.rejected.length > 5 ? `\n……另有 ${r.rejected.length - 5} 行` : '';
          toast(`粘贴完成：${parts.join('，') || '没有行被修改'}；${r.rejected.length} 行无法读取，未保存：\n${detail}${more}`, 'warning', 15000);
          setMessage({ kind: 'error', text: `粘贴时有 ${r.rejected.length} 行无法读取：${r.rejected[0]!.reason}（第 ${r.rejected[0]!.row} 行）` });
        } else toast(`粘贴完成：${parts.join('，') || '没有变化'}`, 'success');
        return r;
      });
    };
    const onCopy = (e: ClipboardEvent) => {
      if (editing() || !inGrid(e.target)) return;
      const api = apiRef.current;
      if (!api) return;
      const selected = api.getSelectedRows().filter((r) => r.line);
      const u = units.current;
      const cellText = (r: GridRow, f: LineField): string => {
        const l = r.line!;
        switch (f) {
          case 'amount':
            return convertExact(l.amount, u.budget, u.display);
          case 'kind':
            return KIND_TEXT[l.kind] ?? l.kind;
          case 'project':
            return l.project ?? '';
          case 'fund':
            return names.current.funds[l.fund] ?? l.fund;
          case 'functional':
            return `${l.functional} ${names.current.functional[l.functional] ?? ''}`.trim();
          case 'economic':
            return `${l.economic} ${names.current.economic[l.economic] ?? ''}`.trim();
          default:
            return String(l[f] ?? '');
        }
      };
      let text: string;
      if (selected.length > 1) text = toClipboardTable(selected.map((r) => LINE_FIELDS.map((f) => cellText(r, f))));
      else {
        const f = focusedLine();
        const r = f ? rows.current.get(lineKey(f.id)) : undefined;
        if (!f || !r) return;
        text = cellText(r, f.field);
      }
      e.clipboardData?.setData('text/plain', text);
      e.preventDefault();
    };
    const onFocusIn = (e: FocusEvent) => keyboard.focusIn(e);
    el.addEventListener('keydown', onKeyDown, true);
    el.addEventListener('focusin', onFocusIn);
    el.addEventListener('paste', onPaste, true);
    el.addEventListener('copy', onCopy, true);
    return () => {
      el.removeEventListener('keydown', onKeyDown, true);
      el.removeEventListener('focusin', onFocusIn);
      el.removeEventListener('paste', onPaste, true);
      el.removeEventListener('copy', onCopy, true);
    };
  }, [commit, mutate, keyboard]);

  // ---- columns ----------------------------------------------------------------------------------------

  const columnDefs = useMemo<ColDef<GridRow>[]>(() => {
    const isLine = (p: { data?: GridRow }) => p.data?.type === 'line';
    const refusedClass = (field: LineField) => (p: CellClassParams<GridRow>) => !!p.data?.line && refused.current.has(`${p.data.line.id}:${field}`);
    const pendingClass = (field: LineField) => (p: CellClassParams<GridRow>) => p.data?.pending?.[field] !== undefined;
    const setter = (field: LineField) => (p: ValueSetterParams<GridRow>) => {
      const id = p.data?.line?.id;
      if (id === undefined) return false;
      const value = p.newValue === null || p.newValue === undefined ? '' : String(p.newValue);
      if (value === String(p.oldValue ?? '')) return false;
      // The typed text shows, marked as pending, while it is saved; the service's answer replaces the row
      // (or the refusal restores it), so a settled cell never holds a value the file does not.
      p.data.pending = { ...(p.data.pending ?? {}), [field]: value };
      const below = p.node && p.node.rowIndex !== null ? apiRef.current?.getDisplayedRowAtIndex(p.node.rowIndex + 1)?.data?.key : undefined;
      const saved = commit(id, field, value, below);
      // A new 功能分类 may move the line: the next keys wait for the cursor to follow it.
      if (field === 'functional') keyboard.hold(saved);
      return true;
    };
    const pendingOr = (field: LineField, get: (p: ValueGetterParams<GridRow>) => unknown) => (p: ValueGetterParams<GridRow>) => {
      const typed = p.data?.pending?.[field];
      return typed !== undefined ? typed : get(p);
    };
    const picker = (field: LineField, params: PickerParams): Partial<ColDef<GridRow>> => ({
      cellEditor: CodePickerEditor,
      cellEditorParams: params,
      cellEditorPopup: true,
      cellEditorPopupPosition: 'under',
      suppressKeyboardEvent: (p: SuppressKeyboardEventParams<GridRow>) => pickerSuppressKeys(p),
      valueSetter: setter(field),
    });
    const named = (code: string | null | undefined, book: Record<string, string>) => (code ? `${code} ${book[code] ?? ''}`.trim() : '');
    const cols: ColDef<GridRow>[] = [
      {
        colId: 'order',
        hide: true,
        sort: 'asc',
        valueGetter: (p: ValueGetterParams<GridRow>) => p.data?.sortKey ?? '',
        comparator: (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0),
        suppressColumnsToolPanel: true,
      },
      {
        colId: 'unit',
        headerName: '单位',
        width: 170,
        pinned: 'left',
        valueGetter: pendingOr('unit', (p: ValueGetterParams<GridRow>) => p.data?.line?.unit ?? ''),
        valueFormatter: (p: ValueFormatterParams<GridRow>) => {
          const d = p.data;
          if (d?.type === 'total') return filtered.current.active ? '筛选合计' : '合计';
          if (d?.type === 'subtotal') return `${d.sub!.level}级小计`;
          return names.current.units[p.value as string] ?? String(p.value ?? '');
        },
        tooltipValueGetter: (p) => (p.data?.line ? named(p.data.line.unit, names.current.units) : undefined),
        ...picker('unit', { pickerKind: 'unit' }),
      },
      {
        colId: 'functional',
        headerName: '功能分类',
        width: 300,
        valueGetter: pendingOr('functional', (p: ValueGetterParams<GridRow>) => p.data?.line?.functional ?? p.data?.sub?.code ?? ''),
        valueFormatter: (p: ValueFormatterParams<GridRow>) => {
          const d = p.data;
          if (d?.type === 'subtotal') return `${d.sub!.code} ${d.sub!.name}`;
          if (d?.type === 'total') return '';
          return named(p.value as string, names.current.functional);
        },
        tooltipValueGetter: (p) => (p.data?.line ? named(p.data.line.functional, names.current.functional) : undefined),
        ...picker('functional', { pickerKind: 'functional' }),
      },
      {
        colId: 'economic',
        headerName: '经济分类',
        width: 210,
        valueGetter: pendingOr('economic', (p: ValueGetterParams<GridRow>) => p.data?.line?.economic ?? ''),
        valueFormatter: (p: ValueFormatterParams<GridRow>) => named(p.value as string, names.current.economic),
        tooltipValueGetter: (p) => (p.data?.line ? named(p.data.line.economic, names.current.economic) : undefined),
        ...picker('economic', { pickerKind: 'economic' }),
      },
      {
        colId: 'kind',
        headerName: '支出类型',
        width: 96,
        valueGetter: pendingOr('kind', (p: ValueGetterParams<GridRow>) => (p.data?.line ? KIND_TEXT[p.data.line.kind] : '')),
        cellEditor: 'agSelectCellEditor',
        cellEditorParams: { values: ['基本支出', '项目支出'] },
        valueSetter: setter('kind'),
      },
      {
        colId: 'project',
        headerName: '项目',
        width: 230,
        valueGetter: pendingOr('project', (p: ValueGetterParams<GridRow>) => p.data?.line?.project ?? ''),
        valueFormatter: (p: ValueFormatterParams<GridRow>) => named(p.value as string, names.current.projects),
        tooltipValueGetter: (p) => (p.data?.line?.project ? named(p.data.line.project, names.current.projects) : undefined),
        ...picker('project', {
          pickerKind: 'project',
          allowEmpty: '（无项目，基本支出）',
          onCreate: (text, row) => {
            const id = (row as GridRow | undefined)?.line?.id;
            if (id !== undefined) offerProject.current(text, id);
          },
        }),
      },
      {
        colId: 'fund',
        headerName: '资金来源',
        width: 190,
        valueGetter: pendingOr('fund', (p: ValueGetterParams<GridRow>) => p.data?.line?.fund ?? ''),
        valueFormatter: (p: ValueFormatterParams<GridRow>) => names.current.funds[p.value as string] ?? String(p.value ?? ''),
        ...picker('fund', { pickerKind: 'fund' }),
      },
      {
        colId: 'amount',
        headerName: `金额（${displayUnit}）`,
        width: 150,
        type: 'rightAligned',
        valueGetter: pendingOr('amount', (p: ValueGetterParams<GridRow>) => {
          const d = p.data;
          if (!d) return '';
          // Under a filter, 小计 and 合计 add up the lines it shows.
          const exact = d.type !== 'line' && filtered.current.active ? (filtered.current.sums.get(d.key) ?? '0') : d.amount;
          return convertExact(exact, units.current.budget, units.current.display);
        }),
        valueFormatter: (p: ValueFormatterParams<GridRow>) => formatExact(p.value as string, 2),
        cellEditor: 'agTextCellEditor',
        cellEditorParams: { maxLength: 40 },
        valueSetter: setter('amount'),
        cellClassRules: { 'cell-refused': refusedClass('amount') },
      },
      {
        colId: 'remark',
        headerName: '备注',
        flex: 1,
        minWidth: 160,
        valueGetter: pendingOr('remark', (p: ValueGetterParams<GridRow>) => p.data?.line?.remark ?? ''),
        cellEditor: 'agTextCellEditor',
        cellEditorParams: { maxLength: 2000 },
        valueSetter: setter('remark'),
      },
    ];
    for (const c of cols) {
      if (c.colId === 'order') continue;
      const field = c.colId as LineField;
      // Sort by clicking the header (by the shown text; amounts by value), filter by the shown text.
      c.sortable = true;
      c.comparator =
        field === 'amount'
          ? (a: string, b: string) => compareExact(String(a ?? ''), String(b ?? ''))
          : (_a: unknown, _b: unknown, na: IRowNode<GridRow>, nb: IRowNode<GridRow>) =>
              (na.data ? shownText(na.data, field, names.current, units.current) : '').localeCompare(
                nb.data ? shownText(nb.data, field, names.current, units.current) : '',
                'zh-CN',
              );
      c.filter = 'agTextColumnFilter';
      c.floatingFilter = true;
      c.filterValueGetter = (p: ValueGetterParams<GridRow>) => (p.data?.type === 'line' ? shownText(p.data, field, names.current, units.current) : p.data?.key ?? '');
      c.filterParams = { filterOptions: ['contains', 'notContains', 'equals', 'startsWith'], maxNumConditions: 1, textMatcher: columnTextMatcher };
      c.editable = readOnly ? false : isLine;
      c.cellClassRules = {
        ...(c.cellClassRules ?? {}),
        'cell-refused': refusedClass(c.colId as LineField),
        'cell-pending': pendingClass(c.colId as LineField),
      };
    }
    // 上年数 / 增减 after 金额 (not line fields: no editing, sorting or filtering).
    const prior = priorColumnDefs<GridRow>({
      hidden: !priorShown.current,
      displayUnit,
      units: () => units.current,
      rows: () => priorRows.current,
      shown: (d) => (d.type !== 'line' && filtered.current.active ? (filtered.current.sums.get(d.key) ?? '0') : d.amount),
    });
    cols.splice(cols.findIndex((c) => c.colId === 'amount') + 1, 0, ...prior);
    return cols;
  }, [commit, displayUnit, readOnly, keyboard]);

  useEffect(() => {
    apiRef.current?.refreshCells({ columns: ['amount', ...PRIOR_COLUMNS], force: true });
  }, [displayUnit]);

  const defaultColDef = useMemo<ColDef<GridRow>>(
    () => ({ sortable: false, resizable: true, suppressMovable: true, filter: false, suppressHeaderMenuButton: true, suppressHeaderFilterButton: true }),
    [],
  );

  const getRowClass = useCallback((p: RowClassParams<GridRow>) => {
    const d = p.data;
    if (!d) return undefined;
    if (d.type === 'total') return 'row-total';
    if (d.type === 'subtotal') return `row-subtotal level-${d.sub!.code.length}`;
    return undefined;
  }, []);

  const onCellKeyDown = useCallback((e: CellKeyDownEvent<GridRow>) => {
    const ke = e.event as KeyboardEvent | undefined;
    if (ke?.key === 'F2' && e.data?.type !== 'line') ke.preventDefault();
  }, []);

  return (
    <div className="line-grid">
      <div className="grid-toolbar">
        <button type="button" data-action="add-line" disabled={readOnly} onClick={addLine}>＋ 新增行</button>
        <button type="button" data-action="duplicate-line" disabled={readOnly} onClick={duplicate}>复制行</button>
        <button type="button" data-action="delete-line" disabled={readOnly} onClick={remove}>删除行{selectedCount > 1 ? `（${selectedCount}）` : ''}</button>
        <button type="button" data-action="bulk-edit" disabled={readOnly} onClick={openBulk}>批量修改{selectedCount > 1 ? `（${selectedCount}）` : ''}</button>
        <button type="button" data-action="prior-columns" aria-pressed={showPrior} title="在功能分类小计行显示上年数与增减（上年数在“预算说明 › 上年数”中填写或导入）" onClick={togglePrior}>上年数/增减</button>
        {tools}
        <input
          ref={searchBox}
          type="search"
          className="grid-search"
          data-testid="grid-search"
          aria-label="筛选预算行"
          placeholder="筛选：任意列的文字"
          title="按任意列显示的文字筛选预算行（Ctrl+F），多个词用空格分开"
          value={search}
          onChange={(e) => onSearch(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') onSearch('');
          }}
        />
        <span className="hint">
          {readOnly
            ? '预算已上报锁定，只能查看 · Ctrl+C 复制 · 可导出明细模板'
            : '直接输入或 F2 编辑 · Enter 下移 · Tab 右移 · Delete 清除 · Insert 或 Ctrl+Enter 插入行 · Ctrl+D 向下填充 · Ctrl+V 粘贴 · Ctrl+Z 撤销 · 单击列标题排序'}
        </span>
        <span className="spacer" />
        <span className="muted" data-testid="grid-count">{shownCount !== null ? `筛选出 ${shownCount} 行 / 共 ${rowCount} 行` : `共 ${rowCount} 行`}</span>
      </div>
      {message ? (
        <div className={`grid-message ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="grid-message">
          {message.text}
          {message.action ? (
            <button type="button" className="link" data-action="create-project" onClick={message.action.run}>{message.action.label}</button>
          ) : null}
          <button type="button" className="link" onClick={() => setMessage(null)}>关闭</button>
        </div>
      ) : null}
      <div className="grid-host" ref={container}>
        {rowData ? (
          <AgGridReact<GridRow>
            theme={gridTheme}
            styleNonce={nonce}
            rowData={rowData}
            pinnedTopRowData={pinned}
            columnDefs={columnDefs}
            defaultColDef={defaultColDef}
            getRowId={(p: GetRowIdParams<GridRow>) => p.data.key}
            getRowClass={getRowClass}
            rowSelection={{
              mode: 'multiRow',
              checkboxes: false,
              headerCheckbox: false,
              enableClickSelection: true,
              isRowSelectable: (node) => node.data?.type === 'line',
            }}
            onSelectionChanged={(e) => setSelectedCount(e.api.getSelectedRows().length)}
            // A committed value is sent to the service, whose answer updates the row and its 小计 rows; the grid's
            // own change detection would only walk every row again (its aggregation pass) on each edit.
            suppressChangeDetection
            enterNavigatesVertically
            enterNavigatesVerticallyAfterEdit
            undoRedoCellEditing={false}
            stopEditingWhenCellsLoseFocus
            suppressClipboardPaste
            tooltipShowDelay={600}
            animateRows={false}
            deltaSort
            isExternalFilterPresent={isExternalFilterPresent}
            doesExternalFilterPass={doesExternalFilterPass}
            onFilterChanged={refilter}
            onSortChanged={onSortChanged}
            rowBuffer={20}
            suppressDragLeaveHidesColumns
            loading={loading}
            onCellKeyDown={onCellKeyDown}
            onCellEditingStopped={() => keyboard.editingStopped()}
            onGridReady={(e: GridReadyEvent<GridRow>) => {
              apiRef.current = e.api;
            }}
            overlayNoRowsTemplate="还没有预算行：点击“新增行”，或从 Excel/WPS 复制后按 Ctrl+V 粘贴"
            localeText={LOCALE_TEXT}
          />
        ) : null}
      </div>
      {creating ? (
        <NewProjectFromLine
          text={creating.text}
          lineId={creating.lineId}
          toast={toast}
          onClose={() => {
            setCreating(null);
            refocus(creating.lineId, 'project');
          }}
          onSaved={(r) => {
            setCreating(null);
            applyChanges(r.changes);
            onChanges(r.changes);
            toast(r.message, 'success');
            refocus(creating.lineId, 'project');
          }}
        />
      ) : null}
      {bulk ? (
        <BulkEditDialog
          ids={bulk.ids}
          displayUnit={displayUnit}
          initialField={bulk.field}
          onClose={() => setBulk(null)}
          onDone={(cs, field) => {
            setBulk(null);
            applyChanges(cs);
            onChanges(cs);
            toast(`已批量修改${LINE_FIELD_LABELS[field]}：${cs.changed.length} 行（可撤销）`, 'success');
          }}
        />
      ) : null}
    </div>
  );
});

const LOCALE_TEXT = {
  loadingOoo: '正在加载…',
  noRowsToShow: '没有数据',
  page: '页',
  to: '至',
  of: '共',
  filterOoo: '筛选…',
  contains: '包含',
  notContains: '不包含',
  equals: '等于',
  startsWith: '开头是',
  applyFilter: '应用',
  resetFilter: '重置',
  clearFilter: '清除',
  cancelFilter: '取消',
  textFilter: '文本筛选',
  ariaFilterInput: '筛选条件',
  ariaFilterValue: '筛选值',
  ariaFilteringOperator: '筛选方式',
  ariaColumnFiltersApplied: '已筛选',
  ariaSortableColumn: '按 Enter 排序',
};
