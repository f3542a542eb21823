// Newest modification time under a set of paths, to tell whether a build output is stale.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Newest mtime (ms) of the files under `path`, skipping node_modules and tests; 0 when absent. */
export function newestUnder(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.endsWith('.test.ts')) continue;
    max = Math.max(max, newestUnder(join(path, name)));
  }
  return max;
}

/** mtime (ms) of one file, 0 when it does not exist. */
export function mtimeOf(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** True when `output` is missing or older than any of `sources` (paths relative to `root`). */
export function isStale(root, output, sources) {
  const builtAt = mtimeOf(join(root, output));
  return builtAt === 0 || sources.some((s) => newestUnder(join(root, s)) > builtAt);
}
