import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { toBase64url } from './bytes.ts';
import {
  CapabilityError,
  accessLevel,
  capabilityFromSeeds,
  cleanLinkText,
  createSpace,
  deriveThreadCapability,
  formatCapability,
  formatWebLink,
  normaliseRelayUrl,
  parseCapability,
  parseCapabilityOrLink,
  restrictCapability,
  withRelays,
  type Capability,
  type CapabilityErrorCode,
} from './capability.ts';
import { initSodium, sodium } from './sodium.ts';

beforeAll(async () => {
  await initSodium();
});

const seed = (b: number) => new Uint8Array(32).fill(b);
const board = () => capabilityFromSeeds('board', seed(1), seed(2));

function assertCode(fn: () => unknown, code: CapabilityErrorCode): void {
  assert.throws(fn, (err: unknown) => err instanceof CapabilityError && err.code === code, `expected ${code}`);
}

test('format and parse round-trip at the three access levels', () => {
  const cap = board();
  const id = cap.spaceId;
  const rk = toBase64url(seed(2));
  const ws = toBase64url(seed(1));
  assert.equal(formatCapability(cap), `baton:board:${id}:${rk}:${ws}`);
  assert.equal(formatCapability(cap, 'read'), `baton:board:${id}:${rk}`);
  assert.equal(formatCapability(cap, 'mirror'), `baton:board:${id}`);

  const write = parseCapability(formatCapability(cap));
  assert.equal(accessLevel(write), 'write');
  assert.deepEqual(write.write?.seed, seed(1));
  assert.deepEqual(write.write?.secretKey, cap.write?.secretKey);
  assert.deepEqual(write.readKey, seed(2));

  const read = parseCapability(formatCapability(cap, 'read'));
  assert.equal(accessLevel(read), 'read');
  assert.equal(read.write, null);
  assert.deepEqual(read.readKey, seed(2));

  const mirror = parseCapability(formatCapability(cap, 'mirror'));
  assert.equal(accessLevel(mirror), 'mirror');
  assert.equal(mirror.readKey, null);
  assert.equal(mirror.spaceId, id);
  assert.deepEqual(mirror.writePub, cap.writePub);
});

test('a thread capability keeps its kind; surrounding whitespace is ignored', () => {
  const t = capabilityFromSeeds('thread', seed(3), seed(4));
  const parsed = parseCapability(`  ${formatCapability(t, 'read')}\n`);
  assert.equal(parsed.kind, 'thread');
  assert.equal(parsed.spaceId, t.spaceId);
});

test('relay hints are encoded, normalised, deduplicated and round-trip', () => {
  const cap = withRelays(board(), ['https://Relay.example.org/', 'http://127.0.0.1:8080/base/', 'https://relay.example.org']);
  assert.deepEqual(cap.relays, ['https://relay.example.org', 'http://127.0.0.1:8080/base']);
  const text = formatCapability(cap, 'read');
  assert.ok(text.endsWith('?relays=https%3A%2F%2Frelay.example.org,http%3A%2F%2F127.0.0.1%3A8080%2Fbase'), text);
  assert.deepEqual(parseCapability(text).relays, cap.relays);
  // Unknown parameters are ignored; empty hints skipped.
  assert.deepEqual(parseCapability(`${formatCapability(cap, 'mirror')}&future=1`).relays, cap.relays);
  assert.deepEqual(parseCapability(`baton:board:${cap.spaceId}?relays=`).relays, []);
  assert.deepEqual(parseCapability(`baton:board:${cap.spaceId}?relays=,,ws%3A%2F%2Fa.example`).relays, ['ws://a.example']);
});

test('web links put the capability in the fragment, and parse back with their relay as a hint', () => {
  const cap = withRelays(board(), ['https://b.example']);
  const link = formatWebLink(cap, 'https://a.example/', 'read');
  assert.equal(link, `https://a.example/#${formatCapability(cap, 'read')}`);
  const parsed = parseCapabilityOrLink(link);
  assert.equal(accessLevel(parsed), 'read');
  assert.deepEqual(parsed.relays, ['https://a.example', 'https://b.example']);
  // A bare capability passes through; a link to a relay already hinted is not duplicated.
  assert.deepEqual(parseCapabilityOrLink(formatCapability(cap)).relays, ['https://b.example']);
  assert.deepEqual(parseCapabilityOrLink(`https://b.example/#${formatCapability(cap, 'mirror')}`).relays, ['https://b.example']);
  // A non-http prefix (a file path) adds no hint.
  assert.deepEqual(parseCapabilityOrLink(`file:///tmp/baton.html#${formatCapability(cap, 'mirror')}`).relays, ['https://b.example']);
});

