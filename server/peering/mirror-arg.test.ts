// `--mirror` takes the share dialog's mirror line as it is: a capability with relay hints, or a
// web link, carried from every relay it names; `<capability>@<relay URL>` still works.
import { beforeAll, it } from 'vitest';
import assert from 'node:assert/strict';
import { createSpace, formatCapability, formatWebLink, initSodium, parseCapability, withRelays } from '#shared';
import { parseMirror, parseMirrorArg } from './peering.ts';

beforeAll(async () => {
  await initSodium();
});

it('a capability with relay hints is mirrored from each relay, keys dropped', () => {
  const cap = withRelays(createSpace('board'), ['https://a.example', 'http://127.0.0.1:8787/baton']);
  const mirror = formatCapability(cap, 'mirror');
  for (const text of [mirror, formatCapability(cap, 'read'), formatCapability(cap), formatWebLink(cap, 'https://a.example', 'read')]) {
    const specs = parseMirrorArg(text);
    assert.deepEqual(specs.map((s) => s.relay), ['https://a.example', 'http://127.0.0.1:8787/baton'], text);
    for (const spec of specs) {
      assert.equal(spec.capability, mirror, 'a mirror never keeps read or write keys');
      assert.equal(parseMirror(spec).spaceId, cap.spaceId);
    }
  }
});

it('<capability>@<relay URL> names its one relay, hints or not', () => {
  const cap = withRelays(createSpace('thread'), ['https://a.example']);
  const text = formatCapability(cap, 'mirror');
  assert.deepEqual(parseMirrorArg(`${text}@https://b.example`), [{ capability: text, relay: 'https://b.example' }]);
  assert.equal(parseMirror(parseMirrorArg(`${text}@https://b.example`)[0]!).kind, 'thread');
});

it('a capability without a relay, or a damaged one, is refused with the form to use', () => {
  const bare = formatCapability(createSpace('board'), 'mirror');
  assert.throws(() => parseMirrorArg(bare), /names no relay to mirror from: a mirror is <capability>@<relay URL>/);
  assert.throws(() => parseMirrorArg(`@https://b.example`), /a mirror is <capability>@<relay URL>/);
  assert.throws(() => parseMirrorArg(`${bare}@`), /a mirror is/);
  assert.throws(() => parseMirrorArg('no-at-sign'), /not a Baton capability/);
  assert.throws(() => parseMirrorArg(`${bare.slice(0, -3)}?relays=https%3A%2F%2Fa.example`), /damaged/);
  assert.equal(parseCapability(bare).relays.length, 0);
});
