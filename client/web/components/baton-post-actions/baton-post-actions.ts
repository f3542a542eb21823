// What a reader can do to one post besides replying: its author edits or deletes it, an owner
// or moderator hides it, anyone compares the author's safety code and marks the key verified.
// Each action opens in place; the destructive ones (delete, hide) ask to be confirmed there.
import { LitElement, html, nothing } from 'lit';
import { safetyCode } from '#shared';
import { fire } from '../../events.ts';
import { withoutOverrides } from '../../lib/text.ts';
import { styles } from './styles.ts';

type Open = 'edit' | 'delete' | 'hide' | 'verify' | null;

export class BatonPostActions extends LitElement {
  static override properties = {
    postId: { type: String },
    author: { type: String },
    name: { type: String },
    body: { type: String },
    mine: { type: Boolean },
    canModerate: { type: Boolean },
    keyVerified: { type: Boolean },
    open: { state: true },
  };
  static override styles = styles;
  declare postId: string;
  declare author: string;
  declare name: string;
  declare body: string;
  declare mine: boolean;
  declare canModerate: boolean;
  declare keyVerified: boolean;
  declare private open: Open;

  constructor() {
    super();
    this.postId = '';
    this.author = '';
    this.name = '';
    this.body = '';
    this.mine = false;
    this.canModerate = false;
    this.keyVerified = false;
    this.open = null;
  }

  private toggle(what: Open): void {
    this.open = this.open === what ? null : what;
  }

  private saveEdit(e: Event): void {
    e.preventDefault();
    const body = (e.target as HTMLFormElement).querySelector('textarea')!.value;
    fire(this, 'baton-post-edit', { postId: this.postId, body });
    this.open = null;
  }

  private hide(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const reason = form.querySelector<HTMLInputElement>('#reason')!.value.trim();
    const everyPost = form.querySelector<HTMLInputElement>('#every')!.checked;
    fire(this, 'baton-post-hide', { postId: this.postId, reason, ...(everyPost ? { author: this.author } : {}) });
    this.open = null;
  }

  private panel() {
    const name = withoutOverrides(this.name) || 'anonymous';
    switch (this.open) {
      case 'edit':
        return html`<form class="panel" @submit=${this.saveEdit} aria-label="Edit your post">
          <label for="edit-body">New text</label>
          <textarea id="edit-body" dir="auto" rows="4" maxlength="20000" required .value=${this.body}></textarea>
          <p class="small muted">Everyone sees the post marked edited, and can still read the earlier text.</p>
          <div class="row">
            <button type="submit" class="primary">Save edit</button>
            <button type="button" @click=${() => (this.open = null)}>Cancel</button>
          </div>
        </form>`;
      case 'delete':
        return html`<div class="panel" role="group" aria-label="Confirm deleting your post">
          <p>Delete this post for everyone?</p>
          <p class="small muted">
            Its text leaves the thread and every copy made from now on. Devices that already hold it, and older copies kept by relays until they drop
            them, still have it.
          </p>
          <div class="row">
            <button type="button" class="danger" @click=${() => ((this.open = null), fire(this, 'baton-post-delete', { postId: this.postId }))}>Delete for everyone</button>
            <button type="button" @click=${() => (this.open = null)}>Keep it</button>
          </div>
        </div>`;
      case 'hide':
        return html`<form class="panel" @submit=${this.hide} aria-label="Confirm hiding this post">
          <p>Hide this post for everyone? Readers see a line saying a moderator hid it, and can still open it.</p>
          <label for="reason">Reason (optional, shown to everyone)</label>
          <input id="reason" dir="auto" maxlength="500" />
          <label class="check"><input id="every" type="checkbox" /> Hide every post of this key, in every thread of the board</label>
          <div class="row">
            <button type="submit" class="danger">Hide for everyone</button>
            <button type="button" @click=${() => (this.open = null)}>Cancel</button>
          </div>
        </form>`;
      case 'verify':
        return html`<div class="panel" role="group" aria-label=${`Safety code of ${name}`}>
          <p class="small">Compare this code with <bdi>${name}</bdi> in person or on a call you trust. If it matches, mark the key verified on this device.</p>
          <p class="code mono" dir="ltr">${safetyCode(this.author)}</p>
          <div class="row">
            ${this.keyVerified
              ? html`<button type="button" @click=${() => ((this.open = null), fire(this, 'baton-verify-key', { key: this.author, name: this.name, verified: false }))}>
                  Unmark as verified
                </button>`
              : html`<button type="button" class="primary" @click=${() => ((this.open = null), fire(this, 'baton-verify-key', { key: this.author, name: this.name, verified: true }))}>
                  The codes match: mark verified
                </button>`}
            <button type="button" @click=${() => (this.open = null)}>Close</button>
          </div>
        </div>`;
      default:
        return nothing;
    }
  }

  override render() {
    const b = (what: Exclude<Open, null>, label: string, accessible: string) =>
      html`<button type="button" aria-expanded=${this.open === what ? 'true' : 'false'} aria-label=${accessible} @click=${() => this.toggle(what)}>${label}</button>`;
    return html`<div class="buttons">
        ${this.mine ? html`${b('edit', 'Edit', 'Edit what you wrote')} ${b('delete', 'Delete', 'Delete what you wrote')}` : nothing}
        ${this.canModerate && !this.mine ? b('hide', 'Hide', 'Hide as a moderator') : nothing}
        ${this.author && !this.mine ? b('verify', 'Safety code', 'Compare the author\u2019s safety code') : nothing}
      </div>
      ${this.panel()}`;
  }
}

customElements.define('baton-post-actions', BatonPostActions);

declare global {
  interface HTMLElementTagNameMap {
    'baton-post-actions': BatonPostActions;
  }
}
