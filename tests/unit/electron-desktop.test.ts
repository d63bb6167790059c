// The desktop host driven through a stand-in Electron, over a real budget service and real SQLite files.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { API } from '../../api/contract.js';
import { createBudgetService } from '../../api/service.js';
import { APPLICATION_ID, readSqliteHeader } from '../../db/migrate.js';
import { startDesktop, type DesktopHost, type ElectronModules } from '../../electron/desktop.js';
import { defaultBudgetFile, localProfileFolder } from '../../electron/paths.js';
import { budgetDb, fixtureBudget } from './submission-fixture.js';
import { createFakeElectron, type FakeElectron } from './electron-fake.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = join(repo, 'tests', 'fixtures', 'jiyuan-2020', 'budget.json');
const fixtureLines = (JSON.parse(readFileSync(fixture, 'utf8')) as { lines: unknown[] }).lines.length;
const base = mkdtempSync(join(tmpdir(), 'desktop-host-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

let counter = 0;
const running: DesktopHost[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((host) => host.service.close()));
});

interface LaunchOptions {
  isPackaged?: boolean;
  /** Runs after startDesktop() and before the app is ready. */
  beforeReady?: (fake: FakeElectron, dir: string) => void;
}

async function launch(argv: string[] = [], options: LaunchOptions = {}) {
  const dir = join(base, `run-${++counter}`);
  const appRoot = join(dir, 'app');
  mkdirSync(join(appRoot, 'dist', 'renderer'), { recursive: true });
  writeFileSync(join(appRoot, 'dist', 'renderer', 'index.html'), '<!doctype html><html><head></head><body>页面</body></html>');
  let makeReady!: () => void;
  const ready = new Promise<void>((r) => (makeReady = r));
  const fake = createFakeElectron({ documents: join(dir, 'documents'), isPackaged: options.isPackaged ?? false, ready });
  const started = startDesktop(fake.modules as unknown as ElectronModules, {
    appRoot,
    mainDir: join(appRoot, 'dist-electron', 'electron'),
    argv,
    cwd: dir,
    platform: { platform: 'linux', env: { XDG_DATA_HOME: join(dir, 'xdg') }, home: join(dir, 'home') },
  });
  options.beforeReady?.(fake, dir);
  makeReady();
  const host = await started!;
  running.push(host);
  let serviceReady = false;
  void host.service.ready.then(() => (serviceReady = true));
  await host.loaded;
  // The window is there and its page asked for before the service has loaded (calls wait for it).
  expect(fake.record.windows).toHaveLength(1);
  expect(serviceReady).toBe(false);
  await host.ready;
  return { fake, host, dir, window: fake.record.windows[0]! };
}


/** Imports the fixture as the main process's own call would (the page may name no file it was not granted). */
async function withFixture({ host }: { host: DesktopHost }) {
  const res = (await host.call('exchange.import', { path: fixture })) as { result?: { open: boolean } };
  expect(res.result?.open).toBe(true);
}

