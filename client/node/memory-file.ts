// What a device remembers between visits (client/core/device-memory.ts), one small JSON file per
// scope under <data dir>/memory. Read back as hostile input: a file that does not parse, or is
// too large, reads as nothing remembered; callers check every field of the rest.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceMemory } from '#client-core/device-memory.ts';

const MAX_FILE_BYTES = 8 * 1024 * 1024;

export class MemoryFile implements DeviceMemory {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'memory');
  }

  private path(scope: string): string {
    return join(this.dir, `${Buffer.from(scope).toString('hex').slice(0, 200)}.json`);
  }

  load(scope: string): unknown {
    try {
      const text = readFileSync(this.path(scope));
      if (text.length > MAX_FILE_BYTES) return null;
      return JSON.parse(text.toString('utf8')) as unknown;
    } catch {
      return null;
    }
  }

  save(scope: string, value: unknown): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const path = this.path(scope);
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(value), { mode: 0o600 });
    renameSync(tmp, path);
  }
}
