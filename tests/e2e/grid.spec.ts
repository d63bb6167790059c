// The line grid as a clerk uses it all day: the cursor after edits that move lines, the pickers, filtering,
// sorting and bulk edits. Browser host on a fresh budget file, driven through Chromium with the keyboard.
import { expect, test, type Locator, type Page } from '@playwright/test';
import Decimal from 'decimal.js';
import { cell, cleanup, expectStored, reveal, settled, shot, startHost, startWithFixture, tempBudgetDir, typeInEditor, type RunningHost } from './host.js';

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

/** The lines as the host stores them. */
async function lines(): Promise<LineRow[]> {
  return (await host!.api<{ lines: LineRow[] }>('lines.list')).lines;
}

/**
 * The opening steps of every test: a fresh host (in `host`) holding the worked example — or, with 'new budget',
 * a new 2021 budget in 元 with two empty lines — and the app open on its grid. Answers the lines as stored.
 */
async function openGrid(page: Page, start: 'worked example' | 'new budget' = 'worked example'): Promise<LineRow[]> {
  if (start === 'worked example') host = await startWithFixture();
  else {
    host = await startHost(tempBudgetDir());
    await host.api('budget.create', {
      department: { code: '101', name: '示例县财政局' },
      units: [{ code: '101001', name: '示例县财政局本级', kind: 'administrative' }],
      fiscalYear: 2021,
      amountUnit: '元',
    });
    await host.api('lines.add', {});
    await host.api('lines.add', {});
  }
  const stored = await lines();
  await page.goto(host.url);
  await expect(page.locator('[role="row"][row-id^="L"]').first()).toBeVisible();
  return stored;
}

/** The worked example's P07 line of 62.8 万元 (under 2010306), which the cursor tests move to a new 项. */
const isP07Large = (l: LineRow): boolean => l.project === 'P07' && l.amount === '62.8';

/** The row id of the row holding the grid's focused cell. */
async function focusedRowId(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.closest('[role="row"]')?.getAttribute('row-id') ?? null);
}

test('an edit that re-sorts its line takes the cursor along: the next keys edit that line, never its neighbour', async ({ page }) => {
  const before = await openGrid(page);
  const p07 = before.find(isP07Large)!;
  const p06 = before.find((l) => l.project === 'P06')!;
  expect(p06.economic).toBe('30214');
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
  const after = await lines();
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
  const before = await openGrid(page);
  const p07 = before.find(isP07Large)!;
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
  const after = await lines();
  expect(after.find((l) => l.id === p07.id)).toMatchObject({ functional: '2010301', economic: '30201' });
  expect(after.filter((l) => l.id !== p07.id)).toEqual(before.filter((l) => l.id !== p07.id));
});

test('in a new budget, Tab after a new 功能分类 stays on the line, not on the 小计 rows that appear above it', async ({ page }) => {
  const [first, second] = await openGrid(page, 'new budget');
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
  const after = await lines();
  expect(after.find((l) => l.id === second!.id)).toMatchObject({ functional: '2080505', economic: '30108', amount: '1200' });
  expect(after.find((l) => l.id === first!.id)).toEqual(first);
});

