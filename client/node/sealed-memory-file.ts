// What a locked data directory remembers between visits (client/core/device-memory.ts: verified
// keys, owners, moderation records): one sealed file per scope under <data dir>/sealed/memory,
// named by a keyed hash of the scope, as sealed-name-file.ts keeps names. Read back as hostile
// input, like memory-file.ts.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceMemory } from '#client-core/device-memory.ts';
import type { Vault } from '#client-core/vault.ts';

const MAX_FILE_BYTES = 8 * 1024 * 1024;

export class SealedMemoryFile implements DeviceMemory {
  private readonly dir: string;

  constructor(
    dataDir: string,
    private readonly vault: Vault,
  ) {
    this.dir = join(dataDir, 'sealed', 'memory');
  }

  private path(scope: string): string {
    return join(this.dir, `${Buffer.from(this.vault.name(`memory:${scope}`)).toString('hex')}.sealed`);
  }

  load(scope: string): unknown {
    try {
      const bytes = readFileSync(this.path(scope));
      if (bytes.length > MAX_FILE_BYTES) return null;
      const text = this.vault.openText(bytes, `memory:${scope}`);
      return text === null ? null : (JSON.parse(text) as unknown);
    } catch {
      return null;
    }
  }

  save(scope: string, value: unknown): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const path = this.path(scope);
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, this.vault.sealText(JSON.stringify(value), `memory:${scope}`), { mode: 0o600 });
    renameSync(tmp, path);
  }
}
