// The 绩效目标 wizard end to end: the browser host on a fresh budget file holding the 济源 2020 fixture, driven
// through Chromium with the mouse and the keyboard as a project lead would. Screenshots of every step go to
// test-results/screenshots (wizard-*.png).
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { FIXTURE_PATH, cell, cleanup, reveal, shot, startWithFixture, type RunningHost } from './host.js';

interface Fixture {
  projects: { code: string; name: string; indicators: { name: string; target: string }[] }[];
}
const fixture = JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as Fixture;

let host: RunningHost | undefined;

test.afterEach(async () => {
  await cleanup(host);
  host = undefined;
});

async function openPerformance(page: Page, h: RunningHost): Promise<void> {
  await page.goto(h.url);
  // Tabs are clicked once the app has shown the budget, as a user does.
  await expect(page.locator('[role="row"][row-id^="L"]').first()).toBeVisible();
  await page.getByRole('tab', { name: '绩效目标' }).click();
  await expect(page.getByTestId('project-list')).toBeVisible();
}

function projectRow(page: Page, code: string): Locator {
  return page.locator(`table.wz-projects tr[data-project="${code}"]`);
}

async function openProject(page: Page, code: string): Promise<void> {
  await projectRow(page, code).getByRole('button', { name: /继续填写|查看/ }).click();
  await expect(page.getByTestId('project-wizard')).toBeVisible();
}

function currentStep(page: Page): Locator {
  return page.locator('.wz-steps [aria-current="step"]');
}

async function stepTo(page: Page, step: string): Promise<void> {
  await page.locator(`.wz-steps [data-step="${step}"]`).click();
  await expect(currentStep(page)).toHaveAttribute('data-step', step);
}

/** Clicks into a field and types, as a user does (no programmatic fill). */
async function typeIn(page: Page, target: Locator, text: string): Promise<void> {
  await target.click();
  await page.keyboard.press('Control+A');
  if (text === '') await page.keyboard.press('Delete');
  else await page.keyboard.type(text);
}

function l2(page: Page, level2: string): Locator {
  return page.locator(`.wz-l2[data-level2="${level2}"]`);
}

test('the project list and the 13 imported tables show the published text and 目标值', async ({ page }) => {
  host = await startWithFixture();
  await openPerformance(page, host);
  await expect(page.locator('table.wz-projects tbody tr')).toHaveCount(13);
  await expect(projectRow(page, 'P01').locator('.wz-dot')).toHaveCount(6);
  await shot(page, 'wizard-0-list');

  await openProject(page, 'P02');
  await expect(page.locator('#wz-f-name')).toHaveValue('电子政务专项-12345市长热线和数字城管运维费');
  await expect(page.locator('#wz-f-leader')).toHaveValue('任娜 李红梅');
  await expect(page.locator('#wz-f-yearAmount')).toHaveValue('344.4');
  await expect(page.getByTestId('lines-info')).toContainText('相等');
  await stepTo(page, 'indicators');
  // "≥70" (no unit) is read into parts, printed back unchanged, and flagged at its row.
  const row9 = page.locator('.wz-row[data-indicator="9"]');
  await expect(row9.locator('.wz-comparator')).toHaveValue('≥');
  await expect(row9.locator('.wz-number')).toHaveValue('70');
  await expect(row9.locator('.wz-unit')).toHaveValue('');
  await expect(page.getByTestId('msg-row-9')).toContainText('缺少计量单位');
  await row9.scrollIntoViewIfNeeded();
  await shot(page, 'wizard-imported-indicators');
  await stepTo(page, 'preview');
  const preview = page.getByTestId('project-preview');
  const texts = await preview.locator('tr.k-indicator td:last-child').allInnerTexts();
  expect(texts.filter((t) => t.trim() !== '')).toEqual(fixture.projects[1]!.indicators.map((x) => x.target));
  await expect(preview.locator('tr.k-budget').first()).toContainText('344.40');

  // P07's sentence target stays text, with its warning, until converted.
  await page.getByRole('button', { name: '← 返回项目列表' }).click();
  await openProject(page, 'P07');
  await stepTo(page, 'indicators');
  const sentence = page.locator('.wz-row[data-indicator="11"]');
  await expect(sentence.locator('.wz-target-text')).toHaveText(fixture.projects[6]!.indicators[11]!.target);
  await expect(page.getByTestId('msg-row-11')).toContainText('一段文字');
  // … and can be converted into parts.
  await sentence.getByRole('button', { name: '改为定量' }).click();
  await expect(sentence.locator('.wz-number')).toBeVisible();
  await expect(sentence.locator('.wz-target-text')).toHaveCount(0);
});

