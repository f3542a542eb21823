// The app shell: starts the session, follows the #fragment (start, board, thread), shows
// notices and the connection state of what is on screen.
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { styles } from './styles.ts';
import { bytesEqual, formatCapability, withRelays, type Capability, type SpaceId } from '#shared';
import { ClientError, boards, type ClientProblem, type Space, type Vault } from '#client-core';
import { SpaceController } from '../../controllers/space-controller.ts';
import type { NoticeDetail } from '../../events.ts';
import { parseRoute, routeHash } from '../../lib/route.ts';
import { Session } from '../../lib/session.ts';
import { nothingDecrypted, undecryptedSpace } from '../../lib/wrong-key.ts';
import { wrongKeyCard } from './cards.ts';
import { keepOwnRelays } from '../../lib/own-relays.ts';
import { relayBanner } from './banner.ts';
import { storeFetchedThread, threadFirstScreen } from './first-screen.ts';
import { reportScreen } from './settled.ts';
import { appHeader } from './header.ts';
import { LockController, addressOf, isLocked, keyFreeHash, unlockScreen } from './lock-controller.ts';
import { postsArrive, threadArrives } from './thread-arrives.ts';
import { movedScreen, showOldBoard } from './moved.ts';
import type { Notice, View } from './view.ts';
import '../baton-board/baton-board.ts';
import '../baton-guide/baton-guide.ts';
import { guideSeen, markGuideSeen } from '../baton-guide/seen.ts';
import '../baton-preview/baton-preview.ts';
import '../baton-start/baton-start.ts';
import '../baton-thread/baton-thread.ts';
import { failureReason } from '../../lib/failure.ts';

