// Argon2id for the passphrase lock, from libsodium's sumo build: loaded only for a data
// directory that has (or is given) a passphrase, so other commands start as fast as before.
import type { Pwhash } from '#client-core/vault-lock.ts';

let loaded: Promise<Pwhash> | null = null;

export function loadPwhash(): Promise<Pwhash> {
  loaded ??= import('libsodium-wrappers-sumo').then(async ({ default: sumo }) => {
    await sumo.ready;
    return async (passphrase: string, salt: Uint8Array, ops: number, mem: number) => sumo.crypto_pwhash(32, passphrase, salt, ops, mem, sumo.crypto_pwhash_ALG_ARGON2ID13);
  });
  return loaded;
}
