// 新建预算 and 打开 dialogs, and the hidden file input the app's 选择文件 buttons open.
import { useEffect, useState, type ReactNode, type RefObject } from 'react';
import type { AmountUnitCode, BudgetInfo, FormatsInfo, RecentBudget, UnitKindCode } from '../api/contract.js';
import { call, errorMessage } from './api.js';

const KIND_OPTIONS: { value: UnitKindCode; label: string }[] = [
  { value: 'administrative', label: '行政单位' },
  { value: 'public-institution', label: '事业单位' },
  { value: 'civil-servant-managed', label: '参照公务员法管理的事业单位' },
];

/**
 * A hidden file input that a button opens through `inputRef`. It forgets the choice at once, so choosing the
 * same file again (after fixing it) is still reported.
 */
export function HiddenFileInput({
  inputRef,
  accept,
  testId,
  onFile,
}: {
  inputRef: RefObject<HTMLInputElement | null>;
  accept: string;
  testId: string;
  onFile(file: File): void;
}) {
  return (
    <input
      ref={inputRef}
      type="file"
      accept={accept}
      hidden
      data-testid={testId}
      onChange={(e) => {
        const f = e.target.files?.[0];
        e.target.value = '';
        if (f) onFile(f);
      }}
    />
  );
}

export function Modal({ title, onClose, children, footer }: { title: string; onClose(): void; children: ReactNode; footer: ReactNode }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" role="presentation">
      <div className="modal" role="dialog" aria-modal="true" aria-label={title}>
        <header className="modal-head">
          <h3>{title}</h3>
          <button type="button" className="link close" aria-label="关闭" onClick={onClose}>×</button>
        </header>
        <div className="modal-body">{children}</div>
        <footer className="modal-foot">{footer}</footer>
      </div>
    </div>
  );
}

interface UnitDraft {
  code: string;
  name: string;
  kind: UnitKindCode;
}

