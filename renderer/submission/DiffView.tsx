// What changed between two versions of a budget (since the last 上报, or a unit's new package against the one
// received before): lines with each changed field before → after, projects, units, other facts, and every
// table cell that differs. Amounts are shown exact, never rounded.
import { useState } from 'react';
import type { BudgetDiffView, DiffFieldView, DiffItemView } from '../../api/submission.js';
import { subtractExact } from '../amounts.js';
import { CHANGE_LABELS } from './common.js';
import { showExact } from './files.js';

const SHOWN = 300;

function Change({ change }: { change: 'added' | 'removed' | 'changed' }) {
  return <span className={`sub-change ${change}`}>{CHANGE_LABELS[change]}</span>;
}

/** Fields of a line or a project that hold an amount (exact decimals in the diff's unit). */
const AMOUNT_FIELDS = new Set(['amount', 'totalAmount', 'yearAmount', 'priorTotalAmount', 'priorYearAmount']);

function FieldList({ fields, unit }: { fields: DiffFieldView[]; unit: string }) {
  // An amount is shown with its unit.
  const withUnit = (f: DiffFieldView, v: string | null) => (v === null ? '（空）' : AMOUNT_FIELDS.has(f.field) ? `${showExact(v)} ${unit}` : v);
  return (
    <ul className="sub-fields">
      {fields.map((f, i) => (
        <li key={i}>
          <span className="label">{f.label}</span>
          <span className="before">{withUnit(f, f.before)}</span>
          <span className="arrow">→</span>
          <span className="after">{withUnit(f, f.after)}</span>
        </li>
      ))}
    </ul>
  );
}

function Items({ title, items, testId, unit }: { title: string; items: DiffItemView[]; testId: string; unit: string }) {
  if (items.length === 0) return null;
  return (
    <section className="sub-diff-part" data-testid={testId}>
      <h5>{title}</h5>
      <ul className="sub-items">
        {items.map((p, i) => (
          <li key={i}>
            <Change change={p.change} />
            <b>
              {p.code} {p.name}
            </b>
            {p.fields.length ? <FieldList fields={p.fields} unit={unit} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function DiffView({
  diff,
  beforeLabel,
  afterLabel,
  onPickLine,
}: {
  diff: BudgetDiffView;
  beforeLabel: string;
  afterLabel: string;
  onPickLine?(id: number): void;
}) {
  const [allLines, setAllLines] = useState(false);
  const [allCells, setAllCells] = useState(false);
  const u = diff.amountUnit;
  if (diff.unchanged) return <p className="sub-unchanged" data-testid="diff-unchanged">没有变化：与{beforeLabel}完全一致。</p>;
  const c = diff.counts;
  const lines = allLines ? diff.lines : diff.lines.slice(0, SHOWN);
  const cells = allCells ? diff.cells : diff.cells.slice(0, SHOWN);
  return (
    <div className="sub-diff" data-testid="diff-view">
      <p className="sub-diff-totals">
        支出总计：{beforeLabel} <b>{showExact(diff.totals.before)}</b> → {afterLabel} <b>{showExact(diff.totals.after)}</b> {u}
        {diff.totals.before !== diff.totals.after ? `（${signed(subtractExact(diff.totals.after, diff.totals.before))} ${u}）` : ''}
      </p>
      {diff.lines.length ? (
        <section className="sub-diff-part" data-testid="diff-lines">
          <h5>
            预算行：新增 {c.lines.added}，删除 {c.lines.removed}，修改 {c.lines.changed}
          </h5>
          <div className="sub-scroll">
            <table className="plain sub-diff-table">
              <thead>
                <tr>
                  <th>变化</th>
                  <th>单位</th>
                  <th>功能分类</th>
                  <th>经济分类</th>
                  <th>支出类型</th>
                  <th>项目</th>
                  <th>资金来源</th>
                  <th className="num">金额（{u}）</th>
                  <th>修改内容</th>
                </tr>
              </thead>
              <tbody>
                {lines.map((l, i) => (
                  <tr
                    key={i}
                    className={l.lineId !== null && onPickLine ? 'clickable' : undefined}
                    title={l.lineId !== null && onPickLine ? '在预算明细中定位此行' : undefined}
                    onClick={l.lineId !== null && onPickLine ? () => onPickLine(l.lineId!) : undefined}
                  >
                    <td>
                      <Change change={l.change} />
                    </td>
                    <td>{l.unit}</td>
                    <td>{l.functional}</td>
                    <td>{l.economic}</td>
                    <td>{l.kind}</td>
                    <td>{l.project}</td>
                    <td>{l.fund}</td>
                    <td className="num nowrap">
                      {l.change === 'added' ? showExact(l.after) : l.change === 'removed' ? showExact(l.before) : `${showExact(l.before)} → ${showExact(l.after)}`}
                    </td>
                    <td>{l.change === 'changed' ? <FieldList fields={l.fields} unit={u} /> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {diff.lines.length > SHOWN && !allLines ? (
            <button type="button" className="link" onClick={() => setAllLines(true)}>显示全部 {diff.lines.length} 行</button>
          ) : null}
          {diff.omitted.lines ? <p className="muted">……另有 {diff.omitted.lines} 行变化未列出</p> : null}
        </section>
      ) : null}
      <Items title={`项目：新增 ${c.projects.added}，删除 ${c.projects.removed}，修改 ${c.projects.changed}`} items={diff.projects} testId="diff-projects" unit={u} />
      <Items title="单位" items={diff.units} testId="diff-units" unit={u} />
      {diff.other.length ? (
        <section className="sub-diff-part" data-testid="diff-other">
          <h5>其他</h5>
          <FieldList fields={diff.other} unit={u} />
        </section>
      ) : null}
      {diff.cells.length ? (
        <section className="sub-diff-part" data-testid="diff-cells">
          <h5>表格单元格：{c.cells} 个数字不同</h5>
          <div className="sub-scroll">
            <table className="plain sub-diff-table">
              <thead>
                <tr>
                  <th>表</th>
                  <th>行</th>
                  <th>列</th>
                  <th className="num">{beforeLabel}（{u}）</th>
                  <th className="num">{afterLabel}（{u}）</th>
                  <th className="num">差额（{u}）</th>
                </tr>
              </thead>
              <tbody>
                {cells.map((cell, i) => (
                  <tr key={i}>
                    <td title={cell.tableTitle}>{cell.table}</td>
                    <td>{cell.rowLabel}</td>
                    <td>{cell.columnLabel}</td>
                    <td className="num">{showExact(cell.before)}</td>
                    <td className="num">{showExact(cell.after)}</td>
                    <td className="num">{signed(subtractExact(cell.after, cell.before))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {diff.cells.length > SHOWN && !allCells ? (
            <button type="button" className="link" onClick={() => setAllCells(true)}>显示全部 {diff.cells.length} 个</button>
          ) : null}
          {diff.omitted.cells ? <p className="muted">……另有 {diff.omitted.cells} 个单元格未列出</p> : null}
        </section>
      ) : null}
    </div>
  );
}

function signed(exact: string): string {
  return exact.startsWith('-') ? showExact(exact) : `+${showExact(exact)}`;
}
