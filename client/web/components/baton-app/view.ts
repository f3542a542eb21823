// What the app shows: one screen at a time, and the notices raised on it.
import type { Space, ThreadPreview } from '#client-core';
import type { NoticeDetail } from '../../events.ts';

export type View =
  | { kind: 'starting' }
  | { kind: 'start' }
  | { kind: 'loading'; message: string }
  /** source: saved by this device, or published by the thread's writers (client/core/first-screen.ts). */
  | { kind: 'preview'; preview: ThreadPreview; source: 'device' | 'published'; boardHash: string; boardTitle: string; nameScope: string }
  | { kind: 'error'; message: string }
  | { kind: 'board'; space: Space; capText: string }
  /** post: a post to show once the thread is on screen (a search result's), or null. */
  | { kind: 'thread'; space: Space; boardHash: string; board: Space | null; post?: string | null };

export interface Notice extends NoticeDetail {
  id: number;
}
