// The message a verification thread gets (server/verify/worker.js reads it): the checks of
// a chunk's segments packed into one buffer that is moved to the thread, not copied.
// Records: publicKey:32 || signature:64 || length:u32le || message; counts: checks per segment.
import type { SignatureCheck } from '#shared';

/** Bytes of a record before its message. */
export const RECORD_HEAD = 100;

export interface PackedSegment {
  job: { checks: SignatureCheck[] };
  start: number;
  end: number;
}

export function packChecks(segments: readonly PackedSegment[]): { buffer: ArrayBuffer; counts: Int32Array } {
  let size = 0;
  for (const s of segments) for (let i = s.start; i < s.end; i++) size += RECORD_HEAD + s.job.checks[i]!.message.length;
  const buffer = new ArrayBuffer(size);
  const buf = Buffer.from(buffer);
  let at = 0;
  const counts = new Int32Array(segments.length);
  segments.forEach((s, k) => {
    counts[k] = s.end - s.start;
    for (let i = s.start; i < s.end; i++) {
      const c = s.job.checks[i]!;
      buf.set(c.publicKey, at);
      buf.set(c.signature, at + 32);
      buf.writeUInt32LE(c.message.length, at + 96);
      buf.set(c.message, at + RECORD_HEAD);
      at += RECORD_HEAD + c.message.length;
    }
  });
  return { buffer, counts };
}
