import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DASHBOARD_CSP } from '../../core/dashboard-csp.js';
import { findDashboardRoot } from './dashboard-files.js';
import { startHttpApi } from './server.js';

/** The gateway with a small dashboard folder and an API answering 200. */
async function gatewayWithDashboard() {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-dashboard-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const root = join(dir, 'site');
  const outside = join(dir, 'secret.js');
  writeFileSync(outside, 'the key\n');
  mkdirSync(root);
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(root, 'app.js'), 'export {};\n');
  writeFileSync(join(root, 'notes.ts'), 'const x = 1;\n');
  symlinkSync(outside, join(root, 'leak.js'));

  const api = await startHttpApi({
    handler: async () => ({ statusCode: 200, body: '{"devices":[]}' }),
    port: 0,
    dashboardRoot: root,
  });
  onTestFinished(() => api.close());
  return api;
}

/** A raw request: fetch would normalise `..` and encoded dots away. */
function rawGet(port: number, path: string, method = 'GET') {
  return new Promise<{
    status: number;
    headers: Record<string, unknown>;
    body: string;
  }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the dashboard files beside the API', () => {
  it('serves the page with its type and the security headers', async () => {
    const api = await gatewayWithDashboard();

    const page = await rawGet(api.port, '/dashboard/');
    const script = await rawGet(api.port, '/dashboard/app.js?v=1');

    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.body).toBe('<!doctype html><title>t</title>');
    expect(script.headers['content-type']).toBe(
      'text/javascript; charset=utf-8',
    );
    expect(script.body).toBe('export {};\n');
  });

  it('redirects / to the dashboard and leaves API paths to the API', async () => {
    const api = await gatewayWithDashboard();

    const root = await rawGet(api.port, '/');
    const devices = await rawGet(api.port, '/devices');

    expect(root.status).toBe(308);
    expect(root.headers.location).toBe('/dashboard/');
    expect(devices.status).toBe(200);
    expect(devices.body).toBe('{"devices":[]}');
  });

  it.each([
    ['/dashboard/../package.json', 400],
    ['/dashboard/%2e%2e/secret.js', 400],
    ['/dashboard/js/%2e%2e/%2e%2e/secret.js', 400],
    ['/dashboard/..%2fsecret.js', 400],
    ['/dashboard/..%5csecret.js', 400],
    ['/dashboard/app.js%00.html', 400],
    ['/dashboard/%E0%A4%A', 400],
    ['/dashboard//etc/passwd', 400],
    ['/dashboard/leak.js', 404],
    ['/dashboard/notes.ts', 404],
    ['/dashboard/missing.js', 404],
  ])('refuses %s with %i', async (path, status) => {
    const api = await gatewayWithDashboard();

    const response = await rawGet(api.port, path);

    expect(response.status).toBe(status);
    expect(response.body).not.toContain('the key');
  });

  it('answers HEAD without a body and refuses POST', async () => {
    const api = await gatewayWithDashboard();

    const head = await rawGet(api.port, '/dashboard/app.js', 'HEAD');
    const post = await rawGet(api.port, '/dashboard/app.js', 'POST');

    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('11');
    expect(head.body).toBe('');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it("finds the checkout's dashboard", () => {
    expect(findDashboardRoot()).toMatch(/dashboard[/\\]site$/);
  });
});
