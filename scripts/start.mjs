#!/usr/bin/env node
// npm start [-- --db <file>] [--port N] [--browser]
//
// Starts the desktop app when the Electron binary is installed (and a display is there); otherwise the
// browser host on 127.0.0.1, printing the address with its secret on a line of its own. Without --db the
// budget in the user's data folder is opened (created empty on first use); the UI creates and opens others.
// The renderer (and the main process, for Electron) is rebuilt first when its sources are newer.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, posix, resolve, win32 } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildMain, buildRenderer, ROOT } from './electron-build.mjs';

// Same rule as electron/paths.ts (which the packaged app uses); tests/unit/electron-paths.test.ts holds them equal.
const DATA_FOLDER_NAME = 'bumen-yusuan';
const DEFAULT_BUDGET_FILE_NAME = '预算.budget';

export function defaultBudgetFile({ platform, env, home }) {
  if (platform === 'win32') {
    return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), DATA_FOLDER_NAME, DEFAULT_BUDGET_FILE_NAME);
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', DATA_FOLDER_NAME, DEFAULT_BUDGET_FILE_NAME);
  const xdg = env.XDG_DATA_HOME && posix.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : posix.join(home, '.local', 'share');
  return posix.join(xdg, DATA_FOLDER_NAME, DEFAULT_BUDGET_FILE_NAME);
}

const USAGE = '用法：npm start [-- --db <预算文件>] [--port <端口>] [--browser]';

export function parseStartArgs(argv) {
  const args = { db: null, port: null, browser: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`参数 ${arg} 缺少取值。${USAGE}`);
      return v;
    };
    if (arg === '--db') args.db = value();
    else if (arg.startsWith('--db=')) args.db = arg.slice(5);
    else if (arg === '--port') args.port = value();
    else if (arg === '--browser') args.browser = true;
    else if (arg === '--help' || arg === '-h') args.help = true;
    else throw new Error(`未知参数“${arg}”。${USAGE}`);
  }
  return args;
}

/** The Electron executable when its binary was downloaded, else null (installed with ELECTRON_SKIP_BINARY_DOWNLOAD). */
export function electronBinary() {
  try {
    const path = createRequire(join(ROOT, 'package.json'))('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    // node_modules/electron/index.js throws when path.txt (written by its download) is missing.
    return null;
  }
}

function hasDisplay() {
  return process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/** Runs a child with our terminal, passing Ctrl+C / termination on, and exits with its code. */
function runAttached(command, args, env = process.env) {
  const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (err) => {
    console.error(`无法启动：${err.message}`);
    process.exit(1);
  });
}

function main() {
  let args;
  try {
    args = parseStartArgs(process.argv.slice(2));
  } catch (err) {
    console.error(err.message);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const db = args.db ? resolve(args.db) : defaultBudgetFile({ platform: process.platform, env: process.env, home: homedir() });
  mkdirSync(dirname(db), { recursive: true });
  buildRenderer();

  const electron = args.browser ? null : electronBinary();
  if (electron && hasDisplay()) {
    buildMain();
    // Chromium refuses to run as root with its sandbox on (a root shell on a build machine, never the office PC).
    const rootFlags = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
    console.log(`启动桌面程序，预算文件：${db}`);
    runAttached(electron, [ROOT, ...rootFlags, '--db', db]);
    return;
  }
  const reason = args.browser
    ? '按 --browser 的要求'
    : electron
      ? '没有图形显示（DISPLAY 未设置），无法打开桌面窗口'
      : '未安装 Electron 程序（本机无法下载，安装时跳过了它）';
  console.log(`${reason}：改为在浏览器中运行。预算文件：${db}`);
  // server/main.ts prints the address, secret included, on a line of its own.
  const serverArgs = ['--import', 'tsx', join(ROOT, 'server', 'main.ts'), '--db', db, ...(args.port ? ['--port', args.port] : [])];
  runAttached(process.execPath, serverArgs);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    main();
  } catch (err) {
    console.error(`启动失败：${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
