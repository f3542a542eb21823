// A client for Node: files under a data directory, WebSockets from `ws`, large updates
// checked on a worker thread, and nothing sent to a relay before the files hold it.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { initSodium, setAeadDecrypter, setSignatureVerifier } from '#shared';
import { BatonClient, SealedIdentityStore, SealedStore, loadIdentity, setOffThreadCheck, type ClientOptions, type DeviceMemory, type IdentityStore, type NameMemory, type RoomStore } from '#client-core';
import { nodeSignatureVerifier } from './ed25519.ts';
import { workerThreadCheck } from './worker-check.ts';
import { xchachaDecryptNode } from './xchacha.ts';
import { loadDeviceSecret } from './device-secret.ts';
import { FileStore } from './file-store.ts';
import { IdentityFile } from './identity-file.ts';
import { lockDataDir } from './lock.ts';
import { NameFile } from './name-file.ts';
import { SEALED_DIR, openDataVault } from './data-lock.ts';
import { SealedNameFile } from './sealed-name-file.ts';
import { SealedMemoryFile } from './sealed-memory-file.ts';
import { MemoryFile } from './memory-file.ts';

export { IdentityFile } from './identity-file.ts';
export { NameFile } from './name-file.ts';
export { LOCKED_MESSAGE, readLock, setPassphrase, type LockOutcome } from './data-lock.ts';
export { wipeDataDir } from './wipe.ts';
export { lockDataDir } from './lock.ts';
export { MemoryFile } from './memory-file.ts';

/** A connection attempt a censor black-holes must fail, not hang: ws has no default timeout. */
const HANDSHAKE_TIMEOUT_MS = 5000;

class NodeWebSocket extends WebSocket {
  // Options from the wrappers around it (the message cap of guarded-socket.ts) are kept.
  constructor(url: string | URL, protocols?: string | string[], options?: WebSocket.ClientOptions) {
    super(url, protocols, { handshakeTimeout: HANDSHAKE_TIMEOUT_MS, ...options });
  }
}

export function defaultDataDir(): string {
  return process.env.BATON_HOME || join(homedir(), '.baton');
}

export interface NodeClientOptions extends Omit<ClientOptions, 'store' | 'identity' | 'name' | 'persistFirst'> {
  dataDir: string;
  name?: string;
  /** The data directory's passphrase (data-lock.ts); null or absent for an unlocked one. */
  passphrase?: string | null;
}

/** Where a client keeps its identity and the names it has seen: sealed when its directory is locked. */
export interface DeviceStores {
  identities: IdentityStore;
  names: NameMemory;
  /** Verified keys, owners and moderation records (client/core/device-memory.ts). */
  memory: DeviceMemory;
}

const deviceStores = new WeakMap<BatonClient, DeviceStores>();

export function deviceStoresOf(client: BatonClient): DeviceStores {
  const stores = deviceStores.get(client);
  if (!stores) throw new Error('not a client opened by openNodeClient');
  return stores;
}

let verifierSet = false;

export async function openNodeClient(o: NodeClientOptions): Promise<BatonClient> {
  await initSodium();
  if (!verifierSet) {
    setSignatureVerifier(nodeSignatureVerifier());
    setOffThreadCheck(workerThreadCheck());
    setAeadDecrypter(xchachaDecryptNode);
    verifierSet = true;
  }
  const dataDir = resolve(o.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lock = await lockDataDir(dataDir);
  try {
    const vault = await openDataVault(dataDir, o.passphrase ?? null);
    const deviceSecret = await loadDeviceSecret(dataDir);
    let store: RoomStore;
    let stores: DeviceStores;
    if (vault) {
      const sealed = new SealedStore(new FileStore(dataDir, deviceSecret, SEALED_DIR), vault);
      store = sealed;
      stores = { identities: new SealedIdentityStore(sealed), names: new SealedNameFile(dataDir, vault), memory: new SealedMemoryFile(dataDir, vault) };
    } else {
      store = new FileStore(dataDir, deviceSecret);
      stores = { identities: new IdentityFile(dataDir), names: new NameFile(dataDir), memory: new MemoryFile(dataDir) };
    }
    const { identity, name } = await loadIdentity(stores.identities, o.name);
    const { dataDir: _dir, name: _name, passphrase: _passphrase, ...rest } = o;
    const client = new BatonClient({
      ...rest,
      store,
      identity,
      name,
      persistFirst: true,
      connection: { WebSocket: NodeWebSocket as unknown as typeof globalThis.WebSocket, ...o.connection },
      onClose: () => lock.release(),
    });
    deviceStores.set(client, stores);
    return client;
  } catch (err) {
    lock.release();
    throw err;
  }
}
export { prepareFile } from './prepare-file.ts';
