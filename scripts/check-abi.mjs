#!/usr/bin/env node
// Checks that the compiled better-sqlite3 module is built for Electron's ABI before it is packaged.
//
// Why: `electron-builder install-app-deps` (and `node-gyp --runtime=electron`) report success even where
// Electron's headers cannot be fetched, and then quietly build against the local Node headers. The packaged
// app would fail at start with "was compiled against a different Node.js version". The module's ABI is in
// the name of its exported init symbol, node_register_module_v<ABI>, so it can be read without loading it.
//
// It also reads the file's binary format and CPU from its header (ELF, PE or Mach-O), so that a module built
// for this build machine's system is not packed into an installer for another one (a Linux .so in a Windows
// package fails at the first start on the user's PC).
//
//   node scripts/check-abi.mjs [--module FILE] [--expect ABI] [--platform win32|linux|darwin] [--arch x64|arm64|ia32]
//                                                               exit 0: matches, 1: mismatch, 2: cannot tell
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_MODULE = join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const ELECTRON_DIR = join(ROOT, 'node_modules', 'electron');

/** Electron major → NODE_MODULE_VERSION, for when neither electron/abi_version nor node-abi is installed. */
export const ELECTRON_ABI_BY_MAJOR = { 33: 130, 34: 132, 35: 133, 36: 135, 37: 136, 38: 139, 39: 140, 40: 143, 41: 145 };

const SYMBOL = /node_register_module_v(\d+)/g;

function uniqueAbis(text) {
  return [...new Set([...text.matchAll(SYMBOL)].map((m) => Number(m[1])))];
}

const ELF_MACHINES = { 0x03: 'ia32', 0x28: 'arm', 0x3e: 'x64', 0xb7: 'arm64' };
const PE_MACHINES = { 0x014c: 'ia32', 0x8664: 'x64', 0xaa64: 'arm64' };
const MACHO_CPUS = { 0x01000007: 'x64', 0x0100000c: 'arm64', 7: 'ia32' };
const PLATFORM_OF_FORMAT = { ELF: 'linux', PE: 'win32', 'Mach-O': 'darwin' };
const FORMAT_OF_PLATFORM = { linux: 'ELF (Linux)', win32: 'PE (Windows)', darwin: 'Mach-O (macOS)' };

/**
 * The system and CPU a native module is built for, from its header: { format, platform, arch }, with arch
 * 'universal' for a macOS fat binary and null for a CPU not listed; null when the file is none of the three.
 */
export function binaryTarget(bytes) {
  const b = Buffer.from(bytes);
  if (b.length >= 20 && b.readUInt32BE(0) === 0x7f454c46) {
    const machine = b[5] === 2 ? b.readUInt16BE(18) : b.readUInt16LE(18);
    return { format: 'ELF', platform: 'linux', arch: ELF_MACHINES[machine] ?? null };
  }
  if (b.length >= 0x40 && b.toString('latin1', 0, 2) === 'MZ') {
    const pe = b.readUInt32LE(0x3c);
    if (pe + 6 <= b.length && b.toString('latin1', pe, pe + 4) === 'PE\0\0') {
      return { format: 'PE', platform: 'win32', arch: PE_MACHINES[b.readUInt16LE(pe + 4)] ?? null };
    }
    return null;
  }
  if (b.length >= 8 && (b.readUInt32LE(0) === 0xfeedfacf || b.readUInt32LE(0) === 0xfeedface)) {
    return { format: 'Mach-O', platform: 'darwin', arch: MACHO_CPUS[b.readUInt32LE(4)] ?? null };
  }
  if (b.length >= 8 && b.readUInt32BE(0) === 0xcafebabe) return { format: 'Mach-O', platform: 'darwin', arch: 'universal' };
  return null;
}

/** The verdict on a module built for `found` (binaryTarget), to be packed for `platform` and `arch`. */
export function judgeTarget({ found, platform, arch, modulePath }) {
  const where = `模块：${modulePath}`;
  const wanted = `${FORMAT_OF_PLATFORM[platform] ?? platform} ${arch}`;
  if (!found) return { ok: false, code: 2, message: `无法识别原生模块的文件格式（不是 ELF、PE 或 Mach-O）。\n${where}` };
  const builtFor = `${found.format} (${found.platform}) ${found.arch ?? '未知 CPU'}`;
  const platformOk = found.platform === platform;
  const archOk = found.arch === arch || (found.arch === 'universal' && platform === 'darwin');
  if (platformOk && archOk) return { ok: true, code: 0, message: `better-sqlite3 原生模块为 ${builtFor}，与目标一致。\n${where}` };
  return {
    ok: false,
    code: 1,
    message: [
      `better-sqlite3 原生模块是为 ${builtFor} 编译的，而安装包的目标是 ${wanted}：打包出的程序在用户电脑上将无法加载它。`,
      where,
      '原生模块只能在目标系统上编译：请在目标平台（Windows 安装包用 Windows x64）的构建机上运行 npm run dist。',
    ].join('\n'),
  };
}

export function readModuleTarget(modulePath) {
  return binaryTarget(readFileSync(modulePath));
}

/** ABIs named by `nm -D` output (normally exactly one). */
export function abisFromNm(nmOutput) {
  return uniqueAbis(nmOutput);
}

