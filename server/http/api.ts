// The HTTP API (docs/PROTOCOL.md §4): info, room read and write (the fallback where WebSockets are
// blocked, and the mirrors' bulk path), a space's epochs and the list of rooms.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  NEWER_EPOCH_HEADER,
  PROTOCOL_VERSION,
  SOFTWARE,
  fromBase64url,
  isSpaceId,
  parseRoomName,
  toBase64url,
  type HttpReceipt,
} from '#shared';
import { publicLimits, type RelayConfig } from '../config.ts';
import type { RoomRegistry } from '../rooms/registry.ts';
import * as Y from 'yjs';
import type { ServerResponse } from 'node:http';
import { BacklogSender } from '../verify/backlog.ts';
import { ed25519Engine } from '../verify/native.ts';
import type { Counters } from '../metrics/counters.ts';
import type { Room } from '../rooms/room.ts';
import { lacking } from '../sync/answers.ts';
import { BucketMap, TokenBucket } from '../sync/rate-limit.ts';
import { isStateVector } from '#shared/wire/index.ts';
import { HttpAnswerBudget } from './answer-budget.ts';
import { RoomReads } from './room-reads.ts';
import { BundleError } from '#shared';
import { BundleImportError, importBundleStream } from '../bundles/import.ts';
import type { MirrorStatus } from '../peering/peering.ts';
import type { UnreadBound } from '../sync/unread-bound.ts';
import { jsonError } from './errors.ts';

/** How long one computed mirror status is served to everyone. */
const MIRROR_STATUS_CACHE_MS = 5000;

/** What the API asks of the peering layer, which starts after the app exists. */
export interface PeeringView {
  status(): Promise<MirrorStatus>;
}

