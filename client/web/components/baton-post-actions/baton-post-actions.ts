// What a reader can do to one post besides replying: its author edits or deletes it, an owner
// or moderator hides it, anyone compares the author's safety code and marks the key verified.
// Each action opens in place; the destructive ones (delete, hide) ask to be confirmed there.
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { safetyCode } from '#shared';
import { fire } from '../../events.ts';
import { fillSlots, slot } from '../../l10n/slots.ts';
import { displayName } from '../../lib/display-name.ts';
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
    updateWhenLocaleChanges(this);
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

  /** Closes the open panel; focus, on a control the panel took away, goes back to the button that opened it. */
  private close(): void {
    const what = this.open;
    this.open = null;
    void this.updateComplete.then(() => {
      if (document.activeElement && document.activeElement !== document.body) return;
      this.renderRoot.querySelector<HTMLElement>(`button[data-open="${what}"]`)?.focus();
    });
  }

  private saveEdit(e: Event): void {
    e.preventDefault();
    const body = (e.target as HTMLFormElement).querySelector('textarea')!.value;
    fire(this, 'baton-post-edit', { postId: this.postId, body });
    this.close();
  }

  private hide(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const reason = form.querySelector<HTMLInputElement>('#reason')!.value.trim();
    const everyPost = form.querySelector<HTMLInputElement>('#every')!.checked;
    fire(this, 'baton-post-hide', { postId: this.postId, reason, ...(everyPost ? { author: this.author } : {}) });
    this.close();
  }

  private panel() {
    const who = slot(0);
    const name = displayName(this.name);
    switch (this.open) {
      case 'edit':
        return html`<form class="panel" @submit=${this.saveEdit} aria-label=${msg('Edit your post', { id: 'postActions.editForm' })}>
          <label for="edit-body">${msg('New text', { id: 'postActions.newText' })}</label>
          <textarea id="edit-body" dir="auto" rows="4" maxlength="20000" required .value=${this.body}></textarea>
          <p class="small muted">${msg('Everyone sees the post marked edited, and can still read the earlier text.', { id: 'postActions.editHint' })}</p>
          <div class="row">
            <button type="submit" class="primary">${msg('Save edit', { id: 'postActions.saveEdit' })}</button>
            <button type="button" @click=${() => this.close()}>${msg('Cancel', { id: 'postActions.cancel' })}</button>
          </div>
        </form>`;
      case 'delete':
        return html`<div class="panel" role="group" aria-label=${msg('Confirm deleting your post', { id: 'postActions.deleteGroup' })}>
          <p>${msg('Delete this post for everyone?', { id: 'postActions.deleteQuestion' })}</p>
          <p class="small muted">
            ${msg('Its text leaves the thread and every copy made from now on. Devices that already hold it, and older copies kept by relays until they drop them, still have it.', {
              id: 'postActions.deleteHint',
            })}
          </p>
          <div class="row">
            <button type="button" class="danger" @click=${() => (this.close(), fire(this, 'baton-post-delete', { postId: this.postId }))}>${msg('Delete for everyone', { id: 'postActions.deleteConfirm' })}</button>
            <button type="button" @click=${() => this.close()}>${msg('Keep it', { id: 'postActions.keep' })}</button>
          </div>
        </div>`;
      case 'hide':
        return html`<form class="panel" @submit=${this.hide} aria-label=${msg('Confirm hiding this post', { id: 'postActions.hideForm' })}>
          <p>${msg('Hide this post for everyone? Readers see a line saying a moderator hid it, and can still open it.', { id: 'postActions.hideQuestion' })}</p>
          <label for="reason">${msg('Reason (optional, shown to everyone)', { id: 'postActions.reason' })}</label>
          <input id="reason" dir="auto" maxlength="500" />
          <label class="check"><input id="every" type="checkbox" /> ${msg('Hide every post of this key, in every thread of the board', { id: 'postActions.everyPost' })}</label>
          <div class="row">
            <button type="submit" class="danger">${msg('Hide for everyone', { id: 'postActions.hideConfirm' })}</button>
            <button type="button" @click=${() => this.close()}>${msg('Cancel', { id: 'postActions.cancel' })}</button>
          </div>
        </form>`;
      case 'verify':
        return html`<div class="panel" role="group" aria-label=${msg(str`Safety code of ${name}`, { id: 'postActions.codeGroup' })}>
          <p class="small">
            ${fillSlots(msg(str`Compare this code with ${who} in person or on a call you trust. If it matches, mark the key verified on this device.`, { id: 'postActions.codeHint' }), {
              [who]: html`<bdi>${name}</bdi>`,
            })}
          </p>
          <p class="code mono" dir="ltr">${safetyCode(this.author)}</p>
          <div class="row">
            ${this.keyVerified
              ? html`<button type="button" @click=${() => (this.close(), fire(this, 'baton-verify-key', { key: this.author, name: this.name, verified: false }))}>
                  ${msg('Unmark as verified', { id: 'postActions.unverify' })}
                </button>`
              : html`<button type="button" class="primary" @click=${() => (this.close(), fire(this, 'baton-verify-key', { key: this.author, name: this.name, verified: true }))}>
                  ${msg('The codes match: mark verified', { id: 'postActions.verify' })}
                </button>`}
            <button type="button" @click=${() => this.close()}>${msg('Close', { id: 'postActions.close' })}</button>
          </div>
        </div>`;
      default:
        return nothing;
    }
  }

  override render() {
    const b = (what: Exclude<Open, null>, label: string, accessible: string) =>
      html`<button type="button" data-open=${what} aria-expanded=${this.open === what ? 'true' : 'false'} aria-label=${accessible} @click=${() => this.toggle(what)}>${label}</button>`;
    return html`<div class="buttons">
        ${this.mine
          ? html`${b('edit', msg('Edit', { id: 'postActions.edit' }), msg('Edit what you wrote', { id: 'postActions.editName' }))}
            ${b('delete', msg('Delete', { id: 'postActions.delete' }), msg('Delete what you wrote', { id: 'postActions.deleteName' }))}`
          : nothing}
        ${this.canModerate && !this.mine ? b('hide', msg('Hide', { id: 'postActions.hide' }), msg('Hide as a moderator', { id: 'postActions.hideName' })) : nothing}
        ${this.author && !this.mine ? b('verify', msg('Safety code', { id: 'postActions.code' }), msg('Compare the author’s safety code', { id: 'postActions.codeName' })) : nothing}
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
