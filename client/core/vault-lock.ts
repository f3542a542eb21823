// The passphrase lock: a record, kept in clear beside what it locks, that holds the data key
// (vault.ts) sealed under a key derived from the passphrase with Argon2id. Changing the
// passphrase seals the same data key again, so nothing else is re-encrypted. A duress
// passphrase is kept as a keyed hash of its derived key under the same salt: one derivation
// per attempt tells the passphrase, the duress passphrase and a wrong one apart. A device
// without a duress passphrase holds a random hash there, so the record does not say whether
// one is set. Argon2id itself comes from the caller (libsodium's sumo build, loaded only
// when a passphrase is used).
import { fromBase64url, sodium, toBase64url, utf8 } from '#shared';
import { DATA_KEY_BYTES } from './vault.ts';

/** Argon2id: derives 32 bytes from a passphrase (crypto_pwhash with ALG_ARGON2ID13). */
export type Pwhash = (passphrase: string, salt: Uint8Array, ops: number, mem: number) => Promise<Uint8Array>;

export interface LockRecord {
  v: 1;
  ops: number;
  mem: number;
  salt: string;
  /** The data key, sealed under the passphrase's key. */
  key: string;
  /** A keyed hash of the duress passphrase's key (random when none is set). */
  duress: string;
  /** Wrong attempts since the last right one, and when the last was made (ms). */
  fails: number;
  failedAt: number;
}

/**
 * Argon2id's cost: 3 passes over 64 MiB (libsodium's "interactive" memory, one pass more)
 * take 0.17-0.2 s in libsodium's WebAssembly on a loaded 2-core server (docs/BENCHMARKS.md);
 * a mid-range phone's cores run the same WebAssembly three to four times slower, about
 * 0.5 s. 64 MiB fits a phone browser's memory; more would be refused on some.
 */
export const ARGON2 = { ops: 3, mem: 64 * 1024 * 1024 };
/** Bounds on a stored record's cost, so a planted record cannot make unlocking take hours. */
const MAX_OPS = 16;
const MAX_MEM = 512 * 1024 * 1024;
const MIN_MEM = 8 * 1024;
const SALT_BYTES = 16;
const NONCE_BYTES = 24;
const WRAP_AD = utf8('baton/lock/v1');
const DURESS_KEY = utf8('baton/lock/duress/v1');
/** The longest wait after wrong attempts. */
export const MAX_DELAY_MS = 60_000;

/** How long to wait after `fails` wrong attempts in a row: 1 s, 2 s, 4 s ... up to a minute. */
export function delayAfter(fails: number): number {
  return fails <= 0 ? 0 : Math.min(MAX_DELAY_MS, 1000 * 2 ** Math.min(fails - 1, 16));
}

/** How long until the next attempt may be made (0: now). */
export function waitBeforeAttempt(record: LockRecord, now = Date.now()): number {
  // Bounded: a clock set back, or a planted record, never makes the wait longer than the longest.
  return Math.min(MAX_DELAY_MS, Math.max(0, record.failedAt + delayAfter(record.fails) - now));
}

function wrap(dataKey: Uint8Array, kek: Uint8Array): string {
  const s = sodium();
  const nonce = s.randombytes_buf(NONCE_BYTES);
  const sealed = s.crypto_aead_xchacha20poly1305_ietf_encrypt(dataKey, WRAP_AD, null, nonce, kek);
  return toBase64url(new Uint8Array([...nonce, ...sealed]));
}

function unwrap(wrapped: string, kek: Uint8Array): Uint8Array | null {
  const bytes = fromBase64url(wrapped);
  if (!bytes || bytes.length !== NONCE_BYTES + DATA_KEY_BYTES + 16) return null;
  try {
    return sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, bytes.subarray(NONCE_BYTES), WRAP_AD, bytes.subarray(0, NONCE_BYTES), kek);
  } catch {
    return null;
  }
}

const duressTag = (kek: Uint8Array): Uint8Array => sodium().crypto_generichash(32, kek, DURESS_KEY);

