// A relay's parts without its server, for the tests beside server/ files: a resolved config,
// a real SQLite file in a fresh directory, the room registry over it, and a loaded room.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { appendSealed, createEnvelopeDoc, initSodium, parseRoomName, roomName, type Sealer } from '#shared';
import { resolveConfig, type RelayConfig, type RelayOptions } from '#server/config.ts';
import { RoomRegistry } from '#server/rooms/registry.ts';
import { Room } from '#server/rooms/room.ts';
import { openStorage, type RelayStorage } from '#server/storage/index.ts';
import type { Answer } from '#server/sync/answers.ts';
import { envelopeWith, testIdentity, testRoom, testUpdate, type TestRoom } from './rooms.ts';

export interface RegistryParts {
  config: RelayConfig;
  storage: RelayStorage;
  registry: RoomRegistry;
  /** What the relay logged. */
  logs: string[];
  dir: string;
  /** Closes the registry and its storage, and removes the directory unless `keep`. */
  close(keep?: boolean): Promise<void>;
}

/** A registry over a fresh SQLite file (or over `dir`, to read what an earlier one stored). */
export async function openRegistry(options: RelayOptions = {}, dir = mkdtempSync(join(tmpdir(), 'baton-registry-'))): Promise<RegistryParts> {
  await initSodium();
  const logs: string[] = [];
  const config = resolveConfig({ dataDir: dir, verify: 'inline', log: (line) => logs.push(line), ...options });
  const storage = await openStorage(config);
  const registry = new RoomRegistry(config, storage);
  let closed = false;
  const close = async (keep = false) => {
    if (closed) return;
    closed = true;
    await registry.close();
    await storage.close();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  };
  return { config, storage, registry, logs, dir, close };
}

/** The room name of a test room. */
export const nameOf = (room: TestRoom): string => roomName(room.cap.spaceId, room.epoch);

/** A Yjs update of an envelope doc holding these blobs, sealed where they land. */
export function updateOf(sealers: Sealer[], clientID = 1): Uint8Array {
  return Y.encodeStateAsUpdate(envelopeWith(sealers, clientID));
}

/** One writer's envelope doc: each call appends blobs and returns the update of just those. */
export function writer(clientID = 1): (sealers: Sealer[]) => Uint8Array {
  const doc = createEnvelopeDoc();
  doc.clientID = clientID;
  return (sealers) => {
    const before = Y.encodeStateVector(doc);
    appendSealed(doc, sealers);
    return Y.encodeStateAsUpdate(doc, before);
  };
}

/** A loaded room (no storage) holding `count` blobs of about `bytes` each. */
export function roomOf(seed: number, count: number, bytes: number): Room {
  const key = testRoom(seed);
  const author = testIdentity(seed + 1);
  const blobs = Array.from({ length: count }, (_, i) => testUpdate(key, author, `k${i}`, randomBytes(bytes / 2).toString('hex')));
  const update = Y.encodeStateAsUpdate(envelopeWith(blobs));
  const address = parseRoomName(roomName(key.cap.spaceId, 0))!;
  return new Room(address, resolveConfig({}).limits, { updates: [update], bytes: update.length }, () => {});
}

/** Every piece of an answer to sync step 1, waiting for those still being built. */
export async function piecesOf(answer: Answer): Promise<Uint8Array[]> {
  const pieces: Uint8Array[] = [];
  for (let i = 0; ; i++) {
    let piece = answer.piece(i);
    while (piece === undefined) {
      await new Promise<void>((resolve) => answer.whenBuilt(resolve));
      piece = answer.piece(i);
    }
    if (piece === null) return pieces;
    pieces.push(piece);
  }
}
