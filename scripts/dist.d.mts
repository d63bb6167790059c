// Types of scripts/dist.mjs (plain JavaScript so that it runs before anything is compiled).
export declare function npmCommand(env?: Record<string, string | undefined>, platform?: NodeJS.Platform): { command: string; prefix: string[]; shell: boolean };
export declare function packageTarget(args: readonly string[], platform?: NodeJS.Platform): { platform: string; arch: string };
