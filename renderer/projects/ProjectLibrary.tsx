// 项目库: every project of the budget with its master data (code, name, unit, category, 功能分类, leader, dates,
// amounts) and the lines booked on it; 新建, 编辑 and 删除 apart from the 绩效 wizard, each one undoable step. A
// project that lines use is not deleted: the message says how many lines and where. Filters by text and unit;
// a long list (a department's 2,000 projects) shows only the rows in view.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ChangeSet } from '../../api/contract.js';
import type { ProjectLibrary as Library, ProjectRecord, ProjectSaved } from '../../api/projects.js';
import { BASIC_FIELDS, type BasicsValues } from '../../api/wizard.js';
import { call, errorMessage } from '../api.js';
import { formatExact } from '../amounts.js';
import { trackSave } from '../save-state.js';
import type { ShowToast } from '../toast.js';
import { useRowWindow } from '../virtual.js';
import { ProjectDialog } from './ProjectDialog.js';
import './projects.css';

/** Lists up to this long are shown whole. */
const WHOLE = 200;
const ALL = '';
const COLUMNS = 13;

interface Props {
  revision: number;
  readOnly: boolean;
  toast: ShowToast;
  /** A change set to show everywhere (grid rows, totals, undo). */
  applyChanges(cs: ChangeSet): void;
  /** Projects changed: names shown elsewhere are read again. */
  onChanged(): void;
}

const valuesOf = (p: ProjectRecord): BasicsValues => Object.fromEntries(BASIC_FIELDS.map((f) => [f, p[f]])) as unknown as BasicsValues;

const amount = (exact: string) => (exact === '' ? '' : formatExact(exact, 2));

