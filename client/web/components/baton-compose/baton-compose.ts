// The compose box: "Message" and "Post", a reply target, files (baton-attach: picked, dropped
// or pasted), and a draft kept on this device at every keystroke, so nothing typed is lost
// on reload (the files are not kept: they are chosen again).
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { styles } from './styles.ts';
import { MAX_POST_BODY_CHARS } from '#shared';
import { fire } from '../../events.ts';
import type { LocalState } from '../../lib/local.ts';
import type { BatonAttach } from '../baton-attach/baton-attach.ts';
import '../baton-attach/baton-attach.ts';
import { formatNumber } from '../../l10n/format.ts';

function replyingTo(post: string): string {
  return msg(str`Replying to ${post}`, { id: 'compose.replyingTo' });
}

function charactersLeft(n: number): string {
  const left = formatNumber(n);
  return msg(str`${left} characters left`, { id: 'compose.charactersLeft' });
}

export class BatonCompose extends LitElement {
  static override properties = {
    threadId: { type: String },
    local: { attribute: false },
    describe: { attribute: false },
    placeholder: { type: String },
    body: { state: true },
    replyTo: { state: true },
    sending: { state: true },
    filesState: { state: true },
  };
  static override styles = styles;
  declare threadId: string;
  declare local: LocalState | null;
  /** "name: excerpt" of a post, for the reply line. */
  declare describe: (postId: string) => string;
  declare placeholder: string;
  declare private body: string;
  declare private replyTo: string | null;
  declare private sending: boolean;
  /** The attach list's state, mirrored so the Post button updates: '' when ready, else why not. */
  declare private filesState: { count: number; problem: string };
  /** Post was pressed from the keyboard: its button, disabled while sending, dropped the focus to the page. */
  private refocus = false;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.threadId = '';
    this.local = null;
    this.describe = (id) => id;
    this.placeholder = '';
    this.body = '';
    this.replyTo = null;
    this.sending = false;
    this.filesState = { count: 0, problem: '' };
  }

  private get attach(): BatonAttach | null {
    return this.renderRoot.querySelector('baton-attach');
  }

  private filesChanged(): void {
    const a = this.attach;
    this.filesState = a ? { count: a.count, problem: a.problem } : { count: 0, problem: '' };
  }

  /** Files dropped on, or pasted into, the box go to the attach list. */
  private takeFiles(list: FileList | null | undefined, e: Event): void {
    const files = [...(list ?? [])];
    if (files.length === 0) return;
    e.preventDefault();
    void this.attach?.add(files).then(() => this.filesChanged());
    this.filesChanged();
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if ((changed.has('threadId') || changed.has('local')) && this.local && this.threadId) {
      const d = this.local.draft(this.threadId);
      this.body = d.body;
      this.replyTo = d.replyTo;
    }
  }

  /** Starts a reply to a post and puts the caret in the box. */
  reply(postId: string): void {
    this.replyTo = postId;
    this.save();
    void this.updateComplete.then(() => this.renderRoot.querySelector('textarea')?.focus());
  }

  /** The post went out: empty the box and the draft. */
  sent(): void {
    this.body = '';
    this.replyTo = null;
    this.sending = false;
    this.attach?.clear();
    this.filesChanged();
    this.save();
    this.giveBackFocus();
  }

  failed(): void {
    this.sending = false;
    this.giveBackFocus();
  }

  /** A keyboard user who pressed Post goes on in the box, not from the top of the page. */
  private giveBackFocus(): void {
    if (!this.refocus) return;
    this.refocus = false;
    void this.updateComplete.then(() => {
      const active = document.activeElement;
      if (!active || active === document.body) this.renderRoot.querySelector('textarea')?.focus();
    });
  }

  private save(): void {
    if (this.local && this.threadId) this.local.saveDraft(this.threadId, { body: this.body, replyTo: this.replyTo });
  }

  private input(e: Event): void {
    this.body = (e.target as HTMLTextAreaElement).value;
    this.save();
  }

  private submit(e: Event): void {
    e.preventDefault();
    const files = this.attach?.files ?? [];
    if (this.sending || !this.canPost()) return;
    this.refocus = this.renderRoot.querySelector('button[type=submit]')?.matches(':focus-visible') ?? false;
    this.sending = true;
    fire(this, 'baton-compose', { body: this.body.trim(), replyTo: this.replyTo, files });
  }

  private canPost(): boolean {
    if (this.filesState.problem) return false;
    return this.body.trim() !== '' || this.filesState.count > 0;
  }

  private key(e: KeyboardEvent): void {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) this.submit(e);
  }

  override render() {
    const left = MAX_POST_BODY_CHARS - this.body.length;
    return html`<form
      @submit=${this.submit}
      @dragover=${(e: DragEvent) => e.dataTransfer?.types.includes('Files') && e.preventDefault()}
      @drop=${(e: DragEvent) => this.takeFiles(e.dataTransfer?.files, e)}
      @paste=${(e: ClipboardEvent) => this.takeFiles(e.clipboardData?.files, e)}
    >
      ${this.replyTo
        ? html`<div class="reply">
            <span dir="auto">${replyingTo(this.describe(this.replyTo))}</span>
            <button type="button" class="link" @click=${() => {
              this.replyTo = null;
              this.save();
            }}>${msg('Cancel reply', { id: 'compose.cancelReply' })}</button>
          </div>`
        : nothing}
      <label for="message">${msg('Message', { id: 'compose.message' })}</label>
      <textarea
        id="message"
        dir="auto"
        maxlength=${MAX_POST_BODY_CHARS}
        placeholder=${this.placeholder}
        .value=${this.body}
        @input=${this.input}
        @keydown=${this.key}
      ></textarea>
      <baton-attach ?disabled=${this.sending} @change=${this.filesChanged}></baton-attach>
      <div class="actions">
        <span class="small muted ${left < 500 || this.filesState.problem ? '' : 'keys'}" role="status"
          >${this.filesState.problem || (left < 500 ? charactersLeft(left) : msg('Ctrl+Enter posts', { id: 'compose.ctrlEnter' }))}</span
        >
        <button type="submit" class="primary" ?disabled=${this.sending || !this.canPost()}>${msg('Post', { id: 'compose.post' })}</button>
      </div>
    </form>`;
  }
}

customElements.define('baton-compose', BatonCompose);

declare global {
  interface HTMLElementTagNameMap {
    'baton-compose': BatonCompose;
  }
}
