// The passphrase code and Argon2id are large (libsodium's sumo build): loaded on first use.
export const passphraseCode = () => import('./passphrase.ts');
