// Signature checks off the event loop: worker threads (worker.js) verify the Ed25519 checks
// that the validator's structural pass produced, so that a big update, bundle or catch-up
// never stalls other rooms. Work goes out in small chunks, filled round-robin from every
// waiting job, so a job of thousands of checks delays a one-blob write by a few chunks at most.
// When every worker is busy, the event loop verifies small slices itself between its I/O.
// A worker that dies has its chunks retried once on a fresh one; a job whose chunk fails
// twice, or that is pending when the pool closes, is rejected: never left hanging.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ed25519EncodingsAllowed } from '#shared/ed25519-rules.ts';
import type { SignatureCheck, SignatureVerifier } from '#shared';
import { InlineVerifier, type BlobVerifier } from './inline.ts';
import { LoopLoad } from './loop-load.ts';
import { nativeVerifier } from './native.ts';
import { fillChunk, type Job, type Segment } from './chunk-fill.ts';
import { packChecks } from './pack.ts';
import { say, str } from '../l10n.ts';

export { InlineVerifier, type BlobVerifier } from './inline.ts';

/** Checks per message to a worker: about 3-5 ms of work, the most a one-blob write waits behind. */
const CHUNK_CHECKS = 64;
const CHUNK_BYTES = 256 * 1024;
/**
 * Chunks in flight per worker, so it never idles while an answer waits for the event loop:
 * a busy loop takes its answers late (a turn of a few milliseconds applies, stores and reads),
 * and with two in flight a saturated worker checked about 10,000 a second, half its speed.
 * Six keep it checking 14,000 to 17,000; a one-blob write waits behind about 20 ms at most.
 */
const IN_FLIGHT = 6;
/** Checks the event loop verifies at a time when it helps: about a millisecond. */
const LOOP_SLICE_CHECKS = 8;
/** Jobs this small are verified at once on the event loop when no worker has work. */
const IDLE_INLINE_CHECKS = 2;

interface Chunk {
  id: number;
  segments: Segment[];
}

interface Thread {
  /** Whether the thread started (a thread that cannot start is not started again). */
  online: boolean;
  /** It failed before it came online (its file missing, say), as opposed to being killed. */
  failedToStart: boolean;
  worker: Worker;
  inFlight: Map<number, Chunk>;
}

export class VerifyPool implements BlobVerifier {
  readonly #threads: Thread[] = [];
  readonly #waiting: Job[] = [];
  /** Segments of chunks lost with a worker, sent again before anything new. */
  readonly #retry: Segment[] = [];
  readonly #size: number;
  readonly #log: (line: string) => void;
  #nextChunk = 0;
  #scheduled = false;
  #helping = false;
  #closed = false;
  /** A thread failed to start: no more are started, the event loop verifies what is left. */
  #broken = false;
  /** The event loop's own verifier, for the slices it takes when every worker is busy. */
  readonly #here = nativeVerifier();
  /** How busy the event loop is with other work. */
  readonly #load = new LoopLoad();
  /** Checks the event loop verified itself (for metrics and tests). */
  checkedHere = 0;
  /** Workers that died unasked (for metrics and tests). */
  crashes = 0;

  constructor(size: number, log: (line: string) => void = () => {}) {
    if (!(size >= 1)) throw new RangeError('a verification pool needs at least one thread');
    this.#size = size;
    this.#log = log;
    for (let i = 0; i < size; i++) this.#threads.push(this.#spawn());
  }

  get threads(): number {
    return this.#size;
  }

  here(): SignatureVerifier | null {
    return !this.#closed && this.#idle() && !this.#load.busy ? this.#timedHere : null;
  }

