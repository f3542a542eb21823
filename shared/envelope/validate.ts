// The envelope-doc update validator (docs/PROTOCOL.md §3): one function used by relays, peer
// links, mirrors, bundle import and clients alike. It reads a Yjs v1 update without applying
// it and accepts it only if applying it would append valid blobs to `log` and nothing else:
// no deletes, no other types, nothing left pending, every new blob signed for this room at
// its own Yjs id. Blobs the receiver already holds are skipped unverified (Yjs drops them),
// and the first refused blob ends the check. It never throws on input; it returns a verdict
// with a reason code.
import { checkBlob, isSignablePosition, type BlobRejection, type RoomKey } from '../blob.ts';
import { DEFAULT_LIMITS } from '../limits.ts';
import { ByteReader, MalformedInput } from './byte-reader.ts';

export type EnvelopeRejection =
  | 'too-large' // rule 1: over the size limit
  | 'malformed' // rule 1: not a Yjs v1 update
  | 'has-deletes' // rule 2
  | 'bad-struct' // rule 3 (and dependency cycles, which Yjs would leave pending)
  | 'gap' // rule 4: the receiver lacks something this update builds on (and no other rule fails but 5, unchecked)
  | 'bad-blob'; // rule 5

/** A blob the update would add, with its Yjs id. */
export interface NewBlob {
  client: number;
  clock: number;
  blob: Uint8Array;
}

export type EnvelopeVerdict =
  /** `conflicts`: ids the receiver holds with other bytes than the update carries (listed only when some differ). */
  | { ok: true; blobs: NewBlob[]; conflicts?: NewBlob[] }
  | { ok: false; reason: EnvelopeRejection; detail: string; blobReason?: BlobRejection };

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
}

/** The root array of an envelope doc. */
export const LOG_ARRAY_NAME = 'log';

const CONTENT_BINARY = 3;
const INFO_SKIP = 10;
const BIT_ORIGIN = 0x80;
const BIT_RIGHT_ORIGIN = 0x40;
const BIT_PARENT_SUB = 0x20;
const LOG_NAME_BYTES = new TextEncoder().encode(LOG_ARRAY_NAME);
const NONE = -1;

/** One client's run of structs in the update; every ContentBinary item has length 1. */
interface ClientRun {
  client: number;
  start: number; // clock of the first struct
  known: number; // receiver's clock: structs below it are already held and will be skipped
  originClient: number[];
  originClock: number[];
  rightClient: number[];
  rightClock: number[];
  blobs: Uint8Array[];
}

