// The layering the README promises, checked on the source: every import of every .ts/.tsx file under the
// checked folders is resolved and compared with the rules below. A new import across a line fails here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');

export interface ImportRef {
  file: string; // repository-relative, with '/'
  specifier: string;
  /** Repository-relative target for a relative import; null for a package or node: built-in. */
  target: string | null;
}

const IMPORT_RE = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(=])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s+['"]([^'"]+)['"]/gm;

/** Every static import, re-export, side-effect import and literal dynamic import of one source text. */
export function importsOf(file: string, text: string): ImportRef[] {
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const refs: ImportRef[] = [];
  for (const m of withoutComments.matchAll(IMPORT_RE)) {
    const specifier = (m[1] ?? m[2] ?? m[3])!;
    const target = specifier.startsWith('.')
      ? relative(ROOT, resolve(ROOT, dirname(file), specifier)).split(sep).join('/')
      : null;
    refs.push({ file, specifier, target });
  }
  return refs;
}

interface Rule {
  folder: string;
  /** Why, in the words of the README. */
  says: string;
  allows(ref: ImportRef): boolean;
}

const under = (target: string | null, ...folders: string[]): boolean =>
  target !== null && folders.some((f) => target === f || target.startsWith(`${f}/`));
const isPackage = (ref: ImportRef, ...names: string[]): boolean =>
  ref.target === null && names.some((n) => ref.specifier === n || ref.specifier.startsWith(`${n}/`));

export const RULES: Rule[] = [
  {
    folder: 'core',
    says: 'core/ is the domain: it imports only core/, data/, decimal.js and zod (checking data files it loads)',
    allows: (r) => under(r.target, 'core', 'data') || isPackage(r, 'decimal.js', 'zod'),
  },
  {
    folder: 'renderer',
    says: 'renderer/ talks only to the API: renderer/, the API contract and its shared view types, UI packages',
    allows: (r) =>
      under(r.target, 'renderer') ||
      ['api/contract.js', 'api/views.js', 'api/errors.js', 'api/wizard.js', 'api/submission.js', 'api/document.js', 'api/params.js', 'api/browse.js', 'api/projects.js'].includes(r.target ?? '') ||
      isPackage(r, 'react', 'react-dom', 'ag-grid-community', 'ag-grid-react', 'decimal.js', 'zod', 'echarts'),
  },
  {
    folder: 'electron',
    says: 'electron/ is a thin host: it reaches the budget through api/, never core/ or db/ directly',
    allows: (r) => !under(r.target, 'core', 'db'),
  },
  {
    folder: 'server',
    says: 'server/ is a thin host: it reaches the budget through api/, never core/ or db/ directly',
    allows: (r) => !under(r.target, 'core', 'db'),
  },
  {
    folder: 'db',
    says: 'db/ is storage under the API: it never imports api/',
    allows: (r) => !under(r.target, 'api'),
  },
];

function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|tsx|mts|cts)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
    }
  };
  walk(join(ROOT, folder));
  return out;
}

/** Every import that breaks a rule, as "file: specifier (rule)". */
export function violations(refs: ImportRef[]): string[] {
  const out: string[] = [];
  for (const ref of refs) {
    const rule = RULES.find((r) => ref.file.startsWith(`${r.folder}/`));
    if (rule && !rule.allows(ref)) out.push(`${ref.file}: '${ref.specifier}' (${rule.says})`);
  }
  return out;
}

describe('layering', () => {
  it('finds the imports of every shape', () => {
    const text = [
      "import { a } from '../db/store.js';",
      "import type { B } from \"../core/model.js\";",
      "export { c } from './c.js';",
      "import './side.js';",
      "const m = await import('../api/service.js');",
      "// import { x } from '../db/commented.js';",
      "/* import { y } from '../db/block.js'; */",
    ].join('\n');
    expect(importsOf('electron/main.ts', text).map((r) => r.target)).toEqual([
      'db/store.js',
      'core/model.js',
      'electron/c.js',
      'electron/side.js',
      'api/service.js',
    ]);
  });

  it('reports a deliberate violation of each rule', () => {
    const bad: ImportRef[] = [
      { file: 'core/x.ts', specifier: 'better-sqlite3', target: null },
      { file: 'core/x.ts', specifier: '../db/store.js', target: 'db/store.js' },
      { file: 'renderer/x.tsx', specifier: '../core/money.js', target: 'core/money.js' },
      { file: 'renderer/x.tsx', specifier: '../api/service.js', target: 'api/service.js' },
      { file: 'electron/x.ts', specifier: '../db/store.js', target: 'db/store.js' },
      { file: 'server/x.ts', specifier: '../core/model.js', target: 'core/model.js' },
      { file: 'db/x.ts', specifier: '../api/contract.js', target: 'api/contract.js' },
    ];
    expect(violations(bad)).toHaveLength(bad.length);
    const good: ImportRef[] = [
      { file: 'core/x.ts', specifier: 'decimal.js', target: null },
      { file: 'core/x.ts', specifier: '../data/indicators/targets.json', target: 'data/indicators/targets.json' },
      { file: 'renderer/x.tsx', specifier: '../api/contract.js', target: 'api/contract.js' },
      { file: 'electron/x.ts', specifier: '../api/service.js', target: 'api/service.js' },
      { file: 'db/x.ts', specifier: '../core/model.js', target: 'core/model.js' },
    ];
    expect(violations(good)).toEqual([]);
  });

  it('holds for the whole source tree', () => {
    const refs = RULES.flatMap((rule) =>
      sourceFiles(rule.folder).flatMap((path) =>
        importsOf(relative(ROOT, path).split(sep).join('/'), readFileSync(path, 'utf8')),
      ),
    );
    expect(refs.length).toBeGreaterThan(100);
    expect(violations(refs)).toEqual([]);
  });
});
