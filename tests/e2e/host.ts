// Starts the browser host as its own process (as a user would) on a fresh budget file, and talks to its API.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

export const ROOT = process.cwd();
export const FIXTURE_PATH = join(ROOT, 'tests', 'fixtures', 'jiyuan-2020', 'budget.json');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

export interface RunningHost {
  url: string;
  origin: string;
  token: string;
  dbPath: string;
  dir: string;
  stop(): Promise<void>;
  api<T = unknown>(method: string, input?: unknown): Promise<T>;
}

export function tempBudgetDir(): string {
  return mkdtempSync(join(tmpdir(), 'budget-e2e-'));
}

export async function startHost(dir: string, dbPath = join(dir, 'budget.budget')): Promise<RunningHost> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'main.ts'), '--db', dbPath, '--quiet'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`host did not start in time: ${stderr}`)), 90_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/#token=\S+)$/m.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited (${code}): ${stderr}`));
    });
  });
  const parsed = new URL(url);
  const token = parsed.hash.replace('#token=', '');
  const origin = parsed.origin;
  const host: RunningHost = {
    url,
    origin,
    token,
    dbPath,
    dir,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
    async api<T>(method: string, input: unknown = {}): Promise<T> {
      const res = await fetch(`${origin}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-budget-token': token },
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as { result?: T; error?: { message: string } };
      if (body.error) throw new Error(`${method}: ${body.error.message}`);
      return body.result as T;
    },
  };
  return host;
}

/** A fresh budget file holding the 济源 2020 fixture (or the given exchange text). */
export async function startWithFixture(text = readFileSync(FIXTURE_PATH, 'utf8')): Promise<RunningHost> {
  const dir = tempBudgetDir();
  const host = await startHost(dir);
  await host.api('exchange.import', { text });
  return host;
}

export function cleanup(host: RunningHost | undefined): Promise<void> {
  if (!host) return Promise.resolve();
  return host.stop().then(() => rmSync(host.dir, { recursive: true, force: true }));
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** The grid row of a line whose cells show the given texts (any columns). */
export function gridRow(page: Page, rowIndex: number) {
  return page.locator(`.ag-center-cols-container [row-index="${rowIndex}"]`);
}

/** A cell of the line grid: `row` is a line id (number) or a row id such as "S2010350". */
export function cell(page: Page, row: number | string, col: string): Locator {
  const rowId = typeof row === 'number' ? `L${row}` : row;
  return page.locator(`[role="row"][row-id="${rowId}"] [col-id="${col}"]`);
}

/** Scrolls the virtualised grid until the row (a line id or a row id) is rendered inside its visible part. */
export async function reveal(page: Page, row: number | string): Promise<void> {
  const rowId = typeof row === 'number' ? `L${row}` : row;
  const found = await page.locator('.ag-grid-viewport').first().evaluate(async (viewport, id) => {
    const visible = () => {
      const el = viewport.querySelector(`[role="row"][row-id="${id}"]`);
      if (!el) return false;
      const r = el.getBoundingClientRect();
      const v = viewport.getBoundingClientRect();
      return r.top >= v.top + 30 && r.bottom <= v.bottom - 10;
    };
    viewport.scrollTop = 0;
    for (let i = 0; i < 2000; i++) {
      await new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
      if (visible()) return true;
      const before = viewport.scrollTop;
      viewport.scrollTop += 56;
      if (viewport.scrollTop === before) return visible();
    }
    return false;
  }, rowId);
  expect(found, `row ${rowId} shown`).toBe(true);
}

/**
 * Types text as an input method (Chinese) delivers it: as text, without key presses, so the keyboard buffer that
 * holds keys for an editor still opening never sees it. A user sees the editor open before composing into it:
 * F2 opens the cell's editor, the text waits until a text box in it holds the focus.
 */
export async function typeInEditor(page: Page, text: string): Promise<void> {
  await page.keyboard.press('F2');
  await expect
    .poll(() => page.evaluate(() => document.activeElement instanceof HTMLInputElement || document.activeElement instanceof HTMLTextAreaElement))
    .toBe(true);
  await page.keyboard.type(text);
}

/**
 * Waits until everything done in the UI is stored by the host: the status bar says 已保存 (no write on its
 * way; a refused one counts as answered) and no grid cell is still marked as pending. Tests that read the
 * file or the API after a UI action wait for this, never for a cell's text alone.
 */
export async function settled(page: Page): Promise<void> {
  await expect(page.getByTestId('status-save')).toHaveAttribute('data-state', /^(saved|refused)$/);
  await expect(page.locator('.grid-host .cell-pending')).toHaveCount(0);
}

/** A grid cell showing `text` as the host stored it (not as typed and still on its way). */
export async function expectStored(page: Page, row: number | string, col: string, text: string | RegExp, contains = false): Promise<void> {
  const c = cell(page, row, col);
  if (contains) await expect(c).toContainText(text);
  else await expect(c).toHaveText(text);
  await expect(c).not.toHaveClass(/cell-pending/);
  await settled(page);
}
