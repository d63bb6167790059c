// 项目库 as a clerk uses it: a project created in the 项目库 tab (its 功能分类 from the grid's 科目 picker) and then
// chosen in the grid; a new project name typed in a line's 项目 cell offered for creation, the dialog prefilled
// from the line, and one undo taking both back; a project lines use refused for deletion with where they are;
// the wizard's 功能分类 field the same searchable picker. Browser host on a fresh budget file, in Chromium.
import { expect, test, type Page } from '@playwright/test';
import { cell, cleanup, expectStored, reveal, settled, shot, startWithFixture, type RunningHost } from './host.js';

interface LineRow {
  id: number;
  unit: string;
  functional: string;
  kind: string;
  project: string | null;
  amount: string;
}
interface ProjectRecord {
  code: string;
  name: string;
  functional: string;
  leader: string;
  yearAmount: string;
  lineCount: number;
}

let host: RunningHost | undefined;

test.afterEach(async () => {
  await cleanup(host);
  host = undefined;
});

async function lines(h: RunningHost): Promise<LineRow[]> {
  return (await h.api<{ lines: LineRow[] }>('lines.list')).lines;
}

async function projects(h: RunningHost): Promise<ProjectRecord[]> {
  return (await h.api<{ projects: ProjectRecord[] }>('projects.library')).projects;
}

async function openApp(page: Page, h: RunningHost): Promise<void> {
  await page.goto(h.url);
  await expect(page.locator('[role="row"][row-id^="L"]').first()).toBeVisible();
}

test('a project created in 项目库 (功能分类 from the 科目 picker) is then chosen in the grid', async ({ page }) => {
  host = await startWithFixture();
  await openApp(page, host);
  await page.getByRole('tab', { name: '项目库' }).click();
  const library = page.getByTestId('project-library');
  await expect(library.locator('tr[data-project]')).toHaveCount(13);
  await expect(library.locator('tr[data-project="P01"]')).toContainText('电子政务信息化项目专家论证费');
  await expect(library.locator('tr[data-project="P01"]')).toContainText('宋晓波');
  await shot(page, '70-project-library');

  await page.locator('[data-action="new-project"]').click();
  const dialog = page.getByTestId('project-dialog');
  await expect(dialog.locator('#wz-f-code')).toHaveValue('P14');
  await expect(dialog.locator('#wz-f-name')).toBeFocused();
  await page.keyboard.type('政务服务效能评估');
  // 功能分类: the grid's picker, searched by the parents' names; the list shows the path.
  await dialog.locator('#wz-f-functional').click();
  await page.keyboard.type('政府办公厅 行政运行');
  const option = page.locator('.code-field-list li[data-code="2010301"]');
  await expect(option).toBeVisible();
  await expect(option.locator('.path')).toContainText('›');
  await shot(page, '71-project-dialog-functional');
  await option.click();
  await expect(dialog.locator('#wz-f-functional')).toHaveValue(/^2010301 /);
  await dialog.locator('#wz-f-leader').fill('张三');
  await dialog.locator('#wz-f-yearAmount').fill('12.5');
  await shot(page, '72-project-dialog');
  await dialog.locator('#wz-f-leader').press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(library.locator('tr[data-project="P14"]')).toContainText('政务服务效能评估');
  await expect(library.locator('tr[data-project="P14"]')).toContainText('2010301');
  await settled(page);
  expect((await projects(host)).find((p) => p.code === 'P14')).toMatchObject({ name: '政务服务效能评估', functional: '2010301', leader: '张三', yearAmount: '12.5', lineCount: 0 });

  // Edited: one undoable step.
  await library.getByRole('button', { name: '编辑项目 P14' }).click();
  await dialog.locator('#wz-f-leader').fill('李四');
  await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
  await expect(library.locator('tr[data-project="P14"]')).toContainText('李四');
  await page.locator('[data-action="undo"]').click();
  await expect(library.locator('tr[data-project="P14"]')).toContainText('张三');

  // Chosen in the grid by its name.
  await page.getByRole('tab', { name: '预算明细' }).click();
  const basic = (await lines(host)).find((l) => l.project === null && l.functional === '2010350')!;
  await reveal(page, basic.id);
  await cell(page, basic.id, 'project').click();
  // Chinese text comes from an input method, not keys: the picker is opened first (F2), as the IME's first key does.
  await page.keyboard.press('F2');
  await expect(page.getByTestId('picker-project')).toBeVisible();
  await page.keyboard.type('效能评估');
  await expect(page.getByTestId('picker-project').locator('li[data-code="P14"]')).toBeVisible();
  await page.keyboard.press('Enter');
  await expectStored(page, basic.id, 'project', 'P14 政务服务效能评估');
  expect((await lines(host)).find((l) => l.id === basic.id)).toMatchObject({ project: 'P14', kind: 'project' });
  // Its lines now count in 项目库.
  await page.getByRole('tab', { name: '项目库' }).click();
  await expect(library.locator('tr[data-project="P14"] td.pj-lines')).toContainText(`1 行 · ${basic.amount}`);
});