test('a new project completed through all six steps by keyboard and mouse', async ({ page }) => {
  host = await startWithFixture();
  await openPerformance(page, host);
  await page.getByRole('button', { name: '＋ 新建项目' }).click();
  await expect(page.locator('#wz-f-code')).toHaveValue('P14');
  await expect(page.locator('#wz-f-start')).toHaveValue('2020-01-01');

  // Step 1: typed field by field; the category chosen with the keyboard.
  await typeIn(page, page.locator('#wz-f-name'), '政务服务效能评估');
  await page.locator('#wz-f-category').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('#wz-f-category')).toHaveValue('special');
  await typeIn(page, page.locator('#wz-f-functional'), '2010350');
  await typeIn(page, page.locator('#wz-f-usage'), '业务类');
  await typeIn(page, page.locator('#wz-f-leader'), '张三');
  await page.keyboard.press('Tab');
  await page.keyboard.type('李四');
  await page.keyboard.press('Tab');
  await page.keyboard.type('6633496');
  await typeIn(page, page.locator('#wz-f-totalAmount'), '12');
  await page.keyboard.press('Tab');
  await page.keyboard.type('12');
  await shot(page, 'wizard-1-basics');
  await page.keyboard.press('Alt+ArrowRight');
  await expect(currentStep(page)).toHaveAttribute('data-step', 'details');
  await expect(page.locator('.wz-title')).toHaveText('P14 政务服务效能评估');

  // Step 2.
  await typeIn(page, page.locator('#wz-f-overview'), '对全市政务服务事项的办理效能开展年度评估。');
  await page.keyboard.press('Tab');
  await page.keyboard.type('《政务服务效能评估办法》');
  await page.keyboard.press('Tab');
  await page.keyboard.type('发现并改进办理中的堵点。');
  await typeIn(page, page.locator('#wz-f-plan'), '上半年调研，下半年出具报告。');
  await shot(page, 'wizard-2-details');
  await page.getByRole('button', { name: /下一步/ }).click();
  await expect(currentStep(page)).toHaveAttribute('data-step', 'goals');

  // Step 3.
  await typeIn(page, page.locator('#wz-f-overallGoal'), '建立政务服务效能评估机制。');
  await typeIn(page, page.locator('#wz-f-annualGoal'), '完成两次评估并发布报告。');
  await shot(page, 'wizard-3-goals');
  await page.getByRole('button', { name: /下一步/ }).click();
  await expect(currentStep(page)).toHaveAttribute('data-step', 'indicators');

  // Step 4: the template's standard rows are there; a 数量 indicator is added from the suggestions.
  await expect(page.locator('.wz-row')).toHaveCount(9);
  await l2(page, '数量').getByRole('button', { name: /添加指标/ }).click();
  const picker = page.getByRole('dialog', { name: /为“数量”选择指标/ });
  await expect(picker.locator('.wz-suggestions li').first()).toBeVisible();
  await shot(page, 'wizard-4a-suggestions');
  await picker.getByRole('button', { name: '空白指标' }).click();
  const added = l2(page, '数量').locator('.wz-row').last();
  await expect(added.locator('.wz-name')).toBeFocused();
  await page.keyboard.type('评估报告数量');
  await page.keyboard.press('Tab'); // 定量 / 定性
  await page.keyboard.press('Tab'); // comparator
  await page.keyboard.press('Tab'); // number
  await page.keyboard.type('2');
  await page.keyboard.press('Tab'); // unit
  await page.keyboard.type('份');
  // A qualitative 时效 indicator with the mouse.
  await l2(page, '时效').getByRole('button', { name: /添加指标/ }).click();
  await page.getByRole('dialog', { name: /为“时效”选择指标/ }).getByRole('button', { name: '空白指标' }).click();
  const timely = l2(page, '时效').locator('.wz-row').last();
  await page.keyboard.type('评估按期完成');
  await timely.locator('.wz-kind').selectOption('qualitative');
  await timely.locator('.wz-qualitative').selectOption('及时');
  await shot(page, 'wizard-4-indicators');

  // Step 5: nothing to fix (the lines of the project are not entered yet: a note, not an error).
  await page.getByRole('button', { name: /下一步/ }).click();
  await expect(currentStep(page)).toHaveAttribute('data-step', 'audit');
  await expect(page.locator('.wz-audit-summary')).toContainText('审核通过');
  await expect(page.getByTestId('audit-step')).toContainText('还没有支出明细');
  await shot(page, 'wizard-5-audit');

  // Step 6: the table as printed, then 完成.
  await page.getByRole('button', { name: /下一步/ }).click();
  const preview = page.getByTestId('project-preview');
  await expect(preview).toContainText('政务服务效能评估');
  await expect(preview.locator('tr', { hasText: '评估报告数量' })).toContainText('≥2份');
  await expect(preview.locator('tr', { hasText: '评估按期完成' })).toContainText('及时');
  await expect(preview.locator('tr.k-budget').first()).toContainText('12.00');
  await shot(page, 'wizard-6-preview');
  await page.getByRole('button', { name: '完成', exact: true }).click();
  await expect(page.getByTestId('wizard-status')).toHaveText('已完成');
  await shot(page, 'wizard-6b-completed');

  await page.getByRole('button', { name: '← 返回项目列表' }).click();
  await expect(projectRow(page, 'P14').locator('.wz-status')).toHaveText('已完成');
  await expect(projectRow(page, 'P14').locator('.wz-dot.done')).toHaveCount(6);
  // The tables know the project at once: its own T11 and the 专项资金 category.
  const t11 = await host.api<{ tables: { id: string }[] }>('reports.tables', {});
  expect(t11.tables.some((t) => t.id === 'T11:P14')).toBe(true);
});

