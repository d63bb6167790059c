#!/usr/bin/env node
// npm run dist [-- <electron-builder target options>]      e.g.  npm run dist -- --win nsis portable
//                                                                npm run dist -- --linux AppImage
//
// Makes the installable packages (release/). A step for a connected build machine, of the platform the
// package is for (the native SQLite module is compiled for that platform): it downloads Electron's headers,
// Electron itself, and the NSIS / AppImage tools. On a machine that cannot reach them it stops at the ABI
// check below instead of producing a package that cannot start.
//   1. build the renderer and the main process (fresh);
//   2. electron-builder install-app-deps: rebuild better-sqlite3 against Electron's headers;
//   3. scripts/check-abi.mjs: the module must carry Electron's ABI (143 for Electron 40) and be built for the
//      package's system and CPU (a Linux build machine makes a Linux module: no Windows package from it).
//      Without Electron's headers the rebuild above "succeeds" with a Node build (ABI 115 for Node 20): stop here;
//   4. electron-builder --config electron-builder.yml (npmRebuild is off there: what was checked is packed);
//   5. put back the Node build of better-sqlite3, so that tests, the CLI and the browser host keep working.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { main as checkAbi } from './check-abi.mjs';
import { buildMain, buildRenderer, ROOT } from './electron-build.mjs';

const builder = join(ROOT, 'node_modules', 'electron-builder', 'cli.js');

/**
 * How to run npm: through the npm that runs this script (npm_execpath, under `npm run dist`) with this Node;
 * otherwise `npm` through the shell, which on Windows is what finds npm.cmd (spawnSync('npm') alone does not).
 */
export function npmCommand(env = process.env, platform = process.platform) {
  const cli = env.npm_execpath;
  if (cli && /\.(c|m)?js$/i.test(cli)) return { command: process.execPath, prefix: [cli], shell: false };
  return { command: 'npm', prefix: [], shell: platform === 'win32' };
}

/** The system and CPU the package is for, from electron-builder's options (default: this machine's system, x64). */
export function packageTarget(args, platform = process.platform) {
  const os = args.includes('--win') || args.includes('-w') ? 'win32' : args.includes('--linux') || args.includes('-l') ? 'linux' : args.includes('--mac') || args.includes('-m') ? 'darwin' : platform;
  const arch = args.includes('--arm64') ? 'arm64' : args.includes('--ia32') ? 'ia32' : 'x64';
  return { platform: os, arch };
}

function step(label, command, args, shell = false) {
  process.stdout.write(`\n== ${label}\n$ ${[command, ...args].join(' ')}\n`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', shell });
  return result.status === 0;
}

function restoreNodeBuild() {
  const npm = npmCommand();
  if (!step('恢复本机 Node 版本的 better-sqlite3（测试与浏览器模式使用）', npm.command, [...npm.prefix, 'rebuild', 'better-sqlite3'], npm.shell)) {
    console.error('恢复失败：请运行 npm rebuild better-sqlite3（或 npm run setup）。');
  }
}

function main() {
  const targetArgs = process.argv.slice(2);
  process.stdout.write('== 构建界面与主进程\n');
  buildRenderer({ force: true });
  buildMain({ force: true });

  if (!step('为 Electron 重新编译原生模块', process.execPath, [builder, 'install-app-deps'])) {
    restoreNodeBuild();
    return 1;
  }
  const target = packageTarget(targetArgs);
  process.stdout.write(`\n== 检查 better-sqlite3 的 ABI、系统与 CPU（目标：${target.platform} ${target.arch}）\n`);
  const abi = checkAbi(['--platform', target.platform, '--arch', target.arch]);
  if (abi !== 0) {
    console.error('\n打包已停止：没有可用于此安装包的 better-sqlite3（Electron 的 ABI、目标系统与 CPU 须一致）。');
    // Whatever was built (a Node build, or an Electron build for this machine's system), tests want Node's.
    restoreNodeBuild();
    return 1;
  }
  const packed = step('打包（electron-builder）', process.execPath, [builder, '--config', 'electron-builder.yml', '--publish', 'never', ...targetArgs]);
  restoreNodeBuild();
  if (packed) process.stdout.write('\n安装包在 release/ 文件夹中。\n');
  return packed ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    process.exitCode = main();
  } catch (err) {
    console.error(`打包失败：${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