describe('desktop host start', () => {
  it('registers app:// as standard and secure, sandboxes every renderer, and guards the session', async () => {
    const { fake } = await launch();
    expect(fake.record.privileged).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, bypassCSP: false }) }]);
    expect(fake.record.sandboxEnabled).toBe(true);
    expect(fake.record.protocolHandlers.has('app')).toBe(true);
    let granted: boolean | undefined;
    fake.record.session.request!({}, 'media', (g: boolean) => (granted = g), { requestingUrl: 'app://bundle/index.html' });
    expect(granted).toBe(false);
  });

  it('guards every web contents created', async () => {
    const { fake } = await launch();
    const handlers = new Map<string, (...a: any[]) => unknown>();
    let openHandler: ((d: unknown) => unknown) | undefined;
    fake.record.appHandlers.get('web-contents-created')!({}, {
      on: (e: string, f: (...a: any[]) => unknown) => handlers.set(e, f),
      setWindowOpenHandler: (f: (d: unknown) => unknown) => (openHandler = f),
    });
    let prevented = false;
    handlers.get('will-navigate')!({ url: 'https://example.com/', preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('opens one secure window on app://bundle with the preload beside main', async () => {
    const { window, fake } = await launch();
    expect(fake.record.windows).toHaveLength(1);
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(window.options.webPreferences.preload).toMatch(/dist-electron[/\\]electron[/\\]preload\.cjs$/);
    expect(window.loadedUrl).toBe('app://bundle/index.html');
    window.handlers.get('ready-to-show')!();
    expect(window.shown).toBe(true);
    const page = await fake.record.protocolHandlers.get('app')!(new Request('app://bundle/index.html'));
    expect(await page.text()).toContain('页面');
  });

  it('answers every API method over IPC, only for our page', async () => {
    const { fake } = await launch();
    expect([...fake.record.ipc.keys()].sort()).toEqual(Object.keys(API).map((m) => `api:${m}`).sort());
    const refused = await fake.invoke('budget.info', {}, 'https://evil.example/');
    expect(refused).toEqual({ error: { message: expect.stringContaining('拒绝访问') } });
    const info = (await fake.invoke('budget.info', {})) as { result: { open: boolean } };
    expect(info.result).toHaveProperty('open');
  });

  it('opens the default budget file in the data folder when none is named', async () => {
    const { host, dir, fake } = await launch();
    await withFixture({ host });
    expect(existsSync(join(dir, 'xdg', 'bumen-yusuan', '预算.budget'))).toBe(true);
    expect(fake.record.paths.userData).toBe(join(dir, 'xdg', 'bumen-yusuan', 'electron'));
  });

  it('opens the file named by --db, relative to the working folder', async () => {
    const { host, dir, fake, window } = await launch(['main.js', '--db', 'mine.budget']);
    await withFixture({ host });
    expect(existsSync(join(dir, 'mine.budget'))).toBe(true);
    await vi.waitFor(() => expect(window.title).toBe('济源市行政服务中心 2020年部门预算 — 部门预算编制'));
    let prevented = false;
    window.handlers.get('page-title-updated')!({ preventDefault: () => (prevented = true) }, '部门预算编制');
    expect(prevented).toBe(true);
  });

  it('has Chinese menus, with reload only in an unpackaged run', async () => {
    const dev = (await launch()).fake.record.menus.at(-1)!;
    expect(dev.map((m) => m.label)).toEqual(['文件', '编辑', '视图', '帮助']);
    const labels = (menu: any) => menu.submenu.filter((i: any) => i.label).map((i: any) => i.label);
    expect(labels(dev[0])).toEqual(['新建预算…', '打开…', '最近打开', '另存为…', '导入交换文件…', '导出交换文件…', '导入科目代码表…', '退出']);
    expect(labels(dev[1])).toEqual(['撤销', '重做', '剪切', '复制', '粘贴']);
    expect(labels(dev[2])).toContain('重新加载');
    expect(labels(dev[3])).toEqual(['关于']);
    const packaged = (await launch([], { isPackaged: true })).fake.record.menus.at(-1)!;
    expect(labels(packaged[2])).toEqual(['实际大小', '放大', '缩小']);
  });

  it('shows why a named file cannot be opened and opens the default one instead', async () => {
    const dir = join(base, 'bad');
    mkdirSync(dir, { recursive: true });
    const bad = join(dir, 'not-a-budget.budget');
    writeFileSync(bad, 'this is not a database');
    const { host, fake, dir: runDir } = await launch(['--db', bad]);
    expect(fake.record.messageBoxes.at(-1)).toMatchObject({ type: 'error', message: '无法打开预算文件' });
    const info = (await fake.invoke('budget.info', {})) as { result: { path: string } };
    expect(info.result.path).toBe(join(runDir, 'xdg', 'bumen-yusuan', '预算.budget'));
    void host;
    expect(fake.record.messageBoxes.at(-1)!.detail).toContain(bad);
    expect(readFileSync(bad, 'utf8')).toBe('this is not a database');
  });
});

describe('desktop host end', () => {
  it('closes the budget file when the app quits, whichever way', async () => {
    const { host, fake, dir } = await launch(['--db', 'closing.budget']);
    await withFixture({ host });
    const file = join(dir, 'closing.budget');
    const child = fake.record.utility[0]!;
    fake.modules.app.emit('window-all-closed');
    expect(fake.record.quit).toBe(1);
    expect(child.exitCode).toBeNull();
    // will-quit waits for the service to close its file, then quits again.
    expect(fake.modules.app.emit('will-quit')).toBe(true);
    expect(await child.exited).toBe(0);
    await vi.waitFor(() => expect(fake.record.quit).toBe(2));
    expect(fake.modules.app.emit('will-quit')).toBe(false);
    // Closed cleanly: the write-ahead log is folded into the file, whose header says what it is.
    expect(readSqliteHeader(file)?.applicationId).toBe(APPLICATION_ID);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});

describe('文件 menu', () => {
  it('打开… opens the chosen budget, reloads the page and lists it under 最近打开', async () => {
    const first = await launch();
    await withFixture(first);
    const other = join(first.dir, 'other.budget');
    await first.host.call('budget.create', {
      path: other,
      department: { code: '901', name: '测试局' },
      units: [{ code: '901001', name: '测试局本级', kind: 'administrative' }],
      fiscalYear: 2021,
      amountUnit: '元',
    });
    await first.host.call('exchange.import', { path: fixture });
    const { fake, window } = first;
    const back = (await first.host.call('budget.open', { path: join(first.dir, 'xdg', 'bumen-yusuan', '预算.budget') })) as { result?: unknown };
    expect(back.result).toBeDefined();
    fake.dialogAnswers.push(other);
    await fake.click('文件', '打开…');
    expect(fake.record.dialogs.at(-1)).toMatchObject({ kind: 'open', options: { filters: [{ name: '部门预算文件', extensions: ['budget'] }] } });
    expect(window.reloads).toBe(1);
    const info = (await fake.invoke('budget.info', {})) as { result: { path: string } };
    expect(info.result.path).toBe(other);
    const recent = fake.record.menus.at(-1)![0].submenu.find((i: any) => i.label === '最近打开').submenu;
    expect(recent[0].toolTip).toBe(other);
    // The budget already open: nothing to do (no error, no reload).
    const boxes = fake.record.messageBoxes.length;
    fake.dialogAnswers.push(other);
    await fake.click('文件', '打开…');
    expect(window.reloads).toBe(1);
    expect(fake.record.messageBoxes).toHaveLength(boxes);
  });

  it('打开… a file that is not a budget says so and changes nothing', async () => {
    const { host, fake, dir, window } = await launch();
    await withFixture({ host });
    const junk = join(dir, 'junk.budget');
    writeFileSync(junk, 'junk');
    fake.dialogAnswers.push(junk);
    await fake.click('文件', '打开…');
    expect(fake.record.messageBoxes.at(-1)).toMatchObject({ type: 'error', message: '无法打开预算' });
    expect(window.reloads).toBe(0);
    const lines = (await fake.invoke('lines.list', {})) as { result: { lines: unknown[] } };
    expect(lines.result.lines).toHaveLength(fixtureLines);
  });

  it('导出 then 导入交换文件… round-trips the budget, after asking before replacing it', async () => {
    const { host, fake, dir, window } = await launch();
    await withFixture({ host });
    fake.dialogAnswers.push(join(dir, 'exported')); // no extension typed: .json is added
    await fake.click('文件', '导出交换文件…');
    const exported = join(dir, 'exported.json');
    expect(JSON.parse(readFileSync(exported, 'utf8')).lines).toHaveLength(fixtureLines);
    await fake.invoke('lines.delete', { ids: [1, 2, 3] });
    fake.dialogAnswers.push(exported);
    fake.messageAnswers.push(1); // 取消
    await fake.click('文件', '导入交换文件…');
    expect(fake.record.messageBoxes.at(-1)).toMatchObject({ type: 'warning', buttons: ['继续', '取消'] });
    let lines = (await fake.invoke('lines.list', {})) as { result: { lines: unknown[] } };
    expect(lines.result.lines).toHaveLength(fixtureLines - 3);
    fake.dialogAnswers.push(exported);
    fake.messageAnswers.push(0); // 继续
    await fake.click('文件', '导入交换文件…');
    lines = (await fake.invoke('lines.list', {})) as { result: { lines: unknown[] } };
    expect(lines.result.lines).toHaveLength(fixtureLines);
    expect(window.reloads).toBe(1);
  });

  it('另存为… writes a copy (undo history included) that is then the open budget, leaving the original as it was', async () => {
    const { host, fake, dir, window } = await launch(['--db', 'original.budget']);
    await withFixture({ host });
    await fake.invoke('lines.delete', { ids: [2] });
    const copy = join(dir, 'copy.budget');
    fake.dialogAnswers.push(copy);
    await fake.click('文件', '另存为…');
    expect(fake.record.dialogs.at(-1)).toMatchObject({ kind: 'save', options: { properties: expect.arrayContaining(['showOverwriteConfirmation']) } });
    expect(window.reloads).toBe(1);
    const info = (await fake.invoke('budget.info', {})) as { result: { path: string; canUndo: boolean } };
    expect(info.result).toMatchObject({ path: copy, canUndo: true });
    // The copy's history undoes the delete made before 另存为.
    const undone = (await fake.invoke('edit.undo', {})) as { result: { done: boolean } };
    expect(undone.result.done).toBe(true);
    await fake.invoke('lines.delete', { ids: [1] });
    const reopened = createBudgetService({ dbPath: join(dir, 'original.budget'), budgetsDir: dir, recentFile: join(dir, 'r.json') });
    try {
      expect(reopened['lines.list']().lines).toHaveLength(fixtureLines - 1);
    } finally {
      reopened.close();
    }
  });

  it('另存为… onto an existing file replaces it once the system dialog has asked; a refusal keeps the original open', async () => {
    const { host, fake, dir, window } = await launch(['--db', 'a.budget']);
    await withFixture({ host });
    writeFileSync(join(dir, 'taken.budget'), 'x');
    fake.dialogAnswers.push(join(dir, 'taken.budget'));
    await fake.click('文件', '另存为…');
    expect(window.reloads).toBe(1);
    expect(readSqliteHeader(join(dir, 'taken.budget'))?.applicationId).toBe(APPLICATION_ID);
    const lines = (await fake.invoke('lines.list', {})) as { result: { lines: unknown[] } };
    expect(lines.result.lines).toHaveLength(fixtureLines);

    fake.dialogAnswers.push(join(dir, 'no-such-folder', 'b.budget'));
    await fake.click('文件', '另存为…');
    expect(fake.record.messageBoxes.at(-1)).toMatchObject({ type: 'error', message: '另存为失败', detail: expect.stringContaining('不存在') });
    const info = (await fake.invoke('budget.info', {})) as { result: { path: string } };
    expect(info.result.path).toBe(join(dir, 'taken.budget'));
    expect(window.reloads).toBe(1);
  });

  it('新建预算… hands the chosen file to the page, which asks for the department', async () => {
    const { host, fake, dir, window } = await launch();
    fake.dialogAnswers.push(join(dir, '新预算'));
    await fake.click('文件', '新建预算…');
    expect(window.sent).toEqual([['shell:command', { command: 'new-budget', path: join(dir, '新预算.budget') }]]);
    await fake.click('文件', '新建预算…'); // cancelled
    expect(window.sent).toHaveLength(1);
  });

  it('导入科目代码表… opens the page\'s dialog (it asks for the kind and the file)', async () => {
    const { host, fake, window } = await launch();
    fake.click('文件', '导入科目代码表…');
    expect(window.sent).toEqual([['shell:command', { command: 'import-code-list' }]]);
  });

  it('撤销 and 重做 are the page\'s to do', async () => {
    const { host, fake, window } = await launch();
    fake.click('编辑', '撤销');
    fake.click('编辑', '重做');
    expect(window.sent).toEqual([
      ['shell:command', { command: 'undo' }],
      ['shell:command', { command: 'redo' }],
    ]);
  });

  it('a second launch with a budget file opens it in the running window', async () => {
    const { host, fake, dir, window } = await launch();
    const other = join(dir, 'second.budget');
    await host.call('budget.create', {
      path: other,
      department: { code: '902', name: '第二局' },
      units: [{ code: '902001', name: '第二局本级', kind: 'administrative' }],
      fiscalYear: 2022,
      amountUnit: '万元',
    });
    await host.call('budget.open', { path: join(dir, 'xdg', 'bumen-yusuan', '预算.budget') });
    fake.record.appHandlers.get('second-instance')!({}, ['/opt/app/部门预算编制', 'second.budget'], dir);
    await vi.waitFor(() => expect(window.reloads).toBe(1));
    const info = (await fake.invoke('budget.info', {})) as { result: { path: string } };
    expect(info.result.path).toBe(other);
    expect(window.reloads).toBe(1);
  });
});

describe('paths as capabilities', () => {
  it('refuses a path the page invents, and one granted for another purpose, without calling the service', async () => {
    const { fake, dir } = await launch();
    const invented = join(dir, 'elsewhere');
    for (const [method, input] of [
      ['submission.export', { outDir: invented }],
      ['budget.saveAs', { path: join(invented, 'x.budget'), overwrite: true }],
      ['exchange.export', { path: join(invented, 'x.json') }],
      ['exchange.import', { path: fixture }],
      ['submission.inspect', { path: join(invented, 'p.zip') }],
      ['submission.linesTemplate', { path: join(invented, 't.xlsx') }],
      ['budget.open', { path: join(invented, 'b.budget') }],
    ] as const) {
      const answer = (await fake.invoke(method, input)) as { error?: { message: string } };
      expect(answer.error?.message, method).toContain('桌面版只读写您在系统对话框中选择的文件');
    }
    expect(existsSync(invented)).toBe(false);
    // A folder picked for 上报 is for 上报 only.
    const folder = join(dir, 'u盘');
    mkdirSync(folder);
    fake.dialogAnswers.push(folder);
    const chosen = (await fake.invoke('submission.choose', { kind: 'package-folder' })) as { result: { path: string } };
    expect(chosen.result.path).toBe(folder);
    const misused = (await fake.invoke('submission.linesTemplate', { path: folder })) as { error?: { message: string } };
    expect(misused.error?.message).toContain('不是为此选择的');
  });

  it('lets the page use what the user picked: a dialog\'s file, the 新建预算 file, a budget under 最近打开', async () => {
    const { fake, host, dir } = await launch();
    await withFixture({ host });
    // 导出明细模板 to the file chosen in the page's save dialog.
    const target = join(dir, '明细');
    fake.dialogAnswers.push(target);
    const chosen = (await fake.invoke('submission.choose', { kind: 'lines-template' })) as { result: { path: string } };
    expect(chosen.result.path).toBe(`${target}.xlsx`);
    const written = (await fake.invoke('submission.linesTemplate', { path: chosen.result.path })) as { result?: { path: string } };
    expect(written.result?.path).toBe(`${target}.xlsx`);
    expect(existsSync(`${target}.xlsx`)).toBe(true);
    // 新建预算: the file chosen in main's dialog is the page's to create.
    fake.dialogAnswers.push(join(dir, '新的'));
    await fake.click('文件', '新建预算…');
    const created = (await fake.invoke('budget.create', {
      path: join(dir, '新的.budget'),
      department: { code: '903', name: '第三局' },
      units: [{ code: '903001', name: '第三局本级', kind: 'administrative' }],
      fiscalYear: 2024,
      amountUnit: '元',
    })) as { result?: { path: string } };
    expect(created.result?.path).toBe(join(dir, '新的.budget'));
    // The first budget is under 最近打开: the page's 打开 dialog may open it once it has listed it.
    const recent = (await fake.invoke('budget.recent', {})) as { result: { path: string }[] };
    const first = recent.result.find((r) => r.path.endsWith('预算.budget'))!;
    const reopened = (await fake.invoke('budget.open', { path: first.path })) as { result?: { path: string } };
    expect(reopened.result?.path).toBe(first.path);
  });

  it('refuses network (UNC) paths from the page, from a dialog and at launch', async () => {
    const { fake } = await launch(['--db', '\\\\fileserver\\财务\\预算.budget']);
    // At launch: not opened, said why, the default budget open instead.
    expect(fake.record.messageBoxes.at(-1)).toMatchObject({ message: '无法打开预算文件', detail: expect.stringContaining('网络路径') });
    const unc = '\\\\evil.example\\share\\包.zip';
    const asked = (await fake.invoke('submission.inspect', { path: unc })) as { error?: { message: string } };
    expect(asked.error?.message).toContain('网络路径');
    // A network folder picked in the dialog is not granted; one suggested by the page is not shown to the dialog.
    fake.dialogAnswers.push('//evil.example/share');
    const chosen = (await fake.invoke('submission.choose', { kind: 'package-folder', suggested: '\\\\evil.example\\share' })) as {
      error?: { message: string };
    };
    expect(chosen.error?.message).toContain('网络路径');
    expect(fake.record.dialogs.at(-1)!.options).not.toHaveProperty('defaultPath');
    const used = (await fake.invoke('submission.export', { outDir: '//evil.example/share' })) as { error?: { message: string } };
    expect(used.error?.message).toContain('网络路径');
  });
});

describe('an office PC', () => {
  it('keeps Chromium\'s profile in %LOCALAPPDATA% and the budget in %APPDATA%', () => {
    const ctx = { platform: 'win32' as const, env: { APPDATA: 'C:\\Users\\张三\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\张三\\AppData\\Local' }, home: 'C:\\Users\\张三' };
    expect(localProfileFolder(ctx)).toBe('C:\\Users\\张三\\AppData\\Local\\bumen-yusuan\\electron');
    expect(defaultBudgetFile(ctx)).toBe('C:\\Users\\张三\\AppData\\Roaming\\bumen-yusuan\\预算.budget');
    expect(localProfileFolder({ ...ctx, env: {} })).toBe('C:\\Users\\张三\\AppData\\Local\\bumen-yusuan\\electron');
  });

  it('opens a file double-clicked while the app was still starting', async () => {
    const { host, fake, window } = await launch([], {
      beforeReady: (fake, dir) => {
        expect(fake.record.appHandlers.has('second-instance')).toBe(true);
        fake.modules.app.emit('second-instance', ['/opt/app/部门预算编制', join(dir, 'early.budget')], dir);
      },
    });
    expect(fake.record.paths.sessionData).toBe(fake.record.paths.userData);
    // The file did not exist: opening it says so; an existing one is opened.
    await vi.waitFor(() => expect(fake.record.messageBoxes.at(-1)).toMatchObject({ message: '无法打开预算' }));
    expect(window.reloads).toBe(0);
    void host;
  });

  it('offers to reload a page whose process is gone, or that hangs', async () => {
    const { fake, window } = await launch();
    fake.messageAnswers.push(1); // 重新加载
    window.contentsHandlers.get('render-process-gone')!({}, { reason: 'crashed', exitCode: 1 });
    await vi.waitFor(() => expect(window.reloads).toBe(1));
    expect(fake.record.messageBoxes.at(-1)).toMatchObject({ type: 'error', message: '页面意外关闭', buttons: ['退出', '重新加载'] });
    window.contentsHandlers.get('render-process-gone')!({}, { reason: 'clean-exit', exitCode: 0 });
    fake.messageAnswers.push(0); // 重新加载
    window.handlers.get('unresponsive')!();
    await vi.waitFor(() => expect(window.reloads).toBe(2));
    expect(fake.record.messageBoxes.filter((b) => b.message === '页面意外关闭')).toHaveLength(1);
    expect(fake.record.messageBoxes.at(-1)).toMatchObject({ type: 'warning', message: '页面没有响应' });
  });

  it('saves the page\'s download (导出交换文件) where the user says, and cancels any other', async () => {
    const { fake, dir } = await launch();
    const handler = fake.record.session.handlers.get('will-download')!;
    const item = (url: string, filename: string) => {
      const state = { url, savePath: null as string | null, cancelled: false, prevented: false, done: null as null | ((e: unknown, s: string) => void) };
      const download = {
        getURL: () => url,
        getFilename: () => filename,
        setSavePath: (p: string) => (state.savePath = p),
        cancel: () => (state.cancelled = true),
        once: (_e: string, fn: (e: unknown, s: string) => void) => (state.done = fn),
      };
      handler({ preventDefault: () => (state.prevented = true) }, download, {});
      return state;
    };
    fake.dialogAnswers.push(join(dir, '导出'));
    const ours = item('blob:app://bundle/1b2c', '济源-2020.json');
    expect(ours.savePath).toBe(join(dir, '导出.json'));
    expect(fake.record.dialogs.at(-1)).toMatchObject({ kind: 'save', options: { title: '导出交换文件' } });
    const cancelled = item('blob:app://bundle/3d4e', '济源-2020.json');
    expect(cancelled.cancelled).toBe(true);
    const foreign = item('https://example.com/x.exe', 'x.exe');
    expect(foreign.prevented).toBe(true);
    expect(foreign.savePath).toBeNull();
  });

  it('quitting during a 上报 export asks, and waits for the package when told to', async () => {
    const budget = budgetDb(mkdtempSync(join(base, 'ready-')), fixtureBudget());
    const { fake, host, dir } = await launch(['--db', budget]);
    const prep = (await fake.invoke('submission.prepare', {})) as { result: { soft: { key: string }[]; hard: unknown[] } };
    expect(prep.result.hard).toEqual([]);
    await fake.invoke('submission.saveNotes', { notes: prep.result.soft.map((f) => ({ key: f.key, note: '已核实' })) });
    const folder = join(dir, 'u盘');
    mkdirSync(folder);
    fake.dialogAnswers.push(folder);
    await fake.invoke('submission.choose', { kind: 'package-folder' });
    const started = (await fake.invoke('submission.export', { outDir: folder })) as { result?: { job: string } };
    expect(started.result?.job).toBeTruthy();
    expect(host.service.exporting).toBe(true);
    fake.messageAnswers.push(1); // 写完后退出
    expect(fake.modules.app.emit('before-quit')).toBe(true);
    expect(fake.record.messageBoxes.at(-1)).toMatchObject({ message: '正在生成上报数据包', buttons: ['立即退出', '写完后退出', '继续使用'] });
    await vi.waitFor(() => expect(fake.record.quit).toBe(1), { timeout: 60_000, interval: 100 });
    const progress = (await host.call('submission.exportProgress', { job: started.result!.job })) as { result: { state: string } };
    expect(progress.result.state).toBe('done');
    expect(readdirSync(folder).some((f) => f.endsWith('.zip'))).toBe(true);
    // Once confirmed, quitting goes on without asking again.
    expect(fake.modules.app.emit('before-quit')).toBe(false);
  });
});