test('the 科目 picker shows each entry under its parents and finds "农业农村 行政运行" by them', async ({ page }) => {
  const line = (await openGrid(page)).find((l) => l.functional === '2010350' && l.economic === '30101')!;
  await cell(page, line.id, 'functional').click();
  await typeInEditor(page, '农业农村 行政运行');
  const picker = page.getByTestId('picker-functional');
  const first = picker.locator('li').first();
  await expect(first).toHaveAttribute('data-code', '2130101');
  await expect(first).toContainText('农林水支出 › 农业农村 › 行政运行');
  await shot(page, '42-picker-path');
  await page.keyboard.press('Enter');
  await expectStored(page, line.id, 'functional', '2130101', true);
  expect((await lines()).find((l) => l.id === line.id)!.functional).toBe('2130101');

  // 30902 and 31002 are both “办公设备购置”: their parents tell them apart.
  await cell(page, line.id, 'economic').click();
  await typeInEditor(page, '办公设备购置');
  const economic = page.getByTestId('picker-economic');
  await expect(economic.locator('li[data-code="30902"] .path')).toHaveText('资本性支出（基本建设） › ');
  await expect(economic.locator('li[data-code="31002"] .path')).toHaveText('资本性支出 › ');
  await page.keyboard.press('Escape');
  // Nothing found says what was looked for.
  await cell(page, line.id, 'functional').click();
  await typeInEditor(page, '没有这种科目');
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
  const before = await openGrid(page);
  const p07 = before.find(isP07Large)!;
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
  const after = await lines();
  expect(after.find((l) => l.id === p07.id)).toMatchObject({ functional: '2010301', economic: '30201' });
  expect(after.filter((l) => l.id !== p07.id)).toEqual(before.filter((l) => l.id !== p07.id));
});

test('a whole line typed in one burst (科目, Tab through the pickers, amount, Enter) is stored as typed', async ({ page }) => {
  const [first, second] = await openGrid(page, 'new budget');
  await cell(page, second!.id, 'functional').click();
  // 功能分类, Tab, 经济分类, Tab past 支出类型, 项目 and 资金来源 (each picker opening as the next key
  // arrives), the amount, Enter: nothing can render in between.
  await burst(page, [...'2080505', 'Tab', ...'30108', 'Tab', 'Tab', 'Tab', 'Tab', ...'1200', 'Enter']);
  await expectStored(page, second!.id, 'amount', '1,200.00');
  await expect(page.locator('.picker')).toHaveCount(0);
  const after = await lines();
  expect(after.find((l) => l.id === second!.id)).toMatchObject({ functional: '2080505', economic: '30108', amount: '1200' });
  expect(after.find((l) => l.id === first!.id)).toEqual(first);
});

/** Row ids of the grid's rows in the order shown (the pinned 合计 row not included). */
async function shownRowIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const byId = new Map<string, number>();
    for (const r of document.querySelectorAll('.grid-host [role="row"][row-id][row-index]')) {
      const id = r.getAttribute('row-id')!;
      if (id !== 'TOTAL') byId.set(id, Number(r.getAttribute('row-index')));
    }
    return [...byId].sort((a, b) => a[1] - b[1]).map(([id]) => id);
  });
}

test('the search box and a column filter show only the matching lines, and 小计 / 合计 add up just those', async ({ page }) => {
  const all = await openGrid(page);
  const p07 = all.filter((l) => l.project === 'P07');
  expect(p07.map((l) => l.amount).sort()).toEqual(['1', '2', '2', '62.8']);
  await page.getByTestId('grid-search').fill('P07 行政审批');
  await expect(page.getByTestId('grid-count')).toHaveText(`筛选出 4 行 / 共 ${all.length} 行`);
  // Only the 小计 rows above those lines remain, with the sums of the lines shown.
  const p07Rows = [...p07].sort((a, b) => a.id - b.id).map((l) => `L${l.id}`);
  await expect.poll(() => shownRowIds(page)).toEqual(['S201', 'S20103', 'S2010306', ...p07Rows]);
  await expect(cell(page, 'S2010306', 'amount')).toHaveText('67.80');
  await expect(page.locator('[role="row"][row-id="TOTAL"] [col-id="amount"]')).toHaveText('67.80');
  await expect(page.locator('[role="row"][row-id="TOTAL"] [col-id="unit"]')).toHaveText('筛选合计');
  await shot(page, '45-grid-search');
  // A per-column filter under the header: 经济分类 containing 30227.
  await page.getByTestId('grid-search').fill('');
  await expect(page.getByTestId('grid-count')).toHaveText(`共 ${all.length} 行`);
  await expect(cell(page, 'S2010306', 'amount')).toHaveText('1,179.40');
  const economicFilter = page.locator('.ag-floating-filter[aria-colindex] input').nth(2);
  await economicFilter.fill('30227');
  const with30227 = all.filter((l) => l.economic === '30227');
  await expect(page.getByTestId('grid-count')).toHaveText(`筛选出 ${with30227.length} 行 / 共 ${all.length} 行`);
  const sum = with30227.reduce((a, l) => a.plus(l.amount), new Decimal(0));
  await expect(page.locator('[role="row"][row-id="TOTAL"] [col-id="amount"]')).toHaveText(sum.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ','));
  await shot(page, '46-grid-column-filter');
  await economicFilter.fill('');
  await expect(page.getByTestId('grid-count')).toHaveText(`共 ${all.length} 行`);
  await expect(page.locator('[role="row"][row-id="TOTAL"] [col-id="unit"]')).toHaveText('合计');
});