test('leaving at step 4 and coming back keeps everything, after a reload too', async ({ page }) => {
  host = await startWithFixture();
  await openPerformance(page, host);
  await page.getByRole('button', { name: '＋ 新建项目' }).click();
  await typeIn(page, page.locator('#wz-f-name'), '驻村帮扶第二期');
  await typeIn(page, page.locator('#wz-f-leader'), '王五');
  await typeIn(page, page.locator('#wz-f-yearAmount'), '3.5');
  await stepTo(page, 'indicators');
  await l2(page, '社会效益').getByRole('button', { name: /添加指标/ }).click();
  await page.getByRole('dialog', { name: /为“社会效益”选择指标/ }).getByRole('button', { name: '空白指标' }).click();
  await page.keyboard.type('帮扶户数');
  const row = l2(page, '社会效益').locator('.wz-row').last();
  await row.locator('.wz-comparator').selectOption('≥');
  await typeIn(page, row.locator('.wz-number'), '30');
  await typeIn(page, row.locator('.wz-unit'), '户');
  await page.locator('.wz-types label', { hasText: '补助发放' }).click();
  await expect(page.getByTestId('save-state')).toContainText('未保存');
  // Leave without pressing save: leaving saves.
  await page.getByRole('button', { name: '← 返回项目列表' }).click();
  await expect(projectRow(page, 'P14').locator('.wz-status')).toHaveText('填写中');

  await page.reload();
  await page.getByRole('tab', { name: '绩效目标' }).click();
  await openProject(page, 'P14');
  await expect(currentStep(page)).toHaveAttribute('data-step', 'indicators');
  const back = l2(page, '社会效益').locator('.wz-row').last();
  await expect(back.locator('.wz-name')).toHaveValue('帮扶户数');
  await expect(back.locator('.wz-comparator')).toHaveValue('≥');
  await expect(back.locator('.wz-number')).toHaveValue('30');
  await expect(back.locator('.wz-unit')).toHaveValue('户');
  await expect(page.locator('.wz-types label.on')).toHaveText(['补助发放']);
  await shot(page, 'wizard-resume-step4');
  await stepTo(page, 'basics');
  await expect(page.locator('#wz-f-name')).toHaveValue('驻村帮扶第二期');
  await expect(page.locator('#wz-f-leader')).toHaveValue('王五');
  await expect(page.locator('#wz-f-yearAmount')).toHaveValue('3.5');
});

