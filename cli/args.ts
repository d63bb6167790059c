// Argument parsing shared by the 上报-state and Excel commands: named values (--db x, --db=x), flags, and
// positionals; every mistake is a CommandUsageError with one Chinese sentence.
import { resolve } from 'node:path';

export class CommandUsageError extends Error {}

export interface CommandArgs {
  positional: string[];
  values: Map<string, string>;
  flags: Set<string>;
}

export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
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
