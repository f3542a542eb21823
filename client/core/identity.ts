// The author identity of a device: loaded from its identity store, created on first use.
import { MAX_NAME_CHARS, generateIdentity, exportIdentity, importIdentity, type Identity } from '#shared';
import { ClientError } from './errors.ts';
import type { IdentityStore } from './store.ts';

export const DEFAULT_NAME = 'anonymous';

export function checkName(name: string): string {
  const clean = name.replace(/[\r\n]+/g, ' ').trim();
  if (clean.length === 0 || clean.length > MAX_NAME_CHARS) throw new ClientError('bad-input', `a name is 1 to ${MAX_NAME_CHARS} characters`, 'name-length');
  return clean;
}

/** The stored identity (created and saved if there is none); a given name replaces the stored one. */
export async function loadIdentity(store: IdentityStore, name?: string): Promise<{ identity: Identity; name: string }> {
  const stored = await store.load();
  let identity: Identity;
  try {
    identity = stored ? importIdentity(stored.identity) : generateIdentity();
  } catch (err) {
    throw new ClientError('store', `the stored identity is damaged: ${(err as Error).message}`);
  }
  const chosen = name !== undefined ? checkName(name) : (stored?.name ?? DEFAULT_NAME);
  if (!stored || stored.name !== chosen) await store.save({ identity: exportIdentity(identity), name: chosen });
  return { identity, name: chosen };
}

/** Replaces the device's identity with an exported one (moving to another device). */
export async function replaceIdentity(store: IdentityStore, exported: string, name?: string): Promise<{ identity: Identity; name: string }> {
  let identity: Identity;
  try {
    identity = importIdentity(exported);
  } catch (err) {
    throw new ClientError('bad-input', (err as Error).message, 'bad-identity');
  }
  const stored = await store.load().catch(() => null);
  const chosen = name !== undefined ? checkName(name) : (stored?.name ?? DEFAULT_NAME);
  await store.save({ identity: exportIdentity(identity), name: chosen });
  return { identity, name: chosen };
}
