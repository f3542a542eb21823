// A room's whole doc encoded in slices of event-loop time, straight from its store. Encoding
// a room of 64 MiB in one call (Y.encodeStateAsUpdate) held the event loop for 170 ms and
// more, and every other room waited; here the work pauses whenever its slice is due.
//
// Both encoders write what the doc held when they started (a state vector taken then): a room
// only grows, envelope items are ContentBinary of length 1 that Yjs never splits or merges, so
// the structs below those clocks stay as they were while later writes land. A store holding
// anything else (a pending update, a deleted or other struct) is not encoded here: the caller
// falls back to Yjs.
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { Slice } from '../slices.ts';

/** Event-loop time a room's encoding takes at a time before other work gets a turn. */
export const ENCODE_SLICE_MS = 8;
/** Structs visited between checks of the slice. */
const STEP = 64;
/** Room for a client's header in a piece (count, client, clock: three varuints), generously. */
const HEADER_ROOM = 32;
/** Room for a struct's info byte, origins and length prefix beyond its blob, generously. */
const STRUCT_ROOM = 32;

type Run = [client: number, clock: number, structs: ReadonlyArray<Y.Item | Y.GC>];

/** The store's clients, highest first (as Yjs writes them), with their clocks; null if it holds pending updates. */
function snapshot(doc: Y.Doc): Run[] | null {
  const store = doc.store;
  if (store.pendingStructs || store.pendingDs) return null;
  const runs: Run[] = [];
  for (const [client, structs] of store.clients) {
    const last = structs[structs.length - 1];
    if (last) runs.push([client, last.id.clock + last.length, structs]);
  }
  return runs.sort((a, b) => b[0] - a[0]);
}

/** The envelope item at `clock` of a client's structs, or null for anything else. */
function itemAt(structs: Run[2], clock: number): Y.Item | null {
  const s = structs[clock];
  if (!(s instanceof Y.Item) || s.id.clock !== clock || s.length !== 1 || s.deleted || !(s.content instanceof Y.ContentBinary)) return null;
  return s;
}

/**
 * The whole doc as one update, byte for byte what Y.encodeStateAsUpdate(doc) gives at the
 * start, in chunks of about `chunkBytes` (their concatenation is the update). Null when the
 * store holds anything but envelope items.
 */
export async function encodeWholeUpdate(doc: Y.Doc, chunkBytes: number, slice: Slice): Promise<Uint8Array[] | null> {
  const runs = snapshot(doc);
  if (!runs) return null;
  const chunks: Uint8Array[] = [];
  let encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, runs.length);
  for (const [client, end, structs] of runs) {
    // One struct per clock: the count of structs is the clock.
    encoding.writeVarUint(encoder.restEncoder, end);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, 0);
    for (let clock = 0; clock < end; clock++) {
      const item = itemAt(structs, clock);
      if (!item) return null;
      item.write(encoder, 0);
      if (encoding.length(encoder.restEncoder) >= chunkBytes) {
        chunks.push(encoder.toUint8Array());
        encoder = new Y.UpdateEncoderV1();
        await slice.check();
      } else if (clock % STEP === 0) await slice.check();
    }
  }
  encoding.writeVarUint(encoder.restEncoder, 0); // an empty delete set: nothing is ever deleted
  chunks.push(encoder.toUint8Array());
  return chunks;
}

/**
 * The whole doc as chunks of one update (encodeWholeUpdate), or, for a store of anything but
 * envelope items (never a relay's room), encoded by Yjs in one call.
 */
export async function encodeWholeRoom(doc: Y.Doc, chunkBytes: number, sliceMs = ENCODE_SLICE_MS): Promise<Uint8Array[]> {
  try {
    const chunks = await encodeWholeUpdate(doc, chunkBytes, new Slice(sliceMs));
    if (chunks) return chunks;
  } catch {
    // encoded by Yjs below
  }
  return [Y.encodeStateAsUpdate(doc)];
}

/** What encodeRoomPieces hands over: a piece and, per client, the clock it reaches. */
export type PieceSink = (piece: Uint8Array, reach: Map<number, number>) => boolean;

/**
 * The whole doc as updates of about `pieceBytes` (a lone struct may exceed it), each applying
 * without a gap after the ones before it: every struct after its predecessor of the same
 * client, its origin and its right origin. Each piece goes to `sink` as it is built; a sink
 * that answers false stops the work. Resolves with the state vector handed over so far, and
 * whether the store held only envelope items (false: the rest is the caller's to encode).
 */
