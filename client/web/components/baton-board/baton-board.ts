// A board: its threads (title, last activity, post count, posts new since this device last
// showed the thread; most recently active first),
// a new-thread form, the relays panel, sharing and bundle export.
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { styles } from './styles.ts';
import { postsMap, toBase64url, type SpaceId } from '#shared';
import { boards, exportBundle, openLinkedFiles, type Space } from '#client-core';
import { SpaceController } from '../../controllers/space-controller.ts';
import { fire } from '../../events.ts';
import { downloadText, fileSafe } from '../../lib/download.ts';
import { routeHash } from '../../lib/route.ts';
import { withoutOverrides } from '../../lib/text.ts';
import type { Session } from '../../lib/session.ts';
import { formatDate, formatNumber } from '../../l10n/format.ts';
import '../baton-moderators/baton-moderators.ts';
import '../baton-relays/baton-relays.ts';
import '../baton-remove/baton-remove.ts';
import '../baton-share/baton-share.ts';
import '../baton-search/baton-search.ts';
import { failureReason } from '../../lib/failure.ts';

/** Threads whose spaces are opened for their post counts (each is a few sockets). */
const MAX_OPEN_THREADS = 60;

interface Row {
  id: SpaceId;
  title: string;
  posts: number | null;
  last: number;
  /** Posts by others since this device last showed the thread (all of them before its first visit). */
  unread: number;
}

/** A thread's post count, or that it is still opening. */
function unreadCount(n: number): string {
  const count = formatNumber(n);
  return msg(str`new: ${count}`, { id: 'board.unread' });
}

function postCount(posts: number | null): string {
  if (posts === null) return msg('opening…', { id: 'board.opening' });
  if (posts === 1) return msg('1 post', { id: 'board.onePost' });
  const count = formatNumber(posts);
  return msg(str`${count} posts`, { id: 'board.posts' });
}

