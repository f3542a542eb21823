// The cluster bus on Redis Streams. A node that committed updates appends them to each room's
// stream (XADD, MAXLEN ~ trimmed, expiring when the room goes quiet); one reader connection
// per node blocks on the streams of its loaded rooms (XREAD BLOCK) and is woken (CLIENT
// UNBLOCK) when that set changes. After a lost connection it resumes from the last id it
// read, and sends a room back to storage when its stream was trimmed past that id or lost.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { AppendEntry } from '../storage/types.ts';
import type { BusHandler, ClusterBus } from './bus.ts';
import { say, str } from '../l10n.ts';

const PREFIX = 'baton:room:';
const BLOCK_MS = 5_000;
const READ_COUNT = 1_000;

export interface RedisBusOptions {
  /** Entries kept per room stream (approximately); a node further behind reloads from storage. */
  maxLen?: number;
  /** A room stream with no new entry for this long is removed by Redis. */
  expireMs?: number;
  log?: (line: string) => void;
}

export class RedisBus implements ClusterBus {
  readonly nodeId = randomBytes(8).toString('hex');
  readonly #commands: Redis;
  readonly #reader: Redis;
  readonly #handler: BusHandler;
  readonly #log: (line: string) => void;
  readonly #maxLen: number;
  readonly #expireMs: number;
  /** Followed rooms and the last stream id read of each. */
  readonly #rooms = new Map<string, string>();
  #readerId: number | null = null;
  #blocked = false;
  #wake: (() => void) | null = null;
  #connectedOnce = false;
  #atDisconnect: Map<string, string> | null = null;
  #closed = false;
  #loop: Promise<void> = Promise.resolve();

