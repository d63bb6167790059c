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
//   3. scripts/check-abi.mjs: the module must carry Electron's ABI (143 for Electron 40). Without Electron's
//      headers the rebuild above "succeeds" with a Node build (ABI 115 for Node 20): stop here;
//   4. electron-builder --config electron-builder.yml (npmRebuild is off there: what was checked is packed);
//   5. put back the Node build of better-sqlite3, so that tests, the CLI and the browser host keep working.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { main as checkAbi } from './check-abi.mjs';
import { buildMain, buildRenderer, ROOT } from './electron-build.mjs';

const builder = join(ROOT, 'node_modules', 'electron-builder', 'cli.js');

function step(label, command, args) {
  process.stdout.write(`\n== ${label}\n$ ${[command, ...args].join(' ')}\n`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  return result.status === 0;
}

function restoreNodeBuild() {
  if (!step('恢复本机 Node 版本的 better-sqlite3（测试与浏览器模式使用）', 'npm', ['rebuild', 'better-sqlite3'])) {
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
  process.stdout.write('\n== 检查 better-sqlite3 的 ABI\n');
  const abi = checkAbi([]);
  if (abi !== 0) {
    console.error('\n打包已停止：没有可用于 Electron 的 better-sqlite3。');
    // A mismatching module is the local Node build already; a module that cannot be read is rebuilt.
    if (abi === 2) restoreNodeBuild();
    return 1;
  }
  const packed = step('打包（electron-builder）', process.execPath, [builder, '--config', 'electron-builder.yml', '--publish', 'never', ...targetArgs]);
  restoreNodeBuild();
  if (packed) process.stdout.write('\n安装包在 release/ 文件夹中。\n');
  return packed ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (err) {
  console.error(`打包失败：${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
