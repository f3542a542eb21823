// The names a device has bound per board (client/core/names.ts), one small JSON file per
// board under <data dir>/names. Read back as hostile input: anything malformed is ignored.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NameMemory } from '#client-core/names.ts';

/** A file larger than this is not read (5000 names of at most 100 characters fit easily). */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

export class NameFile implements NameMemory {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'names');
  }

  private path(scope: string): string {
    return join(this.dir, `${Buffer.from(scope).toString('hex').slice(0, 128)}.json`);
  }

  load(scope: string): Record<string, string> | null {
    try {
      const text = readFileSync(this.path(scope));
      if (text.length > MAX_FILE_BYTES) return null;
      return namesFromJson(text.toString('utf8'));
    } catch {
      return null;
    }
  }

  save(scope: string, names: Record<string, string>): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const path = this.path(scope);
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(names), { mode: 0o600 });
    renameSync(tmp, path);
  }
}

/** A names file's text as name -> key: null unless it is a JSON object; entries that are not text are left out. */
export function namesFromJson(text: string): Record<string, string> | null {
  const json = JSON.parse(text) as unknown;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(json)) if (typeof v === 'string') out[k] = v;
  return out;
}
