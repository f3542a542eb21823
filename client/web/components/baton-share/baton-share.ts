// The share dialog: the read link first; the write link behind a deliberate step, after its
// warning; the mirror command last. Each link is given on every relay of the space and
// without a relay, so it outlives a blocked relay.
import { LitElement, html, nothing } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { styles } from './styles.ts';
import { withRelays, type Capability } from '#shared';

/** What a share dialog shows: a board or a thread (a file's space is never shared by link). */
type Shared = Capability & { kind: 'board' | 'thread' };
import type { Space } from '#client-core';
import { mirrorCommand, onAnyRelay, shareLinks, shareText, type ShareLinks } from '../../lib/share-links.ts';
import '../baton-qr/baton-qr.ts';

type Level = 'read' | 'write' | 'mirror';

/** What a link gives whoever holds it. */
function warning(level: Level, kind: 'board' | 'thread'): string {
  const board = kind === 'board';
  switch (level) {
    case 'write':
      return board
        ? msg('Anyone with this link can read every thread of this board, post, start threads, edit summaries and pass the link on. It cannot be taken back.', { id: 'share.writeWarningBoard' })
        : msg('Anyone with this link can read this thread, post in it, edit its summary and pass the link on. It cannot be taken back.', { id: 'share.writeWarningThread' });
    case 'read':
      return board
        ? msg('Anyone with this link can read every thread and post of this board, past and future, and pass the link on, but cannot post. It cannot be taken back.', { id: 'share.readWarningBoard' })
        : msg('Anyone with this link can read this thread, past and future, and pass the link on, but cannot post. It cannot be taken back.', { id: 'share.readWarningThread' });
    case 'mirror':
      return board
        ? msg('For people who run a relay: it keeps a copy of this board’s locked data to keep it alive. It reveals nothing that is written, but it tells whoever holds it which relays carry the board and how active it is.', { id: 'share.mirrorWarningBoard' })
        : msg('For people who run a relay: it keeps a copy of this thread’s locked data. It reveals nothing that is written, but tells whoever holds it which relays carry the thread and how active it is.', { id: 'share.mirrorWarningThread' });
  }
}

function label(level: Level): string {
  if (level === 'read') return msg('Read link', { id: 'share.readLink' });
  if (level === 'write') return msg('Write link', { id: 'share.writeLink' });
  return msg('Mirror command', { id: 'share.mirrorCommand' });
}

function copyLabel(level: Level): string {
  if (level === 'read') return msg('Copy read link', { id: 'share.copyRead' });
  if (level === 'write') return msg('Copy write link', { id: 'share.copyWrite' });
  return msg('Copy mirror command', { id: 'share.copyMirror' });
}

function qrLabel(level: Level): string {
  return level === 'write' ? msg('QR code of the write link', { id: 'share.qrWrite' }) : msg('QR code of the read link', { id: 'share.qrRead' });
}

export class BatonShare extends LitElement {
  static override properties = { space: { attribute: false }, linkBase: { attribute: false }, copied: { state: true }, writeShown: { state: true } };
  static override styles = styles;
  declare space: Space | null;
  declare linkBase: string | null;
  declare private copied: Level | null;
  declare private writeShown: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
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
    return html`
      <textarea id=${id} readonly dir="ltr" rows=${Math.min(8, text.split('\n').length + 1)} .value=${text} @focus=${(e: Event) => (e.target as HTMLTextAreaElement).select()}></textarea>
      <div class="actions">
        <button type="button" @click=${(e: Event) => this.copy(level, text, (e.target as HTMLElement).closest('section')!.querySelector('textarea'))}>${copyLabel(level)}</button>
        <span role="status" class="small ok">${this.copied === level ? msg('Copied', { id: 'share.copied' }) : ''}</span>
      </div>
      <details>
        <summary>${msg('QR code', { id: 'share.qr' })}</summary>
        <baton-qr .text=${links.main} label=${qrLabel(level)}></baton-qr>
      </details>
    `;
  }

  private readSection(cap: Shared) {
    return html`<section>
      <label for="link-read">${label('read')}</label>
      <p class="small">${warning('read', cap.kind)}</p>
      ${this.link('read', shareLinks(cap, 'read', this.linkBase), cap.kind)}
    </section>`;
  }

  private writeSection(cap: Shared) {
    return html`<section class="write">
      ${this.writeShown ? html`<label for="link-write">${label('write')}</label>` : html`<h3>${label('write')}</h3>`}
      <p class="warning small">${warning('write', cap.kind)}</p>
      ${this.writeShown
        ? this.link('write', shareLinks(cap, 'write', this.linkBase), cap.kind)
        : html`<button type="button" @click=${() => this.showWrite()}>${msg('Show the write link', { id: 'share.showWrite' })}</button>`}
    </section>`;
  }

  private mirrorSection(cap: Shared) {
    const command = mirrorCommand(cap, this.linkBase);
    return html`<section>
      ${command ? html`<label for="link-mirror">${label('mirror')}</label>` : html`<h3>${label('mirror')}</h3>`}
      <p class="small">${warning('mirror', cap.kind)}</p>
      ${command
        ? html`<textarea id="link-mirror" readonly dir="ltr" rows="3" .value=${command} @focus=${(e: Event) => (e.target as HTMLTextAreaElement).select()}></textarea>
            <div class="actions">
              <button type="button" @click=${(e: Event) => this.copy('mirror', command, (e.target as HTMLElement).closest('section')!.querySelector('textarea'))}>${copyLabel('mirror')}</button>
              <span role="status" class="small ok">${this.copied === 'mirror' ? msg('Copied', { id: 'share.copied' }) : ''}</span>
            </div>`
        : html`<p class="small muted">${cap.kind === 'board' ? msg('Add a relay to this board first: a mirror copies it from a relay.', { id: 'share.mirrorNeedsRelayBoard' }) : msg('Add a relay to this thread first: a mirror copies it from a relay.', { id: 'share.mirrorNeedsRelayThread' })}</p>`}
    </section>`;
  }

  override render() {
    const space = this.space;
    if (!space) return nothing;
    const cap = withRelays(space.cap, space.relays()) as Shared;
    return html`
      <button type="button" @click=${() => this.open()}>${msg('Share', { id: 'share.share' })}</button>
      <dialog aria-labelledby="share-title">
        <div class="head">
          <h2 id="share-title">${cap.kind === 'board' ? msg('Share this board', { id: 'share.titleBoard' }) : msg('Share this thread', { id: 'share.titleThread' })}</h2>
          <button type="button" @click=${() => this.close()}>${msg('Close', { id: 'share.close' })}</button>
        </div>
        <p class="small muted">
          ${msg('Keys travel in the part of a link after “#”, which browsers never send to a server. Send links through a channel you trust: whoever sees a link holds what it gives.', { id: 'share.keysInLink' })}
        </p>
        ${cap.relays.length > 0 && space.access !== 'mirror' ? html`<p class="small">${cap.kind === 'board' ? msg('Each link is given on every relay of this board, then without a relay.', { id: 'share.everyRelayBoard' }) : msg('Each link is given on every relay of this thread, then without a relay.', { id: 'share.everyRelayThread' })} ${onAnyRelay(cap.kind)}</p>` : nothing}
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
