// The page as both hosts serve it (the browser host, server/host.ts, and Electron's app:// protocol,
// electron/app-protocol.ts): one strict CSP whose style nonce is new for every page, put where the renderer
// reads it. Kept free of other imports so the desktop host's compiled main process can load it on its own.
import { randomBytes } from 'node:crypto';

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Scripts from the bundle only; styles from the bundle or carrying this page's nonce. */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A fresh nonce for one page (144 random bits). */
export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * The page as served: the nonce in `<meta name="csp-nonce">` (the renderer hands it to AG Grid as styleNonce)
 * and on every `<style>` of the page itself.
 */
export function pageWithNonce(html: string, nonce: string): string {
  return html
    .replace('<head>', `<head>\n    <meta name="csp-nonce" content="${nonce}" />`)
    .replace(/<style(\s|>)/g, `<style nonce="${nonce}"$1`);
}
