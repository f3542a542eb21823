// A lying relay for scenario tests: it speaks the y-websocket protocol (and the HTTP API)
// like a relay, learns a room's real blobs from whoever syncs with it, and answers with lies:
// blobs with forged signatures, blobs of another space, updates that delete, a forged blob
// hidden among real ones, gaps, random bytes and garbage awareness. Every forged blob it
// sends is remembered so a test can check that nobody kept one.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { WebSocket, WebSocketServer } from 'ws';
import {
  BlobKind,
  LOG_ARRAY_NAME,
  appendBlobs,
  createEnvelopeDoc,
  createSpace,
  generateIdentity,
  parseRoomName,
  sealUpdateBlob,
  toBase64url,
  type RoomName,
} from '#shared';

export interface LyingRelay {
  url: string;
  port: number;
  /** Starts (or stops) lying to every connection, now and later. */
  setLying(on: boolean): void;
  /** Forged blobs sent so far (base64url), none of which anyone may keep. */
  readonly forged: Set<string>;
  /** Lies sent so far, over WebSockets and HTTP. */
  lies(): number;
  /** Sends one round of lies to a real relay, as a peer would push them. */
  pushLiesTo(relayUrl: string, room: RoomName): Promise<void>;
  close(): Promise<void>;
}

const SYNC = 0;
const AWARENESS = 1;

function syncMessage(step: number, update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, SYNC);
  encoding.writeVarUint(e, step);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(Math.random() * 256);
  return out;
}

