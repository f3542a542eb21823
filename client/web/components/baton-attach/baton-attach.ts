// Files for the post being written: a picker, and files dropped or pasted into the compose
// box (handed in through add()). Each is stripped on this device at once and shown before it
// is sent: its thumbnail, its size and what was removed; a PDF's warning must be accepted.
// The stripping code is loaded the first time a file is added, not with the page.
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { styles } from './styles.ts';
import { MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES, MAX_POST_ATTACHMENT_BYTES } from '#shared';
import type { PreparedFile } from '#client-core';
import { fileSize, pageCount, removedLabel, thumbnailUrl, warningText } from '../../lib/files.ts';
import { formatNumber } from '../../l10n/format.ts';
import { failureReason } from '../../lib/failure.ts';

const tooMany = () => {
  const n = formatNumber(MAX_ATTACHMENTS);
  return msg(str`A post carries at most ${n} files.`, { id: 'attach.tooMany' });
};

interface Pending {
  key: number;
  name: string;
  file: PreparedFile | null;
  error: string | null;
  accepted: boolean;
  preview: string | null;
}

function notAttached(reason: string): string {
  return msg(str`Not attached: ${reason}`, { id: 'attach.notAttached' });
}

function removedList(labels: string[]): string {
  const list = labels.map(removedLabel).join(', ');
  return msg(str`Removed: ${list}`, { id: 'attach.removed' });
}

function removeLabel(name: string): string {
  return msg(str`Remove ${name}`, { id: 'attach.removeFile' });
}

export const ACCEPT = 'image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf';