test('each 审核 rule shows its message at its field', async ({ page }) => {
  host = await startWithFixture();
  await openPerformance(page, host);
  await openProject(page, 'P01');
  // Dates out of order, 总金额 below 本年度金额, 负责人 cleared, 本年度金额 off its lines.
  await page.locator('#wz-f-start').fill('2020-06-01');
  await page.locator('#wz-f-end').fill('2020-03-01');
  await typeIn(page, page.locator('#wz-f-leader'), '');
  await typeIn(page, page.locator('#wz-f-totalAmount'), '4');
  await typeIn(page, page.locator('#wz-f-yearAmount'), '6');
  await stepTo(page, 'indicators');
  // No quantitative 产出 indicator left: remove the two of 数量 and 质量.
  await l2(page, '数量').locator('.wz-remove').click();
  await l2(page, '质量').locator('.wz-remove').click();
  await stepTo(page, 'audit');
  const audit = page.getByTestId('audit-step');
  await expect(page.locator('.wz-audit-summary')).toContainText('必须修改');
  for (const rule of ['project.dates', 'project.total-below-year', 'project.missing-fields', 'project.year-amount-lines', 'project.no-quantitative-output']) {
    await expect(audit.locator(`.wz-finding[data-rule="${rule}"]`)).toHaveCount(1);
  }
  await shot(page, 'wizard-audit-findings');

  // Each finding leads to its field, where the same message is shown.
  const expectations: [string, string, string, RegExp][] = [
    ['project.dates', 'end', 'msg-end', /开始时间 2020-06-01 晚于结束时间 2020-03-01/],
    ['project.total-below-year', 'totalAmount', 'msg-totalAmount', /项目总金额 4\.00万元 小于项目本年度金额 6\.00万元/],
    ['project.missing-fields', 'leader', 'msg-leader', /尚未填写项目负责人/],
    ['project.year-amount-lines', 'yearAmount', 'msg-yearAmount', /不相等（差额 \+1\.00万元）/],
  ];
  for (const [rule, field, testId, text] of expectations) {
    await stepTo(page, 'audit');
    await audit.locator(`.wz-finding[data-rule="${rule}"]`).click();
    await expect(currentStep(page)).toHaveAttribute('data-step', 'basics');
    await expect(page.getByTestId(testId)).toContainText(text);
    await expect(page.locator(`#wz-f-${field}`)).toBeFocused();
  }
  await shot(page, 'wizard-audit-at-fields');
  await stepTo(page, 'audit');
  await audit.locator('.wz-finding[data-rule="project.no-quantitative-output"]').click();
  await expect(currentStep(page)).toHaveAttribute('data-step', 'indicators');
  await expect(page.getByTestId('msg-indicators')).toContainText('没有定量的产出指标');
  // 完成 stays refused while errors remain.
  await stepTo(page, 'preview');
  await expect(page.getByRole('button', { name: '完成', exact: true })).toBeDisabled();
});

