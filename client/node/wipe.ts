// `baton wipe`: removes what Baton wrote in a data directory, and nothing else. Files are
// unlinked, not overwritten: on journaling and flash storage an overwrite does not reach the
// old blocks anyway, which is why a locked directory keeps only sealed data in the first place.
import { readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Top-level names Baton's client writes (relay data has its own names and is left alone). */
const OURS = new Set(['rooms', 'sealed', 'names', 'memory', 'identity.json', 'device.key', 'vault.json', 'lock']);
/** Temporary files of an interrupted durable write (durable-file.ts). */
const TEMPORARY = /^(identity\.json|device\.key|vault\.json)\.tmp-/;

/** Removes Baton's entries from `dataDir`, and the directory if that leaves it empty; returns what it removed. */
export function wipeDataDir(dataDir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dataDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const removed: string[] = [];
  for (const name of entries) {
    if (!OURS.has(name) && !TEMPORARY.test(name)) continue;
    rmSync(join(dataDir, name), { recursive: true, force: true });
    removed.push(join(dataDir, name));
  }
  if (removed.length > 0 && readdirSync(dataDir).length === 0) {
    rmdirSync(dataDir);
    removed.push(dataDir);
  }
  return removed;
}