test('clicking a header sorts the lines by that column (without 小计 rows); a third click restores the budget order', async ({ page }) => {
  const all = await openGrid(page);
  const orderBefore = await shownRowIds(page);
  const header = page.locator('.ag-header-cell[col-id="amount"] .ag-header-cell-label');
  await header.click();
  await expect(page.locator('[role="row"][row-id^="S"]')).toHaveCount(0);
  const byAmount = [...all].sort((a, b) => new Decimal(a.amount).cmp(b.amount));
  const amountOf = (id: string) => all.find((l) => `L${l.id}` === id)?.amount;
  await expect.poll(async () => (await shownRowIds(page)).slice(0, 5).map(amountOf)).toEqual(byAmount.slice(0, 5).map((l) => l.amount));
  await shot(page, '47-grid-sorted');
  await header.click();
  await expect.poll(async () => amountOf((await shownRowIds(page))[0]!)).toBe(byAmount.at(-1)!.amount);
  await header.click();
  await expect(page.locator('[role="row"][row-id="S201"]')).toHaveCount(1);
  await expect.poll(() => shownRowIds(page)).toEqual(orderBefore);
});

test('批量修改 sets one field of the selected lines in one step, and one 撤销 takes it back', async ({ page }) => {
  const before = await openGrid(page);
  const chosen = before.filter((l) => l.project === 'P11').slice(0, 3);
  expect(chosen).toHaveLength(3);
  await reveal(page, chosen[0]!.id);
  await cell(page, chosen[0]!.id, 'remark').click();
  for (const l of chosen.slice(1)) await cell(page, l.id, 'remark').click({ modifiers: ['Control'] });
  await expect(page.locator('[data-action="bulk-edit"]')).toHaveText('批量修改（3）');
  await page.locator('[data-action="bulk-edit"]').click();
  await page.getByTestId('bulk-field').selectOption('economic');
  await page.getByTestId('bulk-value').fill('30201');
  await expect(page.getByTestId('bulk-options').locator('li').first()).toHaveAttribute('data-code', '30201');
  await page.getByTestId('bulk-value').press('Enter');
  await expect(page.getByTestId('bulk-chosen')).toContainText('30201 办公费');
  await shot(page, '48-bulk-edit');
  await page.locator('[data-action="bulk-apply"]').click();
  for (const l of chosen) await expectStored(page, l.id, 'economic', '30201', true);
  const after = await lines();
  expect(after.filter((l) => chosen.some((c) => c.id === l.id)).map((l) => l.economic)).toEqual(['30201', '30201', '30201']);
  expect(after.filter((l) => !chosen.some((c) => c.id === l.id))).toEqual(before.filter((l) => !chosen.some((c) => c.id === l.id)));
  // One step: one 撤销 restores all three.
  await page.getByRole('button', { name: '撤销' }).click();
  for (const l of chosen) await expectStored(page, l.id, 'economic', l.economic, true);
  expect(await lines()).toEqual(before);
});

