// Keys this device's user verified by comparing safety codes in person (docs/PROTOCOL.md §6,
// "Safety codes"). Kept on the device only, for every board: a post by a verified key is shown
// so, and a post by another key under a verified key's name is flagged as posing as it.
import { isIdentityKey } from '#shared';
import type { DeviceMemory } from './device-memory.ts';
import { nameKey } from './names.ts';

const SCOPE = 'verified-keys';
const MAX_KEYS = 2000;

export interface VerifiedKey {
  /** The name the user knows them by (the name they posted under when verified). */
  name: string;
  at: number;
}

export interface VerifiedCheck {
  /** The post's author is a key this device verified. */
  verified: boolean;
  /** Another key, verified here, goes by this post's name: the post is not theirs. */
  posingAs: string | null;
}

export class VerifiedKeys {
  private keys: Record<string, VerifiedKey> = {};

  constructor(private readonly memory: DeviceMemory | null) {
    const loaded = memory?.load(SCOPE);
    if (typeof loaded !== 'object' || loaded === null || Array.isArray(loaded)) return;
    for (const [key, v] of Object.entries(loaded as Record<string, unknown>).slice(0, MAX_KEYS)) {
      const e = v as Record<string, unknown> | null;
      if (isIdentityKey(key) && typeof e?.name === 'string' && typeof e.at === 'number') this.keys[key] = { name: e.name.slice(0, 100), at: e.at };
    }
  }

  has(key: string): boolean {
    return Object.hasOwn(this.keys, key);
  }

  list(): Array<{ key: string } & VerifiedKey> {
    return Object.entries(this.keys).map(([key, v]) => ({ key, ...v }));
  }

  mark(key: string, name: string): void {
    if (!isIdentityKey(key)) throw new RangeError('not an identity key');
    if (!this.has(key) && Object.keys(this.keys).length >= MAX_KEYS) throw new RangeError(`at most ${MAX_KEYS} verified keys`);
    this.keys[key] = { name: name.replace(/[\r\n]/g, ' ').slice(0, 100), at: Date.now() };
    this.memory?.save(SCOPE, this.keys);
  }

  unmark(key: string): void {
    if (!this.has(key)) return;
    delete this.keys[key];
    this.memory?.save(SCOPE, this.keys);
  }

  /** A post's author against the verified keys. Unverified posts have no author to check. */
  check(post: { author: string; name: string; verified: boolean }): VerifiedCheck {
    if (!post.verified) return { verified: false, posingAs: null };
    if (this.has(post.author)) return { verified: true, posingAs: null };
    const k = nameKey(post.name);
    if (k === '') return { verified: false, posingAs: null };
    for (const [key, v] of Object.entries(this.keys)) if (nameKey(v.name) === k) return { verified: false, posingAs: key };
    return { verified: false, posingAs: null };
  }
}
