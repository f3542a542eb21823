// Validation of received envelope updates that never holds the UI (or Node's event loop) for
// long: a small update is checked and applied at once, as before; a large one is checked off
// the main thread (a Web Worker in the browser, a worker thread in Node) or, where no worker
// exists, in slices that yield between them. It stays all-or-nothing, and the updates of one
// doc apply in the order they arrived: each waits for the ones before it.
import * as Y from 'yjs';
import {
  applyValidatedUpdate,
  blobAt,
  clockOfDoc,
  installedSignatureVerifier,
  setSignatureVerifier,
  validateEnvelopeUpdate,
  verifySignature,
  type EnvelopeVerdict,
  type NewBlob,
  type RoomKey,
} from '#shared';

/** Updates up to this size are checked inline: at most about 160 of the smallest blobs, under 50 ms. */
export const INLINE_CHECK_BYTES = 16 * 1024;
/** A slice of main-thread verification (the fallback) runs at most this long before yielding. */
const SLICE_MS = 8;

/** What an off-thread check is given: the update and the receiver's state, nothing live. */
export interface CheckRequest {
  update: Uint8Array;
  room: RoomKey;
  /** The receiver's Yjs state vector when the check started. */
  stateVector: Uint8Array;
  maxUpdateBytes: number;
}

/**
 * A verdict computed away from the doc, and the clocks it assumed: for each client it asked
 * about, the receiver's clock then. `conflicts` lists every id the receiver already held (with
 * the update's bytes): the doc compares them with its own bytes after the check.
 */
export interface CheckResult {
  verdict: EnvelopeVerdict;
  clocks: [client: number, clock: number][];
}

export type OffThreadCheck = (request: CheckRequest) => Promise<CheckResult>;

let offThread: OffThreadCheck | null = null;

/** Installs the platform's off-thread checker (null: sliced main-thread checks). */
export function setOffThreadCheck(check: OffThreadCheck | null): void {
  offThread = check;
}

/** The check an off-thread worker runs: the whole validator against a state vector. */
export function checkDetached(request: CheckRequest): CheckResult {
  let sv: Map<number, number>;
  try {
    sv = Y.decodeStateVector(request.stateVector);
  } catch {
    return { verdict: { ok: false, reason: 'malformed', detail: 'unreadable state vector' }, clocks: [] };
  }
  const clocks = new Map<number, number>();
  // Every held id is reported as a conflict candidate: no blob is empty, so each differs here.
  const verdict = validateEnvelopeUpdate(request.update, request.room, {
    clockOf: (client) => remember(clocks, client, sv.get(client) ?? 0),
    heldBlob: () => EMPTY,
    maxUpdateBytes: request.maxUpdateBytes,
  });
  return { verdict, clocks: [...clocks] };
}

function remember(clocks: Map<number, number>, client: number, clock: number): number {
  clocks.set(client, clock);
  return clock;
}
const EMPTY = new Uint8Array(0);

const queues = new WeakMap<Y.Doc, Promise<unknown>>();

/**
 * Validates `update` against `doc` and applies it when valid: synchronously (a verdict) when
 * it is small and nothing for this doc is waiting, else later (a promise of the verdict).
 */
export function applyCheckedUpdate(
  doc: Y.Doc,
  update: Uint8Array,
  room: RoomKey,
  origin: unknown,
  maxUpdateBytes: number,
): EnvelopeVerdict | Promise<EnvelopeVerdict> {
  if (update.length <= INLINE_CHECK_BYTES && !queues.has(doc)) return applyValidatedUpdate(doc, update, room, origin, { maxUpdateBytes });
  const before = queues.get(doc) ?? Promise.resolve();
  const run = before.then(() => checkThenApply(doc, update, room, origin, maxUpdateBytes));
  const tail = run.catch(() => {});
  queues.set(doc, tail);
  void tail.then(() => {
    if (queues.get(doc) === tail) queues.delete(doc);
  });
  return run;
}

