import { test } from 'vitest';
import assert from 'node:assert/strict';
import { MAX_RELAYS_PER_SPACE, chooseRelays } from './relay-choice.ts';

const many = (n: number, host = 'relay') => Array.from({ length: n }, (_, i) => `https://${host}${i}.example`);

test('at most 16 relays, chosen first, then synced, then the rest of the list', () => {
  const listed = many(300, 'listed');
  const { relays, verdicts } = chooseRelays({ chosen: ['https://mine.example'], synced: ['https://old.example'], listed });
  assert.equal(relays.length, MAX_RELAYS_PER_SPACE);
  assert.deepEqual(relays.slice(0, 3), ['https://mine.example', 'https://old.example', 'https://listed0.example']);
  assert.equal(verdicts.get('https://listed299.example'), 'over-limit');
  // However many the user chose, still 16.
  assert.equal(chooseRelays({ chosen: many(40), synced: [], listed: [] }).relays.length, 16);
});

test('local addresses from the list are never dialled unless chosen, the page came from there, or told to', () => {
  const local = ['http://127.0.0.1:8787', 'http://192.168.1.10', 'http://[::1]:9', 'http://[::ffff:a00:1]', 'http://printer.local', 'http://localhost:1'];
  const listed = [...local, 'https://public.example', 'ftp://x.example'];
  const none = chooseRelays({ chosen: [], synced: local, listed });
  assert.deepEqual(none.relays, ['https://public.example']);
  for (const u of local) assert.equal(none.verdicts.get(u), 'local-address', u);
  assert.equal(none.verdicts.get('ftp://x.example'), 'bad-address');
  assert.deepEqual(chooseRelays({ chosen: ['http://192.168.1.10'], synced: [], listed }).relays, ['http://192.168.1.10', 'https://public.example']);
  assert.deepEqual(chooseRelays({ chosen: [], synced: [], listed }, { pageRelay: 'http://127.0.0.1:8787/' }).relays, ['http://127.0.0.1:8787', 'https://public.example']);
  assert.equal(chooseRelays({ chosen: [], synced: [], listed }, { listedLocal: true }).relays.length, local.length + 1);
});

test('a removed relay is dialled only when the user added it, the page came from it, or nothing else is left', () => {
  const gone = 'https://gone.example';
  const base = { chosen: [gone, 'https://hint.example'], synced: [gone], listed: ['https://listed.example'], removed: [gone] };
  const r = chooseRelays(base);
  assert.deepEqual(r.relays, ['https://hint.example', 'https://listed.example']);
  assert.equal(r.verdicts.get(gone), 'removed');
  // The user's own relay stays, and so does the page's.
  assert.deepEqual(chooseRelays({ ...base, kept: [gone] }).relays, [gone, 'https://hint.example', 'https://listed.example']);
  assert.deepEqual(chooseRelays(base, { pageRelay: `${gone}/` }).relays, [gone, 'https://hint.example', 'https://listed.example']);
  // Every relay removed: the link's hints are dialled anyway rather than none.
  const all = chooseRelays({ chosen: [gone], synced: [], listed: [], removed: [gone] });
  assert.deepEqual(all.relays, [gone]);
  assert.equal(all.verdicts.get(gone), 'chosen');
});
