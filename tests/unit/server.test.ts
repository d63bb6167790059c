// The browser host's guards, against a real listening server: the secret, the loopback binding, the Host
// check, and static files that cannot escape the built UI's folder.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiService } from '../../api/contract.js';
import { resolveStaticPath, startBrowserHost, TOKEN_HEADER, type BrowserHost } from '../../server/host.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  host: string,
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

let host: BrowserHost;
let token: string;
let base: string;
let dist: string;
const calls: unknown[] = [];
const logLines: string[] = [];

const fakeService = {
  'budget.info': async () => {
    calls.push('info');
    return { open: false };
  },
  'lines.update': async (input: unknown) => {
    calls.push(input);
    return { ok: true };
  },
} as unknown as ApiService;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'host-dist-'));
  dist = join(base, 'renderer');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><html><head><title>t</title></head><body>ui</body></html>');
  writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dist, '..', 'secret-outside.txt'), 'outside');
  host = await startBrowserHost({ service: fakeService, distDir: dist, log: (l) => logLines.push(l) });
  token = new URL(host.url).hash.replace('#token=', '');
});

afterAll(async () => {
  await host.close();
  rmSync(base, { recursive: true, force: true });
});

const api = (method: string, body: unknown, headers: Record<string, string> = {}) =>
  send('127.0.0.1', host.port, `/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', host: `127.0.0.1:${host.port}`, ...headers },
    body: JSON.stringify(body),
  });

describe('browser host', () => {
  it('listens on 127.0.0.1 only and puts the secret in the URL fragment', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{40,}$/);
    expect(token.length).toBeGreaterThanOrEqual(40);
  });

  it('is not reachable on a non-loopback address', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return; // a machine with loopback only has nothing else to try
    await expect(send(external.address, host.port, '/')).rejects.toThrow();
  });

  it('refuses API calls without the secret or with a wrong one (403) and does not run them', async () => {
    calls.length = 0;
    const missing = await api('budget.info', {});
    expect(missing.status).toBe(403);
    expect(JSON.parse(missing.body).error.message).toContain('密钥');
    const wrong = await api('budget.info', {}, { [TOKEN_HEADER]: token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A') });
    expect(wrong.status).toBe(403);
    const asQuery = await send('127.0.0.1', host.port, `/api/budget.info?token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(asQuery.status).toBe(403);
    expect(calls).toEqual([]);
  });

  it('runs a call with the right secret, validating the input', async () => {
    calls.length = 0;
    const ok = await api('lines.update', { id: 1, field: 'amount', value: '1,234.5' }, { [TOKEN_HEADER]: token });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ result: { ok: true } });
    const bad = await api('lines.update', { id: 'x', field: 'amount', value: 1 }, { [TOKEN_HEADER]: token });
    expect(JSON.parse(bad.body).error.issues.length).toBeGreaterThan(0);
    const unknown = await api('fs.readFile', {}, { [TOKEN_HEADER]: token });
    expect(JSON.parse(unknown.body).error.message).toContain('未知的接口方法');
    expect(calls).toEqual([{ id: 1, field: 'amount', value: '1,234.5' }]);
  });

  it('refuses a foreign Origin and a foreign Host even with the secret, and sends no CORS headers', async () => {
    const foreign = await api('budget.info', {}, { [TOKEN_HEADER]: token, origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const rebound = await api('budget.info', {}, { [TOKEN_HEADER]: token, host: `evil.example:${host.port}` });
    expect(rebound.status).toBe(403);
  });

  it('never writes the secret to its log', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(token);
  });

  it('serves the UI with a strict CSP and a per-page style nonce', async () => {
    const a = await send('127.0.0.1', host.port, '/', { headers: { host: `127.0.0.1:${host.port}` } });
    const b = await send('127.0.0.1', host.port, '/', { headers: { host: `127.0.0.1:${host.port}` } });
    expect(a.status).toBe(200);
    const csp = String(a.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self'");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(a.body).toContain(`<meta name="csp-nonce" content="${nonce}"`);
    expect(b.headers['content-security-policy']).not.toBe(csp);
    const js = await send('127.0.0.1', host.port, '/assets/app.js', { headers: { host: `127.0.0.1:${host.port}` } });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toContain('javascript');
  });

  it('refuses path traversal out of the UI folder', async () => {
    for (const path of ['/../secret-outside.txt', '/%2e%2e/secret-outside.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret-outside.txt', '/..%5csecret-outside.txt']) {
      const r = await send('127.0.0.1', host.port, path, { headers: { host: `127.0.0.1:${host.port}` } });
      expect(r.status, path).toBeGreaterThanOrEqual(400);
      expect(r.body).not.toContain('outside');
    }
    expect(resolveStaticPath('/srv/ui', '/../etc/passwd')).toBeNull();
    expect(resolveStaticPath('/srv/ui', '/%2e%2e/etc/passwd')).toBeNull();
    expect(resolveStaticPath('/srv/ui', '/a/%00b')).toBeNull();
    expect(resolveStaticPath('/srv/ui', '/assets/x.js')).toBe('/srv/ui/assets/x.js');
  });
});
