// Types of scripts/check-abi.mjs (plain JavaScript so that it runs before anything is compiled).
export declare const DEFAULT_MODULE: string;
export declare const ELECTRON_ABI_BY_MAJOR: Record<number, number>;
export declare function abisFromNm(nmOutput: string): number[];
export declare function abisFromBinary(bytes: Uint8Array): number[];
export declare function expectedElectronAbi(electronDir?: string): { abi: number; electron: string | null; source: string } | null;
export interface AbiVerdict {
  ok: boolean;
  /** Process exit code: 0 matches, 1 mismatch, 2 cannot tell. */
  code: 0 | 1 | 2;
  message: string;
}
export declare function judgeAbi(input: {
  found: number[];
  expected: number;
  electron: string | null;
  modulePath: string;
  localNodeAbi: number;
  localNodeVersion: string;
}): AbiVerdict;
export declare function readModuleAbis(modulePath: string): number[];
export declare function main(argv?: string[]): number;
export interface BinaryTarget {
  format: 'ELF' | 'PE' | 'Mach-O';
  platform: 'linux' | 'win32' | 'darwin';
  arch: 'x64' | 'arm64' | 'ia32' | 'arm' | 'universal' | null;
}
export declare function binaryTarget(bytes: Uint8Array): BinaryTarget | null;
export declare function readModuleTarget(modulePath: string): BinaryTarget | null;
export declare function judgeTarget(input: { found: BinaryTarget | null; platform: string; arch: string; modulePath: string }): AbiVerdict;
