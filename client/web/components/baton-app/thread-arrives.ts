// Waiting for a thread a link names to appear in its board: it may still be on its way from a relay.
import { msg } from '@lit/localize';
import { boards, type Space } from '#client-core';

const THREAD_WAIT_MS = 30_000;

/** Resolves once the board lists the thread; fails, in words, after THREAD_WAIT_MS. */
export function threadArrives(board: Space, id: string): Promise<void> {
  const known = () => board.plain !== null && boards.listThreads(board).some((t) => t.id === id);
  if (known()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(msg('This thread has not arrived from any relay yet. Check the board’s relays and try again.', { id: 'app.threadNotArrived' })));
    }, THREAD_WAIT_MS);
    const off = board.subscribe(() => {
      if (!known()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}
