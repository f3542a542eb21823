// The first look the page's first script shows (read.ts, paint.ts), and whether it did: the app
// (a chunk that shares this module with the first script) then opens the thread at once instead
// of fetching the same first screen again.
import { paintFirstLook } from './paint.ts';
import { readFirstLook } from './read.ts';

let shown: Promise<boolean> = Promise.resolve(false);

/** Reads and paints the first look of the thread a fragment links to, unless `stop` aborts first; resolves once done either way. */
export function startFirstLook(hash: string, servingRelay: string | null, stop: AbortSignal, ready: Promise<unknown>): Promise<boolean> {
  shown = readFirstLook(hash, servingRelay, stop).then(
    async (look) => {
      await ready;
      if (!look || stop.aborted) return false;
      paintFirstLook(look);
      return true;
    },
    // no WebCrypto Ed25519, an insecure context, a relay that does not answer: the app shows it
    () => false,
  );
  return shown;
}

/** Resolves with whether a first look is on screen, once the first script knows (at most `ms`). */
export function firstLookShown(ms: number): Promise<boolean> {
  return Promise.race([shown, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);
}
