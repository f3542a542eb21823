// The start screen: create a board, open a link or capability, import a bundle, and the
// boards and threads this device has opened.
import { LitElement, html, nothing } from 'lit';
import { styles } from './styles.ts';
import { formatCapability, parseRoomName } from '#shared';
import { boards, importBundle } from '#client-core';
import { fire } from '../../events.ts';
import { linkProblem } from '../../lib/link-words.ts';
import { routeHash } from '../../lib/route.ts';
import { parsePasted } from '../../lib/share-links.ts';
import { withoutOverrides } from '../../lib/text.ts';
import type { Session } from '../../lib/session.ts';
import '../baton-identity/baton-identity.ts';

/** What an import added, in a person's words: every blob is a post, a title or another change. */
function importedWords(added: number): string {
  if (added === 0) return 'Nothing new: this device already had everything in this file.';
  return `Imported ${added} new ${added === 1 ? 'post or change' : 'posts and changes'}.`;
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
      this.error = `No board created: ${(err as Error).message}`;
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
      if (file.size > 64 * 1024 * 1024) throw new Error('the file is larger than 64 MiB');
      const rooms = await importBundle(this.session.client.store, await file.text());
      const ids = new Set<string>(rooms.map((r) => parseRoomName(r.room)?.spaceId ?? ''));
      const known = this.session.local.knownSpaces().filter((s) => ids.has(s.spaceId));
      const added = rooms.reduce((n, r) => n + r.added, 0);
      this.imported = importedWords(added) + (known.length > 0 ? ` It holds ${known.map((k) => `“${k.title || k.kind}”`).join(', ')}: open it below.` : ' Open the board with its link to read it.');
    } catch (err) {
      this.error = `Bundle not imported: ${(err as Error).message}`;
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
        <h1>Keep a discussion alive</h1>
        <p>
          An end-to-end encrypted message board that lives on many relays at once. Relays carry only ciphertext; when one is
          blocked, the board carries on through the others, or travels as a file.
        </p>
        ${session.persistent ? nothing : html`<p class="warning">This browser refuses local storage here: nothing is kept after you close this page.</p>`}
      </div>
      ${this.error ? html`<p class="warning bad" role="alert">${this.error}</p>` : nothing}
      ${this.imported ? html`<p class="warning" role="status">${this.imported}</p>` : nothing}
      <div class="grid">
        <div>
          <form class="card" @submit=${this.create}>
            <h2>Create a board</h2>
            <div>
              <label for="board-title">Board title</label>
              <input id="board-title" name="title" dir="auto" required maxlength="300" placeholder="Keeping the relays up" />
            </div>
            <div>
              <label for="relays">Relays <span class="muted small">(one per line)</span></label>
              <textarea id="relays" name="relays" rows="2" dir="ltr" ?required=${!session.servingRelay} placeholder="https://relay.example.org" .value=${defaultRelay}></textarea>
              <p class="small muted">
                ${session.servingRelay ? 'This relay served the page; add more so the board survives a block.' : 'Opened from a file: give at least one relay to sync with.'}
              </p>
            </div>
            <button type="submit" class="primary" ?disabled=${this.busy}>Create board</button>
          </form>
          <form class="card" @submit=${this.open}>
            <h2>Open a link</h2>
            <div class="row">
              <div class="grow">
                <label for="link">Link</label>
                <textarea
                  id="link"
                  dir="ltr"
                  rows="2"
                  required
                  placeholder="Paste a link here"
                  autocomplete="off"
                  spellcheck="false"
                  aria-describedby="link-hint"
                  @keydown=${this.enterOpens}
                ></textarea>
              </div>
              <button type="submit">Open</button>
            </div>
            <p class="small muted" id="link-hint">A link to a board or thread, on any relay, or starting with “baton:”.</p>
          </form>
          <div class="card">
            <h2>Import a bundle</h2>
            <label for="bundle">Bundle file (.baton)</label>
            <input id="bundle" type="file" accept=".baton,application/json,application/octet-stream" @change=${this.importFile} />
            <p class="small muted">A bundle holds a board’s encrypted data, carried by hand. You still need its link to read it.</p>
          </div>
        </div>
        <div>
          <section class="card" aria-labelledby="known-title">
            <h2 id="known-title">On this device</h2>
            ${known.length === 0
              ? html`<p class="muted">Boards and threads you open appear here.</p>`
              : html`<ul class="plain">
                  ${known.map(
                    (k) => html`<li>
                      <a href=${routeHash(k.cap)} dir="auto">${withoutOverrides(k.title) || `Untitled ${k.kind}`}</a>
                      <span class="small muted">${k.kind}, ${k.level}</span>
                      <button type="button" class="link" aria-label=${`Forget ${k.title || k.kind}`} @click=${() => {
                        session.local.forget(k.spaceId);
                        this.requestUpdate();
                      }}>Forget</button>
                    </li>`,
                  )}
                </ul>`}
            <p class="small muted">These links are kept in this browser: anyone who gets hold of this device can open them.</p>
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
