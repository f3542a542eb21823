// The hashes of a page's inline scripts, for its Content-Security-Policy. The web client's
// index.html carries one (client/web/l10n/boot.ts: the loading screen in the reader's
// language before any file has arrived); the CSP allows exactly its text and no other inline
// script. Only the relay's own built files are read here, never anything a client sent.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';

/** `'sha256-…'` for each `<script>` without attributes (a classic inline script), in order. */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`);
}

const cache = new Map<string, { mtimeMs: number; size: number; hashes: string[] }>();

/** The hashes for an HTML file, read again only when it changes (a rebuild while the relay runs). */
export async function fileScriptHashes(path: string): Promise<string[]> {
  const { mtimeMs, size } = await stat(path);
  const known = cache.get(path);
  if (known && known.mtimeMs === mtimeMs && known.size === size) return known.hashes;
  const hashes = inlineScriptHashes(await readFile(path, 'utf8'));
  cache.set(path, { mtimeMs, size, hashes });
  return hashes;
}
