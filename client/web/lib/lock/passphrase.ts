// Setting, changing and typing the passphrase. Imported only when a passphrase is set or typed
// (lib/lock/lazy.ts), with Argon2id from libsodium's sumo build (client/browser/pwhash.ts).
//
// Locking a device that kept everything in clear copies it into the sealed stores, writes
// the lock record (from then on the device is locked) and only then deletes the clear copies;
// an unlock finishes a lock that was interrupted after the record was written.
import { msg } from '@lit/localize';
import { initSodium } from '#shared';
import { SealedStore, Vault, sealRooms, afterAttempt, changePassphrase, createLock, delayAfter, setDuress, tryPassphrase, waitBeforeAttempt } from '#client-core';
import { CLEAR_DATABASES, IndexedDbIdentityStore, IndexedDbStore, SEALED_DATABASES, loadPwhash } from '#client-browser';
import { LOCK_KEYS, readLock, writeLock } from './record.ts';
import { SEALED_PREFIX, SealedStorage } from './sealed-storage.ts';
import type { Session } from '../session.ts';
import { ShownError } from '../failure.ts';

export type Attempt = { kind: 'open'; vault: Vault } | { kind: 'duress' } | { kind: 'wrong'; fails: number; waitMs: number } | { kind: 'none' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Argon2id (sumo) and the sealing (the app's own libsodium), both ready. */
async function crypto() {
  const [pwhash] = await Promise.all([loadPwhash(), initSodium()]);
  return pwhash;
}

/** The data key's vault, after any wait earlier wrong attempts impose; each attempt is counted. */
export async function unlockWith(passphrase: string): Promise<Attempt> {
  const record = readLock();
  if (!record) return { kind: 'none' };
  const wait = waitBeforeAttempt(record);
  if (wait > 0) await sleep(wait);
  const result = await tryPassphrase(record, passphrase, await crypto());
  if (result.kind === 'duress') return result;
  const next = afterAttempt(record, result.kind === 'open');
  writeLock(next);
  if (result.kind === 'wrong') return { kind: 'wrong', fails: next.fails, waitMs: delayAfter(next.fails) };
  await removeClearCopies();
  return { kind: 'open', vault: new Vault(result.dataKey) };
}

/**
 * Entries the app reads before it is unlocked, or without its session, and so keeps in clear:
 * the language chosen and whether the guide was read (docs/THREAT_MODEL.md says so), and the
 * storage probe. Everything else of the app's is sealed, including entries added later.
 */
const KEPT_CLEAR = ['baton:locale', 'baton:guide-seen', 'baton:probe'];

/** localStorage entries of the clear app (not the lock's own, not sealed ones). */
function clearKeys(): string[] {
  const keys: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    if (k && k.startsWith('baton:') && !LOCK_KEYS.includes(k) && !KEPT_CLEAR.includes(k) && !k.startsWith(SEALED_PREFIX)) keys.push(k);
  }
  return keys;
}

async function clearDatabases(): Promise<string[]> {
  const listed = (await indexedDB.databases?.().catch(() => [])) ?? [];
  const index = new IndexedDbStore(CLEAR_DATABASES);
  const rooms = await index.rooms().catch(() => []);
  await index.close();
  const names = [...listed.map((d) => d.name ?? ''), ...rooms.map((r) => CLEAR_DATABASES.prefix + r)].filter((n) => n.startsWith(CLEAR_DATABASES.prefix));
  return [...new Set([...names, CLEAR_DATABASES.index])];
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

async function removeClearCopies(): Promise<void> {
  for (const k of clearKeys()) localStorage.removeItem(k);
  await Promise.all((await clearDatabases()).map(deleteDatabase));
}

/** Seals what this device keeps in clear under a new passphrase. The session is closed: the page reloads to the unlock screen. */
export async function setFirstPassphrase(session: Session, passphrase: string): Promise<void> {
  if (readLock()) throw new ShownError('bad-input', msg('A passphrase is set already.', { id: 'lock.alreadySet' }));
  if (!session.persistent) throw new ShownError('bad-input', msg('This browser refuses local storage here: nothing is kept after you close this page, so there is nothing to lock.', { id: 'lock.noStorage' }));
  const pwhash = await crypto();
  const dataKey = Vault.newDataKey();
  const vault = new Vault(dataKey);
  const record = await createLock(passphrase, pwhash, dataKey);
  session.client.flush();
  await session.client.close();
  const clear = new IndexedDbStore(CLEAR_DATABASES);
  const sealed = new SealedStore(new IndexedDbStore(SEALED_DATABASES), vault);
  await sealRooms(clear, sealed, new IndexedDbIdentityStore(CLEAR_DATABASES));
  await Promise.all([sealed.close(), clear.close()]);
  const storage = new SealedStorage(localStorage, vault);
  for (const k of clearKeys()) storage.setItem(k, localStorage.getItem(k) ?? '');
  writeLock(record);
  await removeClearCopies();
}

/** Opens the lock with the current passphrase, or says why not. */
async function open(current: string): Promise<Uint8Array> {
  const record = readLock();
  if (!record) throw new ShownError('bad-input', msg('No passphrase is set.', { id: 'lock.noneSet' }));
  const result = await tryPassphrase(record, current, await crypto());
  if (result.kind !== 'open') throw new ShownError('bad-input', msg('The current passphrase is wrong.', { id: 'lock.currentWrong' }));
  return result.dataKey;
}

export async function changeTo(current: string, next: string): Promise<void> {
  const dataKey = await open(current);
  const record = await changePassphrase(readLock()!, dataKey, next, await crypto()).catch(() => {
    throw new ShownError('bad-input', msg('The new passphrase is the duress passphrase: choose another.', { id: 'lock.newIsDuress' }));
  });
  writeLock(record);
}

/** Sets (or with null removes) the passphrase that wipes this device when typed at the unlock screen. */
export async function setDuressPassphrase(current: string, duress: string | null): Promise<void> {
  await open(current);
  const record = await setDuress(readLock()!, duress, await crypto()).catch(() => {
    throw new ShownError('bad-input', msg('The duress passphrase must differ from the passphrase.', { id: 'lock.duressIsPassphrase' }));
  });
  writeLock(record);
}
