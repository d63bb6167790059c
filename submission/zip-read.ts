// Reading an archive that came from outside (a USB stick): everything in it is hostile until checked.
//
// The whole archive is read into memory first (after a size check), so what is checked is what is used.
// Nothing from a header is trusted: names are checked byte by byte, the central directory is compared with
// each local header, sizes are capped before reading and counted while inflating, and each entry's CRC-32
// is recomputed. Nothing is ever written to disk here.
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { checkEntryName, PACKAGE_LIMITS } from '../core/manifest.js';
import { PackageError } from './errors.js';

export interface ZipEntryData {
  name: string;
  bytes: Buffer;
  sha256: string;
}

export type ZipLimits = { readonly [K in keyof typeof PACKAGE_LIMITS]: number };

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const MADE_BY_UNIX = 3;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_UTF8 = 0x0800;
const UNICODE_PATH_EXTRA = 0x7075;
const DOS_DIRECTORY = 0x10;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const DATA_DESCRIPTOR_SIGNATURE = 0x08074b50;

function corrupt(message: string): PackageError {
  return new PackageError('corrupt', message);
}

/**
 * Reads every entry of `archive` into memory after checking it. Throws PackageError naming the first problem.
 * Entry names must be unique (also ignoring case, as Windows would), plain file names, UTF-8.
 */