test('a placeholder target is refused, and the same number in every row is caught by 审核', async ({ page }) => {
  host = await startWithFixture();
  await openPerformance(page, host);
  await openProject(page, 'P01');
  await stepTo(page, 'indicators');
  const row = page.locator('.wz-row[data-indicator="10"]'); // 全年开展论证活动 ≥20次
  await expect(row.locator('.wz-number')).toHaveValue('20');
  for (const placeholder of ['无', '/', '—']) {
    await typeIn(page, row.locator('.wz-number'), placeholder);
    await page.keyboard.press('Tab');
    await expect(row.locator('.wz-messages')).toContainText(/占位/);
  }
  await shot(page, 'wizard-placeholder-refused');
  // 保存草稿 keeps the row as typed, as a draft: the table itself still holds the last good target.
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.getByTestId('toast-warning').first()).toContainText('已存为草稿');
  await expect(row.locator('.wz-number')).toHaveValue('—');
  await expect(row.locator('.wz-messages')).toContainText('“—”');
  const stored = await host.api<{ indicators: { target: { text: string } }[] }>('wizard.project', { code: 'P01' });
  expect(stored.indicators[10]!.target.text).toBe('≥20次');
  // A whole target typed into the number box is read into its parts.
  await typeIn(page, row.locator('.wz-number'), '≥25次');
  await page.keyboard.press('Tab');
  await expect(row.locator('.wz-number')).toHaveValue('25');
  await expect(row.locator('.wz-unit')).toHaveValue('次');
  await expect(row.locator('.wz-messages')).toHaveCount(0);

  // Every quantitative target set to the same number: stored (each row is readable) but refused by 审核.
  const quantitative = page.locator('.wz-row:has(.wz-number)');
  const n = await quantitative.count();
  for (let i = 0; i < n; i++) {
    const r = quantitative.nth(i);
    await typeIn(page, r.locator('.wz-number'), '88100');
    await typeIn(page, r.locator('.wz-unit'), '%');
  }
  // Qualitative rows become the same number too, so that every target of the table is 88100%.
  const qualitative = page.locator('.wz-row:has(.wz-qualitative)');
  while ((await qualitative.count()) > 0) {
    // Pinned by its draft id: once switched, the row no longer matches the qualitative locator.
    const r = page.locator(`.wz-row[data-draft="${await qualitative.first().getAttribute('data-draft')}"]`);
    await r.locator('.wz-kind').selectOption('quantitative');
    await typeIn(page, r.locator('.wz-number'), '88100');
    await typeIn(page, r.locator('.wz-unit'), '%');
  }
  await stepTo(page, 'audit');
  const finding = page.getByTestId('audit-step').locator('.wz-finding[data-rule="indicator.target-placeholder"]');
  await expect(finding).toContainText('88100');
  // The same severity as in 审核: a 提示 to explain at 上报, not an error.
  await expect(page.getByTestId('audit-step').locator('li:has(.wz-finding[data-rule="indicator.target-placeholder"]) .pill')).toHaveText('提示');
  await finding.click();
  await expect(page.getByTestId('msg-indicators')).toContainText('疑似占位内容');
  await page.getByRole('tab', { name: '审核' }).click();
  const inAudit = page.getByTestId('audit-panel').locator('li', { hasText: '88100' });
  await expect(inAudit.first()).toBeVisible();
  await expect(inAudit.first().locator('.sev')).toHaveText('提示');
});

