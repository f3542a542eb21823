// The passphrase lock of a data directory. Locked, it holds:
//   vault.json   the lock record (client/core/vault-lock.ts), in clear: Argon2id's salt and
//                cost, the data key sealed under the passphrase
//   sealed/      rooms, bookkeeping, previews and the identity (client/core/sealed-store.ts),
//                under keyed stand-in names; sealed/names/ the names seen (sealed-name-file.ts),
//                sealed/memory/ verified keys, owners, moderation records (sealed-memory-file.ts)
//   device.key   the device secret of the verification records (device-secret.ts)
// Unlocked, the same things are in clear in rooms/, names/, memory/ and identity.json. Locking copies
// them into sealed/, writes vault.json (from then on the directory is locked), and only then
// removes the clear copies; an interrupted lock is finished at the next unlock.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ClientError } from '#client-core/errors.ts';
import { SealedStore, sealRooms } from '#client-core/sealed-store.ts';
import { Vault } from '#client-core/vault.ts';
import { afterAttempt, changePassphrase, createLock, delayAfter, parseLockRecord, tryPassphrase, waitBeforeAttempt, type LockRecord } from '#client-core/vault-lock.ts';
import { loadDeviceSecret } from './device-secret.ts';
import { writeFileDurably } from './durable-file.ts';
import { FileStore } from './file-store.ts';
import { IdentityFile } from './identity-file.ts';
import { NameFile } from './name-file.ts';
import { loadPwhash } from './pwhash.ts';
import { SealedNameFile } from './sealed-name-file.ts';
import { MemoryFile } from './memory-file.ts';
import { SealedMemoryFile } from './sealed-memory-file.ts';

export const VAULT_FILE = 'vault.json';
export const SEALED_DIR = 'sealed';
/** What an unlocked directory keeps in clear, removed once it is locked. */
const CLEAR = ['rooms', 'names', 'memory', 'identity.json'];

export function readLock(dataDir: string): LockRecord | null {
  const path = join(dataDir, VAULT_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ClientError('store', `cannot read ${path}: ${(err as Error).message}`, undefined, { cause: err });
  }
  const record = parseLockRecord(text);
  if (!record) throw new ClientError('store', `${path} is damaged: the data in ${dataDir} cannot be unlocked without it (restore it from a backup)`);
  return record;
}

async function writeLock(dataDir: string, record: LockRecord): Promise<void> {
  await writeFileDurably(join(dataDir, VAULT_FILE), new TextEncoder().encode(JSON.stringify(record) + '\n'));
}

/** Whether the directory holds anything in clear that locking would have to move. */
function hasClearData(dataDir: string): boolean {
  return CLEAR.some((name) => existsSync(join(dataDir, name)));
}

