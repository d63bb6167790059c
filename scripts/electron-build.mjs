#!/usr/bin/env node
// Builds what the hosts load: the renderer (vite → dist/renderer) and the Electron main process and preload
// (tsc -p tsconfig.electron.json → dist-electron). Used by start, setup and dist; run alone it builds both.
//
// The compiled modules find the shipped data and migrations relative to themselves (db/defaults.ts and
// db/migrate.ts look one folder up from their own file), so data/ and migrations/ are copied into
// dist-electron/ beside the compiled db/ folder, which is also how they travel in the package.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const RENDERER_OUT = join(ROOT, 'dist', 'renderer');
export const MAIN_OUT = join(ROOT, 'dist-electron');
/** Folders the compiled main process reads at run time (see above). */
const RUNTIME_FOLDERS = ['data', 'migrations'];

const RENDERER_SOURCES = ['renderer', 'api', 'core', 'vite.config.ts', 'package-lock.json'];
const MAIN_SOURCES = ['electron', 'api', 'core', 'db', 'server', 'data', 'migrations', 'tsconfig.electron.json', 'tsconfig.json', 'package-lock.json'];

/** Newest modification time (ms) of the files under the given paths; 0 when none exist. */
export function newestMtime(paths, root = ROOT) {
  let newest = 0;
  const visit = (path) => {
    let info;
    try {
      info = statSync(path);
    } catch {
      return;
    }
    if (info.isDirectory()) {
      for (const name of readdirSync(path)) if (name !== 'node_modules' && !name.startsWith('.')) visit(join(path, name));
    } else newest = Math.max(newest, info.mtimeMs);
  };
  for (const p of paths) visit(join(root, p));
  return newest;
}

/** True when `output` is missing or older than any source. */
export function isStale(output, sources, root = ROOT) {
  if (!existsSync(output)) return true;
  return statSync(output).mtimeMs < newestMtime(sources, root);
}

function run(label, args, quiet = false) {
  if (!quiet) process.stdout.write(`${label}…\n`);
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
  if (quiet && result.status !== 0) process.stderr.write(`${result.stdout}${result.stderr}`);
  if (result.status !== 0) throw new Error(`${label}失败（退出码 ${result.status ?? result.signal}）`);
}

/** vite build, unless dist/renderer is newer than every source (or `force`). */
export function buildRenderer({ force = false } = {}) {
  const index = join(RENDERER_OUT, 'index.html');
  if (!force && !isStale(index, RENDERER_SOURCES)) return false;
  run('构建界面（vite build）', [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn']);
  return true;
}

/**
 * tsc -p tsconfig.electron.json into dist-electron (or `outDir`), plus the data it reads, unless up to date
 * (or `force`).
 */
export function buildMain({ force = false, outDir = MAIN_OUT, quiet = false } = {}) {
  if (!force && !isStale(join(outDir, 'electron', 'main.js'), MAIN_SOURCES)) return false;
  rmSync(outDir, { recursive: true, force: true });
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  run('编译桌面主进程（tsc -p tsconfig.electron.json）', [tsc, '-p', join(ROOT, 'tsconfig.electron.json'), '--outDir', outDir], quiet);
  for (const folder of RUNTIME_FOLDERS) {
    if (existsSync(join(ROOT, folder))) cpSync(join(ROOT, folder), join(outDir, folder), { recursive: true });
  }
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const force = process.argv.includes('--force');
    buildRenderer({ force });
    buildMain({ force });
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  }
}
