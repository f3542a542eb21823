// Splits a large envelope-doc update into several that each fit a relay's update limit,
// ordered so that each applies without a gap after the ones before it (every struct after
// its origin, its right origin and its predecessor of the same client). Without this a room
// larger than one message could never be pushed to a fresh relay.
//
// Works on the bytes: envelope updates hold only ContentBinary items of length 1, so each
// struct is copied verbatim and regrouped per client. Yjs v1 update layout:
//   clients:varuint { structs:varuint client:varuint clock:varuint struct* }* deleteSet
//
// The structs are held as typed columns of numbers, not one object each: a relay splits
// bundles of a hundred thousand tiny blobs, and an object, a byte view and a dependency list
// per struct cost several hundred bytes each, many times the blob itself (and whatever the JS
// heap holds when it is collected sets how far it may grow before the next collection).
import * as encoding from 'lib0/encoding';
import { ByteReader } from './byte-reader.ts';

const INFO_ORIGIN = 0x80;
const INFO_RIGHT = 0x40;
const INFO_PARENT_SUB = 0x20;
const CONTENT_BINARY = 3;
/** Per-client header and delete set, generously. */
const HEADER_ROOM = 64;
const NONE = -1;

/** The structs of an update, struct i being columns[i] of each (typed: off the JS heap). */
interface Structs {
  count: number;
  client: Float64Array;
  clock: Float64Array;
  /** Its bytes: update[start, end). */
  start: Uint32Array;
  end: Uint32Array;
  /** NONE, or the id of its origin (its right origin). */
  originClient: Float64Array;
  originClock: Float64Array;
  rightClient: Float64Array;
  rightClock: Float64Array;
  /** Per client, its run: the index of its first struct, and that struct's clock. */
  runs: Map<number, { first: number; clock: number; count: number }>;
}

function columns(count: number): Structs {
  const f = () => new Float64Array(count);
  return { count: 0, client: f(), clock: f(), start: new Uint32Array(count), end: new Uint32Array(count), originClient: f(), originClock: f(), rightClient: f(), rightClock: f(), runs: new Map() };
}

/**
 * Yielded by the step-wise splitter every few thousand structs, so that a caller on an
 * event loop can pause there (a room of half a million blobs takes seconds to split).
 */
export const SPLIT_CHECKPOINT = null;
const STRUCTS_PER_STEP = 4096;

/**
 * The structs of an append-only envelope update, or null if it holds anything else. Read
 * twice: once to count them, once into columns of that size.
 */
function* readStructs(update: Uint8Array): Generator<null, Structs | null> {
  const count = yield* scan(update, null);
  if (count === null) return null;
  const s = columns(count);
  return (yield* scan(update, s)) === null ? null : s;
}

/** What a struct builds on (NONE where it has no origin or right origin). */
interface ItemHead {
  originClient: number;
  originClock: number;
  rightClient: number;
  rightClock: number;
}

/**
 * Reads a struct up to its blob into `head`; false when it is not a binary item of a root
 * array, what envelope docs hold.
 */
function readItemHead(r: ByteReader, head: ItemHead): boolean {
  const info = r.readByte();
  if ((info & 0x1f) !== CONTENT_BINARY || info & INFO_PARENT_SUB) return false;
  head.originClient = info & INFO_ORIGIN ? r.readVarUint() : NONE;
  head.originClock = info & INFO_ORIGIN ? r.readVarUint() : NONE;
  head.rightClient = info & INFO_RIGHT ? r.readVarUint() : NONE;
  head.rightClock = info & INFO_RIGHT ? r.readVarUint() : NONE;
  if (!(info & (INFO_ORIGIN | INFO_RIGHT))) {
    if (r.readVarUint() !== 1) return false; // parent named by a root type name
    r.readVarBytes();
  }
  return true;
}

/**
 * The blob of an update's first struct, read no further than it; null when the update does
 * not start with an envelope item (or is damaged).
 */
export function firstEnvelopeBlob(update: Uint8Array): Uint8Array | null {
  try {
    const r = new ByteReader(update);
    if (r.readVarUint() === 0) return null; // no clients
    const count = r.readVarUint();
    r.readVarUint(); // client
    r.readVarUint(); // clock
    if (count === 0 || !readItemHead(r, { originClient: NONE, originClock: NONE, rightClient: NONE, rightClock: NONE })) return null;
    return r.readVarBytes();
  } catch {
    return null;
  }
}

/** Walks the update's structs, into `s` when given; their number, or null. */
function* scan(update: Uint8Array, s: Structs | null): Generator<null, number | null> {
  let n = 0;
  const head: ItemHead = { originClient: NONE, originClock: NONE, rightClient: NONE, rightClock: NONE };
  try {
    const r = new ByteReader(update);
    const clients = r.readVarUint();
    const seen = new Set<number>();
    for (let c = 0; c < clients; c++) {
      const count = r.readVarUint();
      const client = r.readVarUint();
      let clock = r.readVarUint();
      if (seen.has(client)) return null; // a client twice: not an update Yjs writes
      seen.add(client);
      s?.runs.set(client, { first: n, clock, count });
      for (let i = 0; i < count; i++, clock++) {
        const start = r.pos;
        if (!readItemHead(r, head)) return null;
        r.readVarBytes();
        if (s) {
          s.client[n] = client;
          s.clock[n] = clock;
          s.start[n] = start;
          s.end[n] = r.pos;
          s.originClient[n] = head.originClient;
          s.originClock[n] = head.originClock;
          s.rightClient[n] = head.rightClient;
          s.rightClock[n] = head.rightClock;
          s.count = n + 1;
        }
        if (++n % STRUCTS_PER_STEP === 0) yield SPLIT_CHECKPOINT;
      }
    }
    if (r.readVarUint() !== 0 || !r.done) return null; // a delete set: not ours to split
    return n;
  } catch {
    return null;
  }
}

