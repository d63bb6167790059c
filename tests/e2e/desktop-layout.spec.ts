// The UI was only ever looked at with Noto Sans CJK. On a Chinese Windows PC it shows in Microsoft YaHei, which
// is not installed here: its Han glyphs are one em wide like Noto's, its line height is smaller, and its Latin
// letters and digits are wider. So the page is drawn with a font stack at least as wide as YaHei's — DejaVu Sans
// (wider Latin and digits than YaHei) with Noto for Han — plus 3 % letter spacing, at the desktop window's default
// and smallest size, and no button, tab, toolbar item, dialog title or table header may wrap onto a second line
// or spill out of its box.
import { expect, test, type Page } from '@playwright/test';
import { cleanup, shot, startWithFixture, type RunningHost } from './host.js';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await cleanup(host);
  host = undefined;
});

const WIDER_THAN_YAHEI = `
  :root { --font: 'DejaVu Sans', 'Noto Sans CJK SC', sans-serif !important; }
  body, button, input, select, textarea, .ag-root-wrapper { font-family: var(--font) !important; letter-spacing: 0.03em !important; }
`;

/** Elements whose text must stay on one line and inside their box. */
const ONE_LINE = [
  'button',
  '[role="tab"]',
  '.toolbar label',
  '.toolbar span',
  '.grid-toolbar > span:not(.hint)',
  '.modal h2',
  '.ag-header-cell-text',
  '.ag-header-group-text',
].join(', ');

/** Every visible element of ONE_LINE that wraps or spills, described for the failure message. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate((selector) => {
    const problems: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || !el.textContent?.trim()) continue;
      if (el.closest('[aria-hidden="true"], .hidden')) continue;
      // Lists of long names and messages wrap by design (the tables' list, 审核 findings).
      if (el.closest('.table-list, .finding')) continue;
      const name = `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} “${el.textContent.trim().slice(0, 30)}”`;
      const fontSize = Number.parseFloat(getComputedStyle(el).fontSize);
      const range = document.createRange();
      range.selectNodeContents(el);
      const tops: number[] = [];
      for (const r of range.getClientRects()) if (r.width > 0 && !tops.some((t) => Math.abs(t - r.top) < fontSize * 0.6)) tops.push(r.top);
      if (tops.length > 1) problems.push(`${name}: ${tops.length} 行`);
      if (el.scrollWidth > el.clientWidth + 1) problems.push(`${name}: 超出 ${el.scrollWidth - el.clientWidth}px`);
    }
    return problems;
  }, ONE_LINE);
}

async function openWide(page: Page, width: number, height: number): Promise<void> {
  await page.setViewportSize({ width, height });
  await page.goto(host!.url);
  // Under the page's own CSP: the style carries the page's nonce, as AG Grid's do.
  await page.evaluate((css) => {
    const style = document.createElement('style');
    style.nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')!.content;
    style.textContent = css;
    document.head.append(style);
  }, process.env.LAYOUT_BASELINE ? '' : WIDER_THAN_YAHEI);
  await expect(page.locator('.ag-header-cell-text').first()).toBeVisible();
  await page.evaluate(() => document.fonts.ready);
}

for (const [width, height] of [
  [1440, 900],
  [960, 600],
] as const) {
  test(`nothing wraps or clips with a font wider than Microsoft YaHei at ${width}×${height}`, async ({ page }) => {
    host = await startWithFixture();
    await openWide(page, width, height);
    const found: string[] = [];
    for (const [tab, shown] of [
      ['预算明细', '.ag-header-cell-text'],
      ['预算公开表', '.report-table, table'],
      ['审核', '.finding'],
    ] as const) {
      await page.getByRole('tab', { name: new RegExp(tab) }).click();
      await expect(page.locator(`[role="tabpanel"]:not(.hidden) ${shown.split(', ')[0]}, section.pane:not(.hidden) :is(${shown})`).first()).toBeVisible();
      await shot(page, `layout-wide-font-${width}-${tab}`);
      found.push(...(await layoutProblems(page)).map((p) => `${tab} › ${p}`));
    }
    expect(found).toEqual([]);
  });
}