export class BatonAttach extends LitElement {
  static override properties = {
    disabled: { type: Boolean },
    items: { state: true },
  };
  static override styles = styles;
  declare disabled: boolean;
  declare private items: Pending[];
  private next = 0;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.disabled = false;
    this.items = [];
  }

  /** The files ready to send, or null while one is being stripped, failed, or awaits its warning's acceptance. */
  get files(): PreparedFile[] | null {
    if (this.items.some((i) => !i.file || (i.file.warning && !i.accepted))) return null;
    return this.items.map((i) => i.file!);
  }

  get count(): number {
    return this.items.length;
  }

  /** A reason the files cannot go as they are (shown beside the Post button), or ''. */
  get problem(): string {
    if (this.items.some((i) => i.error)) return msg('Remove the files that could not be attached.', { id: 'attach.removeFailed' });
    if (this.items.some((i) => !i.file)) return msg('Removing metadata…', { id: 'attach.stripping' });
    if (this.items.some((i) => i.file!.warning && !i.accepted)) return msg('Read the PDF warning and tick the box first.', { id: 'attach.acceptWarning' });
    const total = this.items.reduce((n, i) => n + (i.file?.bytes.length ?? 0), 0);
    if (total > MAX_POST_ATTACHMENT_BYTES) {
      const size = fileSize(total);
      const limit = fileSize(MAX_POST_ATTACHMENT_BYTES);
      return msg(str`These files come to ${size}; one post carries at most ${limit}.`, { id: 'attach.postTooLarge' });
    }
    return '';
  }

  clear(): void {
    for (const i of this.items) if (i.preview) URL.revokeObjectURL(i.preview);
    this.items = [];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.clear();
  }

  /** Strips and lists files (from the picker, a drop or a paste). */
  async add(files: File[]): Promise<void> {
    const room = MAX_ATTACHMENTS - this.items.length;
    const taken = files.slice(0, Math.max(0, room));
    const added = taken.map((f): Pending => ({ key: this.next++, name: f.name || 'pasted', file: null, error: null, accepted: false, preview: null }));
    for (const f of files.slice(taken.length)) added.push({ key: this.next++, name: f.name || 'file', file: null, error: tooMany(), accepted: false, preview: null });
    this.items = [...this.items, ...added];
    const { prepareBrowserFile } = await import('../../lib/prepare-file.ts');
    await Promise.all(
      taken.map(async (f, n) => {
        const key = added[n]!.key;
        let update: Partial<Pending>;
        try {
          const file = await prepareBrowserFile(f);
          update = { file, name: file.name, preview: file.thumb ? thumbnailUrl(file.thumb) : null };
        } catch (err) {
          update = { error: failureReason(err) };
        }
        this.items = this.items.map((i) => (i.key === key ? { ...i, ...update } : i));
      }),
    );
    this.dispatchEvent(new Event('change'));
  }

  private drop(key: number): void {
    const gone = this.items.find((i) => i.key === key);
    if (gone?.preview) URL.revokeObjectURL(gone.preview);
    this.items = this.items.filter((i) => i.key !== key);
    this.dispatchEvent(new Event('change'));
  }

  private accept(key: number, accepted: boolean): void {
    this.items = this.items.map((i) => (i.key === key ? { ...i, accepted } : i));
    this.dispatchEvent(new Event('change'));
  }

  private picked(e: Event): void {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    void this.add(files);
  }

  private item(i: Pending) {
    const f = i.file;
    return html`<li class=${i.error ? 'failed' : ''}>
      ${i.preview ? html`<img class=${f?.mime === 'application/pdf' ? 'page' : ''} src=${i.preview} alt="" width="64" height="64" />` : html`<span class="icon" aria-hidden="true">${f?.mime === 'application/pdf' ? 'PDF' : '…'}</span>`}
      <div class="about">
        <bdi class="name">${i.name}</bdi>
        ${i.error
          ? html`<p class="bad small" role="alert">${notAttached(i.error)}</p>`
          : !f
            ? html`<p class="small muted" role="status">${msg('Removing metadata…', { id: 'attach.stripping' })}</p>`
            : html`<p class="small muted">${fileSize(f.bytes.length)}${f.pages ? html` · ${pageCount(f.pages)}` : nothing}${f.width ? html` · <span dir="ltr">${formatNumber(f.width)} × ${formatNumber(f.height!)}</span>` : nothing}</p>
                <p class="small removed">${f.removed.length > 0 ? removedList(f.removed) : msg('No metadata found to remove.', { id: 'attach.nothingRemoved' })}</p>
                ${f.warning
                  ? html`<p class="warning small">${warningText(f.warning)}</p>
                      <label class="small check"
                        ><input type="checkbox" .checked=${i.accepted} @change=${(e: Event) => this.accept(i.key, (e.target as HTMLInputElement).checked)} />
                        ${msg('I have read it through; send it', { id: 'attach.acceptPdf' })}</label
                      >`
                  : nothing}`}
      </div>
      <button type="button" class="link" aria-label=${removeLabel(i.name)} @click=${() => this.drop(i.key)}>${msg('Remove', { id: 'attach.remove' })}</button>
    </li>`;
  }

  override render() {
    const count = formatNumber(MAX_ATTACHMENTS);
    const each = fileSize(MAX_ATTACHMENT_BYTES);
    return html`${this.items.length > 0 ? html`<ul aria-label=${msg('Files to send', { id: 'attach.list' })}>${this.items.map((i) => this.item(i))}</ul>` : nothing}
      <label class="button pick ${this.disabled || this.items.length >= MAX_ATTACHMENTS ? 'disabled' : ''}">
        <input type="file" multiple accept=${ACCEPT} ?disabled=${this.disabled || this.items.length >= MAX_ATTACHMENTS} @change=${this.picked} />
        ${msg('Attach pictures or PDFs', { id: 'attach.pick' })}
      </label>
      <span class="small muted limits">${msg(str`Up to ${count} files, ${each} each; their metadata is removed on this device.`, { id: 'attach.limits' })}</span>`;
  }
}

customElements.define('baton-attach', BatonAttach);

declare global {
  interface HTMLElementTagNameMap {
    'baton-attach': BatonAttach;
  }
}
