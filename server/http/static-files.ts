// Which file of the built web client answers a request, in which encoding, cached how.
// The build writes `name.br` and `name.gz` beside each compressible file (scripts/precompress.js);
// names with a content hash (Vite's assets/) never change and are cached for a year, while
// everything else (index.html, the service worker) is revalidated on every use.
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

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
  '.map': 'application/json',
  '.baton': 'application/octet-stream',
};

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/** Vite's hashed output: assets/<name>-<8 characters of base64url hash>.<ext>. */
const HASHED = /^assets\/[^/]+-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/;

/** Encodings in the order the relay prefers them, with the suffix of their precompressed file. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

export interface StaticFile {
  /** The file to send (the original or a precompressed variant). */
  path: string;
  size: number;
  /** Content-Encoding, when a precompressed variant is sent. */
  encoding: 'br' | 'gzip' | null;
  headers: Record<string, string>;
}

/** Content codings the request accepts (q > 0), from its Accept-Encoding header. */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  if (!header) return accepted;
  for (const part of header.split(',').slice(0, 32)) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    if (name === '*') ENCODINGS.forEach((e) => accepted.add(e.name));
    else accepted.add(name);
  }
  return accepted;
}

/**
 * The file under `root` for a decoded URL path, or null when there is none (or the path
 * leaves the root). `acceptEncoding` picks a precompressed variant when one exists.
 */
export async function findStaticFile(root: string, urlPath: string, acceptEncoding: string | undefined): Promise<StaticFile | null> {
  if (urlPath.includes('\0')) return null;
  const rootDir = normalize(root.endsWith(sep) ? root : root + sep);
  const relative = (urlPath.endsWith('/') ? urlPath + 'index.html' : urlPath).replace(/^\/+/, '');
  const file = normalize(join(rootDir, relative));
  if (!file.startsWith(rootDir)) return null;
  const original = await fileSize(file);
  if (original === null) return null;
  const ext = extname(file);
  const headers: Record<string, string> = {
    'Content-Type': TYPES[ext] ?? 'application/octet-stream',
    'Cache-Control': HASHED.test(file.slice(rootDir.length).split(sep).join('/')) ? IMMUTABLE : REVALIDATE,
  };
  const accepted = acceptedEncodings(acceptEncoding);
  let chosen: StaticFile = { path: file, size: original, encoding: null, headers };
  let variants = false;
  for (const { name, suffix } of ENCODINGS) {
    const size = await fileSize(file + suffix);
    if (size === null) continue;
    variants = true;
    if (chosen.encoding === null && accepted.has(name)) chosen = { path: file + suffix, size, encoding: name, headers };
  }
  // The answer depends on Accept-Encoding wherever a compressed variant exists.
  if (variants) headers.Vary = 'Accept-Encoding';
  if (chosen.encoding) headers['Content-Encoding'] = chosen.encoding;
  return chosen;
}

async function fileSize(path: string): Promise<number | null> {
  try {
    const st = await stat(path);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}
