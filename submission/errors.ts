// Errors of the submission package: a stable code for programs, a Chinese message for the user, and the
// individual items (findings, entries) when there are several.

export type PackageErrorCode =
  // export
  | 'audit-hard' // hard 审核 findings remain
  | 'notes-missing' // soft findings without 说明
  | 'destination' // the destination folder is unusable
  | 'write-failed' // writing, syncing or renaming failed
  | 'verify-failed' // the written package does not read back as written
  | 'changed' // the budget file changed while its package was being written
  // receive
  | 'not-found'
  | 'too-large' // archive, entry or total size past the limits
  | 'corrupt' // not a zip, truncated, checksum or size mismatch
  | 'unsafe-entry' // zip-slip names, symlinks, encryption, odd compression
  | 'entries' // missing, extra or duplicate entries
  | 'manifest' // manifest unreadable or invalid
  | 'format' // newer or unknown package format
  | 'fiscal-year' // another fiscal year
  | 'budget' // budget.json fails the exchange format or disagrees with the manifest
  | 'database'; // the receiving database cannot take it

export class PackageError extends Error {
  readonly code: PackageErrorCode;
  readonly details: string[];

  constructor(code: PackageErrorCode, message: string, details: string[] = []) {
    super(details.length > 0 ? `${message}\n${details.map((d) => `  - ${d}`).join('\n')}` : message);
    this.name = 'PackageError';
    this.code = code;
    this.details = details;
  }
}

/** A short Chinese reason for a file-system error code, for messages about the destination. */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOSPC':
      return '目标磁盘空间不足';
    case 'EDQUOT':
      return '超出磁盘配额';
    case 'EROFS':
      return '目标位置是只读的（U 盘是否处于写保护状态？）';
    case 'EACCES':
    case 'EPERM':
      return '没有写入目标位置的权限';
    case 'ENOENT':
    case 'ENOTDIR':
      return '目标文件夹不存在或已无法访问（U 盘是否已拔出？）';
    case 'ENODEV':
    case 'ENXIO':
    case 'EIO':
      return '目标设备读写出错或已移除（U 盘是否已拔出？）';
    case 'EEXIST':
      return '目标位置已有同名文件';
    case 'EXDEV':
      return '无法在目标位置完成改名';
    case 'EMFILE':
    case 'ENFILE':
      return '打开的文件过多';
    default: {
      const message = err instanceof Error ? err.message : String(err);
      return code ? `文件操作失败（${code}：${message}）` : `文件操作失败（${message}）`;
    }
  }
}
