import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { abisFromBinary, abisFromNm, DEFAULT_MODULE, expectedElectronAbi, judgeAbi, readModuleAbis } from '../../scripts/check-abi.mjs';

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
