// The start screen: create a board, open a link or capability, import a bundle, and the
// boards and threads this device has opened.
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { styles } from './styles.ts';
import { formatCapability, parseRoomName } from '#shared';
import { boards, importBundle } from '#client-core';
import { fire } from '../../events.ts';
import { linkProblem } from '../../lib/link-words.ts';
import { routeHash } from '../../lib/route.ts';
import { parsePasted } from '../../lib/share-links.ts';
import { withoutOverrides } from '../../lib/text.ts';
import type { Session } from '../../lib/session.ts';
import { formatNumber } from '../../l10n/format.ts';
import '../baton-identity/baton-identity.ts';
import { ShownError, failureReason } from '../../lib/failure.ts';

/** What an import added, in a person's words: every blob is a post, a title or another change. */
function importedWords(added: number): string {
  if (added === 0) return msg('Nothing new: this device already had everything in this file.', { id: 'start.importedNothing' });
  if (added === 1) return msg('Imported 1 new post or change.', { id: 'start.importedOne' });
  const count = formatNumber(added);
  return msg(str`Imported ${count} new posts and changes.`, { id: 'start.imported' });
}

/** What a remembered link is and what it lets this device do. */
function knownWhat(kind: 'board' | 'thread', level: string): string {
  const board = kind === 'board';
  if (level === 'write') return board ? msg('board, can write', { id: 'start.boardWrite' }) : msg('thread, can write', { id: 'start.threadWrite' });
  if (level === 'read') return board ? msg('board, read only', { id: 'start.boardRead' }) : msg('thread, read only', { id: 'start.threadRead' });
  return board ? msg('board, carried only', { id: 'start.boardMirror' }) : msg('thread, carried only', { id: 'start.threadMirror' });
}

