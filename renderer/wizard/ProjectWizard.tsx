// One project's 项目支出绩效目标表, step by step: 基本信息, 项目详情, 绩效目标, 绩效指标, 审核, 预览. Leaving a step
// saves it (the project in the budget file is the draft) together with the wizard's position, so a lead can
// stop anywhere and come back. A refused save stays on the step with each message at its field.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import {
  BASIC_FIELDS,
  DETAIL_FIELDS,
  GOAL_FIELDS,
  PROJECT_FIELD_LABELS,
  WIZARD_STEPS,
  type BasicsValues,
  type WizardFinding,
  type WizardProject,
  type WizardProjectFields,
  type WizardStep,
} from '../../api/wizard.js';
import { call, errorMessage } from '../api.js';
import { formatExact } from '../amounts.js';
import type { ShowToast } from '../toast.js';
import { Field, Messages, PrintedTable, issuesOf, messagesFor, splitIndicatorIssues, stateMark, stateText, TemplateBar, type FieldMessage } from './common.js';
import { IndicatorEditor, draftsFrom, draftsFromDraft, forgetChanged, indicatorInputs, type DraftIndicator } from './IndicatorEditor.js';
import { trackSave } from '../save-state.js';
import { CodeField } from '../CodeField.js';

type EditStep = 'basics' | 'details' | 'goals' | 'indicators';
type DetailValues = Record<(typeof DETAIL_FIELDS)[number], string>;
type GoalValues = Record<(typeof GOAL_FIELDS)[number], string>;

const EDIT_STEPS: readonly WizardStep[] = ['basics', 'details', 'goals', 'indicators'];
const isEditStep = (s: WizardStep): s is EditStep => EDIT_STEPS.includes(s);

function pick<K extends keyof WizardProjectFields>(fields: WizardProjectFields, keys: readonly K[]): Record<K, string> {
  return Object.fromEntries(keys.map((k) => [k, fields[k] ?? ''])) as Record<K, string>;
}

const DETAIL_HINTS: Record<(typeof DETAIL_FIELDS)[number], string> = {
  overview: '项目的内容、范围、资金构成',
  basis: '政策文件、会议纪要、合同等（写明文号）',
  necessity: '不设立本项目会有什么问题',
  measures: '保障项目实施的管理制度',
  plan: '实施步骤和时间安排',
  remarks: '',
};

interface Props {
  code: string | null;
  /** Open at the step and field of this 审核 finding (from the 审核 tab). */
  at?: { rule: string; field: string | null; indicator: number | null };
  onExit(): void;
  toast: ShowToast;
  /** Something was stored (the frame refreshes its totals and audit counts). */
  onChanged(): void;
}

