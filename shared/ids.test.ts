import { test } from 'vitest';
import assert from 'node:assert/strict';
import { toBase64url } from './bytes.ts';
import { isSpaceId, parseRoomName, publicKeyFromSpaceId, roomName, spaceIdFromPublicKey, type SpaceId } from './ids.ts';

const pub = new Uint8Array(32).map((_, i) => i * 7);
const spaceId = spaceIdFromPublicKey(pub);

test('a space id is the 43-character base64url of the write public key', () => {
  assert.equal(spaceId.length, 43);
  assert.equal(spaceId, toBase64url(pub));
  assert.deepEqual(publicKeyFromSpaceId(spaceId), pub);
  assert.equal(isSpaceId(spaceId), true);
  assert.equal(isSpaceId(spaceId.slice(1)), false);
  assert.equal(isSpaceId(spaceId + 'A'), false);
  assert.equal(isSpaceId(spaceId.slice(0, 42) + '='), false);
  assert.equal(isSpaceId(42), false);
  assert.throws(() => spaceIdFromPublicKey(new Uint8Array(31)), RangeError);
});

test('room names round-trip for canonical epochs', () => {
  for (const epoch of [0, 1, 9, 10, 4294967295]) {
    const name = roomName(spaceId, epoch);
    assert.equal(name, `${spaceId}.${epoch}`);
    const parsed = parseRoomName(name);
    assert.ok(parsed);
    assert.equal(parsed.epoch, epoch);
    assert.equal(parsed.spaceId, spaceId);
    assert.deepEqual(parsed.writePub, pub);
  }
});

test('room names accept canonical epochs only', () => {
  for (const epochText of ['01', '00', '-1', '+1', '1.0', '1e3', ' 1', '1 ', '', '4294967296', '99999999999', '0x1', '١']) {
    assert.equal(parseRoomName(`${spaceId}.${epochText}`), null, `epoch ${JSON.stringify(epochText)}`);
  }
  assert.equal(parseRoomName(spaceId), null);
  assert.equal(parseRoomName(`${spaceId}.0.0`), null);
  assert.equal(parseRoomName(`${spaceId.slice(1)}.0`), null);
  assert.equal(parseRoomName(`${spaceId.slice(0, 42)}*.0`), null);
  assert.equal(parseRoomName(42 as unknown as string), null);
  assert.throws(() => roomName(spaceId, -1), RangeError);
  assert.throws(() => roomName(spaceId, 1.5), RangeError);
  assert.throws(() => roomName(spaceId, 2 ** 32), RangeError);
  assert.throws(() => roomName('x' as SpaceId, NaN), RangeError);
});
