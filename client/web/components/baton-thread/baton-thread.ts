// A thread: its title, the summary edited together, posts in order with replies, hashtag
// filters, and the compose box. Our own posts show their delivery from relay receipts. A long
// thread opens at its newest posts (or at the first one new since the last visit, marked),
// renders its newest page only ("Show older posts" adds the page before), and offers "Jump to
// latest" (to the newest post and the compose box under it) while the newest post is out of sight.
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { styles } from './styles.ts';
import { toBase64url } from '#shared';
import { NameBook, PostWatch, boards, checkNames, type NameCheck, type RevisedPost, type Space } from '#client-core';
import { SpaceController } from '../../controllers/space-controller.ts';
import { fire, type ComposeDetail, type FileRequest } from '../../events.ts';
import { answerFileRequest, resumeUploads, submitPost } from '../../lib/thread-files.ts';
import { deliveryOf } from '../../lib/delivery.ts';
import { formatNumber } from '../../l10n/format.ts';
import type { Session } from '../../lib/session.ts';
import { postExcerpt } from '../../lib/markdown.ts';
import { hashtags, withoutOverrides } from '../../lib/text.ts';
import { displayName } from '../../lib/display-name.ts';
import type { BatonCompose } from '../baton-compose/baton-compose.ts';
import type { BatonPost, ReplyTarget } from '../baton-post/baton-post.ts';
import { LatestWatch, goToReadingPlace, jumpToLatest, keepTopPostStill } from './reading-place.ts';
import '../baton-compose/baton-compose.ts';
import '../baton-post/baton-post.ts';
import '../baton-relays/baton-relays.ts';
import '../baton-share/baton-share.ts';
import '../baton-summary/baton-summary.ts';
import { ThreadModeration } from './moderation.ts';
import { POST_ACTIONS, editorsLine, moderationNotes, postAction } from './moderation-view.ts';
import { failureReason } from '../../lib/failure.ts';

/** Hashtag chips shown at most (a hostile post could carry thousands). */
const MAX_TAG_CHIPS = 40;
/** Posts rendered at first, and added by each "Show older posts". */
const PAGE = 50;
/** At most this many posts are rendered to reach the first new one. */
const MAX_FIRST_PAGE = 300;

/** "Relays (k of n synced)" for the folded relays panel. */
function relaysSummary(space: Space): string {
  const synced = formatNumber(space.statuses().filter((s) => s.state === 'synced').length);
  const relays = formatNumber(space.relays().length);
  return msg(str`Relays (${synced} of ${relays} up to date)`, { id: 'thread.relaysUpToDate' });
}

