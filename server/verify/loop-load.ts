// How busy the event loop is with other work than signature checks, over the last tenth of a
// second or so. The pool checks a one-blob job on the event loop when the loop has time (a
// round trip to a worker costs more CPU than the check), and lets the loop take slices of
// queued checks; on a loop already busy with I/O, parsing and storage both would take time
// from that work while a worker thread sits idle, so the checks go to the workers.
//
// Busy is judged by the wall clock (the loop's utilization), not by the CPU its thread used:
// a loop that waits for a core on a crowded machine has more work than it gets done, and a
// worker thread also gets the relay a larger share of that machine. (Tried: judged by the
// thread's CPU time, read from /proc, a saturated relay sharing two cores with other work
// took its checks on its loop and used 0.6 cores.)
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/**
 * Past this share of the window spent on other work, the loop counts as busy: a loop that
 * has a fifth of its time left still checks a one-blob job itself, which costs a third of
 * the CPU a round trip to a worker does (a fan-out relay); one without verifies nothing.
 */
const BUSY_SHARE = 0.8;
/** The window the share is measured over. */
const WINDOW_MS = 100;

export class LoopLoad {
  #mark: EventLoopUtilization = performance.eventLoopUtilization();
  #at = performance.now();
  /** Milliseconds spent on checks in this window (not other work). */
  #checking = 0;
  #busy = false;

  /** Counts time the loop spent on checks itself. */
  checked(ms: number): void {
    this.#checking += ms;
  }

  /** Whether other work kept the loop busy over the last window. */
  get busy(): boolean {
    const now = performance.now();
    if (now - this.#at >= WINDOW_MS) {
      const used = performance.eventLoopUtilization(this.#mark);
      const window = used.idle + used.active;
      this.#busy = window > 0 && (used.active - this.#checking) / window > BUSY_SHARE;
      this.#mark = performance.eventLoopUtilization();
      this.#at = now;
      this.#checking = 0;
    }
    return this.#busy;
  }
}
