import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUDGET_FILE_EXTENSION as SERVICE_EXTENSION } from '../../api/service.js';
import { BUDGET_FILTER, EXCHANGE_FILTER, fileDialogSpec, siblingName, withExtension } from '../../electron/dialogs.js';
import { buildMenuTemplate, type MenuActions } from '../../electron/menu.js';
import { BUDGET_FILE_EXTENSION, budgetFileFromArgs, defaultBudgetFile } from '../../electron/paths.js';
import { defaultBudgetFile as startDefaultBudgetFile, electronBinary, parseStartArgs } from '../../scripts/start.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const contexts = [
  { platform: 'linux' as const, env: {}, home: '/home/li' },
  { platform: 'linux' as const, env: { XDG_DATA_HOME: '/data/li' }, home: '/home/li' },
  { platform: 'linux' as const, env: { XDG_DATA_HOME: 'relative/ignored' }, home: '/home/li' },
  { platform: 'win32' as const, env: { APPDATA: 'C:\\Users\\li\\AppData\\Roaming' }, home: 'C:\\Users\\li' },
  { platform: 'win32' as const, env: {}, home: 'C:\\Users\\li' },
  { platform: 'darwin' as const, env: {}, home: '/Users/li' },
];

describe('default budget file', () => {
  it('lies in the user data folder of each platform', () => {
    expect(contexts.map(defaultBudgetFile)).toEqual([
      '/home/li/.local/share/bumen-yusuan/预算.budget',
      '/data/li/bumen-yusuan/预算.budget',
      '/home/li/.local/share/bumen-yusuan/预算.budget',
      'C:\\Users\\li\\AppData\\Roaming\\bumen-yusuan\\预算.budget',
      'C:\\Users\\li\\AppData\\Roaming\\bumen-yusuan\\预算.budget',
      '/Users/li/Library/Application Support/bumen-yusuan/预算.budget',
    ]);
  });
  it('is the same for npm start (browser host) and the desktop app', () => {
    for (const ctx of contexts) expect(startDefaultBudgetFile(ctx)).toBe(defaultBudgetFile(ctx));
  });
  it('uses the service\'s budget file extension', () => {
    expect(`.${BUDGET_FILE_EXTENSION}`).toBe(SERVICE_EXTENSION);
    expect(BUDGET_FILTER.extensions).toEqual([BUDGET_FILE_EXTENSION]);
  });
});

describe('launch arguments', () => {
  it('finds the budget named by --db, --db= or a double-clicked file', () => {
    expect(budgetFileFromArgs(['.', '--no-sandbox', '--db', '/x/a.budget'])).toBe('/x/a.budget');
    expect(budgetFileFromArgs(['.', '--db=/x/b.budget'])).toBe('/x/b.budget');
    expect(budgetFileFromArgs(['C:\\Program Files\\app.exe', 'D:\\预算\\2025.BUDGET'])).toBe('D:\\预算\\2025.BUDGET');
    expect(budgetFileFromArgs(['.', '--inspect', 'notes.txt'])).toBeNull();
    expect(budgetFileFromArgs(['.', '--db'])).toBeNull();
  });
  it('npm start reads --db, --port and --browser and refuses anything else', () => {
    expect(parseStartArgs(['--db', 'a.budget', '--port', '8080', '--browser'])).toEqual({ db: 'a.budget', port: '8080', browser: true, help: false });
    expect(parseStartArgs(['--db=b.budget'])).toMatchObject({ db: 'b.budget' });
    expect(() => parseStartArgs(['--db'])).toThrow('缺少取值');
    expect(() => parseStartArgs(['--dbb', 'x'])).toThrow('未知参数');
  });
  it('finds the Electron binary only where its download left one', () => {
    // Installed with ELECTRON_SKIP_BINARY_DOWNLOAD there is no path.txt and no dist/: npm start uses the browser host.
    const electronDir = join(repo, 'node_modules', 'electron');
    const pathFile = join(electronDir, 'path.txt');
    const expected = existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8')) : null;
    expect(electronBinary()).toBe(expected && existsSync(expected) ? expected : null);
  });
});

describe('file dialogs', () => {
  it('offers budget files for open, new and save-as, exchange files for import and export', () => {
    expect(fileDialogSpec('open-budget')).toMatchObject({ mode: 'open', options: { filters: [BUDGET_FILTER], properties: ['openFile'] } });
    expect(fileDialogSpec('new-budget', '/d/新建预算.budget')).toMatchObject({ mode: 'save', options: { defaultPath: '/d/新建预算.budget', filters: [BUDGET_FILTER] } });
    expect(fileDialogSpec('save-budget-as')).toMatchObject({ mode: 'save', extension: BUDGET_FILE_EXTENSION });
    expect(fileDialogSpec('import-exchange')).toMatchObject({ mode: 'open', options: { filters: [EXCHANGE_FILTER] } });
    expect(fileDialogSpec('export-exchange')).toMatchObject({ mode: 'save', extension: 'json' });
  });
  it('adds the extension a Linux save dialog leaves out', () => {
    expect(withExtension('/d/预算2025', 'budget')).toBe('/d/预算2025.budget');
    expect(withExtension('/d/预算2025.BUDGET', 'budget')).toBe('/d/预算2025.BUDGET');
    expect(withExtension('/d/预算.2025', 'budget')).toBe('/d/预算.2025.budget');
    expect(siblingName('/d/预算.budget', '（副本）', 'budget')).toBe('/d/预算（副本）.budget');
  });
});

describe('menu', () => {
  const clicked: string[] = [];
  const actions = new Proxy({}, { get: (_t, name: string) => (arg?: string) => clicked.push(arg ? `${name}:${arg}` : name) }) as MenuActions;
  it('lists recent budgets, escapes & and opens the one clicked', () => {
    const template = buildMenuTemplate({
      actions,
      recent: [
        { path: '/d/a.budget', name: '财政局 2025 年' },
        { path: '/d/b.budget', name: 'R&D 中心' },
      ],
      dev: false,
      platform: 'win32',
    });
    const recent = (template[0]!.submenu as any[]).find((i) => i.label === '最近打开').submenu;
    expect(recent.map((i: any) => i.label)).toEqual(['1. 财政局 2025 年', '2. R&&D 中心']);
    recent[1].click();
    expect(clicked).toEqual(['openRecent:/d/b.budget']);
  });
  it('shows a disabled placeholder when nothing was opened yet', () => {
    const template = buildMenuTemplate({ actions, recent: [], dev: true, platform: 'linux' });
    const recent = (template[0]!.submenu as any[]).find((i) => i.label === '最近打开').submenu;
    expect(recent).toEqual([{ label: '（无）', enabled: false }]);
  });
});