export function validateEnvelopeUpdate(update: Uint8Array, room: RoomKey, options: ValidateOptions): EnvelopeVerdict {
  const maxUpdateBytes = options.maxUpdateBytes ?? DEFAULT_LIMITS.maxUpdateBytes;
  if (!(update instanceof Uint8Array)) return reject('malformed', 'not bytes');
  if (update.length > maxUpdateBytes) return reject('too-large', `update of ${update.length} bytes exceeds ${maxUpdateBytes}`);
  let parsed: ParsedUpdate;
  try {
    const result = parseUpdate(update, options.clockOf);
    if ('reason' in result) return result;
    parsed = result;
  } catch (err) {
    if (err instanceof MalformedInput) return reject('malformed', err.message);
    return reject('malformed', 'undecodable update');
  }
  const { runs } = parsed;
  // Rule 5 before the dependency graph when every run starts within the receiver's clock: an
  // update of copies fails at its first blob, before a graph of all its structs is built.
  // A run that starts past the receiver's clock is a gap whatever its blobs are: they are not
  // checked (the sender resends them with what was missing).
  let verdict: EnvelopeVerdict | null = null;
  if (!parsed.gap) {
    verdict = checkBlobs(runs, room, options.maxBlobBytes ?? DEFAULT_LIMITS.maxBlobBytes);
    if (!verdict.ok) return verdict;
  }
  const structural = checkDependencies(runs, options.clockOf);
  if ('reason' in structural) return structural;
  // A gap is reported only once rules 1-3 hold (and 5, where it was checked), so that
  // answering it with sync step 1 is never a reward for a broken update.
  const gap = parsed.gap ?? structural.gap;
  if (gap) return reject('gap', gap);
  verdict ??= checkBlobs(runs, room, options.maxBlobBytes ?? DEFAULT_LIMITS.maxBlobBytes);
  if (verdict.ok && options.heldBlob) {
    const conflicts = differingHeld(runs, options.heldBlob);
    if (conflicts.length > 0) return { ...verdict, conflicts };
  }
  return verdict;
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

function reject(reason: EnvelopeRejection, detail: string, blobReason?: BlobRejection): EnvelopeVerdict & { ok: false } {
  return blobReason ? { ok: false, reason, detail, blobReason } : { ok: false, reason, detail };
}

interface ParsedUpdate {
  runs: Map<number, ClientRun>;
  /** The first client run that starts past the receiver's clock, if any. */
  gap: string | null;
}

/** Rules 1-3 and the first half of rule 4, in one pass over the bytes. */
function parseUpdate(update: Uint8Array, clockOf: (client: number) => number): ParsedUpdate | (EnvelopeVerdict & { ok: false }) {
  const r = new ByteReader(update);
  const runs = new Map<number, ClientRun>();
  let gap: string | null = null;
  const clientCount = r.readVarUint();
  for (let c = 0; c < clientCount; c++) {
    const structCount = r.readVarUint();
    const client = r.readVarUint();
    const start = r.readVarUint();
    if (runs.has(client)) return reject('malformed', `client ${client} appears twice`);
    if (structCount === 0) return reject('malformed', `client ${client} has no structs`);
    // Every id must be signable (u32 client and clock): a blob at any other id cannot be valid.
    if (!isSignablePosition({ client, clock: start + structCount - 1 })) {
      return reject('bad-blob', `client ${client} runs to clock ${start + structCount - 1}, beyond u32`, 'bad-position');
    }
    const known = clockOf(client);
    if (start > known) gap ??= `client ${client} starts at ${start}, receiver holds ${known}`;
    const run: ClientRun = { client, start, known, originClient: [], originClock: [], rightClient: [], rightClock: [], blobs: [] };
    for (let i = 0; i < structCount; i++) {
      const info = r.readByte();
      if (info === INFO_SKIP || (info & 0x1f) !== CONTENT_BINARY) {
        return reject('bad-struct', `struct ${client}:${start + i} is not a binary item`);
      }
      if (info & BIT_PARENT_SUB) return reject('bad-struct', `struct ${client}:${start + i} has a parentSub`);
      const hasOrigin = (info & BIT_ORIGIN) !== 0;
      const hasRight = (info & BIT_RIGHT_ORIGIN) !== 0;
      run.originClient.push(hasOrigin ? r.readVarUint() : NONE);
      run.originClock.push(hasOrigin ? r.readVarUint() : NONE);
      run.rightClient.push(hasRight ? r.readVarUint() : NONE);
      run.rightClock.push(hasRight ? r.readVarUint() : NONE);
      if (!hasOrigin && !hasRight) {
        // The parent is written out: it must be the root type `log`.
        const parentIsRootName = r.readVarUint() === 1;
        if (!parentIsRootName || !sameBytes(r.readVarBytes(), LOG_NAME_BYTES)) {
          return reject('bad-struct', `struct ${client}:${start + i} is not in "${LOG_ARRAY_NAME}"`);
        }
      }
      run.blobs.push(r.readVarBytes());
    }
    runs.set(client, run);
  }
  // Delete set: client entries are tolerated only with no ranges (rule 2).
  const dsClients = r.readVarUint();
  for (let c = 0; c < dsClients; c++) {
    r.readVarUint(); // client
    if (r.readVarUint() !== 0) return reject('has-deletes', 'envelope docs are append-only');
  }
  if (!r.done) return reject('malformed', 'trailing bytes after the update');
  return { runs, gap };
}

/**
 * Rule 4, second half: every origin and right origin is known to the receiver or is a
 * struct of this update, and the structs' dependencies (origins plus each struct's
 * predecessor of the same client) have no cycle, so Yjs integrates every struct and leaves
 * nothing pending. Structs the receiver already holds are checked too: Yjs resolves their
 * origins before it skips them.
 */
function checkDependencies(runs: Map<number, ClientRun>, clockOf: (client: number) => number): (EnvelopeVerdict & { ok: false }) | { gap: string | null } {
  const base = new Map<number, number>();
  let total = 0;
  for (const run of runs.values()) {
    base.set(run.client, total);
    total += run.blobs.length;
  }
  if (total === 0) return { gap: null };
  let gap: string | null = null;
  const nodeOf = (client: number, clock: number): number | 'known' | 'missing' => {
    const run = runs.get(client);
    if (clock < (run ? run.known : clockOf(client))) return 'known';
    if (!run || clock < run.start || clock >= run.start + run.blobs.length) return 'missing';
    return base.get(client)! + (clock - run.start);
  };
  // Edges: node -> the nodes it depends on; at most three each.
  const edges = new Int32Array(total * 3).fill(NONE);
  for (const run of runs.values()) {
    const first = base.get(run.client)!;
    for (let i = 0; i < run.blobs.length; i++) {
      const node = first + i;
      if (i > 0) edges[node * 3] = node - 1;
      for (let d = 0; d < 2; d++) {
        const depClient = d === 0 ? run.originClient[i]! : run.rightClient[i]!;
        const depClock = d === 0 ? run.originClock[i]! : run.rightClock[i]!;
        if (depClient === NONE) continue;
        // Yjs only ever builds on what existed before: a client's own later struct is a forgery, not a gap.
        if (depClient === run.client && depClock >= run.start + i) {
          return reject('bad-struct', `struct ${run.client}:${run.start + i} builds on its own later struct ${depClock}`);
        }
        const target = nodeOf(depClient, depClock);
        if (target === 'known') continue;
        if (target === 'missing') {
          gap ??= `struct ${run.client}:${run.start + i} builds on unknown ${depClient}:${depClock}`;
          continue;
        }
        edges[node * 3 + 1 + d] = target;
      }
    }
  }
  return hasCycle(edges, total) ? reject('bad-struct', 'structs depend on each other in a cycle') : { gap };
}

/** Iterative three-colour depth-first search over a graph of out-degree three. */
function hasCycle(edges: Int32Array, total: number): boolean {
  const WHITE = 0;
  const GREY = 1;
  const BLACK = 2;
  const colour = new Uint8Array(total);
  const stack: number[] = [];
  const nextEdge: number[] = [];
  for (let root = 0; root < total; root++) {
    if (colour[root] !== WHITE) continue;
    stack.push(root);
    nextEdge.push(0);
    colour[root] = GREY;
    while (stack.length > 0) {
      const top = stack.length - 1;
      const node = stack[top]!;
      const e = nextEdge[top]!;
      if (e === 3) {
        colour[node] = BLACK;
        stack.pop();
        nextEdge.pop();
        continue;
      }
      nextEdge[top] = e + 1;
      const next = edges[node * 3 + e]!;
      if (next === NONE) continue;
      if (colour[next] === GREY) return true;
      if (colour[next] === WHITE) {
        colour[next] = GREY;
        stack.push(next);
        nextEdge.push(0);
      }
    }
  }
  return false;
}

/**
 * Rule 5: every new blob is valid for this room at its own id. Known structs are skipped by
 * Yjs, so not checked (a replay of held blobs costs a parse, no signature); the first failure
 * ends the check (an update of many copies with one broken costs one signature check).
 */
function checkBlobs(runs: Map<number, ClientRun>, room: RoomKey, maxBlobBytes: number): EnvelopeVerdict {
  const blobs: NewBlob[] = [];
  for (const run of runs.values()) {
    for (let clock = Math.max(run.start, run.known); clock < run.start + run.blobs.length; clock++) {
      const blob = run.blobs[clock - run.start]!;
      const checked = checkBlob(blob, room, { client: run.client, clock }, maxBlobBytes);
      if (!checked.ok) return reject('bad-blob', `blob ${run.client}:${clock}: ${checked.reason}`, checked.reason);
      blobs.push({ client: run.client, clock, blob });
    }
  }
  return { ok: true, blobs };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