export async function encodeRoomPieces(doc: Y.Doc, pieceBytes: number, slice: Slice, sink: PieceSink): Promise<{ complete: boolean; sent: Map<number, number> }> {
  const sent = new Map<number, number>();
  const runs = snapshot(doc);
  if (!runs) return { complete: false, sent };
  const structsOf = new Map(runs.map(([client, , structs]) => [client, structs]));
  // 0 new, 1 on the stack, 2 placed in the order.
  const state = new Map(runs.map(([client, end]) => [client, new Uint8Array(end)]));
  let piece: Y.Item[] = [];
  let size = 0;
  const inPiece = new Set<number>();
  let stopped = false;
  let flushed = 0;
  const flush = () => {
    if (piece.length === 0) return;
    flushed++;
    const { bytes, reach } = encodePiece(piece);
    for (const [client, clock] of reach) sent.set(client, clock);
    piece = [];
    size = 0;
    inPiece.clear();
    if (!sink(bytes, reach)) stopped = true;
  };
  const place = (item: Y.Item) => {
    const bytes = (item.content as Y.ContentBinary).content.length + STRUCT_ROOM;
    const header = () => (inPiece.has(item.id.client) ? 0 : HEADER_ROOM);
    if (piece.length > 0 && size + bytes + header() > pieceBytes) flush();
    size += bytes + header();
    piece.push(item);
    inPiece.add(item.id.client);
  };
  let visited = 0;
  for (const [rootClient, end, structs] of runs) {
    const rootState = state.get(rootClient)!;
    for (let rootClock = 0; rootClock < end; rootClock++) {
      if (rootState[rootClock]) continue;
      if (!itemAt(structs, rootClock)) return { complete: false, sent };
      // Depth first, post-order: a struct is placed once all it builds on is.
      const stack: Array<[client: number, clock: number, next: number]> = [[rootClient, rootClock, 0]];
      rootState[rootClock] = 1;
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const item = itemAt(structsOf.get(top[0])!, top[1]);
        if (!item) return { complete: false, sent };
        if (top[2] < 3) {
          const dep = dependency(item, top[2]++);
          const depState = dep && state.get(dep.client);
          // Every dependency is within the snapshot: a struct builds on what was there.
          if (dep && depState && dep.clock < depState.length && depState[dep.clock] === 0) {
            depState[dep.clock] = 1;
            stack.push([dep.client, dep.clock, 0]);
          }
          continue;
        }
        state.get(top[0])![top[1]] = 2;
        stack.pop();
        const before = flushed;
        place(item);
        if (stopped) return { complete: true, sent };
        if (++visited % STEP === 0 || flushed !== before) await slice.check();
      }
    }
  }
  flush();
  return { complete: true, sent };
}

/** An item's dependency number `i` (0 its predecessor, 1 its origin, 2 its right origin), or null if it has none. */
function dependency(item: Y.Item, i: number): Y.ID | null {
  if (i === 0) return item.id.clock > 0 ? Y.createID(item.id.client, item.id.clock - 1) : null;
  if (i === 1) return item.origin;
  if (i === 2) return item.rightOrigin;
  return null;
}

/** One piece: its items grouped per client (each a run of consecutive clocks), clients highest first. */
function encodePiece(items: Y.Item[]): { bytes: Uint8Array; reach: Map<number, number> } {
  const byClient = new Map<number, Y.Item[]>();
  for (const item of items) {
    const list = byClient.get(item.id.client);
    if (list) list.push(item);
    else byClient.set(item.id.client, [item]);
  }
  const encoder = new Y.UpdateEncoderV1();
  const reach = new Map<number, number>();
  encoding.writeVarUint(encoder.restEncoder, byClient.size);
  // Clients in descending order, as Yjs writes them (Y.mergeUpdates relies on it).
  for (const [client, list] of [...byClient].sort((x, y) => y[0] - x[0])) {
    // Placed after its predecessor, so in order of clock already, and consecutive.
    encoding.writeVarUint(encoder.restEncoder, list.length);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, list[0]!.id.clock);
    for (const item of list) item.write(encoder, 0);
    reach.set(client, list[list.length - 1]!.id.clock + 1);
  }
  encoding.writeVarUint(encoder.restEncoder, 0);
  return { bytes: encoder.toUint8Array(), reach };
}
