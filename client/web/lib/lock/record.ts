// Where the browser keeps its lock: the lock record (client/core/vault-lock.ts) and the
// idle settings, in clear in localStorage, since they are needed before anything is unlocked.
// Neither says anything about the boards: a salt, Argon2id's cost, a sealed key, two times.
import { msg } from '@lit/localize';
import { parseLockRecord, type LockRecord } from '#client-core';
import { ShownError } from '../failure.ts';

const RECORD_KEY = 'baton:lock';
const SETTINGS_KEY = 'baton:lock-settings';

export interface LockSettings {
  /** Lock after this many minutes without a key press, click or touch (0: never). */
  idleMinutes: number;
  /** Lock when the tab has been hidden this many minutes (0: never). */
  hiddenMinutes: number;
}

export const DEFAULT_SETTINGS: LockSettings = { idleMinutes: 15, hiddenMinutes: 5 };

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function readLock(): LockRecord | null {
  try {
    return parseLockRecord(storage()?.getItem(RECORD_KEY) ?? null);
  } catch {
    return null;
  }
}

/** Whether this device has a passphrase (a record is there, well formed or not). */
export function isLocked(): boolean {
  try {
    return storage()?.getItem(RECORD_KEY) != null;
  } catch {
    return false;
  }
}

export function writeLock(record: LockRecord): void {
  const s = storage();
  if (!s) throw new ShownError('store', msg('This browser refuses local storage here: nothing is kept after you close this page, so there is nothing to lock.', { id: 'lock.noStorage' }));
  s.setItem(RECORD_KEY, JSON.stringify(record));
}

export function readSettings(): LockSettings {
  try {
    const v = JSON.parse(storage()?.getItem(SETTINGS_KEY) ?? 'null') as Partial<LockSettings> | null;
    const minutes = (x: unknown, d: number) => (typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= 24 * 60 ? x : d);
    return { idleMinutes: minutes(v?.idleMinutes, DEFAULT_SETTINGS.idleMinutes), hiddenMinutes: minutes(v?.hiddenMinutes, DEFAULT_SETTINGS.hiddenMinutes) };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

export function writeSettings(settings: LockSettings): void {
  storage()?.setItem(SETTINGS_KEY, JSON.stringify(settings));
}

const LOCKED_AT_KEY = 'baton:locked-at';

/** Keys of the clear lock, which a locked device keeps outside its sealed storage. */
export const LOCK_KEYS = [RECORD_KEY, SETTINGS_KEY, LOCKED_AT_KEY];

/** Tells the app's other tabs that this one locked, so they lock too. */
export function announceLock(): void {
  try {
    storage()?.setItem(LOCKED_AT_KEY, String(Date.now()));
  } catch {
    // other tabs lock on their own timers
  }
}

/**
 * Follows the app's other tabs: a passphrase set there, a lock or a wipe there, reloads this
 * one (to its unlock screen or its empty start page), so no tab keeps writing in clear or
 * showing what another locked.
 */
export function followOtherTabs(locked: boolean): void {
  addEventListener('storage', (e) => {
    if (e.storageArea !== storage()) return;
    if (e.key === null || e.key === LOCKED_AT_KEY || (e.key === RECORD_KEY && !locked)) location.reload();
  });
}