  private constructor(url: string, handler: BusHandler, options: RedisBusOptions) {
    this.#handler = handler;
    this.#log = options.log ?? (() => {});
    this.#maxLen = options.maxLen ?? 10_000;
    this.#expireMs = options.expireMs ?? 24 * 3600 * 1000;
    const retryStrategy = (times: number) => Math.min(100 * times, 2_000);
    // RESP2: XREAD and XINFO replies keep their nested array shape.
    // Publishes wait through a lost connection (queued), so no committed update is left out.
    this.#commands = new Redis(url, { lazyConnect: true, protocol: 2, maxRetriesPerRequest: null, retryStrategy, connectionName: 'baton-publish' });
    this.#reader = new Redis(url, { lazyConnect: true, protocol: 2, maxRetriesPerRequest: null, retryStrategy, connectionName: 'baton-read' });
    for (const connection of [this.#commands, this.#reader]) connection.on('error', () => {});
    // The ids read when the connection dropped: a read resent on reconnect may move them on
    // before the trim check runs, and the check must compare against what was read before.
    this.#reader.on('close', () => (this.#atDisconnect ??= new Map(this.#rooms)));
    this.#reader.on('ready', () => void this.#onReaderReady());
  }

  static async open(url: string, handler: BusHandler, options: RedisBusOptions = {}): Promise<RedisBus> {
    const bus = new RedisBus(url, handler, options);
    try {
      await withTimeout(Promise.all([bus.#commands.connect(), bus.#reader.connect()]), 10_000, 'Redis did not answer in 10 s');
    } catch (err) {
      bus.#commands.disconnect();
      bus.#reader.disconnect();
      throw new Error(`Redis: ${(err as Error).message}`);
    }
    bus.#loop = bus.#readLoop();
    return bus;
  }

  async position(room: string): Promise<string> {
    try {
      const last = (await withTimeout(this.#commands.xrevrange(PREFIX + room, '+', '-', 'COUNT', 1), 2_000, 'timeout')) as Array<[string, string[]]>;
      return last[0]?.[0] ?? '0-0';
    } catch {
      // Unknown: read the stream from its start (every entry is validated and idempotent).
      return '0-0';
    }
  }

  follow(room: string, from: string): void {
    this.#rooms.set(room, from);
    this.#interrupt();
  }

  unfollow(room: string): void {
    if (this.#rooms.delete(room)) this.#interrupt();
  }

  publish(entries: readonly AppendEntry[]): void {
    if (this.#closed || entries.length === 0) return;
    const pipeline = this.#commands.pipeline();
    const rooms = new Set<string>();
    for (const { room, update } of entries) {
      pipeline.xadd(PREFIX + room, 'MAXLEN', '~', String(this.#maxLen), '*', 'n', this.nodeId, 'u', Buffer.from(update));
      rooms.add(room);
    }
    for (const room of rooms) pipeline.pexpire(PREFIX + room, this.#expireMs);
    pipeline.exec().then(
      (results) => {
        const failed = results?.find(([err]) => err);
        if (failed) this.#log(`cluster: ${say(str`publish failed: ${failed[0]!.message}`, { id: 'relay.log.publishFailed' })}`);
      },
      ({ message }: Error) => this.#log(`cluster: ${say(str`publish failed: ${message}`, { id: 'relay.log.publishFailed' })}`),
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#interrupt();
    // Publishes already queued are sent before the connection closes.
    await withTimeout(this.#commands.quit(), 2_000, 'quit').catch(() => this.#commands.disconnect());
    this.#reader.disconnect();
    await this.#loop;
  }

  /** Ends a blocked XREAD so that the next one covers the new set of rooms. */
  #interrupt(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
    if (this.#blocked && this.#readerId !== null && this.#commands.status === 'ready') {
      this.#commands.client('UNBLOCK', this.#readerId).catch(() => {});
    }
  }

  async #onReaderReady(): Promise<void> {
    try {
      this.#readerId = (await this.#reader.client('ID')) as number;
    } catch {
      this.#readerId = null;
    }
    if (!this.#connectedOnce) {
      this.#connectedOnce = true;
      return;
    }
    // Reconnected: whatever was trimmed or lost meanwhile is in storage.
    this.#log(`cluster: ${say('reconnected to Redis; resuming the room streams', { id: 'relay.log.redisBack' })}`);
    const read = this.#atDisconnect ?? new Map<string, string>();
    this.#atDisconnect = null;
    for (const [room, now] of [...this.#rooms]) {
      if (await this.#lostSince(room, read.get(room) ?? now)) this.#handler.missed(room);
    }
    this.#interrupt();
  }

  async #checkTrim(room: string, last: string): Promise<void> {
    if (await this.#lostSince(room, last)) this.#handler.missed(room);
  }

  /**
   * True when entries after `last` may be gone: trimming removes the oldest entries, so the
   * stream still holding `last` (or anything older) means nothing after it was trimmed.
   */
  async #lostSince(room: string, last: string): Promise<boolean> {
    let info: unknown;
    try {
      info = await this.#commands.call('XINFO', 'STREAM', PREFIX + room);
    } catch {
      return true; // no such stream: Redis lost it (a restart without persistence) or it expired
    }
    const fields = new Map<string, unknown>();
    if (Array.isArray(info)) for (let i = 0; i + 1 < info.length; i += 2) fields.set(String(info[i]), info[i + 1]);
    const deleted = String(fields.get('max-deleted-entry-id') ?? '0-0');
    if (compareIds(deleted, last) > 0) return true; // XDEL past it
    const first = fields.get('first-entry');
    if (Array.isArray(first)) return compareIds(String(first[0]), last) > 0;
    // Empty stream: lost if anything was added after `last`.
    return compareIds(String(fields.get('last-generated-id') ?? '0-0'), last) > 0;
  }

  async #readLoop(): Promise<void> {
    while (!this.#closed) {
      if (this.#rooms.size === 0 || this.#reader.status !== 'ready') {
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          setTimeout(resolve, this.#rooms.size === 0 ? BLOCK_MS : 200).unref();
        });
        this.#wake = null;
        continue;
      }
      const rooms = [...this.#rooms];
      let reply: unknown;
      try {
        this.#blocked = true;
        reply = await this.#reader.callBuffer('XREAD', 'COUNT', READ_COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', ...rooms.map(([r]) => PREFIX + r), ...rooms.map(([, id]) => id));
      } catch (err) {
        if (this.#closed) return;
        const reason = (err as Error).message;
        this.#log(`cluster: ${say(str`stream read failed: ${reason}`, { id: 'relay.log.streamReadFailed' })}`);
        await new Promise((r) => setTimeout(r, 200));
        continue;
      } finally {
        this.#blocked = false;
      }
      if (Array.isArray(reply)) this.#apply(reply);
    }
  }

  #apply(reply: unknown[]): void {
    for (const stream of reply) {
      if (!Array.isArray(stream) || stream.length !== 2 || !Array.isArray(stream[1])) continue;
      const room = String(stream[0]).slice(PREFIX.length);
      const before = this.#rooms.get(room);
      if (before === undefined) continue;
      // A full batch: this node is far behind, and the stream may have been trimmed past it.
      if ((stream[1] as unknown[]).length >= READ_COUNT) void this.#checkTrim(room, before);
      for (const entry of stream[1] as unknown[]) {
        if (!Array.isArray(entry) || entry.length !== 2 || !Array.isArray(entry[1])) continue;
        this.#rooms.set(room, String(entry[0]));
        const fields = entry[1] as Buffer[];
        let node = '';
        let update: Uint8Array | null = null;
        for (let i = 0; i + 1 < fields.length; i += 2) {
          const name = String(fields[i]);
          if (name === 'n') node = String(fields[i + 1]);
          else if (name === 'u') update = new Uint8Array(fields[i + 1]!);
        }
        if (node === this.nodeId || update === null) continue;
        try {
          this.#handler.deliver(room, update);
        } catch (err) {
          const reason = (err as Error).message;
          this.#log(`cluster: ${say(str`delivery failed: ${reason}`, { id: 'relay.log.deliveryFailed' })}`);
        }
      }
    }
  }
}

/** Orders two stream ids ("ms-seq"). */
export function compareIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map((p) => BigInt(p));
  const [bm = 0n, bs = 0n] = b.split('-').map((p) => BigInt(p));
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}
