// The CLI and the relay as users run them: `node bin/baton.js`, which runs the compiled
// code in build/. Built first when the sources are newer than the last build, so a test
// never runs stale code (scripts/build.js lets one build run at a time).
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BATON_BIN = join(ROOT, 'bin/baton.js');

const checked = new Set<string>();

/** Builds `part` (node: build/, web: client/dist) unless it is up to date; once per process. */
export function ensureBuilt(part: 'node' | 'web' = 'node'): void {
  if (checked.has(part)) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build.js'), part, '--if-stale'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot build (${part}): ${r.stderr}${r.stdout}`);
  checked.add(part);
}

/** Spawns `node bin/baton.js ...args` in the repository root. */
export function spawnBaton(args: string[], options: SpawnOptions = {}): ChildProcess {
  ensureBuilt();
  return spawn(process.execPath, [BATON_BIN, ...args], { cwd: ROOT, ...options });
}
