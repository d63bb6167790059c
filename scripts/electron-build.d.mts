// Types of scripts/electron-build.mjs (plain JavaScript: it runs before anything is compiled).
export declare const ROOT: string;
export declare const RENDERER_OUT: string;
export declare const MAIN_OUT: string;
export declare function newestMtime(paths: string[], root?: string): number;
export declare function isStale(output: string, sources: string[], root?: string): boolean;
export declare function buildRenderer(options?: { force?: boolean }): boolean;
export declare function buildMain(options?: { force?: boolean; outDir?: string; quiet?: boolean }): boolean;