test('the department table: texts, indicators with notes, and the budget block from the lines', async ({ page }) => {
  host = await startWithFixture();
  await openPerformance(page, host);
  await page.getByTestId('department-card').click();
  const form = page.getByTestId('department-form');
  await expect(form.locator('#wz-f-dutyGoal')).toHaveValue(/^深化“一网通办”/);
  await expect(form.locator('table.wz-tasks tbody tr')).toHaveCount(7);
  const budget = page.getByTestId('department-budget');
  await expect(budget.locator('tr[data-row="fiscal"] td')).toHaveText('1,740.2');
  await expect(budget.locator('tr[data-row="other"] td')).toHaveText('');
  await expect(budget.locator('tr[data-row="basic"] td')).toHaveText('560.8');
  await expect(budget.locator('tr[data-row="project"] td')).toHaveText('1,179.4');
  await expect(budget.locator('input')).toHaveCount(0);
  await expect(form.locator('.wz-row')).toHaveCount(39);
  await shot(page, 'wizard-department');
  await l2(page, '重点工作任务完成').scrollIntoViewIfNeeded();
  await shot(page, 'wizard-department-indicators');
  // Add a task with the keyboard and save.
  await form.getByRole('button', { name: '＋ 添加任务' }).click();
  await typeIn(page, form.getByLabel('第 8 项任务名称'), '政务服务效能评估');
  await page.keyboard.press('Tab');
  await page.keyboard.type('开展全市政务服务效能评估。');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('toast-success').first()).toContainText('已保存');
  await form.getByRole('button', { name: '预览打印样式' }).click();
  const preview = page.getByTestId('department-preview');
  await expect(preview).toContainText('政务服务效能评估');
  await expect(preview.locator('tr', { hasText: '电子政务内外网网络共享' })).toContainText('≥422 条');
  await shot(page, 'wizard-department-preview');
});

test('a project renamed in the wizard shows its new name in the line grid on coming back', async ({ page }) => {
  host = await startWithFixture();
  await page.goto(host.url);
  // The grid is loaded first (it stays mounted while the wizard is open).
  await reveal(page, 22);
  await expect(cell(page, 22, 'project')).toContainText('电子政务信息化项目专家论证费');

  await page.getByRole('tab', { name: '绩效目标' }).click();
  await openProject(page, 'P01');
  await typeIn(page, page.locator('#wz-f-name'), '专家论证费（更名）');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.getByTestId('toast-success').filter({ hasText: '草稿已保存' })).toBeVisible();

  await page.getByRole('tab', { name: '预算明细' }).click();
  await reveal(page, 22);
  await expect(cell(page, 22, 'project')).toContainText('专家论证费（更名）');
});

