// localStorage for a locked device: each entry's key is replaced by a keyed hash of it and its
// value sealed with that key as its place (client/core/vault.ts), so the list of boards, the
// drafts, the names and the post-to-blob map are unreadable and say nothing by their keys.
// Synchronous like localStorage, so LocalState (lib/local.ts) works on either.
import { fromBase64url, toBase64url } from '#shared';
import type { Vault } from '#client-core';

export const SEALED_PREFIX = 'baton-s:';

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export class SealedStorage implements KeyValueStorage {
  constructor(
    private readonly inner: KeyValueStorage,
    private readonly vault: Vault,
  ) {}

  private keyOf(key: string): string {
    return SEALED_PREFIX + this.vault.nameText(`storage:${key}`);
  }

  getItem(key: string): string | null {
    const stored = this.inner.getItem(this.keyOf(key));
    const bytes = stored ? fromBase64url(stored) : null;
    return bytes ? this.vault.openText(bytes, `storage:${key}`) : null;
  }

  setItem(key: string, value: string): void {
    this.inner.setItem(this.keyOf(key), toBase64url(this.vault.sealText(value, `storage:${key}`)));
  }

  removeItem(key: string): void {
    this.inner.removeItem(this.keyOf(key));
  }
}
