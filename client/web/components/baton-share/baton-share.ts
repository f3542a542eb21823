// The share dialog: the read link first; the write link behind a deliberate step, after its
// warning; the mirror command last. Each link is given on every relay of the space and
// without a relay, so it outlives a blocked relay.
import { LitElement, html, nothing } from 'lit';
import { styles } from './styles.ts';
import { withRelays, type Capability } from '#shared';

/** What a share dialog shows: a board or a thread (a file's space is never shared by link). */
type Shared = Capability & { kind: 'board' | 'thread' };
import type { Space } from '#client-core';
import { mirrorCommand, onAnyRelay, shareLinks, shareText, type ShareLinks } from '../../lib/share-links.ts';
import '../baton-qr/baton-qr.ts';

type Level = 'read' | 'write' | 'mirror';

const WARNINGS: Record<Level, Record<'board' | 'thread', string>> = {
  write: {
    board: 'Anyone with this link can read every thread of this board, post, start threads, edit summaries and pass the link on. It cannot be taken back.',
    thread: 'Anyone with this link can read this thread, post in it, edit its summary and pass the link on. It cannot be taken back.',
  },
  read: {
    board: 'Anyone with this link can read every thread and post of this board, past and future, and pass the link on, but cannot post. It cannot be taken back.',
    thread: 'Anyone with this link can read this thread, past and future, and pass the link on, but cannot post. It cannot be taken back.',
  },
  mirror: {
    board: 'For people who run a relay: it keeps a copy of this board’s encrypted data to keep it alive. It reveals nothing that is written, but it tells whoever holds it which relays carry the board and how active it is.',
    thread: 'For people who run a relay: it keeps a copy of this thread’s encrypted data. It reveals nothing that is written, but tells whoever holds it which relays carry the thread and how active it is.',
  },
};

const LABELS: Record<Level, string> = { read: 'Read link', write: 'Write link', mirror: 'Mirror command' };

export class BatonShare extends LitElement {
  static override properties = { space: { attribute: false }, linkBase: { attribute: false }, copied: { state: true }, writeShown: { state: true } };
  static override styles = styles;
  declare space: Space | null;
  declare linkBase: string | null;
  declare private copied: Level | null;
  declare private writeShown: boolean;

  constructor() {
    super();
    this.space = null;
    this.linkBase = null;
    this.copied = null;
    this.writeShown = false;
  }

  open(): void {
    this.copied = null;
    this.writeShown = false; // the write link is shown again only by asking again
    this.renderRoot.querySelector('dialog')?.showModal();
  }

  private close(): void {
    this.renderRoot.querySelector('dialog')?.close();
  }

  private async copy(level: Level, text: string, area: HTMLTextAreaElement | null): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // clipboard refused (file:// or plain http): select the text for a manual copy
      area?.focus();
      area?.select();
      document.execCommand?.('copy');
    }
    this.copied = level;
  }

  private async showWrite(): Promise<void> {
    this.writeShown = true;
    await this.updateComplete;
    const area = this.renderRoot.querySelector<HTMLTextAreaElement>('#link-write');
    area?.focus();
    if (area) area.scrollTop = 0; // from its first line, the selection made on focus notwithstanding
  }

  /** A link with its copy button and QR code; the text area holds exactly what Copy copies. */
  private link(level: Level, links: ShareLinks, kind: 'board' | 'thread') {
    const id = `link-${level}`;
    const text = shareText(links, kind);
    const label = LABELS[level];
    return html`
      <textarea id=${id} readonly dir="ltr" rows=${Math.min(8, text.split('\n').length + 1)} .value=${text} @focus=${(e: Event) => (e.target as HTMLTextAreaElement).select()}></textarea>
      <div class="actions">
        <button type="button" @click=${(e: Event) => this.copy(level, text, (e.target as HTMLElement).closest('section')!.querySelector('textarea'))}>Copy ${label.toLowerCase()}</button>
        <span role="status" class="small ok">${this.copied === level ? 'Copied' : ''}</span>
      </div>
      <details>
        <summary>QR code</summary>
        <baton-qr .text=${links.main} label=${`QR code of the ${label.toLowerCase()}`}></baton-qr>
      </details>
    `;
  }

  private readSection(cap: Shared) {
    return html`<section>
      <label for="link-read">${LABELS.read}</label>
      <p class="small">${WARNINGS.read[cap.kind]}</p>
      ${this.link('read', shareLinks(cap, 'read', this.linkBase), cap.kind)}
    </section>`;
  }

  private writeSection(cap: Shared) {
    return html`<section class="write">
      ${this.writeShown ? html`<label for="link-write">${LABELS.write}</label>` : html`<h3>${LABELS.write}</h3>`}
      <p class="warning small">${WARNINGS.write[cap.kind]}</p>
      ${this.writeShown
        ? this.link('write', shareLinks(cap, 'write', this.linkBase), cap.kind)
        : html`<button type="button" @click=${() => this.showWrite()}>Show the write link</button>`}
    </section>`;
  }

  private mirrorSection(cap: Shared) {
    const command = mirrorCommand(cap, this.linkBase);
    return html`<section>
      ${command ? html`<label for="link-mirror">${LABELS.mirror}</label>` : html`<h3>${LABELS.mirror}</h3>`}
      <p class="small">${WARNINGS.mirror[cap.kind]}</p>
      ${command
        ? html`<textarea id="link-mirror" readonly dir="ltr" rows="3" .value=${command} @focus=${(e: Event) => (e.target as HTMLTextAreaElement).select()}></textarea>
            <div class="actions">
              <button type="button" @click=${(e: Event) => this.copy('mirror', command, (e.target as HTMLElement).closest('section')!.querySelector('textarea'))}>Copy mirror command</button>
              <span role="status" class="small ok">${this.copied === 'mirror' ? 'Copied' : ''}</span>
            </div>`
        : html`<p class="small muted">Add a relay to this ${cap.kind} first: a mirror copies it from a relay.</p>`}
    </section>`;
  }

  override render() {
    const space = this.space;
    if (!space) return nothing;
    const cap = withRelays(space.cap, space.relays()) as Shared;
    return html`
      <button type="button" @click=${() => this.open()}>Share</button>
      <dialog aria-labelledby="share-title">
        <div class="head">
          <h2 id="share-title">Share this ${cap.kind}</h2>
          <button type="button" @click=${() => this.close()}>Close</button>
        </div>
        <p class="small muted">
          Keys travel in the part of a link after “#”, which browsers never send to a server. Send links through a channel you
          trust: whoever sees a link holds what it gives.
        </p>
        ${cap.relays.length > 0 && space.access !== 'mirror' ? html`<p class="small">Each link is given on every relay of this ${cap.kind}, then without a relay. ${onAnyRelay(cap.kind)}</p>` : nothing}
        ${space.access === 'mirror' ? nothing : this.readSection(cap)} ${space.access === 'write' ? this.writeSection(cap) : nothing}
        ${this.mirrorSection(cap)}
      </dialog>
    `;
  }
}

customElements.define('baton-share', BatonShare);

declare global {
  interface HTMLElementTagNameMap {
    'baton-share': BatonShare;
  }
}