export function apiRoutes(
  config: RelayConfig,
  registry: RoomRegistry,
  counters: Counters,
  peering: () => PeeringView | null = () => null,
  /** What WebSocket readers have unread, relay-wide (server/sync/unread-bound.ts). */
  unread: UnreadBound | null = null,
): Hono {
  const api = new Hono();
  // Writes that add blobs and requests that add nothing are limited apart, so that a flood
  // of empty or repeated POSTs cannot starve a room's real writes (docs/THREAT_MODEL.md).
  const writeBuckets = new BucketMap(config.limits.httpWritesPerSecond, config.limits.httpWriteBurst);
  const noopBuckets = new BucketMap(config.limits.httpNoopWritesPerSecond, config.limits.httpNoopWriteBurst);
  const answers = new HttpAnswerBudget(config.limits.httpAnswerMemoryBytes, config.stallMs, counters, registry.memory);
  const reads = new RoomReads(config.limits.httpAnswerMemoryBytes, counters, { ledger: registry.memory });
  registry.memory.add(answers);
  registry.memory.add(reads);
  const limited = (c: Context, what: string, message: string) => {
    counters.add(`http.rate-limited.${what}`);
    c.header('Retry-After', '2');
    return jsonError(c, 'rate-limited', message);
  };

  api.get('/info', (c) => c.json({ software: SOFTWARE, protocol: PROTOCOL_VERSION, limits: publicLimits(config.limits) }));

  // Counts of refusals and limits hit, relay-wide: no client, address or room appears here;
  // and which library checks signatures on how many threads (an operator's first question
  // about a relay's CPU).
  const verify = { library: ed25519Engine, threads: registry.verifier.threads };
  // And what clients have the relay hold, against --memory-bytes (server/memory-ledger.ts).
  const memory = () => ({ usedBytes: registry.memory.used, limitBytes: registry.memory.limit });
  // And what readers have been sent and not read, against --outbound-memory-bytes.
  const outbound = () => (unread ? { unreadBytes: unread.bytes, limitBytes: unread.limit } : undefined);
  api.get('/metrics', (c) => c.json({ counters: counters.snapshot(), verify, memory: memory(), outbound: outbound() }, 200, { 'Cache-Control': 'no-store' }));

  api.get('/rooms', async (c) => {
    if (!config.roomList) return jsonError(c, 'disabled', 'this relay does not publish its room list');
    if (c.req.query('marks') !== '1') return c.json({ rooms: await registry.listRooms() });
    // Marks change whenever a room gains an update: peers sync only the rooms that moved.
    const marks = await registry.listRoomMarks();
    return c.json({ rooms: marks.map(([room]) => room), marks: Object.fromEntries(marks) });
  });

  // Which rooms a relay carries is as sensitive as its room list: both follow one switch.
  // Computing it loads every mirrored room: it is computed at most once per few seconds,
  // shared by everyone asking meanwhile, and asking is rate-limited.
  const statusBucket = new TokenBucket(2, 10);
  let status: { at: number; value: Promise<MirrorStatus | { peers: []; mirrors: [] }> } | null = null;
  api.get('/mirror/status', async (c) => {
    if (!config.roomList) return jsonError(c, 'disabled', 'this relay does not publish its room list or mirror status');
    const now = performance.now();
    if (!status || now - status.at >= MIRROR_STATUS_CACHE_MS) {
      if (!statusBucket.take()) return limited(c, 'mirror-status', 'mirror status was asked for too often; retry shortly');
      counters.add('mirror-status.computed');
      const view = peering();
      const value = view ? view.status() : Promise.resolve({ peers: [], mirrors: [] } as { peers: []; mirrors: [] });
      status = { at: now, value };
      value.catch(() => (status = null));
    }
    return c.json(await status.value, 200, { 'Cache-Control': 'no-store' });
  });

  let importing = false;
  const maxBundleBytes = Math.ceil((config.limits.maxRoomBytes * 4) / 3) + 64 * 1024;
  api.post(
    '/bundles',
    bodyLimit({
      maxSize: maxBundleBytes,
      onError: (c) => {
        c.header('Connection', 'close');
        return jsonError(c, 'too-large', `a bundle sent to a relay is at most ${maxBundleBytes} bytes`);
      },
    }),
    async (c) => {
      // One import at a time: each holds the verified pieces of its rooms in memory.
      if (importing || !writeBuckets.take('bundles')) {
        // Read to the end first: a client still sending when the socket closes sees an error, not the answer.
        await discardBody(c);
        return limited(c, 'bundle', 'an import is under way; retry shortly');
      }
      importing = true;
      try {
        const result = await importBundleStream(registry, config.limits, c.req.raw.body ?? []);
        return c.json(result);
      } catch (err) {
        if (err instanceof BundleError) return jsonError(c, 'bad-request', err.message);
        if (err instanceof BundleImportError) {
          const code = /would exceed/.test(err.message) ? 'room-full' : 'bad-update';
          return jsonError(c, code, `${err.message}; nothing was imported`, err.room ? { room: err.room } : {});
        }
        throw err;
      } finally {
        importing = false;
      }
    },
  );

  api.get('/spaces/:spaceId', async (c) => {
    const spaceId = c.req.param('spaceId');
    if (!isSpaceId(spaceId)) return jsonError(c, 'bad-request', 'not a space id (43 characters of base64url)');
    return c.json({ spaceId, epochs: await registry.epochsOf(spaceId) });
  });

  api.get('/rooms/:room', async (c) => {
    const address = parseRoomName(c.req.param('room'));
    if (!address) return jsonError(c, 'bad-room', 'a room is <spaceId>.<epoch>');
    const svText = c.req.query('sv');
    let sv: Uint8Array | undefined;
    if (svText !== undefined && svText !== '') {
      const decoded = fromBase64url(svText);
      if (!decoded || !isStateVector(decoded)) return jsonError(c, 'bad-request', 'sv is not a base64url Yjs state vector');
      sv = decoded;
    }
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    const update = await registry.with(address, (room) => {
      // Checked and counted in one step, so that requests arriving together cannot all pass.
      const { estimate } = lacking(room, sv ?? new Uint8Array([0]));
      if (!answers.fits(estimate)) return null;
      answers.hold(outgoing, estimate);
      return reads.read(room, sv);
    });
    if (!update) return limited(c, 'read', 'the relay is sending many large answers; retry shortly');
    let length = 0;
    for (const chunk of update) length += chunk.length;
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store', 'Content-Length': String(length) };
    // The HTTP fallback's form of message 101: a newer epoch of this space holds a snapshot here.
    const newer = registry.newestSnapshotEpoch(address.spaceId);
    if (newer > address.epoch) headers[NEWER_EPOCH_HEADER] = String(newer);
    return c.body(piecesOf(update), 200, headers);
  });

  api.post(
    '/rooms/:room',
    bodyLimit({
      maxSize: config.limits.maxUpdateBytes,
      onError: (c) => {
        // The unread body makes the connection unusable for another request.
        c.header('Connection', 'close');
        return jsonError(c, 'too-large', `an update is at most ${config.limits.maxUpdateBytes} bytes`);
      },
    }),
    async (c) => {
      const address = parseRoomName(c.req.param('room'));
      if (!address) return jsonError(c, 'bad-room', 'a room is <spaceId>.<epoch>');
      const update = new Uint8Array(await c.req.arrayBuffer());
      const outcome = await registry.with(address, async (room) => {
        // Only an update with structs the room lacks can add blobs: anything else is charged
        // to the stricter bucket at once, and an update that claimed new structs but added
        // none (refused, or already held) moves its token there afterwards. So the write
        // bucket counts only writes that added blobs, and nothing else can empty it.
        const claimsNew = addsStructs(room, update);
        const buckets = claimsNew ? writeBuckets : noopBuckets;
        if (!buckets.take(address.room)) return null;
        // Counted with the WebSocket updates waiting for their checks (server/verify/backlog.ts):
        // a request is a sender of its one update, with nothing else waiting.
        const sender = new BacklogSender(registry.backlog);
        if (!sender.admit(update.length)) {
          buckets.bucket(address.room).refund();
          return 'backlog' as const;
        }
        const result = await room.receiveVerified(update, null).finally(() => sender.release(update.length));
        if (claimsNew && !(result.ok && result.added > 0)) {
          writeBuckets.bucket(address.room).refund();
          noopBuckets.bucket(address.room).charge(1);
        }
        if (!result.ok) return { result, sv: room.stateVector() };
        return { result, sv: await registry.durable(room) };
      });
      if (!outcome) return limited(c, 'write', 'too many writes to this room; retry shortly');
      if (outcome === 'backlog') return limited(c, 'verify', 'the relay has many updates waiting for their checks; retry shortly');
      const { result, sv } = outcome;
      if (result.ok) {
        const receipt: HttpReceipt = { room: address.room, sv: toBase64url(sv), added: result.added };
        return c.json(receipt);
      }
      if (result.code === 'gap') {
        return jsonError(c, 'gap', `${result.detail}; send what the relay lacks (sv)`, { sv: toBase64url(sv) });
      }
      if (result.code === 'bad-update') {
        const retired = result.blobReason === 'retired-version' ? `protocol 1 is retired, this relay speaks protocol ${PROTOCOL_VERSION}: ` : '';
        return jsonError(c, 'bad-update', `${retired}${result.reason}: ${result.detail}`);
      }
      // Not verified (the relay is closing or its verifier failed): a retry later can succeed.
      if (result.code === 'busy') return jsonError(c, 'rate-limited', `try again later: ${result.detail}`);
      return jsonError(c, result.code, result.detail);
    },
  );

  return api;
}

