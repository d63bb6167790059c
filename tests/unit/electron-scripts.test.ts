import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isStale } from '../../scripts/electron-build.mjs';
import { installedMatchesLock } from '../../scripts/setup.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const base = mkdtempSync(join(tmpdir(), 'electron-scripts-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('setup: is node_modules what package-lock.json asks for?', () => {
  const lock = {
    packages: {
      '': { version: '0.1.0' },
      'node_modules/zod': { version: '4.6.7' },
      'node_modules/@esbuild/win32-x64': { version: '0.25.0', optional: true },
    },
  };
  it('yes when every needed package is there in its version, other platforms\' optional ones aside', () => {
    expect(installedMatchesLock(lock, { packages: { 'node_modules/zod': { version: '4.6.7' } } })).toBe(true);
  });
  it('no when a package is missing, in another version, or nothing was installed', () => {
    expect(installedMatchesLock(lock, { packages: { 'node_modules/zod': { version: '4.6.6' } } })).toBe(false);
    expect(installedMatchesLock(lock, { packages: {} })).toBe(false);
    expect(installedMatchesLock(lock, null)).toBe(false);
  });
  it('yes for this checkout', () => {
    const read = (f: string) => JSON.parse(readFileSync(join(repo, f), 'utf8'));
    expect(installedMatchesLock(read('package-lock.json'), read('node_modules/.package-lock.json'))).toBe(true);
  });
});

describe('build: is an output older than its sources?', () => {
  const src = join(base, 'src');
  mkdirSync(join(src, 'deep'), { recursive: true });
  writeFileSync(join(src, 'deep', 'a.ts'), 'a');
  const out = join(base, 'out.js');
  it('missing output is stale', () => {
    expect(isStale(join(base, 'missing.js'), ['src'], base)).toBe(true);
  });
  it('compares with the newest file at any depth', () => {
    writeFileSync(out, 'x');
    const t = Date.now() / 1000;
    utimesSync(join(src, 'deep', 'a.ts'), t - 100, t - 100);
    utimesSync(out, t - 50, t - 50);
    expect(isStale(out, ['src'], base)).toBe(false);
    utimesSync(join(src, 'deep', 'a.ts'), t, t);
    expect(isStale(out, ['src'], base)).toBe(true);
  });
});