export function NewBudgetDialog({
  onClose,
  onCreated,
  initialPath,
}: {
  onClose(): void;
  onCreated(info: BudgetInfo): void;
  initialPath?: string;
}) {
  const [deptCode, setDeptCode] = useState('');
  const [deptName, setDeptName] = useState('');
  const [year, setYear] = useState(String(new Date().getFullYear() + 1));
  const [unit, setUnit] = useState<AmountUnitCode>('万元');
  const [path, setPath] = useState(initialPath ?? '');
  const [units, setUnits] = useState<UnitDraft[]>([{ code: '', name: '', kind: 'administrative' }]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The publication formats a new file can print in (the shipped ones); the open budget's, if shipped, first chosen.
  const [formats, setFormats] = useState<FormatsInfo['formats']>([]);
  const [formatId, setFormatId] = useState('');
  useEffect(() => {
    let live = true;
    call('formats.list', {})
      .then((f) => {
        if (!live) return;
        const shipped = f.formats.filter((x) => x.builtin);
        setFormats(shipped);
        setFormatId((chosen) => chosen || (shipped.some((x) => x.id === f.current) ? f.current : (shipped[0]?.id ?? '')));
      })
      .catch(() => live && setFormats([]));
    return () => {
      live = false;
    };
  }, []);

  const setUnitField = (i: number, patch: Partial<UnitDraft>) => setUnits((us) => us.map((u, j) => (j === i ? { ...u, ...patch } : u)));

  const submit = async () => {
    const problems: string[] = [];
    if (!deptCode.trim()) problems.push('请填写部门编码');
    if (!deptName.trim()) problems.push('请填写部门名称');
    if (!/^\d{4}$/.test(year.trim())) problems.push('预算年度应为四位年份，如 2026');
    units.forEach((u, i) => {
      if (!u.code.trim() || !u.name.trim()) problems.push(`第 ${i + 1} 个单位的编码和名称都要填写`);
    });
    if (problems.length) {
      setError(problems.join('；'));
      return;
    }
    setBusy(true);
    try {
      const info = await call('budget.create', {
        department: { code: deptCode.trim(), name: deptName.trim() },
        units: units.map((u) => ({ code: u.code.trim(), name: u.name.trim(), kind: u.kind })),
        fiscalYear: Number.parseInt(year.trim(), 10),
        amountUnit: unit,
        ...(formatId ? { formatId } : {}),
        ...(path.trim() ? { path: path.trim() } : {}),
      });
      onCreated(info);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title="新建预算"
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>取消</button>
          <button type="button" className="primary" disabled={busy} onClick={() => void submit()}>创建</button>
        </>
      }
    >
      <div className="form-grid">
        <label>
          部门编码
          <input value={deptCode} onChange={(e) => setDeptCode(e.target.value)} placeholder="如 074" autoFocus />
        </label>
        <label>
          部门名称
          <input value={deptName} onChange={(e) => setDeptName(e.target.value)} placeholder="如 济源市行政服务中心" />
        </label>
        <label>
          预算年度
          <input value={year} onChange={(e) => setYear(e.target.value)} inputMode="numeric" />
        </label>
        <label>
          金额单位
          <select value={unit} onChange={(e) => setUnit(e.target.value as AmountUnitCode)}>
            <option value="万元">万元</option>
            <option value="元">元</option>
          </select>
        </label>
        {formats.length > 0 ? (
          <label>
            公开表格式
            <select value={formatId} onChange={(e) => setFormatId(e.target.value)} data-testid="new-budget-format">
              {formats.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      <fieldset className="units">
        <legend>所属单位（本级及下属单位）</legend>
        <table className="plain">
          <thead>
            <tr>
              <th>单位编码</th>
              <th>单位名称</th>
              <th>单位类型</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {units.map((u, i) => (
              <tr key={i}>
                <td>
                  <input aria-label={`第 ${i + 1} 个单位编码`} value={u.code} onChange={(e) => setUnitField(i, { code: e.target.value })} placeholder="如 074001" />
                </td>
                <td>
                  <input aria-label={`第 ${i + 1} 个单位名称`} value={u.name} onChange={(e) => setUnitField(i, { name: e.target.value })} />
                </td>
                <td>
                  <select aria-label={`第 ${i + 1} 个单位类型`} value={u.kind} onChange={(e) => setUnitField(i, { kind: e.target.value as UnitKindCode })}>
                    {KIND_OPTIONS.map((k) => (
                      <option key={k.value} value={k.value}>{k.label}</option>
                    ))}
                  </select>
                </td>
                <td>
                  <button type="button" className="link" disabled={units.length === 1} onClick={() => setUnits((us) => us.filter((_, j) => j !== i))}>删除</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" className="link" onClick={() => setUnits((us) => [...us, { code: '', name: '', kind: us[us.length - 1]?.kind ?? 'administrative' }])}>
          ＋ 添加单位
        </button>
      </fieldset>
      <label className="wide">
        保存位置（可选，留空则保存到“部门预算”文件夹）
        <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="如 D:\预算\2026部门预算.budget" />
      </label>
      {error ? <div className="form-error" role="alert">{error}</div> : null}
    </Modal>
  );
}

export function OpenBudgetDialog({ onClose, onOpened }: { onClose(): void; onOpened(info: BudgetInfo): void }) {
  const [recent, setRecent] = useState<RecentBudget[] | null>(null);
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    call('budget.recent', {})
      .then(setRecent)
      .catch((err: unknown) => setError(errorMessage(err)));
  }, []);

  const open = async (p: string) => {
    setError(null);
    try {
      onOpened(await call('budget.open', { path: p }));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <Modal
      title="打开预算"
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>取消</button>
          <button type="button" className="primary" disabled={!path.trim()} onClick={() => void open(path.trim())}>打开</button>
        </>
      }
    >
      <h4 className="section-label">最近打开</h4>
      {recent === null ? <p className="muted">正在读取…</p> : null}
      {recent?.length === 0 ? <p className="muted">还没有最近打开的预算文件。</p> : null}
      <ul className="recent-list">
        {recent?.map((r) => (
          <li key={r.path}>
            <button type="button" onClick={() => void open(r.path)}>
              <b>{r.name}</b>
              <span className="muted">{r.path}</span>
              <span className="muted">{new Date(r.openedAt).toLocaleString('zh-CN')}</span>
            </button>
          </li>
        ))}
      </ul>
      <label className="wide">
        预算文件路径
        <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="预算文件的完整路径" onKeyDown={(e) => e.key === 'Enter' && path.trim() && void open(path.trim())} />
      </label>
      {error ? <div className="form-error" role="alert">{error}</div> : null}
    </Modal>
  );
}