  /** The loop's own check, its time counted as checking (not other work) in the loop's load. */
  readonly #timedHere: SignatureVerifier = (signature, message, publicKey) => {
    const start = performance.now();
    const ok = this.#here(signature, message, publicKey);
    this.#load.checked(performance.now() - start);
    this.checkedHere++;
    return ok;
  };

  /** The worker objects, for a test that kills one. */
  get workers(): Worker[] {
    return this.#threads.map((t) => t.worker);
  }

  verify(checks: SignatureCheck[]): Promise<number> {
    if (this.#closed) return Promise.reject(new Error('the verification pool is closed'));
    if (checks.length === 0) return Promise.resolve(-1);
    return new Promise((resolve, reject) => {
      // libsodium's encoding rules are a few byte comparisons: checked here, so workers only verify.
      let limit = checks.length;
      for (let i = 0; i < checks.length; i++) {
        if (!ed25519EncodingsAllowed(checks[i]!.signature, checks[i]!.publicKey)) {
          limit = i;
          break;
        }
      }
      const job: Job = { checks, next: 0, limit, firstBad: limit < checks.length ? limit : -1, outstanding: 0, queued: false, resolve, reject };
      if (limit === 0) return resolve(0);
      // A small job when the pool is idle and the loop has time: a worker round trip costs
      // more CPU than the check.
      if (limit <= IDLE_INLINE_CHECKS && this.#idle() && !this.#load.busy) {
        const start = performance.now();
        let bad = job.firstBad;
        for (let i = 0; i < limit; i++) {
          if (!this.#here(checks[i]!.signature, checks[i]!.message, checks[i]!.publicKey)) {
            bad = i;
            break;
          }
        }
        this.#load.checked(performance.now() - start);
        this.checkedHere += limit;
        return resolve(bad);
      }
      job.queued = true;
      this.#waiting.push(job);
      this.#schedule();
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const pending = new Set<Job>(this.#waiting);
    for (const t of this.#threads) for (const chunk of t.inFlight.values()) for (const s of chunk.segments) pending.add(s.job);
    for (const s of this.#retry) pending.add(s.job);
    this.#waiting.length = 0;
    this.#retry.length = 0;
    const threads = this.#threads.splice(0);
    await Promise.all(threads.map((t) => t.worker.terminate()));
    for (const job of pending) job.reject(new Error('the verification pool is closed'));
  }

  #idle(): boolean {
    return this.#waiting.length === 0 && this.#retry.length === 0 && this.#threads.every((t) => t.inFlight.size === 0);
  }

  #spawn(): Thread {
    const worker = new Worker(new URL('./worker.js', import.meta.url));
    const thread: Thread = { online: false, failedToStart: false, worker, inFlight: new Map() };
    worker.once('online', () => (thread.online = true));
    worker.once('error', () => (thread.failedToStart ||= !thread.online));
    worker.on('message', (answer: { id: number; results: Int32Array }) => this.#answered(thread, answer));
    worker.on('error', ({ message }) => this.#log(`verify: ${say(str`a worker failed: ${message}`, { id: 'relay.log.workerFailed' })}`));
    worker.on('exit', () => this.#lost(thread));
    // An idle pool must not keep the process alive (a worker is held only while it has work).
    worker.unref();
    return thread;
  }

  #lost(thread: Thread): void {
    const at = this.#threads.indexOf(thread);
    if (this.#closed || at < 0) return;
    this.crashes++;
    // A thread killed before it came online is replaced; one that failed to start is not.
    if (thread.failedToStart && !this.#broken) {
      // It never started (its file missing, say): starting it again would loop for ever.
      this.#broken = true;
      this.#log(`verify: ${say('a verification thread cannot start; signatures are checked on the main thread', { id: 'relay.log.noWorkers' })}`);
    }
    for (const chunk of thread.inFlight.values()) {
      for (const s of chunk.segments) {
        s.job.outstanding--;
        if (s.retried) this.#fail(s.job, new Error('signature verification failed twice'));
        else this.#retry.push({ ...s, retried: true });
      }
    }
    thread.inFlight.clear();
    if (this.#broken) this.#threads.splice(at, 1);
    else this.#threads[at] = this.#spawn();
    this.#schedule();
    if (this.#threads.length === 0) this.#helpSoon();
  }

  /** Takes a job out of the queue, if it is still there. */
  #unqueue(job: Job): void {
    if (!job.queued) return;
    job.queued = false;
    const w = this.#waiting.indexOf(job);
    if (w >= 0) this.#waiting.splice(w, 1);
  }

  #fail(job: Job, err: Error): void {
    if (job.next === -1) return;
    job.next = -1; // settled: its other segments are ignored when they come back
    this.#unqueue(job);
    job.reject(err);
  }

  #answered(thread: Thread, { id, results }: { id: number; results: Int32Array }): void {
    const chunk = thread.inFlight.get(id);
    if (!chunk) return;
    thread.inFlight.delete(id);
    if (thread.inFlight.size === 0) thread.worker.unref();
    this.#settleSegments(chunk.segments, results);
    this.#schedule();
  }

  #settleSegments(segments: Segment[], results: ArrayLike<number>): void {
    segments.forEach((s, i) => {
      const job = s.job;
      if (job.next === -1) return;
      job.outstanding--;
      const bad = results[i]!;
      if (bad >= 0 && (job.firstBad < 0 || s.start + bad < job.firstBad)) {
        job.firstBad = s.start + bad;
        job.limit = Math.min(job.limit, job.firstBad); // nothing past a failure needs checking
      }
      this.#settleIfDone(job);
    });
  }

  #settleIfDone(job: Job): void {
    if (job.next === -1 || job.outstanding > 0 || job.next < job.limit) return;
    if (this.#retry.some((s) => s.job === job)) return;
    this.#unqueue(job);
    const firstBad = job.firstBad;
    job.next = -1;
    job.resolve(firstBad);
  }

  #schedule(): void {
    if (this.#scheduled || this.#closed) return;
    this.#scheduled = true;
    // After the current turn: every job queued in it can share the first chunk.
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    for (;;) {
      const thread = this.#leastBusy();
      if (!thread) break;
      const segments = this.#fill(CHUNK_CHECKS);
      if (segments.length === 0) return;
      this.#send(thread, segments);
    }
    // Every worker is busy and work is left: the event loop takes a small slice itself, so a
    // loop with little else to do adds its core (it answers I/O between slices). A loop busy
    // with other work leaves the checks to the workers.
    if ((this.#waiting.length > 0 || this.#retry.length > 0) && (this.#threads.length === 0 || !this.#load.busy)) this.#helpSoon();
  }

  #helpSoon(): void {
    if (this.#helping || this.#closed) return;
    this.#helping = true;
    setImmediate(() => {
      this.#helping = false;
      if (this.#closed) return;
      const segments = this.#fill(LOOP_SLICE_CHECKS);
      if (segments.length === 0) return;
      const start = performance.now();
      const results = segments.map((s) => {
        for (let i = s.start; i < s.end; i++) {
          const c = s.job.checks[i]!;
          if (!this.#here(c.signature, c.message, c.publicKey)) return i - s.start;
        }
        return -1;
      });
      this.#load.checked(performance.now() - start);
      for (const seg of segments) this.checkedHere += seg.end - seg.start;
      this.#settleSegments(segments, results);
      this.#pump();
    });
  }

  #leastBusy(): Thread | null {
    let best: Thread | null = null;
    for (const t of this.#threads) if (t.inFlight.size < IN_FLIGHT && (!best || t.inFlight.size < best.inFlight.size)) best = t;
    return best;
  }

  /** Up to one chunk of checks (chunk-fill.ts). */
  #fill(maxChecks: number): Segment[] {
    return fillChunk(this.#retry, this.#waiting, maxChecks, CHUNK_BYTES);
  }

  #send(thread: Thread, segments: Segment[]): void {
    const { buffer, counts } = packChecks(segments);
    const chunk: Chunk = { id: this.#nextChunk++, segments };
    if (thread.inFlight.size === 0) thread.worker.ref();
    thread.inFlight.set(chunk.id, chunk);
    thread.worker.postMessage({ id: chunk.id, buffer, counts }, [buffer]);
  }
}

/** The relay's verifier: a pool of one thread per spare core, or the event loop on one core. */
export function relayVerifier(mode: 'pool' | 'inline' | undefined, log?: (line: string) => void, threads?: number): BlobVerifier {
  const spare = threads ?? availableParallelism() - 1;
  if (mode === 'inline' || spare < 1) return new InlineVerifier();
  return new VerifyPool(spare, log);
}
