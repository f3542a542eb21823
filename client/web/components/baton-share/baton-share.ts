// The share dialog: write, read and mirror links of a space, each with what it gives away,
// a copy button and a QR code. Links carry every relay the space syncs with as hints.
import { LitElement, html, nothing } from 'lit';
import { styles } from './styles.ts';
import { formatCapability, formatWebLink, withRelays, type AccessLevel } from '#shared';
import type { Space } from '#client-core';
import '../baton-qr/baton-qr.ts';

interface Link {
  level: AccessLevel;
  label: string;
  text: string;
  warning: string;
}

const WARNINGS: Record<AccessLevel, Record<'board' | 'thread', string>> = {
  write: {
    board: 'Anyone with this link can read every thread of this board, post, start threads, edit summaries and pass the link on. It cannot be taken back.',
    thread: 'Anyone with this link can read this thread, post in it, edit its summary and pass the link on. It cannot be taken back.',
  },
  read: {
    board: 'Anyone with this link can read every thread and post of this board, past and future, and pass the link on, but cannot post. It cannot be taken back.',
    thread: 'Anyone with this link can read this thread, past and future, and pass the link on, but cannot post. It cannot be taken back.',
  },
  mirror: {
    board: 'For relays and mirrors: it lets them carry this board’s encrypted data to keep it alive. It reveals nothing that is written, but it tells whoever holds it which relays carry the board and how active it is.',
    thread: 'For relays and mirrors: it lets them carry this thread’s encrypted data. It reveals nothing that is written, but tells whoever holds it which relays carry the thread and how active it is.',
  },
};

export class BatonShare extends LitElement {
  static override properties = { space: { attribute: false }, linkBase: { attribute: false }, copied: { state: true } };
  static override styles = styles;
  declare space: Space | null;
  declare linkBase: string | null;
  declare private copied: AccessLevel | null;

  constructor() {
    super();
    this.space = null;
    this.linkBase = null;
    this.copied = null;
  }

  open(): void {
    this.copied = null;
    this.renderRoot.querySelector('dialog')?.showModal();
  }

  private links(space: Space): Link[] {
    const cap = withRelays(space.cap, space.relays());
    const kind = cap.kind;
    const levels: AccessLevel[] = space.access === 'write' ? ['write', 'read', 'mirror'] : space.access === 'read' ? ['read', 'mirror'] : ['mirror'];
    return levels.map((level) => {
      const link = level !== 'mirror' && this.linkBase ? formatWebLink(cap, this.linkBase, level) : formatCapability(cap, level);
      const label = level === 'write' ? 'Write link' : level === 'read' ? 'Read link' : 'Mirror capability';
      return { level, label, text: link, warning: WARNINGS[level][kind] };
    });
  }

  private async copy(link: Link, area: HTMLTextAreaElement | null): Promise<void> {
    try {
      await navigator.clipboard.writeText(link.text);
    } catch {
      // clipboard refused (file:// or plain http): select the text for a manual copy
      area?.focus();
      area?.select();
      document.execCommand?.('copy');
    }
    this.copied = link.level;
  }

  override render() {
    const space = this.space;
    if (!space) return nothing;
    const links = this.links(space);
    return html`
      <button type="button" @click=${() => this.open()}>Share</button>
      <dialog aria-labelledby="share-title">
        <div class="head">
          <h2 id="share-title">Share this ${space.cap.kind}</h2>
          <button type="button" @click=${() => this.renderRoot.querySelector('dialog')?.close()}>Close</button>
        </div>
        <p class="small muted">
          Keys travel in the part of a link after “#”, which browsers never send to a server. Send links through a channel you
          trust: whoever sees a link holds what it gives.
        </p>
        ${links.map((l) => {
          const id = `link-${l.level}`;
          return html`<section>
            <label for=${id}>${l.label}</label>
            <p class="warning small">${l.warning}</p>
            <textarea id=${id} readonly rows="3" .value=${l.text} @focus=${(e: Event) => (e.target as HTMLTextAreaElement).select()}></textarea>
            <div class="actions">
              <button type="button" @click=${(e: Event) => this.copy(l, (e.target as HTMLElement).closest('section')!.querySelector('textarea'))}>
                Copy ${l.label.toLowerCase()}
              </button>
              <span role="status" class="small ok">${this.copied === l.level ? 'Copied' : ''}</span>
            </div>
            <details>
              <summary>QR code</summary>
              <baton-qr .text=${l.text} label=${`QR code of the ${l.label.toLowerCase()}`}></baton-qr>
            </details>
          </section>`;
        })}
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