export class BatonApp extends LitElement {
  static override properties = { view: { state: true }, notices: { state: true }, online: { state: true }, undecrypted: { state: true }, noticesOnTop: { state: true }, guide: { state: true } };
  static override styles = styles;
  declare private view: View;
  declare private notices: Notice[];
  declare private online: boolean;
  /** Spaces some of whose signed data did not decrypt with the key this device holds. */
  declare private undecrypted: ReadonlySet<SpaceId>;
  /** The notices move to the top while a compose box is where they would be. */
  declare private noticesOnTop: boolean;
  /** "How Baton works" is shown above the screen: by itself on the first start screen, or when asked. */
  declare private guide: boolean;
  private session: Session | null = null;
  private bootMessage = '';
  private readonly spaces = new SpaceController(this);
  private seq = 0;
  private noticeId = 0;
  private remembered = new Map<string, string>();
  private problemShown = false;
  private readonly onHash = () => void this.go(false);
  private readonly lock = new LockController(this, () => this.session, (hash) => this.navigate(hash));
  private readonly onOnline = () => (this.online = navigator.onLine);
  private placing = 0;
  private readonly onLayout = () => {
    if (!this.placing) this.placing = requestAnimationFrame(() => ((this.placing = 0), this.placeNotices()));
  };

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.view = { kind: 'starting' };
    this.notices = [];
    this.online = navigator.onLine;
    this.undecrypted = new Set();
    this.noticesOnTop = false;
    this.guide = false;
    this.addEventListener('baton-navigate', (e) => this.navigate(e.detail.hash));
    this.addEventListener('baton-guide-done', () => this.closeGuide());
    this.addEventListener('baton-notice', (e) => this.notify(e.detail));
    this.addEventListener('baton-show-old', (e) => showOldBoard(e.detail.spaceId, this));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // index.html's loading screen goes (its words stay, main.ts named what is opening); a first
    // look the first script drew stays in its slot.
    this.bootMessage = document.getElementById('boot-status')?.textContent ?? '';
    for (const boot of this.querySelectorAll(':scope > .boot-header, :scope > main.boot')) boot.remove();
    addEventListener('hashchange', this.onHash);
    addEventListener('online', this.onOnline);
    addEventListener('offline', this.onOnline);
    addEventListener('scroll', this.onLayout, { passive: true });
    addEventListener('resize', this.onLayout);
    if (!this.session) void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('hashchange', this.onHash);
    removeEventListener('online', this.onOnline);
    removeEventListener('offline', this.onOnline);
    removeEventListener('scroll', this.onLayout);
    removeEventListener('resize', this.onLayout);
  }

  private async start(vault?: Vault): Promise<void> {
    try {
      if (!vault && isLocked()) return void (this.view = await unlockScreen()); // until the passphrase gives the vault
      this.session = await Session.start({ vault });
      this.session.problems.add((problem) => this.problem(problem));
      // Seal and hand over whatever is pending before the page goes away.
      addEventListener('pagehide', () => this.session?.client.flush());
      this.lock.started(this.session);
      await this.go(true);
      if (this.view.kind === 'start' && !guideSeen()) this.guide = true;
    } catch (err) {
      const reason = failureReason(err);
      this.view = { kind: 'error', message: msg(str`Baton could not start: ${reason}`, { id: 'app.couldNotStart' }) };
    }
  }

  /**
   * Signed data that does not decrypt, in a space where nothing has: the link's key is not the
   * board's (a mistyped link), which the screen says in place of the board, with no alarm.
   * Anything else refused is damaged or forged, and said once per screen.
   */
  private problem(problem: ClientProblem): void {
    console.warn('Baton:', problem); // the values, for developers; the screen says it in the reader's words
    const id = undecryptedSpace(problem);
    const space = id ? this.session?.client.get(id) : undefined;
    if (id && (!space || nothingDecrypted(space))) {
      if (!this.undecrypted.has(id)) this.undecrypted = new Set([...this.undecrypted, id]);
      return;
    }
    if (!this.problemShown) this.notify({ message: msg('Some data from a relay or from this device was refused as damaged or forged.', { id: 'app.refused' }), kind: 'error' });
    this.problemShown = true;
  }

  /** The key of this link does not open the space: its data arrived and none of it decrypted. */
  private wrongKey(space: Space): boolean {
    return this.undecrypted.has(space.spaceId) && nothingDecrypted(space);
  }

  private navigate(hash: string): void {
    const next = keyFreeHash(this.session?.handles, hash);
    if (location.hash === next || (next === '#' && location.hash === '')) void this.go(false);
    else location.hash = next;
  }

  private notify(n: NoticeDetail): void {
    const id = ++this.noticeId;
    this.notices = [...this.notices.slice(-2), { ...n, id }];
    setTimeout(() => (this.notices = this.notices.filter((x) => x.id !== id)), n.kind === 'error' ? 10_000 : 5000);
  }

  /**
   * Shows what the fragment names. A link the page was opened with evidently reached us
   * through the relay that served the page, which joins its relays; navigation inside the
   * app, and a reload of a page the app itself went to, add nothing.
   */
  private async go(pageLoad: boolean): Promise<void> {
    const session = this.session;
    if (!session) return;
    const seq = ++this.seq;
    // Notices belong to the screen they were raised on; so does a guide opened on it.
    this.notices = [];
    this.guide = false;
    this.problemShown = false;
    const address = await addressOf(session.handles, pageLoad, (message) => this.notify({ message }));
    if (address.view) return void (seq === this.seq && (this.view = address.view));
    const route = parseRoute(address.text, address.internal ? null : session.servingRelay);
    if (route.view === 'start') {
      this.view = { kind: 'start' };
      return;
    }
    if (route.view === 'error') {
      const reason = route.message;
      this.view = { kind: 'error', message: msg(str`This link does not open: ${reason}`, { id: 'app.linkDoesNotOpen' }) };
      return;
    }
    this.view = { kind: 'loading', message: route.cap.kind === 'board' ? msg('Opening the board…', { id: 'app.openingBoard' }) : msg('Opening the thread…', { id: 'app.openingThread' }) };
    try {
      if (route.cap.kind === 'thread') await this.showPreview(seq, route.cap, '', '', route.cap.spaceId);
      await storeFetchedThread(session.client, route.cap);
      const space = await session.client.open(route.cap);
      if (seq !== this.seq) return;
      // Open with another key (a mistyped link, then the right one): a fresh page opens it anew.
      if (route.cap.readKey && space.cap.readKey && !bytesEqual(route.cap.readKey, space.cap.readKey)) return location.reload();
      this.remember(space);
      if (route.thread && space.plain) {
        this.view = { kind: 'loading', message: msg('Looking for this thread on the board’s relays…', { id: 'app.lookingForThread' }) };
        await threadArrives(space, route.thread);
        if (seq !== this.seq) return;
        await this.showPreview(seq, boards.threadCapability(space, route.thread), routeHash(route.text), boards.boardTitle(space), space.spaceId);
        const thread = await boards.openThread(session.client, space, route.thread);
        await postsArrive(thread, this.firstScreenShown());
        if (seq !== this.seq) return;
        this.view = { kind: 'thread', space: thread, board: space, boardHash: routeHash(route.text), post: route.post };
      } else if (space.cap.kind === 'board') {
        this.view = { kind: 'board', space, capText: route.text };
      } else {
        await postsArrive(space, this.firstScreenShown());
        if (seq !== this.seq) return;
        this.view = { kind: 'thread', space, board: null, boardHash: '', post: route.post };
      }
    } catch (err) {
      if (seq !== this.seq) return;
      // A link with more access to a space already open with less: a fresh page opens it anew.
      if (err instanceof ClientError && err.reason === 'already-open') return location.reload();
      this.view = { kind: 'error', message: failureReason(err) };
    }
  }

  private firstScreenShown = () => this.view.kind === 'preview' || this.querySelector(':scope > .first-look') !== null;

  /** While a thread loads, its first screen (first-screen.ts), if there is one. */
  private async showPreview(seq: number, cap: Capability, boardHash: string, boardTitle: string, nameScope: string): Promise<void> {
    const found = this.session ? await threadFirstScreen(this.session.client, cap, () => seq === this.seq) : null;
    if (!found || seq !== this.seq || this.view.kind !== 'loading') return;
    this.view = { kind: 'preview', ...found, boardHash, boardTitle, nameScope };
  }

  /** Keeps the list of spaces opened on this device, with their current titles. */
  private remember(space: Space): void {
    // A link whose key opened nothing yet must not replace a link to the same space that worked.
    if (nothingDecrypted(space) && this.session?.local.knownSpaces().some((k) => k.spaceId === space.spaceId)) return;
    const title = space.plain ? (space.cap.kind === 'board' ? boards.boardTitle(space) : boards.threadTitle(space)) : '';
    if (this.remembered.get(space.spaceId) === title) return;
    this.remembered.set(space.spaceId, title);
    this.session?.local.remember({
      spaceId: space.spaceId,
      kind: space.cap.kind,
      cap: formatCapability(withRelays(space.cap, space.relays())),
      level: space.access,
      title,
      openedAt: Date.now(),
    });
  }

  /** After moving to another screen, start reading at its top (screen readers and keyboards too). */
  override updated(changed: Map<string, unknown>): void {
    if (changed.has('notices')) this.onLayout();
    reportScreen(this.view);
    if (!changed.has('view')) return;
    const before = changed.get('view') as View | undefined;
    if (!before || before.kind === 'starting' || this.view.kind === 'loading' || this.view.kind === 'preview') return;
    if (before.kind === 'preview' && this.view.kind === 'thread') return; // the same thread, now whole: keep the reader's place
    this.toTop();
  }

  private toTop(): void {
    scrollTo(0, 0);
    this.renderRoot.querySelector('main')?.focus({ preventScroll: true });
  }

  private current(): Space | null {
    return this.view.kind === 'board' || this.view.kind === 'thread' ? this.view.space : null;
  }

  override willUpdate(): void {
    const v = this.view;
    this.spaces.watch(v.kind === 'thread' ? [v.space, v.board] : [this.current()]);
    // Relays the person added on this device stay dialled (lib/own-relays.ts).
    if (this.session && (v.kind === 'thread' || v.kind === 'board')) keepOwnRelays(this.session.local, v.kind === 'thread' ? v.board : null, v.space);
    if (v.kind === 'board') this.remember(v.space);
    if (v.kind === 'thread' && v.board) {
      this.remember(v.board);
      // A thread follows its board to relays added since it was opened (connect() announces only a relay it did not have).
      const missing = v.board.relays().filter((r) => !v.space.relays().includes(r));
      if (missing.length > 0) v.space.connect(missing);
    }
    if (v.kind === 'thread' && !v.board) this.remember(v.space);
  }

  private body() {
    const v = this.view;
    const session = this.session;
    if (v.kind === 'locked' || v.kind === 'safety') return this.lock.screen(v.kind, (vault) => void this.start(vault));
    switch (v.kind) {
      case 'starting':
        return this.loading(this.bootMessage || msg('Starting…', { id: 'app.starting' }));
      case 'loading':
        return this.loading(v.message);
      case 'preview':
        return html`<baton-preview .session=${session} .preview=${v.preview} .source=${v.source} .boardHash=${v.boardHash} .boardTitle=${v.boardTitle} .nameScope=${v.nameScope}></baton-preview>`;
      case 'error':
        return html`<div class="card" role="alert"><h1>${msg('Something went wrong', { id: 'app.wentWrong' })}</h1><p>${v.message}</p><p><a href="#">${msg('Back to the start', { id: 'app.backToStart' })}</a></p></div>`;
      case 'start':
        return html`<baton-start .session=${session}></baton-start>`;
      case 'board':
        if (this.wrongKey(v.space)) return wrongKeyCard(v.space.cap.kind === 'board' ? 'board' : 'thread');
        return movedScreen(this.session, v.space) ?? html`<baton-board .session=${session} .space=${v.space} .capText=${v.capText}></baton-board>`;
      case 'thread':
        if (this.wrongKey(v.space)) return wrongKeyCard(v.space.cap.kind === 'board' ? 'board' : 'thread');
        return movedScreen(this.session, v.board) ?? html`<baton-thread
          .session=${session}
          .space=${v.space} .board=${v.board ?? null}
          .boardHash=${v.boardHash}
          .boardTitle=${v.board?.plain ? boards.boardTitle(v.board) : ''}
          .nameScope=${v.board?.spaceId ?? v.space.spaceId}
          .post=${v.post ?? null}
        ></baton-thread>`;
    }
  }

  /** A loading state, or the thread's first look the page's first script drew, while there is one (main.ts). */
  private loading(message: string) {
    return html`<slot name="first-screen"><p role="status">${message}</p><div class="loading-bar" aria-hidden="true"></div></slot>`;
  }

  private async openGuide(): Promise<void> {
    this.guide = true;
    await this.updateComplete;
    scrollTo(0, 0);
    await this.renderRoot.querySelector('baton-guide')?.restart();
  }

  private closeGuide(): void {
    markGuideSeen();
    this.guide = false;
    this.renderRoot.querySelector('main')?.focus({ preventScroll: true });
  }

  /** Notices sit at the bottom of the screen, or at the top while a compose box is down there. */
  private placeNotices(): void {
    const compose = this.renderRoot.querySelector('baton-thread')?.shadowRoot?.querySelector('baton-compose');
    const box = this.renderRoot.querySelector('.notices');
    if (!compose || !box || this.notices.length === 0) {
      this.noticesOnTop = false;
      return;
    }
    const c = compose.getBoundingClientRect();
    const height = box.getBoundingClientRect().height + 24;
    this.noticesOnTop = c.bottom > innerHeight - height && c.top < innerHeight;
  }

  override render() {
    return html`
      ${appHeader(this.session?.name ?? null, (this.current()?.access ?? 'write') === 'write', () => void this.openGuide(), this.lock.header())}
      ${relayBanner(this.online, this.current())}
      <main tabindex="-1">${this.guide ? html`<baton-guide></baton-guide>` : nothing}${this.body()}</main>
      <div class="notices ${this.noticesOnTop ? 'top' : ''}" aria-live="polite">
        ${this.notices.map(
          (n) => html`<div class="notice ${n.kind === 'error' ? 'error' : ''}" role=${n.kind === 'error' ? 'alert' : 'status'}>
            <span>${n.message}</span>
            <button type="button" aria-label=${msg('Dismiss', { id: 'app.dismiss' })} @click=${() => (this.notices = this.notices.filter((x) => x.id !== n.id))}>✕</button>
          </div>`,
        )}
      </div>
    `;
  }
}

customElements.define('baton-app', BatonApp);

declare global {
  interface HTMLElementTagNameMap {
    'baton-app': BatonApp;
  }
}
