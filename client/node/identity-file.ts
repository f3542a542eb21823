// The author identity and display name of a data directory: <data dir>/identity.json (0600).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IdentityStore, StoredIdentity } from '#client-core/store.ts';
import { ClientError } from '#client-core/errors.ts';
import { writeFileDurably } from './durable-file.ts';

export class IdentityFile implements IdentityStore {
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'identity.json');
  }

  async load(): Promise<StoredIdentity | null> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new ClientError('store', `cannot read ${this.path}: ${(err as Error).message}`, undefined, { cause: err });
    }
    try {
      const json = JSON.parse(text) as Partial<StoredIdentity>;
      if (typeof json.identity !== 'string' || typeof json.name !== 'string') throw new Error('missing fields');
      return { identity: json.identity, name: json.name };
    } catch {
      throw new ClientError('store', `${this.path} is damaged; restore it from a backup (baton identity import)`);
    }
  }

  /** Durable: a power cut during a save leaves the old identity or the new one, never an empty file. */
  async save(value: StoredIdentity): Promise<void> {
    await writeFileDurably(this.path, new TextEncoder().encode(JSON.stringify(value) + '\n'));
  }
}
