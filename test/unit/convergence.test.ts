// Seeded randomized convergence: peers write posts, summary edits and thread entries,
// seal them into blobs, and exchange envelope updates over a network that reorders,
// duplicates, drops and delays. Every receive goes through the validator; a gap is
// answered with sync step 1; forged updates from a lying relay are refused. At the end
// every peer holds the same blobs and the same plaintext. A failure prints its seed; replay it with BATON_SEED=<n>.
import { beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { toBase64url } from '#shared/bytes.ts';
import { BlobKind, openBlob, sealLinkBlob, sealUpdateBlob, type WriteKey } from '#shared/blob.ts';
import { capabilityFromSeeds, deriveThreadCapability, type Capability } from '#shared/capability.ts';
import { identityFromSeed, type Identity } from '#shared/identity.ts';
import { initSodium } from '#shared/sodium.ts';
import { appendBlobs, appendSealed, applyValidatedUpdate, createEnvelopeDoc, envelopeLog, type Sealer } from '#shared/envelope/doc.ts';
import { addThreadEntry, threadsMap } from '#shared/schema/board.ts';
import { signPost } from '#shared/schema/post.ts';
import { addPost, listPosts, postsMap, summaryText } from '#shared/schema/thread.ts';
import { createPrng, type Prng } from '../support/prng.ts';

const REMOTE = Symbol('remote');
const LOCAL = Symbol('local');
const SPACES = ['board', 'thread'] as const;
type SpaceName = (typeof SPACES)[number];

type Message = { type: 'update'; update: Uint8Array } | { type: 'step1'; sv: Uint8Array } | { type: 'step2'; update: Uint8Array };

interface Envelope {
  deliverAt: number;
  seq: number;
  from: number;
  to: number;
  space: SpaceName;
  msg: Message;
  /** Sent by a lying relay: must be refused. */
  forged?: boolean;
}

interface PeerSpace {
  key: WriteKey;
  envelope: Y.Doc;
  plain: Y.Doc;
  /** Local plaintext changes not yet sealed into a blob. */
  pending: Uint8Array[];
  /** Link blobs sealed with the next batch. */
  pendingLinks: Array<{ child: Uint8Array; nonce: Uint8Array }>;
  /** Children named by the link blobs this peer has opened. */
  links: Set<string>;
}

interface Stats {
  gaps: number;
  accepted: number;
  dropped: number;
  duplicated: number;
  blobs: number;
  posts: number;
  forgedRefused: number;
}

interface World {
  prng: Prng;
  now: number;
  seq: number;
  chaos: boolean;
  queue: Envelope[];
  peers: Array<{ id: number; identity: Identity; spaces: Record<SpaceName, PeerSpace> }>;
  board: Capability;
  stats: Stats;
  errors: string[];
}

function send(w: World, from: number, to: number, space: SpaceName, msg: Message): void {
  const copies = w.chaos && w.prng.bool(0.1) ? 2 : 1;
  if (copies === 2) w.stats.duplicated++;
  for (let i = 0; i < copies; i++) {
    if (w.chaos && w.prng.bool(0.15)) {
      w.stats.dropped++;
      continue;
    }
    const delay = w.chaos ? 1 + w.prng.int(25) : 1;
    w.queue.push({ deliverAt: w.now + delay, seq: w.seq++, from, to, space, msg });
  }
}

function receive(w: World, e: Envelope): void {
  const peer = w.peers[e.to]!;
  const ps = peer.spaces[e.space];
  if (e.msg.type === 'step1') {
    send(w, e.to, e.from, e.space, { type: 'step2', update: Y.encodeStateAsUpdate(ps.envelope, e.msg.sv) });
    return;
  }
  const verdict = applyValidatedUpdate(ps.envelope, e.msg.update, { writePub: ps.key.writePub, epoch: ps.key.epoch }, REMOTE);
  if (e.forged) {
    if (verdict.ok || verdict.reason !== 'bad-blob') w.errors.push(`peer ${e.to} did not refuse a forged update: ${JSON.stringify(verdict.ok || verdict.reason)}`);
    else w.stats.forgedRefused++;
    return;
  }
  if (!verdict.ok) {
    if (verdict.reason === 'gap') {
      // docs/PROTOCOL.md §3: answer a gap with our own sync step 1, so the sender fills it at once.
      w.stats.gaps++;
      send(w, e.to, e.from, e.space, { type: 'step1', sv: Y.encodeStateVector(ps.envelope) });
    } else {
      w.errors.push(`peer ${e.to} rejected an honest update: ${verdict.reason} ${verdict.detail}`);
    }
    return;
  }
  w.stats.accepted++;
  for (const { blob, client, clock } of verdict.blobs) {
    const opened = openBlob(blob, ps.key, { client, clock });
    if (!opened.ok) {
      w.errors.push(`peer ${e.to} could not open a blob: ${opened.reason}`);
    } else if (opened.kind === BlobKind.link) {
      ps.links.add(toBase64url(opened.child));
    } else {
      Y.applyUpdate(ps.plain, opened.update, REMOTE);
    }
  }
  // Relays and mirrors pass updates on: forward some, so updates also arrive out of context.
  if (verdict.blobs.length > 0 && w.chaos && w.prng.bool(0.3)) {
    const to = w.prng.int(w.peers.length);
    if (to !== e.to && to !== e.from) send(w, e.to, to, e.space, e.msg);
  }
}

/** One post is one blob: the batch of local changes becomes a single sealed update. */
function flush(w: World, peerId: number, space: SpaceName): void {
  const peer = w.peers[peerId]!;
  const ps = peer.spaces[space];
  if (ps.pending.length === 0 && ps.pendingLinks.length === 0) return;
  const sealers: Sealer[] = ps.pendingLinks.map(({ child, nonce }) => (pos) => sealLinkBlob(ps.key, child, pos, nonce));
  if (ps.pending.length > 0) {
    const update = Y.mergeUpdates(ps.pending);
    const nonce = w.prng.bytes(24);
    sealers.push((pos) => sealUpdateBlob(ps.key, BlobKind.update, peer.identity, update, pos, nonce));
  }
  ps.pending = [];
  ps.pendingLinks = [];
  w.stats.blobs += sealers.length;
  appendSealed(ps.envelope, sealers, LOCAL);
}

function localOperation(w: World, peerId: number, authors: Identity[], thread: Capability): void {
  const peer = w.peers[peerId]!;
  const p = w.prng;
  const roll = p.int(10);
  if (roll < 4) {
    const plain = peer.spaces.thread.plain;
    const existing = [...postsMap(plain).keys()];
    const post = signPost(p.pick(authors), {
      threadSpaceId: thread.spaceId,
      name: `member ${p.int(100)}`,
      body: `post ${w.stats.posts} from peer ${peerId}: ${'x'.repeat(p.int(300))}`,
      ts: 1_700_000_000_000 + p.int(1_000_000),
      id: toBase64url(p.bytes(16)),
      ...(existing.length > 0 && p.bool(0.3) ? { replyTo: p.pick(existing) } : {}),
    });
    addPost(plain, post);
    w.stats.posts++;
  } else if (roll < 8) {
    const text = summaryText(peer.spaces.thread.plain);
    if (text.length > 10 && p.bool(0.3)) text.delete(p.int(text.length - 5), 1 + p.int(5));
    else text.insert(p.int(text.length + 1), p.pick(['the ', 'story ', 'so ', 'far ', 'and ', 'then ']));
  } else {
    const nonce = p.bytes(16);
    const child = deriveThreadCapability(w.board, nonce);
    const ps = peer.spaces.board;
    addThreadEntry(ps.plain, child.spaceId, { nonce: toBase64url(nonce), title: `thread ${p.int(1000)}`, createdAt: p.int(1e9), author: toBase64url(peer.identity.publicKey) });
    ps.pendingLinks.push({ child: child.writePub, nonce: p.bytes(24) });
    ps.links.add(child.spaceId);
  }
}

/** A lying relay: a real blob with a flipped bit, a real blob replayed under a fresh id, or a blob sealed for another space. */
function forge(w: World, stranger: WriteKey, author: Identity): void {
  const to = w.prng.int(w.peers.length);
  const space = w.prng.pick(SPACES);
  const log = envelopeLog(w.peers[w.prng.int(w.peers.length)]!.spaces[space].envelope).toArray();
  let blob: Uint8Array;
  const roll = w.prng.int(3);
  if (log.length > 0 && roll === 0) {
    blob = w.prng.pick(log).slice();
    blob[w.prng.int(blob.length)]! ^= 1 << w.prng.int(8);
  } else if (log.length > 0 && roll === 1) {
    blob = w.prng.pick(log); // valid where it sits, refused anywhere else
  } else {
    blob = sealUpdateBlob(stranger, BlobKind.update, author, Y.encodeStateAsUpdate(new Y.Doc()), { client: 1, clock: 0 }, w.prng.bytes(24));
  }
  const doc = createEnvelopeDoc();
  doc.clientID = 900_000 + w.prng.int(1000);
  appendBlobs(doc, [blob]);
  w.queue.push({ deliverAt: w.now + 1 + w.prng.int(10), seq: w.seq++, from: to, to, space, msg: { type: 'update', update: Y.encodeStateAsUpdate(doc) }, forged: true });
}

function deliverDue(w: World): void {
  const due = w.queue.filter((e) => e.deliverAt <= w.now);
  w.queue = w.queue.filter((e) => e.deliverAt > w.now);
  // Same-tick messages in random order.
  for (let i = due.length - 1; i > 0; i--) {
    const j = w.prng.int(i + 1);
    [due[i], due[j]] = [due[j]!, due[i]!];
  }
  for (const e of due) receive(w, e);
}

function runSeed(seed: number, peerCount = 4, ticks = 150): Stats {
  const prng = createPrng(seed);
  const board = capabilityFromSeeds('board', prng.bytes(32), prng.bytes(32));
  const thread = deriveThreadCapability(board, prng.bytes(16));
  const authors = Array.from({ length: 5 }, () => identityFromSeed(prng.bytes(32)));
  const keyOf = (cap: Capability): WriteKey => ({ writePub: cap.writePub, epoch: 0, readKey: cap.readKey!, writeSecret: cap.write!.secretKey });
  const w: World = {
    prng,
    now: 0,
    seq: 0,
    chaos: true,
    queue: [],
    peers: [],
    board,
    stats: { gaps: 0, accepted: 0, dropped: 0, duplicated: 0, blobs: 0, posts: 0, forgedRefused: 0 },
    errors: [],
  };
  for (let id = 0; id < peerCount; id++) {
    const makeSpace = (cap: Capability, name: SpaceName): PeerSpace => {
      const envelope = createEnvelopeDoc();
      envelope.clientID = 1000 + id * 10 + SPACES.indexOf(name);
      const plain = new Y.Doc();
      plain.clientID = 2000 + id * 10 + SPACES.indexOf(name);
      const ps: PeerSpace = { key: keyOf(cap), envelope, plain, pending: [], pendingLinks: [], links: new Set() };
      plain.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== REMOTE) ps.pending.push(update);
      });
      envelope.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== LOCAL) return;
        for (let to = 0; to < peerCount; to++) if (to !== id) send(w, id, to, name, { type: 'update', update });
      });
      return ps;
    };
    w.peers.push({ id, identity: identityFromSeed(prng.bytes(32)), spaces: { board: makeSpace(board, 'board'), thread: makeSpace(thread, 'thread') } });
  }

  const stranger = keyOf(capabilityFromSeeds('thread', prng.bytes(32), prng.bytes(32)));
  for (; w.now < ticks; w.now++) {
    if (prng.bool(0.6)) localOperation(w, prng.int(peerCount), authors, thread);
    if (prng.bool(0.05)) forge(w, stranger, authors[0]!);
    for (const peer of w.peers) for (const space of SPACES) if (prng.bool(0.25)) flush(w, peer.id, space);
    // Reconnects: a peer re-syncs one room with another by state vector.
    if (prng.bool(0.08)) {
      const a = prng.int(peerCount);
      const b = (a + 1 + prng.int(peerCount - 1)) % peerCount;
      const space = prng.pick(SPACES);
      send(w, a, b, space, { type: 'step1', sv: Y.encodeStateVector(w.peers[a]!.spaces[space].envelope) });
    }
    deliverDue(w);
  }

  // Heal: flush everything, let the network drain reliably, then re-sync every pair.
  w.chaos = false;
  for (const peer of w.peers) for (const space of SPACES) flush(w, peer.id, space);
  const drain = () => {
    for (let guard = 0; w.queue.length > 0; guard++) {
      assert.ok(guard < 10_000, 'the network does not drain');
      w.now++;
      deliverDue(w);
    }
  };
  w.now = Math.max(w.now, ...w.queue.map((e) => e.deliverAt));
  drain();
  for (const a of w.peers) {
    for (const b of w.peers) {
      if (a === b) continue;
      for (const space of SPACES) send(w, a.id, b.id, space, { type: 'step1', sv: Y.encodeStateVector(a.spaces[space].envelope) });
    }
  }
  drain();

  assert.deepEqual(w.errors, []);
  const [first, ...rest] = w.peers;
  for (const space of SPACES) {
    const ref = first!.spaces[space];
    assert.equal(ref.plain.store.pendingStructs, null, `peer 0 ${space}: plaintext left pending`);
    for (const peer of rest) {
      const ps = peer.spaces[space];
      const where = `peer ${peer.id} ${space}`;
      assert.deepEqual(Y.encodeStateVector(ps.envelope), Y.encodeStateVector(ref.envelope), `${where}: envelope state vector`);
      assert.deepEqual(envelopeLog(ps.envelope).toArray().map(toBase64url).sort(), envelopeLog(ref.envelope).toArray().map(toBase64url).sort(), `${where}: blobs`);
      assert.deepEqual(envelopeLog(ps.envelope).toArray(), envelopeLog(ref.envelope).toArray(), `${where}: blob order`);
      assert.deepEqual(Y.encodeStateVector(ps.plain), Y.encodeStateVector(ref.plain), `${where}: plaintext state vector`);
      assert.equal(ps.plain.store.pendingStructs, null, `${where}: plaintext left pending`);
      assert.deepEqual(ps.links, ref.links, `${where}: links`);
    }
  }
  for (const peer of rest) {
    assert.deepEqual(postsMap(peer.spaces.thread.plain).toJSON(), postsMap(first!.spaces.thread.plain).toJSON());
    assert.equal(summaryText(peer.spaces.thread.plain).toString(), summaryText(first!.spaces.thread.plain).toString());
    assert.deepEqual(threadsMap(peer.spaces.board.plain).toJSON(), threadsMap(first!.spaces.board.plain).toJSON());
  }
  // Nothing was lost: every post arrived, verified, and every new thread has its link blob.
  const posts = listPosts(first!.spaces.thread.plain, thread.spaceId);
  assert.equal(posts.length, w.stats.posts);
  assert.ok(posts.every((p) => p.verified));
  assert.deepEqual([...first!.spaces.board.links].sort(), [...threadsMap(first!.spaces.board.plain).keys()].sort());
  assert.equal(envelopeLog(first!.spaces.board.envelope).length + envelopeLog(first!.spaces.thread.envelope).length, w.stats.blobs);
  return w.stats;
}

beforeAll(async () => {
  await initSodium();
});

const replay = process.env.BATON_SEED;
const seeds = replay !== undefined ? [Number(replay)] : [1, 2, 3, 4, 5];

test(`peers converge through a lossy, reordering network (seeds ${seeds.join(', ')})`, () => {
  let gaps = 0;
  for (const seed of seeds) {
    let stats: Stats;
    try {
      stats = runSeed(seed);
    } catch (err) {
      console.error(`convergence failed for seed ${seed}; replay with BATON_SEED=${seed}`);
      throw err;
    }
    assert.ok(stats.posts > 0 && stats.blobs > 0 && stats.dropped > 0 && stats.duplicated > 0 && stats.forgedRefused > 0, `seed ${seed} exercised too little: ${JSON.stringify(stats)}`);
    console.log(`seed ${seed}: ${JSON.stringify(stats)}`);
    gaps += stats.gaps;
  }
  assert.ok(gaps > 0, 'no gap was ever answered: the resync path was not exercised');
});
