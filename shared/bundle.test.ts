import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { BundleError, MAX_BUNDLE_ROOMS, decodeBundle, encodeBundle, type Bundle } from './bundle.ts';
import { roomName } from './ids.ts';
import { initSodium } from './sodium.ts';
import { validateEnvelopeUpdate } from './envelope/validate.ts';
import { envelopeWith, testUpdate, testIdentity, testRoom } from '#test/support/rooms.ts';

beforeAll(async () => {
  await initSodium();
});

test('a bundle round-trips and its rooms still validate', () => {
  const a = testRoom(1);
  const b = testRoom(2, 3);
  const bundle: Bundle = new Map([
    [roomName(b.cap.spaceId, 3), Y.encodeStateAsUpdate(envelopeWith([testUpdate(b, testIdentity(9))]))],
    [roomName(a.cap.spaceId, 0), Y.encodeStateAsUpdate(envelopeWith([testUpdate(a, testIdentity(9))]))],
  ]);
  const text = encodeBundle(bundle);
  const json = JSON.parse(text);
  assert.equal(json.baton, 'bundle');
  assert.equal(json.version, 1);
  // Rooms are sorted, so one set of rooms gives one file.
  assert.deepEqual(Object.keys(json.rooms), [...bundle.keys()].sort());
  const decoded = decodeBundle(text);
  assert.deepEqual(decoded, bundle);
  for (const [room, update] of decoded) {
    const key = room.startsWith(a.cap.spaceId) ? a.roomKey : b.roomKey;
    assert.ok(validateEnvelopeUpdate(update, key, { clockOf: () => 0 }).ok);
  }
  assert.deepEqual(decodeBundle(encodeBundle(new Map())), new Map());
});

test('every malformed container is refused with a BundleError', () => {
  const room = roomName(testRoom(1).cap.spaceId, 0);
  const bad: Array<[string, RegExp]> = [
    ['', /not JSON/],
    ['{"baton": "bundle", ', /not JSON/],
    ['null', /missing "baton"/],
    ['[]', /missing "baton"/],
    ['"bundle"', /missing "baton"/],
    ['{"version": 1, "rooms": {}}', /missing "baton"/],
    ['{"baton": "other", "version": 1, "rooms": {}}', /missing "baton"/],
    ['{"baton": "bundle", "rooms": {}}', /unsupported bundle version/],
    ['{"baton": "bundle", "version": 2, "rooms": {}}', /unsupported bundle version 2/],
    ['{"baton": "bundle", "version": "1", "rooms": {}}', /unsupported bundle version/],
    ['{"baton": "bundle", "version": 1}', /"rooms" object/],
    ['{"baton": "bundle", "version": 1, "rooms": null}', /"rooms" object/],
    ['{"baton": "bundle", "version": 1, "rooms": []}', /"rooms" object/],
    ['{"baton": "bundle", "version": 1, "rooms": "x"}', /"rooms" object/],
    ['{"baton": "bundle", "version": 1, "rooms": {"not-a-room": "AAAA"}}', /bad room name/],
    [`{"baton": "bundle", "version": 1, "rooms": {"${room.replace('.0', '.01')}": "AAAA"}}`, /bad room name/],
    ['{"baton": "bundle", "version": 1, "rooms": {"__proto__": "AAAA"}}', /bad room name/],
    [`{"baton": "bundle", "version": 1, "rooms": {"${room}": "AA=="}}`, /not base64url/],
    [`{"baton": "bundle", "version": 1, "rooms": {"${room}": "A+/A"}}`, /not base64url/],
    [`{"baton": "bundle", "version": 1, "rooms": {"${room}": 12}}`, /not base64url/],
    [`{"baton": "bundle", "version": 1, "rooms": {"${room}": null}}`, /not base64url/],
  ];
  for (const [text, message] of bad) {
    assert.throws(() => decodeBundle(text), (err: unknown) => err instanceof BundleError && message.test(err.message), text);
  }
  assert.throws(() => decodeBundle(undefined as unknown as string), BundleError);
});

test('a bundle with too many rooms is refused before any room is parsed', () => {
  const rooms: Record<string, string> = {};
  for (let i = 0; i <= MAX_BUNDLE_ROOMS; i++) rooms[`r${i}`] = '';
  assert.throws(() => decodeBundle(JSON.stringify({ baton: 'bundle', version: 1, rooms })), /at most/);
});
