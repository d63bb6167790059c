// Writing a package to a USB stick so that the destination ends up with either the whole, verified package
// or nothing: write under a temporary name, flush it to the device, rename it into place, flush the folder,
// read it back and check it. Any failure removes what was written.
//
// Each step goes through PackageFileSystem, so a test can make any one of them fail (disk full, stick pulled,
// read-only medium) and check that nothing is left behind.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describeFsError, PackageError } from './errors.js';

export interface PackageFileSystem {
  /** Creates `path` (failing if it exists) and writes all of `data`. */
  write(path: string, data: Uint8Array): Promise<void>;
  /** Flushes the file's data to the device. */
  fsync(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Flushes the folder entry (best effort: not every system can). */
  fsyncDir(dir: string): Promise<void>;
  read(path: string): Promise<Buffer>;
  remove(path: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  isDirectory(path: string): Promise<boolean>;
}

export const nodeFileSystem: PackageFileSystem = {
  async write(path, data) {
    const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    try {
      let offset = 0;
      while (offset < data.length) {
        const { bytesWritten } = await fh.write(data, offset, data.length - offset);
        if (bytesWritten <= 0) throw Object.assign(new Error('write returned no progress'), { code: 'EIO' });
        offset += bytesWritten;
      }
    } finally {
      await fh.close();
    }
  },
  async fsync(path) {
    const fh = await open(path, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
  async rename(from, to) {
    await rename(from, to);
  },
  async fsyncDir(dir) {
    let fh;
    try {
      fh = await open(dir, 'r');
      await fh.sync();
    } catch {
      // Windows cannot open or sync a folder; FAT32 keeps no journal to order. The read-back check follows.
    } finally {
      await fh?.close().catch(() => undefined);
    }
  },
  async read(path) {
    return readFile(path);
  },
  async remove(path) {
    await unlink(path);
  },
  async exists(path) {
    try {
      await stat(path);
      return true;
    } catch {
      return false;
    }
  },
  async isDirectory(path) {
    try {
      return (await stat(path)).isDirectory();
    } catch {
      return false;
    }
  },
};

export type WriteStep = 'write' | 'fsync' | 'rename' | 'verify';

const STEP_LABELS: Record<WriteStep, string> = {
  write: '写入文件',
  fsync: '将数据写入设备',
  rename: '重命名为正式文件名',
  verify: '读回校验',
};

/**
 * Writes `data` as `dir/name` through a temporary file, then reads it back and runs `verify` on the bytes.
 * On any failure nothing it created is left in `dir` (as far as the device still allows) and a PackageError
 * says, in Chinese, which step failed and why.
 */
export async function writeFileSafely(
  fs: PackageFileSystem,
  dir: string,
  name: string,
  data: Uint8Array,
  verify: (written: Buffer) => Promise<void> | void,
): Promise<string> {
  const finalPath = join(dir, name);
  const tempPath = join(dir, `${name}.${process.pid}-${randomBytes(4).toString('hex')}.part`);
  const created: string[] = [];
  let step: WriteStep = 'write';
  try {
    created.push(tempPath);
    await fs.write(tempPath, data);
    step = 'fsync';
    await fs.fsync(tempPath);
    step = 'rename';
    if (await fs.exists(finalPath)) {
      throw Object.assign(new Error(`${finalPath} exists`), { code: 'EEXIST' });
    }
    await fs.rename(tempPath, finalPath);
    created.splice(0, created.length, finalPath);
    await fs.fsyncDir(dir);
    step = 'verify';
    const back = await fs.read(finalPath);
    await verify(back);
    return finalPath;
  } catch (err) {
    const leftovers: string[] = [];
    for (const path of created) {
      try {
        if (await fs.exists(path)) await fs.remove(path);
      } catch {
        leftovers.push(path);
      }
      if (await fs.exists(path).catch(() => false)) {
        if (!leftovers.includes(path)) leftovers.push(path);
      }
    }
    const reason = err instanceof PackageError ? err.message : describeFsError(err);
    const cleanup =
      leftovers.length === 0
        ? '目标文件夹中没有留下任何文件，请检查后重新导出。'
        : `未能删除不完整的文件，请手动删除：${leftovers.join('，')}`;
    throw new PackageError(step === 'verify' ? 'verify-failed' : 'write-failed', `上报数据包未能保存（${STEP_LABELS[step]}时出错）：${reason}。${cleanup}`);
  }
}
