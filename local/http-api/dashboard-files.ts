import { existsSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DASHBOARD_CSP } from '../../core/dashboard-csp.js';

/** Where the local stack serves the dashboard; `/` redirects there. */
export const DASHBOARD_PATH = '/dashboard/';

/** The files the dashboard is made of; anything else is not served. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const SECURITY_HEADERS = {
  'content-security-policy': DASHBOARD_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  // The files change with the checkout; the browser asks each time.
  'cache-control': 'no-cache',
};

/**
 * The dashboard's static files, found from this module upwards: two
 * folders up in the sources, one up from the bundled command (dist/).
 */
export function findDashboardRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++) {
    const candidate = join(dir, 'dashboard', 'site');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

/**
 * Answers the dashboard's requests and returns true, or returns false for
 * any other path (the API's). GET and HEAD only; a path that is not plain
 * (encoded slashes or dots, `..`, NUL, backslashes) is refused with 400,
 * and a file that resolves outside the root (a symbolic link) with 404.
 */
export function createDashboardFiles(root: string) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/' || path === '/dashboard') {
      send(res, 308, { location: DASHBOARD_PATH }, '');
      return true;
    }
    if (!path.startsWith(DASHBOARD_PATH)) return false;

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { allow: 'GET, HEAD' }, 'method not allowed\n');
      return true;
    }
    const relative = plainRelativePath(path.slice(DASHBOARD_PATH.length));
    if (relative === undefined) {
      send(res, 400, {}, 'bad path\n');
      return true;
    }
    const file = await readInside(root, relative || 'index.html');
    if (!file) {
      send(res, 404, {}, 'not found\n');
      return true;
    }
    send(res, 200, { 'content-type': file.type }, file.body, req.method);
    return true;
  };
}

/**
 * The decoded path below the dashboard, or undefined when it tries to
 * leave it or hides a separator: each segment must be a plain name.
 */
function plainRelativePath(encoded: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
  if (/[\\\0]/.test(decoded)) return undefined;
  const segments = decoded.split('/');
  const plain = segments.every(
    (s, i) =>
      s !== '.' && s !== '..' && (s !== '' || i === segments.length - 1),
  );
  return plain ? segments.join('/') : undefined;
}

async function readInside(root: string, relative: string) {
  const type = CONTENT_TYPES[extname(relative)];
  if (!type) return undefined;
  try {
    const realRoot = await realpath(root);
    const real = await realpath(join(realRoot, relative));
    if (!real.startsWith(realRoot + sep)) return undefined;
    if (!(await stat(real)).isFile()) return undefined;
    return { type, body: await readFile(real) };
  } catch {
    return undefined;
  }
}

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer,
  method = 'GET',
) {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    ...SECURITY_HEADERS,
    ...headers,
    'content-length': String(bytes.length),
  });
  res.end(method === 'HEAD' ? undefined : bytes);
}

/**
 * The request handler for a server option: a folder serves it, `false`
 * serves nothing, undefined serves the checkout's dashboard when found.
 */
export function dashboardHandler(root: string | false | undefined) {
  const folder = root === undefined ? findDashboardRoot() : root;
  if (!folder) return async () => false;
  return createDashboardFiles(folder);
}
