// A thread's first screen while the thread itself loads: as this device saved it, else as its
// writers published it (client/core/first-screen.ts), fetched before the thread is opened so
// that on a slow link it comes first, unless the page's first script has shown it already.
import type { BatonClient, ThreadPreview } from '#client-core';
import type { Capability } from '#shared';
import { firstLookShown } from '../../first-screen/look.ts';

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
