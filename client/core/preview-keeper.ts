// Keeps an open thread's sealed first screen (preview.ts) up to date in the local store:
// written once the thread has loaded, again a moment after its plaintext last changed (not on
// every post of a burst), and when the client closes.
import type * as Y from 'yjs';
import type { Space } from './space.ts';
import type { RoomStore } from './store.ts';
import { postsMap, threadMap } from '#shared';
import { threadOrigins } from './carried.ts';
import { sealPreview } from './preview.ts';
import { caught, type ProblemListener } from './problems.ts';

const SAVE_DELAY_MS = 2_000;

export class PreviewKeeper {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private dirty = true;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;
  // afterTransaction, not 'update': an 'update' listener makes Yjs encode every transaction,
  // megabytes when a long thread's snapshot is applied.
  private readonly onTransaction = (tr: Y.Transaction) => {
    if (tr.changed.size === 0 && tr.deleteSet.clients.size === 0) return;
    this.dirty = true;
    this.schedule();
  };

  constructor(
    private readonly space: Space,
    private readonly store: RoomStore,
    private readonly onProblem: ProblemListener = () => {},
    private readonly delayMs = SAVE_DELAY_MS,
  ) {
    space.plain?.on('afterTransaction', this.onTransaction);
    this.schedule();
  }

  /** Writes the preview now if the thread changed since the last one. */
  save(): Promise<void> {
    const plain = this.space.plain;
    if (!this.dirty || !plain || !this.store.savePreview) return this.writing;
    // An empty doc (a fresh device before its first sync) would only hide an older screen.
    if (postsMap(plain).size === 0 && threadMap(plain).size === 0) return this.writing;
    this.dirty = false;
    let record: Uint8Array;
    try {
      record = sealPreview(this.space.cap, plain, Date.now(), threadOrigins(this.space));
    } catch (err) {
      this.onProblem({ kind: 'preview-failed', space: this.space.spaceId, step: 'seal', ...caught(err) });
      return this.writing;
    }
    this.writing = this.writing
      .then(() => this.store.savePreview!(this.space.spaceId, record))
      .catch((err: unknown) => this.onProblem({ kind: 'preview-failed', space: this.space.spaceId, step: 'store', ...caught(err) }));
    return this.writing;
  }

  /** Stops watching, after writing what changed. Call before the space closes. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.space.plain?.off('afterTransaction', this.onTransaction);
    await this.save();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.save();
    }, this.delayMs);
    (this.timer as { unref?: () => void }).unref?.();
  }
}
