// Keeps a writable thread's published first screen (first-screen.ts) current: a moment after
// this device posts in it (not on every post of a burst), and once after the thread has synced
// when the published one is missing or older than what this device holds. Other changes are
// left to the writers who make them, so that a post is not republished by every open client.
import type * as Y from 'yjs';
import type { Capability } from '#shared';
import { firstScreenCapability, firstScreenMap, newestOf, readFirstScreen, signFirstScreen } from './first-screen.ts';
import { newestThreadEntries } from './posts.ts';
import { caught, type ProblemListener } from './problems.ts';
import type { Space } from './space.ts';

const PUBLISH_DELAY_MS = 2_000;
/** How long a first publication waits for the thread and its first-screen space to sync. */
const SYNC_WAIT_MS = 15_000;

export class FirstScreenPublisher {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly onTransaction = (tr: Y.Transaction) => {
    if (!tr.local || (tr.changed.size === 0 && tr.deleteSet.clients.size === 0)) return;
    this.schedule();
  };

  constructor(
    private readonly thread: Space,
    private readonly openSpace: (cap: Capability) => Promise<Space>,
    private readonly onProblem: ProblemListener = () => {},
    private readonly delayMs = PUBLISH_DELAY_MS,
  ) {
    thread.plain?.on('afterTransaction', this.onTransaction);
    this.running = this.catchUp();
  }

  /**
   * Publishes now what a moment from now would have (a command about to exit): resolves once
   * the first screen is written locally, or there is nothing to write.
   */
  publishPending(): Promise<void> {
    if (!this.timer) return this.running;
    clearTimeout(this.timer);
    this.timer = null;
    return this.publish();
  }

  /** Publishes now if this device's newest post is newer than the published one. */
  publish(): Promise<void> {
    this.running = this.running.then(() => this.publishNow(false)).catch((err: unknown) => this.onProblem({ kind: 'first-screen-failed', space: this.thread.spaceId, ...caught(err) }));
    return this.running;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.thread.plain?.off('afterTransaction', this.onTransaction);
    await this.running;
  }

  /** A thread written before first screens were published gets one once it has synced. */
  private async catchUp(): Promise<void> {
    try {
      // Unsynced, this device cannot tell whether its newest post is older than the published one.
      const synced = await this.thread.whenSynced({ timeoutMs: SYNC_WAIT_MS });
      if (!this.closed && synced.length > 0) await this.publishNow(true);
    } catch {
      // not synced with any relay yet: the next post publishes
    }
  }

  private async publishNow(waitForSpace: boolean): Promise<void> {
    const doc = this.thread.plain;
    const cap = firstScreenCapability(this.thread.cap);
    if (this.closed || !doc || !cap?.write) return;
    const newest = newestThreadEntries(doc, 1)[0];
    if (!newest || typeof newest.id !== 'string' || typeof newest.ts !== 'number') return;
    const space = await this.openSpace(cap);
    if (waitForSpace) await space.whenSynced({ timeoutMs: SYNC_WAIT_MS }).catch(() => []);
    if (this.closed || !space.plain) return;
    const published = newestOf(readFirstScreen(this.thread.cap, space.plain));
    if (published && (published.ts > newest.ts || published.id === newest.id)) return;
    const signed = signFirstScreen(this.thread.cap, doc);
    if (!signed) return;
    firstScreenMap(space.plain).set('signed', signed);
    space.flush();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.publish();
    }, this.delayMs);
    (this.timer as { unref?: () => void }).unref?.();
  }
}