test('every malformed capability string fails with its error code', () => {
  const cap = board();
  const other = capabilityFromSeeds('board', seed(9), seed(2));
  const id = cap.spaceId;
  const rk = toBase64url(seed(2));
  const ws = toBase64url(seed(1));
  const cases: Array<[string, CapabilityErrorCode]> = [
    ['', 'not-a-capability'],
    ['hello', 'not-a-capability'],
    [`baton:board`, 'not-a-capability'],
    [`baton:board:${id}:${rk}:${ws}:extra`, 'not-a-capability'],
    [`baton:board:${id}?relays=a?b`, 'not-a-capability'],
    [`Baton:board:${id}`, 'not-a-capability'],
    [`baton:forum:${id}`, 'bad-kind'],
    [`baton::${id}`, 'bad-kind'],
    [`baton:board:${id.slice(1)}`, 'bad-space-id'],
    [`baton:board:${id}A`, 'bad-space-id'],
    [`baton:board:${id.slice(0, 42)}+`, 'bad-space-id'],
    [`baton:board:`, 'bad-space-id'],
    [`baton:board:${id}:`, 'bad-read-key'],
    [`baton:board:${id}:${rk.slice(2)}`, 'bad-read-key'],
    [`baton:board:${id}:${rk}=`, 'bad-read-key'],
    [`baton:board:${id}:${rk}:`, 'bad-write-seed'],
    [`baton:board:${id}:${rk}:${ws.slice(0, 42)}/`, 'bad-write-seed'],
    [`baton:board:${id}::${ws}`, 'bad-read-key'],
    [`baton:board:${id}:${rk}:${toBase64url(seed(9))}`, 'write-seed-mismatch'],
    [`baton:board:${other.spaceId}:${rk}:${ws}`, 'write-seed-mismatch'],
    [`baton:board:${id}?relays=ftp%3A%2F%2Fa.example`, 'bad-relay'],
    [`baton:board:${id}?relays=not-a-url`, 'bad-relay'],
    [`baton:board:${id}?relays=%E0%A4%A`, 'bad-relay'],
    [`baton:board:${id}?relays=https%3A%2F%2Fa.example%2F%3Fq%3D1`, 'bad-relay'],
    [`baton:board:${id}?relays=https%3A%2F%2Fuser%3Apw%40a.example`, 'bad-relay'],
    [`baton:board:${id}?relays=${Array.from({ length: 33 }, (_, i) => encodeURIComponent(`https://r${i}.example`)).join(',')}`, 'bad-relay'],
  ];
  for (const [text, code] of cases) assertCode(() => parseCapability(text), code);
  assertCode(() => parseCapability(42 as unknown as string), 'not-a-capability');
  assertCode(() => parseCapabilityOrLink(`https://a.example/#baton:board:${id.slice(3)}`), 'bad-space-id');
});

test('a link as a chat app or a sentence wraps it parses to the same space at the same level', () => {
  const cap = withRelays(board(), ['https://a.example', 'https://b.example/relay']);
  const link = formatWebLink(cap, 'https://a.example', 'read');
  const bare = formatCapability(cap, 'write');
  const same = (text: string, level: 'read' | 'write') => {
    const parsed = parseCapabilityOrLink(text);
    assert.deepEqual([parsed.spaceId, accessLevel(parsed), parsed.relays], [cap.spaceId, level, cap.relays], text);
  };
  const cut = (text: string, at: number, glue: string) => text.slice(0, at) + glue + text.slice(at);
  for (const text of [
    cut(link, 40, ' '),
    cut(cut(link, 70, '\n'), 30, '\r\n  '),
    cut(link, 50, '\u200b'),
    cut(link, 60, '\u00a0'),
    `<${link}>`,
    `"${link}".`,
    `“${link}”`,
    `(${link}),`,
    `«${link}»!`,
    `  '${link}'\n`,
    cut(link, link.indexOf('#') + 20, '%20'),
    cut(link, link.indexOf('#') + 20, '%0A'),
  ])
    same(text, 'read');
  for (const text of [cut(bare, 60, '\n'), `${bare}.`, `<${bare}>`, `\t${cut(bare, 100, '  ')};`]) same(text, 'write');
  // A relay address in front of the fragment keeps its own escapes.
  assert.equal(cleanLinkText('https://a.example/x%20y/#baton:board:A%20B'), 'https://a.example/x%20y/#baton:board:AB');
});

test('property: whitespace anywhere and wrapping punctuation never change what a link opens', () => {
  const cap = withRelays(board(), ['https://relay.example']);
  const texts = [formatWebLink(cap, 'https://relay.example', 'read'), formatCapability(cap, 'mirror'), formatCapability(cap)];
  fc.assert(
    fc.property(
      fc.constantFrom(...texts),
      fc.array(fc.tuple(fc.nat(), fc.constantFrom(' ', '\n', '\r\n', '\t', '\u200b', '\u00ad')), { maxLength: 6 }),
      fc.constantFrom(['', ''], ['<', '>'], ['"', '".'], ['(', ')'], ['', '.'], ['“', '”,']),
      (text, breaks, [open, close]) => {
        let broken = text;
        for (const [at, glue] of breaks) broken = cut(broken, at % (broken.length + 1), glue);
        const parsed = parseCapabilityOrLink(`${open}${broken}${close}`);
        const want = parseCapabilityOrLink(text);
        assert.equal(formatCapability(parsed), formatCapability(want));
      },
    ),
  );
  function cut(text: string, at: number, glue: string) {
    return text.slice(0, at) + glue + text.slice(at);
  }
});

test('cleaning never rescues a damaged link: a key cut short still fails with its code', () => {
  const cap = board();
  const read = formatCapability(cap, 'read');
  assertCode(() => parseCapabilityOrLink(`<${read.slice(0, -3)}>.`), 'bad-read-key');
  assertCode(() => parseCapabilityOrLink(`"${read.slice(0, 30)} ${read.slice(31)}"`), 'bad-space-id');
  assertCode(() => parseCapabilityOrLink('"hello there"'), 'not-a-capability');
});

test('a capability cannot be raised: missing-read-key', () => {
  const mirror = restrictCapability(board(), 'mirror');
  assertCode(() => restrictCapability(mirror, 'read'), 'missing-read-key');
  assertCode(() => formatCapability(mirror, 'write'), 'missing-read-key');
  assertCode(() => formatWebLink(restrictCapability(board(), 'read'), 'https://a.example', 'write'), 'missing-read-key');
});

test('relay URLs are normalised or refused', () => {
  assert.equal(normaliseRelayUrl('HTTPS://Relay.Example:443/'), 'https://relay.example');
  assert.equal(normaliseRelayUrl('wss://relay.example/sub/path//'), 'wss://relay.example/sub/path');
  for (const bad of ['', 'relay.example', 'javascript:alert(1)', 'https://a.example/#x', 'x'.repeat(3000)]) {
    assertCode(() => normaliseRelayUrl(bad), 'bad-relay');
  }
});

test('createSpace makes a fresh write capability each time', () => {
  const a = createSpace('board');
  const b = createSpace('board');
  assert.equal(accessLevel(a), 'write');
  assert.notEqual(a.spaceId, b.spaceId);
  assert.deepEqual(parseCapability(formatCapability(a)).writePub, a.writePub);
});

test('thread derivation: writer and reader agree on the thread, only the writer can write', () => {
  const writer = board();
  const reader = parseCapability(formatCapability(writer, 'read'));
  const nonce = new Uint8Array(16).fill(5);
  const byWriter = deriveThreadCapability(writer, nonce);
  const byReader = deriveThreadCapability(reader, nonce, byWriter.spaceId);
  assert.equal(byWriter.kind, 'thread');
  assert.equal(accessLevel(byWriter), 'write');
  assert.equal(accessLevel(byReader), 'read');
  assert.equal(byReader.spaceId, byWriter.spaceId);
  assert.deepEqual(byReader.readKey, byWriter.readKey);
  assert.equal(byReader.write, null);

  // The formulas of docs/PROTOCOL.md §1, computed here independently.
  const s = sodium();
  const enc = new TextEncoder();
  const expectSeed = s.crypto_generichash(32, new Uint8Array([...enc.encode('baton/thread-write/v1'), ...nonce]), seed(1));
  const expectRead = s.crypto_generichash(32, new Uint8Array([...enc.encode('baton/thread-read/v1'), ...nonce]), seed(2));
  assert.deepEqual(byWriter.write?.seed, expectSeed);
  assert.deepEqual(byWriter.readKey, expectRead);
  assert.deepEqual(byWriter.writePub, s.crypto_sign_seed_keypair(expectSeed).publicKey);

  // The thread's keys are neither the board's keys nor another thread's.
  assert.notDeepEqual(byWriter.readKey, writer.readKey);
  assert.notEqual(byWriter.spaceId, writer.spaceId);
  assert.notEqual(deriveThreadCapability(writer, new Uint8Array(16).fill(6)).spaceId, byWriter.spaceId);

  // The thread capability can be shared on its own and parses back the same.
  const shared = parseCapability(formatCapability(byWriter));
  assert.deepEqual(shared.write?.seed, byWriter.write?.seed);
});

test('thread derivation refuses bad input', () => {
  const writer = board();
  const reader = restrictCapability(writer, 'read');
  const nonce = new Uint8Array(16).fill(5);
  const other = capabilityFromSeeds('thread', seed(7), seed(8)).spaceId;
  assertCode(() => deriveThreadCapability(writer, nonce, other), 'write-seed-mismatch');
  assertCode(() => deriveThreadCapability(reader, nonce), 'bad-space-id');
  assertCode(() => deriveThreadCapability(reader, nonce, 'not-an-id' as Capability['spaceId']), 'bad-space-id');
  assertCode(() => deriveThreadCapability(capabilityFromSeeds('thread', seed(1), seed(2)), nonce), 'bad-kind');
  assert.throws(() => deriveThreadCapability(writer, new Uint8Array(15)), RangeError);
  // A mirror derives the id it is given and no keys at all.
  const mirrored = deriveThreadCapability(restrictCapability(writer, 'mirror'), nonce, deriveThreadCapability(writer, nonce).spaceId);
  assert.equal(accessLevel(mirrored), 'mirror');
});

test('the owner travels in every level of a board link and in the links of its threads', () => {
  const owner = toBase64url(sodium().crypto_sign_seed_keypair(seed(9)).publicKey);
  const cap = capabilityFromSeeds('board', seed(1), seed(2), ['https://relay.example.org'], owner);
  for (const level of ['write', 'read', 'mirror'] as const) {
    const text = formatCapability(cap, level);
    assert.ok(text.endsWith(`&owner=${owner}`), text);
    assert.equal(parseCapability(text).owner, owner);
    assert.equal(parseCapabilityOrLink(formatWebLink(cap, 'https://relay.example.org', level)).owner, owner);
  }
  const nonce = new Uint8Array(16).fill(5);
  const thread = deriveThreadCapability(cap, nonce);
  assert.equal(thread.owner, owner);
  const readThread = deriveThreadCapability(parseCapability(formatCapability(cap, 'read')), nonce, thread.spaceId);
  assert.equal(parseCapability(formatCapability(readThread)).owner, owner);
  // Without relays the owner is the only parameter; the order of parameters does not matter.
  const bare = capabilityFromSeeds('board', seed(1), seed(2), [], owner);
  assert.equal(formatCapability(bare, 'mirror'), `baton:board:${bare.spaceId}?owner=${owner}`);
  assert.equal(parseCapability(`baton:board:${bare.spaceId}?owner=${owner}&relays=https%3A%2F%2Fa.example`).relays[0], 'https://a.example');
});

test('links without an owner keep working and name none', () => {
  const cap = parseCapability(formatCapability(board()));
  assert.equal(cap.owner, undefined);
  assert.equal('owner' in deriveThreadCapability(cap, new Uint8Array(16)), false);
});

test('a damaged or repeated owner is refused', () => {
  const id = board().spaceId;
  const owner = toBase64url(seed(7));
  assertCode(() => parseCapability(`baton:board:${id}?owner=abc`), 'bad-owner');
  assertCode(() => parseCapability(`baton:board:${id}?owner=${owner}=`), 'bad-owner');
  assertCode(() => parseCapability(`baton:board:${id}?owner=${owner}&owner=${owner}`), 'bad-owner');
  assertCode(() => capabilityFromSeeds('board', seed(1), seed(2), [], 'x'), 'bad-owner');
});