test('Insert and Ctrl+Enter add a line below the cursor; Ctrl+D fills down from the line above or the first selected', async ({ page }) => {
  const before = await openGrid(page);
  const p11 = before.filter((l) => l.project === 'P11');
  await reveal(page, p11[1]!.id);
  await cell(page, p11[1]!.id, 'amount').click();
  await page.keyboard.press('Insert');
  await expect(page.getByTestId('status-save')).toHaveAttribute('data-state', 'saved');
  await expect.poll(async () => (await lines()).length).toBe(before.length + 1);
  const added = (await lines()).find((l) => !before.some((b) => b.id === l.id))!;
  expect(added).toMatchObject({ functional: p11[1]!.functional, project: 'P11', economic: p11[1]!.economic, amount: '0' });
  // The cursor is on the new line's 金额, in the same 项 below the line it was on: typing fills it in.
  await expect.poll(() => focusedRowId(page)).toBe(`L${added.id}`);
  await page.keyboard.type('5.5');
  await page.keyboard.press('Enter');
  await expectStored(page, added.id, 'amount', '5.50');
  await cell(page, added.id, 'remark').click();
  await page.keyboard.press('Control+Enter');
  await expect.poll(async () => (await lines()).length).toBe(before.length + 2);
  await settled(page);

  // Ctrl+D on one cell copies the cell above into it.
  const p11Now = (await lines()).filter((l) => l.project === 'P11');
  const rowsShown = await shownRowIds(page);
  const lower = p11Now.find((l) => rowsShown.indexOf(`L${l.id}`) - 1 === rowsShown.indexOf(`L${p11Now[0]!.id}`))!;
  await cell(page, lower.id, 'economic').click();
  await page.keyboard.press('Control+d');
  await expectStored(page, lower.id, 'economic', p11Now[0]!.economic, true);
  // With lines selected, the first one's cell goes to the others.
  const three = p11Now.slice(0, 3);
  await cell(page, three[0]!.id, 'remark').click();
  // Chinese text arrives through an input method, without key presses: F2 opens the editor first.
  await typeInEditor(page, '按上年标准');
  await page.keyboard.press('Enter');
  await expectStored(page, three[0]!.id, 'remark', '按上年标准');
  await cell(page, three[0]!.id, 'remark').click();
  await cell(page, three[2]!.id, 'remark').click({ modifiers: ['Shift'] });
  await page.keyboard.press('Control+d');
  for (const l of three) await expectStored(page, l.id, 'remark', '按上年标准');
  await shot(page, '49-fill-down');
  expect((await lines()).filter((l) => three.some((t) => t.id === l.id)).map((l) => l.remark)).toEqual(['按上年标准', '按上年标准', '按上年标准']);
});

test('a 政府性基金 科目 paid from 一般公共预算 is a hard 审核 finding naming both; the picker says which budget a 项 is in', async ({ page }) => {
  const line = (await openGrid(page)).find((l) => l.functional === '2010350' && l.economic === '30101')!;
  await expect(page.getByTestId('audit-state')).toContainText('2 项错误');
  await cell(page, line.id, 'functional').click();
  await page.keyboard.type('2120814');
  const entry = page.getByTestId('picker-functional').locator('li[data-code="2120814"]');
  await expect(entry.locator('.budget')).toHaveText('政府性基金预算');
  await shot(page, '50-picker-fund-budget');
  await page.keyboard.press('Enter');
  await expectStored(page, line.id, 'functional', '2120814', true);
  await expect(page.getByTestId('audit-state')).toContainText('3 项错误');
  await page.getByRole('tab', { name: '审核' }).click();
  const finding = page.locator('.finding[data-rule="line.fund-budget"]');
  await expect(finding).toHaveCount(1);
  await expect(finding.locator('.msg')).toContainText('功能分类“2120814 农业生产发展支出”属于政府性基金预算，资金来源“一般公共预算·财政拨款”却属于一般公共预算');
  // The severity is shown once, on the rule's group above its places.
  await expect(page.locator('.audit-group-head[data-rule="line.fund-budget"] .sev')).toHaveText('错误');
  await shot(page, '51-audit-fund-budget');
  // Paid from 政府性基金, the finding is gone.
  await finding.click();
  await expect.poll(() => focusedRowId(page)).toBe(`L${line.id}`);
  await typeInEditor(page, '政府性基金·当年收入');
  await expect(page.getByTestId('picker-fund').locator('li').first()).toContainText('政府性基金·当年收入');
  await page.keyboard.press('Enter');
  await expectStored(page, line.id, 'fund', '政府性基金·当年收入');
  await expect(page.getByTestId('audit-state')).toContainText('2 项错误');
  expect((await lines()).find((l) => l.id === line.id)).toMatchObject({ functional: '2120814', fund: 'gfb.current' });
});

