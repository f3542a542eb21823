// startRelay: the programmatic entry point (the CLI, tests and embedders use it).
import { serve, type ServerType } from '@hono/node-server';
import { createNodeWebSocket } from '@hono/node-ws';
import { ensureErrorEvent } from './error-event.ts';
import { Hono } from 'hono';
import { readFile } from 'node:fs/promises';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { initSodium } from '#shared';
import { createApp } from './app.ts';
import { importBundleBytes, type ImportResult } from './bundles/import.ts';
import { Peering } from './peering/peering.ts';
import { resolveConfig, type RelayConfig, type RelayOptions } from './config.ts';
import { RoomRegistry } from './rooms/registry.ts';
import { loadOptional } from './optional-package.ts';
import { openStorage } from './storage/index.ts';
import { refuseRetiredProtocol } from './storage/retired-protocol.ts';
import type { ClusterBus } from './cluster/bus.ts';
import { Counters } from './metrics/counters.ts';
import { AnswerPool } from './sync/answers.ts';
import type { ConnectionSet, SyncShared } from './sync/connection.ts';
import { UnreadBound } from './sync/unread-bound.ts';
import { SourceTally } from './sync/sources.ts';
import { say, str } from './l10n.ts';

export type { MirrorSpec, RelayLimits, RelayOptions } from './config.ts';
export type { MirrorStatus } from './peering/peering.ts';
export { DEFAULT_RELAY_LIMITS } from './config.ts';

export interface Relay {
  /** http://host:port, the base URL clients use. */
  url: string;
  port: number;
  config: RelayConfig;
  registry: RoomRegistry;
  /** Replication with peers and mirror sources (empty when none are configured). */
  peering: Peering;
  /** Refusals and limits hit, as GET /v1/metrics publishes them. */
  counters: Counters;
  /** What `importFile` added before the relay began to serve, if one was given. */
  imported: ImportResult | null;
  /** Stops accepting, closes sockets, finishes pending writes and closes the database. */
  close(): Promise<void>;
}

export async function startRelay(options: RelayOptions = {}): Promise<Relay> {
  await initSodium();
  const config = resolveConfig(options);
  if (config.redis !== undefined && config.postgres === undefined) throw new Error('a cluster bus (redis) needs shared storage (postgres)');
  // Loaded before storage opens, so a missing client library fails before any connection.
  const redisBus = config.redis === undefined ? null : await loadOptional('ioredis', '--redis', () => import('./cluster/redis-bus.ts'));
  const storage = await openStorage(config);
  try {
    const dir = config.dataDir ?? '';
    await refuseRetiredProtocol(storage, config.postgres !== undefined ? say('the PostgreSQL database', { id: 'relay.wherePostgresDb' }) : say(str`the data directory ${dir}`, { id: 'relay.whereDataDir' }).trim());
  } catch (err) {
    await storage.close();
    throw err;
  }
  const counters = new Counters();
  const registry = new RoomRegistry(config, storage, counters);
  let bus: ClusterBus | null = null;
  /** The registry first, then the bus (the registry's last commits are published before it closes), then storage. */
  const closeStores = async () => {
    await registry.close();
    await bus?.close();
    await storage.close();
  };
  /** Start-up failed once the stores were open: they are closed before the error is reported. */
  const abandon = async (err: unknown): Promise<never> => {
    await closeStores();
    throw err;
  };
  if (config.redis !== undefined && redisBus) {
    const deliver = { deliver: (room: string, update: Uint8Array) => registry.deliverFromBus(room, update), missed: (room: string) => registry.reloadFromStorage(room) };
    bus = await redisBus.RedisBus.open(config.redis, deliver, { log: config.log }).catch(abandon);
    registry.attachBus(bus);
  }
  const connections: ConnectionSet = new Set();
  const shared: SyncShared = {
    connections,
    unread: new UnreadBound(config.limits.outboundMemoryBytes, connections),
    // Pieces well under the update limit, so a slow reader is never sent more than it can take.
    answers: new AnswerPool(config.limits.answerMemoryBytes, Math.min(256 * 1024, config.limits.maxUpdateBytes), { counters, ledger: registry.memory }),
    counters,
    sources: new SourceTally(),
  };
  registry.memory.add(shared.answers);
  registry.events.on('unloaded', (room) => shared.answers.forgetRoom(room.name));
  let peering: Peering | null = null;
  let imported: ImportResult | null = null;
  if (options.importFile !== undefined) {
    const file = options.importFile;
    // All rooms or none, validated exactly like sync, before anyone can connect.
    imported = await readFile(file)
      .then((bytes) => importBundleBytes(registry, config.limits, new Uint8Array(bytes)))
      .catch((err: Error) => abandon(new Error(`cannot import ${file}: ${err.message}`)));
  }

  const app = new Hono();
  ensureErrorEvent();
  const nodeWs = createNodeWebSocket({ app });
  // @hono/node-ws builds its WebSocketServer with ws's defaults; cap what it will read.
  nodeWs.wss.options.maxPayload = config.limits.maxMessageBytes;
  app.route('/', createApp({ config, registry, shared, upgradeWebSocket: nodeWs.upgradeWebSocket, peering: () => peering }));

  const server: ServerType = await listen(app, config).catch(abandon);
  nodeWs.injectWebSocket(server);
  const keepalive = setInterval(() => {
    for (const connection of [...connections]) connection.tick();
  }, config.keepaliveMs);
  keepalive.unref();
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  try {
    peering = new Peering(registry, config, url, shared.counters);
  } catch (err) {
    server.close();
    return abandon(err);
  }
  peering.start();
  const started = peering;

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(keepalive);
      await started.close();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const ws of nodeWs.wss.clients) ws.close(1001, 'relay shutting down');
      const force = setTimeout(() => {
        for (const ws of nodeWs.wss.clients) ws.terminate();
      }, 1000);
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      await closeStores();
      await Promise.race([stopped, new Promise((r) => setTimeout(r, 1500).unref())]);
      clearTimeout(force);
      for (const ws of nodeWs.wss.clients) ws.terminate();
      if ('closeAllConnections' in server) server.closeAllConnections();
    })());

  return { url, port, config, registry, peering: started, imported, counters: shared.counters, close };
}

/** How long an idle keep-alive HTTP connection is kept open. */
const KEEP_ALIVE_MS = 65_000;

function listen(app: Hono, config: RelayConfig): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
      server.off('error', reject);
      resolve(server);
    });
    // An idle keep-alive socket is closed by the client, not by us: a relay that closes it
    // first races the client's next request on it (a POST then fails, and is not retried).
    // Clients close theirs after 4 s (Node's fetch) to 60 s or more (browsers).
    const http = server as HttpServer;
    http.keepAliveTimeout = KEEP_ALIVE_MS;
    http.headersTimeout = KEEP_ALIVE_MS + 5000;
    server.once('error', reject);
  });
}
