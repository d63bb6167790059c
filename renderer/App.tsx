// The application frame: menu/toolbar, the three working tabs, the status bar, dialogs and messages.
// State that outlives a tab (budget info, totals, audit counts, undo availability) lives here and is
// refreshed from the small change sets every mutation returns.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AmountUnitCode, BudgetInfo, ChangeSet, LineField } from '../api/contract.js';
import { call, errorMessage } from './api.js';
import { convertExact, formatExact } from './amounts.js';
import { LineGrid, type LineGridHandle } from './LineGrid.js';
import { TablesView } from './TablesView.js';
import { AuditPanel } from './AuditPanel.js';
import { HiddenFileInput, NewBudgetDialog, OpenBudgetDialog } from './dialogs.js';
import { CodeListDialog } from './CodeListDialog.js';
import { BackupDialog } from './BackupDialog.js';
import { ToastHost, useToasts } from './toast.js';
import { decideShellCommand, decideUndoKey, readFocus } from './shell-commands.js';
import { PerformancePane, type ProjectTarget } from './wizard/PerformancePane.js';
import { LockScope, SUBMISSION_TAB, useSubmission } from './submission/useSubmission.js';
import { DocumentPane } from './document/DocumentPane.js';
import { trackSave, useSaveState } from './save-state.js';
import { ParamsPane } from './params/ParamsPane.js';
import { ImportParamsDialog } from './params/ImportParamsDialog.js';
import { CeilingStatus } from './params/CeilingStatus.js';
import { ProjectLibrary } from './projects/ProjectLibrary.js';

type Tab = 'lines' | 'projects' | 'tables' | 'performance' | 'document' | 'audit' | 'params' | typeof SUBMISSION_TAB.id;
const TABS: { id: Tab; label: string }[] = [
  { id: 'lines', label: '预算明细' },
  { id: 'projects', label: '项目库' },
  { id: 'tables', label: '预算公开表' },
  { id: 'performance', label: '绩效目标' },
  { id: 'document', label: '预算说明' },
  { id: 'audit', label: '审核' },
  { id: 'params', label: '控制数与参数' },
  SUBMISSION_TAB,
];

