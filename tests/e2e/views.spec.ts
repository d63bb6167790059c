// The long views at a department's size, in Chromium against the browser host: 预算公开表 showing only the rows
// in view under a header that stays, search in a table; 审核 grouped by rule with its counts and filters; the
// 绩效目标 project list filtered by unit and state. Budgets from the realistic generator
// (scripts/realistic-budget.ts); the worked example's tables are shot as printed. Screenshots: views-*.png.
import { expect, test, type Page } from '@playwright/test';
import { realisticExchange } from '../../scripts/realistic-budget.js';
import { cleanup, shot, startWithFixture, type RunningHost } from './host.js';

interface TableWindow {
  rowCount: number;
  rows: { key?: string; cells: { text: string; row?: string; column?: string }[] }[];
}
interface Finding {
  severity: 'error' | 'warning';
  rule: string;
  message: string;
  place: { line?: number; project?: string };
}

let host: RunningHost | undefined;

test.afterEach(async () => {
  await cleanup(host);
  host = undefined;
});

async function openApp(page: Page, h: RunningHost): Promise<void> {
  await page.goto(h.url);
  await expect(page.locator('[role="row"][row-id^="L"]').first()).toBeVisible({ timeout: 60_000 });
}

async function showTable(page: Page, id: string) {
  await page.getByRole('tab', { name: '预算公开表' }).click();
  await page.locator(`.table-list [data-table="${id}"]`).click();
  const table = page.getByTestId(`table-${id}`);
  await expect(table.locator('tbody tr').first()).toBeVisible();
  return table;
}

test('the worked example: T01, T03 and a T11 sheet show whole, as printed', async ({ page }) => {
  host = await startWithFixture();
  await openApp(page, host);
  const t03 = await showTable(page, 'T03');
  // Six printed rows (number row, 合计, the unit, three 项) and every figure of the publication's first rows.
  await expect(t03.locator('tbody tr')).toHaveCount(7);
  await expect(t03.locator('table.virtual')).toHaveCount(0);
  await expect(t03.locator('td[data-row="total"][data-column="total"]')).toHaveText('1,740.2');
  await expect(t03.locator('td[data-row="item:074001:2010350"][data-column="basic"]')).toHaveText('491.5');
  await shot(page, 'views-example-T03');
  // Search in the table marks the row found.
  await page.getByTestId('table-search').fill('住房公积金');
  await page.getByTestId('table-search').press('Enter');
  await expect(t03.locator('tr.found')).toHaveAttribute('data-row', 'item:074001:2210201');
  await expect(page.getByTestId('table-search-result')).toHaveText('第 1 / 1 处');
  const t01 = await showTable(page, 'T01');
  await expect(t01.locator('thead tr').first().locator('th')).toHaveText(['收入', '支出']);
  await expect(t01).toContainText('一般公共预算收入');
  await shot(page, 'views-example-T01');
  const t11 = await showTable(page, 'T11:P01');
  await expect(t11).toContainText('项目名称');
  await expect(t11).toContainText('P01 电子政务');
  await shot(page, 'views-example-T11-P01');
});

test('预算公开表 at 10 units: T03 shows only the rows in view under a header that stays; its end and a searched row come into view', async ({ page }) => {
  host = await startWithFixture(realisticExchange(10_000));
  await openApp(page, host);
  const t03 = await showTable(page, 'T03');
  const all = await host.api<TableWindow>('reports.window', { id: 'T03', offset: 0, limit: 2000 });
  expect(all.rowCount).toBeGreaterThan(900);
  await expect(t03).toHaveAttribute('data-rows', String(all.rowCount));
  await expect(t03.locator('td[data-row="total"][data-column="total"]')).toHaveText(all.rows[1]!.cells.find((c) => c.column === 'total')!.text);
  // Only a window of the rows is in the page.
  expect(await t03.locator('tbody tr[data-row]').count()).toBeLessThan(120);
  await shot(page, 'views-T03-10000-top');

  // The end of the table: the last row shows, and the header is still at the top of the paper.
  await t03.evaluate((el) => (el.scrollTop = el.scrollHeight));
  const last = all.rows[all.rowCount - 1]!;
  await expect(t03.locator(`tr[data-row="${last.key}"]`)).toBeVisible();
  expect(await t03.locator('tbody tr[data-row]').count()).toBeLessThan(120);
  const paperTop = (await t03.boundingBox())!.y;
  const headTop = (await t03.locator('thead').boundingBox())!.y;
  expect(Math.abs(headTop - paperTop)).toBeLessThan(2);
  await shot(page, 'views-T03-10000-end');

  // Search by unit code: the first of its rows, then the next with Enter again.
  const search = page.getByTestId('table-search');
  await search.fill('901007');
  await search.press('Enter');
  const matching = all.rows.map((r, i) => ({ r, i })).filter(({ r }) => r.cells.some((c) => c.text === '901007'));
  await expect(page.getByTestId('table-search-result')).toHaveText(`第 1 / ${matching.length} 处`);
  await expect(t03.locator(`tr.found[data-row="${matching[0]!.r.key}"]`)).toBeVisible();
  await search.press('Enter');
  await expect(page.getByTestId('table-search-result')).toHaveText(`第 2 / ${matching.length} 处`);
  const second = t03.locator(`tr.found[data-row="${matching[1]!.r.key}"]`);
  await expect(second).toBeVisible();
  const figure = matching[1]!.r.cells.find((c) => c.column === 'total')!;
  await expect(second.locator('td[data-column="total"]')).toHaveText(figure.text);
  // By name: the unit's own row.
  await search.fill('第9单位');
  await search.press('Enter');
  await expect(page.getByTestId('table-search-result')).toHaveText('第 1 / 1 处');
  await expect(t03.locator('tr.found')).toContainText('第9单位机关');
  await shot(page, 'views-T03-10000-search');
  await search.fill('没有这个科目');
  await search.press('Enter');
  await expect(page.getByTestId('table-search-result')).toHaveText('没有找到“没有这个科目”');
});

