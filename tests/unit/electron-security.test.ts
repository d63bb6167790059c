import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppRequestHandler } from '../../electron/app-protocol.js';
import { pageWithNonce } from '../../server/page.js';
import {
  APP_ENTRY_URL,
  APP_SCHEME_PRIVILEGES,
  installPermissionGuards,
  installSecurityHandlers,
  isTrustedSender,
  resolveAppUrl,
  windowOptions,
} from '../../electron/security.js';

describe('window', () => {
  const options = windowOptions({ preloadPath: '/app/dist-electron/electron/preload.cjs', devTools: false });
  it('isolates and sandboxes the page, without Node', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist-electron/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      devTools: false,
    });
  });
  it('gives app:// no privilege beyond a standard secure origin', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true, bypassCSP: false, corsEnabled: false, allowServiceWorkers: false });
    expect(APP_ENTRY_URL).toBe('app://bundle/index.html');
  });
});

type Handler = (...args: any[]) => unknown;
function fakeContents() {
  const handlers = new Map<string, Handler>();
  let openHandler: Handler | undefined;
  return {
    handlers,
    openHandler: () => openHandler,
    contents: {
      on(event: string, fn: Handler) {
        handlers.set(event, fn);
        return this;
      },
      setWindowOpenHandler(fn: Handler) {
        openHandler = fn;
      },
    },
  };
}
function fakeEvent(url: string) {
  let prevented = false;
  return { url, preventDefault: () => (prevented = true), get prevented() { return prevented; } };
}

describe('navigation, windows, webviews', () => {
  const fake = fakeContents();
  installSecurityHandlers(fake.contents as never);

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])('%s is refused, even to our own origin', (name) => {
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://bundle/index.html', 'javascript:alert(1)']) {
      const event = fakeEvent(url);
      fake.handlers.get(name)!(event, url);
      expect(event.prevented).toBe(true);
    }
  });
  it('refuses to attach a webview', () => {
    const event = fakeEvent('');
    fake.handlers.get('will-attach-webview')!(event, {}, {});
    expect(event.prevented).toBe(true);
  });
  it('denies every new window', () => {
    expect(fake.openHandler()!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(fake.openHandler()!({ url: 'app://bundle/index.html' })).toEqual({ action: 'deny' });
  });
});

describe('permissions', () => {
  const handlers: Record<string, Handler> = {};
  installPermissionGuards({
    setPermissionRequestHandler: (fn: Handler) => (handlers.request = fn),
    setPermissionCheckHandler: (fn: Handler) => (handlers.check = fn),
    setDevicePermissionHandler: (fn: Handler) => (handlers.device = fn),
  } as never);

  it('refuses every permission request', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem', 'display-capture']) {
      let granted: boolean | undefined;
      handlers.request!({}, permission, (g: boolean) => (granted = g), { requestingUrl: 'app://bundle/index.html', isMainFrame: true });
      expect(granted, permission).toBe(false);
      expect(handlers.check!({}, permission, 'app://bundle', {}), permission).toBe(false);
    }
    expect(handlers.device!({ deviceType: 'usb', origin: 'app://bundle' })).toBe(false);
  });
  it('lets only our page write plain text to the clipboard', () => {
    let granted: boolean | undefined;
    handlers.request!({}, 'clipboard-sanitized-write', (g: boolean) => (granted = g), { requestingUrl: 'app://bundle/index.html' });
    expect(granted).toBe(true);
    handlers.request!({}, 'clipboard-sanitized-write', (g: boolean) => (granted = g), { requestingUrl: 'https://evil.example/' });
    expect(granted).toBe(false);
    expect(handlers.check!({}, 'clipboard-sanitized-write', 'app://bundle', {})).toBe(true);
    expect(handlers.check!({}, 'clipboard-sanitized-write', 'http://127.0.0.1:5173', {})).toBe(false);
  });
});

