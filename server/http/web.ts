// Serves the web client from client/dist when it has been built, else the landing page.
import { Hono } from 'hono';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { LANDING_CSS, landingPage } from './landing.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.baton': 'application/octet-stream',
};

export function webRoutes(webRoot: string): Hono {
  const web = new Hono();
  const root = normalize(webRoot.endsWith(sep) ? webRoot : webRoot + sep);

  web.get('/relay.css', (c) => c.body(LANDING_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }));

  web.get('*', async (c) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(c.req.url).pathname);
    } catch {
      return c.text('not found', 404);
    }
    if (path.includes('\0')) return c.text('not found', 404);
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(root, path));
    if (!file.startsWith(root)) return c.text('not found', 404);
    const bytes = await readIfFile(file);
    if (bytes) {
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': extname(file) === '.html' ? 'no-cache' : 'public, max-age=300',
      });
    }
    if (c.req.path === '/') return c.html(landingPage());
    return c.text('not found', 404);
  });

  return web;
}

async function readIfFile(file: string): Promise<Uint8Array | null> {
  try {
    if (!(await stat(file)).isFile()) return null;
    return new Uint8Array(await readFile(file));
  } catch {
    return null;
  }
}
