// A space dials at most 16 relays: relays its user chooses later push the board list's
// entries out, and those connections are closed, not kept.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { createSpace, generateIdentity, initSodium } from '#shared';
import { Space } from './space.ts';
import { MemoryStore } from './store.ts';
import { MAX_RELAYS_PER_SPACE } from './relay-choice.ts';

await initSodium();

// Nothing listens on these loopback ports' paths that matter: connections fail fast, locally.
const listed = Array.from({ length: 20 }, (_, i) => `http://127.0.0.1:9/listed${i}`);
const chosen = Array.from({ length: 5 }, (_, i) => `http://127.0.0.1:9/chosen${i}`);

test('chosen relays come first and push listed ones out; dropped connections close', async () => {
  const space = await Space.open(createSpace('board'), {
    store: new MemoryStore(),
    identity: generateIdentity(),
    connection: { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket, maxBackoffMs: 200 },
    relayPolicy: { listedLocal: true },
  });
  try {
    space.offerListed(listed);
    assert.deepEqual(space.relays(), listed.slice(0, MAX_RELAYS_PER_SPACE));
    space.connect(chosen);
    const now = space.relays();
    assert.equal(now.length, MAX_RELAYS_PER_SPACE);
    assert.deepEqual(now.slice(0, 5), chosen);
    assert.deepEqual(now.slice(5), listed.slice(0, MAX_RELAYS_PER_SPACE - 5));
    assert.equal(space.relayVerdicts().get(listed[15]!), 'over-limit');
    // Handing it relays it already has, some kept out by the limit, announces nothing: a page
    // that does so on every render must not render for ever.
    let changes = 0;
    const stop = space.subscribe(() => changes++);
    space.connect([...chosen, ...listed]);
    space.connect([...chosen, ...listed]);
    space.offerListed([...listed]);
    assert.equal(changes, 1, 'the listed relays became chosen once, then nothing changed');
    stop();
    // Only the dialled relays have connections (statuses() lists the current room's).
    await new Promise((r) => setTimeout(r, 3500)); // past the fresh device's hold
    assert.deepEqual(space.statuses().map((s) => s.relay).sort(), [...now].sort());
  } finally {
    await space.close();
  }
});

test('without the policy, local addresses from the list are not dialled but chosen ones are', async () => {
  const space = await Space.open(createSpace('board'), { store: new MemoryStore(), identity: generateIdentity(), connection: { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket } });
  try {
    space.offerListed(listed);
    assert.deepEqual(space.relays(), []);
    space.connect([chosen[0]!]);
    assert.deepEqual(space.relays(), [chosen[0]]);
    assert.equal(space.relayVerdicts().get(listed[0]!), 'local-address');
  } finally {
    await space.close();
  }
});