export class BatonBoard extends LitElement {
  static override properties = {
    session: { attribute: false },
    space: { attribute: false },
    capText: { type: String },
    busy: { state: true },
  };
  static override styles = styles;
  declare session: Session | null;
  declare space: Space | null;
  /** The capability text this board was opened with (thread links extend it). */
  declare capText: string;
  declare private busy: boolean;
  private readonly spaces = new SpaceController(this);
  private readonly threads = new Map<SpaceId, Space>();
  private readonly opening = new Set<SpaceId>();

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.session = null;
    this.space = null;
    this.capText = '';
    this.busy = false;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('space')) {
      this.threads.clear();
      this.opening.clear();
    }
    this.spaces.watch([this.space, ...this.threads.values()]);
  }

  override updated(): void {
    this.openThreads();
  }

  /** Opens the newest threads for their stats, and keeps them on the board's relays. */
  private openThreads(): void {
    const { session, space } = this;
    if (!session || !space?.plain) return;
    for (const t of boards.listThreads(space).slice(0, MAX_OPEN_THREADS)) {
      const open = this.threads.get(t.id);
      if (open) {
        // only for a relay the thread lacks (connect() announces only a relay it did not have)
        const missing = space.relays().filter((r) => !open.relays().includes(r));
        if (missing.length > 0) open.connect(missing);
        continue;
      }
      if (this.opening.has(t.id)) continue;
      this.opening.add(t.id);
      boards
        .openThread(session.client, space, t.id)
        .then((thread) => {
          if (this.space !== space) return;
          this.threads.set(t.id, thread);
          this.requestUpdate();
        })
        .catch(() => {
          // an entry that does not open (a hostile or damaged one) keeps showing without stats
        });
    }
  }

  private rows(space: Space): Row[] {
    const me = this.session ? toBase64url(this.session.client.identity.publicKey) : '';
    return boards
      .listThreads(space)
      .map((t) => {
        const thread = this.threads.get(t.id);
        let posts: number | null = null;
        let last = t.createdAt;
        let unread = 0;
        const seen = this.session?.local.lastSeen(t.id) ?? -Infinity;
        if (thread?.plain) {
          const map = postsMap(thread.plain);
          posts = map.size;
          map.forEach((p) => {
            const { ts, author } = (p ?? {}) as { ts?: unknown; author?: unknown };
            if (typeof ts === 'number' && ts > last && ts < Date.now() + 86_400_000) last = ts;
            if (typeof ts === 'number' && ts > seen && author !== me) unread++;
          });
        }
        return { id: t.id, title: t.title, posts, last, unread };
      })
      .sort((a, b) => b.last - a.last);
  }

  private async newThread(e: Event): Promise<void> {
    e.preventDefault();
    const { session, space } = this;
    const input = (e.target as HTMLFormElement).querySelector('input')!;
    const title = input.value.trim();
    if (!session || !space || !title) return;
    this.busy = true;
    try {
      const { id } = await boards.createThread(session.client, space, { title });
      input.value = '';
      fire(this, 'baton-navigate', { hash: routeHash(this.capText, id) });
    } catch (err) {
      const reason = failureReason(err);
      fire(this, 'baton-notice', { message: msg(str`No thread created: ${reason}`, { id: 'board.threadNotCreated' }), kind: 'error' });
    } finally {
      this.busy = false;
    }
  }

  private async exportBoard(): Promise<void> {
    const { session, space } = this;
    if (!session || !space) return;
    try {
      const spaces = [space];
      if (space.plain) for (const t of boards.listThreads(space)) spaces.push(this.threads.get(t.id) ?? (await boards.openThread(session.client, space, t.id)));
      // The files the threads link travel too, as stored here and as the relays hold them.
      const files = await openLinkedFiles(session.client, spaces.slice(1));
      await Promise.allSettled(files.map((f) => f.whenSynced({ timeoutMs: 10_000 })));
      const title = space.plain ? boards.boardTitle(space) : '';
      downloadText(`${fileSafe(title, 'board')}.baton`, exportBundle([...spaces, ...files]));
      for (const f of files) void session.client.closeSpace(f.spaceId);
      fire(this, 'baton-notice', { message: msg('Bundle saved: the board’s locked data, without its keys. Whoever imports it also needs a link.', { id: 'board.bundleSaved' }) });
    } catch (err) {
      const reason = failureReason(err);
      fire(this, 'baton-notice', { message: msg(str`Export failed: ${reason}`, { id: 'board.exportFailed' }), kind: 'error' });
    }
  }

  override render() {
    const { session, space } = this;
    if (!session || !space) return nothing;
    if (!space.plain) {
      return html`<h1>${msg('Mirrored board', { id: 'board.mirroredTitle' })}</h1>
        <p>${msg('This is a mirror link: this device carries the board’s locked data to its relays but cannot read it.', { id: 'board.mirroredBody' })}</p>
        <section class="card"><baton-relays .session=${session} .space=${space}></baton-relays></section>`;
    }
    const title = boards.boardTitle(space);
    const rows = this.rows(space);
    const writable = space.access === 'write';
    return html`
      <nav><a href="#"><span class="back">←</span> ${msg('Start', { id: 'nav.start' })}</a></nav>
      <div class="title">
        <h1 dir="auto">${withoutOverrides(title) || msg('Untitled board', { id: 'start.untitledBoard' })}</h1>
        <div class="tools">
          <baton-share .space=${space} .linkBase=${session.linkBase(space.relays())}></baton-share>
          <button type="button" @click=${this.exportBoard}>${msg('Export bundle', { id: 'board.export' })}</button>
          <baton-remove .session=${session} .space=${space}></baton-remove>
        </div>
      </div>
      <p class="small muted">
        ${writable ? msg('You can read and write here.', { id: 'board.canWrite' }) : msg('You can read this board but not write to it.', { id: 'board.canRead' })}
        ${title ? '' : msg('Waiting for the board to arrive from a relay…', { id: 'board.waiting' })}
      </p>
      <div class="layout">
        <div>
          ${writable
            ? html`<form class="card" @submit=${this.newThread}>
                <div class="row">
                  <div class="grow">
                    <label for="thread-title">${msg('Thread title', { id: 'board.threadTitle' })}</label>
                    <input id="thread-title" dir="auto" required maxlength="300" placeholder=${msg('Mirrors for the spring campaign', { id: 'board.threadTitlePlaceholder' })} />
                  </div>
                  <button type="submit" class="primary" ?disabled=${this.busy}>${msg('New thread', { id: 'board.newThread' })}</button>
                </div>
              </form>`
            : nothing}
          <section class="card"><baton-search .session=${session} .space=${space} .capText=${this.capText}></baton-search></section>
          <section class="card" aria-labelledby="threads-title">
            <h2 id="threads-title">${msg('Threads', { id: 'board.threads' })} <span class="muted small">(${formatNumber(rows.length)})</span></h2>
            ${rows.length === 0 ? html`<p class="muted">${msg('No threads yet.', { id: 'board.noThreads' })}</p>` : nothing}
            <ol class="threads">
              ${rows.map(
                (r) => html`<li>
                  <a href=${routeHash(this.capText, r.id)}>
                    <span class="t" dir="auto">${withoutOverrides(r.title) || msg('Untitled thread', { id: 'start.untitledThread' })}</span>
                    <span class="meta small muted"
                      >${postCount(r.posts)}${r.unread > 0 ? html` · <strong class="unread">${unreadCount(r.unread)}</strong>` : nothing} · ${msg('last activity', { id: 'board.lastActivity' })}
                      <time datetime=${new Date(r.last).toISOString()}>${formatDate(new Date(r.last))}</time></span
                    >
                  </a>
                </li>`,
              )}
            </ol>
          </section>
        </div>
        <div class="side">
          <section class="card" id="relays">
            <baton-relays .session=${session} .space=${space}></baton-relays>
          </section>
          <section class="card" id="moderators">
            <baton-moderators .session=${session} .space=${space}></baton-moderators>
          </section>
        </div>
      </div>
    `;
  }
}

customElements.define('baton-board', BatonBoard);

declare global {
  interface HTMLElementTagNameMap {
    'baton-board': BatonBoard;
  }
}
