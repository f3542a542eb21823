// The relay's Hono app: security headers, the HTTP API, the WebSocket endpoint and the web client.
import { Hono } from 'hono';
import type { UpgradeWebSocket, WSContext, WSEvents } from 'hono/ws';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { CloseCode, parseRoomName } from '#shared';
import type { RelayConfig } from './config.ts';
import { apiRoutes, type PeeringView } from './http/api.ts';
import { jsonError } from './http/errors.ts';
import { webRoutes } from './http/web.ts';
import type { RoomRegistry } from './rooms/registry.ts';
import { RoomMemoryFull } from './rooms/room-memory.ts';
import { sourceAddress } from './http/source.ts';
import { apiCors, securityHeaders } from './security.ts';
import { SyncConnection, type SyncShared } from './sync/connection.ts';
import type { SocketLike } from './sync/socket.ts';
import { say, str } from './l10n.ts';

export interface AppContext {
  config: RelayConfig;
  registry: RoomRegistry;
  shared: SyncShared;
  upgradeWebSocket: UpgradeWebSocket;
  /** The peering layer, once started (status endpoint). */
  peering?: () => PeeringView | null;
}

export function createApp({ config, registry, shared, upgradeWebSocket, peering }: AppContext): Hono {
  const app = new Hono();
  app.use('*', securityHeaders());
  app.use('/v1/*', apiCors());

  app.get(
    '/v1/sync/:room',
    upgradeWebSocket((c) => {
      const address = parseRoomName(c.req.param('room') ?? '');
      const wants = { receipts: c.req.query('receipts') === '1', epochs: c.req.query('epochs') === '1' };
      // Another relay's link: it keeps the room loaded but does not start this relay's own peering.
      const peer = c.req.query('peer') === '1';
      const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
      const source = config.perSourceConnections > 0 ? sourceAddress(incoming, config.trustedProxies) : null;
      let connection: SyncConnection | null = null;
      const events: WSEvents = {
        onOpen: (_event, ws: WSContext) => {
          if (!address) {
            ws.close(CloseCode.notFound, 'a room is <spaceId>.<epoch>');
            return;
          }
          const raw = ws.raw as WebSocket;
          const tcp = (raw as unknown as { _socket?: Socket })._socket;
          const socket: SocketLike = {
            send: (data) => raw.send(data, { binary: true }),
            // Frames made by server/sync/socket.ts go straight to the TCP socket (ws would
            // frame a broadcast again for every member), when no extension is negotiated.
            sendFrames:
              tcp && raw.extensions === ''
                ? (frames) => {
                    if (raw.readyState === raw.OPEN) tcp.write(frames);
                  }
                : undefined,
            close: (code, reason) => ws.close(code, reason),
            ping: (payload) => raw.ping(payload),
            terminate: () => {
              // With a reset, not a FIN: a closed socket whose reader reads nothing would keep
              // its unsent bytes in the kernel, retrying, long after the relay let it go.
              if (tcp && !tcp.destroyed) {
                try {
                  tcp.resetAndDestroy();
                } catch {
                  // not a plain TCP socket: ws destroys it below
                }
              }
              raw.terminate();
            },
            pauseReading: () => raw.pause(),
            resumeReading: () => raw.resume(),
          };
          const opened = new SyncConnection(socket, address, registry, config, shared, wants, peer, source);
          connection = opened;
          raw.on('pong', (payload: Buffer) => opened.alive(payload));
          // Messages straight from ws: the adapter's path copies each one and wraps it in a
          // MessageEvent, a cost per message a busy relay feels. The adapter still hands over
          // what arrived before this handler, synchronously after it returns; then its hook is
          // removed, so that nothing arrives twice.
          raw.on('message', (data: Buffer, isBinary: boolean) => opened.message(isBinary ? data : null));
          queueMicrotask(() => delete events.onMessage);
          opened.open();
        },
        onMessage: (event: MessageEvent) => connection?.message(event.data instanceof ArrayBuffer ? new Uint8Array(event.data) : null),
        onClose: () => connection?.closed(),
        onError: () => connection?.closed(),
      };
      return events;
    }),
    (c) => {
      if (!parseRoomName(c.req.param('room'))) return jsonError(c, 'bad-room', 'a room is <spaceId>.<epoch>');
      return c.json({ error: 'bad-request', message: 'this endpoint speaks WebSocket' }, 426);
    },
  );

  app.route('/v1', apiRoutes(config, registry, shared.counters, peering, shared.unread));
  app.all('/v1/*', (c) => jsonError(c, 'not-found', 'no such endpoint'));
  app.route('/', webRoutes(config.webRoot));

  app.onError((err, c) => {
    // Counted by the registry, not logged: anyone can ask for rooms until memory is full.
    if (err instanceof RoomMemoryFull) {
      c.header('Retry-After', '5');
      return jsonError(c, 'rate-limited', 'the relay holds as many rooms in memory as it may; retry shortly');
    }
    const request = `${c.req.method} ${c.req.path.slice(0, 60)}`;
    const reason = err.message;
    config.log(`http: ${say(str`${request} failed: ${reason}`, { id: 'relay.log.httpFailed' })}`);
    return jsonError(c, 'internal', 'the relay could not answer this request');
  });
  return app;
}
