// One process at a time per data directory: compaction rewrites files another process may
// be appending to. A lock left by a dead process is taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ClientError } from '#client-core/errors.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface DirLock {
  release(): void;
}

export async function lockDataDir(dataDir: string, waitMs = 15_000): Promise<DirLock> {
  const path = join(dataDir, 'lock');
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            unlinkSync(path);
          } catch {
            // gone already
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new ClientError('store', `cannot lock ${dataDir}: ${(err as Error).message}`, undefined, { cause: err });
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(path, 'utf8'));
    } catch {
      continue; // released between our attempts
    }
    if (!Number.isSafeInteger(holder) || holder <= 0 || !alive(holder)) {
      try {
        unlinkSync(path);
      } catch {
        // another process took it over first
      }
      continue;
    }
    if (Date.now() > deadline) throw new ClientError('store', `the data directory ${dataDir} is in use by process ${holder}`);
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 50));
  }
}
