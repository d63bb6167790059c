// Building a zip in memory (yazl): the package is a few MB, and a buffer can be hashed and written in one go.
import yazl from 'yazl';

export interface ZipInput {
  name: string;
  bytes: Buffer;
  /** Deflate (text, PDF) or store (already-compressed .xlsx). */
  compress: boolean;
}

export function buildZip(files: readonly ZipInput[], mtime: Date): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const f of files) zip.addBuffer(f.bytes, f.name, { mtime, mode: 0o100644, compress: f.compress });
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
    zip.end();
  });
}
