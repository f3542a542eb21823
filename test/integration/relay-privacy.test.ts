// A post's plaintext never reaches the relay's disk, logs or responses, and the relay's
// logs hold no client addresses.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import * as Y from 'yjs';
import { appendSealed, createEnvelopeDoc, toBase64url } from '#shared';
import { startRelay } from '#server/index.ts';
import { blobsOf, connectProvider, envelopeUpdate, makeSpace, rawClient, sealPost, spoiled, stopProvider, syncUpdateMessage } from './relay-fixtures.ts';
import { waitUntil } from '../support/wait.ts';

it('a post\'s marker text never appears in the data directory, the log or any response', async () => {
  const marker = `marker-${randomBytes(12).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-privacy-'));
  const logs: string[] = [];
  const relay = await startRelay({ port: 0, host: '127.0.0.1', dataDir, log: (l) => logs.push(l), compactAfterRows: 3 });
  const responses: Uint8Array[] = [];
  try {
    const space = await makeSpace();
    const writer = createEnvelopeDoc();
    const reader = createEnvelopeDoc();
    const pw = await connectProvider(relay.url, space.room, writer);
    const pr = await connectProvider(relay.url, space.room, reader);
    reader.on('update', (u: Uint8Array) => responses.push(u));
    for (let i = 0; i < 5; i++) appendSealed(writer, [sealPost(space, `${marker} number ${i}`)]);
    await waitUntil(() => blobsOf(reader).length === 5, { timeoutMs: 3000, what: 'the reader to get every post' });

    // A raw client with receipts, an HTTP read and write, and a refused update.
    const raw = await rawClient(relay.url, space.room, '?receipts=1');
    raw.send(syncUpdateMessage(envelopeUpdate([sealPost(space, `${marker} raw`)])));
    const forged = spoiled(sealPost(space, `${marker} forged`));
    const hostile = await rawClient(relay.url, space.room);
    hostile.send(syncUpdateMessage(envelopeUpdate([forged])));
    await hostile.closed;
    const posted = await fetch(`${relay.url}/v1/rooms/${space.room}`, { method: 'POST', body: envelopeUpdate([sealPost(space, `${marker} http`)]) as Uint8Array<ArrayBuffer> });
    responses.push(new Uint8Array(await posted.arrayBuffer()));
    const got = await fetch(`${relay.url}/v1/rooms/${space.room}?sv=${toBase64url(Y.encodeStateVector(createEnvelopeDoc()))}`);
    responses.push(new Uint8Array(await got.arrayBuffer()));
    for (const path of ['/v1/rooms', `/v1/spaces/${space.room.split('.')[0]}`, '/v1/info', '/']) {
      responses.push(new Uint8Array(await (await fetch(relay.url + path)).arrayBuffer()));
    }
    await waitUntil(() => raw.messages.some((m) => m[0] === 100), { timeoutMs: 2000, what: 'a receipt' });
    responses.push(...raw.messages, ...hostile.messages);
    raw.close();
    stopProvider(pw);
    stopProvider(pr);
  } finally {
    await relay.close();
  }
  try {
    const needle = Buffer.from(marker);
    const files = readdirSync(dataDir);
    assert.ok(files.length > 0);
    for (const file of files) assert.equal(readFileSync(join(dataDir, file)).includes(needle), false, `${file} holds the marker`);
    for (const r of responses) assert.equal(Buffer.from(r).includes(needle), false, 'a response holds the marker');
    assert.ok(responses.length > 10);
    // Refusals are counted (GET /v1/metrics), not logged one line each; what is logged names no address.
    assert.ok(relay.counters.get('sync.closed.4400') > 0, 'the refused update was counted');
    for (const line of logs) {
      assert.doesNotMatch(line, new RegExp(marker));
      assert.doesNotMatch(line, /127\.0\.0\.1|::1|::ffff/, `a log line names an address: ${line}`);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
