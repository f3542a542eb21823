// Reads a response body under a byte cap while it streams: a Content-Length over the cap is
// refused before reading, and a body without one (chunked) is cut off as soon as it passes
// the cap. What it has read stays in memory, so the cap is what a relay can make us hold.
import { concatBytes } from '../bytes.ts';
import type { WireBody, WireResponse } from './fetch.ts';

export type CappedRead = { ok: true; bytes: Uint8Array } | { ok: false; kind: 'too-large' | 'cut-off'; detail: string };

/** Reads a body of at most `max` bytes; past that it stops reading and calls `abort`. */
export async function readCapped(res: WireResponse, max: number, abort: () => void): Promise<CappedRead> {
  const declared = res.headers.get('content-length');
  if (declared !== null && /^\s*\d+\s*$/.test(declared) && Number(declared) > max) {
    abort();
    await cancel(res.body);
    return { ok: false, kind: 'too-large', detail: `answer too large: ${Number(declared)} bytes, over the cap of ${max}` };
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const over = (): CappedRead => ({ ok: false, kind: 'too-large', detail: `answer too large: over the cap of ${max} bytes` });
  try {
    if (res.body && 'getReader' in res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!value) continue;
        total += value.length;
        if (total > max) {
          abort();
          await reader.cancel().catch(() => {});
          return over();
        }
        chunks.push(value);
      }
    } else if (res.body) {
      // Leaving the loop early cancels the stream behind the iterator.
      for await (const value of res.body) {
        total += value.length;
        if (total > max) {
          abort();
          return over();
        }
        chunks.push(value);
      }
    }
  } catch (err) {
    return { ok: false, kind: 'cut-off', detail: `answer cut off: ${describe(err)}` };
  }
  // One chunk is the body as it came: no copy.
  return { ok: true, bytes: chunks.length === 1 ? chunks[0]! : concatBytes(...chunks) };
}

async function cancel(body: WireBody | null): Promise<void> {
  if (body && 'getReader' in body) await body.getReader().cancel().catch(() => {});
}

/** An error's message, with its cause's (fetch says only "fetch failed" and keeps why in the cause). */
export function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : null;
  return cause && cause !== message ? `${message} (${cause})` : message;
}
