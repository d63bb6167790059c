import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  abisFromBinary,
  abisFromNm,
  binaryTarget,
  DEFAULT_MODULE,
  expectedElectronAbi,
  judgeAbi,
  judgeTarget,
  readModuleAbis,
  readModuleTarget,
} from '../../scripts/check-abi.mjs';
import { npmCommand, packageTarget } from '../../scripts/dist.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = join(root, 'scripts', 'check-abi.mjs');

// What `nm -D` prints for better-sqlite3 built against Node 20 (abridged).
const NM_NODE20 = `
                 U napi_module_register
000000000001a450 T node_register_module_v115
                 U sqlite3_open_v2
000000000004b7c0 T _ZN4node12AsyncWrapper
`;

describe('reading the ABI', () => {
  it('takes it from the init symbol in nm output', () => {
    expect(abisFromNm(NM_NODE20)).toEqual([115]);
    expect(abisFromNm('0000000000012340 T node_register_module_v143\n')).toEqual([143]);
    expect(abisFromNm('                 U sqlite3_open_v2\n')).toEqual([]);
  });
  it('takes it from the bytes of a file when nm is missing', () => {
    const bytes = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]), Buffer.from('\0node_register_module_v143\0napi_x\0', 'latin1')]);
    expect(abisFromBinary(bytes)).toEqual([143]);
  });
});

describe('the verdict', () => {
  const base = { electron: '40.8.5', modulePath: '/x/better_sqlite3.node', localNodeAbi: 115, localNodeVersion: 'v20.20.0' };
  it('accepts a module built for Electron 40', () => {
    const v = judgeAbi({ ...base, found: [143], expected: 143 });
    expect(v).toMatchObject({ ok: true, code: 0 });
  });
  it('refuses a Node 20 build and says why', () => {
    const v = judgeAbi({ ...base, found: [115], expected: 143 });
    expect(v).toMatchObject({ ok: false, code: 1 });
    expect(v.message).toContain('ABI 为 115');
    expect(v.message).toContain('需要 143');
    expect(v.message).toContain('本机 Node v20.20.0');
  });
  it('refuses a build for another Electron without blaming Node', () => {
    const v = judgeAbi({ ...base, found: [140], expected: 143 });
    expect(v).toMatchObject({ ok: false, code: 1 });
    expect(v.message).not.toContain('本机 Node');
  });
  it('cannot tell from no symbol or several', () => {
    expect(judgeAbi({ ...base, found: [], expected: 143 }).code).toBe(2);
    expect(judgeAbi({ ...base, found: [115, 143], expected: 143 }).code).toBe(2);
  });
});

describe('expected ABI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'electron-abi-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('is 143 for the installed Electron 40', () => {
    expect(expectedElectronAbi()).toMatchObject({ abi: 143, electron: expect.stringMatching(/^40\./) });
  });
  it('falls back to the version when abi_version is missing', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'electron', version: '40.1.0' }));
    expect(expectedElectronAbi(dir)).toMatchObject({ abi: 143, electron: '40.1.0' });
  });
});

describe('check-abi on this machine', () => {
  it('finds the Node-20 build of better-sqlite3 installed here and fails', () => {
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    const expected = Number(process.versions.modules);
    // The module in node_modules is built for the Node running the tests (that is how they load it).
    expect(readModuleAbis(DEFAULT_MODULE)).toEqual([expected]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`ABI 为 ${expected}，而 Electron 40`);
    expect(run.stderr).toContain('需要 143');
  });
  it('passes when told to expect this Node', () => {
    const run = spawnSync(process.execPath, [script, '--expect', process.versions.modules], { encoding: 'utf8' });
    expect(run.status).toBe(0);
  });
});

/** The first bytes of a PE file (a Windows DLL / .node) for `machine`. */
function peHeader(machine: number): Buffer {
  const b = Buffer.alloc(0x100);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(machine, 0x84);
  return b;
}

describe('the system and CPU a module is built for', () => {
  it('reads ELF, PE and Mach-O headers', () => {
    expect(readModuleTarget(DEFAULT_MODULE)).toEqual({ format: 'ELF', platform: 'linux', arch: process.arch });
    expect(binaryTarget(peHeader(0x8664))).toEqual({ format: 'PE', platform: 'win32', arch: 'x64' });
    expect(binaryTarget(peHeader(0x014c))).toEqual({ format: 'PE', platform: 'win32', arch: 'ia32' });
    expect(binaryTarget(peHeader(0xaa64))).toEqual({ format: 'PE', platform: 'win32', arch: 'arm64' });
    const macho = Buffer.alloc(32);
    macho.writeUInt32LE(0xfeedfacf, 0);
    macho.writeUInt32LE(0x0100000c, 4);
    expect(binaryTarget(macho)).toEqual({ format: 'Mach-O', platform: 'darwin', arch: 'arm64' });
    expect(binaryTarget(Buffer.from('not a module at all, just text'))).toBeNull();
  });

  it('refuses a module built for another system or CPU than the package', () => {
    const win = { format: 'PE', platform: 'win32', arch: 'x64' } as const;
    expect(judgeTarget({ found: win, platform: 'win32', arch: 'x64', modulePath: 'm.node' })).toMatchObject({ ok: true, code: 0 });
    const linuxForWindows = judgeTarget({ found: { format: 'ELF', platform: 'linux', arch: 'x64' }, platform: 'win32', arch: 'x64', modulePath: 'm.node' });
    expect(linuxForWindows).toMatchObject({ ok: false, code: 1 });
    expect(linuxForWindows.message).toContain('PE (Windows) x64');
    expect(judgeTarget({ found: { ...win, arch: 'ia32' }, platform: 'win32', arch: 'x64', modulePath: 'm.node' })).toMatchObject({ ok: false, code: 1 });
    expect(judgeTarget({ found: null, platform: 'win32', arch: 'x64', modulePath: 'm.node' })).toMatchObject({ ok: false, code: 2 });
  });

  it('check-abi stops a Windows package with the module built here', () => {
    const run = spawnSync(process.execPath, [script, '--expect', process.versions.modules, '--platform', 'win32', '--arch', 'x64'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('而安装包的目标是 PE (Windows) x64');
  });
});

describe('dist', () => {
  it('runs npm through the npm that started it, or through the shell on Windows (npm.cmd)', () => {
    expect(npmCommand({ npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js' }, 'linux')).toEqual({
      command: process.execPath,
      prefix: ['/usr/lib/node_modules/npm/bin/npm-cli.js'],
      shell: false,
    });
    expect(npmCommand({}, 'win32')).toEqual({ command: 'npm', prefix: [], shell: true });
    expect(npmCommand({}, 'linux')).toEqual({ command: 'npm', prefix: [], shell: false });
  });
  it('checks the module against the system and CPU of the package asked for', () => {
    expect(packageTarget(['--win', 'nsis', 'portable'], 'linux')).toEqual({ platform: 'win32', arch: 'x64' });
    expect(packageTarget(['--linux', 'AppImage'], 'win32')).toEqual({ platform: 'linux', arch: 'x64' });
    expect(packageTarget([], 'win32')).toEqual({ platform: 'win32', arch: 'x64' });
  });
});
