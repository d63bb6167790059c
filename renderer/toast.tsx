// Short messages in the corner: accepted operations, refusals with their reason, paste reports.
import { useCallback, useMemo, useRef, useState } from 'react';

export type ToastKind = 'info' | 'success' | 'error' | 'warning';
export type ShowToast = (message: string, kind?: ToastKind, ms?: number) => void;

interface Toast {
  id: number;
  message: string;
  kind: ToastKind;
}

export interface Toasts {
  list: Toast[];
  show: ShowToast;
  dismiss: (id: number) => void;
}

export function useToasts(): Toasts {
  const [list, setList] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setList((l) => l.filter((t) => t.id !== id)), []);
  const show = useCallback<ShowToast>(
    (message, kind = 'info', ms) => {
      const id = next.current++;
      setList((l) => [...l.slice(-4), { id, message, kind }]);
      const life = ms ?? (kind === 'error' || kind === 'warning' ? 8000 : 3500);
      window.setTimeout(() => dismiss(id), life);
    },
    [dismiss],
  );
  return useMemo(() => ({ list, show, dismiss }), [list, show, dismiss]);
}

export function ToastHost({ toasts }: { toasts: Toasts }) {
  return (
    <div className="toasts" aria-live="polite">
      {toasts.list.map((t) => (
        <div key={t.id} className={`toast ${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'} data-testid={`toast-${t.kind}`}>
          <span className="toast-text">{t.message}</span>
          <button type="button" className="toast-close" aria-label="关闭" onClick={() => toasts.dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
