import assert from 'node:assert/strict';
import fc from 'fast-check';
import { it } from 'vitest';
import { BundleError, decodeBundle, encodeBundle, roomName, toBase64url, type RoomName, type SpaceId } from '#shared';
import { readBundle, streamBundle } from './read-bundle.ts';
import { Slice } from '../slices.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const space = (n: number) => toBase64url(new Uint8Array(32).fill(n)) as SpaceId;

it('reads what encodeBundle writes, as decodeBundle does', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 9 }), fc.uint8Array({ maxLength: 300 })), { maxLength: 8 }), async (entries) => {
      const bundle = new Map<RoomName, Uint8Array>();
      for (const [s, epoch, update] of entries) bundle.set(roomName(space(s), epoch), update);
      const text = encodeBundle(bundle);
      const read = await readBundle(bytes(text), new Slice());
      assert.deepEqual(new Map(read), decodeBundle(text));
    }),
    { numRuns: 50 },
  );
});

it('skips keys it does not know, in any order, and tolerates whitespace', async () => {
  const room = roomName(space(1), 0);
  const text = `\n { "extra": {"a": [1, "x\\"}", {"b": null}]}, "rooms" : { "${room}" : "AAEC" }, "version": 1, "baton": "bundle" } \n`;
  assert.deepEqual(await readBundle(bytes(text), new Slice()), [[room, new Uint8Array([0, 1, 2])]]);
});

it('refuses what is not a bundle with a BundleError, never anything else', async () => {
  const room = roomName(space(2), 0);
  const cases = [
    '',
    'null',
    '{"baton":"bundle","version":1}',
    '{"baton":"bundle","version":2,"rooms":{}}',
    '{"baton":"other","version":1,"rooms":{}}',
    `{"baton":"bundle","version":1,"rooms":{"${room}":"A"}}`,
    `{"baton":"bundle","version":1,"rooms":{"${room}":"AA=="}}`,
    `{"baton":"bundle","version":1,"rooms":{"not a room":"AA"}}`,
    `{"baton":"bundle","version":1,"rooms":{"${room}":"AA","${room}":"AA"}}`,
    `{"baton":"bundle","version":1,"rooms":{"${room}":"A\\u0041"}}`,
    `{"baton":"bundle","version":1,"rooms":{"${room}":"AA"}} trailing`,
    '{"baton":"bundle","version":1,"rooms":{',
    '{"baton":"bundle",,"version":1,"rooms":{}}',
    '{"\\x":1,"baton":"bundle","version":1,"rooms":{}}',
  ];
  for (const text of cases) await assert.rejects(readBundle(bytes(text), new Slice()), BundleError, text);
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (junk) => {
      await readBundle(junk, new Slice()).then(
        () => {},
        (err: unknown) => assert.ok(err instanceof BundleError, String(err)),
      );
    }),
    { numRuns: 300 },
  );
});

it('a bundle of more rooms than allowed is refused', async () => {
  const rooms = new Map<RoomName, Uint8Array>([0, 1, 2].map((n) => [roomName(space(n), 0), new Uint8Array([0, 0])]));
  await assert.rejects(readBundle(bytes(encodeBundle(rooms)), new Slice(), 2), /at most 2 rooms/);
});

it('refuses a room whose text holds anything but base64url, non-ASCII bytes included', async () => {
  const room = roomName(space(1), 0);
  for (const value of ['AAé', 'AA+C', 'AA=C', 'AAF']) {
    const text = `{"baton": "bundle", "version": 1, "rooms": {"${room}": "${value}"}}`;
    await assert.rejects(readBundle(bytes(text), new Slice()), BundleError, value);
  }
});

it('reads a bundle cut into chunks anywhere as it reads the whole, room by room as each arrives', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 300 })), { maxLength: 5 }),
      fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }),
      async (entries, cuts) => {
        const bundle = new Map<RoomName, Uint8Array>();
        for (const [s, update] of entries) bundle.set(roomName(space(s), 0), update);
        const whole = bytes(`{"extra": ["x\\"", {"y": 1}], ${encodeBundle(bundle).slice(1)}`);
        const chunks: Uint8Array[] = [];
        for (let at = 0, i = 0; at < whole.length; i++) {
          const n = cuts[i % cuts.length]!;
          chunks.push(whole.slice(at, at + n));
          at += n;
        }
        const streamed: Array<[RoomName, Uint8Array]> = [];
        await streamBundle(chunks, new Slice(), async (name, take) => void streamed.push([name, take()]));
        assert.deepEqual(streamed, await readBundle(whole, new Slice()));
        assert.deepEqual(new Map(streamed), bundle);
      },
    ),
    { numRuns: 100 },
  );
});

it('refuses a broken bundle in chunks with a BundleError and reads the rest of the input', async () => {
  const room = roomName(space(3), 0);
  const text = bytes(`{"baton":"bundle","version":1,"rooms":{"${room}":"A\\u0041"}, "more": "${'x'.repeat(500)}"}`);
  let pulled = 0;
  async function* chunks() {
    for (let at = 0; at < text.length; at += 16) {
      pulled++;
      yield text.slice(at, at + 16);
    }
  }
  await assert.rejects(streamBundle(chunks(), new Slice(), async () => {}), BundleError);
  assert.equal(pulled, Math.ceil(text.length / 16), 'every chunk was read');
});
