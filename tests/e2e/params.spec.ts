// 年度参数包 end to end: the package is checked and previewed in the 导入年度参数包 dialog, imported, and the
// 控制数 view and the status bar show ceiling / used / remaining, following an edit in the grid at once; a
// reason for a large change is written in the view and 审核 counts it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { buildParamsPackage } from '../../submission/params-package.js';
import { cell, cleanup, FIXTURE_PATH, settled, shot, startWithFixture, type RunningHost } from './host.js';

interface LineRow {
  id: number;
  functional: string;
  economic: string;
  kind: string;
  fund: string;
  amount: string;
}

let host: RunningHost | undefined;

test.afterEach(async () => {
  await cleanup(host);
  host = undefined;
});

async function typeAmount(page: Page, target: Locator, text: string): Promise<void> {
  await target.click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

async function packageFile(dir: string): Promise<string> {
  const { bytes } = await buildParamsPackage({
    fiscalYear: 2020,
    authority: { code: '419001', name: '济源市财政局' },
    note: '2020 年部门预算“二下”控制数',
    params: {
      amountUnit: '万元',
      rules: { 'project.total-below-year': { level: 'soft' }, 'item.large-change': { params: { ratio: '10%' } } },
      ceilings: [
        { unit: '074001', fundGroup: 'gpb', kind: 'basic', amount: '561' },
        { unit: '074001', fundGroup: 'gpb', kind: 'project', amount: '1180' },
      ],
    },
    codeLists: [],
    formats: [],
    app: { name: '部门预算编制', version: 'test' },
    now: new Date(2026, 10, 1, 9, 0),
  });
  mkdirSync(dir, { recursive: true });
  const file = join(dir, '2020_年度参数包_济源市财政局.zip');
  writeFileSync(file, bytes);
  return file;
}

test('导入年度参数包: preview, import; the 控制数 view and the status bar follow a grid edit', async ({ page }) => {
  const doc = JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as Record<string, unknown>;
  doc.priorYear = { ...(doc.priorYear as object), functional: { '2010350': '440', '2010306': '1179.4', '2080505': '39.6', '2210201': '29.7' } };
  host = await startWithFixture(JSON.stringify(doc));
  const zip = await packageFile(join(host.dir, 'usb'));
  const { lines } = await host.api<{ lines: LineRow[] }>('lines.list');
  const wages = lines.find((l) => l.kind === 'basic' && l.fund === 'gpb.appropriation' && l.economic === '30101')!;

  await page.goto(host.url);
  await expect(page.locator('[role="row"][row-id^="L"]').first()).toBeVisible();
  await expect(page.getByTestId('audit-state')).toContainText('2 项错误');
  // No 控制数 yet: nothing about them in the status bar.
  await expect(page.getByTestId('ceiling-state')).toHaveCount(0);

  // The dialog checks the package and says what it would change before anything is written.
  await page.getByRole('button', { name: '导入年度参数包…' }).click();
  const dialog = page.getByRole('dialog', { name: '导入年度参数包' });
  await dialog.getByTestId('params-file').setInputFiles(zip);
  const preview = dialog.getByTestId('params-preview');
  await expect(preview).toContainText('济源市财政局');
  await expect(preview).toContainText('074001 济源市行政服务中心 一般公共预算基本支出：无 → 561万元');
  await expect(preview).toContainText('项目总金额不能小于项目本年度金额：错误 → 提示');
  await shot(page, '70-params-import-preview');
  await dialog.getByTestId('params-import-confirm').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText('已导入 济源市财政局 下达的 2020 年度参数包')).toBeVisible();
  // P05 and P09 are now 提示 (the package made the rule soft).
  await expect(page.getByTestId('audit-state')).toContainText('0 项错误');
  await expect(page.getByTestId('ceiling-remaining')).toHaveText('0.80');

  await page.getByRole('tab', { name: '控制数与参数' }).click();
  const ceilings = page.getByTestId('ceilings');
  const basic = ceilings.locator('[data-ceiling="074001:gpb:basic"]');
  await expect(basic).toContainText('济源市行政服务中心');
  await expect(basic.locator('[data-cell="used"]')).toHaveText('560.80');
  await expect(basic.locator('[data-cell="remaining"]')).toHaveText('0.20');
  await expect(ceilings.locator('[data-ceiling="074001:gpb:project"] [data-cell="remaining"]')).toHaveText('0.60');
  await expect(page.locator('[data-rule="project.total-below-year"] [data-cell="level"]')).toHaveText('提示（需说明）');

  // An edit in the grid: 基本工资 +0.5 万元 goes over the 基本支出 ceiling.
  await page.getByRole('tab', { name: '预算明细' }).click();
  const next = (Number(wages.amount) + 0.5).toFixed(2);
  await typeAmount(page, cell(page, wages.id, 'amount'), next);
  await settled(page);
  await expect(page.getByTestId('ceiling-state')).toContainText('超出 1 项');
  await expect(page.getByTestId('ceiling-remaining')).toHaveText('0.30');
  await expect(page.getByTestId('audit-state')).toContainText('1 项错误');
  // The 审核 finding leads to the 控制数.
  await page.getByRole('tab', { name: '审核' }).click();
  const finding = page.getByTestId('audit-panel').locator('button.finding[data-rule="ceiling.exceeded"]');
  await expect(finding).toContainText('超过控制数 561.00万元（超出 0.30万元）');
  await finding.click();
  await expect(page.getByRole('tab', { name: '控制数与参数' })).toHaveAttribute('aria-selected', 'true');
  await expect(basic.locator('[data-cell="used"]')).toHaveText('561.30');
  await expect(basic.locator('[data-cell="remaining"]')).toContainText('-0.30');
  await expect(basic).toHaveClass(/exceeded/);
  await expect(page.getByText('1 项超出控制数：超出控制数的预算不能上报')).toBeVisible();

  // The reason for 事业运行's change against last year (491.5+0.5 against 440).
  const change = page.getByTestId('changes').locator('[data-change="2010350"]');
  await expect(change).toContainText('增加 11.82%');
  const warningsBefore = await page.getByTestId('audit-state').innerText();
  await change.locator('textarea').fill('新增编制 3 人，人员经费相应增加');
  await change.locator('textarea').blur();
  await settled(page);
  await expect(page.getByTestId('audit-state')).not.toHaveText(warningsBefore);
  await expect(change).not.toHaveClass(/missing/);
  await shot(page, '71-params-ceilings-after-edit');

  // A rule switched off here needs a reason, and shows who changed it and why.
  const rule = page.locator('[data-rule="indicator.target-missing-unit"]');
  await rule.getByRole('button', { name: '修改' }).click();
  const editor = rule.getByTestId('rule-editor');
  await editor.getByLabel('级别').selectOption('off');
  await expect(editor.getByRole('button', { name: '保存' })).toBeDisabled();
  await editor.getByLabel('修改原因').fill('计量单位已在指标名称中写明');
  const beforeRule = await page.getByTestId('audit-state').innerText();
  await editor.getByRole('button', { name: '保存' }).click();
  await expect(rule.locator('[data-cell="level"]')).toHaveText('不审核');
  await expect(rule).toContainText('本单位：计量单位已在指标名称中写明');
  await expect(page.getByTestId('audit-state')).not.toHaveText(beforeRule);
  await shot(page, '72-params-rule-changed');

  // Undo brings the budget back under its ceiling.
  await page.getByRole('button', { name: '撤销' }).click();
  await settled(page);
  await expect(basic.locator('[data-cell="remaining"]')).toHaveText('0.20');
  await expect(page.getByTestId('ceiling-state')).not.toContainText('超出');
  await expect(page.getByTestId('audit-state')).toContainText('0 项错误');
});