export async function startLyingRelay(): Promise<LyingRelay> {
  const docs = new Map<RoomName, Y.Doc>();
  const forged = new Set<string>();
  const elsewhere = createSpace('thread');
  const elsewhereKey = { writePub: elsewhere.writePub, epoch: 0, readKey: elsewhere.readKey!, writeSecret: elsewhere.write!.secretKey };
  const stranger = generateIdentity();
  let lying = false;
  let count = 0;

  const docOf = (room: RoomName) => {
    let doc = docs.get(room);
    if (!doc) docs.set(room, (doc = createEnvelopeDoc()));
    return doc;
  };

  /** An update from a client id nobody uses, adding these blobs to the room's log. */
  const freshUpdate = (room: RoomName, blobs: Uint8Array[]) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(docOf(room)));
    const before = Y.encodeStateVector(doc);
    appendBlobs(doc, blobs);
    const update = Y.encodeStateAsUpdate(doc, before);
    doc.destroy();
    return update;
  };

  const remember = (blob: Uint8Array) => {
    forged.add(toBase64url(blob));
    return blob;
  };

  /** One round of lies about a room, as sync messages (and one raw garbage message). */
  function lieRound(room: RoomName): Uint8Array[] {
    const held = docOf(room);
    const real = held.getArray<Uint8Array>(LOG_ARRAY_NAME).toArray();
    const template = real.at(-1) ?? new Uint8Array([1, 1, ...randomBytes(24 + 64 + 64)]);
    // A real blob with one signature byte changed, and one with a body byte changed.
    const badSig = template.slice();
    badSig[badSig.length - 1]! ^= 0x01;
    const badBody = template.slice();
    badBody[30]! ^= 0x80;
    // Validly signed, but for another space.
    const foreign = sealUpdateBlob(elsewhereKey, BlobKind.update, stranger, Y.encodeStateAsUpdate(new Y.Doc()), { client: 1, clock: 0 });
    const messages = [
      syncMessage(syncProtocol.messageYjsSyncStep2, freshUpdate(room, [remember(badSig)])),
      syncMessage(syncProtocol.messageYjsUpdate, freshUpdate(room, [remember(badBody)])),
      syncMessage(syncProtocol.messageYjsUpdate, freshUpdate(room, [remember(foreign)])),
      // A forged blob among real ones: the whole update must be refused.
      syncMessage(syncProtocol.messageYjsUpdate, freshUpdate(room, [...real.slice(-2), remember(randomForgery())])),
    ];
    if (real.length > 0) {
      // Deletes of everything the room holds (envelope docs are append-only).
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(held));
      const before = Y.encodeStateVector(copy);
      copy.getArray(LOG_ARRAY_NAME).delete(0, copy.getArray(LOG_ARRAY_NAME).length);
      messages.push(syncMessage(syncProtocol.messageYjsUpdate, Y.encodeStateAsUpdate(copy, before)));
      copy.destroy();
    }
    messages.push(
      syncMessage(syncProtocol.messageYjsUpdate, randomBytes(64)),
      syncMessage(syncProtocol.messageYjsSyncStep2, randomBytes(300)),
      randomBytes(1 + Math.floor(Math.random() * 200)),
      new Uint8Array([AWARENESS, ...randomBytes(40)]),
      new Uint8Array([SYNC, 9, 3, 1, 2, 3]),
    );
    return messages;
  }

  /** A blob-shaped forgery: a valid header, then random bytes where the body and signature go. */
  function randomForgery(): Uint8Array {
    return new Uint8Array([1, 1, ...randomBytes(24 + 48), ...randomBytes(64)]);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://relay');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/v1/info') return json(200, { software: 'baton', protocol: 2, limits: {} });
    if (url.pathname === '/v1/rooms') return json(200, { rooms: [...docs.keys()] });
    const room = /^\/v1\/rooms\/([^/]+)$/.exec(url.pathname)?.[1];
    if (room && parseRoomName(room) && req.method === 'POST') {
      // Takes every write (learning the room's blobs) and confirms it: receipts can lie too.
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const doc = docOf(room as RoomName);
        try {
          Y.applyUpdate(doc, new Uint8Array(Buffer.concat(chunks)));
        } catch {
          // ignored
        }
        json(200, { room, sv: toBase64url(Y.encodeStateVector(doc)), added: 0 });
      });
      return;
    }
    if (room && parseRoomName(room) && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      if (!lying) return res.end(Y.encodeStateAsUpdate(docOf(room as RoomName)));
      count++;
      return res.end(freshUpdate(room as RoomName, [remember(randomForgery())]));
    }
    json(503, { error: 'unavailable', message: 'not today' });
  });
  const wss = new WebSocketServer({ server });
  const timers = new Set<ReturnType<typeof setInterval>>();
  wss.on('connection', (ws, req) => {
    const room = /^\/v1\/sync\/([^/?]+)/.exec(req.url ?? '')?.[1];
    if (!room || !parseRoomName(room)) return ws.close(4400, 'bad room');
    const doc = docOf(room as RoomName);
    ws.on('error', () => {});
    ws.on('message', (data: Buffer) => {
      // Learn the real blobs (this relay validates nothing), answer step 1 honestly enough.
      try {
        const d = decoding.createDecoder(new Uint8Array(data));
        if (decoding.readVarUint(d) !== SYNC) return;
        const step = decoding.readVarUint(d);
        const payload = decoding.readVarUint8Array(d);
        if (step === syncProtocol.messageYjsSyncStep1) ws.send(syncMessage(syncProtocol.messageYjsSyncStep2, lying ? freshUpdate(room as RoomName, [remember(randomForgery())]) : Y.encodeStateAsUpdate(doc, payload)));
        else Y.applyUpdate(doc, payload);
      } catch {
        // garbage from a client is ignored
      }
    });
    // Ask for everything the client holds.
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, SYNC);
    syncProtocol.writeSyncStep1(e, createEnvelopeDoc());
    ws.send(encoding.toUint8Array(e));
    let queue: Uint8Array[] = [];
    const timer = setInterval(() => {
      if (!lying || ws.readyState !== WebSocket.OPEN) return;
      if (queue.length === 0) queue = lieRound(room as RoomName);
      ws.send(queue.shift()!);
      count++;
    }, 40);
    timers.add(timer);
    ws.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  async function pushLiesTo(relayUrl: string, room: RoomName): Promise<void> {
    for (const lie of lieRound(room)) {
      const ws = new WebSocket(`${relayUrl.replace(/^http/, 'ws')}/v1/sync/${room}`);
      ws.on('error', () => {});
      await new Promise<void>((resolve) => {
        ws.once('open', () => {
          ws.send(lie);
          count++;
          setTimeout(resolve, 100);
        });
        ws.once('close', () => resolve());
      });
      ws.terminate();
    }
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setLying: (on) => void (lying = on),
    forged,
    lies: () => count,
    pushLiesTo,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
        for (const d of docs.values()) d.destroy();
      }),
  };
}
