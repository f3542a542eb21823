// HTTP sync (the fallback where WebSockets are blocked) and the relay's other HTTP routes.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from 'vitest';
import * as Y from 'yjs';
import { appendSealed, applyValidatedUpdate, createEnvelopeDoc, fromBase64url, toBase64url } from '#shared';
import { startRelay, type Relay } from '#server/index.ts';
import { blobsOf, envelopeUpdate, makeSpace, sealPost, spoiled, type TestSpace } from './relay-fixtures.ts';

let relay: Relay;
beforeAll(async () => {
  // No web client build here: `/` is the landing page, whether or not client/dist was built.
  relay = await startRelay({ port: 0, host: '127.0.0.1', webRoot: '/nonexistent-baton-web', log: () => {} });
});
afterAll(() => relay.close());

const post = (room: string, body: Uint8Array) =>
  fetch(`${relay.url}/v1/rooms/${room}`, { method: 'POST', body: body as Uint8Array<ArrayBuffer>, headers: { 'Content-Type': 'application/octet-stream' } });

/** One HTTP sync round of a client: send what it has, fetch what it lacks. */
async function httpSync(space: TestSpace, doc: Y.Doc): Promise<void> {
  const res = await post(space.room, Y.encodeStateAsUpdate(doc));
  assert.equal(res.status, 200, await res.clone().text());
  const receipt = (await res.json()) as { room: string; sv: string; added: number };
  assert.equal(receipt.room, space.room);
  const got = await fetch(`${relay.url}/v1/rooms/${space.room}?sv=${toBase64url(Y.encodeStateVector(doc))}`);
  assert.equal(got.headers.get('content-type'), 'application/octet-stream');
  const verdict = applyValidatedUpdate(doc, new Uint8Array(await got.arrayBuffer()), space.key, 'relay');
  assert.equal(verdict.ok, true);
}

describe('HTTP sync', () => {
  it('two clients that never open a WebSocket converge through GET and POST', async () => {
    const space = await makeSpace();
    const a = createEnvelopeDoc();
    const b = createEnvelopeDoc();
    appendSealed(a, [sealPost(space, 'a1'), sealPost(space, 'a2')]);
    appendSealed(b, [sealPost(space, 'b1')]);
    await httpSync(space, a);
    await httpSync(space, b);
    await httpSync(space, a);
    assert.equal(blobsOf(a).length, 3);
    assert.deepEqual(Y.encodeStateVector(a), Y.encodeStateVector(b));
  });

  it('a receipt carries the relay\'s state vector and the number of blobs added', async () => {
    const space = await makeSpace();
    const doc = createEnvelopeDoc();
    appendSealed(doc, [sealPost(space, 'one'), sealPost(space, 'two')]);
    const first = (await (await post(space.room, Y.encodeStateAsUpdate(doc))).json()) as { sv: string; added: number };
    assert.equal(first.added, 2);
    assert.deepEqual(fromBase64url(first.sv), Y.encodeStateVector(doc));
    const again = (await (await post(space.room, Y.encodeStateAsUpdate(doc))).json()) as { sv: string; added: number };
    assert.equal(again.added, 0, 'an update the relay holds adds nothing, and is still receipted');
    assert.equal(again.sv, first.sv);
  });

  it('refuses bad updates with JSON errors: 400, 409 with the relay\'s sv, 413', async () => {
    const space = await makeSpace();
    const forged = spoiled(sealPost(space, 'forged'));
    const bad = await post(space.room, envelopeUpdate([forged]));
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: string }).error, 'bad-update');

    const junk = await post(space.room, new Uint8Array([1, 2, 3, 4]));
    assert.equal(junk.status, 400);

    const doc = createEnvelopeDoc();
    appendSealed(doc, [sealPost(space, 'first')]);
    const sv = Y.encodeStateVector(doc);
    appendSealed(doc, [sealPost(space, 'second')]);
    const gap = await post(space.room, Y.encodeStateAsUpdate(doc, sv));
    assert.equal(gap.status, 409);
    const gapBody = (await gap.json()) as { error: string; sv: string };
    assert.equal(gapBody.error, 'gap');
    const relaySv = fromBase64url(gapBody.sv)!;
    const fill = await post(space.room, Y.encodeStateAsUpdate(doc, relaySv));
    assert.equal(fill.status, 200, 'resending what the relay lacks fills the gap');

    const huge = await post(space.room, new Uint8Array(relay.config.limits.maxUpdateBytes + 1));
    assert.equal(huge.status, 413);
    assert.equal(((await huge.json()) as { error: string }).error, 'too-large');
  });

  it('GET refuses a bad room or state vector with JSON errors', async () => {
    const space = await makeSpace();
    const badRoom = await fetch(`${relay.url}/v1/rooms/not-a-room`);
    assert.equal(badRoom.status, 404);
    assert.equal(((await badRoom.json()) as { error: string }).error, 'bad-room');
    const badSv = await fetch(`${relay.url}/v1/rooms/${space.room}?sv=${toBase64url(new Uint8Array([5, 1]))}`);
    assert.equal(badSv.status, 400);
    const notBase64 = await fetch(`${relay.url}/v1/rooms/${space.room}?sv=***`);
    assert.equal(notBase64.status, 400);
    const leadingZero = await fetch(`${relay.url}/v1/rooms/${space.room.replace(/\.0$/, '.01')}`);
    assert.equal(leadingZero.status, 404);
  });
});

