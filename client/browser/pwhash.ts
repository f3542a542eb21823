// Argon2id for the passphrase lock, from libsodium's sumo build: a dynamic import, so a
// bundler puts it in a chunk of its own that a page loads only when a passphrase is set or
// typed, never with the app's first script.
import type { Pwhash } from '#client-core';

let loaded: Promise<Pwhash> | null = null;

export function loadPwhash(): Promise<Pwhash> {
  loaded ??= import('libsodium-wrappers-sumo').then(async ({ default: sumo }) => {
    await sumo.ready;
    return async (passphrase: string, salt: Uint8Array, ops: number, mem: number) => sumo.crypto_pwhash(32, passphrase, salt, ops, mem, sumo.crypto_pwhash_ALG_ARGON2ID13);
  });
  loaded.catch(() => (loaded = null));
  return loaded;
}
