// Writes `name.br` and `name.gz` beside every compressible file of a built web client, so the
// relay serves them without compressing on each request. A variant no smaller than the file
// itself is not written (the relay then serves the file as it is).
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.svg', '.txt', '.wasm', '.map']);

function files(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else out.push(path);
  }
  return out;
}

/** Compresses every compressible file under `dir`; returns how many variants it wrote. */
export function precompress(dir) {
  let written = 0;
  for (const file of files(dir)) {
    if (!COMPRESSIBLE.has(extname(file))) continue;
    const bytes = readFileSync(file);
    const variants = {
      '.br': brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
      '.gz': gzipSync(bytes, { level: 9 }),
    };
    for (const [suffix, packed] of Object.entries(variants)) {
      if (packed.length < bytes.length) {
        writeFileSync(file + suffix, packed);
        written++;
      } else {
        rmSync(file + suffix, { force: true });
      }
    }
  }
  return written;
}
