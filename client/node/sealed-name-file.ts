// The names of a locked data directory (client/core/names.ts): one sealed file per board under
// <data dir>/sealed/names, named by a keyed hash of the board, so neither the name nor the
// content says which board it is. Read back as hostile input, like name-file.ts.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NameMemory } from '#client-core/names.ts';
import type { Vault } from '#client-core/vault.ts';
import { namesFromJson } from './name-file.ts';

const MAX_FILE_BYTES = 2 * 1024 * 1024;

export class SealedNameFile implements NameMemory {
  private readonly dir: string;

  constructor(
    dataDir: string,
    private readonly vault: Vault,
  ) {
    this.dir = join(dataDir, 'sealed', 'names');
  }

  private path(scope: string): string {
    return join(this.dir, `${Buffer.from(this.vault.name(`names:${scope}`)).toString('hex')}.sealed`);
  }

  load(scope: string): Record<string, string> | null {
    try {
      const bytes = readFileSync(this.path(scope));
      if (bytes.length > MAX_FILE_BYTES) return null;
      const text = this.vault.openText(bytes, `names:${scope}`);
      return text ? namesFromJson(text) : null;
    } catch {
      return null;
    }
  }

  save(scope: string, names: Record<string, string>): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const path = this.path(scope);
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, this.vault.sealText(JSON.stringify(names), `names:${scope}`), { mode: 0o600 });
    renameSync(tmp, path);
  }
}
