// Search within a board: a query over the posts of its threads that this device holds,
// decrypted here (lib/search.ts). Nothing of the query or its results is sent anywhere;
// each result links to its thread and post.
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { styles } from './styles.ts';
import { boards, type Space } from '#client-core';
import { routeHash } from '../../lib/route.ts';
import { MAX_HITS, queryWords, searchPosts, type Hit, type SearchThread } from '../../lib/search.ts';
import type { Session } from '../../lib/session.ts';
import { withoutOverrides } from '../../lib/text.ts';
import { displayName } from '../../lib/display-name.ts';
import { shownTime } from '../../lib/time.ts';
import { formatNumber } from '../../l10n/format.ts';
import { fillSlots, slot } from '../../l10n/slots.ts';

/** Threads searched at most, newest first (each is opened from this device's store). */
const MAX_SEARCHED_THREADS = 200;

export class BatonSearch extends LitElement {
  static override properties = {
    session: { attribute: false },
    space: { attribute: false },
    capText: { type: String },
    hits: { state: true },
    query: { state: true },
    busy: { state: true },
  };
  static override styles = styles;
  declare session: Session | null;
  declare space: Space | null;
  /** The board's capability text, which result links extend. */
  declare capText: string;
  declare private hits: Hit[] | null;
  declare private query: string;
  declare private busy: boolean;
  private run = 0;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.session = null;
    this.space = null;
    this.capText = '';
    this.hits = null;
    this.query = '';
    this.busy = false;
  }

  private async search(e: Event): Promise<void> {
    e.preventDefault();
    const { session, space } = this;
    const input = this.renderRoot.querySelector('input')!;
    const query = input.value;
    if (!session || !space?.plain) return;
    if (queryWords(query).length === 0) {
      this.hits = null;
      this.query = '';
      return;
    }
    const run = ++this.run;
    this.busy = true;
    try {
      const threads: SearchThread[] = [];
      for (const t of boards.listThreads(space).slice(0, MAX_SEARCHED_THREADS)) {
        const thread = await boards.openThread(session.client, space, t.id).catch(() => null);
        if (run !== this.run) return;
        if (thread?.plain) threads.push({ id: t.id, title: t.title, posts: boards.posts(thread) });
      }
      this.hits = searchPosts(threads, query);
      this.query = query;
    } finally {
      if (run === this.run) this.busy = false;
    }
  }

  private clear(): void {
    this.run++;
    this.busy = false;
    this.hits = null;
    this.query = '';
    const input = this.renderRoot.querySelector('input');
    if (input) input.value = '';
  }

  private result(h: Hit) {
    const name = h.post.verified ? displayName(h.post.name) : msg('unknown author', { id: 'thread.unknownAuthor' });
    return html`<li>
      <a href=${routeHash(this.capText, h.threadId, h.post.id)}>
        <span class="where small muted"><bdi>${withoutOverrides(h.threadTitle) || msg('Untitled thread', { id: 'start.untitledThread' })}</bdi> · <bdi>${name}</bdi> ·
          <time datetime=${new Date(h.post.ts).toISOString()}>${shownTime(new Date(h.post.ts))}</time></span>
        <span class="snippet" dir="auto">${h.before}<mark>${h.match}</mark>${h.after}</span>
      </a>
    </li>`;
  }

  /** How many posts were found, with the query in <bdi> (one message per case: see l10n/). */
  private heading(n: number) {
    const q = slot(0);
    const query = { [q]: html`“<bdi>${this.query.trim()}</bdi>”` };
    if (n === 0) return fillSlots(msg(str`No post on this device has ${q}`, { id: 'search.none' }), query);
    if (n === 1) return fillSlots(msg(str`1 post with ${q}`, { id: 'search.one' }), query);
    const count = formatNumber(n);
    if (n === MAX_HITS) return fillSlots(msg(str`The newest ${count} posts with ${q}`, { id: 'search.newest' }), query);
    return fillSlots(msg(str`${count} posts with ${q}`, { id: 'search.many' }), query);
  }

  override render() {
    if (!this.space?.plain) return nothing;
    const hits = this.hits;
    return html`
      <form role="search" @submit=${this.search}>
        <label for="search-posts">${msg('Search this board', { id: 'search.label' })}</label>
        <div class="row">
          <input id="search-posts" type="search" dir="auto" autocomplete="off" placeholder=${msg('Words in posts', { id: 'search.placeholder' })} @search=${(e: Event) => (e.target as HTMLInputElement).value === '' && this.clear()} />
          <button type="submit" ?disabled=${this.busy}>${msg('Search', { id: 'search.submit' })}</button>
        </div>
        <p class="small muted">${msg('Searches the posts on this device only: nothing you type here is sent anywhere.', { id: 'search.private' })}</p>
      </form>
      <div aria-live="polite">
        ${this.busy ? html`<p class="small muted" role="status">${msg('Searching…', { id: 'search.busy' })}</p>` : nothing}
        ${hits === null || this.busy
          ? nothing
          : html`<h3 id="search-results">${this.heading(hits.length)}</h3>
              ${hits.length > 0 ? html`<ol class="hits" aria-labelledby="search-results">${hits.map((h) => this.result(h))}</ol>` : nothing}
              <button type="button" class="link" @click=${this.clear}>${msg('Clear search', { id: 'search.clear' })}</button>`}
      </div>
    `;
  }
}

customElements.define('baton-search', BatonSearch);

declare global {
  interface HTMLElementTagNameMap {
    'baton-search': BatonSearch;
  }
}
