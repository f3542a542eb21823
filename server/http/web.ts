// Serves the web client from client/dist when it has been built, else the landing page.
import { Hono } from 'hono';
import { readFile } from 'node:fs/promises';
import { webCsp } from '../security.ts';
import { fileScriptHashes } from './inline-scripts.ts';
import { LANDING_CSS, landingPage } from './landing.ts';
import { pageLanguage } from './page-language.ts';
import { findStaticFile } from './static-files.ts';

export function webRoutes(webRoot: string): Hono {
  const web = new Hono();

  web.get('/relay.css', (c) => c.body(LANDING_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' }));

  web.get('*', async (c) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(c.req.url).pathname);
    } catch {
      return c.text('not found', 404);
    }
    const found = await findStaticFile(webRoot, path, c.req.header('accept-encoding'));
    const bytes = found && (await readIfPresent(found.path));
    if (found && bytes) {
      if (!found.headers['Content-Type']?.startsWith('text/html')) return c.body(bytes as Uint8Array<ArrayBuffer>, 200, found.headers);
      // A page's CSP names its inline scripts, hashed from the uncompressed file it was sent from.
      const hashes = await fileScriptHashes(found.path.replace(/\.(br|gz)$/, ''));
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { ...found.headers, 'Content-Security-Policy': webCsp(hashes) });
    }
    if (c.req.path === '/') {
      const locale = pageLanguage(c.req.query('lang'), c.req.header('accept-language'));
      return c.html(landingPage(locale), 200, { 'Cache-Control': 'no-cache', 'Content-Language': locale, Vary: 'Accept-Language' });
    }
    return c.text('not found', 404);
  });

  return web;
}

async function readIfPresent(file: string): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readFile(file));
  } catch {
    return null;
  }
}
