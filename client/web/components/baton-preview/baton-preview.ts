// A thread's first screen as this device last saw it (its sealed preview), shown while the
// whole thread loads, so a long thread reads at once on a slow phone. Read-only: replying and
// posting wait for the thread itself, which replaces this view when it is ready.
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { styles } from '../baton-thread/styles.ts';
import { NameBook, type ThreadPreview } from '#client-core';
import type { Session } from '../../lib/session.ts';
import { withoutOverrides } from '../../lib/text.ts';
import { shownTime } from '../../lib/time.ts';
import '../baton-post/baton-post.ts';

function loadingWords(when: string): string {
  return msg(str`Loading the whole thread… Until then, the newest posts as this device saw them on ${when}.`, { id: 'preview.loading' });
}

export class BatonPreview extends LitElement {
  static override properties = {
    session: { attribute: false },
    preview: { attribute: false },
    source: { type: String },
    boardHash: { type: String },
    boardTitle: { type: String },
    nameScope: { type: String },
  };
  static override styles = styles;
  declare session: Session | null;
  declare preview: ThreadPreview | null;
  /** Saved by this device, or published by the thread's writers. */
  declare source: 'device' | 'published';
  declare boardHash: string;
  declare boardTitle: string;
  /** Whose names the posts are checked against (names this device bound before; none bound here). */
  declare nameScope: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.session = null;
    this.preview = null;
    this.source = 'device';
    this.boardHash = '';
    this.boardTitle = '';
    this.nameScope = '';
  }

  override render() {
    const p = this.preview;
    if (!p) return nothing;
    const local = this.session?.local;
    const names = local && this.nameScope ? new NameBook({ load: (s) => local.names(s), save: () => {} }, this.nameScope) : null;
    return html`
      <nav>
        <a href=${this.boardHash || '#'}><span class="back">←</span> <bdi>${this.boardHash ? this.boardTitle || msg('Board', { id: 'nav.board' }) : msg('Start', { id: 'nav.start' })}</bdi></a>
      </nav>
      <div class="title">
        <h1 dir="auto">${withoutOverrides(p.title) || msg('Untitled thread', { id: 'start.untitledThread' })}</h1>
      </div>
      <p class="muted" role="status">${this.source === 'published' ? msg('Loading the whole thread… Until then, its newest posts as its writers published them.', { id: 'preview.loadingPublished' }) : loadingWords(shownTime(new Date(p.savedAt)))}</p>
      <div class="loading-bar" aria-hidden="true"></div>
      <section aria-labelledby="preview-posts-title" aria-busy="true">
        <h2 id="preview-posts-title">${msg('Newest posts', { id: 'preview.newest' })}</h2>
        <ol class="posts">
          ${p.posts.map((post) => html`<li class=${post.replyTo ? 'reply' : ''}><baton-post data-id=${post.id} .post=${post} .nameCheck=${names?.recall(post) ?? null}></baton-post></li>`)}
        </ol>
      </section>
    `;
  }
}

customElements.define('baton-preview', BatonPreview);

declare global {
  interface HTMLElementTagNameMap {
    'baton-preview': BatonPreview;
  }
}
