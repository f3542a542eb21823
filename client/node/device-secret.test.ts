import { test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initSodium } from '#shared';
import { loadDeviceSecret } from './device-secret.ts';
import { writeFileDurably } from './durable-file.ts';

await initSodium();

test('the device secret is made once, kept private, and replaced only when damaged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-secret-'));
  try {
    const first = await loadDeviceSecret(dir);
    assert.equal(first.length, 32);
    assert.equal(statSync(join(dir, 'device.key')).mode & 0o777, 0o600);
    assert.deepEqual(await loadDeviceSecret(dir), first);
    writeFileSync(join(dir, 'device.key'), 'short');
    const second = await loadDeviceSecret(dir);
    assert.equal(second.length, 32);
    assert.notDeepEqual(second, first);
    assert.deepEqual(readdirSync(dir), ['device.key'], 'no temporary file is left behind');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a durable write replaces the file whole, private, and leaves no temporary file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-durable-'));
  try {
    const path = join(dir, 'identity.json');
    await writeFileDurably(path, new TextEncoder().encode('{"a":1}\n'));
    await writeFileDurably(path, new TextEncoder().encode('{"a":2}\n'));
    assert.equal(readFileSync(path, 'utf8'), '{"a":2}\n');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['identity.json']);
    await assert.rejects(writeFileDurably(join(dir, 'missing', 'x'), new Uint8Array(1)));
    assert.deepEqual(readdirSync(dir), ['identity.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