test('a new project name typed in a line’s 项目 cell is offered for creation; the line takes it; one undo takes both back', async ({ page }) => {
  host = await startWithFixture();
  const before = await lines(host);
  const basic = before.find((l) => l.project === null && l.functional === '2010350')!;
  await openApp(page, host);
  await reveal(page, basic.id);
  await cell(page, basic.id, 'project').click();
  await page.keyboard.press('F2');
  await expect(page.getByTestId('picker-project')).toBeVisible();
  await page.keyboard.type('政务大厅改造');
  const offer = page.getByTestId('picker-project').locator('li[data-create="true"]');
  await expect(offer).toHaveText('＋ 新建项目“政务大厅改造”…');
  await expect(offer).toHaveAttribute('data-active', 'true');
  await shot(page, '73-grid-offers-new-project');
  await page.keyboard.press('Enter');

  // The dialog, prefilled with the name and the line's unit, 功能分类 and amount.
  const dialog = page.getByTestId('project-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('#wz-f-name')).toHaveValue('政务大厅改造');
  await expect(dialog.locator('#wz-f-code')).toHaveValue('P14');
  await expect(dialog.locator('#wz-f-unit')).toHaveValue(basic.unit);
  await expect(dialog.locator('#wz-f-functional')).toHaveValue(/^2010350 /);
  await expect(dialog.locator('#wz-f-yearAmount')).toHaveValue(basic.amount);
  await expect(dialog).toContainText('新建后，当前预算行即改为此项目的项目支出');
  await shot(page, '74-new-project-from-grid');
  await page.getByRole('dialog').getByRole('button', { name: '新建并用于此行' }).click();
  await expect(dialog).toHaveCount(0);
  await expectStored(page, basic.id, 'project', 'P14 政务大厅改造');
  await expect(cell(page, basic.id, 'kind')).toHaveText('项目支出');
  expect((await lines(host)).find((l) => l.id === basic.id)).toMatchObject({ project: 'P14', kind: 'project', functional: '2010350' });
  expect((await projects(host)).find((p) => p.code === 'P14')).toMatchObject({ name: '政务大厅改造', functional: '2010350', lineCount: 1 });

  // One undo: the line is basic again and the project gone.
  await page.keyboard.press('Control+z');
  await expectStored(page, basic.id, 'project', '');
  expect(await lines(host)).toEqual(before);
  expect((await projects(host)).some((p) => p.code === 'P14')).toBe(false);
  await expect(page.locator('[data-action="undo"]')).toBeDisabled();

  // Tab instead of Enter: the text is refused, saying where projects are created, with the offer at hand.
  await cell(page, basic.id, 'project').click();
  await page.keyboard.press('F2');
  await expect(page.getByTestId('picker-project')).toBeVisible();
  await page.keyboard.type('另一个新项目');
  await expect(page.getByTestId('picker-project').locator('li[data-create="true"]')).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('grid-message')).toContainText('请先在「项目库」中新建该项目');
  // Tab went on to the next cell (资金来源) and opened its picker: it is left unchanged with Escape. (Once, under
  // load, clicking the message's button with that picker open left the line with another 资金来源: not yet explained.)
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('picker-fund')).toHaveCount(0);
  await page.locator('[data-action="create-project"]').click();
  await expect(dialog.locator('#wz-f-name')).toHaveValue('另一个新项目');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await settled(page);
  expect(await lines(host)).toEqual(before);
});

test('a project lines use is not deleted: the message says how many lines and where; the wizard’s 功能分类 is the same picker', async ({ page }) => {
  host = await startWithFixture();
  await openApp(page, host);
  await page.getByRole('tab', { name: '项目库' }).click();
  const library = page.getByTestId('project-library');
  await library.getByRole('button', { name: '删除项目 P01' }).click();
  const refusal = page.getByTestId('project-refusal');
  await expect(refusal).toContainText('仍被 2 条预算行');
  await expect(refusal).toContainText('济源市行政服务中心 2 条');
  await expect(refusal).toContainText('不能删除');
  await shot(page, '75-project-delete-refused');
  await settled(page);
  expect((await projects(host)).some((p) => p.code === 'P01')).toBe(true);
  await expect(page.locator('[data-action="undo"]')).toBeDisabled();

  // A project nothing uses is deleted (undoably).
  await page.locator('[data-action="new-project"]').click();
  const dialog = page.getByTestId('project-dialog');
  await page.keyboard.type('临时项目');
  await page.getByRole('dialog').getByRole('button', { name: '新建项目', exact: true }).click();
  await expect(library.locator('tr[data-project="P14"]')).toBeVisible();
  await library.getByRole('button', { name: '删除项目 P14' }).click();
  await expect(library.locator('tr[data-project="P14"]')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(library.locator('tr[data-project="P14"]')).toBeVisible();

  // The wizard's 功能分类: searched by the parents' names, a code of the list or nothing — never raw text.
  await page.getByRole('tab', { name: '绩效目标' }).click();
  await page.getByRole('button', { name: '＋ 新建项目' }).click();
  const field = page.locator('#wz-f-functional');
  await field.click();
  await page.keyboard.type('农业农村 行政运行');
  const entry = page.locator('.code-field-list li[data-code="2130101"]');
  await expect(entry).toBeVisible();
  await expect(entry).toContainText('农业农村');
  await shot(page, '76-wizard-functional-picker');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(field).toHaveValue(/^2130101 /);
  await field.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('没有这种科目');
  await page.locator('#wz-f-leader').click();
  await expect(field).toHaveValue(/^2130101 /);
  await expect(page.locator('.code-field-note')).toContainText('没有匹配“没有这种科目”的科目');
});
