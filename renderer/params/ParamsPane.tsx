// 控制数与参数: the ceilings the finance bureau set with what the budget uses and what is left (read again after
// every edit), the 项 whose change against last year needs a written reason, and the 审核 rules with their levels
// and parameters (changed by a package, or here with a reason).
import { useCallback, useEffect, useState } from 'react';
import type { AmountUnitCode } from '../../api/contract.js';
import type { ChangeView, ParamsView, RuleLevelCode, RuleView } from '../../api/params.js';
import { convertExact, formatExact } from '../amounts.js';
import { call, errorMessage } from '../api.js';
import { trackSave } from '../save-state.js';
import { showTime } from '../submission/files.js';
import type { ShowToast } from '../toast.js';
import './params.css';

const LEVEL_LABELS: Record<RuleLevelCode, string> = { hard: '错误（必须修改）', soft: '提示（需说明）', off: '不审核' };

interface Props {
  revision: number;
  budgetUnit: AmountUnitCode;
  displayUnit: AmountUnitCode;
  readOnly: boolean;
  /** Reasons or rules changed: the frame refreshes its 审核 counts. */
  onChanged(): void;
  onImport(): void;
  toast: ShowToast;
}

export function ParamsPane({ revision, budgetUnit, displayUnit, readOnly, onChanged, onImport, toast }: Props) {
  const [view, setView] = useState<ParamsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setView(await call('params.view', {}));
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load, revision]);
  const money = (exact: string) => formatExact(convertExact(exact, budgetUnit, displayUnit), 2);

  if (error) return <div className="empty-state error">{error}</div>;
  if (!view) return <div className="empty-state muted">正在读取…</div>;
  const c = view.ceilings;
  const last = view.packages.at(-1);

  return (
    <div className="params-pane" data-testid="params-pane">
      <section className="params-section">
        <header className="params-head">
          <h3>控制数</h3>
          <span className="muted">
            {last ? `来源：${last.authority} 下达的参数包“${last.fileName}”（${showTime(last.importedAt)} 导入）` : '尚未导入年度参数包'}
          </span>
          <span className="spacer" />
          <button type="button" disabled={readOnly} onClick={onImport}>导入年度参数包…</button>
        </header>
        {c.rows.length === 0 ? (
          <p className="muted">本预算没有控制数。导入财政部门下达的年度参数包后，这里列出各单位按资金来源、基本支出和项目支出的控制数，以及已安排和剩余的金额。</p>
        ) : (
          <table className="plain params-ceilings" data-testid="ceilings">
            <thead>
              <tr>
                <th>单位</th>
                <th>资金来源</th>
                <th>支出类型</th>
                <th className="num">控制数（{displayUnit}）</th>
                <th className="num">已安排</th>
                <th className="num">剩余</th>
              </tr>
            </thead>
            <tbody>
              {c.rows.map((r) => (
                <tr key={r.id} data-ceiling={r.id} className={r.exceeded ? 'exceeded' : ''}>
                  <td>
                    {r.unitName || r.unit}
                    {r.project ? <div className="muted">项目：{r.projectName || r.project}</div> : null}
                  </td>
                  <td>{r.fundGroupLabel}</td>
                  <td>{r.kindLabel}</td>
                  <td className="num">{money(r.ceiling)}</td>
                  <td className="num" data-cell="used">{money(r.used)}</td>
                  <td className="num" data-cell="remaining">
                    {money(r.remaining)}
                    {r.exceeded ? <span className="tag err">超出</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <td colSpan={3}>合计（各单位控制数）</td>
                <td className="num">{money(c.totals.ceiling)}</td>
                <td className="num">{money(c.totals.used)}</td>
                <td className="num" data-cell="total-remaining">{money(c.totals.remaining)}</td>
              </tr>
            </tfoot>
          </table>
        )}
        {c.exceeded > 0 ? (
          <p className={c.level === 'hard' ? 'form-error' : 'muted'} role="status">
            {c.exceeded} 项超出控制数{c.level === 'hard' ? '：超出控制数的预算不能上报，请调整预算或申请调整控制数。' : '。'}
          </p>
        ) : null}
      </section>

      <Changes view={view} money={money} readOnly={readOnly} onSaved={(v) => { setView(v); onChanged(); }} toast={toast} />

      <Rules rules={view.rules} readOnly={readOnly} onSaved={(v) => { setView(v); onChanged(); }} toast={toast} />

      {view.packages.length > 0 ? (
        <section className="params-section">
          <h3>已导入的参数包</h3>
          <table className="plain">
            <thead>
              <tr>
                <th>导入时间</th>
                <th>下达单位</th>
                <th>下达时间</th>
                <th>文件</th>
              </tr>
            </thead>
            <tbody>
              {view.packages.map((p, i) => (
                <tr key={i}>
                  <td>{showTime(p.importedAt)}</td>
                  <td>{p.authority}</td>
                  <td>{showTime(p.issuedAt)}</td>
                  <td>{p.fileName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}

function ReasonEditor({ row, readOnly, onSave }: { row: ChangeView; readOnly: boolean; onSave(code: string, text: string | null): Promise<void> }) {
  const [value, setValue] = useState(row.reason);
  useEffect(() => setValue(row.reason), [row.reason]);
  const commit = () => {
    if (value.trim() !== row.reason) void onSave(row.code, value.trim() === '' ? null : value);
  };
  return (
    <div className="reason-editor">
      <textarea
        aria-label={`${row.code} ${row.name} 的变动原因`}
        data-reason={row.code}
        rows={2}
        value={value}
        disabled={readOnly}
        placeholder="填写变动的主要原因"
        onChange={(e) => setValue(e.target.value)}
        onBlur={commit}
      />
      {row.priorReason && row.reason === '' ? (
        <div className="muted prior-reason">
          上年原因：{row.priorReason}{' '}
          <button type="button" className="link" disabled={readOnly} onClick={() => setValue(row.priorReason ?? '')}>
            以此为起点
          </button>
        </div>
      ) : null}
    </div>
  );
}

function Changes({ view, money, readOnly, onSaved, toast }: { view: ParamsView; money(exact: string): string; readOnly: boolean; onSaved(v: ParamsView): void; toast: ShowToast }) {
  const ch = view.changes;
  const save = async (code: string, text: string | null) => {
    try {
      onSaved(await trackSave(call('params.saveReasons', { reasons: [{ code, text }] })));
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  const missing = ch.rows.filter((r) => r.reason === '').length;
  return (
    <section className="params-section" data-testid="changes">
      <header className="params-head">
        <h3>较上年变动的原因</h3>
        <span className="muted">
          按{ch.level}比较，较上年变动达到 {ch.threshold} 的需填写原因{ch.rows.length ? `（${ch.rows.length} 项，${missing} 项未填写）` : ''}；原因写入预算说明，并作为下一年的起点
        </span>
      </header>
      {!ch.priorKnown ? (
        <p className="muted">上年数中没有按{ch.level}的明细，无法比较：请在“预算说明”中从上年的交换文件或上报数据包取上年数。</p>
      ) : ch.rows.length === 0 ? (
        <p className="muted">没有变动达到 {ch.threshold} 的科目。</p>
      ) : (
        <table className="plain params-changes">
          <thead>
            <tr>
              <th>功能分类</th>
              <th className="num">上年</th>
              <th className="num">本年</th>
              <th className="num">变动</th>
              <th>原因</th>
            </tr>
          </thead>
          <tbody>
            {ch.rows.map((r) => (
              <tr key={r.code} data-change={r.code} className={r.reason === '' ? 'missing' : ''}>
                <td>
                  {r.code} {r.name}
                </td>
                <td className="num">{money(r.prior)}</td>
                <td className="num">{money(r.current)}</td>
                <td className="num">{r.ratio === null ? '上年无' : `${r.direction} ${r.ratio}`}</td>
                <td>
                  <ReasonEditor row={r} readOnly={readOnly} onSave={save} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function RuleEditor({ rule, onCancel, onSave }: { rule: RuleView; onCancel(): void; onSave(level: RuleLevelCode, params: Record<string, string>, reason: string): Promise<void> }) {
  const [level, setLevel] = useState<RuleLevelCode>(rule.level);
  const [params, setParams] = useState<Record<string, string>>(Object.fromEntries(rule.params.map((p) => [p.key, p.value])));
  const [reason, setReason] = useState('');
  return (
    <div className="rule-editor" data-testid="rule-editor">
      <label>
        级别
        <select aria-label="级别" value={level} onChange={(e) => setLevel(e.target.value as RuleLevelCode)}>
          {(['hard', 'soft', 'off'] as const).map((l) => (
            <option key={l} value={l}>
              {LEVEL_LABELS[l]}
              {l === rule.defaultLevel ? '（默认）' : ''}
            </option>
          ))}
        </select>
      </label>
      {rule.params.map((p) => (
        <label key={p.key} title={p.hint}>
          {p.label}
          <input aria-label={p.label} value={params[p.key] ?? ''} onChange={(e) => setParams({ ...params, [p.key]: e.target.value })} />
          <span className="muted">默认 {p.defaultValue}</span>
        </label>
      ))}
      <label className="wide">
        修改原因（必填）
        <input aria-label="修改原因" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="如：按财政局某某号通知" />
      </label>
      <div className="rule-editor-actions">
        <button type="button" onClick={onCancel}>取消</button>
        <button type="button" className="primary" disabled={reason.trim() === ''} onClick={() => void onSave(level, params, reason)}>
          保存
        </button>
      </div>
    </div>
  );
}

function Rules({ rules, readOnly, onSaved, toast }: { rules: RuleView[]; readOnly: boolean; onSaved(v: ParamsView): void; toast: ShowToast }) {
  const [editing, setEditing] = useState<string | null>(null);
  const save = async (rule: RuleView, level: RuleLevelCode, params: Record<string, string>, reason: string) => {
    const changed = Object.fromEntries(Object.entries(params).filter(([k, v]) => rule.params.find((p) => p.key === k)?.value !== v));
    try {
      const v = await trackSave(call('params.setRule', { rule: rule.id, ...(level !== rule.level ? { level } : {}), ...(Object.keys(changed).length ? { params: changed } : {}), reason }));
      setEditing(null);
      onSaved(v);
      toast(`已修改审核规则：${rule.description}`, 'success');
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  return (
    <section className="params-section" data-testid="rules">
      <header className="params-head">
        <h3>审核规则</h3>
        <span className="muted">级别与参数可由年度参数包设定；本单位修改须填写原因并留有记录</span>
      </header>
      <table className="plain params-rules">
        <thead>
          <tr>
            <th>规则</th>
            <th>来源</th>
            <th>级别</th>
            <th>参数</th>
            <th>设定</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.id} data-rule={r.id} className={r.setBy !== null ? 'changed' : ''}>
              <td>
                {r.description}
                {r.expressions.length ? (
                  <details className="expressions">
                    <summary>表间关系（{r.expressions.length} 个）</summary>
                    <ul>
                      {r.expressions.map((e, i) => (
                        <li key={i}>
                          <code>{e}</code>
                        </li>
                      ))}
                    </ul>
                  </details>
                ) : null}
                {editing === r.id ? <RuleEditor rule={r} onCancel={() => setEditing(null)} onSave={(l, p, why) => save(r, l, p, why)} /> : null}
              </td>
              <td>{r.sourceLabel}</td>
              <td data-cell="level" className={`level-${r.level}`}>{LEVEL_LABELS[r.level]}</td>
              <td>
                {r.params.map((p) => (
                  <div key={p.key}>
                    {p.label}：{p.value}
                  </div>
                ))}
              </td>
              <td className="muted">
                {r.setBy ? `${r.setBy}${r.reason ? `：${r.reason}` : ''}` : '默认'}
              </td>
              <td>
                <button type="button" className="link" disabled={readOnly || editing !== null} onClick={() => setEditing(r.id)}>
                  修改
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
