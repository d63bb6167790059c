// What every command of the command line shares: argument parsing (named values --db x / --db=x, flags,
// positionals), the exit codes, and how a failure reaches the user. Every mistake of the user's is one
// Chinese sentence on stderr and exit code 2; anything else is an internal error, exit code 3.
import { resolve } from 'node:path';
import { StoreError, sqliteFailure } from '../db/store.js';

export class CommandUsageError extends Error {}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 3;

export interface CommandArgs {
  positional: string[];
  values: Map<string, string>;
  flags: Set<string>;
}

export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
}

/** C0 controls but tab and newline, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates. */
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text as a terminal may show it: a control character (ESC, BEL …) or a bidirectional override inside a file
 * name or a value is written escaped (`\x1b`, `\u202e`), so it cannot clear the screen, ring or reorder text.
 */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

export function parseCommandArgs(argv: readonly string[], valueOptions: readonly string[], flagOptions: readonly string[]): CommandArgs {
  const out: CommandArgs = { positional: [], values: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      out.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (flagOptions.includes(name) && eq < 0) {
      if (out.flags.has(name)) throw new CommandUsageError(`选项 --${name} 重复给出`);
      out.flags.add(name);
      continue;
    }
    if (!valueOptions.includes(name)) throw new CommandUsageError(`不认识的选项“${arg}”，可用 --help 查看用法`);
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new CommandUsageError(`选项 --${name} 后面缺少取值`);
    if (out.values.has(name)) throw new CommandUsageError(`选项 --${name} 重复给出`);
    out.values.set(name, value);
  }
  return out;
}

export function requiredPath(a: CommandArgs, name: string, what: string): string {
  const v = a.values.get(name);
  if (!v) throw new CommandUsageError(`缺少 --${name} <${what}>`);
  return resolve(v);
}

export function outputFormat(a: CommandArgs): 'text' | 'json' {
  const f = a.values.get('format') ?? 'text';
  if (f !== 'text' && f !== 'json') throw new CommandUsageError(`--format 只能是 text 或 json，不能是“${f}”`);
  return f;
}

/**
 * Writes a command's failure to stderr and returns its exit code: a usage mistake, a refused file
 * (StoreError, with its list of problems) or one of `userErrors` is 2; anything else is an internal error, 3.
 */
export function reportCommandError(err: unknown, io: CommandIO, userErrors: readonly (abstract new (...args: never[]) => Error)[] = []): number {
  if (err instanceof CommandUsageError || err instanceof StoreError || userErrors.some((type) => err instanceof type)) {
    const error = err as Error;
    io.err(error.message + '\n');
    for (const p of err instanceof StoreError ? err.problems : []) io.err(`  ${p.field ? `${p.field}：` : ''}${p.message}\n`);
    return EXIT_USAGE;
  }
  // A full disk, a read-only file or a file in use is the user's to fix: one sentence saying what to do.
  const sqlite = sqliteFailure(err);
  if (sqlite) {
    io.err(sqlite.message + '\n');
    return EXIT_USAGE;
  }
  io.err(`程序内部错误：${err instanceof Error ? err.message : String(err)}\n`);
  return EXIT_INTERNAL;
}

/** The --db path of a command line (either spelling), or null. */
export function dbArgument(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--db') return argv[i + 1] ? resolve(argv[i + 1]!) : null;
    if (arg.startsWith('--db=')) return arg.length > 5 ? resolve(arg.slice(5)) : null;
  }
  return null;
}
