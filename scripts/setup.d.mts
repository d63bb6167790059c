// Types of scripts/setup.mjs (plain JavaScript: it runs before npm packages are installed).
type Lock = { packages?: Record<string, { version?: string; optional?: boolean; devOptional?: boolean }> } | null;
export declare function installedMatchesLock(lock: Lock, installed: Lock): boolean;
