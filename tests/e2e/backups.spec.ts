// 恢复备份 end to end: an import keeps the budget it replaced; the dialog lists the backups with time, reason
// and totals, and restoring one brings the old figures back on screen.
import { expect, test } from '@playwright/test';
import { FIXTURE_PATH, cleanup, shot, startWithFixture, type RunningHost } from './host.js';
import { readFileSync } from 'node:fs';

let host: RunningHost | undefined;

test.afterEach(async () => {
  await cleanup(host);
  host = undefined;
});

test('恢复备份 lists the backups with time and totals and restores the one chosen', async ({ page }) => {
  host = await startWithFixture();
  const list = (await host.api('lines.list', {})) as { lines: { id: number }[] };
  await host.api('lines.update', { id: list.lines[0]!.id, field: 'amount', value: '2000' });
  const edited = ((await host.api('budget.info', {})) as { totals: { total: string } }).totals.total;
  // Importing the exchange file again replaces the edited budget (which goes into a backup).
  await host.api('exchange.import', { text: readFileSync(FIXTURE_PATH, 'utf8') });

  await page.goto(host.url);
  const total = page.locator('[role="row"][row-id="TOTAL"] [col-id="amount"]');
  await expect(total).toContainText('1,740.20');
  await page.getByRole('button', { name: '恢复备份…' }).click();
  const dialog = page.getByRole('dialog', { name: '恢复备份' });
  const rows = dialog.getByTestId('backup-list').locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  const importRow = rows.filter({ hasText: '导入前' });
  await expect(importRow).toHaveCount(1);
  const [whole, frac = ''] = edited.split('.');
  const shown = `${Number(whole).toLocaleString('en-US')}.${frac.padEnd(2, '0')}`;
  await expect(importRow).toContainText(shown);
  await expect(importRow).toContainText('济源市行政服务中心 2020 年');
  await importRow.click();
  await expect(dialog.getByText('将用')).toBeVisible();
  await shot(page, 'backups-restore-dialog');
  await dialog.getByRole('button', { name: '恢复所选备份' }).click();
  await expect(dialog).toBeHidden();
  await expect(total).toContainText(shown);
  await expect(page.getByText(/已恢复 .* 的备份/)).toBeVisible();
  const info = (await host.api('budget.info', {})) as { totals: { total: string } };
  expect(info.totals.total).toBe(edited);
});
