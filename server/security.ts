// Security headers on every response, a strict CSP for the web client, and open CORS on
// the API (no credentials exist, so any origin, even a file:// page, may sync).
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { NEWER_EPOCH_HEADER } from '#shared';

/**
 * The served web client: its own scripts and styles only, but it may reach any relay. A page
 * with an inline script (index.html's boot script) names it by hash (http/inline-scripts.ts).
 */
export const webCsp = (scriptHashes: readonly string[] = []): string =>
  [
    "default-src 'self'",
    // libsodium compiles its WebAssembly at start; 'wasm-unsafe-eval' allows that and no JS eval.
    ['script-src', "'self'", "'wasm-unsafe-eval'", ...scriptHashes].join(' '),
    "style-src 'self'",
    // blob: for pictures this page decrypted itself (attachments and their thumbnails).
    "img-src 'self' data: blob:",
    "connect-src 'self' ws: wss: http: https:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

export const WEB_CSP = webCsp();

/** Everything else (JSON, bytes) loads nothing at all. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('Referrer-Policy', 'no-referrer');
    h.set('X-Frame-Options', 'DENY');
    h.set('Cross-Origin-Opener-Policy', 'same-origin');
    const type = h.get('Content-Type') ?? '';
    // A worker script (the web client's service worker) runs under its own response's CSP.
    const page = type.startsWith('text/html') || type.startsWith('text/javascript');
    // A page that named its inline scripts (http/web.ts) keeps that policy.
    if (!(page && h.has('Content-Security-Policy'))) h.set('Content-Security-Policy', page ? WEB_CSP : API_CSP);
  };
}

export function apiCors(): MiddlewareHandler {
  return cors({
    origin: '*',
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Content-Type'],
    exposeHeaders: ['Content-Length', NEWER_EPOCH_HEADER],
    maxAge: 86400,
    credentials: false,
  });
}
