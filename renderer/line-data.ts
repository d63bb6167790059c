// Loading the line grid's data. A department's budget may hold 100,000 lines (16 MB as one answer): the grid
// asks for a first page, shows it at once, and then fetches the rest in large pages while the user already
// reads and edits; each later page is added to the grid by a transaction (deltaSort keeps the order).
import type { LinesPage } from '../api/contract.js';
import { call } from './api.js';

/** Lines on the first screen and a little beyond it. */
export const FIRST_PAGE = 300;
/** Later pages: large enough to be few, small enough that each transaction leaves the page responsive. */
export const NEXT_PAGE = 20_000;

export interface LineLoader {
  /** The first page: what the grid starts from (subtotals and totals included). */
  first(page: LinesPage): void;
  /** Each later page, in order. */
  more(page: LinesPage): void;
}

/**
 * Loads every line page by page. `current()` tells whether this load is still wanted (a newer load, or the
 * grid gone, stops it between pages).
 */
export async function loadLinePages(loader: LineLoader, current: () => boolean): Promise<void> {
  const first = await call('lines.page', { offset: 0, limit: FIRST_PAGE });
  if (!current()) return;
  loader.first(first);
  let offset = first.lines.length;
  let total = first.lineCount;
  while (offset < total) {
    // Let the browser paint and take input between pages.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (!current()) return;
    const page = await call('lines.page', { offset, limit: NEXT_PAGE });
    if (!current()) return;
    if (page.lines.length === 0) break;
    loader.more(page);
    offset += page.lines.length;
    total = page.lineCount;
  }
}
