// Waiting in tests: a check (sync or async) polled until it holds. One loop for every suite,
// so that a timeout reads the same everywhere: what was awaited, and for how long.

export interface WaitOptions {
  /** Give up after this long; default 5 s. */
  timeoutMs?: number;
  /** What is awaited, for the failure message. */
  what?: string;
  /** The pause between checks; default 20 ms. */
  intervalMs?: number;
}

export type Check = () => boolean | Promise<boolean>;

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * Polls until `check` holds; returns whether it did in time, for a test that asserts on the
 * answer itself. The check runs once more at the deadline, so a slow machine gets its full time.
 */
export async function holdsWithin(check: Check, { timeoutMs = DEFAULT_TIMEOUT_MS, intervalMs = 20 }: WaitOptions = {}): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, left)));
  }
}

/** Polls until `check` holds; fails naming what was awaited when `timeoutMs` pass first. */
export async function waitUntil(check: Check, options: WaitOptions = {}): Promise<void> {
  const started = Date.now();
  if (await holdsWithin(check, options)) return;
  throw new Error(`timed out after ${Date.now() - started} ms (limit ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms) waiting for ${options.what ?? 'a condition'}`);
}
