// A thread: its title, the summary edited together, posts in order with replies, hashtag
// filters, and the compose box. Our own posts show their delivery from relay receipts.
import { LitElement, html, nothing } from 'lit';
import { styles } from './styles.ts';
import { toBase64url } from '#shared';
import { NameBook, PostWatch, boards, checkNames, summaryEditors, type NameCheck, type RevisedPost, type Space } from '#client-core';
import { SpaceController } from '../../controllers/space-controller.ts';
import { fire, type ComposeDetail } from '../../events.ts';
import { deliveryOf, deliveryText } from '../../lib/delivery.ts';
import type { Session } from '../../lib/session.ts';
import { excerpt, hashtags, withoutOverrides } from '../../lib/text.ts';
import type { BatonCompose } from '../baton-compose/baton-compose.ts';
import type { ReplyTarget } from '../baton-post/baton-post.ts';
import '../baton-compose/baton-compose.ts';
import '../baton-post/baton-post.ts';
import '../baton-relays/baton-relays.ts';
import '../baton-share/baton-share.ts';
import '../baton-summary/baton-summary.ts';
import { ThreadModeration } from './moderation.ts';

/** Hashtag chips shown at most (a hostile post could carry thousands). */
const MAX_TAG_CHIPS = 40;

export class BatonThread extends LitElement {
  static override properties = {
    session: { attribute: false },
    space: { attribute: false },
    board: { attribute: false },
    boardHash: { type: String },
    boardTitle: { type: String },
    nameScope: { type: String },
    tag: { state: true },
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
  declare private tag: string | null;
  private readonly spaces = new SpaceController(this);
  private cache: { version: number; posts: RevisedPost[]; byId: Map<string, RevisedPost>; tags: string[]; names: Map<string, NameCheck> } | null = null;
  private names: NameBook | null = null;
  private mod: ThreadModeration | null = null;
  private watchPosts = new PostWatch();

  constructor() {
    super();
    this.session = null;
    this.space = null;
    this.board = null;
    this.boardHash = '';
    this.boardTitle = '';
    this.nameScope = '';
    this.tag = null;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    this.spaces.watch([this.space, this.board]);
    if (changed.has('space')) {
      this.tag = null;
      this.watchPosts = new PostWatch();
    }
    if (changed.has('board') || changed.has('session')) this.mod = this.session ? new ThreadModeration(this.session, this.board) : null;
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

  private async onCompose(e: CustomEvent<ComposeDetail>): Promise<void> {
    const { session, space } = this;
    if (!session || !space) return;
    try {
      const { id, written } = boards.post(session.client, space, { body: e.detail.body, ...(e.detail.replyTo ? { replyTo: e.detail.replyTo } : {}) });
      // Which blob carries the post, for its delivery mark after a reload too.
      const last = written.blobs.at(-1);
      if (last) session.local.saveBlobOf(space.spaceId, id, last);
      // The draft goes only once the post is in IndexedDB: a reload before that keeps it.
      await space.saved();
      this.compose?.sent();
    } catch (err) {
      this.compose?.failed();
      fire(this, 'baton-notice', { message: `Not posted: ${(err as Error).message}`, kind: 'error' });
    }
  }

  /** Runs a post action; a refusal becomes a notice. */
  private async act(what: string, run: () => void, done: string): Promise<void> {
    try {
      run();
      await Promise.all([this.space?.saved(), this.board?.saved()]);
      fire(this, 'baton-notice', { message: done });
    } catch (err) {
      fire(this, 'baton-notice', { message: `${what}: ${(err as Error).message}`, kind: 'error' });
    }
    this.requestUpdate();
  }

  private onEdit = (e: CustomEvent<{ postId: string; body: string }>) =>
    void this.act('Not edited', () => this.mod!.editPost(this.space!, e.detail.postId, e.detail.body), 'Your post is edited.');
  private onDelete = (e: CustomEvent<{ postId: string }>) =>
    void this.act('Not deleted', () => this.mod!.deletePost(this.space!, e.detail.postId), 'Your post is deleted.');
  private onHide = (e: CustomEvent<{ postId: string; reason: string; author?: string }>) =>
    void this.act(
      'Not hidden',
      () => this.mod!.hidePost(this.space!, e.detail.postId, e.detail.reason, e.detail.author),
      e.detail.author ? 'Every post of this key is hidden for everyone.' : 'The post is hidden for everyone.',
    );
  private onVerify = (e: CustomEvent<{ key: string; name: string; verified: boolean }>) => {
    const { key, name, verified } = e.detail;
    void this.act('Not saved', () => (verified ? this.mod!.verified.mark(key, name) : this.mod!.verified.unmark(key)), verified ? 'Marked verified on this device.' : 'No longer marked verified.');
  };

  /** What this device knows of the board's owner and of records it ignored. */
  private moderationNotes() {
    const mod = this.mod;
    const a = mod?.authority;
    if (!mod || !a) return nothing;
    const conflict = mod.owner?.conflict
      ? html`<p class="warning small" role="note">
          ⚠ The link you opened names another owner for this board (<span class="mono" dir="ltr">${mod.owner.linkOwner!.slice(0, 8)}</span>) than the one this
          device first saw (<span class="mono" dir="ltr">${mod.owner.owner!.slice(0, 8)}</span>). This device goes by the first.
        </p>`
      : nothing;
    const ignored = a.flagged.length > 0 ? html`<p class="muted small" role="note">${a.flagged.length} moderation record(s) by keys without authority were ignored.</p>` : nothing;
    return html`${conflict}${ignored}`;
  }

  private describe = (postId: string): string => {
    const p = this.cache?.byId.get(postId);
    return p ? `${p.verified ? p.name || 'anonymous' : 'unknown author'}: “${excerpt(p.body, 60)}”` : 'a post';
  };

  private showPost(postId: string): void {
    const el = this.renderRoot.querySelector<HTMLElement>(`baton-post[data-id="${CSS.escape(postId)}"]`);
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    el.focus();
  }

  /** Whose changes to the summary are newest, so a rewrite is attributable. */
  private editorsLine(space: Space) {
    const keys = summaryEditors(space, 3);
    if (keys.length === 0) return nothing;
    return html`<p class="small muted">
      Summary last changed by
      ${keys.map((k, i) => html`${i > 0 ? ', ' : ''}<span class="mono" dir="ltr" title=${k}>${k.slice(0, 8)}</span>${this.mod?.role(k) ? ` (${this.mod.role(k)})` : ''}`)}
    </p>`;
  }

  override render() {
    const { session, space } = this;
    if (!session || !space) return nothing;
    if (!space.plain) return html`<p>This link lets this device carry the thread, not read it.</p>`;
    const { posts, byId, tags, names } = this.posts();
    const title = boards.threadTitle(space);
    const me = toBase64url(session.client.identity.publicKey);
    const shown = this.tag ? posts.filter((p) => hashtags(p.body).includes(this.tag!)) : posts;
    const writable = space.access === 'write';
    return html`
      <nav>
        <a href=${this.boardHash || '#'}>← ${this.boardHash ? this.boardTitle || 'Board' : 'Start'}</a>
      </nav>
      <div class="title">
        <h1 dir="auto">${withoutOverrides(title) || 'Untitled thread'}</h1>
        <baton-share .space=${space} .linkBase=${session.linkBase(space.relays())}></baton-share>
      </div>
      ${title ? nothing : html`<p class="muted">Waiting for this thread to arrive from a relay…</p>`}
      ${this.moderationNotes()}
      <section class="card">
        <baton-summary .space=${space}></baton-summary>
        ${this.editorsLine(space)}
      </section>
      <section aria-labelledby="posts-title">
        <h2 id="posts-title">Posts <span class="muted small">(${posts.length})</span></h2>
        ${tags.length > 0
          ? html`<div class="chips" role="group" aria-label="Filter by hashtag">
              ${tags.map((t) => html`<button type="button" aria-pressed=${this.tag === t ? 'true' : 'false'} @click=${() => (this.tag = this.tag === t ? null : t)} dir="auto">#${t}</button>`)}
              ${this.tag ? html`<button type="button" @click=${() => (this.tag = null)}>Show all</button>` : nothing}
            </div>`
          : nothing}
        ${shown.length === 0 ? html`<p class="muted">${this.tag ? 'No post has this hashtag.' : 'No posts yet.'}</p>` : nothing}
        <ol
          class="posts"
          @baton-post-edit=${this.onEdit}
          @baton-post-delete=${this.onDelete}
          @baton-post-hide=${this.onHide}
          @baton-verify-key=${this.onVerify}
          @baton-reply=${(e: CustomEvent<{ postId: string }>) => this.compose?.reply(e.detail.postId)} @baton-tag=${(e: CustomEvent<{ tag: string }>) => (this.tag = e.detail.tag)} @baton-show-post=${(e: CustomEvent<{ postId: string }>) => this.showPost(e.detail.postId)}>
          ${shown.map((p) => {
            const target = p.replyTo ? byId.get(p.replyTo) : undefined;
            const replyTarget: ReplyTarget | null = target ? { id: target.id, name: target.verified ? target.name || 'anonymous' : 'unknown author', excerpt: excerpt(target.body, 70) } : null;
            const mine = p.verified && p.author === me;
            const ref = mine ? session.local.blobOf(space.spaceId, p.id) : null;
            return html`<li class=${p.replyTo ? 'reply' : ''}>
              <baton-post
                tabindex="-1"
                data-id=${p.id}
                .post=${p}
                ?mine=${mine}
                .delivery=${ref ? deliveryText(deliveryOf(space, ref)) : ''}
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
      </section>
      <section class="compose card">
        ${writable
          ? html`<baton-compose
              .threadId=${space.spaceId}
              .local=${session.local}
              .describe=${this.describe}
              placeholder="Relays keep the discussion alive while hosts are blocked…"
              @baton-compose=${this.onCompose}
            ></baton-compose>`
          : html`<p class="muted">You have read access: you can read this thread but not post in it.</p>`}
      </section>
      <details class="relays card">
        <summary>Relays (${space.statuses().filter((s) => s.state === 'synced').length} of ${space.relays().length} synced)</summary>
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
