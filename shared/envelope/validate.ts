// The envelope-doc update validator (docs/PROTOCOL.md §3): one function used by relays, peer
// links, mirrors, bundle import and clients alike. It reads a Yjs v1 update without applying
// it and accepts it only if applying it would append valid blobs to `log` and nothing else:
// no deletes, no other types, nothing left pending, every new blob signed for this room at
// its own Yjs id. Blobs the receiver already holds are skipped unverified (Yjs drops them),
// and the first refused blob ends the check. It never throws on input; it returns a verdict
// with a reason code.
//
// The work splits in two: prepareEnvelopeUpdate is the structural pass (pure, cheap) that ends
// in the list of Ed25519 checks the new blobs need; a caller verifies them where it likes (a
// relay in worker threads) and finishEnvelopeUpdate gives the verdict. validateEnvelopeUpdate
// does both in one call, verifying on this thread.
import { blobSignatureCheck, type RoomKey, type SignatureCheck } from '../blob.ts';
import { DEFAULT_LIMITS } from '../limits.ts';
import { verifySignature, type SignatureVerifier } from '../sodium.ts';
import { MalformedInput } from './byte-reader.ts';
import { checkDependencies } from './dependencies.ts';
import { parseUpdate, sameBytes, type ClientRun, type ParsedUpdate } from './parse-update.ts';
import { reject, type EnvelopeVerdict, type NewBlob } from './verdict.ts';

export { LOG_ARRAY_NAME } from './parse-update.ts';
export type { EnvelopeRejection, EnvelopeVerdict, NewBlob } from './verdict.ts';

export interface ValidateOptions {
  /** The receiver's clock for a client: how many of its structs it already holds. */
  clockOf: (client: number) => number;
  /**
   * The receiver's blob at an id it holds. When given, held ids whose bytes differ from the
   * update's are listed as conflicts: two valid blobs signed for one id, which only a
   * write-key holder can make (docs/PROTOCOL.md §3, "Displaced writes").
   */
  heldBlob?: (pos: { client: number; clock: number }) => Uint8Array | null;
  maxUpdateBytes?: number;
  maxBlobBytes?: number;
  /** The Ed25519 check validateEnvelopeUpdate uses (libsodium's semantics); the installed one by default. */
  verify?: SignatureVerifier;
}

/** An update that passed every rule but the signatures of its new blobs. */
export interface PreparedUpdate {
  /** One check per new blob, in log order, up to the first blob refused without one. */
  checks: SignatureCheck[];
  /** The new blobs, `checks[i]` being the signature of `blobs[i]`. */
  blobs: NewBlob[];
  /** The first new blob refused by its shape or position, after the checked ones. */
  refused: (EnvelopeVerdict & { ok: false }) | null;
  conflicts: NewBlob[];
  /** Per client, the clock past the update's last struct: the receiver's clocks once it applies. */
  ends: Array<[client: number, clock: number]>;
  /** No struct of the update is already held. */
  whole: boolean;
  /**
   * The update's verdict once its blobs pass: a gap by an origin the receiver lacks. Rule 5
   * comes first, as validateEnvelopeUpdate checks it, so a broken blob is `bad-blob` either way.
   */
  gap?: EnvelopeVerdict & { ok: false };
}


export function validateEnvelopeUpdate(update: Uint8Array, room: RoomKey, options: ValidateOptions): EnvelopeVerdict {
  const parsed = parseChecked(update, options);
  if ('reason' in parsed) return parsed;
  const { runs } = parsed;
  const maxBlobBytes = options.maxBlobBytes ?? DEFAULT_LIMITS.maxBlobBytes;
  const verify = options.verify ?? verifySignature;
  // Rule 5 before the dependency graph when every run starts within the receiver's clock: an
  // update of copies fails at its first blob, before a graph of all its structs is built.
  // A run that starts past the receiver's clock is a gap whatever its blobs are: they are not
  // checked (the sender resends them with what was missing).
  let verdict: EnvelopeVerdict | null = null;
  if (!parsed.gap) {
    verdict = verifyInline(collectChecks(runs, room, maxBlobBytes), verify);
    if (!verdict.ok) return verdict;
  }
  const structural = checkDependencies(runs, options.clockOf);
  if ('reason' in structural) return structural;
  // A gap is reported only once rules 1-3 hold (and 5, where it was checked), so that
  // answering it with sync step 1 is never a reward for a broken update.
  const gap = parsed.gap ?? structural.gap;
  if (gap) return reject('gap', gap);
  verdict ??= verifyInline(collectChecks(runs, room, maxBlobBytes), verify);
  if (verdict.ok && options.heldBlob) {
    const conflicts = differingHeld(runs, options.heldBlob);
    if (conflicts.length > 0) return { ...verdict, conflicts };
  }
  return verdict;
}

/**
 * Rules 1-4 and rule 5 short of the signatures: a refusal, or the checks still to make. Give
 * their outcome to finishEnvelopeUpdate. (A refusal may name another rule than
 * validateEnvelopeUpdate would for an update that breaks several; both refuse it.)
 */
