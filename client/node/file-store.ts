// The Node room store: one append-only file of length-prefixed updates per room under
// <data dir>/rooms, ciphertext only, compacted by the space after a validated load.
//   record = length:u32be || Yjs v1 update
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync } from 'node:fs';
import { copyFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import { concatBytes, parseRoomName, roomName, spaceIdFromPublicKey, u32be, type RoomName, type SpaceId } from '#shared';
import { checkedMeta, emptyMeta, type RoomMeta, type RoomStore, type StoredRoom } from '#client-core/store.ts';
import { caught, type StoreProblem } from '#client-core/problems.ts';
import { fileBase, writeAtomically } from './room-files.ts';
import { FileVerificationCache } from './verified-cache.ts';

// Room file names are the store's naming as much as the verification cache's.
export { fileBase } from './room-files.ts';

const MAX_RECORD_BYTES = 64 * 1024 * 1024;
const LOG_SUFFIX = '.log';
const META_SUFFIX = '.meta.json';
const PREVIEW_SUFFIX = '.preview';
/** A preview file larger than this is not read (client/core/preview.ts reads none larger). */
const MAX_PREVIEW_FILE_BYTES = 8 * 1024 * 1024;

/** A space's files (those not of one room), in the same hex naming. */
function spaceFileBase(spaceId: SpaceId): string {
  return fileBase(roomName(spaceId, 0)).slice(0, -'.0'.length);
}

function roomOfFile(name: string): RoomName | null {
  const m = /^([0-9a-f]{64})\.(\d+)\.log$/.exec(name);
  if (!m) return null;
  const address = parseRoomName(`${spaceIdFromPublicKey(Buffer.from(m[1]!, 'hex'))}.${m[2]}`);
  return address ? address.room : null;
}

/** Splits a log file into records; a damaged tail is reported, the records before it kept. */
export function readRecords(bytes: Uint8Array): StoredRoom {
  const updates: Uint8Array[] = [];
  const problems: StoreProblem[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (pos < bytes.length) {
    if (bytes.length - pos < 4) {
      problems.push({ kind: 'store-damaged', at: pos });
      break;
    }
    const length = view.getUint32(pos, false);
    if (length === 0 || length > MAX_RECORD_BYTES || length > bytes.length - pos - 4) {
      problems.push({ kind: 'store-damaged', at: pos });
      break;
    }
    updates.push(bytes.slice(pos + 4, pos + 4 + length));
    pos += 4 + length;
  }
  return { updates, problems };
}

/** Where a damaged or refused log is kept for inspection. */
function asidePath(path: string): string {
  return `${path}.damaged-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
}

export function encodeRecord(update: Uint8Array): Uint8Array {
  return concatBytes(u32be(update.length), update);
}

export class FileStore implements RoomStore {
  private readonly dir: string;
  /** Rooms whose damaged file could not be repaired at load: set aside before compaction rewrites them. */
  private readonly damaged = new Set<RoomName>();
  readonly verification?: FileVerificationCache;

  /**
   * `deviceSecret` (client/node/device-secret.ts) keys the verification record; without it none
   * is kept. A locked data directory keeps its sealed rooms in `sealed` (data-lock.ts).
   */
  constructor(dataDir: string, deviceSecret?: Uint8Array, folder = 'rooms') {
    this.dir = join(dataDir, folder);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    if (deviceSecret) this.verification = new FileVerificationCache(this.dir, deviceSecret);
  }

  /** A room's reads and writes run one after another, so a repair or a rewrite never races an append. */
  private readonly queues = new Map<RoomName, Promise<unknown>>();

  private inTurn<T>(room: RoomName, op: () => Promise<T>): Promise<T> {
    const next = (this.queues.get(room) ?? Promise.resolve()).then(op, op);
    const settled = next.then(
      () => {},
      () => {},
    );
    this.queues.set(room, settled);
    void settled.then(() => {
      if (this.queues.get(room) === settled) this.queues.delete(room);
    });
    return next;
  }

  load(room: RoomName): Promise<StoredRoom> {
    return this.inTurn(room, async () => {
      const path = join(this.dir, fileBase(room) + LOG_SUFFIX);
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { updates: [], problems: [] };
        return { updates: [], problems: [{ kind: 'store-unreadable', ...caught(err) }] };
      }
      const stored = readRecords(bytes);
      if (stored.problems.length > 0) await this.repair(room, path, stored);
      return stored;
    });
  }

  /**
   * A damaged log is copied aside and rewritten with its intact records at once: an update
   * appended behind a torn record would be unreadable. Where that fails, compaction sets the
   * original aside instead.
   */
  private async repair(room: RoomName, path: string, stored: StoredRoom): Promise<void> {
    try {
      await copyFile(path, asidePath(path));
      await writeAtomically(path, concatBytes(...stored.updates.map(encodeRecord)));
    } catch (err) {
      this.damaged.add(room);
      stored.problems.push({ kind: 'store-not-set-aside', ...caught(err) });
    }
  }

  append(room: RoomName, update: Uint8Array): Promise<void> {
    // An empty record reads back as damage and would hide every record after it; it holds nothing to keep.
    if (update.length === 0) return Promise.resolve();
    return this.inTurn(room, async () => {
      // Asynchronous: a large update's write and fsync happen off the event loop, so the space
      // shows what it received meanwhile.
      const file = await open(join(this.dir, fileBase(room) + LOG_SUFFIX), 'a', 0o600);
      try {
        // Header and update as two buffers: a long thread's update is megabytes, not copied again.
        await file.writev([u32be(update.length), update]);
        await file.sync();
      } finally {
        await file.close();
      }
    });
  }

  replace(room: RoomName, update: Uint8Array, keepOriginal = false): Promise<void> {
    return this.inTurn(room, async () => {
      const path = join(this.dir, fileBase(room) + LOG_SUFFIX);
      if (this.damaged.delete(room) || keepOriginal) {
        // Keep the damaged original for inspection rather than overwrite it.
        try {
          renameSync(path, asidePath(path));
        } catch {
          // already gone
        }
      }
      await writeAtomically(path, encodeRecord(update));
    });
  }

  async loadMeta(room: RoomName): Promise<RoomMeta> {
    try {
      return checkedMeta(JSON.parse(readFileSync(join(this.dir, fileBase(room) + META_SUFFIX), 'utf8')));
    } catch {
      return emptyMeta();
    }
  }

  async saveMeta(room: RoomName, meta: RoomMeta): Promise<void> {
    await writeAtomically(join(this.dir, fileBase(room) + META_SUFFIX), new TextEncoder().encode(JSON.stringify(meta)));
  }

  async rooms(): Promise<RoomName[]> {
    return readdirSync(this.dir)
      .map(roomOfFile)
      .filter((r): r is RoomName => r !== null)
      .sort();
  }

  async loadPreview(spaceId: SpaceId): Promise<Uint8Array | null> {
    const path = join(this.dir, spaceFileBase(spaceId) + PREVIEW_SUFFIX);
    try {
      if (statSync(path).size > MAX_PREVIEW_FILE_BYTES) return null;
      return readFileSync(path);
    } catch {
      return null;
    }
  }

  async savePreview(spaceId: SpaceId, record: Uint8Array): Promise<void> {
    // A cache: no fsync. After a crash it may be older, or torn and then ignored (it does not open).
    await writeAtomically(join(this.dir, spaceFileBase(spaceId) + PREVIEW_SUFFIX), record, { durable: false });
  }

  async close(): Promise<void> {}
}
