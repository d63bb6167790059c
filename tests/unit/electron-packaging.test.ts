// electron-builder.yml checked with electron-builder's own schema (no build: that needs downloads), and the
// promises it makes: per-user offline installer, native module outside the archive, the icons it names.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { APP_USER_MODEL_ID, BUDGET_FILE_EXTENSION } from '../../electron/paths.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(repo, 'package.json'));
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
const { DebugLogger } = require('builder-util');

async function loadConfig(): Promise<Record<string, any>> {
  return getConfig(repo, join(repo, 'electron-builder.yml'), null);
}

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it('passes electron-builder\'s schema', async () => {
    await expect(validateConfiguration(await loadConfig(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('builds a per-user, folder-choosing NSIS installer, a portable exe and an AppImage', async () => {
    const config = await loadConfig();
    expect(config.productName).toBe('部门预算编制');
    expect(config.appId).toBe(APP_USER_MODEL_ID);
    expect(config.win.target.map((t: { target: string }) => t.target)).toEqual(['nsis', 'portable']);
    expect(config.linux.target.map((t: { target: string }) => t.target)).toEqual(['AppImage']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true, deleteAppDataOnUninstall: false });
    expect(JSON.stringify(config)).not.toContain('nsis-web');
    expect(config.publish).toBeNull();
  });

  it('packs the compiled app and keeps better-sqlite3\'s module outside the archive, as checked', async () => {
    const config = await loadConfig();
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('dist-electron/electron/main.js');
    const patterns = (config.files as (string | { filter: string[] })[]).flatMap((f) => (typeof f === 'string' ? [f] : f.filter));
    expect(patterns).toEqual(expect.arrayContaining(['package.json', 'dist-electron/**/*', 'dist/renderer/**/*']));
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/build/Release/*.node');
    expect(config.npmRebuild).toBe(false);
    expect(config.electronFuses).toMatchObject({ runAsNode: false, onlyLoadAppFromAsar: true, enableNodeCliInspectArguments: false });
  });

  it('associates budget files', async () => {
    const config = await loadConfig();
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: BUDGET_FILE_EXTENSION, name: '部门预算文件' })]);
  });
});

/** The package a bare specifier names ('@scope/name/sub' → '@scope/name'). */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * Every npm package the packaged app loads: the import graph of the main process, the preload and the service
 * process, read from the sources (static and dynamic imports, require and require.resolve), types left out.
 */
function packagesLoadedByTheApp(): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const queue = ['electron/main.ts', 'electron/preload.cts', 'electron/service-child.ts'].map((f) => join(repo, f));
  const specifiers = /(?:^|\n)\s*(?:import|export)\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require(?:\.resolve)?\(\s*['"]([^'"]+)['"]\s*\)/g;
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(specifiers)) {
      const spec = (m[1] ?? m[2] ?? m[3])!;
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec).replace(/\.(c?)js$/, '.$1ts');
        if (existsSync(target)) queue.push(target);
        else if (existsSync(`${target}x`)) queue.push(`${target}x`);
        else throw new Error(`${file}: cannot find ${spec}`);
      } else if (!spec.startsWith('node:') && !builtinModules.includes(spec) && spec !== 'electron') {
        packages.add(packageName(spec));
      }
    }
  }
  return packages;
}

describe('what the package carries', () => {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

  it('every package the main, preload and service processes load is a production dependency (electron-builder packs those)', () => {
    const loaded = [...packagesLoadedByTheApp()].sort();
    expect(loaded).toEqual(expect.arrayContaining(['better-sqlite3', 'decimal.js', 'exceljs', 'pdfkit', 'zod', '@expo-google-fonts/noto-sans-sc']));
    for (const name of loaded) expect(pkg.dependencies, name).toHaveProperty([name]);
  });

  it('the UI\'s libraries are bundled by vite into dist/renderer, so they are build tools, not in app.asar', () => {
    for (const name of ['react', 'react-dom', 'ag-grid-community', 'ag-grid-react']) {
      expect(pkg.dependencies).not.toHaveProperty([name]);
      expect(pkg.devDependencies).toHaveProperty([name]);
    }
    expect(packagesLoadedByTheApp()).not.toContain('react');
  });
});

describe('icons', () => {
  it('icon.png is a 512×512 RGBA PNG that is not blank', () => {
    const png = readFileSync(join(repo, 'build', 'icon.png'));
    expect(pngSize(png)).toEqual({ width: 512, height: 512 });
    const idat = png.indexOf('IDAT', 0, 'latin1');
    const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    const colours = new Set<string>();
    for (let y = 0; y < 512; y += 16) for (let x = 0; x < 512; x += 16) colours.add(raw.subarray(y * 2049 + 1 + x * 4, y * 2049 + 5 + x * 4).toString('hex'));
    expect(colours.size).toBeGreaterThan(5);
  });

  it('icon.ico holds PNG images from 16 to 256 pixels', () => {
    const ico = readFileSync(join(repo, 'build', 'icon.ico'));
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const entry = 6 + 16 * i;
      const size = ico[entry] || 256;
      const png = ico.subarray(ico.readUInt32LE(entry + 12), ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8));
      expect(pngSize(png)).toEqual({ width: size, height: size });
      sizes.push(size);
    }
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });
});
