// What the censorship scenarios share: clients with their own stores, waits with deadlines,
// and blob accounting (which party holds which blob of which room).
import * as Y from 'yjs';
import WebSocket from 'ws';
import {
  applyValidatedUpdate,
  createEnvelopeDoc,
  envelopeLog,
  generateIdentity,
  initSodium,
  parseRoomName,
  toBase64url,
  type RoomName,
} from '#shared';
import { posts } from '#client-core/boards.ts';
import { BatonClient } from '#client-core/client.ts';
import type { ConnectionOptions } from '#client-core/relay-connection.ts';
import type { Space } from '#client-core/space.ts';
import { MemoryStore } from '#client-core/store.ts';

await initSodium();

/** `ws` with a handshake deadline, as the Node client uses: a black-holed relay must fail, not hang. */
export class TimeoutWS extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols, { handshakeTimeout: 2000 });
  }
}

export function newClient(name: string, relays: string[], connection: ConnectionOptions = {}): BatonClient {
  return new BatonClient({
    store: new MemoryStore(),
    identity: generateIdentity(),
    name,
    relays,
    connection: { WebSocket: TimeoutWS as unknown as typeof globalThis.WebSocket, ...connection },
    // Every relay of a scenario is on loopback: a board's list may name them all.
    relayPolicy: { listedLocal: true },
  });
}

/** Scenarios wait like every other suite (test/support/wait.ts). */
export { waitUntil } from '../support/wait.ts';

/** A blob's identity: its bytes (every blob has a random nonce, so no two are equal). */
const keyOf = (blob: Uint8Array): string => toBase64url(blob);

/** The blobs of a client's envelope doc. */
export function blobsOfSpace(space: Space): Set<string> {
  return new Set(envelopeLog(space.envelope).toArray().map(keyOf));
}

export function blobsOfDoc(doc: Y.Doc): Set<string> {
  return new Set(envelopeLog(doc).toArray().map(keyOf));
}

/**
 * The blobs a relay holds for a room, read over its HTTP API. Applied without validation,
 * so a relay that kept a forged blob shows it.
 */
export async function relayBlobs(relayUrl: string, room: RoomName): Promise<Set<string>> {
  const res = await fetch(`${relayUrl}/v1/rooms/${room}`, { signal: AbortSignal.timeout(5000) });
  if (res.status === 404) return new Set();
  if (!res.ok) throw new Error(`${relayUrl} answered ${res.status} for ${room}`);
  const update = new Uint8Array(await res.arrayBuffer());
  const doc = createEnvelopeDoc();
  try {
    if (update.length > 0) Y.applyUpdate(doc, update);
    return blobsOfDoc(doc);
  } finally {
    doc.destroy();
  }
}

/** Whether an update a relay serves for a room passes the validator (a fresh receiver). */
export async function relayServesValid(relayUrl: string, room: RoomName): Promise<boolean> {
  const res = await fetch(`${relayUrl}/v1/rooms/${room}`, { signal: AbortSignal.timeout(5000) });
  const update = new Uint8Array(await res.arrayBuffer());
  const doc = createEnvelopeDoc();
  try {
    return update.length === 0 || applyValidatedUpdate(doc, update, parseRoomName(room)!, null).ok;
  } finally {
    doc.destroy();
  }
}

/** Blobs of one room held by each party (a client or a relay) that should hold them all. */
export type Holdings = Record<string, Set<string>>;

/** Per room, what each party holds. */
export type RoomHoldings = Record<string, Holdings>;

export function isSuperset(held: Set<string>, want: Set<string>): boolean {
  for (const b of want) if (!held.has(b)) return false;
  return true;
}

/**
 * Blobs lost: blobs some party holds (so written somewhere), or that `written` names (blobs
 * of a writer who has left), that a party which should hold them does not. Also names who
 * misses what, for the assertion message.
 */
export function lostBlobs(rooms: RoomHoldings, written: Record<string, Set<string>> = {}): { lost: number; detail: string } {
  let lost = 0;
  const detail: string[] = [];
  for (const [room, holdings] of Object.entries(rooms)) {
    const all = new Set<string>(written[room] ?? []);
    for (const held of Object.values(holdings)) for (const b of held) all.add(b);
    for (const blob of all) {
      const missing = Object.entries(holdings).filter(([, held]) => !held.has(blob)).map(([who]) => who);
      if (missing.length > 0) {
        lost++;
        detail.push(`${room.slice(0, 8)}…: a blob missing at ${missing.join(', ')}`);
      }
    }
  }
  return { lost, detail: detail.slice(0, 10).join('; ') };
}

/** True when, in each group (one room's spaces at several clients), every space holds every blob any of them holds. */
export function converged(groups: Space[][]): boolean {
  return groups.every((group) => {
    const held = group.map(blobsOfSpace);
    const all = union(...held);
    return held.every((h) => isSuperset(h, all));
  });
}

/** A thread's posts as `name: body` (sorted); a post whose signature fails shows as UNVERIFIED. */
export function shownPosts(thread: Space): string[] {
  return posts(thread).map((p) => `${p.verified ? p.name : 'UNVERIFIED'}: ${p.body}`).sort();
}

/** A union of blob sets. */
export function union(...sets: Set<string>[]): Set<string> {
  const out = new Set<string>();
  for (const s of sets) for (const b of s) out.add(b);
  return out;
}

