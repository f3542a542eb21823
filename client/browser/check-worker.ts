// The Web Worker that checks large received updates: the whole envelope validator, with
// libsodium, on each request. It holds no doc and no secret, and answers each request.
import { initSodium } from '#shared';
import { checkDetached, type CheckRequest } from '#client-core/update-check.ts';

const ready = initSodium();
const scope = globalThis as unknown as { onmessage: ((e: MessageEvent) => void) | null; postMessage(message: unknown): void };
scope.onmessage = (e: MessageEvent<{ id: number; request: CheckRequest }>) => {
  const { id, request } = e.data;
  void ready.then(() => {
    let result;
    try {
      result = checkDetached(request);
    } catch {
      result = { verdict: { ok: false, reason: 'malformed', detail: 'the check failed' }, clocks: [] };
    }
    scope.postMessage({ id, result });
  });
};