function finishLocking(dataDir: string): void {
  for (const name of CLEAR) rmSync(join(dataDir, name), { recursive: true, force: true });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The data key, after the wait that earlier wrong attempts impose; a wrong passphrase is counted and refused. */
async function unlockRecord(dataDir: string, record: LockRecord, passphrase: string): Promise<Uint8Array> {
  const wait = waitBeforeAttempt(record);
  if (wait > 0) await sleep(wait);
  const result = await tryPassphrase(record, passphrase, await loadPwhash());
  if (result.kind === 'open') {
    if (record.fails > 0) await writeLock(dataDir, afterAttempt(record, true));
    return result.dataKey;
  }
  const next = afterAttempt(record, false);
  await writeLock(dataDir, next);
  throw new ClientError('locked', `wrong passphrase for ${dataDir} (${next.fails} wrong in a row: the next attempt waits ${delayAfter(next.fails) / 1000} s)`);
}

export const LOCKED_MESSAGE = (dataDir: string) => `the data directory ${dataDir} is locked: give its passphrase with --passphrase-file FILE or BATON_PASSPHRASE`;

/**
 * The vault of a data directory: null when it is not locked and no passphrase is given. A
 * passphrase given for a new directory locks it from the start; for one that holds data in
 * clear it is refused (baton lock locks it).
 */
export async function openDataVault(dataDir: string, passphrase: string | null): Promise<Vault | null> {
  const record = readLock(dataDir);
  if (!record) {
    if (passphrase === null) return null;
    if (hasClearData(dataDir)) throw new ClientError('bad-input', `the data directory ${dataDir} is not locked: baton lock sets its passphrase`);
    const dataKey = Vault.newDataKey();
    await writeLock(dataDir, await createLock(passphrase, await loadPwhash(), dataKey));
    return new Vault(dataKey);
  }
  if (passphrase === null) throw new ClientError('locked', LOCKED_MESSAGE(dataDir));
  const dataKey = await unlockRecord(dataDir, record, passphrase);
  finishLocking(dataDir);
  return new Vault(dataKey);
}

/** Copies what the directory keeps in clear into the sealed store and sealed name files. */
async function sealEverything(dataDir: string, vault: Vault): Promise<{ rooms: number; names: number; identity: boolean }> {
  rmSync(join(dataDir, SEALED_DIR), { recursive: true, force: true }); // left by a lock that did not finish
  const clear = new FileStore(dataDir);
  const sealed = new SealedStore(new FileStore(dataDir, await loadDeviceSecret(dataDir), SEALED_DIR), vault);
  const { rooms, identity } = await sealRooms(clear, sealed, new IdentityFile(dataDir));
  await sealed.close();
  let names = 0;
  const clearNames = new NameFile(dataDir);
  const sealedNames = new SealedNameFile(dataDir, vault);
  for (const scope of scopesIn(join(dataDir, 'names'))) {
    const kept = clearNames.load(scope);
    if (kept) {
      sealedNames.save(scope, kept);
      names++;
    }
  }
  const clearMemory = new MemoryFile(dataDir);
  const sealedMemory = new SealedMemoryFile(dataDir, vault);
  for (const scope of scopesIn(join(dataDir, 'memory'))) {
    const kept = clearMemory.load(scope);
    if (kept !== null) sealedMemory.save(scope, kept);
  }
  return { rooms, names, identity };
}

/** The scopes of a folder of `<hex of scope>.json` files (name-file.ts, memory-file.ts). */
function scopesIn(dir: string): string[] {
  let files: string[] = [];
  try {
    files = readdirSync(dir);
  } catch {
    return []; // nothing kept yet
  }
  return files.map((f) => /^([0-9a-f]+)\.json$/.exec(f)).filter((m): m is RegExpExecArray => m !== null).map((m) => Buffer.from(m[1]!, 'hex').toString('utf8'));
}

export interface LockOutcome {
  /** True: a passphrase was set on a directory that had none; false: it was changed. */
  locked: boolean;
  rooms: number;
  names: number;
  identity: boolean;
}

/** Sets the passphrase of a directory (sealing what it holds in clear), or changes it (`current` opens it). */
export async function setPassphrase(dataDir: string, current: string | null, next: string): Promise<LockOutcome> {
  if (next.length === 0) throw new ClientError('bad-input', 'the new passphrase is empty');
  const record = readLock(dataDir);
  const pwhash = await loadPwhash();
  if (record) {
    if (current === null) throw new ClientError('locked', LOCKED_MESSAGE(dataDir));
    const dataKey = await unlockRecord(dataDir, record, current);
    await writeLock(dataDir, await changePassphrase(afterAttempt(record, true), dataKey, next, pwhash));
    finishLocking(dataDir);
    return { locked: false, rooms: 0, names: 0, identity: false };
  }
  const dataKey = Vault.newDataKey();
  const counts = await sealEverything(dataDir, new Vault(dataKey));
  await writeLock(dataDir, await createLock(next, pwhash, dataKey));
  finishLocking(dataDir);
  return { locked: true, ...counts };
}
