// Reading a room back from the local store into its envelope doc: storage is as hostile as
// the network, so every stored update passes the validator again, except the signature
// checks a store kept authenticated under this device's own key (client/node/verified-cache.ts).
import type * as Y from 'yjs';
import { applyValidatedUpdate, type EnvelopeRejection, type RoomKey, type RoomName } from '#shared';
import { FROM_STORE } from './origins.ts';
import type { ClientProblem } from './problems.ts';
import type { RoomStore, StoredRoom } from './store.ts';
import { applyCheckedUpdateAsync } from './update-check.ts';
import { MAX_RECEIVED_UPDATE_BYTES } from './validating-sync.ts';

/** Reading a room back from a store without a check record yields to the UI this often. */
const STORE_SLICE_MS = 10;

/**
 * Applies a room's stored updates to its envelope doc. Returns the damage found (reported,
 * never fatal) and whether some update was refused; `persist` queues a store write (a new
 * check record).
 */
export async function applyStored(
  envelope: Y.Doc,
  key: RoomKey,
  room: RoomName,
  store: RoomStore,
  stored: StoredRoom,
  persist: (write: () => Promise<void>) => void,
): Promise<{ problems: ClientProblem[]; refused: boolean }> {
  const problems: ClientProblem[] = stored.problems.map((p) => ({ ...p, room }));
  const refuse = ({ reason, detail }: { reason: EnvelopeRejection; detail: string }) => problems.push({ kind: 'stored-update-refused', room, reason, detail });
  // Checks this device made on the stored blobs before (write and author signatures) are not
  // redone when the store kept them authenticated under its own key; everything else is.
  const cache = store.verification;
  const restored = cache && stored.updates.length > 0 ? new Set(await cache.restore(room)) : new Set<string>();
  const apply = () => {
    for (const update of stored.updates) {
      const verdict = applyValidatedUpdate(envelope, update, key, FROM_STORE, { maxUpdateBytes: MAX_RECEIVED_UPDATE_BYTES });
      if (!verdict.ok) refuse(verdict);
    }
  };
  if (cache && stored.updates.length > 0) {
    const checks = cache.collect(apply, restored);
    // Rewritten when the stored room holds checks the record lacks (or it had none).
    if (checks.length !== restored.size || !checks.every((c) => restored.has(c))) persist(() => cache.save(room, checks));
  } else {
    // No record of earlier checks (the browser): every stored update is checked again, the
    // large ones off the main thread, with a yield whenever the small ones add up.
    let since = performance.now();
    for (const update of stored.updates) {
      const verdict = await applyCheckedUpdateAsync(envelope, update, key, FROM_STORE, MAX_RECEIVED_UPDATE_BYTES);
      if (!verdict.ok) refuse(verdict);
      if (performance.now() - since > STORE_SLICE_MS) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        since = performance.now();
      }
    }
  }
  return { problems, refused: problems.some((p) => p.kind === 'stored-update-refused') };
}
