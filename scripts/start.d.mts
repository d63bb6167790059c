// Types of scripts/start.mjs (plain JavaScript: `npm start` runs it before anything is compiled).
export declare function defaultBudgetFile(context: { platform: NodeJS.Platform; env: Record<string, string | undefined>; home: string }): string;
export declare function parseStartArgs(argv: string[]): { db: string | null; port: string | null; browser: boolean; help: boolean };
export declare function electronBinary(): string | null;
