// Where the desktop app keeps its files, and which budget file a launch asks for. Pure functions of the
// platform, environment and arguments, so scripts/start.mjs (which repeats the data-folder rule for the
// browser host, see tests/unit/electron-paths.test.ts) and the packaged app agree.
import { posix, win32 } from 'node:path';

/**
 * Budget files (SQLite inside, application_id "YSB1" in the header): the service's extension, without the dot
 * (tests/unit/electron-paths.test.ts holds it equal to api/service.ts; the main process does not load the
 * service, which runs in its own process).
 */
export const BUDGET_FILE_EXTENSION = 'budget';
export const DEFAULT_BUDGET_FILE_NAME = `预算.${BUDGET_FILE_EXTENSION}`;
/** Folder name under the user's data folder (ASCII: it also names the Linux XDG folder). */
export const DATA_FOLDER_NAME = 'bumen-yusuan';
/** Same as appId in electron-builder.yml: Windows groups taskbar buttons and shortcuts by it. */
export const APP_USER_MODEL_ID = 'cn.bumenyusuan.desktop';

export interface PlatformContext {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

/** %APPDATA%\bumen-yusuan, ~/Library/Application Support/bumen-yusuan, or $XDG_DATA_HOME (~/.local/share)/bumen-yusuan. */
export function userDataFolder({ platform, env, home }: PlatformContext): string {
  if (platform === 'win32') return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), DATA_FOLDER_NAME);
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', DATA_FOLDER_NAME);
  const xdg = env.XDG_DATA_HOME && posix.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : posix.join(home, '.local', 'share');
  return posix.join(xdg, DATA_FOLDER_NAME);
}

/**
 * Where Chromium keeps its profile (caches, local storage): %LOCALAPPDATA%\bumen-yusuan\electron on Windows, so
 * that a roaming profile does not carry caches from PC to PC; beside the data elsewhere.
 */
export function localProfileFolder(ctx: PlatformContext): string {
  if (ctx.platform === 'win32') {
    return win32.join(ctx.env.LOCALAPPDATA || win32.join(ctx.home, 'AppData', 'Local'), DATA_FOLDER_NAME, 'electron');
  }
  return posix.join(userDataFolder(ctx), 'electron');
}

export function defaultBudgetFile(ctx: PlatformContext): string {
  const join = ctx.platform === 'win32' ? win32.join : posix.join;
  return join(userDataFolder(ctx), DEFAULT_BUDGET_FILE_NAME);
}

export function isBudgetFileName(name: string): boolean {
  return name.toLowerCase().endsWith(`.${BUDGET_FILE_EXTENSION}`);
}

/**
 * The budget file named on the command line: `--db FILE`, `--db=FILE`, or a bare *.budget argument (how the
 * system passes a double-clicked file). Chromium's own switches and the app path are ignored.
 */
export function budgetFileFromArgs(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--db') return argv[i + 1] ?? null;
    if (arg.startsWith('--db=')) return arg.slice('--db='.length) || null;
  }
  return argv.find((arg) => !arg.startsWith('-') && isBudgetFileName(arg)) ?? null;
}
