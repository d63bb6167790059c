// The status bar's 控制数: what is left of the units' ceilings, or how many are exceeded. Read again after every
// change of the budget (the host keeps the sums edit by edit); nothing is shown while the budget has no 控制数.
import { useEffect, useState } from 'react';
import type { AmountUnitCode } from '../../api/contract.js';
import type { CeilingsView } from '../../api/params.js';
import { convertExact, formatExact } from '../amounts.js';
import { call } from '../api.js';

export function CeilingStatus({ revision, budgetUnit, displayUnit, onOpen }: { revision: number; budgetUnit: AmountUnitCode; displayUnit: AmountUnitCode; onOpen(): void }) {
  const [view, setView] = useState<CeilingsView | null>(null);
  useEffect(() => {
    let live = true;
    call('params.ceilings', {}).then(
      (v) => live && setView(v),
      () => live && setView(null),
    );
    return () => {
      live = false;
    };
  }, [revision]);
  if (!view || view.rows.length === 0) return null;
  const over = view.exceeded > 0;
  return (
    <button
      type="button"
      className={`stat ceiling-state ${over ? 'err' : 'ok'}`}
      data-testid="ceiling-state"
      data-revision={revision}
      title="控制数：单位按资金来源、基本/项目支出的控制数，已安排与剩余"
      onClick={onOpen}
    >
      控制数剩余 <b data-testid="ceiling-remaining">{formatExact(convertExact(view.totals.remaining, budgetUnit, displayUnit), 2)}</b>
      {over ? <span className="err"> · 超出 {view.exceeded} 项</span> : null}
    </button>
  );
}