describe('relay routes', () => {
  it('GET /v1/info names the software, protocol and limits', async () => {
    const info = (await (await fetch(`${relay.url}/v1/info`)).json()) as { software: string; protocol: number; limits: Record<string, number> };
    assert.equal(info.software, 'baton');
    assert.equal(info.protocol, 2);
    assert.equal(info.limits.maxBlobBytes, relay.config.limits.maxBlobBytes);
  });

  it('lists the epochs of a space and the rooms held', async () => {
    const space = await makeSpace();
    const next = await makeSpace(1);
    const epoch1: TestSpace = { ...space, key: { ...space.key, epoch: 1 }, room: next.room };
    epoch1.room = `${space.room.split('.')[0]}.1` as TestSpace['room'];
    assert.equal((await post(space.room, envelopeUpdate([sealPost(space, 'e0')]))).status, 200);
    assert.equal((await post(epoch1.room, envelopeUpdate([sealPost(epoch1, 'e1')]))).status, 200);
    const spaceId = space.room.split('.')[0];
    const epochs = (await (await fetch(`${relay.url}/v1/spaces/${spaceId}`)).json()) as { spaceId: string; epochs: number[] };
    assert.deepEqual(epochs, { spaceId, epochs: [0, 1] });
    const rooms = (await (await fetch(`${relay.url}/v1/rooms`)).json()) as { rooms: string[] };
    assert.ok(rooms.rooms.includes(space.room) && rooms.rooms.includes(epoch1.room));
    const bad = await fetch(`${relay.url}/v1/spaces/nope`);
    assert.equal(bad.status, 400);
    await (await fetch(`${relay.url}/v1/rooms/${next.room}`)).arrayBuffer(); // reading a room does not make it held...
    assert.equal(relay.registry.isLoaded(next.room), false, '...nor keep an empty room in memory');
    const after = (await (await fetch(`${relay.url}/v1/rooms`)).json()) as { rooms: string[] };
    assert.ok(!after.rooms.includes(next.room));
  });

  it('the room list can be switched off', async () => {
    const closed = await startRelay({ port: 0, host: '127.0.0.1', roomList: false, log: () => {} });
    try {
      const res = await fetch(`${closed.url}/v1/rooms`);
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { error: string }).error, 'disabled');
    } finally {
      await closed.close();
    }
  });

  it('sends security headers everywhere, a strict CSP on pages and CORS on the API', async () => {
    const page = await fetch(`${relay.url}/`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Baton relay/);
    assert.doesNotMatch(html, /<script/i);
    const csp = page.headers.get('content-security-policy')!;
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /connect-src 'self' ws: wss: http: https:/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    for (const res of [page, await fetch(`${relay.url}/v1/info`), await fetch(`${relay.url}/v1/nothing`)]) {
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
      assert.match(res.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
    }
    const info = await fetch(`${relay.url}/v1/info`, { headers: { Origin: 'null' } });
    assert.equal(info.headers.get('access-control-allow-origin'), '*');
    assert.equal(info.headers.get('access-control-allow-credentials'), null);
    const preflight = await fetch(`${relay.url}/v1/rooms/x`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://elsewhere.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.match(preflight.headers.get('access-control-allow-methods')!, /POST/);
    const traversal = await fetch(`${relay.url}/..%2f..%2fpackage.json`);
    assert.equal(traversal.status, 404);
    const sync = await fetch(`${relay.url}/v1/sync/not-a-room`);
    assert.equal(sync.status, 404);
  });
});

describe('web client', () => {
  it('serves a built web client from its directory, and nothing outside it', async () => {
    const { mkdtempSync, mkdirSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'baton-web-'));
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><title>web client</title><script type="module" src="app.js"></script>');
    writeFileSync(join(dir, 'dist', 'app.js'), 'export {};');
    writeFileSync(join(dir, 'secret.txt'), 'outside');
    const web = await startRelay({ port: 0, host: '127.0.0.1', webRoot: join(dir, 'dist'), log: () => {} });
    try {
      const page = await fetch(`${web.url}/`);
      assert.match(await page.text(), /web client/);
      assert.match(page.headers.get('content-security-policy')!, /script-src 'self'/);
      const js = await fetch(`${web.url}/app.js`);
      assert.match(js.headers.get('content-type')!, /text\/javascript/);
      for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/nothing.js']) {
        assert.equal((await fetch(`${web.url}${path}`)).status, 404, path);
      }
    } finally {
      await web.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