async function derive(record: Pick<LockRecord, 'salt' | 'ops' | 'mem'>, passphrase: string, pwhash: Pwhash): Promise<Uint8Array> {
  const salt = fromBase64url(record.salt);
  if (!salt) throw new RangeError('damaged lock record');
  return pwhash(passphrase.normalize('NFC'), salt, record.ops, record.mem);
}

/** A new lock for a new data key (or the one given), with no duress passphrase. */
export async function createLock(passphrase: string, pwhash: Pwhash, dataKey: Uint8Array, cost = ARGON2): Promise<LockRecord> {
  if (passphrase.length === 0) throw new RangeError('the passphrase is empty');
  const s = sodium();
  const base = { v: 1 as const, ops: cost.ops, mem: cost.mem, salt: toBase64url(s.randombytes_buf(SALT_BYTES)) };
  const kek = await derive(base, passphrase, pwhash);
  return { ...base, key: wrap(dataKey, kek), duress: toBase64url(s.randombytes_buf(32)), fails: 0, failedAt: 0 };
}

export type UnlockResult = { kind: 'open'; dataKey: Uint8Array } | { kind: 'duress' } | { kind: 'wrong' };

export async function tryPassphrase(record: LockRecord, passphrase: string, pwhash: Pwhash): Promise<UnlockResult> {
  const kek = await derive(record, passphrase, pwhash);
  const dataKey = unwrap(record.key, kek);
  if (dataKey) return { kind: 'open', dataKey };
  const tag = fromBase64url(record.duress);
  if (tag && tag.length === 32 && sodium().memcmp(tag, duressTag(kek))) return { kind: 'duress' };
  return { kind: 'wrong' };
}

/** The record after a wrong attempt, or after the right one. */
export function afterAttempt(record: LockRecord, right: boolean, now = Date.now()): LockRecord {
  return right ? { ...record, fails: 0, failedAt: 0 } : { ...record, fails: record.fails + 1, failedAt: now };
}

/** The same data key under a new passphrase (and the same salt, so the duress hash still holds). */
export async function changePassphrase(record: LockRecord, dataKey: Uint8Array, passphrase: string, pwhash: Pwhash): Promise<LockRecord> {
  if (passphrase.length === 0) throw new RangeError('the passphrase is empty');
  const kek = await derive(record, passphrase, pwhash);
  if (record.duress && sodium().memcmp(fromBase64url(record.duress) ?? new Uint8Array(32), duressTag(kek))) throw new RangeError('the passphrase is the duress passphrase');
  return { ...record, key: wrap(dataKey, kek) };
}

/** Sets (or with null clears) the duress passphrase; it must not open the lock itself. */
export async function setDuress(record: LockRecord, duress: string | null, pwhash: Pwhash): Promise<LockRecord> {
  if (duress === null) return { ...record, duress: toBase64url(sodium().randombytes_buf(32)) };
  if (duress.length === 0) throw new RangeError('the duress passphrase is empty');
  const kek = await derive(record, duress, pwhash);
  if (unwrap(record.key, kek)) throw new RangeError('the duress passphrase is the passphrase itself');
  return { ...record, duress: toBase64url(duressTag(kek)) };
}

/** A stored record, read as hostile input: null unless every field is well formed and its cost bounded. */
export function parseLockRecord(text: string | null): LockRecord | null {
  if (!text) return null;
  let v: Partial<Record<keyof LockRecord, unknown>>;
  try {
    v = JSON.parse(text) as typeof v;
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object' || v.v !== 1) return null;
  const int = (x: unknown, lo: number, hi: number): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= lo && x <= hi;
  const b64 = (x: unknown, n: number): x is string => typeof x === 'string' && fromBase64url(x)?.length === n;
  if (!int(v.ops, 1, MAX_OPS) || !int(v.mem, MIN_MEM, MAX_MEM) || !b64(v.salt, SALT_BYTES) || !b64(v.key, NONCE_BYTES + DATA_KEY_BYTES + 16) || !b64(v.duress, 32)) return null;
  const fails = int(v.fails, 0, 1_000_000) ? v.fails : 0;
  const failedAt = int(v.failedAt, 0, Number.MAX_SAFE_INTEGER) ? v.failedAt : 0;
  return { v: 1, ops: v.ops, mem: v.mem, salt: v.salt, key: v.key, duress: v.duress, fails, failedAt };
}