export function ProjectLibrary({ revision, readOnly, toast, applyChanges, onChanged }: Props) {
  const [library, setLibrary] = useState<Library | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [unit, setUnit] = useState(ALL);
  const [dialog, setDialog] = useState<{ editing: string | null; values: BasicsValues } | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLTableSectionElement>(null);

  useEffect(() => {
    let live = true;
    call('projects.library', {})
      .then((l) => {
        if (!live) return;
        setLibrary(l);
        setError(null);
      })
      .catch((err: unknown) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [revision]);

  const shown = useMemo(() => {
    const words = search.normalize('NFKC').trim().split(/\s+/).filter((w) => w !== '');
    return (library?.projects ?? []).filter((p) => {
      if (unit !== ALL && p.unit !== unit) return false;
      const text = `${p.code} ${p.name} ${p.unit} ${p.unitName} ${p.categoryLabel} ${p.functional} ${p.functionalName} ${p.leader} ${p.usage}`;
      return words.every((w) => text.includes(w));
    });
  }, [library, search, unit]);
  const units = useMemo(() => {
    const counts = new Map<string, number>();
    for (const p of library?.projects ?? []) counts.set(p.unit, (counts.get(p.unit) ?? 0) + 1);
    return (library?.units ?? []).filter((u) => counts.has(u.code)).map((u) => ({ ...u, count: counts.get(u.code)! }));
  }, [library]);

  const virtual = shown.length > WHOLE;
  const stickyTop = body.current?.parentElement?.querySelector('thead')?.getBoundingClientRect().height ?? 0;
  const win = useRowWindow({ scroller, body, count: shown.length, estimate: 37, stickyTop, enabled: virtual });

  const openNew = () => {
    if (!library) return;
    const year = library.fiscalYear;
    setRefusal(null);
    setDialog({
      editing: null,
      values: {
        code: library.nextCode,
        name: '',
        unit: unit !== ALL ? unit : (library.units[0]?.code ?? ''),
        category: 'general',
        functional: '',
        usage: '',
        leader: '',
        contact: '',
        phone: '',
        start: `${year}-01-01`,
        end: `${year}-12-31`,
        totalAmount: '',
        yearAmount: '0',
        priorTotalAmount: '',
        priorYearAmount: '',
      },
    });
  };

  const saved = (r: ProjectSaved) => {
    setDialog(null);
    applyChanges(r.changes);
    onChanged();
    toast(r.message, 'success');
  };

  const remove = async (p: ProjectRecord) => {
    setRefusal(null);
    try {
      const r = await trackSave(call('projects.delete', { code: p.code }));
      applyChanges(r.changes);
      onChanged();
        toast(r.message, 'success');
    } catch (err) {
      // Refused (lines use it): the budget is as it was; the message says where the lines are.
      const text = errorMessage(err);
      setRefusal(text);
      toast(text, 'error', 12000);
    }
  };

  if (error) return <div className="empty-state error">{error}</div>;
  if (!library) return <div className="empty-state">正在读取项目库…</div>;
  const unitName = library.amountUnit;

  return (
    <div className="pj-library" data-testid="project-library" ref={scroller}>
      <div className="pj-bar">
        <h2>项目库</h2>
        <span className="muted">
          {library.fiscalYear} 年 · 共 {library.projects.length} 个项目{shown.length !== library.projects.length ? `，显示 ${shown.length} 个` : ''}
        </span>
        <input
          type="search"
          className="pj-search"
          aria-label="查找项目"
          placeholder="查找：编码、名称、单位、负责人、功能分类"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        {units.length > 1 ? (
          <select aria-label="按单位筛选" value={unit} onChange={(e) => setUnit(e.target.value)}>
            <option value={ALL}>全部单位</option>
            {units.map((u) => (
              <option key={u.code} value={u.code}>
                {u.code} {u.name}（{u.count}）
              </option>
            ))}
          </select>
        ) : null}
        <span className="spacer" />
        <button type="button" className="primary" data-action="new-project" disabled={readOnly} onClick={openNew}>
          ＋ 新建项目
        </button>
      </div>
      <p className="pj-hint muted">
        项目的基本信息在这里维护；绩效目标表（项目详情、绩效目标和指标）在「绩效目标」中填写。预算明细的“项目”列只能选用这里已有的项目，也可在该列输入新项目的名称后选“新建项目”。新建、修改和删除都可撤销（Ctrl+Z）。
      </p>
      {refusal ? (
        <div className="grid-message error" role="alert" data-testid="project-refusal">
          {refusal}
          <button type="button" className="link" onClick={() => setRefusal(null)}>
            关闭
          </button>
        </div>
      ) : null}
      {library.projects.length === 0 ? (
        <div className="empty-state">本预算还没有项目。点“新建项目”添加第一个项目，或在预算明细的“项目”列输入项目名称后选“新建项目”。</div>
      ) : shown.length === 0 ? (
        <div className="empty-state">没有符合条件的项目。</div>
      ) : (
        <table className={virtual ? 'pj-table virtual' : 'pj-table'}>
          <thead>
            <tr>
              <th>项目编码</th>
              <th>项目名称</th>
              <th>单位</th>
              <th>项目类别</th>
              <th>功能分类</th>
              <th>项目负责人</th>
              <th>开始 / 结束时间</th>
              <th className="num">项目总金额</th>
              <th className="num">本年度金额</th>
              <th className="num">上年度项目总金额</th>
              <th className="num">项目上年度金额</th>
              <th className="num" title="预算明细中所属项目为此项目的行：行数和金额合计">预算明细</th>
              <th />
            </tr>
          </thead>
          <tbody ref={body}>
            {win.padTop > 0 ? <PadRow height={win.padTop} /> : null}
            {shown.slice(win.start, win.end).map((p, k) => (
              <tr key={p.code} data-project={p.code} data-vrow={virtual ? win.start + k : undefined}>
                <td className="pj-code">{p.code}</td>
                <td className="pj-name" title={p.name}>
                  {p.name}
                </td>
                <td title={`${p.unit} ${p.unitName}`}>{p.unitName || p.unit}</td>
                <td>{p.categoryLabel}</td>
                <td className="pj-func" title={p.functional ? `${p.functional} ${p.functionalName}` : undefined}>
                  {p.functional ? (
                    <>
                      <span className="pj-fcode">{p.functional}</span> {p.functionalName}
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>{p.leader}</td>
                <td className="pj-dates" title={p.start || p.end ? `${p.start || '…'} 至 ${p.end || '…'}` : undefined}>
                  {p.start || p.end ? (
                    <>
                      <span>{p.start || '…'}</span>
                      <span>至 {p.end || '…'}</span>
                    </>
                  ) : null}
                </td>
                <td className="num">{amount(p.totalAmount)}</td>
                <td className="num">{amount(p.yearAmount)}</td>
                <td className="num">{amount(p.priorTotalAmount)}</td>
                <td className="num">{amount(p.priorYearAmount)}</td>
                <td className={`num pj-lines${p.lineCount > 0 && p.linesAmount !== p.yearAmount ? ' pj-mismatch' : ''}`} title={p.lineCount > 0 && p.linesAmount !== p.yearAmount ? '明细合计与本年度金额不相等' : undefined}>
                  {p.lineCount > 0 ? `${p.lineCount} 行 · ${amount(p.linesAmount)}` : <span className="muted">无</span>}
                </td>
                <td className="pj-actions">
                  <button type="button" disabled={readOnly} aria-label={`编辑项目 ${p.code}`} onClick={() => (setRefusal(null), setDialog({ editing: p.code, values: valuesOf(p) }))}>
                    编辑
                  </button>
                  <button type="button" className="link danger" disabled={readOnly} aria-label={`删除项目 ${p.code}`} onClick={() => void remove(p)}>
                    删除
                  </button>
                </td>
              </tr>
            ))}
            {win.padBottom > 0 ? <PadRow height={win.padBottom} /> : null}
          </tbody>
        </table>
      )}
      <p className="pj-unit muted">金额单位：{unitName}</p>
      {dialog ? (
        <ProjectDialog
          title={dialog.editing === null ? '新建项目' : `编辑项目 ${dialog.editing}`}
          values={dialog.values}
          choices={library}
          editing={dialog.editing}
          intro={dialog.editing === null ? '新项目保存后即可在预算明细的“项目”列选用。' : '修改项目编码时，使用该项目的预算明细随之改用新编码。'}
          onClose={() => setDialog(null)}
          onSaved={saved}
        />
      ) : null}
    </div>
  );
}

function PadRow({ height }: { height: number }) {
  return (
    <tr className="pad" aria-hidden>
      <td colSpan={COLUMNS} style={{ height: `${height}px`, padding: 0, border: 0 }} />
    </tr>
  );
}