test('indicator rows are kept as typed in a draft, leaving with unsaved input asks first, a suggestion brings its number', async ({ page }) => {
  host = await startWithFixture();
  await openPerformance(page, host);
  await openProject(page, 'P01');
  await stepTo(page, 'indicators');

  // A library suggestion showing "=100%" fills comparator, number and unit.
  const suggestions = await host.api<{ name: string; kind: string; example: string }[]>('wizard.suggest', { code: 'P01', level1: '产出目标', level2: '质量' });
  const withNumber = suggestions.find((x) => x.kind === 'quantitative' && /^(=|≥|≤|>|<)\d/.test(x.example))!;
  const [, comparator, number, unit] = /^(=|≥|≤|>|<)(\d+(?:\.\d+)?)(.*)$/.exec(withNumber.example)!;
  await l2(page, '质量').getByRole('button', { name: /添加指标/ }).click();
  const picker = page.getByRole('dialog', { name: /为“质量”选择指标/ });
  await picker.locator('.wz-suggestions li button', { hasText: withNumber.name }).first().click();
  const chosen = l2(page, '质量').locator('.wz-row').last();
  await expect(chosen.locator('.wz-name')).toHaveValue(withNumber.name);
  await expect(chosen.locator('.wz-comparator')).toHaveValue(comparator!);
  await expect(chosen.locator('.wz-number')).toHaveValue(number!);
  await expect(chosen.locator('.wz-unit')).toHaveValue(unit!);

  // A row with no 数值 yet: 保存草稿 keeps it as typed.
  await l2(page, '数量').getByRole('button', { name: /添加指标/ }).click();
  await page.getByRole('dialog', { name: /为“数量”选择指标/ }).getByRole('button', { name: '空白指标' }).click();
  await page.keyboard.type('培训人次');
  const half = l2(page, '数量').locator('.wz-row').last();
  await typeIn(page, half.locator('.wz-unit'), '人次');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.getByTestId('toast-warning').first()).toContainText('已存为草稿');
  await expect(page.getByTestId('save-state')).toHaveText('已保存');

  await page.reload();
  await page.getByRole('tab', { name: '绩效目标' }).click();
  await openProject(page, 'P01');
  await stepTo(page, 'indicators');
  const back = l2(page, '数量').locator('.wz-row').last();
  await expect(back.locator('.wz-name')).toHaveValue('培训人次');
  await expect(back.locator('.wz-number')).toHaveValue('');
  await expect(back.locator('.wz-unit')).toHaveValue('人次');
  await expect(back.locator('.wz-messages')).toContainText('请填写目标值的数值');
  await expect(l2(page, '质量').locator('.wz-row').last().locator('.wz-number')).toHaveValue(number!);
  await shot(page, 'wizard-draft-kept');

  // Typed but not saved: closing the page asks first, and staying keeps the text.
  await typeIn(page, back.locator('.wz-number'), '12');
  const asked = new Promise<string>((resolve) => page.once('dialog', (d) => {
    resolve(d.type());
    void d.dismiss();
  }));
  await page.close({ runBeforeUnload: true });
  expect(await asked).toBe('beforeunload');
  expect(page.isClosed()).toBe(false);
  await expect(back.locator('.wz-number')).toHaveValue('12');

  // 完成 waits until every row can be stored.
  await typeIn(page, back.locator('.wz-number'), '');
  await stepTo(page, 'audit');
  await expect(page.getByTestId('audit-step').locator('.wz-finding[data-rule="wizard.indicator-draft"]')).toHaveCount(1);
});

test('a project’s finding in 审核 opens its wizard at the step and field concerned', async ({ page }) => {
  host = await startWithFixture();
  await page.goto(host.url);
  await expect(page.locator('[role="row"][row-id^="L"]').first()).toBeVisible();
  await page.getByRole('tab', { name: '审核' }).click();
  // P02's 10th indicator “电话接通率” has a target without a unit (≥70).
  const finding = page.locator('.finding[data-rule="indicator.target-missing-unit"]').filter({ hasText: '电话接通率' });
  await expect(finding).toHaveCount(1);
  await finding.click();
  await expect(page.getByTestId('project-wizard')).toBeVisible();
  await expect(page.getByTestId('project-wizard')).toContainText('P02');
  await expect(currentStep(page)).toHaveAttribute('data-step', 'indicators');
  const row = page.locator('[data-indicator="9"]');
  await expect(row).toContainText('电话接通率');
  await expect(row.locator('.wz-number')).toBeFocused();
  await shot(page, 'wizard-from-audit-finding');
  // A project-level field: P05's 项目总金额 below its 本年度金额 opens 基本信息 at 项目总金额.
  await page.getByRole('tab', { name: '审核' }).click();
  await page.locator('.finding[data-rule="project.total-below-year"]').filter({ hasText: 'P05' }).click();
  await expect(page.getByTestId('project-wizard')).toContainText('P05');
  await expect(currentStep(page)).toHaveAttribute('data-step', 'basics');
  await expect(page.locator('#wz-f-totalAmount')).toBeFocused();
  // Back in 绩效目标 later: the list, not the finding again.
  await page.getByRole('tab', { name: '预算明细' }).click();
  await page.getByRole('tab', { name: '绩效目标' }).click();
  await expect(page.getByTestId('project-list')).toBeVisible();
});
