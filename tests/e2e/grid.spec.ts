// The line grid as a clerk uses it all day: the cursor after edits that move lines, the pickers, filtering,
// sorting and bulk edits. Browser host on a fresh budget file, driven through Chromium with the keyboard.
import { expect, test, type Page } from '@playwright/test';
import { cell, cleanup, expectStored, reveal, settled, shot, startHost, startWithFixture, tempBudgetDir, type RunningHost } from './host.js';

interface LineRow {
  id: number;
  unit: string;
  functional: string;
  economic: string;
  kind: string;
  project: string | null;
  fund: string;
  amount: string;
  remark: string;
}

let host: RunningHost | undefined;

test.afterEach(async () => {
  await cleanup(host);
  host = undefined;
});

async function lines(h: RunningHost): Promise<LineRow[]> {
  return (await h.api<{ lines: LineRow[] }>('lines.list')).lines;
}

async function openApp(page: Page, h: RunningHost): Promise<void> {
  await page.goto(h.url);
  await expect(page.locator('[role="row"][row-id^="L"]').first()).toBeVisible();
}

/** The row id of the row holding the grid's focused cell. */
async function focusedRowId(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.closest('[role="row"]')?.getAttribute('row-id') ?? null);
}

test('an edit that re-sorts its line takes the cursor along: the next keys edit that line, never its neighbour', async ({ page }) => {
  host = await startWithFixture();
  const before = await lines(host);
  const p07 = before.find((l) => l.project === 'P07' && l.amount === '62.8')!;
  const p06 = before.find((l) => l.project === 'P06')!;
  expect(p06.economic).toBe('30214');
  await openApp(page, host);
  await reveal(page, p07.id);
  await cell(page, p07.id, 'functional').click();
  await page.keyboard.type('2010301');
  await page.keyboard.press('Enter');
  // The line moved to the top of 20103 under a new 项; the cursor went with it.
  await expectStored(page, p07.id, 'functional', '2010301', true);
  expect(await focusedRowId(page)).toBe(`L${p07.id}`);
  await page.keyboard.press('Tab');
  await page.keyboard.type('30201');
  await page.keyboard.press('Enter');
  await expectStored(page, p07.id, 'economic', '30201', true);
  await shot(page, '40-cursor-follows-line');
  const after = await lines(host);
  expect(after.find((l) => l.id === p06.id)).toEqual(p06);
  expect(after.find((l) => l.id === p07.id)!.economic).toBe('30201');
  expect(after.filter((l) => l.id !== p07.id)).toEqual(before.filter((l) => l.id !== p07.id));
});

test('in a new budget, Tab after a new 功能分类 stays on the line, not on the 小计 rows that appear above it', async ({ page }) => {
  host = await startHost(tempBudgetDir());
  await host.api('budget.create', {
    department: { code: '101', name: '示例县财政局' },
    units: [{ code: '101001', name: '示例县财政局本级', kind: 'administrative' }],
    fiscalYear: 2021,
    amountUnit: '元',
  });
  await host.api('lines.add', {});
  await host.api('lines.add', {});
  const [first, second] = await lines(host);
  await openApp(page, host);
  await cell(page, second!.id, 'functional').click();
  await page.keyboard.type('2080505');
  await page.keyboard.press('Tab');
  await expectStored(page, second!.id, 'functional', '2080505', true);
  await expect(page.locator('[role="row"][row-id="S208"]')).toHaveCount(1);
  await page.keyboard.type('30108');
  await page.keyboard.press('Tab');
  await expectStored(page, second!.id, 'economic', '30108', true);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.type('1200');
  await page.keyboard.press('Enter');
  await expectStored(page, second!.id, 'amount', '1,200.00');
  const after = await lines(host);
  expect(after.find((l) => l.id === second!.id)).toMatchObject({ functional: '2080505', economic: '30108', amount: '1200' });
  expect(after.find((l) => l.id === first!.id)).toEqual(first);
});
