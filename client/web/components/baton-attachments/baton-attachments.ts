// The files a post carries: thumbnails that came with the post (so a thread loads without
// any full picture), and each file fetched only when asked for, checked against the SHA-256
// its post names, then shown (pictures) or downloaded. The fetching is the thread's: this
// element asks for it with a `baton-file` event. Names and types come from a writer: a name
// is shown isolated and made safe before it names a download; a picture is shown only when
// its bytes are the type the post claims. A PDF is never opened here: its card shows the
// thumbnail of its first page and its page count, both made by its sender.
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { styles } from './styles.ts';
import { safeFileName, type Attachment } from '#shared';
import { sniffMime } from '#client-core';
import { fire } from '../../events.ts';
import { downloadBytes } from '../../lib/download.ts';
import { fileSize, pageCount, thumbnailUrl } from '../../lib/files.ts';
import { withoutOverrides } from '../../lib/text.ts';
import { formatNumber } from '../../l10n/format.ts';
import { failureReason } from '../../lib/failure.ts';

const words = {
  showFull: (name: string) => msg(str`Show ${name} full size`, { id: 'attachments.showFull' }),
  show: (name: string) => msg(str`Show ${name}`, { id: 'attachments.showFile' }),
  download: (name: string) => msg(str`Download ${name}`, { id: 'attachments.downloadFile' }),
  fetching: (size: string) => msg(str`Fetching ${size}…`, { id: 'attachments.fetching' }),
  fullSize: (name: string) => msg(str`${name}, full size`, { id: 'attachments.fullAlt' }),
  hide: (name: string) => msg(str`Hide ${name}`, { id: 'attachments.hide' }),
  kind: (kind: 'Picture' | 'PDF' | 'File') =>
    kind === 'Picture' ? msg('Picture', { id: 'attachments.picture' }) : kind === 'PDF' ? msg('PDF', { id: 'attachments.pdf' }) : msg('File', { id: 'attachments.file' }),
};

const SHOWN = new Set(['image/jpeg', 'image/png', 'image/webp']);

interface FileState {
  busy: boolean;
  error: string | null;
  full: string | null;
}

export class BatonAttachments extends LitElement {
  static override properties = {
    attachments: { attribute: false },
    states: { state: true },
  };
  static override styles = styles;
  declare attachments: readonly Attachment[];
  declare private states: Map<string, FileState>;
  private thumbs = new Map<string, string | null>();

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.attachments = [];
    this.states = new Map();
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (!changed.has('attachments')) return;
    const keep = new Set(this.attachments.map((a) => a.space));
    for (const [space, url] of this.thumbs) if (!keep.has(space) && url) URL.revokeObjectURL(url);
    for (const a of this.attachments) if (!this.thumbs.has(a.space)) this.thumbs.set(a.space, a.thumb ? thumbnailUrl(a.thumb) : null);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const url of this.thumbs.values()) if (url) URL.revokeObjectURL(url);
    for (const s of this.states.values()) if (s.full) URL.revokeObjectURL(s.full);
    this.thumbs.clear();
    this.states = new Map();
  }

  private set(a: Attachment, state: Partial<FileState>): void {
    const next = new Map(this.states);
    next.set(a.space, { busy: false, error: null, full: null, ...this.states.get(a.space), ...state });
    this.states = next;
  }

  /** The file's bytes, through the thread (which fetches and checks them). */
  private fetch(a: Attachment): Promise<Uint8Array> {
    return new Promise((resolve, reject) => fire(this, 'baton-file', { attachment: a, resolve, reject }));
  }

  private async open(a: Attachment, i: number, show: boolean): Promise<void> {
    this.set(a, { busy: true, error: null });
    try {
      const bytes = await this.fetch(a);
      if (show && SHOWN.has(a.mime) && sniffMime(bytes) === a.mime) {
        this.set(a, { busy: false, full: URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: a.mime })) });
      } else {
        // Downloaded as bytes: never opened in this page, whatever its type says.
        downloadBytes(safeFileName(a.name, a.mime, `attachment-${i + 1}`), bytes, 'application/octet-stream');
        this.set(a, { busy: false });
      }
    } catch (err) {
      this.set(a, { busy: false, error: failureReason(err) });
    }
  }

  private hide(a: Attachment): void {
    const full = this.states.get(a.space)?.full;
    if (full) URL.revokeObjectURL(full);
    this.set(a, { full: null });
  }

  private item(a: Attachment, i: number) {
    const name = withoutOverrides(a.name);
    const state = this.states.get(a.space);
    const thumb = this.thumbs.get(a.space) ?? null;
    const picture = SHOWN.has(a.mime);
    const kind = picture ? 'Picture' : a.mime === 'application/pdf' ? 'PDF' : 'File';
    const pages = kind === 'PDF' && a.pages ? html` · <bdi>${pageCount(a.pages)}</bdi>` : nothing;
    return html`<li>
      <div class="row">
        ${thumb && picture
          ? html`<button type="button" class="thumb" aria-label=${words.showFull(name)} ?disabled=${state?.busy} @click=${() => this.open(a, i, true)}>
              <img src=${thumb} alt="" />
            </button>`
          : thumb && kind === 'PDF'
            ? html`<span class="thumb page" aria-hidden="true"><img src=${thumb} alt="" /></span>`
            : html`<span class="icon" aria-hidden="true">${kind === 'PDF' ? 'PDF' : '▤'}</span>`}
        <div class="about">
          <bdi class="name">${name}</bdi>
          <span class="small muted meta"><bdi>${words.kind(kind)}</bdi> · <bdi>${fileSize(a.size)}</bdi>${pages}${a.w ? html` · <span dir="ltr">${formatNumber(a.w)} × ${formatNumber(a.h!)}</span>` : nothing}</span>
          <span class="buttons">
            ${picture && !state?.full
              ? html`<button type="button" ?disabled=${state?.busy} @click=${() => this.open(a, i, true)} aria-label=${words.show(name)}>${msg('Show', { id: 'attachments.show' })}</button>`
              : nothing}
            <button type="button" ?disabled=${state?.busy} @click=${() => this.open(a, i, false)} aria-label=${words.download(name)}>${msg('Download', { id: 'attachments.download' })}</button>
          </span>
          ${state?.busy ? html`<span class="small muted" role="status">${words.fetching(fileSize(a.size))}</span>` : nothing}
          ${state?.error ? html`<span class="small bad" role="alert">${state.error}</span>` : nothing}
        </div>
      </div>
      ${state?.full
        ? html`<figure>
            <img class="full" src=${state.full} alt=${words.fullSize(name)} />
            <figcaption><button type="button" class="link" @click=${() => this.hide(a)}>${words.hide(name)}</button></figcaption>
          </figure>`
        : nothing}
    </li>`;
  }

  override render() {
    if (this.attachments.length === 0) return nothing;
    return html`<ul aria-label=${msg('Attached files', { id: 'attachments.list' })}>${this.attachments.map((a, i) => this.item(a, i))}</ul>`;
  }
}

customElements.define('baton-attachments', BatonAttachments);

declare global {
  interface HTMLElementTagNameMap {
    'baton-attachments': BatonAttachments;
  }
}