/** The index of the struct at (client, clock) in the update, or -1 (then the receiver's). */
function indexOf(s: Structs, client: number, clock: number): number {
  const run = s.runs.get(client);
  if (!run || clock < run.clock || clock >= run.clock + run.count) return -1;
  return run.first + clock - run.clock;
}

/** The `k`th dependency of struct i in the update (its predecessor, origin, right origin), or -1. */
function dependency(s: Structs, i: number, k: number): number {
  if (k === 0) return s.clock[i]! > 0 ? indexOf(s, s.client[i]!, s.clock[i]! - 1) : -1;
  if (k === 1) return s.originClient[i] === NONE ? -1 : indexOf(s, s.originClient[i]!, s.originClock[i]!);
  return s.rightClient[i] === NONE ? -1 : indexOf(s, s.rightClient[i]!, s.rightClock[i]!);
}

/** Dependencies first (iterative depth-first post-order); dependencies outside the update are the receiver's. */
function* topological(s: Structs): Generator<null, Int32Array> {
  const state = new Uint8Array(s.count); // 0 new, 1 visiting, 2 done
  const order = new Int32Array(s.count);
  let ordered = 0;
  // Each entry: a struct and the next of its 3 dependencies to look at.
  const stack: number[] = [];
  for (let root = 0; root < s.count; root++) {
    if (root % STRUCTS_PER_STEP === 0) yield SPLIT_CHECKPOINT;
    if (state[root]) continue;
    stack.push(root, 0);
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 2]!;
      const k = stack[stack.length - 1]!;
      if (k < 3) {
        stack[stack.length - 1] = k + 1;
        const dep = dependency(s, top, k);
        if (dep >= 0 && state[dep] === 0) {
          state[dep] = 1;
          stack.push(dep, 0);
        }
        continue;
      }
      state[top] = 2;
      order[ordered++] = top;
      stack.length -= 2;
    }
  }
  return order;
}

function encodeChunk(update: Uint8Array, s: Structs, chunk: number[]): Uint8Array {
  const byClient = new Map<number, number[]>();
  for (const i of chunk) {
    const list = byClient.get(s.client[i]!) ?? [];
    list.push(i);
    byClient.set(s.client[i]!, list);
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, byClient.size);
  // Clients in descending order, as Yjs writes them: Y.mergeUpdates reads updates lazily in that
  // order, and silently drops structs of an update that lists its clients otherwise.
  for (const [client, list] of [...byClient].sort((x, y) => y[0] - x[0])) {
    list.sort((a, b) => s.clock[a]! - s.clock[b]!); // contiguous: a predecessor always comes first
    encoding.writeVarUint(e, list.length);
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, s.clock[list[0]!]!);
    for (const i of list) encoding.writeUint8Array(e, update.subarray(s.start[i]!, s.end[i]!));
  }
  encoding.writeVarUint(e, 0); // empty delete set
  return encoding.toUint8Array(e);
}

/** One update when it fits; otherwise gap-free pieces of at most maxBytes (a lone struct may exceed it). */
export function splitEnvelopeUpdate(update: Uint8Array, maxBytes: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (const step of splitEnvelopeUpdateSteps(update, maxBytes)) if (step !== SPLIT_CHECKPOINT) pieces.push(step);
  return pieces;
}

/**
 * The number of structs (blobs) of an append-only envelope update, walked step-wise without
 * building anything; null if it holds anything else.
 */
export function* countEnvelopeStructsSteps(update: Uint8Array): Generator<null, number | null> {
  return yield* scan(update, null);
}

/** splitEnvelopeUpdate one step at a time: yields each piece in order, and checkpoints between. */
export function* splitEnvelopeUpdateSteps(update: Uint8Array, maxBytes: number): Generator<Uint8Array | null, void> {
  if (update.length <= maxBytes) {
    yield update;
    return;
  }
  const structs = yield* readStructs(update);
  if (!structs) {
    yield update;
    return;
  }
  let current: number[] = [];
  let size = 0;
  const clients = new Set<number>();
  let since = 0;
  for (const i of yield* topological(structs)) {
    const client = structs.client[i]!;
    const bytes = structs.end[i]! - structs.start[i]!;
    if (current.length > 0 && size + bytes + (clients.has(client) ? 0 : HEADER_ROOM) > maxBytes) {
      yield encodeChunk(update, structs, current);
      current = [];
      size = 0;
      clients.clear();
    }
    current.push(i);
    size += bytes + (clients.has(client) ? 0 : HEADER_ROOM);
    clients.add(client);
    if (++since % STRUCTS_PER_STEP === 0) yield SPLIT_CHECKPOINT;
  }
  if (current.length > 0) yield encodeChunk(update, structs, current);
}
