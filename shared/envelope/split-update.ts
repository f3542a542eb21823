// Splits a large envelope-doc update into several that each fit a relay's update limit,
// ordered so that each applies without a gap after the ones before it (every struct after
// its origin, its right origin and its predecessor of the same client). Without this a room
// larger than one message could never be pushed to a fresh relay.
//
// Works on the bytes: envelope updates hold only ContentBinary items of length 1, so each
// struct is copied verbatim and regrouped per client. Yjs v1 update layout:
//   clients:varuint { structs:varuint client:varuint clock:varuint struct* }* deleteSet
import * as encoding from 'lib0/encoding';
import { ByteReader } from './byte-reader.ts';

const INFO_ORIGIN = 0x80;
const INFO_RIGHT = 0x40;
const INFO_PARENT_SUB = 0x20;
const CONTENT_BINARY = 3;
/** Per-client header and delete set, generously. */
const HEADER_ROOM = 64;

interface Struct {
  client: number;
  clock: number;
  bytes: Uint8Array;
  deps: [number, number][];
}

/**
 * Yielded by the step-wise splitter every few thousand structs, so that a caller on an
 * event loop can pause there (a room of half a million blobs takes seconds to split).
 */
export const SPLIT_CHECKPOINT = null;
const STRUCTS_PER_STEP = 4096;

/** The structs of an append-only envelope update, or null if it holds anything else. */
function* readStructs(update: Uint8Array): Generator<null, Struct[] | null> {
  try {
    const r = new ByteReader(update);
    const structs: Struct[] = [];
    const clients = r.readVarUint();
    for (let c = 0; c < clients; c++) {
      const count = r.readVarUint();
      const client = r.readVarUint();
      let clock = r.readVarUint();
      for (let i = 0; i < count; i++, clock++) {
        const start = r.pos;
        const info = r.readByte();
        if ((info & 0x1f) !== CONTENT_BINARY || info & INFO_PARENT_SUB) return null;
        const deps: [number, number][] = clock > 0 ? [[client, clock - 1]] : [];
        if (info & INFO_ORIGIN) deps.push([r.readVarUint(), r.readVarUint()]);
        if (info & INFO_RIGHT) deps.push([r.readVarUint(), r.readVarUint()]);
        if (!(info & (INFO_ORIGIN | INFO_RIGHT))) {
          if (r.readVarUint() !== 1) return null; // parent named by a root type name
          r.readVarBytes();
        }
        r.readVarBytes();
        structs.push({ client, clock, bytes: update.subarray(start, r.pos), deps });
        if (structs.length % STRUCTS_PER_STEP === 0) yield SPLIT_CHECKPOINT;
      }
    }
    if (r.readVarUint() !== 0 || !r.done) return null; // a delete set: not ours to split
    return structs;
  } catch {
    return null;
  }
}

/** Dependencies first (iterative depth-first post-order); dependencies outside the update are the receiver's. */
function* topological(structs: Struct[]): Generator<null, Struct[]> {
  const index = new Map<string, number>();
  structs.forEach((s, i) => index.set(`${s.client}:${s.clock}`, i));
  const state = new Uint8Array(structs.length); // 0 new, 1 visiting, 2 done
  const order: Struct[] = [];
  for (let root = 0; root < structs.length; root++) {
    if (root % STRUCTS_PER_STEP === 0) yield SPLIT_CHECKPOINT;
    if (state[root]) continue;
    const stack: [number, number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const s = structs[top[0]]!;
      if (top[1] < s.deps.length) {
        const [client, clock] = s.deps[top[1]++]!;
        const dep = index.get(`${client}:${clock}`);
        if (dep !== undefined && state[dep] === 0) {
          state[dep] = 1;
          stack.push([dep, 0]);
        }
        continue;
      }
      state[top[0]] = 2;
      order.push(s);
      stack.pop();
    }
  }
  return order;
}

function encodeChunk(structs: Struct[]): Uint8Array {
  const byClient = new Map<number, Struct[]>();
  for (const s of structs) {
    const list = byClient.get(s.client) ?? [];
    list.push(s);
    byClient.set(s.client, list);
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, byClient.size);
  // Clients in descending order, as Yjs writes them: Y.mergeUpdates reads updates lazily in that
  // order, and silently drops structs of an update that lists its clients otherwise.
  for (const [client, list] of [...byClient].sort((x, y) => y[0] - x[0])) {
    list.sort((a, b) => a.clock - b.clock); // contiguous: a predecessor always comes first
    encoding.writeVarUint(e, list.length);
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, list[0]!.clock);
    for (const s of list) encoding.writeUint8Array(e, s.bytes);
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
  let current: Struct[] = [];
  let size = 0;
  const clients = new Set<number>();
  let since = 0;
  for (const s of yield* topological(structs)) {
    const extra = s.bytes.length + (clients.has(s.client) ? 0 : HEADER_ROOM);
    if (current.length > 0 && size + extra > maxBytes) {
      yield encodeChunk(current);
      current = [];
      size = 0;
      clients.clear();
    }
    current.push(s);
    size += s.bytes.length + (clients.has(s.client) ? 0 : HEADER_ROOM);
    clients.add(s.client);
    if (++since % STRUCTS_PER_STEP === 0) yield SPLIT_CHECKPOINT;
  }
  if (current.length > 0) yield encodeChunk(current);
}