/** The same read straight from the file's bytes: export names are plain ASCII in ELF, PE and Mach-O alike. */
export function abisFromBinary(bytes) {
  return uniqueAbis(Buffer.from(bytes).toString('latin1'));
}

/** The ABI the installed Electron needs, and where that number came from. */
export function expectedElectronAbi(electronDir = ELECTRON_DIR) {
  const abiFile = join(electronDir, 'abi_version');
  if (existsSync(abiFile)) {
    const abi = Number(readFileSync(abiFile, 'utf8').trim());
    if (Number.isInteger(abi) && abi > 0) return { abi, electron: electronVersion(electronDir), source: abiFile };
  }
  const version = electronVersion(electronDir);
  if (!version) return null;
  try {
    const nodeAbi = createRequire(join(ROOT, 'package.json'))('node-abi');
    return { abi: Number(nodeAbi.getAbi(version, 'electron')), electron: version, source: 'node-abi' };
  } catch {
    const abi = ELECTRON_ABI_BY_MAJOR[Number(version.split('.')[0])];
    return abi ? { abi, electron: version, source: 'check-abi table' } : null;
  }
}

function electronVersion(electronDir) {
  try {
    return JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version ?? null;
  } catch {
    return null;
  }
}

/**
 * The verdict on a module whose symbols name `found` ABIs, for Electron needing `expected`.
 * `localNodeAbi` (this Node's NODE_MODULE_VERSION) lets the message say what went wrong.
 */
export function judgeAbi({ found, expected, electron, modulePath, localNodeAbi, localNodeVersion }) {
  const where = `模块：${modulePath}`;
  const runtime = electron ? `Electron ${electron}` : '目标运行时';
  if (found.length === 0) {
    return { ok: false, code: 2, message: `在原生模块中找不到 node_register_module_v 符号，无法判断其 ABI。\n${where}` };
  }
  if (found.length > 1) {
    return { ok: false, code: 2, message: `原生模块中有多个 ABI 符号（${found.join('、')}），无法判断。\n${where}` };
  }
  const [abi] = found;
  if (abi === expected) {
    return { ok: true, code: 0, message: `better-sqlite3 原生模块的 ABI 为 ${abi}，与 ${runtime} 一致。\n${where}` };
  }
  const lines = [`better-sqlite3 原生模块的 ABI 为 ${abi}，而 ${runtime} 需要 ${expected}：打包出的程序将无法加载它。`, where];
  if (abi === localNodeAbi) {
    lines.push(
      `这是为本机 Node ${localNodeVersion}（ABI ${localNodeAbi}）编译的模块。在取不到 Electron 头文件的机器上，` +
        '“electron-builder install-app-deps”和“node-gyp --runtime=electron”都会报告成功，实际却按本机 Node 编译。',
    );
  }
  lines.push('请在能访问 Electron 下载地址的构建机上重新运行 npm run dist（它会先为 Electron 重新编译 better-sqlite3）。');
  return { ok: false, code: 1, message: lines.join('\n') };
}

/** Reads the module's ABI: `nm -D` where it exists (Linux build machines), the file's bytes elsewhere. */
export function readModuleAbis(modulePath) {
  try {
    const out = execFileSync('nm', ['-D', modulePath], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const found = abisFromNm(out);
    if (found.length > 0) return found;
  } catch {
    // No nm (Windows, macOS without the developer tools) or not an ELF file: read the bytes.
  }
  return abisFromBinary(readFileSync(modulePath));
}

function parseArgs(argv) {
  const args = { module: DEFAULT_MODULE, expect: null, platform: process.platform, arch: process.arch };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--module') args.module = resolve(argv[++i] ?? '');
    else if (argv[i] === '--expect') args.expect = Number(argv[++i]);
    else if (argv[i] === '--platform') args.platform = argv[++i] ?? '';
    else if (argv[i] === '--arch') args.arch = argv[++i] ?? '';
    else throw new Error(`未知参数“${argv[i]}”。用法：node scripts/check-abi.mjs [--module 文件] [--expect ABI] [--platform 系统] [--arch CPU]`);
  }
  return args;
}

export function main(argv = process.argv.slice(2)) {
  const args = parseArgs(argv);
  if (!existsSync(args.module)) {
    console.error(`找不到原生模块：${args.module}（先运行 npm ci）`);
    return 2;
  }
  const wanted = args.expect ? { abi: args.expect, electron: null, source: '--expect' } : expectedElectronAbi();
  if (!wanted) {
    console.error('无法确定 Electron 所需的 ABI：未安装 electron，请用 --expect 指定。');
    return 2;
  }
  const verdict = judgeAbi({
    found: readModuleAbis(args.module),
    expected: wanted.abi,
    electron: wanted.electron,
    modulePath: args.module,
    localNodeAbi: Number(process.versions.modules),
    localNodeVersion: process.version,
  });
  const target = judgeTarget({ found: readModuleTarget(args.module), platform: args.platform, arch: args.arch, modulePath: args.module });
  for (const v of [verdict, target]) (v.ok ? console.log : console.error)(v.message);
  return Math.max(verdict.code, target.code);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    process.exitCode = main();
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 2;
  }
}
