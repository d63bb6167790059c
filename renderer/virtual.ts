// Long lists and tables shown a window at a time: only the rows in view (and a few around them) are in the
// page; spacers above and below keep the scroll height of the whole. Rows have one height (measured from the
// first row shown), so a row's place is its index times that height. Used by the published tables, the 审核
// list and the 绩效目标 project list.
import { useCallback, useEffect, useLayoutEffect, useState, type RefObject } from 'react';

export interface RowWindow {
  /** First and last (exclusive) row index to render. */
  start: number;
  end: number;
  /** Heights of the spacers before and after them, in pixels. */
  padTop: number;
  padBottom: number;
  /** The measured row height. */
  rowHeight: number;
  /** Scrolls so that row `index` is in view (a third down from the top of what is visible under `stickyTop`). */
  scrollToRow(index: number): void;
}

interface Options {
  /** The element that scrolls. */
  scroller: RefObject<HTMLElement | null>;
  /** The element whose top is the top of row 0 (a tbody or list); its rows carry `data-vrow`. */
  body: RefObject<HTMLElement | null>;
  count: number;
  /** Row height to start with, before one is measured. */
  estimate: number;
  /** Rows rendered beyond each edge of the view. */
  overscan?: number;
  /** Pixels at the top of the scroller covered by a sticky header. */
  stickyTop?: number;
  /** Off: every row is rendered (short lists, and lists whose rows span rows). */
  enabled?: boolean;
}

export function useRowWindow({ scroller, body, count, estimate, overscan = 12, stickyTop = 0, enabled = true }: Options): RowWindow {
  const [rowHeight, setRowHeight] = useState(estimate);
  const [view, setView] = useState({ top: 0, height: 800 });

  const measureView = useCallback(() => {
    const s = scroller.current;
    const b = body.current;
    if (!s || !b) return;
    const bodyTop = b.getBoundingClientRect().top - s.getBoundingClientRect().top + s.scrollTop;
    const top = s.scrollTop - bodyTop;
    const height = s.clientHeight;
    setView((v) => (Math.abs(v.top - top) < 1 && v.height === height ? v : { top, height }));
  }, [scroller, body]);

  // The scroller may appear after the first render (a list shown once its data is in): follow the element.
  const [element, setElement] = useState<HTMLElement | null>(null);
  useLayoutEffect(() => {
    if (scroller.current !== element) setElement(scroller.current);
  });

  useEffect(() => {
    const s = element;
    if (!s || !enabled) return;
    let frame = 0;
    const onScroll = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        measureView();
      });
    };
    s.addEventListener('scroll', onScroll, { passive: true });
    const resize = new ResizeObserver(() => measureView());
    resize.observe(s);
    measureView();
    return () => {
      s.removeEventListener('scroll', onScroll);
      resize.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [element, enabled, measureView]);

  // The row height as rendered (fonts and zoom decide it): measured from the first row shown.
  useLayoutEffect(() => {
    if (!enabled) return;
    const row = body.current?.querySelector<HTMLElement>('[data-vrow]');
    if (!row) return;
    const h = row.getBoundingClientRect().height;
    if (h > 0 && Math.abs(h - rowHeight) > 0.5) setRowHeight(h);
  });

  const scrollToRow = useCallback(
    (index: number) => {
      const s = scroller.current;
      const b = body.current;
      if (!s || !b) return;
      const bodyTop = b.getBoundingClientRect().top - s.getBoundingClientRect().top + s.scrollTop;
      const visible = s.clientHeight - stickyTop;
      s.scrollTop = Math.max(0, bodyTop + index * rowHeight - stickyTop - visible / 3);
      measureView();
    },
    [scroller, body, rowHeight, stickyTop, measureView],
  );

  if (!enabled) return { start: 0, end: count, padTop: 0, padBottom: 0, rowHeight, scrollToRow };
  const first = Math.floor(Math.max(0, view.top) / rowHeight) - overscan;
  const last = Math.ceil((Math.max(0, view.top) + view.height) / rowHeight) + overscan;
  const start = Math.max(0, Math.min(count, first));
  const end = Math.max(start, Math.min(count, last));
  return { start, end, padTop: start * rowHeight, padBottom: (count - end) * rowHeight, rowHeight, scrollToRow };
}

/**
 * Rows fetched in blocks as they come into view: `get(i)` is the row, or undefined while its block is on its
 * way; `want(start, end)` asks for the blocks of a range; `onLoad` runs when a block arrives. A new cache is
 * made whenever the data changes (the old one's answers are dropped).
 */
export class BlockCache<T> {
  private readonly blocks = new Map<number, T[]>();
  private readonly pending = new Set<number>();
  private dead = false;

  constructor(
    private readonly load: (offset: number, limit: number) => Promise<T[]>,
    readonly blockSize: number,
    private readonly onLoad: () => void,
  ) {}

  get(i: number): T | undefined {
    return this.blocks.get(Math.floor(i / this.blockSize))?.[i % this.blockSize];
  }

  /** Rows already fetched from `offset` (a multiple of the block size): kept as the blocks they fill. */
  put(offset: number, rows: readonly T[]): void {
    const first = Math.floor(offset / this.blockSize);
    for (let b = 0; b * this.blockSize < rows.length; b++) this.blocks.set(first + b, rows.slice(b * this.blockSize, (b + 1) * this.blockSize));
  }

  want(start: number, end: number): void {
    if (this.dead || end <= start) return;
    const from = Math.floor(start / this.blockSize);
    const to = Math.floor((end - 1) / this.blockSize);
    for (let b = from; b <= to; b++) {
      if (this.blocks.has(b) || this.pending.has(b)) continue;
      this.pending.add(b);
      this.load(b * this.blockSize, this.blockSize)
        .then((rows) => {
          if (this.dead) return;
          this.blocks.set(b, rows);
          this.onLoad();
        })
        .catch(() => undefined)
        .finally(() => this.pending.delete(b));
    }
  }

  dispose(): void {
    this.dead = true;
  }
}
