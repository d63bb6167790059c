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

/** Holds the host's answers to `lines.update` until `release()`: the keys typed meanwhile are ahead of it. */
async function holdAnswers(page: Page): Promise<{ release(): void; held(): number }> {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  let count = 0;
  await page.route('**/api/lines.update', async (route) => {
    count++;
    await gate;
    await route.continue();
  });
  return { release: () => open(), held: () => count };
}

test('keys typed before the host has answered a re-sorting edit still go to that line, not to its neighbour', async ({ page }) => {
  host = await startWithFixture();
  const before = await lines(host);
  const p07 = before.find((l) => l.project === 'P07' && l.amount === '62.8')!;
  await openApp(page, host);
  await reveal(page, p07.id);
  const answers = await holdAnswers(page);
  await cell(page, p07.id, 'functional').click();
  await page.keyboard.type('2010301');
  await page.keyboard.press('Enter');
  // The answer is held: Tab, the 经济分类 and Enter are typed before the line has moved.
  await expect.poll(answers.held).toBe(1);
  await page.keyboard.press('Tab');
  await page.keyboard.type('30201');
  await page.keyboard.press('Enter');
  answers.release();
  await expectStored(page, p07.id, 'economic', '30201', true);
  await shot(page, '44-typed-ahead-of-answer');
  const after = await lines(host);
  expect(after.find((l) => l.id === p07.id)).toMatchObject({ functional: '2010301', economic: '30201' });
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

test('the 科目 picker shows each entry under its parents and finds "农业农村 行政运行" by them', async ({ page }) => {
  host = await startWithFixture();
  const line = (await lines(host)).find((l) => l.functional === '2010350' && l.economic === '30101')!;
  await openApp(page, host);
  await cell(page, line.id, 'functional').click();
  await page.keyboard.press('F2');
  await page.keyboard.type('农业农村 行政运行');
  const picker = page.getByTestId('picker-functional');
  const first = picker.locator('li').first();
  await expect(first).toHaveAttribute('data-code', '2130101');
  await expect(first).toContainText('农林水支出 › 农业农村 › 行政运行');
  await shot(page, '42-picker-path');
  await page.keyboard.press('Enter');
  await expectStored(page, line.id, 'functional', '2130101', true);
  expect((await lines(host)).find((l) => l.id === line.id)!.functional).toBe('2130101');

  // 30902 and 31002 are both “办公设备购置”: their parents tell them apart.
  await cell(page, line.id, 'economic').click();
  await page.keyboard.press('F2');
  await page.keyboard.type('办公设备购置');
  const economic = page.getByTestId('picker-economic');
  await expect(economic.locator('li[data-code="30902"] .path')).toHaveText('资本性支出（基本建设） › ');
  await expect(economic.locator('li[data-code="31002"] .path')).toHaveText('资本性支出 › ');
  await page.keyboard.press('Escape');
  // Nothing found says what was looked for.
  await cell(page, line.id, 'functional').click();
  await page.keyboard.press('F2');
  await page.keyboard.type('没有这种科目');
  await expect(page.getByTestId('picker-functional').locator('li.none')).toHaveText('没有匹配“没有这种科目”的科目');
});

/**
 * Presses keys on whatever has the focus, all within one task of the page: nothing can render between
 * them, as when a loaded PC delivers a burst of queued keystrokes before the picker's text box exists.
 */
async function burst(page: Page, keys: string[]): Promise<void> {
  await page.evaluate((list) => {
    for (const key of list) {
      const target = document.activeElement ?? document.body;
      const init: KeyboardEventInit = { key, bubbles: true, cancelable: true, composed: true };
      if (key === 'Enter') Object.assign(init, { code: 'Enter', keyCode: 13, which: 13 });
      else if (key === 'Tab') Object.assign(init, { code: 'Tab', keyCode: 9, which: 9 });
      else Object.assign(init, { code: /\d/.test(key) ? `Digit${key}` : `Key${key.toUpperCase()}`, keyCode: key.toUpperCase().charCodeAt(0), which: key.toUpperCase().charCodeAt(0) });
      target.dispatchEvent(new KeyboardEvent('keydown', init));
      target.dispatchEvent(new KeyboardEvent('keyup', init));
    }
  }, keys);
}

test('科目 typed and Enter or Tab pressed before the picker has opened are kept: no keystroke is lost', async ({ page }) => {
  host = await startWithFixture();
  const before = await lines(host);
  const p07 = before.find((l) => l.project === 'P07' && l.amount === '62.8')!;
  await openApp(page, host);
  await reveal(page, p07.id);
  await cell(page, p07.id, 'functional').click();
  // Seven digits and Enter in one burst: the picker cannot mount in between.
  await burst(page, [...'2010301', 'Enter']);
  await expectStored(page, p07.id, 'functional', '2010301', true);
  // The cursor went with the line (it re-sorted), and the next burst edits that line's 经济分类 through Tab.
  expect(await focusedRowId(page)).toBe(`L${p07.id}`);
  await page.keyboard.press('Tab');
  await burst(page, [...'30201', 'Tab']);
  await expectStored(page, p07.id, 'economic', '30201', true);
  // No picker is left open, and Tab went on to the next cell of the same line.
  await expect(page.locator('.picker')).toHaveCount(0);
  expect(await focusedRowId(page)).toBe(`L${p07.id}`);
  expect(await page.evaluate(() => document.activeElement?.closest('[col-id]')?.getAttribute('col-id'))).toBe('kind');
  await shot(page, '43-type-ahead-burst');
  const after = await lines(host);
  expect(after.find((l) => l.id === p07.id)).toMatchObject({ functional: '2010301', economic: '30201' });
  expect(after.filter((l) => l.id !== p07.id)).toEqual(before.filter((l) => l.id !== p07.id));
});

test('a whole line typed in one burst (科目, Tab through the pickers, amount, Enter) is stored as typed', async ({ page }) => {
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
  // 功能分类, Tab, 经济分类, Tab past 支出类型, 项目 and 资金来源 (each picker opening as the next key
  // arrives), the amount, Enter: nothing can render in between.
  await burst(page, [...'2080505', 'Tab', ...'30108', 'Tab', 'Tab', 'Tab', 'Tab', ...'1200', 'Enter']);
  await expectStored(page, second!.id, 'amount', '1,200.00');
  await expect(page.locator('.picker')).toHaveCount(0);
  const after = await lines(host);
  expect(after.find((l) => l.id === second!.id)).toMatchObject({ functional: '2080505', economic: '30108', amount: '1200' });
  expect(after.find((l) => l.id === first!.id)).toEqual(first);
});
