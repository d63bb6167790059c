// The Chromium part of `npm run bench`: the browser host on a budget file, the app in Debian's Chromium driven
// by Playwright, every figure measured inside the page (performance.now(), the page's own clock), from the
// user's click or key to the next frame after what it asked for is in the page:
//  - open → first grid row: navigation start until the first line row of the grid is in the DOM;
//  - Enter → 合计: the Enter key that commits an amount typed in the grid until the status bar's 合计 shows
//    the new total, over a sequence of edits down the amount column;
//  - the views: 预算公开表 → T01 shown (first visit of the tab), → T03 shown, a searched T03 row, a project's
//    T11 sheet; 审核 → the groups shown, its largest group opened; 绩效目标 → the project list shown.
// Screenshots of each view go to bench-screenshots/<lines>-<view>.png.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';

const ROOT = join(import.meta.dirname, '..');
const SHOTS = join(ROOT, 'bench-screenshots');
/** Longest wait for any one step (a loaded machine at 100,000 lines is slow, but a step never takes this long). */
const STEP_TIMEOUT = 300_000;

export interface ChromiumFigures {
  openToFirstRowMs: number;
  enterP50Ms: number;
  enterP95Ms: number;
  edits: number;
  /** Milliseconds from the click (or key) to the view shown, by view. */
  views: Record<ViewName, number>;
  hostRssMb: number;
}

export const VIEW_LABELS = {
  tablesT01: '预算公开表 → T01 shown',
  tablesT03: 'T03 shown',
  tablesT03Search: 'T03: search → row shown',
  tablesT11: 'T11: a project’s sheet shown',
  audit: '审核 → groups shown',
  auditGroup: '审核: largest group opened',
  projects: '绩效目标 → project list shown',
} as const;
export type ViewName = keyof typeof VIEW_LABELS;

async function startHost(dbPath: string): Promise<{ url: string; stop(): Promise<void>; rssMb(): number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'main.ts'), '--db', dbPath, '--quiet'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/#token=\S+)$/m.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`host exited (${code}): ${stderr}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
    rssMb: () => {
      try {
        // Linux: the host's resident set from /proc (pages of 4 KiB).
        const statm = readFileSync(`/proc/${child.pid}/statm`, 'utf8');
        return (Number(statm.split(' ')[1]) * 4096) / 1048576;
      } catch {
        return Number.NaN;
      }
    },
  };
}

/**
 * Times one step inside the page: from the next click or Enter (captured before the page's own handlers)
 * to the first frame after an element matching `selector` (and, with `text`, containing it) is in the page.
 */
async function timed(page: Page, selector: string, act: () => Promise<void>, text?: string): Promise<number> {
  await page.evaluate(`(() => {
    const selector = ${JSON.stringify(selector)};
    const text = ${JSON.stringify(text ?? null)};
    window.__start = undefined;
    window.__shown = undefined;
    const start = (e) => {
      if (e.type === 'keydown' && e.key !== 'Enter') return;
      if (window.__start === undefined) window.__start = performance.now();
    };
    document.addEventListener('click', start, { capture: true, once: true });
    document.addEventListener('keydown', start, { capture: true, once: true });
    const found = () => {
      const el = document.querySelector(selector);
      return !!el && (text === null || (el.textContent || '').includes(text));
    };
    if (window.__watch) window.__watch.disconnect();
    window.__watch = new MutationObserver(() => {
      if (window.__start === undefined || window.__shown !== undefined || !found()) return;
      window.__shown = -1;
      window.__watch.disconnect();
      requestAnimationFrame(() => (window.__shown = performance.now()));
    });
    window.__watch.observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
  })()`);
  await act();
  return page
    .waitForFunction(
      () => {
        const w = window as unknown as { __start?: number; __shown?: number };
        return w.__start !== undefined && w.__shown !== undefined && w.__shown > 0 ? w.__shown - w.__start : null;
      },
      null,
      { timeout: STEP_TIMEOUT, polling: 50 },
    )
    .then((h) => h.jsonValue() as Promise<number>);
}

