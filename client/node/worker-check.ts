// Large received updates are checked on a worker thread, so Node's event loop (timers,
// sockets, the CLI's output) keeps running while thousands of signatures are verified.
import { Worker } from 'node:worker_threads';
import type { CheckRequest, CheckResult, OffThreadCheck } from '#client-core/update-check.ts';

/** One worker, started on first use and left unreferenced while idle (it never keeps Node alive). */
export function workerThreadCheck(): OffThreadCheck {
  let worker: Worker | null = null;
  let next = 0;
  const waiting = new Map<number, { resolve: (r: CheckResult) => void; reject: (e: Error) => void }>();
  const fail = (err: Error) => {
    worker = null;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  const start = (): Worker => {
    const w = new Worker(workerFile());
    w.on('message', (msg: { id: number; result: CheckResult }) => {
      const pending = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (waiting.size === 0) w.unref();
      pending?.resolve(msg.result);
    });
    w.on('error', fail);
    w.on('exit', () => fail(new Error('the check worker stopped')));
    w.unref();
    return w;
  };
  return (request: CheckRequest) =>
    new Promise<CheckResult>((resolve, reject) => {
      worker ??= start();
      const id = next++;
      waiting.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, request });
    });
}

/**
 * The worker's entry: build/check-worker.js beside the compiled CLI, or, run from the sources
 * (tests, development), the plain-JavaScript bootstrap that loads them through tsx.
 */
function workerFile(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./check-worker.mjs', import.meta.url) : new URL('./check-worker.js', import.meta.url);
}
