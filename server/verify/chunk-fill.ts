// What one message to a verification thread carries: retried segments first, then a share of
// every waiting job in turn (round-robin), so a job of thousands of checks delays a one-blob
// write by a few chunks at most (those in flight). The jobs and segments of
// server/verify/pool.ts.
import type { SignatureCheck } from '#shared';
import { RECORD_HEAD } from './pack.ts';

export interface Job {
  checks: SignatureCheck[];
  /** Checks sent up to here (or screened out: see `limit`). */
  next: number;
  /** Checks past the first that fails libsodium's encoding rules need no verifying. */
  limit: number;
  firstBad: number;
  outstanding: number;
  /** In the waiting queue (some of its checks not yet sent). */
  queued: boolean;
  resolve(firstBad: number): void;
  reject(err: Error): void;
}

export interface Segment {
  job: Job;
  start: number;
  end: number;
  /** Sent again after its worker died (once only). */
  retried?: boolean;
}

/** Up to one chunk of checks, taken from `retry` and `waiting` (jobs fully sent leave it). */
export function fillChunk(retry: Segment[], waiting: Job[], maxChecks: number, chunkBytes: number): Segment[] {
  const segments: Segment[] = [];
  let count = 0;
  let bytes = 0;
  while (retry.length > 0 && count < maxChecks) {
    const s = retry.shift()!;
    if (s.job.next === -1) continue;
    s.job.outstanding++;
    segments.push(s);
    count += s.end - s.start;
  }
  // Round-robin: each pass gives every waiting job a few checks, so small jobs go out at once.
  const share = Math.max(1, Math.floor(maxChecks / Math.max(1, waiting.length)));
  let progress = true;
  while (count < maxChecks && bytes < chunkBytes && progress) {
    progress = false;
    for (let w = 0; w < waiting.length && count < maxChecks && bytes < chunkBytes; w++) {
      const job = waiting[w]!;
      if (job.next >= job.limit) continue;
      const start = job.next;
      let end = start;
      while (end < job.limit && end - start < share && count < maxChecks && bytes < chunkBytes) {
        bytes += RECORD_HEAD + job.checks[end]!.message.length;
        end++;
        count++;
      }
      job.next = end;
      job.outstanding++;
      segments.push({ job, start, end });
      progress = true;
    }
    // Jobs fully sent leave the queue (one pass: thousands of one-check jobs may wait); they
    // settle as their answers come back.
    let kept = 0;
    for (const job of waiting) {
      if (job.next < job.limit) waiting[kept++] = job;
      else job.queued = false;
    }
    waiting.length = kept;
  }
  return segments;
}
