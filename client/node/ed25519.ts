// Ed25519 verification on node:crypto (native SHA-512: about twice libsodium's speed on large
// blobs), with libsodium's semantics: every signature first passes the encoding checks
// libsodium makes (shared/ed25519-rules.ts: OpenSSL accepts, say, a small-order R that
// libsodium refuses), and a public key is trusted to node:crypto only after libsodium itself
// accepted a signature under it; until then libsodium answers.
//
// Checks that passed are remembered for the life of the process, keyed by a SHA-256 of key,
// signature and message together (hardware SHA-256 costs a fraction of the verification's own
// SHA-512 and curve arithmetic): reopening a space re-checks its stored blobs in a fraction of
// the time. Only checks this process computed are remembered for every room; checks restored
// from a room's authenticated record (client/node/verified-cache.ts) are trusted only inside
// collectPassedChecks for that room, while its stored updates are applied.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ed25519EncodingsAllowed } from '#shared/ed25519-rules.ts';
import { sodium, type SignatureVerifier } from '#shared';

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const MAX_KEYS = 10_000;
const MAX_REMEMBERED = 200_000;

/** What the verifier installed last remembers, and where a collect() records passed checks. */
let current: { passed: Set<string>; fresh: number } = { passed: new Set(), fresh: 0 };
let recording: Set<string> | null = null;
/** Checks restored from one room's record, trusted only while that room's updates apply. */
let scoped: ReadonlySet<string> | null = null;

/**
 * Runs `apply`, trusting the checks in `trusted` (authenticated by the caller, for what
 * `apply` does and nothing else), and returns the digests of every check that passed in it.
 */
export function collectPassedChecks(apply: () => void, trusted: ReadonlySet<string> = new Set()): string[] {
  const outer = recording;
  const outerScope = scoped;
  const seen = (recording = new Set());
  scoped = trusted;
  try {
    apply();
  } finally {
    recording = outer;
    scoped = outerScope;
  }
  if (outer) for (const d of seen) outer.add(d);
  return [...seen];
}

/** Signature checks the installed verifier actually computed (for tests and benchmarks). */
export function freshChecks(): number {
  return current.fresh;
}

export function nodeSignatureVerifier(): SignatureVerifier {
  const keys = new Map<string, KeyObject>();
  const state = (current = { passed: new Set<string>(), fresh: 0 });
  const passed = state.passed;
  const check = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean => {
    const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, 32).toString('base64');
    const key = keys.get(id);
    if (key) return verify(null, message, key, signature);
    const ok = sodium().crypto_sign_verify_detached(signature, message, publicKey);
    if (ok) {
      if (keys.size >= MAX_KEYS) keys.clear();
      keys.set(id, createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' }));
    }
    return ok;
  };
  return (signature, message, publicKey) => {
    if (!ed25519EncodingsAllowed(signature, publicKey)) return false;
    const digest = createHash('sha256').update(publicKey).update(signature).update(message).digest('base64');
    if (passed.has(digest) || scoped?.has(digest)) {
      recording?.add(digest);
      return true;
    }
    state.fresh++;
    const ok = check(signature, message, publicKey);
    if (ok) {
      if (passed.size >= MAX_REMEMBERED) passed.clear();
      passed.add(digest);
      recording?.add(digest);
    }
    return ok;
  };
}
