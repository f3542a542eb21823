// A secret that never leaves this data directory: 32 random bytes in <data dir>/device.key
// (0600), made on first use. It keys what the device records for itself alone (the
// verification record, client/node/verified-cache.ts), so that nothing a board's members
// share, such as a read key, can forge such a record.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sodium } from '#shared';
import { writeFileDurably } from './durable-file.ts';

const FILE = 'device.key';
const BYTES = 32;

export async function loadDeviceSecret(dataDir: string): Promise<Uint8Array> {
  const path = join(dataDir, FILE);
  try {
    const bytes = new Uint8Array(await readFile(path));
    if (bytes.length === BYTES) return bytes;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // Missing or damaged: a new secret only costs the checks recorded under the old one.
  const secret = sodium().randombytes_buf(BYTES);
  await writeFileDurably(path, secret);
  return secret;
}