export function ProjectWizard({ code, at, onExit, toast, onChanged }: Props) {
  const [view, setView] = useState<WizardProject | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [step, setStep] = useState<WizardStep>('basics');
  const [basics, setBasics] = useState<BasicsValues | null>(null);
  const [details, setDetails] = useState<DetailValues | null>(null);
  const [goals, setGoals] = useState<GoalValues | null>(null);
  const [drafts, setDrafts] = useState<DraftIndicator[]>([]);
  const [types, setTypes] = useState<string[]>([]);
  const [dirty, setDirty] = useState<ReadonlySet<EditStep>>(new Set());
  const [issues, setIssues] = useState<Map<string, string>>(new Map());
  /** Refusal messages of indicator rows by draft id. */
  const [rowIssues, setRowIssues] = useState<Map<number, string[]>>(new Map());
  const [busy, setBusy] = useState(false);
  const [focus, setFocus] = useState<{ field: string; indicator: number | null } | null>(null);
  const body = useRef<HTMLDivElement>(null);

  const adopt = useCallback((v: WizardProject) => {
    setView(v);
    setBasics({ ...pick(v.fields, BASIC_FIELDS), category: v.fields.category } as BasicsValues);
    setDetails(pick(v.fields, DETAIL_FIELDS));
    setGoals(pick(v.fields, GOAL_FIELDS));
    // Rows saved as a draft come back exactly as typed, with what is still wrong at each row.
    const rows = v.indicatorDraft ? draftsFromDraft(v.indicatorDraft, v.indicators) : draftsFrom(v.indicators);
    setDrafts(rows);
    setTypes(v.projectTypes);
    setDirty(new Set());
    if (v.indicatorDraft) {
      const { byRow, rest } = splitIndicatorIssues(new Map(v.indicatorDraft.issues.map((i) => [i.path, i.message])), rows);
      setRowIssues(byRow);
      setIssues(rest);
    } else {
      setIssues(new Map());
      setRowIssues(new Map());
    }
  }, []);

  // Input not yet saved is not lost silently: the browser asks before the page is closed or reloaded.
  useEffect(() => {
    if (dirty.size === 0) return;
    const onLeave = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onLeave);
    return () => window.removeEventListener('beforeunload', onLeave);
  }, [dirty]);

  useEffect(() => {
    let live = true;
    call('wizard.project', { code })
      .then((v) => {
        if (!live) return;
        adopt(v);
        setStep(v.position);
      })
      .catch((err: unknown) => live && setLoadError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [code, adopt]);

  const touch = (s: EditStep) => setDirty((d) => (d.has(s) ? d : new Set([...d, s])));

  /** Saves the current step when it has changes (or is a new project), recording `position`; true when stored. */
  const save = useCallback(
    async (position?: WizardStep): Promise<boolean> => {
      if (!view || !basics || !details || !goals) return false;
      const current = step;
      const mustSave = isEditStep(current) && (dirty.has(current) || view.isNew);
      if (!mustSave) {
        if (position && view.code && position !== view.position) {
          try {
            adopt(await call('wizard.visit', { code: view.code, position }));
          } catch (err) {
            toast(errorMessage(err), 'error');
          }
        }
        return true;
      }
      setBusy(true);
      try {
        let next: WizardProject;
        if (current === 'basics') next = await call('wizard.saveBasics', { code: view.code, values: basics, ...(position ? { position } : {}) });
        else if (current === 'details') next = await call('wizard.saveDetails', { code: view.code!, values: details, ...(position ? { position } : {}) });
        else if (current === 'goals') next = await call('wizard.saveGoals', { code: view.code!, values: goals, ...(position ? { position } : {}) });
        else {
          // A draft keeps every row as typed, valid or not; what is wrong is shown at its row and stops 完成.
          next = await trackSave(
            call('wizard.saveIndicators', {
              code: view.code!,
              indicators: indicatorInputs(drafts, false),
              projectTypes: types,
              draft: true,
              ...(position ? { position } : {}),
            }),
          );
          if (next.indicatorDraft) {
            const n = next.indicatorDraft.issues.length;
            toast(`已存为草稿：${n} 处尚未填写完整，完成前须改正（${next.indicatorDraft.issues[0]?.message ?? ''}）`, 'warning', 10000);
          }
        }
        adopt(next);
        onChanged();
        return true;
      } catch (err) {
        const found = issuesOf(err);
        if (current === 'indicators') {
          const { byRow, rest } = splitIndicatorIssues(found, drafts);
          setRowIssues(byRow);
          setIssues(rest);
        } else setIssues(found);
        toast(errorMessage(err), 'error', 10000);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [view, basics, details, goals, drafts, types, step, dirty, adopt, onChanged, toast],
  );

  const go = useCallback(
    async (target: WizardStep) => {
      if (!view || target === step || busy) return;
      if (await save(target)) setStep(target);
    },
    [view, step, busy, save],
  );

  const stepIndex = WIZARD_STEPS.indexOf(step);
  const next = WIZARD_STEPS[stepIndex + 1];
  const prev = WIZARD_STEPS[stepIndex - 1];

  const exit = useCallback(async () => {
    if (dirty.size > 0 && !(await save())) {
      if (!window.confirm('当前步骤有错误，修改尚未保存。仍要返回项目列表吗？（未保存的修改将丢失）')) return;
    }
    onExit();
  }, [dirty, save, onExit]);

  // Alt+← / Alt+→ move between steps, Ctrl+S saves the draft.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
        const target = e.key === 'ArrowRight' ? next : prev;
        if (target) {
          e.preventDefault();
          void go(target);
        }
      } else if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void save().then((ok) => ok && toast('草稿已保存', 'success'));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, next, prev, save, toast]);

  // Opened from a 审核 finding: go to its step and field once the project is loaded (the wizard's own
  // finding of the same rule and place says which step holds the field).
  const opened = useRef(false);
  useEffect(() => {
    if (!at || !view || opened.current) return;
    opened.current = true;
    const same = (f: WizardFinding) => f.indicator === at.indicator && (at.field === null || f.field === at.field);
    const match = view.findings.find((f) => f.rule === at.rule && same(f)) ?? view.findings.find(same);
    if (!match) return;
    setStep(match.step);
    setFocus({ field: match.field, indicator: match.indicator });
  }, [at, view]);

  // After jumping to a finding: bring its field into view and give it the keyboard.
  useEffect(() => {
    if (!focus || !body.current) return;
    const root = body.current;
    let el: HTMLElement | null = null;
    if (focus.indicator !== null) {
      const row = root.querySelector(`[data-indicator="${focus.indicator}"]`);
      // The target's own box first (a number, a qualitative choice), else the name.
      const order = focus.field === 'name' ? ['.wz-name'] : ['.wz-number', '.wz-qualitative', '.wz-target button', '.wz-name'];
      for (const selector of order) el ??= (row?.querySelector(selector) as HTMLElement | null) ?? null;
    } else {
      el = root.querySelector(`#wz-f-${focus.field}`) ?? root.querySelector(`[data-field="${focus.field}"] input, [data-field="${focus.field}"] textarea, [data-field="${focus.field}"] select`);
      if (!el && (focus.field === 'indicators' || focus.field === 'target')) el = root.querySelector('.wz-table-messages');
    }
    el?.scrollIntoView({ block: 'center' });
    el?.focus();
    setFocus(null);
  }, [focus, step, view]);

  if (loadError) return <div className="empty-state error">{loadError}</div>;
  if (!view || !basics || !details || !goals) return <div className="empty-state">正在读取项目…</div>;

  const findingsOf = (s: WizardStep) => view.findings.filter((f) => f.step === s);
  const required = new Set(view.requiredFields);
  /** A field typed into since the last save: the findings of the saved value no longer apply to it. */
  const edited = (field: string): boolean => {
    const saved = (view.fields as unknown as Record<string, string>)[field];
    const now = (basics as unknown as Record<string, string>)[field] ?? (details as Record<string, string>)[field] ?? (goals as Record<string, string>)[field];
    return saved !== undefined && now !== undefined && saved !== now;
  };
  const msgs = (field: string): FieldMessage[] => messagesFor(field, issues, edited(field) ? [] : findingsOf(step));
  const errors = view.findings.filter((f) => f.severity === 'error');
  const warnings = view.findings.filter((f) => f.severity === 'warning');
  const unit = view.amountUnit;

  const locate = (f: WizardFinding) => {
    void (async () => {
      if (f.step !== step) {
        if (!(await save(f.step))) return;
        setStep(f.step);
      }
      setFocus({ field: f.field, indicator: f.indicator });
    })();
  };

  const setBasic = (field: keyof BasicsValues, value: string) => {
    setBasics((b) => (b ? ({ ...b, [field]: value } as BasicsValues) : b));
    touch('basics');
  };

  const input = (field: (typeof BASIC_FIELDS)[number], props: { type?: string; wide?: boolean; list?: string; suffix?: string; hint?: ReactNode; placeholder?: string } = {}) => (
    <Field field={field} label={PROJECT_FIELD_LABELS[field]} required={required.has(field) || field === 'code' || field === 'yearAmount'} messages={msgs(field)} wide={props.wide} hint={props.hint}>
      <input
        id={`wz-f-${field}`}
        type={props.type ?? 'text'}
        value={basics[field]}
        list={props.list}
        placeholder={props.placeholder}
        inputMode={props.suffix ? 'decimal' : undefined}
        className={props.suffix ? 'wz-amount' : undefined}
        onChange={(e) => setBasic(field, e.target.value)}
      />
      {props.suffix ? <span className="wz-suffix">{props.suffix}</span> : null}
    </Field>
  );

  const lines = view.lines;
  const linesHint = view.isNew ? null : (
    <div className={`wz-lines ${lines.matches ? 'ok' : lines.count > 0 ? 'bad' : 'none'}`} data-testid="lines-info">
      <span>
        支出明细合计 <b>{formatExact(lines.amount, 2)}</b> {unit}（{lines.count} 条）
      </span>
      {lines.count > 0 && !lines.matches ? (
        <span className="wz-lines-text">
          差额 {lines.difference.startsWith('-') ? '' : '+'}
          {formatExact(lines.difference, 2)} {unit}
        </span>
      ) : (
        <span className="wz-lines-text">{lines.explanation}</span>
      )}
      {lines.count > 0 && !lines.matches ? (
        <button type="button" className="link" onClick={() => setBasic('yearAmount', lines.amount)}>
          改为明细合计 {formatExact(lines.amount, 2)}
        </button>
      ) : null}
    </div>
  );

  const stepContent = () => {
    switch (step) {
      case 'basics':
        return (
          <div className="wz-form">
            <h3 className="wz-section">项目基本信息</h3>
            <div className="wz-grid">
              {input('code')}
              <Field field="unit" label="单位" required messages={msgs('unit')}>
                <select id="wz-f-unit" value={basics.unit} onChange={(e) => setBasic('unit', e.target.value)}>
                  {basics.unit === '' ? <option value="">（请选择）</option> : null}
                  {view.choices.units.map((u) => (
                    <option key={u.code} value={u.code}>
                      {u.code} {u.name}
                    </option>
                  ))}
                </select>
              </Field>
              {input('name', { wide: true })}
              <Field field="category" label="项目类别" required messages={msgs('category')}>
                <select id="wz-f-category" value={basics.category} onChange={(e) => setBasic('category', e.target.value)}>
                  {view.choices.categories.map((c) => (
                    <option key={c.code} value={c.code}>
                      {c.label}
                    </option>
                  ))}
                </select>
              </Field>
              <Field field="functional" label={PROJECT_FIELD_LABELS.functional} required={required.has('functional')} messages={msgs('functional')}>
                {/* The grid's 科目 picker: a 项 of the year's list (path 类 › 款 › 项, search), never raw text. */}
                <CodeField kind="functional" id="wz-f-functional" value={basics.functional} onChange={(code) => setBasic('functional', code)} placeholder="输入编码或名称查找（如“农业农村 行政运行”）" />
              </Field>
              {input('usage', { list: 'wz-usage-options' })}
              {input('leader')}
              {input('contact')}
              {input('phone')}
              {input('start', { type: 'date' })}
              {input('end', { type: 'date' })}
            </div>
            <h3 className="wz-section">项目金额（{unit}）</h3>
            <div className="wz-grid">
              {input('totalAmount', { suffix: unit })}
              {input('yearAmount', { suffix: unit, hint: linesHint })}
              {input('priorTotalAmount', { suffix: unit })}
              {input('priorYearAmount', { suffix: unit })}
            </div>
            <datalist id="wz-usage-options">
              {view.choices.usages.map((u) => (
                <option key={u} value={u} />
              ))}
            </datalist>
          </div>
        );
      case 'details':
        return (
          <div className="wz-form">
            <h3 className="wz-section">项目详细信息</h3>
            {DETAIL_FIELDS.map((field) => (
              <Field key={field} field={field} label={PROJECT_FIELD_LABELS[field]} required={required.has(field)} messages={msgs(field)} wide hint={DETAIL_HINTS[field] || undefined}>
                <textarea
                  id={`wz-f-${field}`}
                  rows={field === 'remarks' ? 2 : 4}
                  value={details[field]}
                  onChange={(e) => {
                    setDetails({ ...details, [field]: e.target.value });
                    touch('details');
                  }}
                />
              </Field>
            ))}
          </div>
        );
      case 'goals':
        return (
          <div className="wz-form">
            <h3 className="wz-section">项目绩效目标</h3>
            {GOAL_FIELDS.map((field) => (
              <Field
                key={field}
                field={field}
                label={PROJECT_FIELD_LABELS[field]}
                required={required.has(field)}
                messages={msgs(field)}
                wide
                hint={field === 'overallGoal' ? '项目整个实施期内要达到的产出和效果' : '本年度要达到的产出和效果，应与绩效指标对应'}
              >
                <textarea
                  id={`wz-f-${field}`}
                  rows={6}
                  value={goals[field]}
                  onChange={(e) => {
                    setGoals({ ...goals, [field]: e.target.value });
                    touch('goals');
                  }}
                />
              </Field>
            ))}
          </div>
        );
      case 'indicators':
        return indicatorsStep();
      case 'audit':
        return auditStep();
      case 'preview':
        return previewStep();
    }
  };

  const addStandardRows = () => {
    const t = view.template;
    if (!t) return;
    const have = new Set(drafts.map((d) => `${d.level1}\u0000${d.level2}\u0000${d.name}`));
    const missing = t.standardRows.filter((r) => !have.has(`${r.level1}\u0000${r.level2}\u0000${r.name}`));
    if (missing.length === 0) {
      toast('模板的标准指标都已在表中', 'info');
      return;
    }
    const added = draftsFrom(missing.map((r) => ({ level1: r.level1, level2: r.level2, name: r.name, note: r.note, target: r.reading }))).map((d) => ({ ...d, savedIndex: null }));
    setDrafts([...added, ...drafts]);
    touch('indicators');
    toast(`已添加 ${missing.length} 项模板标准指标`, 'success');
  };

  const changeTemplate = async (id: string) => {
    if (!view.code) return;
    if (dirty.has('indicators') && !(await save())) return;
    try {
      adopt(await call('wizard.setTemplate', { code: view.code, template: id === '' ? null : id }));
      toast('已切换指标模板', 'success');
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };

  const indicatorsStep = () => {
    const tableMessages: FieldMessage[] = [
      ...[...issues].map(([, message]) => ({ severity: 'error' as const, message })),
      ...findingsOf('indicators')
        .filter((f) => f.indicator === null)
        .map((f) => ({ severity: f.severity, message: f.message })),
    ];
    return (
      <div className="wz-form wide">
        <TemplateBar template={view.template} templates={view.templates} onChoose={(id) => void changeTemplate(id)} yearNote>
          <span className="spacer" />
          <button type="button" onClick={addStandardRows} disabled={!view.template || view.template.standardRows.length === 0}>
            补充模板标准指标
          </button>
        </TemplateBar>
        <fieldset className="wz-types">
          <legend>项目类型（用于排列建议指标）</legend>
          {view.choices.projectTypes.map((t) => (
            <label key={t} className={types.includes(t) ? 'on' : ''}>
              <input
                type="checkbox"
                checked={types.includes(t)}
                onChange={(e) => {
                  setTypes(e.target.checked ? [...types, t] : types.filter((x) => x !== t));
                  touch('indicators');
                }}
              />
              {t}
            </label>
          ))}
        </fieldset>
        <div className="wz-table-messages" tabIndex={-1} data-field="indicators">
          <Messages list={tableMessages} testId="msg-indicators" />
        </div>
        <IndicatorEditor
          drafts={drafts}
          onChange={(d) => {
            setRowIssues((prev) => forgetChanged(prev, drafts, d));
            setDrafts(d);
            touch('indicators');
          }}
          slots={view.template?.slots ?? []}
          choices={view.choices}
          rowMessages={(d) => [
            ...(rowIssues.get(d.id) ?? []).map((message) => ({ severity: 'error' as const, message })),
            ...(d.savedIndex !== null && !dirtyRow(d) ? findingsOf('indicators').filter((f) => f.indicator === d.savedIndex) : []).map((f) => ({ severity: f.severity, message: f.message })),
          ]}
          withNotes={false}
          code={view.code}
          projectTypes={types}
          toast={toast}
        />
      </div>
    );
  };

  /** A row edited since the last save: its old findings no longer apply. */
  const dirtyRow = (d: DraftIndicator) => {
    const saved = d.savedIndex !== null ? view.indicators[d.savedIndex] : undefined;
    if (!saved) return true;
    return saved.name !== d.name || d.target.mode !== (saved.target.kind === 'empty' ? 'empty' : 'keep');
  };

  const auditStep = () => (
    <div className="wz-form wide wz-audit" data-testid="audit-step">
      <div className={`wz-audit-summary ${errors.length ? 'bad' : 'ok'}`}>
        {errors.length ? (
          <>
            <b>{errors.length}</b> 项必须修改{warnings.length ? <>，<b>{warnings.length}</b> 项提示</> : null}。点击一项可转到相应位置。
          </>
        ) : (
          <>审核通过{warnings.length ? `（${warnings.length} 项提示请确认）` : ''}：请在“预览”中核对打印效果后点“完成”。</>
        )}
      </div>
      {EDIT_STEPS.map((s) => {
        const list = findingsOf(s);
        if (list.length === 0) return null;
        return (
          <section key={s} className="wz-audit-group">
            <h4>
              {WIZARD_STEPS.indexOf(s) + 1}. {view.steps.find((x) => x.step === s)?.label}
            </h4>
            <ul>
              {list.map((f, i) => (
                <li key={i} className={f.severity}>
                  <span className={`pill ${f.severity === 'error' ? 'error' : 'warning'}`}>{f.severity === 'error' ? '必须修改' : '提示'}</span>
                  <button type="button" className="link wz-finding" data-rule={f.rule} data-field={f.field} onClick={() => locate(f)}>
                    {f.message}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      <section className="wz-audit-group">
        <h4>金额</h4>
        <p className="wz-lines-text">
          项目本年度金额 {formatExact(view.fields.yearAmount || '0', 2)} {unit}：{lines.explanation}
        </p>
      </section>
    </div>
  );

  const previewStep = () => (
    <div className="wz-preview">
      <div className="wz-preview-side">
        <div className={`wz-status ${view.status}`} data-testid="wizard-status">
          {view.statusLabel}
        </div>
        {errors.length ? (
          <p className="wz-lines-text">还有 {errors.length} 项必须修改，见“审核”。</p>
        ) : view.completed ? (
          <p className="wz-lines-text">本表已完成。再修改时，完成状态会按审核结果重新判断。</p>
        ) : (
          <p className="wz-lines-text">核对无误后点“完成”。</p>
        )}
      </div>
      {view.preview ? <PrintedTable view={view.preview} testId="project-preview" /> : null}
    </div>
  );

  const complete = async () => {
    if (!view.code) return;
    setBusy(true);
    try {
      const done = await call('wizard.complete', { code: view.code });
      adopt(done);
      onChanged();
      toast(`项目 ${done.code}“${done.fields.name}”的绩效目标表已完成`, 'success');
    } catch (err) {
      toast(errorMessage(err), 'error', 10000);
    } finally {
      setBusy(false);
    }
  };

  const title = view.isNew ? '新建项目' : `${view.code} ${view.fields.name}`;

  return (
    <div className="wz-wizard" data-testid="project-wizard">
      <header className="wz-head">
        <button type="button" onClick={() => void exit()}>
          ← 返回项目列表
        </button>
        <h2 className="wz-title">{title}</h2>
        {!view.isNew ? (
          <span className={`wz-status ${view.status}`} data-testid="wizard-status-head">
            {view.statusLabel}
          </span>
        ) : null}
        <span className="spacer" />
        <span className="muted">{view.template ? `模板：${view.template.name}` : ''}</span>
      </header>
      <nav className="wz-steps" aria-label="填写步骤">
        {view.steps.map((s, i) => (
          <button
            key={s.step}
            type="button"
            className={`wz-step ${s.state}${s.step === step ? ' current' : ''}`}
            aria-current={s.step === step ? 'step' : undefined}
            title={stateText(s.state)}
            data-step={s.step}
            onClick={() => void go(s.step)}
          >
            <span className="wz-step-no">{i + 1}</span>
            <span className="wz-step-label">{s.label}</span>
            <span className="wz-step-mark" aria-label={stateText(s.state)}>
              {stateMark(s.state)}
            </span>
          </button>
        ))}
      </nav>
      <div className="wz-body" ref={body}>
        {stepContent()}
      </div>
      <footer className="wz-foot">
        <button type="button" disabled={!prev || busy} onClick={() => prev && void go(prev)} title="Alt+←">
          上一步
        </button>
        {isEditStep(step) ? (
          <button type="button" disabled={busy} title="Ctrl+S" onClick={() => void save().then((ok) => ok && toast('草稿已保存', 'success'))}>
            保存草稿
          </button>
        ) : null}
        <span className="wz-save-state" data-testid="save-state">
          {busy ? '正在保存…' : dirty.size ? '有未保存的修改（离开本步时自动保存）' : view.isNew ? '尚未保存' : '已保存'}
        </span>
        <span className="spacer" />
        {next ? (
          <button type="button" className="primary" disabled={busy} onClick={() => void go(next)} title="Alt+→">
            下一步：{view.steps.find((s) => s.step === next)?.label}
          </button>
        ) : (
          <button type="button" className="primary" disabled={busy || errors.length > 0 || view.isNew} onClick={() => void complete()}>
            完成
          </button>
        )}
      </footer>
    </div>
  );
}
