// The Chromium part of `npm run bench`: the browser host on a budget file, the app in Debian's Chromium driven
// by Playwright, and two figures measured inside the page (performance.now(), from the page's own clock):
//  - open → first grid row: navigation start until the first line row of the grid is in the DOM;
//  - Enter → 合计: the Enter key that commits an amount typed in the grid until the status bar's 合计 shows
//    the new total, over a sequence of edits down the amount column.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';

const ROOT = join(import.meta.dirname, '..');

export interface ChromiumFigures {
  openToFirstRowMs: number;
  enterP50Ms: number;
  enterP95Ms: number;
  edits: number;
}

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

export async function chromiumFigures(dbPath: string, edits: number): Promise<ChromiumFigures & { hostRssMb: number }> {
  const host = await startHost(dbPath);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await page.addInitScript(() => {
      const w = window as unknown as { __firstRow?: number };
      const seen = () => {
        if (w.__firstRow === undefined && document.querySelector('[role="row"][row-id^="L"]')) w.__firstRow = performance.now();
      };
      new MutationObserver(seen).observe(document, { childList: true, subtree: true });
    });
    await page.goto(host.url);
    await page.waitForFunction(() => (window as unknown as { __firstRow?: number }).__firstRow !== undefined, null, { timeout: 300_000 });
    const openToFirstRowMs = await page.evaluate(() => (window as unknown as { __firstRow: number }).__firstRow);

    // Start on the amount of the first line shown; Enter moves down a row, as in a spreadsheet.
    await page.locator('[role="row"][row-id^="L"] [col-id="amount"]').first().click();
    const times: number[] = [];
    for (let i = 0; i < edits; i++) {
      await page.evaluate(() => {
        const w = window as unknown as { __enter?: number; __shown?: number; __watch?: MutationObserver };
        const total = document.querySelector('[data-testid="total-all"]')!;
        const before = total.textContent;
        w.__enter = undefined;
        w.__shown = undefined;
        document.addEventListener(
          'keydown',
          (e) => {
            if (e.key === 'Enter') w.__enter = performance.now();
          },
          { capture: true, once: true },
        );
        w.__watch?.disconnect();
        w.__watch = new MutationObserver(() => {
          if (total.textContent !== before && w.__shown === undefined) w.__shown = performance.now();
        });
        w.__watch.observe(total, { childList: true, characterData: true, subtree: true });
      });
      await page.keyboard.type(`${(i % 89) + 1}.${String(i % 100).padStart(2, '0')}`);
      await page.keyboard.press('Enter');
      const ms = await page
        .waitForFunction(
          () => {
            const w = window as unknown as { __enter?: number; __shown?: number };
            return w.__shown !== undefined && w.__enter !== undefined ? w.__shown - w.__enter : null;
          },
          null,
          { timeout: 60_000 },
        )
        .then((h) => h.jsonValue() as Promise<number>);
      times.push(ms);
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))]!;
    return { openToFirstRowMs, enterP50Ms: q(0.5), enterP95Ms: q(0.95), edits, hostRssMb: host.rssMb() };
  } finally {
    await browser.close();
    await host.stop();
  }
}