/** Bytes of a room read handed to the socket at a time. */
const READ_PIECE_BYTES = 256 * 1024;

/**
 * A room read as a stream of views of its chunks, taken as the socket drains. Given as bytes,
 * the answer was copied whole once the middleware added its headers (the Response takes a
 * copy of a byte body), and a room of tens of megabytes took a good part of a second.
 */
function piecesOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let chunk = 0;
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      while (chunk < chunks.length && at >= chunks[chunk]!.length) [chunk, at] = [chunk + 1, 0];
      if (chunk >= chunks.length) return controller.close();
      controller.enqueue(chunks[chunk]!.subarray(at, at + READ_PIECE_BYTES));
      at += READ_PIECE_BYTES;
    },
  });
}

/** Reads a request's body to the end without keeping it (its size is already limited). */
async function discardBody(c: Context): Promise<void> {
  const reader = c.req.raw.body?.getReader();
  if (!reader) return;
  try {
    while (!(await reader.read()).done);
  } catch {
    // the client went away
  }
}

/** Whether an update holds structs past what the room has (the only kind that can add blobs); junk does not. */
function addsStructs(room: Room, update: Uint8Array): boolean {
  let to: Map<number, number>;
  try {
    to = Y.parseUpdateMeta(update).to;
  } catch {
    return false;
  }
  if (to.size === 0) return false;
  const have = Y.decodeStateVector(room.stateVector());
  for (const [client, clock] of to) if (clock > (have.get(client) ?? 0)) return true;
  return false;
}
