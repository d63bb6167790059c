// The browser host: serves the built UI and the API on 127.0.0.1 only, for machines without Electron.
// Any local page or process could reach a loopback port, so every API call must carry the per-start secret
// (header, never a cookie or query string: nothing sends it automatically and it never lands in a log).
// CORS is not enabled and the Host header is checked, so a foreign page (or a DNS-rebound name) gets nothing.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { dispatch } from '../api/dispatch.js';
import type { ApiService } from '../api/contract.js';
import { contentSecurityPolicy, MIME, newNonce, pageWithNonce } from './page.js';

export const TOKEN_HEADER = 'x-budget-token';
const LOOPBACK = '127.0.0.1';
/** Exchange files of large budgets are a few MB; leave ample room but bound memory. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export const DEFAULT_DIST_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'renderer');

export interface BrowserHostOptions {
  /** Budget file opened at start (created empty when missing). */
  dbPath?: string;
  /** 0 or absent: a random free port. */
  port?: number;
  /** The built renderer (vite build output). */
  distDir?: string;
  /** Folder for budgets created from the UI without a path. */
  budgetsDir?: string;
  /** A ready service (tests); otherwise one is created over dbPath. */
  service?: ApiService & { close?: () => void };
  /** Receives one line per request (method, path, status); never the secret. */
  log?: (line: string) => void;
}

export interface BrowserHost {
  /** Includes the secret in the fragment: http://127.0.0.1:PORT/#token=… */
  url: string;
  origin: string;
  port: number;
  close(): Promise<void>;
}

// The page and its CSP are the same in both hosts (server/page.ts); re-exported for callers of this module.
export { MIME, contentSecurityPolicy } from './page.js';

function baseHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function tokenMatches(given: string | string[] | undefined, secret: Buffer): boolean {
  if (typeof given !== 'string') return false;
  const g = Buffer.from(given, 'utf8');
  return g.length === secret.length && timingSafeEqual(g, secret);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('too-large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Maps a URL path to a file inside root, or null when it would leave root (traversal, NUL, backslashes). */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.' || s.startsWith('.'))) return null;
  const full = resolve(root, ...segments);
  const rootWithSep = root.endsWith(sep) ? root : root + sep;
  if (full !== root && !full.startsWith(rootWithSep)) return null;
  return full;
}

export async function startBrowserHost(options: BrowserHostOptions = {}): Promise<BrowserHost> {
  const distDir = resolve(options.distDir ?? DEFAULT_DIST_DIR);
  const log = options.log ?? (() => {});
  let service = options.service;
  const ownsService = !service;
  if (!service) {
    const { createBudgetService } = await import('../api/service.js');
    service = createBudgetService({ dbPath: options.dbPath, budgetsDir: options.budgetsDir });
  }
  const api = service;
  const secretText = randomBytes(32).toString('base64url');
  const secret = Buffer.from(secretText, 'utf8');
  let port = 0;
  // Calls are served one at a time: the service holds one SQLite file and an undo stack.
  let queue: Promise<unknown> = Promise.resolve();

  const allowedHosts = () => new Set([`${LOOPBACK}:${port}`, `localhost:${port}`]);

  async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<number> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, '不支持的请求方法');
      return 405;
    }
    const isIndex = pathname === '/' || pathname === '/index.html';
    const file = isIndex ? join(distDir, 'index.html') : resolveStaticPath(distDir, pathname);
    if (!file) {
      sendText(res, 403, '禁止访问');
      return 403;
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
    } catch {
      if (isIndex) {
        sendText(res, 503, '界面尚未构建：请先运行 vite build');
        return 503;
      }
      sendText(res, 404, '未找到');
      return 404;
    }
    let body = await readFile(file);
    const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
    if (isIndex) {
      const nonce = newNonce();
      body = Buffer.from(pageWithNonce(body.toString('utf8'), nonce), 'utf8');
      res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce));
      res.setHeader('Cache-Control', 'no-store');
    } else {
      res.setHeader('Content-Security-Policy', contentSecurityPolicy(newNonce()));
      res.setHeader('Cache-Control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    }
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
    return 200;
  }

  async function serveApi(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<number> {
    if (!tokenMatches(req.headers[TOKEN_HEADER], secret)) {
      sendJson(res, 403, { error: { message: '拒绝访问：缺少或错误的访问密钥' } });
      return 403;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${LOOPBACK}:${port}` && origin !== `http://localhost:${port}`) {
      sendJson(res, 403, { error: { message: '拒绝访问：来源不被允许' } });
      return 403;
    }
    if (req.method !== 'POST') {
      sendJson(res, 405, { error: { message: '接口只接受 POST 请求' } });
      return 405;
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      sendJson(res, 415, { error: { message: '请求体必须是 JSON' } });
      return 415;
    }
    let input: unknown;
    try {
      const raw = await readBody(req);
      input = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
    } catch (err) {
      const tooLarge = err instanceof Error && err.message === 'too-large';
      sendJson(res, tooLarge ? 413 : 400, { error: { message: tooLarge ? '请求体过大' : '请求体不是有效的 JSON' } });
      return tooLarge ? 413 : 400;
    }
    const method = pathname.slice('/api/'.length);
    const run = queue.then(() => dispatch(api, method, input));
    queue = run.catch(() => undefined);
    const response = await run;
    sendJson(res, 200, response);
    return 200;
  }

  const server = createServer((req, res) => {
    baseHeaders(res);
    const rawUrl = req.url ?? '/';
    // Only the path is ever logged: the secret travels in a header, but a query string could carry anything.
    const pathname = rawUrl.split('?')[0]!.split('#')[0]!;
    const done = (status: number) => log(`${req.method} ${pathname.slice(0, 200)} ${status}`);
    if (!allowedHosts().has(req.headers.host ?? '')) {
      sendText(res, 403, '禁止访问：主机名不被允许');
      done(403);
      return;
    }
    const handler = pathname.startsWith('/api/') ? serveApi(req, res, pathname) : serveStatic(req, res, pathname);
    handler.then(done, (err: unknown) => {
      log(`${req.method} ${pathname.slice(0, 200)} 500 ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) sendText(res, 500, '服务器内部错误');
      else res.end();
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${LOOPBACK}:${port}`;

  return {
    url: `${origin}/#token=${secretText}`,
    origin,
    port,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections?.();
        server.close(() => {
          if (ownsService) service?.close?.();
          resolveClose();
        });
      }),
  };
}