describe('IPC sender', () => {
  it('trusts only frames showing app://bundle', () => {
    expect(isTrustedSender('app://bundle/index.html')).toBe(true);
    expect(isTrustedSender('app://bundle/')).toBe(true);
    for (const url of [
      'app://other/index.html',
      'app://bundle.evil/index.html',
      'app://bundle:8080/index.html',
      'app://user@bundle/index.html',
      'https://bundle/index.html',
      'file:///app/dist/renderer/index.html',
      'http://127.0.0.1/',
      'about:blank',
      '',
      null,
      undefined,
    ]) {
      expect(isTrustedSender(url), String(url)).toBe(false);
    }
  });
});

describe('app:// files', () => {
  const root = '/srv/app/dist/renderer';
  it('maps the bundle to files inside the renderer folder', () => {
    expect(resolveAppUrl('app://bundle/', root)).toBe('/srv/app/dist/renderer/index.html');
    expect(resolveAppUrl('app://bundle/index.html', root)).toBe('/srv/app/dist/renderer/index.html');
    expect(resolveAppUrl('app://bundle/assets/index-abc.js', root)).toBe('/srv/app/dist/renderer/assets/index-abc.js');
    expect(resolveAppUrl('app://bundle/assets/%E9%A2%84%E7%AE%97.css', root)).toBe('/srv/app/dist/renderer/assets/预算.css');
  });
  // The URL parser folds ../ and %2e%2e/ away (Chromium does the same before the handler sees the URL): such
  // requests land inside the folder. Everything that would still leave it after decoding is refused.
  it.each([
    ['app://bundle/../../../etc/passwd', '/srv/app/dist/renderer/etc/passwd'],
    ['app://bundle/%2e%2e/%2e%2e/etc/passwd', '/srv/app/dist/renderer/etc/passwd'],
    ['app://bundle/assets/..%2f..%2f..%2fetc%2fpasswd', null],
    ['app://bundle/assets/%2E%2E%2F%2E%2E%2Fsecret', null],
    ['app://bundle/..%5c..%5cwindows%5cwin.ini', null],
    ['app://bundle/assets%5c..%5c..%5csecret', null],
    ['app://bundle/index.html%00.js', null],
    ['app://bundle/%E0%A4%A', null],
    ['app://bundle/.env', null],
    ['app://other/index.html', null],
    ['app://bundle:1234/index.html', null],
    ['file:///etc/passwd', null],
    ['https://bundle/index.html', null],
    ['not a url', null],
  ])('keeps %s inside the folder', (url, expected) => {
    const file = resolveAppUrl(url, root);
    expect(file).toBe(expected);
    if (file !== null) expect(file.startsWith(root + '/')).toBe(true);
  });
});

describe('app:// protocol handler', () => {
  const base = mkdtempSync(join(tmpdir(), 'app-protocol-'));
  const root = join(base, 'dist', 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><html><head><title>t</title><style>p{}</style></head><body></body></html>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(base, 'secret.txt'), 'secret');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const handle = createAppRequestHandler({ root, nonce: () => 'NONCE123' });

  it('serves the page with its nonce and a strict CSP', async () => {
    const res = await handle(new Request('app://bundle/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'nonce-NONCE123'");
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    const html = await res.text();
    expect(html).toContain('<meta name="csp-nonce" content="NONCE123" />');
    expect(html).toContain('<style nonce="NONCE123">');
  });
  it('serves assets with their type', async () => {
    const res = await handle(new Request('app://bundle/assets/app.js'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await res.text()).toBe('console.log(1)');
  });
  it('refuses traversal, other hosts, missing files, links out of the folder and other methods', async () => {
    for (const url of ['app://bundle/%2e%2e/%2e%2e/secret.txt', 'app://bundle/assets/..%2f..%2f..%2fsecret.txt', 'app://other/index.html', 'app://bundle/missing.js', 'app://bundle/assets/link.txt', 'app://bundle/assets']) {
      const res = await handle(new Request(url));
      expect(res.status, url).toBe(404);
      expect(await res.text()).not.toContain('secret');
    }
    expect((await handle(new Request('app://bundle/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
  it('inserts the nonce only where the page has a head and styles', () => {
    expect(pageWithNonce('<html><head></head><body><style>a{}</style><style media="x"></style></body></html>', 'N')).toBe(
      '<html><head>\n    <meta name="csp-nonce" content="N" /></head><body><style nonce="N">a{}</style><style nonce="N" media="x"></style></body></html>',
    );
  });
});