test('审核 at 10 units: groups by rule with their counts, filters by severity and unit, a group opens to its places', async ({ page }) => {
  host = await startWithFixture(realisticExchange(10_000));
  const findings = (await host.api<{ findings: Finding[] }>('audit.run')).findings;
  const lines = new Map((await host.api<{ lines: { id: number; unit: string }[] }>('lines.list')).lines.map((l) => [l.id, l.unit]));
  const projects = new Map((await host.api<{ code: string; unit: string }[]>('projects.list')).map((p) => [p.code, p.unit]));
  const unitOf = (f: Finding) => (f.place.line !== undefined ? lines.get(f.place.line) : undefined) ?? (f.place.project ? projects.get(f.place.project) : undefined) ?? '';
  const count = (list: Finding[]) => {
    const out = new Map<string, number>();
    for (const f of list) out.set(f.rule, (out.get(f.rule) ?? 0) + 1);
    return out;
  };
  const byRule = count(findings);
  expect(findings.length).toBeGreaterThan(200);

  await openApp(page, host);
  await page.getByRole('tab', { name: '审核' }).click();
  const panel = page.getByTestId('audit-panel');
  const heads = panel.locator('button.audit-group-head');
  await expect(heads).toHaveCount(byRule.size);
  for (const [rule, n] of byRule) await expect(panel.locator(`button.audit-group-head[data-rule="${rule}"] .count`)).toHaveText(`${n} 项`);
  // So many findings: the groups start closed.
  await expect(panel.locator('.finding')).toHaveCount(0);
  await shot(page, 'views-audit-10000-groups');

  // The largest group opens to its places, a window of them at a time, in the order of a full 审核.
  const [bigRule, bigCount] = [...byRule].sort((a, b) => b[1] - a[1])[0]!;
  const big = findings.filter((f) => f.rule === bigRule);
  await panel.locator(`button.audit-group-head[data-rule="${bigRule}"]`).click();
  await expect(panel.locator('.finding').first()).toHaveAttribute('title', big[0]!.message);
  expect(bigCount).toBeGreaterThan(300);
  expect(await panel.locator('li[data-vrow]').count()).toBeLessThan(100);
  await panel.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(panel.locator(`.finding[title="${big[big.length - 1]!.message}"]`)).toBeVisible();
  expect(await panel.locator('li[data-vrow]').count()).toBeLessThan(100);
  await shot(page, 'views-audit-10000-open');
  await panel.evaluate((el) => (el.scrollTop = 0));
  await panel.locator(`button.audit-group-head[data-rule="${bigRule}"]`).click();
  await expect(panel.locator('.finding')).toHaveCount(0);

  // Severity: this budget has 提示 only.
  await panel.locator('button[data-severity="error"]').click();
  await expect(panel).toContainText('所选范围内没有发现问题');
  await panel.locator('button[data-severity="warning"]').click();
  await expect(heads).toHaveCount(byRule.size);

  // One unit: its counts only.
  await panel.getByTestId('audit-unit').selectOption('901003');
  const ofUnit = count(findings.filter((f) => unitOf(f) === '901003'));
  await expect(heads).toHaveCount(ofUnit.size);
  for (const [rule, n] of ofUnit) await expect(panel.locator(`button.audit-group-head[data-rule="${rule}"] .count`)).toHaveText(`${n} 项`);
  await shot(page, 'views-audit-10000-unit');
});

test('绩效目标 with 400 projects: only the rows in view, filtered by unit and by state', async ({ page }) => {
  host = await startWithFixture(realisticExchange(20_000));
  const list = await host.api<{ projects: { code: string; unit: string; status: string }[] }>('wizard.list');
  expect(list.projects.length).toBe(400);
  const done = list.projects.find((p) => p.unit === '901002')!;
  await host.api('wizard.complete', { code: done.code });

  await openApp(page, host);
  await page.getByRole('tab', { name: '绩效目标' }).click();
  const pane = page.getByTestId('project-list');
  const rows = pane.locator('table.wz-projects tbody tr[data-project]');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeLessThan(100);
  await pane.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(pane.locator(`tr[data-project="${list.projects[399]!.code}"]`)).toBeVisible();
  await shot(page, 'views-projects-400-end');

  await pane.getByTestId('project-unit').selectOption('901002');
  await expect(rows).toHaveCount(20);
  await expect(pane.getByTestId('project-shown')).toHaveText('显示 20 个项目');
  for (const code of await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-project')!))) expect(code.startsWith('901002-')).toBe(true);
  await pane.getByTestId('project-status').selectOption('complete');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-project', done.code);
  await expect(rows.first()).toContainText('已完成');
  await shot(page, 'views-projects-400-filtered');
});
