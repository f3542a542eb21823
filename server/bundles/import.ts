// Bundles into a relay (docs/PROTOCOL.md §5): re-seeds a wiped or new relay from a .baton file. Every
// room's update is first validated against a scratch copy of the room, exactly as sync
// would; only when all rooms pass is anything applied: all rooms or none.
import * as Y from 'yjs';
import { applyValidatedUpdate, createEnvelopeDoc, decodeBundle, parseRoomName, splitEnvelopeUpdate, type Bundle } from '../../shared/index.ts';
import type { RelayLimits } from '../config.ts';
import type { RoomRegistry } from '../rooms/registry.ts';

export class BundleImportError extends Error {
  override name = 'BundleImportError';
  constructor(
    message: string,
    readonly room: string | null,
  ) {
    super(message);
  }
}

export interface ImportResult {
  /** Blobs added per room (0 for rooms the relay already held in full). */
  rooms: Record<string, number>;
  added: number;
}

/** Parses a bundle's text and imports it; throws BundleError or BundleImportError. */
export async function importBundleText(registry: RoomRegistry, limits: RelayLimits, text: string): Promise<ImportResult> {
  return importBundle(registry, limits, decodeBundle(text));
}

export async function importBundle(registry: RoomRegistry, limits: RelayLimits, bundle: Bundle): Promise<ImportResult> {
  const plan: Array<{ room: string; pieces: Uint8Array[] }> = [];
  // Pass 1: validate every room against a copy of what the relay holds; touch nothing.
  for (const [name, update] of bundle) {
    const address = parseRoomName(name);
    if (!address) throw new BundleImportError(`bad room name ${name.slice(0, 60)}`, name);
    const pieces = splitEnvelopeUpdate(update, limits.maxUpdateBytes);
    await registry.with(address, (room) => {
      const scratch = createEnvelopeDoc();
      Y.applyUpdate(scratch, room.diff());
      let bytes = room.bytes;
      for (const piece of pieces) {
        const verdict = applyValidatedUpdate(scratch, piece, address, null, {
          maxUpdateBytes: limits.maxUpdateBytes,
          maxBlobBytes: limits.maxBlobBytes,
        });
        if (!verdict.ok) throw new BundleImportError(`room ${short(name)} refused: ${verdict.reason}: ${verdict.detail.slice(0, 120)}`, name);
        for (const b of verdict.blobs) bytes += b.blob.length;
      }
      if (bytes > limits.maxRoomBytes) throw new BundleImportError(`room ${short(name)} would exceed ${limits.maxRoomBytes} bytes`, name);
      scratch.destroy();
    });
    plan.push({ room: name, pieces });
  }
  // Pass 2: apply through each room's own gate (which checks everything again).
  const result: ImportResult = { rooms: {}, added: 0 };
  for (const { room: name, pieces } of plan) {
    const address = parseRoomName(name)!;
    const added = await registry.with(address, async (room) => {
      let count = 0;
      for (const piece of pieces) {
        const acceptance = room.receive(piece, null);
        if (!acceptance.ok) throw new BundleImportError(`room ${short(name)} refused: ${acceptance.code}: ${acceptance.detail.slice(0, 120)}`, name);
        count += acceptance.added;
      }
      await registry.durable(room);
      return count;
    });
    result.rooms[name] = added;
    result.added += added;
  }
  return result;
}

function short(room: string): string {
  return `${room.slice(0, 8)}…`;
}
