// Large received updates are checked in a Web Worker, so the page keeps painting and taking
// input while thousands of signatures are verified. The worker is made by the caller (a
// bundler's inline worker works from file:// too); where none can be made, the client core
// checks in slices on the main thread.
import type { CheckRequest, CheckResult, OffThreadCheck } from '#client-core/update-check.ts';

/** `warm`: the worker starts now, not at the first large update, so that it is ready by then. */
export function webWorkerCheck(makeWorker: () => Worker, o: { warm?: boolean } = {}): OffThreadCheck {
  let worker: Worker | null = null;
  let next = 0;
  const waiting = new Map<number, { resolve: (r: CheckResult) => void; reject: (e: Error) => void }>();
  const fail = (why: string) => {
    worker?.terminate();
    worker = null;
    for (const w of waiting.values()) w.reject(new Error(why));
    waiting.clear();
  };
  const start = (): Worker => {
    const w = makeWorker();
    w.onmessage = (e: MessageEvent<{ id: number; result: CheckResult }>) => {
      const entry = waiting.get(e.data.id);
      waiting.delete(e.data.id);
      entry?.resolve(e.data.result);
    };
    w.onerror = (e) => fail(`the check worker failed: ${e.message ?? 'no reason given'}`);
    w.onmessageerror = () => fail('the check worker sent an unreadable answer');
    return w;
  };
  if (o.warm) {
    try {
      worker = start();
    } catch {
      // it starts at the first large update, or the core checks in slices
    }
  }
  return (request: CheckRequest) =>
    new Promise<CheckResult>((resolve, reject) => {
      try {
        worker ??= start();
      } catch (err) {
        reject(err as Error);
        return;
      }
      const id = next++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, request });
    });
}
