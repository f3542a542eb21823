// A thread's first screen while the thread itself loads: as this device saved it, else as its
// writers published it (client/core/first-screen.ts), fetched before the thread is opened so
// that on a slow link it comes first, unless the page's first script has shown it already.
// And the thread itself, when that script fetched it whole while the app was arriving.
import { importRooms, type BatonClient, type ThreadPreview } from '#client-core';
import type { Capability, RoomName } from '#shared';
import { firstLookShown } from '../../first-screen/look.ts';
import { fetchedThread, releaseThreadFetch, stopThreadFetch } from '../../first-screen/thread-fetch.ts';

/** How long a thread waits for its published first screen before it is opened anyway. */
const FIRST_SCREEN_WAIT_MS = 5000;

/** The first screen to show, and where it came from; null when there is none (or the thread is open already). */
export async function threadFirstScreen(
  client: BatonClient,
  cap: Capability,
  stillWanted: () => boolean,
): Promise<{ preview: ThreadPreview; source: 'device' | 'published' } | null> {
  if (client.get(cap.spaceId)) return null; // already open: it shows at once
  const saved = await client.preview(cap).catch(() => null);
  if (saved) return { preview: saved, source: 'device' };
  // The page's first script showed it already: the thread itself is what is needed now.
  if (!stillWanted() || (await firstLookShown(FIRST_SCREEN_WAIT_MS))) return null;
  const published = await client.firstScreen(cap, FIRST_SCREEN_WAIT_MS).catch(() => null);
  return published ? { preview: published, source: 'published' } : null;
}

/**
 * Before a thread opens: the thread the page's first script fetched whole
 * (first-screen/thread-fetch.ts), checked and stored if it is this one and the device holds none
 * of it, so that its sync asks the relay only for what is newer instead of sending the whole
 * thread over the link again. Waits for that fetch to end: the sync would bring the same bytes.
 */
export async function storeFetchedThread(client: BatonClient, cap: Capability): Promise<void> {
  const prefix = `${cap.spaceId}.`;
  if (cap.kind !== 'thread' || client.get(cap.spaceId) || (await client.store.rooms()).some((r) => r.startsWith(prefix))) {
    stopThreadFetch();
    return;
  }
  const got = await fetchedThread();
  releaseThreadFetch();
  if (!got || !got.room.startsWith(prefix)) return;
  // Checked as a bundle is, all or nothing: a relay's bad answer is dropped, and the sync fetches the thread.
  await importRooms(client.store, new Map([[got.room as RoomName, got.update]])).catch(() => {});
}
