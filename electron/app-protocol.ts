// Serves the built renderer under app://bundle/ (registered with protocol.handle). Only files inside the
// renderer folder are served, checked on the resolved real path too, so a symbolic link cannot lead out.
// The page gets the same CSP as in the browser host: scripts from the bundle only, styles from the bundle or
// carrying this page's nonce (AG Grid injects its theme with styleNonce): server/page.ts, shared by both hosts.
import { readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, extname, resolve, sep } from 'node:path';
import { contentSecurityPolicy, MIME, newNonce, pageWithNonce } from '../server/page.js';
import { resolveAppUrl } from './security.js';

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}

function isInside(root: string, file: string): boolean {
  return file.startsWith(root.endsWith(sep) ? root : root + sep);
}

export interface AppProtocolOptions {
  /** The built renderer folder (dist/renderer). */
  root: string;
  /** Per-page nonce source (tests fix it). */
  nonce?: () => string;
}

export function createAppRequestHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const root = resolve(options.root);
  const nonce = options.nonce ?? newNonce;
  let realRoot: string | undefined;
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, '不支持的请求方法');
    const file = resolveAppUrl(request.url, root);
    if (!file) return plain(404, '未找到');
    let body: Buffer;
    try {
      realRoot ??= await realpath(root);
      const realFile = await realpath(file);
      if (!isInside(realRoot, realFile) || !(await stat(realFile)).isFile()) return plain(404, '未找到');
      body = await readFile(realFile);
    } catch {
      return plain(404, '未找到');
    }
    const pageNonce = nonce();
    const isPage = basename(file) === 'index.html' && dirname(file) === root;
    if (isPage) body = Buffer.from(pageWithNonce(body.toString('utf8'), pageNonce), 'utf8');
    const headers = {
      'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Security-Policy': contentSecurityPolicy(pageNonce),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': isPage ? 'no-store' : 'no-cache',
    };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}