test.describe('上年数 / 增减 beside the 功能分类 小计', () => {
  // Wide enough to show every column with the three added (at 1440 the grid scrolls sideways to them).
  test.use({ viewport: { width: 1920, height: 1000 } });

  /** Types last year's figures by 功能分类 code in 预算说明 › 上年数 and waits until the host holds them. */
  async function typePrior(page: Page, figures: Record<string, string>): Promise<void> {
    await page.getByRole('tab', { name: '预算说明' }).click();
    await page.locator('summary', { hasText: '上年数' }).click();
    for (const [code, value] of Object.entries(figures)) await page.locator(`[data-prior-code="${code}"]`).fill(value);
    await page.getByRole('button', { name: '保存上年数' }).click();
    const stored = async () => {
      const v = await host!.api<{ rows: { code: string; prior: string | null }[] }>('document.priorFunctional');
      return Object.fromEntries(Object.keys(figures).map((c) => [c, v.rows.find((r) => r.code === c)?.prior]));
    };
    await expect.poll(stored).toEqual(figures);
    await settled(page);
  }

  /** A column's header cell (not the filter cell under it). */
  function header(page: Page, col: string): Locator {
    return page.locator(`[role="columnheader"][col-id="${col}"]`);
  }

  /** Scrolls the grid back to its first rows (the 201 类 is the first). */
  async function toTop(page: Page): Promise<void> {
    await page.locator('.ag-grid-viewport').first().evaluate((v) => {
      v.scrollTop = 0;
    });
  }

  /** The 小计 row's 金额, 上年数, 增减 and 增减率 as shown. */
  async function priorRow(page: Page, code: string): Promise<string[]> {
    return Promise.all(['amount', 'prior', 'priorChange', 'priorRate'].map((c) => cell(page, `S${code}`, c).innerText()));
  }

  test('the 上年数, the change and its rate show on 类/款/项 rows, follow every edit and undo, and stay shown after a reload', async ({ page }) => {
    const all = await openGrid(page);
    const housing = all.find((l) => l.functional === '2210201')!;
    expect(housing.amount).toBe('29.7');
    await typePrior(page, { '221': '32', '201': '1700' });

    await page.getByRole('tab', { name: '预算明细' }).click();
    const toggle = page.locator('[data-action="prior-columns"]');
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await expect(header(page, 'prior')).toHaveCount(0);
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(header(page, 'prior')).toContainText('上年数（万元）');
    await expect(header(page, 'priorChange')).toContainText('增减（万元）');
    await expect(header(page, 'priorRate')).toContainText('增减率');
    // 一般公共服务 类: 1670.9 against 1700 — −29.1, −1.7117…% shown as −1.71%.
    await toTop(page);
    await expect.poll(() => priorRow(page, '201')).toEqual(['1,670.90', '1,700.00', '-29.10', '-1.71%']);
    // Its 款 and 项 have no 上年数: blank.
    await expect.poll(() => priorRow(page, '20103')).toEqual(['1,670.90', '', '', '']);
    // 住房保障 类: 29.7 against 32 — −2.3, −7.1875% rounded half-up to −7.19% (the 预算说明's “减少7.19%”).
    await reveal(page, 'S221');
    await expect.poll(() => priorRow(page, '221')).toEqual(['29.70', '32.00', '-2.30', '-7.19%']);
    // A line has no 上年数 of its own.
    for (const c of ['prior', 'priorChange', 'priorRate']) await expect(cell(page, housing.id, c)).toHaveText('');
    await shot(page, '55-grid-prior-columns');

    // An edit: 住房公积金 29.7 → 33 万元. The 小计 and its 增减 change with it: +1 against 32 is 3.125% → 3.13%.
    await cell(page, housing.id, 'amount').click();
    await page.keyboard.type('33');
    await page.keyboard.press('Enter');
    await expectStored(page, housing.id, 'amount', '33.00');
    await expect.poll(() => priorRow(page, '221')).toEqual(['33.00', '32.00', '1.00', '3.13%']);
    await shot(page, '56-grid-prior-after-edit');
    // The 预算说明 writes the same rate by the same rule.
    await page.getByRole('tab', { name: '预算说明' }).click();
    const classes = page.locator('[data-testid="doc-preview"] p[data-section="2.5"]:not(.doc-heading)');
    await expect(classes).toContainText('住房保障（类）支出33万元');
    await expect(classes).toContainText('比2019年增加1万元，增加3.13%');

    // 上年数 changed in 预算说明 show when the grid is shown again: 33 against 30 is +10.00%.
    await typePrior(page, { '221': '30' });
    await page.getByRole('tab', { name: '预算明细' }).click();
    await reveal(page, 'S221');
    await expect.poll(() => priorRow(page, '221')).toEqual(['33.00', '30.00', '3.00', '10.00%']);

    // Under a filter a 小计 holding only some of its lines shows its 上年数 but no 增减 (the 上年数 is the whole 科目's).
    await page.getByTestId('grid-search').fill('P07 行政审批');
    await toTop(page);
    await expect.poll(() => priorRow(page, '201')).toEqual(['67.80', '1,700.00', '', '']);
    await shot(page, '57-grid-prior-filtered');
    await page.getByTestId('grid-search').fill('');
    await toTop(page);
    await expect.poll(() => priorRow(page, '201')).toEqual(['1,670.90', '1,700.00', '-29.10', '-1.71%']);

    // 撤销 takes back the typed 上年数, then the edit: the 增减 follow both.
    const undo = page.locator('button[data-action="undo"]');
    await undo.click();
    await reveal(page, 'S221');
    await expect.poll(() => priorRow(page, '221')).toEqual(['33.00', '32.00', '1.00', '3.13%']);
    await undo.click();
    await expect.poll(() => priorRow(page, '221')).toEqual(['29.70', '32.00', '-2.30', '-7.19%']);
    await settled(page);

    // In 元: converted exactly, the rate unchanged.
    await page.getByLabel('显示单位').selectOption('元');
    await expect(header(page, 'prior')).toContainText('上年数（元）');
    await reveal(page, 'S221');
    await expect.poll(() => priorRow(page, '221')).toEqual(['297,000.00', '320,000.00', '-23,000.00', '-7.19%']);

    // Remembered: shown after a reload, and hidden after one once turned off.
    await page.reload();
    await expect(page.locator('[role="row"][row-id^="L"]').first()).toBeVisible();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await reveal(page, 'S221');
    await expect.poll(() => priorRow(page, '221')).toEqual(['29.70', '32.00', '-2.30', '-7.19%']);
    await toggle.click();
    await expect(header(page, 'prior')).toHaveCount(0);
    await page.reload();
    await expect(page.locator('[role="row"][row-id^="L"]').first()).toBeVisible();
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await expect(header(page, 'prior')).toHaveCount(0);
    expect((await lines()).find((l) => l.id === housing.id)!.amount).toBe('29.7');
  });
});