export async function readZipEntries(archive: Buffer, limits: ZipLimits = PACKAGE_LIMITS): Promise<ZipEntryData[]> {
  if (archive.length > limits.maxArchiveBytes) {
    throw new PackageError('too-large', `数据包文件过大（${archive.length} 字节，上限 ${limits.maxArchiveBytes} 字节）`);
  }
  // A zip written by this program starts with the first entry's local header. Anything before it (a
  // self-extractor stub, a script) is content no check below would see: refused.
  if (archive.length >= 4 && archive.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE && archive.indexOf(Buffer.from('PK\x03\x04', 'latin1')) > 0) {
    throw corrupt(`数据包不是有效的 zip 文件：文件开头（第 0 字节）不是 zip 文件头，前面附加了其他内容（${archive.indexOf(Buffer.from('PK\x03\x04', 'latin1'))} 字节），已拒绝`);
  }
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.fromBuffer(
        archive,
        // Sizes are checked here, while inflating, with clearer messages than the library's.
        { lazyEntries: true, decodeStrings: false, validateEntrySizes: false, strictFileNames: true },
        (err, z) => (err ? reject(err) : resolve(z)),
      ),
    );
  } catch (err) {
    throw corrupt(`数据包不是有效的 zip 文件，或文件不完整（可能复制时被截断）：${(err as Error).message}`);
  }
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new PackageError('too-large', `数据包中的条目过多（${zip.entryCount} 个，上限 ${limits.maxEntries} 个），已拒绝`);
    }
    // Where the central directory starts (yauzl's cursor before the first record is read).
    const centralStart = (zip as unknown as { readEntryCursor: number }).readEntryCursor;
    // First every central directory record, checked without expanding anything; then the contents.
    const records: { entry: yauzl.Entry; name: string; shown: string }[] = [];
    const seen = new Set<string>();
    let declaredTotal = 0;
    for (;;) {
      let entry: yauzl.Entry | undefined;
      try {
        entry = await nextEntry(zip);
      } catch (err) {
        throw corrupt(`数据包目录已损坏，无法读取：${(err as Error).message}`);
      }
      if (!entry) break;
      if (records.length + 1 > limits.maxEntries) {
        throw new PackageError('too-large', `数据包中的条目过多（上限 ${limits.maxEntries} 个），已拒绝`);
      }
      const rawName = entry.fileName as unknown as Buffer;
      const named = checkEntryName(rawName, (entry.generalPurposeBitFlag & FLAG_UTF8) !== 0);
      if (!named.ok) throw new PackageError('unsafe-entry', named.message);
      const name = named.name;
      const shown = `“${name}”`;
      if (entry.extraFields.some((f) => f.id === UNICODE_PATH_EXTRA)) {
        throw new PackageError('unsafe-entry', `数据包条目${shown}带有另一种写法的文件名（Unicode 路径扩展字段），已拒绝`);
      }
      const folded = name.toLowerCase();
      if (seen.has(folded)) throw new PackageError('entries', `数据包中有重名条目${shown}，已拒绝`);
      seen.add(folded);

      if ((entry.generalPurposeBitFlag & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) !== 0) {
        throw new PackageError('unsafe-entry', `数据包条目${shown}已加密，上报数据包不应加密，已拒绝`);
      }
      const madeBy = entry.versionMadeBy >> 8;
      const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
      if (madeBy === MADE_BY_UNIX && mode !== 0 && mode !== S_IFREG) {
        const what = mode === S_IFLNK ? '是符号链接' : '不是普通文件';
        throw new PackageError('unsafe-entry', `数据包条目${shown}${what}，已拒绝`);
      }
      if ((entry.externalFileAttributes & DOS_DIRECTORY) !== 0) {
        throw new PackageError('unsafe-entry', `数据包条目${shown}标记为目录，已拒绝`);
      }
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        throw new PackageError('unsafe-entry', `数据包条目${shown}使用了不支持的压缩方式（${entry.compressionMethod}），已拒绝`);
      }
      if (entry.compressionMethod === 0 && entry.compressedSize !== entry.uncompressedSize) {
        throw corrupt(`数据包条目${shown}未压缩，但记录的压缩前后大小不同（${entry.compressedSize} 与 ${entry.uncompressedSize} 字节），文件头不可信：数据包已损坏或被改动，已拒绝`);
      }
      if (entry.uncompressedSize > limits.maxEntryBytes) {
        throw new PackageError(
          'too-large',
          `数据包条目${shown}展开后过大（声明 ${entry.uncompressedSize} 字节，上限 ${limits.maxEntryBytes} 字节），已拒绝`,
        );
      }
      declaredTotal += entry.uncompressedSize;
      if (declaredTotal > limits.maxTotalBytes) {
        throw new PackageError('too-large', `数据包展开后总大小超过上限（${limits.maxTotalBytes} 字节），已拒绝`);
      }
      records.push({ entry, name, shown });
    }

    const out: ZipEntryData[] = [];
    let actualTotal = 0;
    const spans: { start: number; end: number }[] = [];
    for (const { entry, name, shown } of records) {
      const rawName = entry.fileName as unknown as Buffer;
      let local: yauzl.LocalFileHeader;
      try {
        local = await new Promise<yauzl.LocalFileHeader>((resolve, reject) =>
          zip.readLocalFileHeader(entry, {}, (err, header) => (err ? reject(err) : resolve(header))),
        );
      } catch (err) {
        throw corrupt(`数据包条目${shown}的文件头已损坏：${(err as Error).message}`);
      }
      if (!Buffer.from(local.fileName).equals(rawName)) {
        throw corrupt(`数据包条目${shown}的目录记录与文件头中的名称不一致：数据包已损坏或被改动，已拒绝`);
      }
      if ((local.generalPurposeBitFlag & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) !== 0) {
        throw new PackageError('unsafe-entry', `数据包条目${shown}已加密，上报数据包不应加密，已拒绝`);
      }
      if (local.compressionMethod !== entry.compressionMethod) {
        throw corrupt(`数据包条目${shown}的目录记录与文件头中的压缩方式不一致：数据包已损坏或被改动，已拒绝`);
      }

      spans.push({ start: entry.relativeOffsetOfLocalHeader, end: entryEnd(archive, local.fileDataStart + entry.compressedSize, local.generalPurposeBitFlag) });
      const bytes = await readEntryBytes(zip, entry, shown, limits, limits.maxTotalBytes - actualTotal);
      actualTotal += bytes.length;
      if ((crc32(bytes) >>> 0) !== (entry.crc32 >>> 0)) {
        throw corrupt(`数据包条目${shown}的 CRC 校验不符，文件已损坏或被改动`);
      }
      out.push({ name, bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
    refuseUnlisted(spans, centralStart);
    return out;
  } finally {
    try {
      zip.close();
    } catch {
      // already closed after an error
    }
  }
}

/** Where an entry ends: after its data, and after its data descriptor when its flags say it has one. */
function entryEnd(archive: Buffer, dataEnd: number, flags: number): number {
  if ((flags & FLAG_DATA_DESCRIPTOR) === 0) return dataEnd;
  const signed = dataEnd + 4 <= archive.length && archive.readUInt32LE(dataEnd) === DATA_DESCRIPTOR_SIGNATURE;
  return dataEnd + (signed ? 16 : 12);
}

/**
 * The entries the central directory lists must fill the archive up to the directory, one after another:
 * a gap is content no record points at (a hidden local entry another zip reader may show), refused.
 */
function refuseUnlisted(spans: { start: number; end: number }[], centralStart: number): void {
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < at) throw corrupt(`数据包中的条目在第 ${s.start} 字节处相互重叠：数据包已损坏或被改动，已拒绝`);
    if (s.start > at) break;
    at = s.end;
  }
  if (at !== centralStart) {
    throw corrupt(`数据包第 ${at} 字节起有目录中未列出的内容（到第 ${centralStart} 字节的目录为止），可能藏有目录外的条目：数据包已损坏或被改动，已拒绝`);
  }
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const onEntry = (e: yauzl.Entry) => {
      cleanup();
      resolve(e);
    };
    const onEnd = () => {
      cleanup();
      resolve(undefined);
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

/** Inflates one entry, counting bytes: stops at the first byte past the declared size or any cap. */
async function readEntryBytes(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  shown: string,
  limits: ZipLimits,
  totalRoom: number,
): Promise<Buffer> {
  const declared = entry.uncompressedSize;
  const cap = Math.min(declared, limits.maxEntryBytes, totalRoom);
  let stream: NodeJS.ReadableStream & { destroy(err?: Error): void };
  try {
    stream = await new Promise<typeof stream>((resolve, reject) =>
      zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s as unknown as typeof stream))),
    );
  } catch (err) {
    throw corrupt(`无法读取数据包条目${shown}：${(err as Error).message}`);
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let count = 0;
    let done = false;
    const fail = (err: PackageError) => {
      if (done) return;
      done = true;
      stream.destroy();
      reject(err);
    };
    stream.on('data', (chunk: Buffer) => {
      count += chunk.length;
      if (count > cap) {
        if (count > declared) {
          fail(corrupt(`数据包条目${shown}实际内容超过文件头声明的大小（声明 ${declared} 字节），文件头不可信：数据包已损坏或被改动，已拒绝`));
        } else {
          fail(new PackageError('too-large', `数据包展开后总大小超过上限（${limits.maxTotalBytes} 字节），已拒绝`));
        }
        return;
      }
      chunks.push(chunk);
    });
    stream.on('error', (err: Error) => {
      fail(corrupt(`数据包条目${shown}已损坏，无法解压：${err.message}`));
    });
    stream.on('end', () => {
      if (done) return;
      if (count !== declared) {
        fail(corrupt(`数据包条目${shown}的实际大小（${count} 字节）与声明的大小（${declared} 字节）不符，文件已损坏或被截断`));
        return;
      }
      done = true;
      resolve(Buffer.concat(chunks, count));
    });
  });
}