export class BatonStart extends LitElement {
  static override properties = { session: { attribute: false }, busy: { state: true }, error: { state: true }, imported: { state: true } };
  static override styles = styles;
  declare session: Session | null;
  declare private busy: boolean;
  declare private error: string;
  declare private imported: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.session = null;
    this.busy = false;
    this.error = '';
    this.imported = '';
  }

  private async create(e: Event): Promise<void> {
    e.preventDefault();
    const session = this.session!;
    const form = e.target as HTMLFormElement;
    const title = (form.elements.namedItem('title') as HTMLInputElement).value.trim();
    const relays = (form.elements.namedItem('relays') as HTMLTextAreaElement).value
      .split(/[\s,]+/)
      .map((r) => r.trim())
      .filter(Boolean);
    this.busy = true;
    this.error = '';
    try {
      if (!session.servingRelay && relays[0]) session.local.saveRelay(relays[0]);
      const { caps } = await boards.createBoard(session.client, { title, relays });
      fire(this, 'baton-navigate', { hash: routeHash(caps.write) });
    } catch (err) {
      const reason = failureReason(err);
      this.error = msg(str`No board created: ${reason}`, { id: 'start.notCreated' });
    } finally {
      this.busy = false;
    }
  }

  private open(e: Event): void {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).querySelector('textarea')!;
    try {
      // A web link's relay joins the capability's relays: it evidently carries the space.
      const cap = parsePasted(input.value);
      fire(this, 'baton-navigate', { hash: routeHash(formatCapability(cap)) });
      this.error = '';
    } catch (err) {
      this.error = linkProblem(err);
    }
  }

  /** The field takes several lines (a pasted share text), yet Enter opens, as in a one-line field. */
  private enterOpens(e: KeyboardEvent): void {
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing) return;
    e.preventDefault();
    (e.target as HTMLTextAreaElement).form?.requestSubmit();
  }

  private async importFile(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file || !this.session) return;
    this.error = '';
    this.imported = '';
    try {
      if (file.size > 64 * 1024 * 1024) throw new ShownError('too-large', msg('the file is larger than 64 MiB', { id: 'start.fileTooLarge' }));
      const rooms = await importBundle(this.session.client.store, await file.text());
      const ids = new Set<string>(rooms.map((r) => parseRoomName(r.room)?.spaceId ?? ''));
      const known = this.session.local.knownSpaces().filter((s) => ids.has(s.spaceId));
      const added = rooms.reduce((n, r) => n + r.added, 0);
      const titles = known.map((k) => `“${k.title || (k.kind === 'board' ? msg('Untitled board', { id: 'start.untitledBoard' }) : msg('Untitled thread', { id: 'start.untitledThread' }))}”`).join(', ');
      this.imported = `${importedWords(added)} ${known.length > 0 ? msg(str`It holds ${titles}: open it below.`, { id: 'start.importHolds' }) : msg('Open the board with its link to read it.', { id: 'start.importOpenWithLink' })}`;
    } catch (err) {
      const reason = failureReason(err);
      this.error = msg(str`Bundle not imported: ${reason}`, { id: 'start.notImported' });
    } finally {
      input.value = '';
    }
  }

  override render() {
    const session = this.session;
    if (!session) return nothing;
    const known = session.local.knownSpaces();
    const defaultRelay = session.defaultRelay();
    return html`
      <div class="intro">
        <h1>${msg('Keep a discussion alive', { id: 'start.title' })}</h1>
        <p>
          ${msg('A message board that lives on many relays at once, locked so that only people with its link can read it. Relays pass along scrambled text they cannot read; when one is blocked, the board carries on through the others, or travels as a file.', { id: 'start.intro' })}
        </p>
        ${session.persistent ? nothing : html`<p class="warning">${msg('This browser refuses local storage here: nothing is kept after you close this page.', { id: 'start.noStorage' })}</p>`}
      </div>
      ${this.error ? html`<p class="warning bad" role="alert">${this.error}</p>` : nothing}
      ${this.imported ? html`<p class="warning" role="status">${this.imported}</p>` : nothing}
      <div class="grid">
        <div>
          <form class="card" @submit=${this.create}>
            <h2>${msg('Create a board', { id: 'start.createTitle' })}</h2>
            <div>
              <label for="board-title">${msg('Board title', { id: 'start.boardTitle' })}</label>
              <input id="board-title" name="title" dir="auto" required maxlength="300" placeholder=${msg('Keeping the relays up', { id: 'start.boardTitlePlaceholder' })} />
            </div>
            <div>
              <label for="relays">${msg('Relays', { id: 'start.relays' })} <span class="muted small">${msg('(one per line)', { id: 'start.onePerLine' })}</span></label>
              <textarea id="relays" name="relays" rows="2" dir="ltr" ?required=${!session.servingRelay} placeholder="https://relay.example.org" .value=${defaultRelay}></textarea>
              <p class="small muted">
                ${session.servingRelay
                  ? msg('This relay served the page; add more so the board survives a block.', { id: 'start.servedBy' })
                  : msg('Opened from a file: give at least one relay to sync with.', { id: 'start.fromFile' })}
              </p>
            </div>
            <button type="submit" class="primary" ?disabled=${this.busy}>${msg('Create board', { id: 'start.create' })}</button>
          </form>
          <form class="card" @submit=${this.open}>
            <h2>${msg('Open a link', { id: 'start.openTitle' })}</h2>
            <div class="row">
              <div class="grow">
                <label for="link">${msg('Link', { id: 'start.link' })}</label>
                <textarea
                  id="link"
                  dir="ltr"
                  rows="2"
                  required
                  placeholder=${msg('Paste a link here', { id: 'start.linkPlaceholder' })}
                  autocomplete="off"
                  spellcheck="false"
                  aria-describedby="link-hint"
                  @keydown=${this.enterOpens}
                ></textarea>
              </div>
              <button type="submit">${msg('Open', { id: 'start.open' })}</button>
            </div>
            <p class="small muted" id="link-hint">${msg('A link to a board or thread, on any relay, or starting with “baton:”.', { id: 'start.linkHint' })}</p>
            <p class="small muted">${msg('Pasted here, a link never becomes an address, so your browser’s history does not keep it.', { id: 'start.noTrace' })}</p>
          </form>
          <div class="card">
            <h2>${msg('Import a bundle', { id: 'start.importTitle' })}</h2>
            <label for="bundle">${msg('Bundle file (.baton)', { id: 'start.bundleFile' })}</label>
            <input id="bundle" type="file" accept=".baton,application/json,application/octet-stream" @change=${this.importFile} />
            <p class="small muted">${msg('A bundle holds a board’s locked data, carried by hand. You still need its link to read it.', { id: 'start.bundleHint' })}</p>
          </div>
        </div>
        <div>
          <section class="card" aria-labelledby="known-title">
            <h2 id="known-title">${msg('On this device', { id: 'start.knownTitle' })}</h2>
            ${known.length === 0
              ? html`<p class="muted">${msg('Boards and threads you open appear here.', { id: 'start.knownEmpty' })}</p>`
              : html`<ul class="plain">
                  ${known.map((k) => {
                    const title = withoutOverrides(k.title) || (k.kind === 'board' ? msg('Untitled board', { id: 'start.untitledBoard' }) : msg('Untitled thread', { id: 'start.untitledThread' }));
                    return html`<li>
                      <a href=${routeHash(k.cap)} dir="auto">${title}</a>
                      <span class="small muted">${knownWhat(k.kind === 'board' ? 'board' : 'thread', k.level)}</span>
                      <button type="button" class="link" aria-label=${msg(str`Forget ${title}`, { id: 'start.forgetLabel' })} @click=${() => {
                        session.local.forget(k.spaceId);
                        this.requestUpdate();
                      }}>${msg('Forget', { id: 'start.forget' })}</button>
                    </li>`;
                  })}
                </ul>`}
            <p class="small muted">${msg('These links are kept in this browser: anyone who gets hold of this device can open them.', { id: 'start.knownWarning' })}</p>
          </section>
          <section class="card"><baton-identity .session=${session}></baton-identity></section>
        </div>
      </div>
    `;
  }
}

customElements.define('baton-start', BatonStart);

declare global {
  interface HTMLElementTagNameMap {
    'baton-start': BatonStart;
  }
}
