// Waiting for a thread a link names to appear in its board: it may still be on its way from a relay.
import { msg } from '@lit/localize';
import { boards, type Space } from '#client-core';
import { ShownError } from '../../lib/failure.ts';

const THREAD_WAIT_MS = 30_000;

/** Resolves once the board lists the thread; fails, in words, after THREAD_WAIT_MS. */
export function threadArrives(board: Space, id: string): Promise<void> {
  const known = () => board.plain !== null && boards.listThreads(board).some((t) => t.id === id);
  if (known()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new ShownError('not-found', msg('This thread has not arrived from any relay yet. Check the board’s relays and try again.', { id: 'app.threadNotArrived' })));
    }, THREAD_WAIT_MS);
    const off = board.subscribe(() => {
      if (!known()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/** How long a first screen stays up at most while its thread's posts are on their way. */
const FIRST_SCREEN_HOLD_MS = 60_000;

/**
 * While a first screen is showing (`showing`), resolves once the thread has posts to show, has
 * synced with a relay, or after a while: an empty thread must not replace the newest posts.
 */
export function postsArrive(thread: Space, showing: boolean): Promise<void> {
  const ready = () => !thread.plain || boards.posts(thread).length > 0 || thread.statuses().some((s) => s.state === 'synced');
  if (!showing || ready()) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      off();
      resolve();
    };
    const timer = setTimeout(done, FIRST_SCREEN_HOLD_MS);
    const off = thread.subscribe(() => {
      if (ready()) done();
    });
  });
}
