// The department's 整体绩效目标表 (T10): 年度履职目标, 主要任务, the indicators with their 指标值说明, and the
// budget block, which comes from the lines and is shown, never typed.
import { useCallback, useEffect, useState } from 'react';
import type { WizardDepartment } from '../../api/wizard.js';
import { call, errorMessage } from '../api.js';
import type { ShowToast } from '../toast.js';
import { Field, Messages, PrintedTable, issuesOf, messagesFor, splitIndicatorIssues, TemplateBar, type FieldMessage } from './common.js';
import { IndicatorEditor, draftProblems, draftsFrom, forgetChanged, indicatorInputs, type DraftIndicator } from './IndicatorEditor.js';

interface Props {
  onExit(): void;
  toast: ShowToast;
  onChanged(): void;
}

export function DepartmentForm({ onExit, toast, onChanged }: Props) {
  const [view, setView] = useState<WizardDepartment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dutyGoal, setDutyGoal] = useState('');
  const [tasks, setTasks] = useState<{ name: string; content: string }[]>([]);
  const [drafts, setDrafts] = useState<DraftIndicator[]>([]);
  const [dirty, setDirty] = useState(false);
  const [issues, setIssues] = useState<Map<string, string>>(new Map());
  const [rowIssues, setRowIssues] = useState<Map<number, string[]>>(new Map());
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState(false);

  const adopt = useCallback((v: WizardDepartment) => {
    setView(v);
    setDutyGoal(v.dutyGoal);
    setTasks(v.tasks);
    setDrafts(draftsFrom(v.indicators));
    setDirty(false);
    setIssues(new Map());
    setRowIssues(new Map());
  }, []);

  useEffect(() => {
    call('wizard.department', {})
      .then(adopt)
      .catch((err: unknown) => setError(errorMessage(err)));
  }, [adopt]);

  const save = useCallback(async (): Promise<boolean> => {
    const problems = draftProblems(drafts);
    if (problems.size) {
      toast(`有 ${problems.size} 个指标值无法使用，请先修改`, 'error');
      return false;
    }
    setBusy(true);
    try {
      adopt(await call('wizard.saveDepartment', { dutyGoal, tasks, indicators: indicatorInputs(drafts, true) }));
      onChanged();
      return true;
    } catch (err) {
      const { byRow, rest } = splitIndicatorIssues(issuesOf(err), drafts);
      setRowIssues(byRow);
      setIssues(rest);
      toast(errorMessage(err), 'error', 10000);
      return false;
    } finally {
      setBusy(false);
    }
  }, [drafts, dutyGoal, tasks, adopt, onChanged, toast]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void save().then((ok) => ok && toast('已保存', 'success'));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save, toast]);

  if (error) return <div className="empty-state error">{error}</div>;
  if (!view) return <div className="empty-state">正在读取部门整体绩效目标表…</div>;

  const exit = async () => {
    if (dirty && !(await save()) && !window.confirm('修改尚未保存（有错误）。仍要返回吗？')) return;
    onExit();
  };

  const changeTemplate = async (id: string) => {
    if (dirty && !(await save())) return;
    try {
      adopt(await call('wizard.setDepartmentTemplate', { template: id === '' ? null : id }));
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };

  const msgs = (field: string, indicator: number | null = null): FieldMessage[] => messagesFor(field, issues, view.findings, indicator);
  const setTask = (i: number, patch: Partial<{ name: string; content: string }>) => {
    setTasks(tasks.map((t, j) => (j === i ? { ...t, ...patch } : t)));
    setDirty(true);
  };
  const tableMessages = view.findings.filter((f) => f.step === 'indicators' && f.indicator === null).map((f) => ({ severity: f.severity, message: f.message }));
  const savedIndicator = (d: DraftIndicator) => (d.savedIndex !== null ? view.indicators[d.savedIndex] : undefined);

  return (
    <div className="wz-wizard" data-testid="department-form">
      <header className="wz-head">
        <button type="button" onClick={() => void exit()}>
          ← 返回项目列表
        </button>
        <h2 className="wz-title">部门（单位）整体绩效目标表</h2>
        <span className="muted">{view.departmentName}</span>
        <span className="spacer" />
        <button type="button" onClick={() => setPreview(!preview)} aria-pressed={preview}>
          {preview ? '返回编辑' : '预览打印样式'}
        </button>
      </header>
      <div className="wz-body">
        {preview ? (
          <PrintedTable view={view.preview} testId="department-preview" />
        ) : (
          <div className="wz-form wide">
            {!view.saved ? <p className="wz-note-box">本表尚未保存：下面的指标是所选模板的标准指标，保存后生效。</p> : null}
            <Field field="dutyGoal" label="年度履职目标" required wide messages={msgs('dutyGoal')}>
              <textarea
                id="wz-f-dutyGoal"
                rows={4}
                value={dutyGoal}
                onChange={(e) => {
                  setDutyGoal(e.target.value);
                  setDirty(true);
                }}
              />
            </Field>
            <div className="wz-field wide" data-field="tasks">
              <label>
                年度主要任务<span className="wz-required">*</span>
              </label>
              <table className="wz-tasks">
                <thead>
                  <tr>
                    <th>任务名称</th>
                    <th>主要内容</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {tasks.map((t, i) => (
                    <tr key={i}>
                      <td>
                        <input aria-label={`第 ${i + 1} 项任务名称`} value={t.name} onChange={(e) => setTask(i, { name: e.target.value })} />
                      </td>
                      <td>
                        <textarea aria-label={`第 ${i + 1} 项主要内容`} rows={2} value={t.content} onChange={(e) => setTask(i, { content: e.target.value })} />
                      </td>
                      <td>
                        <button
                          type="button"
                          className="link"
                          aria-label={`删除第 ${i + 1} 项任务`}
                          onClick={() => {
                            setTasks(tasks.filter((_, j) => j !== i));
                            setDirty(true);
                          }}
                        >
                          ×
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <button
                type="button"
                onClick={() => {
                  setTasks([...tasks, { name: '', content: '' }]);
                  setDirty(true);
                }}
              >
                ＋ 添加任务
              </button>
              <Messages list={[...msgs('tasks'), ...view.findings.filter((f) => f.field === 'tasks' && f.indicator !== null).map((f) => ({ severity: f.severity, message: f.message }))]} testId="msg-tasks" />
            </div>
            <div className="wz-field wide">
              <label>预算情况（{view.amountUnit}，由预算明细计算，不能在此修改）</label>
              <table className="wz-budget" data-testid="department-budget">
                <tbody>
                  {view.budget.map((r) => (
                    <tr key={r.key} data-row={r.key}>
                      <th>{r.label}</th>
                      <td className="num">{r.text}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <TemplateBar template={view.template} templates={view.templates} onChoose={(id) => void changeTemplate(id)} />
            <div className="wz-table-messages" data-field="indicators">
              <Messages list={tableMessages} testId="msg-indicators" />
            </div>
            <IndicatorEditor
              drafts={drafts}
              onChange={(d) => {
                setRowIssues((prev) => forgetChanged(prev, drafts, d));
                setDrafts(d);
                setDirty(true);
              }}
              slots={view.template?.slots ?? []}
              choices={view.choices}
              rowMessages={(d) => {
                const saved = savedIndicator(d);
                const unchanged = saved && saved.name === d.name && d.target.mode === (saved.target.kind === 'empty' ? 'empty' : 'keep');
                return [
                  ...(rowIssues.get(d.id) ?? []).map((message) => ({ severity: 'error' as const, message })),
                  ...(unchanged ? view.findings.filter((f) => f.indicator === d.savedIndex && f.step === 'indicators') : []).map((f) => ({ severity: f.severity, message: f.message })),
                ];
              }}
              withNotes
              code={null}
              projectTypes={['部门整体']}
              toast={toast}
            />
          </div>
        )}
      </div>
      <footer className="wz-foot">
        <span className="wz-save-state">{busy ? '正在保存…' : dirty ? '有未保存的修改' : view.saved ? '已保存' : '尚未保存'}</span>
        <span className="spacer" />
        <button type="button" className="primary" disabled={busy} title="Ctrl+S" onClick={() => void save().then((ok) => ok && toast('部门整体绩效目标表已保存', 'success'))}>
          保存
        </button>
      </footer>
    </div>
  );
}
