#!/usr/bin/env node
// npm run setup [-- --force] [--dry-run]
//
// Makes a fresh Debian 12 + Node 20 machine ready for `npm start` and `npm test`. Safe to run again: each
// step is skipped when its result is already there.
//   1. Debian packages: Chromium (end-to-end tests, browser host), CJK fonts (Chinese renders as boxes
//      without them), Xvfb, poppler-utils (pdftotext), LibreOffice Calc (reads our .xlsx back in tests).
//      Installed with apt-get, through sudo when not root; without apt-get it says what to install instead.
//   2. npm packages: `npm ci` with ELECTRON_SKIP_BINARY_DOWNLOAD=1, skipped when node_modules already
//      matches package-lock.json and better-sqlite3 loads. The Electron binary lives on GitHub, which an
//      offline or filtered network cannot reach and where the download would hang the install; so it is
//      fetched in a step of its own, only after a quick check that the download host answers, and with a
//      time limit. Without it `npm start` runs the app in the browser.
//   3. The renderer: `vite build` into dist/renderer.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildRenderer, ROOT } from './electron-build.mjs';
import { electronBinary } from './start.mjs';

const DEBIAN_PACKAGES = ['chromium', 'fonts-noto-cjk', 'xvfb', 'poppler-utils', 'libreoffice-calc-nogui', 'libreoffice-writer-nogui'];
const ELECTRON_PROBE_TIMEOUT_MS = 5_000;
const ELECTRON_DOWNLOAD_TIMEOUT_MS = 5 * 60_000;

const force = process.argv.includes('--force');
const dryRun = process.argv.includes('--dry-run');

function say(line) {
  process.stdout.write(`${line}\n`);
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function exec(command, args, options = {}) {
  say(`$ ${[command, ...args].join(' ')}`);
  if (dryRun) return true;
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  return result.status === 0;
}

// ---- 1. Debian packages --------------------------------------------------------------------------------

function missingDebianPackages() {
  return DEBIAN_PACKAGES.filter((pkg) => {
    const out = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
    return !(out.status === 0 && out.stdout.includes('install ok installed'));
  });
}

function installDebianPackages() {
  if (!has('apt-get') || !has('dpkg-query')) {
    say(`[1/3] 本机没有 apt-get：请用本系统的方式安装 Chromium、Noto CJK 字体、Xvfb、poppler-utils 和 LibreOffice Calc（Debian 包名：${DEBIAN_PACKAGES.join(' ')}）。继续其余步骤。`);
    return;
  }
  const missing = missingDebianPackages();
  if (missing.length === 0) {
    say('[1/3] Debian 软件包已齐全。');
    return;
  }
  const asRoot = process.getuid?.() === 0;
  if (!asRoot && !has('sudo')) {
    say(`[1/3] 缺少 ${missing.join(' ')}，但当前不是 root 且没有 sudo：请由管理员安装后再运行。继续其余步骤。`);
    return;
  }
  say(`[1/3] 安装 Debian 软件包：${missing.join(' ')}`);
  const sudo = asRoot ? [] : ['sudo', 'env', 'DEBIAN_FRONTEND=noninteractive'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const [cmd, ...pre] = [...sudo, 'apt-get'];
  if (!exec(cmd, [...pre, 'update'], { env }) || !exec(cmd, [...pre, 'install', '-y', ...missing], { env })) {
    throw new Error('安装 Debian 软件包失败（见上方 apt-get 的输出）');
  }
}

// ---- 2. npm packages -----------------------------------------------------------------------------------

/** node_modules holds what package-lock.json asks for (packages absent only if optional, e.g. other platforms). */
export function installedMatchesLock(lock, installed) {
  if (!lock?.packages || !installed?.packages) return false;
  for (const [path, wanted] of Object.entries(lock.packages)) {
    if (path === '') continue;
    const got = installed.packages[path];
    if (!got) {
      if (wanted.optional || wanted.devOptional) continue;
      return false;
    }
    if (got.version !== wanted.version) return false;
  }
  return true;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function sqliteLoads() {
  const probe = "const D=require('better-sqlite3');new D(':memory:').prepare('select 1').get()";
  return spawnSync(process.execPath, ['-e', probe], { cwd: ROOT, stdio: 'ignore' }).status === 0;
}

async function installNpmPackages() {
  const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
  const inSync = installedMatchesLock(readJson(join(ROOT, 'package-lock.json')), readJson(join(ROOT, 'node_modules', '.package-lock.json')));
  if (!force && inSync && sqliteLoads()) {
    say('[2/3] npm 依赖已与 package-lock.json 一致。');
  } else if (!force && inSync) {
    // Typically after `npm run dist`, which leaves better-sqlite3 built for Electron.
    say('[2/3] better-sqlite3 无法在本机 Node 中加载：重新编译它。');
    if (!exec('npm', ['rebuild', 'better-sqlite3'], { env })) throw new Error('npm rebuild better-sqlite3 失败');
  } else {
    say('[2/3] 安装 npm 依赖（npm ci，跳过 Electron 程序的下载）…');
    if (!exec('npm', ['ci'], { env })) throw new Error('npm ci 失败（见上方输出）');
  }
  await fetchElectronIfReachable();
}

function electronDownloadUrl() {
  const version = readJson(join(ROOT, 'node_modules', 'electron', 'package.json'))?.version;
  if (!version) return null;
  const mirror = process.env.ELECTRON_MIRROR || 'https://github.com/electron/electron/releases/download/';
  return `${mirror.endsWith('/') ? mirror : `${mirror}/`}v${version}/SHASUMS256.txt`;
}

async function reachable(url) {
  try {
    const res = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(ELECTRON_PROBE_TIMEOUT_MS) });
    return res.status < 500;
  } catch {
    return false;
  }
}

async function fetchElectronIfReachable() {
  if (electronBinary()) {
    say('      Electron 程序已安装。');
    return;
  }
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1') {
    say('      已设置 ELECTRON_SKIP_BINARY_DOWNLOAD=1：不下载 Electron 程序，npm start 将在浏览器中运行本程序。');
    return;
  }
  const url = electronDownloadUrl();
  if (!url || !(await reachable(url))) {
    say(`      Electron 的下载地址${url ? ` ${new URL(url).host} ` : ''}无法访问：跳过 Electron 程序，npm start 将在浏览器中运行本程序。`);
    return;
  }
  say('      下载 Electron 程序…');
  const ok = exec(process.execPath, [join(ROOT, 'node_modules', 'electron', 'install.js')], { timeout: ELECTRON_DOWNLOAD_TIMEOUT_MS });
  say(ok && electronBinary() ? '      Electron 程序已安装。' : '      Electron 程序下载失败：npm start 将在浏览器中运行本程序。');
}

// ---- 3. renderer ---------------------------------------------------------------------------------------

function buildUi() {
  if (dryRun) {
    say('[3/3] （演练）将按需运行 vite build。');
    return;
  }
  say(buildRenderer({ force }) ? '[3/3] 界面已构建（dist/renderer）。' : '[3/3] 界面已是最新（dist/renderer）。');
}

async function main() {
  installDebianPackages();
  await installNpmPackages();
  if (!existsSync(join(ROOT, 'node_modules', 'vite'))) throw new Error('node_modules 中没有 vite：npm ci 没有完成');
  buildUi();
  say('准备完成：npm start 启动程序，npm test 运行测试。');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(`安装未完成：${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
