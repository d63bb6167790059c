// The desktop menus' commands as the page receives them (window.budgetShell.onCommand), with a stand-in shell
// put in the page before it loads: Electron itself cannot run here, the page's side of the contract can.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { cell, cleanup, expectStored, shot, startWithFixture, type RunningHost } from './host.js';

interface LineRow {
  id: number;
  functional: string;
  economic: string;
  amount: string;
}

let host: RunningHost | undefined;

test.afterEach(async () => {
  await cleanup(host);
  host = undefined;
});

declare global {
  interface Window {
    sendShellCommand?: (command: unknown) => void;
    lastUndoKey?: KeyboardEvent;
  }
}

/** A stand-in for the preload's window.budgetShell (no budgetApi: the page still talks to the browser host). */
async function withShell(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const listeners = new Set<(command: unknown) => void>();
    Object.defineProperty(window, 'budgetShell', {
      value: Object.freeze({
        host: 'electron',
        onCommand: (listener: (command: unknown) => void) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      }),
    });
    window.sendShellCommand = (command) => listeners.forEach((l) => l(command));
    // Registered before the page's own handler: keeps the event to read defaultPrevented once it is handled.
    window.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && /^[zy]$/i.test(e.key)) window.lastUndoKey = e;
    }, true);
  });
}

const send = (page: Page, command: unknown) => page.evaluate((c) => window.sendShellCommand!(c), command);

test('撤销 / 重做 from the menu act on the budget, never under an open cell editor; the keys are taken once', async ({ page }) => {
  host = await startWithFixture();
  const lines = (await host.api<{ lines: LineRow[] }>('lines.list')).lines;
  const line = lines.find((l) => l.functional === '2010350' && l.economic === '30101')!;
  await withShell(page);
  await page.goto(host.url);
  await cell(page, line.id, 'amount').click();
  await page.keyboard.type('200');
  await page.keyboard.press('Enter');
  await expect(cell(page, line.id, 'amount')).toHaveText('200.00');

  await send(page, { command: 'undo' });
  await expect(cell(page, line.id, 'amount')).toHaveText('140.90');
  await send(page, { command: 'redo' });
  await expect(cell(page, line.id, 'amount')).toHaveText('200.00');

  // With a cell editor open, the menu's 撤销 undoes typing in it, not the budget.
  await cell(page, line.id, 'amount').click();
  await page.keyboard.type('77');
  await send(page, { command: 'undo' });
  await page.keyboard.press('Escape');
  await expectStored(page, line.id, 'amount', '200.00');
  expect((await host.api<{ lines: LineRow[] }>('lines.list')).lines.find((l) => l.id === line.id)!.amount).toBe('200');

  // Ctrl+Z on the grid is the page's own: handled once, with preventDefault so a menu accelerator stays quiet.
  await cell(page, line.id, 'economic').click();
  await page.keyboard.press('Control+z');
  await expect(cell(page, line.id, 'amount')).toHaveText('140.90');
  expect(await page.evaluate(() => window.lastUndoKey?.defaultPrevented)).toBe(true);
  // Inside a text box the key stays the text box's.
  await page.getByRole('button', { name: '导入科目代码表…' }).click();
  await page.getByRole('dialog', { name: '导入科目代码表' }).getByLabel('科目表年度').press('Control+z');
  expect(await page.evaluate(() => window.lastUndoKey?.defaultPrevented)).toBe(false);
  await expect(page.getByRole('button', { name: '重做' })).toBeEnabled();
  // Nor does a stray message do anything.
  await send(page, { command: 'format-disk' });
  await send(page, 'undo');
});

test('新建预算… from the menu opens the dialog on the chosen file and creates the budget there', async ({ page }) => {
  host = await startWithFixture();
  await withShell(page);
  await page.goto(host.url);
  await expect(page.locator('.title-block')).toContainText('济源市行政服务中心');
  const path = join(host.dir, '菜单新建.budget');
  await send(page, { command: 'new-budget', path });
  const dialog = page.getByRole('dialog', { name: '新建预算' });
  await expect(dialog.getByPlaceholder('如 D:\\预算\\2026部门预算.budget')).toHaveValue(path);
  await dialog.getByLabel('部门编码').fill('102');
  await dialog.getByLabel('部门名称').fill('示例县教育局');
  await dialog.getByLabel('预算年度').fill('2022');
  await dialog.getByLabel('第 1 个单位编码').fill('102001');
  await dialog.getByLabel('第 1 个单位名称').fill('示例县教育局本级');
  await shot(page, '33-menu-new-budget');
  await dialog.getByRole('button', { name: '创建' }).click();
  await expect(page.locator('.title-block')).toContainText('示例县教育局');
  await expect(page.getByTestId('statusbar')).toContainText(path);
  expect(existsSync(path)).toBe(true);

  await send(page, { command: 'import-code-list' });
  await expect(page.getByRole('dialog', { name: '导入科目代码表' })).toBeVisible();
});