export class BatonThread extends LitElement {
  static override properties = {
    session: { attribute: false },
    space: { attribute: false },
    board: { attribute: false },
    boardHash: { type: String },
    boardTitle: { type: String },
    nameScope: { type: String },
    post: { attribute: false },
    tag: { state: true },
    shownCount: { state: true },
    latestInView: { state: true },
  };
  static override styles = styles;
  declare session: Session | null;
  declare space: Space | null;
  /** The board the thread was opened from (its moderation applies), or null for a thread opened alone. */
  declare board: Space | null;
  /** Where "back" goes: the board's fragment, or '' for the start screen. */
  declare boardHash: string;
  declare boardTitle: string;
  /** Whose names these posts' names are checked against: the board's, or the thread's own. */
  declare nameScope: string;
  /** A post to show once it is on screen (a search result's). */
  declare post: string | null;
  private postShown: string | null = null;
  declare private tag: string | null;
  /** How many of the newest posts are rendered. */
  declare private shownCount: number;
  /** Whether the newest rendered post is on screen. */
  declare private latestInView: boolean;
  /** The newest post seen on the last visit, read when the thread opened; null on a first visit. */
  private seenBefore: number | null = null;
  /** The thread was scrolled to its reading place once it had posts. */
  private placed = false;
  private endWatch: LatestWatch | null = null;
  private readonly spaces = new SpaceController(this);
  private cache: { version: number; posts: RevisedPost[]; byId: Map<string, RevisedPost>; tags: string[]; names: Map<string, NameCheck> } | null = null;
  private names: NameBook | null = null;
  private mod: ThreadModeration | null = null;
  private watchPosts = new PostWatch();

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    for (const type of POST_ACTIONS) this.addEventListener(type, (e) => void this.onPostAction(e));
    this.session = null;
    this.space = null;
    this.board = null;
    this.boardHash = '';
    this.boardTitle = '';
    this.nameScope = '';
    this.post = null;
    this.tag = null;
    this.shownCount = PAGE;
    this.latestInView = true;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    this.spaces.watch([this.space, this.board]);
    if (changed.has('board') || changed.has('session')) this.mod = this.session ? new ThreadModeration(this.session, this.board) : null;
    if (changed.has('space')) {
      this.tag = null;
      this.watchPosts = new PostWatch();
      this.shownCount = PAGE;
      this.placed = false;
      this.seenBefore = this.space ? (this.session?.local.lastSeen(this.space.spaceId) ?? null) : null;
    }
    if (changed.has('tag')) this.shownCount = PAGE;
    // Before the thread is first placed: its page reaches back to the first post new since the last visit.
    const since = this.seenBefore;
    if (!this.placed && since !== null && this.space?.plain && this.session) {
      const me = toBase64url(this.session.client.identity.publicKey);
      const posts = this.posts().posts;
      const first = posts.findIndex((p) => p.ts > since && !(p.verified && p.author === me));
      if (first >= 0) this.shownCount = Math.min(MAX_FIRST_PAGE, Math.max(this.shownCount, posts.length - first));
    }
    if (changed.has('space') || changed.has('session')) resumeUploads(this.session, this.space);
    if (changed.has('space') || changed.has('nameScope') || changed.has('session')) {
      const local = this.session?.local;
      const scope = this.nameScope || this.space?.spaceId;
      this.names = local && scope ? new NameBook({ load: (s) => local.names(s), save: (s, n) => local.saveNames(s, n) }, scope) : null;
      this.cache = null;
    }
  }

  private posts() {
    const space = this.space!;
    if (this.cache?.version !== this.spaces.version) {
      const posts = boards.revisedPosts(space, this.watchPosts);
      this.mod?.refresh();
      const tags: string[] = [];
      for (const p of posts) for (const t of hashtags(p.body)) if (!tags.includes(t) && tags.length < MAX_TAG_CHIPS) tags.push(t);
      const names = this.names ? checkNames(this.names, space, posts) : new Map<string, NameCheck>();
      this.cache = { version: this.spaces.version, posts, byId: new Map(posts.map((p) => [p.id, p])), tags, names };
    }
    return this.cache;
  }

  private get compose(): BatonCompose | null {
    return this.renderRoot.querySelector('baton-compose');
  }

  private onCompose(e: CustomEvent<ComposeDetail>): void {
    if (this.session && this.space) void submitPost(this, this.session, this.space, this.compose, e.detail);
  }

  private onFile = (e: CustomEvent<FileRequest>): void => answerFileRequest(this.session, this.space, e);

  /** Runs what a post's buttons asked for (./moderation-view.ts); a refusal becomes a notice. */
  private onPostAction = async (e: Event): Promise<void> => {
    const action = this.mod && this.space ? postAction(this.mod, this.space, e) : null;
    if (!action) return;
    try {
      action.run();
      await Promise.all([this.space?.saved(), this.board?.saved()]);
      fire(this, 'baton-notice', { message: action.done });
    } catch (err) {
      fire(this, 'baton-notice', { message: `${action.failed}: ${failureReason(err)}`, kind: 'error' });
    }
    this.requestUpdate();
  };

  private describe = (postId: string): string => {
    const p = this.cache?.byId.get(postId);
    if (!p) return msg('a post', { id: 'thread.aPost' });
    const name = p.verified ? displayName(p.name) : msg('unknown author', { id: 'thread.unknownAuthor' });
    return `${name}: “${postExcerpt(p.body, 60)}”`;
  };

  private async showPost(postId: string): Promise<void> {
    // A reply's target may be on an older page: render down to it first.
    const shown = this.cache?.posts ?? [];
    const at = shown.findIndex((p) => p.id === postId);
    if (at >= 0 && shown.length - at > this.shownCount) {
      this.tag = null;
      this.shownCount = shown.length - at;
      await this.updateComplete;
    }
    const el = this.renderRoot.querySelector<BatonPost>(`baton-post[data-id="${CSS.escape(postId)}"]`);
    if (!el) return;
    // A post just put on the page has not rendered its inside yet.
    void el.updateComplete.then(() => {
      el.scrollIntoView({ block: 'center' });
      el.focusPost();
    });
  }

  override firstUpdated(): void {
    this.endWatch = new LatestWatch((inView) => (this.latestInView = inView));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.endWatch?.stop();
  }

  override updated(): void {
    this.endWatch?.watch(this.renderRoot);
    const { space, session } = this;
    const posts = this.cache?.posts ?? [];
    if (!space || !session || posts.length === 0) return;
    const newest = posts.reduce((m, p) => Math.max(m, p.ts), 0);
    session.local.saveLastSeen(space.spaceId, newest);
    // A post the link names (a search result's) is the reading place, once it is here.
    if (this.post && this.postShown !== this.post && this.cache?.byId.has(this.post)) {
      this.postShown = this.post;
      this.placed = true;
      void this.showPost(this.post);
      return;
    }
    if (this.placed) return;
    this.placed = true;
    goToReadingPlace(this.renderRoot);
  }

  override render() {
    const { session, space } = this;
    if (!session || !space) return nothing;
    if (!space.plain) return html`<p>${msg('This link lets this device carry the thread, not read it.', { id: 'thread.mirrorOnly' })}</p>`;
    const { posts, byId, tags, names } = this.posts();
    const title = boards.threadTitle(space);
    const me = toBase64url(session.client.identity.publicKey);
    const filtered = this.tag ? posts.filter((p) => hashtags(p.body).includes(this.tag!)) : posts;
    const shown = filtered.slice(Math.max(0, filtered.length - this.shownCount));
    const older = filtered.length - shown.length;
    const notShown = formatNumber(older);
    const newSince = msg('New since your last visit', { id: 'thread.newSince' });
    const since = this.seenBefore;
    const firstNew = since === null ? -1 : shown.findIndex((p) => p.ts > since && !(p.verified && p.author === me));
    const writable = space.access === 'write';
    return html`
      <nav>
        <a href=${this.boardHash || '#'}><span class="back">←</span> <bdi>${this.boardHash ? this.boardTitle || msg('Board', { id: 'nav.board' }) : msg('Start', { id: 'nav.start' })}</bdi></a>
      </nav>
      <div class="title">
        <h1 dir="auto">${withoutOverrides(title) || msg('Untitled thread', { id: 'start.untitledThread' })}</h1>
        <baton-share .space=${space} .linkBase=${session.linkBase(space.relays())}></baton-share>
      </div>
      ${title ? nothing : html`<p class="muted">${msg('Waiting for this thread to arrive from a relay…', { id: 'thread.waiting' })}</p>`}
      ${moderationNotes(this.mod)}
      <section class="card">
        <baton-summary .space=${space}></baton-summary>
        ${editorsLine(this.mod, space)}
      </section>
      <section aria-labelledby="posts-title">
        <h2 id="posts-title">${msg('Posts', { id: 'thread.posts' })} <span class="muted small">(${formatNumber(posts.length)})</span></h2>
        ${tags.length > 0
          ? html`<div class="chips" role="group" aria-label=${msg('Filter by hashtag', { id: 'thread.filterByTag' })}>
              ${tags.map((t) => html`<button type="button" aria-pressed=${this.tag === t ? 'true' : 'false'} @click=${() => (this.tag = this.tag === t ? null : t)} dir="auto">#${t}</button>`)}
              ${this.tag ? html`<button type="button" @click=${() => (this.tag = null)}>${msg('Show all', { id: 'thread.showAll' })}</button>` : nothing}
            </div>`
          : nothing}
        ${older > 0
          ? html`<button type="button" class="older" @click=${() => void keepTopPostStill(this.renderRoot, () => ((this.shownCount += PAGE), this.updateComplete))}>${msg(str`Show older posts (not shown: ${notShown})`, { id: 'thread.showOlder' })}</button>`
          : nothing}
        ${shown.length === 0 ? html`<p class="muted">${this.tag ? msg('No post has this hashtag.', { id: 'thread.noTaggedPost' }) : msg('No posts yet.', { id: 'thread.noPosts' })}</p>` : nothing}
        <ol
          class="posts"
          @baton-file=${this.onFile}
          @baton-reply=${(e: CustomEvent<{ postId: string }>) => this.compose?.reply(e.detail.postId)} @baton-tag=${(e: CustomEvent<{ tag: string }>) => (this.tag = e.detail.tag)} @baton-show-post=${(e: CustomEvent<{ postId: string }>) => this.showPost(e.detail.postId)}>
          ${shown.map((p, i) => {
            const target = p.replyTo ? byId.get(p.replyTo) : undefined;
            const replyTarget: ReplyTarget | null = target ? { id: target.id, name: target.verified ? displayName(target.name) : msg('unknown author', { id: 'thread.unknownAuthor' }), excerpt: postExcerpt(target.body, 70) } : null;
            const mine = p.verified && p.author === me;
            const ref = mine ? session.local.blobOf(space.spaceId, p.id) : null;
            return html`${i === firstNew ? html`<li class="new-since"><div role="separator" aria-label=${newSince}>${newSince}</div></li>` : nothing}<li class=${p.replyTo ? 'reply' : ''}>
              <baton-post
                data-id=${p.id}
                .post=${p}
                ?mine=${mine}
                .delivery=${ref ? deliveryOf(space, ref) : null}
                .replyTarget=${replyTarget}
                .nameCheck=${names.get(p.id) ?? null}
                ?canReply=${writable}
                ?canModerate=${this.mod?.canModerate ?? false}
                .hide=${this.mod?.hideOf(space.spaceId, p) ?? null}
                .role=${p.verified ? (this.mod?.role(p.author) ?? '') : ''}
                .keyCheck=${this.mod?.verified.check(p) ?? null}
              ></baton-post>
            </li>`;
          })}
        </ol>
        ${this.latestInView || shown.length === 0
          ? nothing
          : html`<div class="jump"><button type="button" @click=${() => jumpToLatest(this.renderRoot)}>${msg('Jump to latest', { id: 'thread.jumpToLatest' })} ↓</button></div>`}
      </section>
      <section class="compose card">
        ${writable
          ? html`<baton-compose
              .threadId=${space.spaceId}
              .local=${session.local}
              .describe=${this.describe}
              placeholder=${msg('Relays keep the discussion alive while hosts are blocked…', { id: 'thread.composePlaceholder' })}
              @baton-compose=${this.onCompose}
            ></baton-compose>`
          : html`<p class="muted">${msg('You have read access: you can read this thread but not post in it.', { id: 'thread.readOnly' })}</p>`}
      </section>
      <details class="relays card">
        <summary>${relaysSummary(space)}</summary>
        <baton-relays .session=${session} .space=${space}></baton-relays>
      </details>
    `;
  }
}

customElements.define('baton-thread', BatonThread);

declare global {
  interface HTMLElementTagNameMap {
    'baton-thread': BatonThread;
  }
}
