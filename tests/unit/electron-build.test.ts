// The compiled main process (what Electron loads: dist-electron/electron/main.js, ES modules) run under plain
// Node with a stand-in for the 'electron' module. This catches what type-checking cannot: an import Node's
// loader cannot resolve, data or migrations not found beside the compiled code, a preload not emitted as CommonJS.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMain } from '../../scripts/electron-build.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const base = mkdtempSync(join(tmpdir(), 'electron-build-'));
const appRoot = join(base, 'app');
const outDir = join(appRoot, 'dist-electron');
afterAll(() => rmSync(base, { recursive: true, force: true }));

beforeAll(() => {
  buildMain({ force: true, outDir, quiet: true });
  // What the package holds beside the compiled code: package.json ("type": "module") and node_modules.
  writeFileSync(join(appRoot, 'package.json'), readFileSync(join(repo, 'package.json')));
  symlinkSync(join(repo, 'node_modules'), join(appRoot, 'node_modules'), 'junction');
  mkdirSync(join(appRoot, 'dist', 'renderer'), { recursive: true });
  writeFileSync(join(appRoot, 'dist', 'renderer', 'index.html'), '<!doctype html><html><head></head><body></body></html>');
}, 120_000);

function runCompiledMain(db: string) {
  const stub = join(base, 'electron-stub.mts');
  writeFileSync(
    stub,
    `import { createFakeElectron } from ${JSON.stringify(pathToFileURL(join(repo, 'tests', 'unit', 'electron-fake.ts')).href)};
const fake = createFakeElectron({ documents: ${JSON.stringify(join(base, 'documents'))} });
(globalThis as any).__fakeElectron = fake;
export const { app, BrowserWindow, Menu, dialog, ipcMain, protocol, session, utilityProcess } = fake.modules;
`,
  );
  const hooks = join(base, 'hooks.mjs');
  writeFileSync(
    hooks,
    `export async function resolve(specifier, context, next) {
  // Through the next resolver, so tsx knows to compile the stand-in.
  if (specifier === 'electron') return next(${JSON.stringify(pathToFileURL(stub).href)}, context);
  return next(specifier, context);
}
`,
  );
  const runner = join(base, 'runner.mjs');
  const main = join(outDir, 'electron', 'main.js');
  writeFileSync(
    runner,
    `import { createRequire, register } from 'node:module';
register(${JSON.stringify(pathToFileURL(hooks).href)});
process.argv = [process.argv[0], ${JSON.stringify(main)}, '--db', ${JSON.stringify(db)}];
await import(${JSON.stringify(pathToFileURL(main).href)});
const fake = globalThis.__fakeElectron;
for (let i = 0; i < 200 && !fake.record.windows[0]?.loadedUrl; i++) await new Promise((r) => setTimeout(r, 25));
const window = fake.record.windows[0];
// The page may name no file it did not pick in a dialog: the fixture comes in as its text.
const imported = await fake.invoke('exchange.import', { text: ${JSON.stringify(readFileSync(join(repo, 'tests', 'fixtures', 'jiyuan-2020', 'budget.json'), 'utf8'))} });
const refused = await fake.invoke('exchange.import', { path: ${JSON.stringify(join(repo, 'tests', 'fixtures', 'jiyuan-2020', 'budget.json'))} });
const tables = await fake.invoke('reports.tables', {});
const page = await fake.record.protocolHandlers.get('app')(new Request('app://bundle/index.html'));
// The title follows the import (the shell refreshes after a call that switched the budget).
for (let i = 0; i < 200 && !window.title.includes('济源'); i++) await new Promise((r) => setTimeout(r, 25));
console.log(JSON.stringify({
  loadedUrl: window.loadedUrl,
  preload: window.options.webPreferences.preload,
  imported: imported.error ?? 'ok',
  tables: tables.result ? tables.result.tables.length : tables.error,
  pageStatus: page.status,
  csp: page.headers.get('content-security-policy'),
  title: window.title,
  channels: fake.record.ipc.size,
  refused: refused.error ? refused.error.message : 'accepted',
  service: fake.record.utility.map((u) => u.modulePath),
  // CommonJS packages loaded into this (the main) process, by name.
  loadedInMain: ['better-sqlite3', 'exceljs', 'pdfkit', 'yauzl'].filter((name) =>
    Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes(\`/node_modules/\${name}/\`))),
}));
fake.modules.app.emit('window-all-closed');
fake.modules.app.emit('will-quit');
await fake.record.utility[0].exited;
`,
  );
  return spawnSync(process.execPath, ['--import', 'tsx', runner], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, HOME: join(base, 'home'), XDG_DATA_HOME: join(base, 'xdg') },
    timeout: 60_000,
  });
}

describe('compiled main process', () => {
  it('emits main as an ES module and the preload as CommonJS', () => {
    expect(readFileSync(join(outDir, 'electron', 'main.js'), 'utf8')).toMatch(/^import .* from 'electron';$/m);
    const preload = readFileSync(join(outDir, 'electron', 'preload.cjs'), 'utf8');
    expect(preload).toContain('require("electron")');
    expect(preload).not.toMatch(/^\s*(import|export)\s/m);
    expect(existsSync(join(outDir, 'migrations'))).toBe(true);
    expect(existsSync(join(outDir, 'data', 'reference'))).toBe(true);
  });

  it('starts under Node with a stand-in Electron, opens the budget and serves the page', () => {
    const db = join(base, 'work', '预算.budget');
    mkdirSync(dirname(db), { recursive: true });
    const run = runCompiledMain(db);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(out).toMatchObject({
      loadedUrl: 'app://bundle/index.html',
      preload: join(outDir, 'electron', 'preload.cjs'),
      imported: 'ok',
      tables: expect.any(Number),
      pageStatus: 200,
      title: '济源市行政服务中心 2020年部门预算 — 部门预算编制',
    });
    expect(out.tables).toBeGreaterThanOrEqual(11);
    // The session ran in its own process, from the compiled module beside main.js.
    expect(out.service).toEqual([join(outDir, 'electron', 'service-child.js')]);
    expect(out.refused).toContain('桌面版只读写您在系统对话框中选择的文件');
    // SQLite, the .xlsx and PDF writers and the zip reader live in the service's process, not in main.
    expect(out.loadedInMain).toEqual([]);
    expect(out.csp).toContain("script-src 'self'");
    expect(existsSync(db)).toBe(true);
  });
});
