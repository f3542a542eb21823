// A client for Node: files under a data directory, WebSockets from `ws`, large updates
// checked on a worker thread, and nothing sent to a relay before the files hold it.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { initSodium, setAeadDecrypter, setSignatureVerifier } from '#shared';
import { BatonClient, loadIdentity, setOffThreadCheck, type ClientOptions } from '#client-core';
import { nodeSignatureVerifier } from './ed25519.ts';
import { workerThreadCheck } from './worker-check.ts';
import { xchachaDecryptNode } from './xchacha.ts';
import { loadDeviceSecret } from './device-secret.ts';
import { FileStore } from './file-store.ts';
import { IdentityFile } from './identity-file.ts';
import { lockDataDir } from './lock.ts';

export { IdentityFile } from './identity-file.ts';
export { NameFile } from './name-file.ts';
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
    const { identity, name } = await loadIdentity(new IdentityFile(dataDir), o.name);
    const deviceSecret = await loadDeviceSecret(dataDir);
    const { dataDir: _dir, name: _name, ...rest } = o;
    return new BatonClient({
      ...rest,
      store: new FileStore(dataDir, deviceSecret),
      identity,
      name,
      persistFirst: true,
      connection: { WebSocket: NodeWebSocket as unknown as typeof globalThis.WebSocket, ...o.connection },
      onClose: () => lock.release(),
    });
  } catch (err) {
    lock.release();
    throw err;
  }
}
export { prepareFile } from './prepare-file.ts';
