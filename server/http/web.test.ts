// The web client's files: precompressed variants chosen by Accept-Encoding, hashed assets
// cached for a year, the index and the service worker revalidated on every use.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { acceptedEncodings } from './static-files.ts';
import { webRoutes } from './web.ts';

const INDEX = `<!doctype html><title>web client</title>${'<!-- padding so compression pays -->'.repeat(20)}`;
const SCRIPT = `export const greeting = ${JSON.stringify('hello '.repeat(200))};`;
let dir: string;
let web: ReturnType<typeof webRoutes>;

/** Writes a file with its .br and .gz variants, as the build does. */
function writeCompressed(path: string, text: string): void {
  writeFileSync(path, text);
  writeFileSync(`${path}.br`, brotliCompressSync(Buffer.from(text)));
  writeFileSync(`${path}.gz`, gzipSync(Buffer.from(text)));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-web-'));
  mkdirSync(join(dir, 'dist/assets'), { recursive: true });
  writeCompressed(join(dir, 'dist/index.html'), INDEX);
  writeCompressed(join(dir, 'dist/sw.js'), SCRIPT);
  writeCompressed(join(dir, 'dist/assets/index-BfdrUen-.js'), SCRIPT);
  writeFileSync(join(dir, 'dist/assets/logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dir, 'secret.txt'), 'outside');
  web = webRoutes(join(dir, 'dist'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = (path: string, acceptEncoding?: string) => web.request(path, acceptEncoding === undefined ? {} : { headers: { 'Accept-Encoding': acceptEncoding } });

async function bodyOf(res: Response): Promise<string> {
  const bytes = Buffer.from(await res.arrayBuffer());
  const encoding = res.headers.get('content-encoding');
  if (encoding === 'br') return brotliDecompressSync(bytes).toString();
  if (encoding === 'gzip') return gunzipSync(bytes).toString();
  assert.equal(encoding, null);
  return bytes.toString();
}

describe('encodings', () => {
  it('sends brotli when accepted, else gzip, else the file itself; always with Vary', async () => {
    const cases: [string | undefined, string | null][] = [
      ['gzip, deflate, br, zstd', 'br'],
      ['br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip;q=0.5', 'gzip'],
      ['BR;Q=1', 'br'],
      ['*', 'br'],
      ['identity', null],
      ['gzip;q=0, br;q=0', null],
      [undefined, null],
    ];
    for (const [accept, expected] of cases) {
      const res = await get('/', accept);
      assert.equal(res.status, 200, String(accept));
      assert.equal(res.headers.get('content-encoding'), expected, String(accept));
      assert.equal(res.headers.get('vary'), 'Accept-Encoding', String(accept));
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(await bodyOf(res), INDEX, String(accept));
    }
  });

  it('a file without compressed variants is sent as it is, without Vary', async () => {
    const res = await get('/assets/logo.svg', 'br, gzip');
    assert.equal(res.headers.get('content-encoding'), null);
    assert.equal(res.headers.get('vary'), null);
    assert.equal(res.headers.get('content-type'), 'image/svg+xml');
  });

  it('reads q-values and ignores what it does not know', () => {
    assert.deepEqual([...acceptedEncodings('gzip;q=0.001, br;q=0.0, zstd')].sort(), ['gzip', 'zstd']);
    assert.deepEqual([...acceptedEncodings('br; q=bogus')], []);
    assert.deepEqual([...acceptedEncodings('')], []);
  });
});

describe('caching', () => {
  it('hashed assets are immutable for a year; the index, the service worker and unhashed files are revalidated', async () => {
    assert.equal((await get('/assets/index-BfdrUen-.js', 'br')).headers.get('cache-control'), 'public, max-age=31536000, immutable');
    for (const path of ['/', '/index.html', '/sw.js', '/assets/logo.svg']) {
      assert.equal((await get(path, 'br')).headers.get('cache-control'), 'no-cache', path);
    }
    const js = await get('/assets/index-BfdrUen-.js', 'gzip');
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(await bodyOf(js), SCRIPT);
  });

  it('serves nothing outside its directory', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/nothing.js', '/%00', '/%zz']) {
      assert.equal((await get(path, 'br')).status, 404, path);
    }
  });
});