async function views(page: Page, shots: string, lastUnitName: string): Promise<Record<ViewName, number>> {
  const out = {} as Record<ViewName, number>;
  const shot = (name: string) => page.screenshot({ path: `${shots}-${name}.png` });

  out.tablesT01 = await timed(page, '[data-testid="table-T01"] tbody tr', () => page.getByRole('tab', { name: '预算公开表' }).click());
  await shot('T01');
  out.tablesT03 = await timed(page, '[data-testid="table-T03"] tbody tr[data-row]', () => page.locator('.table-list [data-table="T03"]').click());
  await shot('T03');
  // The last unit's rows: the far end of a long table (the unit's name is printed in its block's heading row).
  const search = page.getByTestId('table-search');
  await search.fill(lastUnitName);
  out.tablesT03Search = await timed(page, '[data-testid="table-T03"] tr.found', () => search.press('Enter'));
  await shot('T03-search');
  const sheet = page.locator('.table-list [data-table^="T11:"]').nth(1);
  const sheetId = (await sheet.getAttribute('data-table'))!;
  out.tablesT11 = await timed(page, `[data-testid="table-${sheetId}"] tbody tr`, () => sheet.click());
  await shot('T11');

  out.audit = await timed(page, '[data-testid="audit-panel"] .audit-summary', () => page.getByRole('tab', { name: '审核' }).click());
  await shot('audit');
  const largest = await page.evaluate(() => {
    let best: { rule: string; n: number } | null = null;
    for (const b of document.querySelectorAll('button.audit-group-head')) {
      const n = Number.parseInt(b.querySelector('.count')?.textContent ?? '0', 10);
      if (!best || n > best.n) best = { rule: b.getAttribute('data-rule')!, n };
    }
    return best;
  });
  if (largest) {
    const head = page.locator(`button.audit-group-head[data-rule="${largest.rule}"]`);
    const open = (await head.getAttribute('aria-expanded')) === 'true';
    if (open) await head.click();
    out.auditGroup = await timed(page, '[data-testid="audit-panel"] button.finding', () => head.click());
    await shot('audit-group');
  } else out.auditGroup = Number.NaN;

  out.projects = await timed(page, '[data-testid="project-list"] tr[data-project]', () => page.getByRole('tab', { name: '绩效目标' }).click());
  await shot('projects');
  return out;
}

export async function chromiumFigures(dbPath: string, edits: number, label: string, lastUnitName: string): Promise<ChromiumFigures> {
  // Progress on stderr: a step that hangs shows where.
  const note = (step: string) => process.stderr.write(`  chromium, ${label} lines: ${step}\n`);
  const host = await startHost(dbPath);
  note('host started');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    page.setDefaultTimeout(STEP_TIMEOUT);
    // In-page code is given as text: a function passed from here would be compiled with helper calls (tsx names
    // its inner functions) that do not exist in the page, and would fail there without a word.
    await page.addInitScript({
      content: `(() => {
        const look = () => {
          if (document.querySelector('[role="row"][row-id^="L"]')) window.__firstRow = performance.now();
          else requestAnimationFrame(look);
        };
        requestAnimationFrame(look);
      })();`,
    });
    await page.goto(host.url);
    await page.waitForFunction(() => (window as unknown as { __firstRow?: number }).__firstRow !== undefined, null, { timeout: STEP_TIMEOUT });
    const openToFirstRowMs = await page.evaluate(() => (window as unknown as { __firstRow: number }).__firstRow);
    note('first grid row shown');

    // Each edit on the amount of one of the first lines shown (Enter moves down a row, as in a spreadsheet, but
    // the row below may be a subtotal, where typing changes nothing): click it, type, Enter.
    const amounts = page.locator('[role="row"][row-id^="L"] [col-id="amount"]');
    const times: number[] = [];
    for (let i = 0; i < edits; i++) {
      await amounts.nth(i % 12).click();
      await page.evaluate(`(() => {
        const total = document.querySelector('[data-testid="total-all"]');
        const before = total.textContent;
        window.__enter = undefined;
        window.__shown = undefined;
        // The Enter that commits (the digits typed before it are keys too).
        const onKey = (e) => {
          if (e.key !== 'Enter') return;
          window.__enter = performance.now();
          document.removeEventListener('keydown', onKey, true);
        };
        document.addEventListener('keydown', onKey, true);
        if (window.__watch) window.__watch.disconnect();
        window.__watch = new MutationObserver(() => {
          if (total.textContent !== before && window.__shown === undefined) window.__shown = performance.now();
        });
        window.__watch.observe(total, { childList: true, characterData: true, subtree: true });
      })()`);
      // A value that differs from every amount typed before, so the total changes on every edit.
      await page.keyboard.type(`${i + 1}.${String((i * 37) % 100).padStart(2, '0')}`);
      await page.keyboard.press('Enter');
      const ms = await page
        .waitForFunction(
          () => {
            const w = window as unknown as { __enter?: number; __shown?: number };
            return w.__shown !== undefined && w.__enter !== undefined ? w.__shown - w.__enter : null;
          },
          null,
          { timeout: STEP_TIMEOUT },
        )
        .then((h) => h.jsonValue() as Promise<number>);
      times.push(ms);
    }
    note(`${edits} edits made`);
    // Every edit stored before the views are looked at.
    await page.waitForFunction(() => document.querySelector('[data-testid="status-save"]')?.getAttribute('data-state') === 'saved', null, { timeout: STEP_TIMEOUT });
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))]!;

    note('edits saved');
    mkdirSync(SHOTS, { recursive: true });
    const viewTimes = await views(page, join(SHOTS, label), lastUnitName);
    return { openToFirstRowMs, enterP50Ms: q(0.5), enterP95Ms: q(0.95), edits, views: viewTimes, hostRssMb: host.rssMb() };
  } finally {
    await browser.close();
    await host.stop();
  }
}