/** Always a promise: for callers that are asynchronous anyway (HTTP, bundles, store loads). */
export async function applyCheckedUpdateAsync(doc: Y.Doc, update: Uint8Array, room: RoomKey, origin: unknown, maxUpdateBytes: number): Promise<EnvelopeVerdict> {
  return applyCheckedUpdate(doc, update, room, origin, maxUpdateBytes);
}

async function checkThenApply(doc: Y.Doc, update: Uint8Array, room: RoomKey, origin: unknown, maxUpdateBytes: number): Promise<EnvelopeVerdict> {
  if (update.length <= INLINE_CHECK_BYTES) return applyValidatedUpdate(doc, update, room, origin, { maxUpdateBytes });
  // The doc can change while the check runs (our own writes, another relay's update): when a
  // clock the verdict assumed moved, the update is checked again.
  for (;;) {
    let result: CheckResult;
    try {
      // Only the public half of the key leaves this thread (a writer's key object holds its secret).
      const publicRoom = { writePub: room.writePub, epoch: room.epoch };
      result = offThread ? await offThread({ update, room: publicRoom, stateVector: Y.encodeStateVector(doc), maxUpdateBytes }) : await checkSliced(doc, update, room, maxUpdateBytes);
    } catch {
      // The worker died or could not start: the main thread still checks, in slices.
      offThread = null;
      continue;
    }
    if (result.clocks.some(([client, clock]) => Y.getState(doc.store, client) !== clock)) continue;
    const { verdict } = result;
    if (!verdict.ok) return verdict;
    const conflicts = (verdict.conflicts ?? []).filter((c) => differs(blobAt(doc, c), c.blob));
    if (verdict.blobs.length > 0) Y.applyUpdate(doc, update, origin);
    return conflicts.length > 0 ? { ok: true, blobs: verdict.blobs, conflicts } : { ok: true, blobs: verdict.blobs };
  }
}

/**
 * The fallback: the structural pass inline (it records each signature check instead of doing
 * it), then the signatures in slices of at most SLICE_MS, yielding to the event loop between.
 */
async function checkSliced(doc: Y.Doc, update: Uint8Array, room: RoomKey, maxUpdateBytes: number): Promise<CheckResult> {
  const pending: [Uint8Array, Uint8Array, Uint8Array][] = [];
  const real = installedSignatureVerifier();
  setSignatureVerifier((signature, message, publicKey) => {
    pending.push([signature, message, publicKey]);
    return true;
  });
  const clocks = new Map<number, number>();
  const clockOf = clockOfDoc(doc);
  let verdict: EnvelopeVerdict;
  try {
    verdict = validateEnvelopeUpdate(update, room, { clockOf: (client) => remember(clocks, client, clockOf(client)), heldBlob: (pos) => blobAt(doc, pos), maxUpdateBytes });
  } finally {
    setSignatureVerifier(real);
  }
  const result = (v: EnvelopeVerdict): CheckResult => ({ verdict: v, clocks: [...clocks] });
  if (!verdict.ok) return result(verdict);
  // One recorded check per new blob, in the verdict's order.
  let i = 0;
  while (i < pending.length) {
    const until = performance.now() + SLICE_MS;
    while (i < pending.length && performance.now() < until) {
      const [signature, message, publicKey] = pending[i]!;
      if (!verifySignature(signature, message, publicKey)) return result(badSignature(verdict.blobs[i]));
      i++;
    }
    if (i < pending.length) await yieldToLoop();
  }
  return result(verdict);
}

function badSignature(blob: NewBlob | undefined): EnvelopeVerdict {
  const at = blob ? `${blob.client}:${blob.clock}` : '?';
  return { ok: false, reason: 'bad-blob', detail: `blob ${at}: bad-signature`, blobReason: 'bad-signature' };
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function differs(held: Uint8Array | null, blob: Uint8Array): boolean {
  return held !== null && !sameBytes(held, blob);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
