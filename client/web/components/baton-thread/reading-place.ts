// Where a long thread is read from (baton-thread renders its newest page only): the place it
// opens at, the post kept still while older ones are added above it, the jump back to the
// newest post, and whether that post is on screen.
import type { BatonPost } from '../baton-post/baton-post.ts';

/** Opens at the first post new since the last visit (its mark), else at the newest post and the compose box under it. */
export function goToReadingPlace(root: ParentNode): void {
  requestAnimationFrame(() => {
    const mark = root.querySelector<HTMLElement>('ol.posts > li.new-since');
    if (mark) mark.scrollIntoView({ block: 'start' });
    else root.querySelector('section.compose')?.scrollIntoView({ block: 'end' });
  });
}

/** Runs `render` (which adds posts above), keeping the post at the top of the list where it was on screen. */
export async function keepTopPostStill(root: ParentNode, render: () => Promise<unknown>): Promise<void> {
  const first = root.querySelector('ol.posts > li:not(.new-since)');
  const before = first?.getBoundingClientRect().top ?? 0;
  await render();
  if (first) scrollBy(0, first.getBoundingClientRect().top - before);
}

/** The newest post and the compose box under it, the post focused. */
export function jumpToLatest(root: ParentNode): void {
  const posts = root.querySelectorAll<BatonPost>('ol.posts baton-post');
  root.querySelector('section.compose')?.scrollIntoView({ block: 'end' });
  posts[posts.length - 1]?.focusPost({ preventScroll: true });
}

/** Tells whether the newest rendered post is on screen ("Jump to latest" shows while it is not). */
export class LatestWatch {
  private readonly observer: IntersectionObserver;
  constructor(onChange: (inView: boolean) => void) {
    this.observer = new IntersectionObserver((entries) => {
      for (const e of entries) onChange(e.isIntersecting);
    });
  }
  /** Watches the list's last item as it is now. */
  watch(root: ParentNode): void {
    const end = root.querySelector('ol.posts > li:last-child');
    this.observer.disconnect();
    if (end) this.observer.observe(end);
  }
  stop(): void {
    this.observer.disconnect();
  }
}