export function prepareEnvelopeUpdate(update: Uint8Array, room: RoomKey, options: ValidateOptions): PreparedUpdate | (EnvelopeVerdict & { ok: false }) {
  const parsed = parseChecked(update, options);
  if ('reason' in parsed) return parsed;
  const structural = checkDependencies(parsed.runs, options.clockOf);
  if ('reason' in structural) return structural;
  // A run that starts past the receiver's clock is a gap whatever its blobs are; a gap by an
  // origin alone waits for the blob checks (rule 5 first, as in validateEnvelopeUpdate).
  if (parsed.gap) return reject('gap', parsed.gap);
  const prepared = collectChecks(parsed.runs, room, options.maxBlobBytes ?? DEFAULT_LIMITS.maxBlobBytes);
  if (structural.gap) prepared.gap = reject('gap', structural.gap);
  for (const run of parsed.runs.values()) prepared.ends.push([run.client, run.start + run.blobs.length]);
  if (options.heldBlob) prepared.conflicts = differingHeld(parsed.runs, options.heldBlob);
  return prepared;
}

/** The verdict once `prepared.checks` were verified: `firstBad` is the index of the first that failed, or -1. */
export function finishEnvelopeUpdate(prepared: PreparedUpdate, firstBad: number): EnvelopeVerdict {
  if (firstBad >= 0 && firstBad < prepared.checks.length) {
    const b = prepared.blobs[firstBad]!;
    return reject('bad-blob', `blob ${b.client}:${b.clock}: bad-signature`, 'bad-signature');
  }
  if (prepared.refused) return prepared.refused;
  if (prepared.gap) return prepared.gap;
  const { blobs, whole } = prepared;
  return prepared.conflicts.length > 0 ? { ok: true, blobs, conflicts: prepared.conflicts, whole } : { ok: true, blobs, whole };
}

/** Rule 1 and the parse. */
function parseChecked(update: Uint8Array, options: ValidateOptions): ParsedUpdate | (EnvelopeVerdict & { ok: false }) {
  const maxUpdateBytes = options.maxUpdateBytes ?? DEFAULT_LIMITS.maxUpdateBytes;
  if (!(update instanceof Uint8Array)) return reject('malformed', 'not bytes');
  if (update.length > maxUpdateBytes) return reject('too-large', `update of ${update.length} bytes exceeds ${maxUpdateBytes}`);
  try {
    return parseUpdate(update, options.clockOf);
  } catch (err) {
    if (err instanceof MalformedInput) return reject('malformed', err.message);
    return reject('malformed', 'undecodable update');
  }
}

/** Held ids whose bytes differ from the update's: a byte comparison each, no signature. */
function differingHeld(runs: Map<number, ClientRun>, heldBlob: NonNullable<ValidateOptions['heldBlob']>): NewBlob[] {
  const out: NewBlob[] = [];
  for (const run of runs.values()) {
    const end = Math.min(run.known, run.start + run.blobs.length);
    for (let clock = run.start; clock < end; clock++) {
      const blob = run.blobs[clock - run.start]!;
      const held = heldBlob({ client: run.client, clock });
      if (held && !sameBytes(held, blob)) out.push({ client: run.client, clock, blob });
    }
  }
  return out;
}


/**
 * Rule 5 short of the signatures: every new blob's shape and position, and its signature check.
 * Known structs are skipped by Yjs, so not checked (a replay of held blobs costs a parse, no
 * signature); the first blob refused by shape ends the list.
 */
function collectChecks(runs: Map<number, ClientRun>, room: RoomKey, maxBlobBytes: number): PreparedUpdate {
  const out: PreparedUpdate = { checks: [], blobs: [], refused: null, conflicts: [], ends: [], whole: true };
  for (const run of runs.values()) {
    if (run.known > run.start) out.whole = false;
    for (let clock = Math.max(run.start, run.known); clock < run.start + run.blobs.length; clock++) {
      const blob = run.blobs[clock - run.start]!;
      const prepared = blobSignatureCheck(blob, room, { client: run.client, clock }, maxBlobBytes);
      if (!prepared.ok) {
        out.refused = reject('bad-blob', `blob ${run.client}:${clock}: ${prepared.reason}`, prepared.reason);
        return out;
      }
      out.checks.push(prepared.check);
      out.blobs.push({ client: run.client, clock, blob });
    }
  }
  return out;
}

/** Rule 5 on this thread: the first failure ends it (an update of many copies with one broken costs one check). */
function verifyInline(prepared: PreparedUpdate, verify: SignatureVerifier): EnvelopeVerdict {
  const { checks } = prepared;
  let firstBad = -1;
  for (let i = 0; i < checks.length; i++) {
    const c = checks[i]!;
    if (!verify(c.signature, c.message, c.publicKey)) {
      firstBad = i;
      break;
    }
  }
  const verdict = finishEnvelopeUpdate(prepared, firstBad);
  // Conflicts are listed by the caller, after rule 4.
  return verdict.ok ? { ok: true, blobs: verdict.blobs, whole: verdict.whole } : verdict;
}