export function App() {
  const [info, setInfo] = useState<BudgetInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('lines');
  const [displayUnit, setDisplayUnit] = useState<AmountUnitCode>('万元');
  const [dialog, setDialog] = useState<'new' | 'open' | 'codes' | 'backups' | 'params' | null>(null);
  /** The file chosen in the desktop host's save dialog for 新建预算. */
  const [newPath, setNewPath] = useState<string | undefined>(undefined);
  /** Bumped after every change so the tables and audit views refetch when shown. */
  const [revision, setRevision] = useState(0);
  /** Bumped when the whole budget is replaced (open, new, import): the grid reloads everything. */
  const [generation, setGeneration] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const grid = useRef<LineGridHandle>(null);
  const importInput = useRef<HTMLInputElement>(null);
  const toasts = useToasts();
  const showToast = toasts.show;

  const loadInfo = useCallback(async () => {
    try {
      const i = await call('budget.info', {});
      setInfo(i);
      setDisplayUnit((u) => (i.open ? i.amountUnit : u));
      setLoadError(null);
    } catch (err) {
      setLoadError(errorMessage(err));
    }
  }, []);

  useEffect(() => {
    void loadInfo();
  }, [loadInfo]);

  const budgetReplaced = useCallback((next: BudgetInfo) => {
    setInfo(next);
    setDisplayUnit(next.amountUnit);
    setGeneration((g) => g + 1);
    setRevision((r) => r + 1);
  }, []);

  // Project edits in 绩效目标 (a new project, a renamed one) change the names the line grid shows; the grid
  // stays mounted, so it reloads when the user comes back to it rather than on every wizard save.
  const linesStale = useRef(false);
  const projectsChanged = useCallback(() => {
    linesStale.current = true;
    void loadInfo();
  }, [loadInfo]);
  useEffect(() => {
    if (tab === 'lines' && linesStale.current) {
      linesStale.current = false;
      setGeneration((g) => g + 1);
    }
  }, [tab]);

  /** Every mutation's change set passes through here: the grid patches its rows, the frame its totals. */
  const onChanges = useCallback((cs: ChangeSet) => {
    setInfo((prev) =>
      prev
        ? { ...prev, totals: cs.totals, audit: cs.audit, canUndo: cs.canUndo, canRedo: cs.canRedo, lineCount: prev.lineCount + cs.added.length - cs.removed.length }
        : prev,
    );
    setRevision((r) => r + 1);
  }, []);

  const undoRedo = useCallback(
    async (which: 'undo' | 'redo') => {
      try {
        const r = await trackSave(call(which === 'undo' ? 'edit.undo' : 'edit.redo', {}));
        if (!r.done) {
          showToast(which === 'undo' ? '没有可撤销的操作' : '没有可重做的操作', 'info');
          return;
        }
        grid.current?.applyChanges(r);
        onChanges(r);
        if (r.message) showToast(r.message, 'info');
      } catch (err) {
        showToast(errorMessage(err), 'error');
      }
    },
    [onChanges, showToast],
  );

  // Ctrl+Z / Ctrl+Y (and Ctrl+Shift+Z) are the app's undo, not the browser's or the grid's — except inside
  // a text box being edited, where they undo typing.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { handle, decision } = decideUndoKey(e, readFocus(document));
      if (!handle || decision.kind !== 'budget') return;
      // Taken here, so the desktop menu's accelerator for the same key does not undo a second time.
      e.preventDefault();
      e.stopPropagation();
      void undoRedo(decision.command);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [undoRedo]);

  // The desktop host's menus: 撤销/重做 act on an open text box first (its own typing), else on the budget.
  useEffect(() => {
    const shell = window.budgetShell;
    if (!shell) return;
    return shell.onCommand((payload) => {
      const decision = decideShellCommand(payload, readFocus(document));
      if (decision.kind === 'new-budget') {
        setNewPath(decision.path);
        setDialog('new');
      } else if (decision.kind === 'import-code-list') {
        setDialog('codes');
      } else if (decision.kind === 'text') {
        document.execCommand(decision.command);
      } else if (decision.kind === 'budget') {
        void undoRedo(decision.command);
      }
    });
  }, [undoRedo]);

  const doImport = async (file: File) => {
    if (info?.open && info.lineCount > 0 && !window.confirm(`导入“${file.name}”将替换当前预算的全部内容（此操作不能撤销），是否继续？`)) return;
    setBusy('正在导入交换文件…');
    try {
      const text = await file.text();
      const next = await call('exchange.import', { text });
      budgetReplaced(next);
      showToast(`已导入“${file.name}”：共 ${next.lineCount} 行预算明细`, 'success');
    } catch (err) {
      showToast(errorMessage(err), 'error', 15000);
    } finally {
      setBusy(null);
    }
  };

  const doExport = async () => {
    try {
      const out = await call('exchange.export', {});
      const blob = new Blob([out.text], { type: 'application/json;charset=utf-8' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = out.fileName;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      showToast(`已导出交换文件“${out.fileName}”`, 'success');
    } catch (err) {
      showToast(errorMessage(err), 'error');
    }
  };

  /** The table shown in 预算公开表 (kept here so 审核 can point at one). */
  const [shownTable, setShownTable] = useState('T01');
  const goToTable = useCallback((tableId: string) => {
    setShownTable(tableId);
    setTab('tables');
  }, []);

  /** A project's 审核 finding opens its wizard at the field (in 绩效目标). */
  const [wizardAt, setWizardAt] = useState<{ target: ProjectTarget; key: number } | null>(null);
  const goToProject = useCallback((target: ProjectTarget) => {
    setWizardAt({ target, key: Date.now() });
    setTab('performance');
  }, []);
  useEffect(() => {
    // Coming back to 绩效目标 later shows its list, not the finding again.
    if (tab !== 'performance') setWizardAt(null);
  }, [tab]);

  const goToLine = useCallback((lineId: number, field?: LineField) => {
    setTab('lines');
    // The grid is kept mounted; selecting waits for the tab switch to lay it out.
    requestAnimationFrame(() => grid.current?.selectLine(lineId, field));
  }, []);

  // 上报: the locked state, its badge, banner, dialogs and tab (renderer/submission/).
  const submission = useSubmission({
    info,
    generation,
    revision,
    goToLine,
    goToTable,
    showTab: () => setTab(SUBMISSION_TAB.id),
    applyChanges: (cs) => {
      grid.current?.applyChanges(cs);
      onChanges(cs);
    },
    toast: showToast,
  });

  const open = info?.open ?? false;
  const save = useSaveState();
  // 已保存 only while nothing is on its way to the host; a refused change left the file as it was.
  const saveText = save.pending > 0 ? '正在保存…' : save.failed ? '已保存 · 最近一次修改未被接受' : '已保存';
  const saveClass = save.pending > 0 ? 'saving' : save.failed ? 'refused' : 'saved';
  const unitLabel = displayUnit;
  const showAmount = (exact: string | undefined) =>
    exact === undefined || !info ? '—' : formatExact(convertExact(exact, info.amountUnit, displayUnit), 2);

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark">预</span>
          <span className="brand-name">部门预算编制</span>
        </div>
        <div className="title-block">
          {open && info ? (
            <>
              {submission.badge}
              <span className="dept">{info.department.name}</span>
              <span className="year">{info.fiscalYear} 年部门预算</span>
              <span className="unit-note">录入单位：{info.amountUnit}</span>
            </>
          ) : (
            <span className="dept muted">未打开预算</span>
          )}
        </div>
        <nav className="toolbar" aria-label="工具栏">
          <button type="button" onClick={() => setDialog('new')}>新建预算</button>
          <button type="button" onClick={() => setDialog('open')}>打开</button>
          <span className="sep" />
          <button type="button" onClick={() => importInput.current?.click()}>导入交换文件</button>
          <button type="button" disabled={!open} onClick={() => void doExport()}>导出交换文件</button>
          <button type="button" disabled={!open} onClick={() => setDialog('codes')}>导入科目代码表…</button>
          <button type="button" disabled={!open || submission.locked} onClick={() => setDialog('params')}>导入年度参数包…</button>
          <button type="button" disabled={!open} onClick={() => setDialog('backups')}>恢复备份…</button>
          <span className="sep" />
          <span className="sep" />
          {submission.toolbarButton}
          <span className="sep" />
          <button type="button" data-action="undo" disabled={!info?.canUndo || submission.locked} title="撤销 (Ctrl+Z)" onClick={() => void undoRedo('undo')}>撤销</button>
          <button type="button" data-action="redo" disabled={!info?.canRedo || submission.locked} title="重做 (Ctrl+Y)" onClick={() => void undoRedo('redo')}>重做</button>
          <span className="sep" />
          <label className="unit-switch">
            显示单位
            <select aria-label="显示单位" value={displayUnit} onChange={(e) => setDisplayUnit(e.target.value as AmountUnitCode)}>
              <option value="万元">万元</option>
              <option value="元">元</option>
            </select>
          </label>
        </nav>
        <HiddenFileInput inputRef={importInput} accept=".json,application/json" testId="import-file" onFile={(f) => void doImport(f)} />
      </header>

      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            className={tab === t.id ? 'tab active' : 'tab'}
            onClick={() => setTab(t.id)}
          >
            {t.label}
            {t.id === 'audit' && info && info.audit.errors + info.audit.warnings > 0 ? (
              <span className={info.audit.errors > 0 ? 'badge error' : 'badge warning'}>{info.audit.errors + info.audit.warnings}</span>
            ) : null}
          </button>
        ))}
      </div>

      {submission.banner}
      <main className="workspace">
        {loadError ? <div className="empty-state error">{loadError}</div> : null}
        {!loadError && info && !open ? (
          <div className="empty-state">
            <p>{info.path ? `预算文件“${info.path}”中还没有预算。` : '尚未打开预算。'}</p>
            <p>
              <button type="button" className="primary" onClick={() => setDialog('new')}>新建预算</button>{' '}
              <button type="button" onClick={() => setDialog('open')}>打开预算文件</button>{' '}
              <button type="button" onClick={() => importInput.current?.click()}>导入交换文件</button>
            </p>
          </div>
        ) : null}
        {open && info ? (
          <>
            <section className={tab === 'lines' ? 'pane' : 'pane hidden'} aria-hidden={tab !== 'lines'}>
              <LineGrid
                ref={grid}
                generation={generation}
                budgetUnit={info.amountUnit}
                displayUnit={displayUnit}
                onChanges={onChanges}
                toast={showToast}
                readOnly={submission.locked}
                tools={submission.lineTools}
                active={tab === 'lines'}
              />
            </section>
            {tab === 'tables' ? (
              <section className="pane">
                <TablesView
                  revision={revision}
                  displayUnit={displayUnit}
                  budgetUnit={info.amountUnit}
                  selected={shownTable}
                  onSelect={setShownTable}
                  onPickLine={goToLine}
                  toast={showToast}
                  consolidation={submission.hasReceived ? submission.status?.received.map((r) => r.receivedAt).join('|') : undefined}
                />
              </section>
            ) : null}
            {tab === 'document' ? (
              <section className="pane">
                <DocumentPane revision={revision} readOnly={submission.locked} onChanged={() => void loadInfo()} toast={showToast} />
              </section>
            ) : null}
            {tab === 'audit' ? (
              <section className="pane">
                <AuditPanel revision={revision} onPickLine={goToLine} onPickTable={goToTable} onPickParams={() => setTab('params')} onPickProject={goToProject} toast={showToast} />
              </section>
            ) : null}
            {tab === 'params' ? (
              <section className="pane">
                <ParamsPane
                  revision={revision}
                  budgetUnit={info.amountUnit}
                  displayUnit={displayUnit}
                  readOnly={submission.locked}
                  onChanged={() => void loadInfo()}
                  onImport={() => setDialog('params')}
                  toast={showToast}
                />
              </section>
            ) : null}
            {tab === 'projects' ? (
              <section className="pane">
                <ProjectLibrary
                  revision={revision}
                  readOnly={submission.locked}
                  toast={showToast}
                  applyChanges={(cs) => {
                    grid.current?.applyChanges(cs);
                    onChanges(cs);
                  }}
                  onChanged={projectsChanged}
                />
              </section>
            ) : null}
            {tab === SUBMISSION_TAB.id ? <section className="pane">{submission.pane}</section> : null}
            {tab === 'performance' ? (
              <section className="pane">
                <LockScope locked={submission.locked}>
                  <PerformancePane toast={showToast} onChanged={projectsChanged} open={wizardAt} />
                </LockScope>
              </section>
            ) : null}
          </>
        ) : null}
      </main>

      <footer className="statusbar" data-testid="statusbar">
        {open && info ? (
          <>
            <span className="stat">
              合计 <b data-testid="total-all">{showAmount(info.totals.total)}</b>
            </span>
            <span className="stat">
              基本支出 <b data-testid="total-basic">{showAmount(info.totals.basic)}</b>
            </span>
            <span className="stat">
              项目支出 <b data-testid="total-project">{showAmount(info.totals.project)}</b>
            </span>
            <span className="stat muted">单位：{unitLabel}</span>
            <span className="stat muted">{info.lineCount} 行</span>
            {submission.statusText}
            <CeilingStatus revision={revision} budgetUnit={info.amountUnit} displayUnit={displayUnit} onOpen={() => setTab('params')} />
            <span className="spacer" />
            <button type="button" className="audit-state" data-testid="audit-state" onClick={() => setTab('audit')}>
              审核：
              <span className={info.audit.errors > 0 ? 'err' : 'ok'}>{info.audit.errors} 项错误</span> /{' '}
              <span className={info.audit.warnings > 0 ? 'warn' : 'ok'}>{info.audit.warnings} 项提示</span>
            </button>
            <span className={`stat save-state ${saveClass}`} data-testid="status-save" data-state={saveClass}>{saveText}</span>
            <span className="stat muted path" title={info.path ?? ''}>{info.path ?? ''}</span>
          </>
        ) : (
          <span className="stat muted">就绪</span>
        )}
      </footer>

      {dialog === 'new' ? (
        <NewBudgetDialog
          key={newPath ?? ''}
          initialPath={newPath}
          onClose={() => {
            setDialog(null);
            setNewPath(undefined);
          }}
          onCreated={(next) => {
            setDialog(null);
            setNewPath(undefined);
            budgetReplaced(next);
            showToast(`已新建预算：${next.department.name} ${next.fiscalYear} 年`, 'success');
          }}
        />
      ) : null}
      {dialog === 'codes' && info?.open ? (
        <CodeListDialog
          fiscalYear={info.fiscalYear}
          onClose={() => setDialog(null)}
          onImported={(r) => {
            // Names in the grid, the pickers, the tables and 审核 all read the new list.
            setGeneration((g) => g + 1);
            setRevision((v) => v + 1);
            void loadInfo();
            showToast(r.message, 'success');
          }}
        />
      ) : null}
      {dialog === 'params' && info?.open ? (
        <ImportParamsDialog
          onClose={() => setDialog(null)}
          onImported={(message) => {
            setDialog(null);
            // Code lists, the format and the 审核 rules may all have changed: everything is read again.
            setGeneration((g) => g + 1);
            setRevision((v) => v + 1);
            void loadInfo();
            showToast(message, 'success');
          }}
        />
      ) : null}
      {dialog === 'backups' && info?.open ? (
        <BackupDialog
          onClose={() => setDialog(null)}
          onRestored={(next, at) => {
            setDialog(null);
            budgetReplaced(next);
            showToast(`已恢复 ${new Date(at).toLocaleString('zh-CN')} 的备份`, 'success');
          }}
        />
      ) : null}
      {dialog === 'open' ? (
        <OpenBudgetDialog
          onClose={() => setDialog(null)}
          onOpened={(next) => {
            setDialog(null);
            budgetReplaced(next);
            showToast(`已打开：${next.department.name} ${next.fiscalYear} 年`, 'success');
          }}
        />
      ) : null}
      {busy ? (
        <div className="modal-backdrop busy">
          <div className="busy-box">{busy}</div>
        </div>
      ) : null}
      {submission.dialogs}
      <ToastHost toasts={toasts} />
    </div>
  );
}
