// Puts a thread's first look (read.ts) on the loading screen of index.html, as text nodes only
// (nothing a writer wrote ever becomes markup). It is a child of <baton-app> in the slot
// "first-screen", which the app keeps showing while it loads, until its own view replaces it.
import { msg } from '@lit/localize';
import { withoutOverrides } from '../lib/text.ts';
import { displayName } from '../lib/display-name.ts';
import { shownTime } from '../lib/time.ts';
import type { FirstLook } from './read.ts';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function paintFirstLook(look: FirstLook): void {
  const app = document.querySelector('baton-app');
  if (!app || app.querySelector('.first-look')) return;
  const section = el('section', 'first-look');
  section.slot = 'first-screen';
  section.setAttribute('aria-busy', 'true');
  const title = el('h1', '', withoutOverrides(look.title) || msg('Untitled thread', { id: 'start.untitledThread' }));
  title.dir = 'auto';
  const status = el('p', 'first-look-status', msg('Loading the whole thread… Until then, its newest posts as its writers published them.', { id: 'preview.loadingPublished' }));
  status.setAttribute('role', 'status');
  const bar = el('div', 'boot-bar');
  bar.setAttribute('aria-hidden', 'true');
  const list = el('ol', 'first-look-posts');
  for (const post of look.posts) {
    const item = el('li', post.replyTo ? 'reply' : '');
    const meta = el('div', 'first-look-meta');
    const name = el('bdi', 'first-look-name', displayName(post.name));
    meta.append(name, ` · ${shownTime(new Date(post.ts))}`);
    const body = el('p', 'first-look-body', withoutOverrides(post.body));
    body.dir = 'auto';
    item.append(meta, body);
    list.append(item);
  }
  section.append(title, status, bar, list);
  const boot = app.querySelector<HTMLElement>('main.boot');
  if (boot) boot.hidden = true;
  app.append(section);
}
