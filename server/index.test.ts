// startRelay's failures at start-up: each says what failed, and the same data directory can be
// served by the next attempt.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, it } from 'vitest';
import { startRelay } from './index.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-start-'));
  dirs.push(dir);
  return dir;
};

it('a port in use fails the start; the same data directory then serves', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as { port: number }).port;
  const dir = dataDir();
  try {
    await assert.rejects(startRelay({ host: '127.0.0.1', port, dataDir: dir, verify: 'inline', log: () => {} }), /EADDRINUSE/);
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
  const relay = await startRelay({ host: '127.0.0.1', port: 0, dataDir: dir, verify: 'inline', log: () => {} });
  const info = await (await fetch(`${relay.url}/v1/info`)).json();
  assert.equal(info.software, 'baton');
  await relay.close();
});

it('a bundle that cannot be imported stops the start with the file named', async () => {
  const dir = dataDir();
  const bundle = join(dir, 'seed.baton');
  writeFileSync(bundle, 'not a bundle');
  await assert.rejects(startRelay({ host: '127.0.0.1', port: 0, dataDir: dir, verify: 'inline', log: () => {}, importFile: bundle }), /cannot import .*seed\.baton: /);
  await assert.rejects(startRelay({ host: '127.0.0.1', port: 0, dataDir: dir, verify: 'inline', log: () => {}, importFile: join(dir, 'missing.baton') }), /cannot import .*missing\.baton: .*ENOENT/);
  const relay = await startRelay({ host: '127.0.0.1', port: 0, dataDir: dir, verify: 'inline', log: () => {} });
  await relay.close();
});
