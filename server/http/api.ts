// The HTTP API (docs/PROTOCOL.md §4): info, room read and write (the fallback where WebSockets are
// blocked, and the mirrors' bulk path), a space's epochs and the list of rooms.
import { Hono } from 'hono';
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
} from '../../shared/index.ts';
import { publicLimits, type RelayConfig } from '../config.ts';
import type { RoomRegistry } from '../rooms/registry.ts';
import { BucketMap } from '../sync/rate-limit.ts';
import { isStateVector } from '../../shared/wire/index.ts';
import { BundleError } from '../../shared/index.ts';
import { BundleImportError, importBundleText } from '../bundles/import.ts';
import type { MirrorStatus } from '../peering/peering.ts';
import { jsonError } from './errors.ts';

/** What the API asks of the peering layer, which starts after the app exists. */
export interface PeeringView {
  status(): Promise<MirrorStatus>;
}

export function apiRoutes(config: RelayConfig, registry: RoomRegistry, peering: () => PeeringView | null = () => null): Hono {
  const api = new Hono();
  const writeBuckets = new BucketMap(config.limits.httpWritesPerSecond, config.limits.httpWriteBurst);

  api.get('/info', (c) => c.json({ software: SOFTWARE, protocol: PROTOCOL_VERSION, limits: publicLimits(config.limits) }));

  api.get('/rooms', async (c) => {
    if (!config.roomList) return jsonError(c, 'disabled', 'this relay does not publish its room list');
    if (c.req.query('marks') !== '1') return c.json({ rooms: await registry.listRooms() });
    // Marks change whenever a room gains an update: peers sync only the rooms that moved.
    const marks = await registry.listRoomMarks();
    return c.json({ rooms: marks.map(([room]) => room), marks: Object.fromEntries(marks) });
  });

  // Which rooms a relay carries is as sensitive as its room list: both follow one switch.
  api.get('/mirror/status', async (c) => {
    if (!config.roomList) return jsonError(c, 'disabled', 'this relay does not publish its room list or mirror status');
    const view = peering();
    return c.json(view ? await view.status() : { peers: [], mirrors: [] }, 200, { 'Cache-Control': 'no-store' });
  });

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
      if (!writeBuckets.take('bundles')) return jsonError(c, 'rate-limited', 'too many imports; retry shortly');
      try {
        const result = await importBundleText(registry, config.limits, await c.req.text());
        return c.json(result);
      } catch (err) {
        if (err instanceof BundleError) return jsonError(c, 'bad-request', err.message);
        if (err instanceof BundleImportError) {
          const code = /would exceed/.test(err.message) ? 'room-full' : 'bad-update';
          return jsonError(c, code, `${err.message}; nothing was imported`, err.room ? { room: err.room } : {});
        }
        throw err;
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
    const update = await registry.with(address, (room) => room.diff(sv));
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store' };
    // The HTTP fallback's form of message 101: a newer epoch of this space holds a snapshot here.
    const newer = registry.newestSnapshotEpoch(address.spaceId);
    if (newer > address.epoch) headers[NEWER_EPOCH_HEADER] = String(newer);
    return c.body(update as Uint8Array<ArrayBuffer>, 200, headers);
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
      if (!writeBuckets.take(address.room)) return jsonError(c, 'rate-limited', 'too many writes to this room; retry shortly');
      const update = new Uint8Array(await c.req.arrayBuffer());
      const outcome = await registry.with(address, async (room) => {
        const result = room.receive(update, null);
        if (!result.ok) return { result, sv: room.stateVector() };
        return { result, sv: await registry.durable(room) };
      });
      const { result, sv } = outcome;
      if (result.ok) {
        const receipt: HttpReceipt = { room: address.room, sv: toBase64url(sv), added: result.added };
        return c.json(receipt);
      }
      if (result.code === 'gap') {
        return jsonError(c, 'gap', `${result.detail}; send what the relay lacks (sv)`, { sv: toBase64url(sv) });
      }
      if (result.code === 'bad-update') return jsonError(c, 'bad-update', `${result.reason}: ${result.detail}`);
      return jsonError(c, result.code, result.detail);
    },
  );

  return api;
}
