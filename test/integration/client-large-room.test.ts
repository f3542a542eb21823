import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { randomBytes } from 'node:crypto';
import { DEFAULT_LIMITS, createSpace, formatCapability, generateIdentity, initSodium } from '#shared';
import { BatonClient } from '#client-core/client.ts';
import { MemoryStore } from '#client-core/store.ts';
import { startRelay } from '#server/index.ts';
import { NodeWS, until } from './client-fixtures.ts';

await initSodium();


test('a room larger than one relay message reaches a fresh relay in pieces', async () => {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, log: () => {} });
  const offline = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'a', connection: { WebSocket: NodeWS }, online: false });
  const reader = new BatonClient({ store: new MemoryStore(), identity: generateIdentity(), name: 'b', connection: { WebSocket: NodeWS } });
  try {
    // Written with no relay: twelve blobs of about 150 KB, 1.8 MB in all.
    const cap = createSpace('thread');
    const writer = await offline.open(cap);
    for (let i = 0; i < 12; i++) {
      writer.requireWrite().getMap('big').set(`k${i}`, randomBytes(110_000).toString('base64'));
      writer.flush();
    }
    const size = Y.encodeStateAsUpdate(writer.envelope).length;
    assert.ok(size > DEFAULT_LIMITS.maxUpdateBytes, `room of ${size} bytes`);

    writer.connect([relay.url]);
    assert.ok(await until(() => writer.outbox().length === 0), 'every blob confirmed by the relay');
    const copy = await reader.open(formatCapability({ ...cap, relays: [relay.url] }, 'read'));
    assert.ok(await until(() => copy.requireRead().getMap('big').size === 12), 'and readable from it');
  } finally {
    await offline.close();
    await reader.close();
    await relay.close();
  }
});
