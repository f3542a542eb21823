// The Node room store: one append-only file of length-prefixed updates per room under
// <data dir>/rooms, ciphertext only, compacted by the space after a validated load.
//   record = length:u32be || Yjs v1 update
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { concatBytes, fromBase64url, parseRoomName, roomName, spaceIdFromPublicKey, u32be, type RoomName, type SpaceId } from '../../shared/index.ts';
import { emptyMeta, type RoomMeta, type RoomStore, type StoredRoom } from '../core/store.ts';
import { fileBase, writeAtomically } from './room-files.ts';
import { FileVerificationCache } from './verified-cache.ts';

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
  const problems: string[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (pos < bytes.length) {
    if (bytes.length - pos < 4) {
      problems.push(`truncated record header at byte ${pos}`);
      break;
    }
    const length = view.getUint32(pos, false);
    if (length === 0 || length > MAX_RECORD_BYTES || length > bytes.length - pos - 4) {
      problems.push(`damaged record at byte ${pos} (length ${length}, ${bytes.length - pos - 4} bytes left)`);
      break;
    }
    updates.push(bytes.slice(pos + 4, pos + 4 + length));
    pos += 4 + length;
  }
  return { updates, problems };
}

export function encodeRecord(update: Uint8Array): Uint8Array {
  return concatBytes(u32be(update.length), update);
}

export class FileStore implements RoomStore {
  private readonly dir: string;
  /** Rooms whose file was damaged at load: kept aside before compaction rewrites them. */
  private readonly damaged = new Set<RoomName>();
  readonly verification?: FileVerificationCache;

  /** `deviceSecret` (client/node/device-secret.ts) keys the verification record; without it none is kept. */
  constructor(dataDir: string, deviceSecret?: Uint8Array) {
    this.dir = join(dataDir, 'rooms');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    if (deviceSecret) this.verification = new FileVerificationCache(this.dir, deviceSecret);
  }

  async load(room: RoomName): Promise<StoredRoom> {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(join(this.dir, fileBase(room) + LOG_SUFFIX));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { updates: [], problems: [] };
      return { updates: [], problems: [`cannot read the local copy: ${(err as Error).message}`] };
    }
    const stored = readRecords(bytes);
    if (stored.problems.length > 0) this.damaged.add(room);
    return stored;
  }

  async append(room: RoomName, update: Uint8Array): Promise<void> {
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
  }

  async replace(room: RoomName, update: Uint8Array, keepOriginal = false): Promise<void> {
    const path = join(this.dir, fileBase(room) + LOG_SUFFIX);
    if (this.damaged.delete(room) || keepOriginal) {
      // Keep the damaged original for inspection rather than overwrite it.
      try {
        renameSync(path, `${path}.damaged-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
      } catch {
        // already gone
      }
    }
    await writeAtomically(path, encodeRecord(update));
  }

  async loadMeta(room: RoomName): Promise<RoomMeta> {
    try {
      const json = JSON.parse(readFileSync(join(this.dir, fileBase(room) + META_SUFFIX), 'utf8')) as Partial<RoomMeta>;
      const ownClients = Array.isArray(json.ownClients) ? json.ownClients.filter((c) => Number.isSafeInteger(c)) : [];
      const receipts: Record<string, string> = {};
      if (json.receipts && typeof json.receipts === 'object') {
        for (const [relay, sv] of Object.entries(json.receipts)) if (typeof sv === 'string' && fromBase64url(sv)) receipts[relay] = sv;
      }
      const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((r): r is string => typeof r === 'string') : []);
      const pending = typeof json.pending === 'number' && Number.isSafeInteger(json.pending) ? json.pending : 0;
      return { ownClients, receipts, relays: strings(json.relays), pending, synced: strings(json.synced) };
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
