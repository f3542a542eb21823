// A board's owner and moderators, as this device counts them (docs/PROTOCOL.md §6): who owns
// the board (the key its links name), whom the owners made moderators, and for an owner the
// means to appoint and dismiss them. Dismissing asks to be confirmed.
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { isIdentityKey, toBase64url } from '#shared';
import { ModerationBook, checkOwner, moderation, type Authority, type Space } from '#client-core';
import { SpaceController } from '../../controllers/space-controller.ts';
import { fire } from '../../events.ts';
import type { Session } from '../../lib/session.ts';
import { styles } from './styles.ts';
import { failureReason } from '../../lib/failure.ts';

export class BatonModerators extends LitElement {
  static override properties = { session: { attribute: false }, space: { attribute: false }, confirming: { state: true }, error: { state: true } };
  static override styles = styles;
  declare session: Session | null;
  declare space: Space | null;
  /** The moderator whose dismissal waits for confirmation. */
  declare private confirming: string | null;
  declare private error: string;
  private readonly spaces = new SpaceController(this);
  private book: ModerationBook | null = null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.session = null;
    this.space = null;
    this.confirming = null;
    this.error = '';
  }

  override willUpdate(changed: Map<string, unknown>): void {
    this.spaces.watch([this.space]);
    if (changed.has('space') || changed.has('session')) this.book = this.session && this.space ? new ModerationBook(this.session.local.memory(), this.space.spaceId) : null;
  }

  private authority(): Authority | null {
    const { session, space } = this;
    if (!session || !space?.plain || !this.book) return null;
    const owner = checkOwner(session.local.memory(), space.spaceId, space.cap.owner).owner;
    return this.book.authority(space.plain, owner);
  }

  private async act(run: (m: moderation.Moderation) => unknown, done: string): Promise<void> {
    const authority = this.authority();
    if (!authority || !this.session || !this.space) return;
    try {
      run({ board: this.space, identity: this.session.client.identity, authority });
      await this.space.saved();
      this.error = '';
      fire(this, 'baton-notice', { message: done });
    } catch (err) {
      this.error = failureReason(err);
    }
    this.confirming = null;
  }

  private appoint(e: Event): void {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).querySelector('input')!;
    const key = input.value.trim();
    if (!isIdentityKey(key)) {
      this.error = msg('An identity key is 43 characters (its owner finds it under “You”).', { id: 'moderators.badKey' });
      return;
    }
    void this.act((m) => moderation.appointModerator(m, key), msg('Moderator appointed.', { id: 'moderators.appointed' })).then(() => {
      if (!this.error) input.value = '';
    });
  }

  private key(k: string, me: string) {
    return html`<span class="mono" dir="ltr" title=${k}>${k.slice(0, 8)}</span>${k === me ? html` <span class="muted">${msg('(you)', { id: 'moderators.you' })}</span>` : nothing}`;
  }

  override render() {
    const a = this.authority();
    if (!this.session || !this.space?.plain) return nothing;
    const me = toBase64url(this.session.client.identity.publicKey);
    if (!a || a.owner === null) {
      return html`<h2>${msg('Moderation', { id: 'moderators.noOwnerTitle' })}</h2>
        <p class="small muted">${msg('This board’s link names no owner (it was made before boards had owners), so it has no moderators.', { id: 'moderators.noOwner' })}</p>`;
    }
    const isOwner = a.owners.includes(me) && this.space.access === 'write';
    const conflict = checkOwner(this.session.local.memory(), this.space.spaceId, this.space.cap.owner).conflict;
    return html`<h2 id="mod-title">${msg('Owner and moderators', { id: 'moderators.title' })}</h2>
      ${conflict
        ? html`<p class="warning small" role="note">
            ⚠ ${msg('The link you opened names another owner than the one this device first saw for this board. This device goes by the first.', { id: 'moderators.ownerConflict' })}
          </p>`
        : nothing}
      <ul class="people" aria-labelledby="mod-title">
        ${a.owners.map((k) => html`<li><span class="badge role">${msg('owner', { id: 'post.owner' })}</span> ${this.key(k, me)}</li>`)}
        ${a.owners.length === 0 ? html`<li class="muted small">${msg('No owner holds authority now.', { id: 'moderators.noneLeft' })}</li>` : nothing}
        ${a.moderators.map((k) => {
          const short = k.slice(0, 8);
          return html`<li>
            <span class="badge role">${msg('moderator', { id: 'post.moderator' })}</span> ${this.key(k, me)}
            ${isOwner
              ? this.confirming === k
                ? html`<span class="confirm" role="group" aria-label=${msg('Confirm dismissing this moderator', { id: 'moderators.dismissGroup' })}>
                    <button type="button" class="danger" @click=${() => this.act((m) => moderation.dismissModerator(m, k), msg('Moderator dismissed.', { id: 'moderators.dismissed' }))}>
                      ${msg('Dismiss', { id: 'moderators.dismissConfirm' })}
                    </button>
                    <button type="button" @click=${() => (this.confirming = null)}>${msg('Cancel', { id: 'postActions.cancel' })}</button>
                  </span>`
                : html`<button type="button" aria-label=${msg(str`Dismiss moderator ${short}`, { id: 'moderators.dismissName' })} @click=${() => (this.confirming = k)}>
                  ${msg('Dismiss…', { id: 'moderators.dismiss' })}
                </button>`
              : nothing}
          </li>`;
        })}
      </ul>
      ${isOwner
        ? html`<form @submit=${this.appoint}>
            <label for="moderator-key">${msg('Appoint a moderator: their identity key', { id: 'moderators.keyLabel' })}</label>
            <div class="row">
              <input id="moderator-key" dir="ltr" required maxlength="64" autocomplete="off" spellcheck="false" />
              <button type="submit">${msg('Appoint', { id: 'moderators.appoint' })}</button>
            </div>
            <p class="small muted">${msg('Moderators can hide posts for everyone, with a reason; readers can still open them.', { id: 'moderators.hint' })}</p>
          </form>`
        : nothing}
      ${this.error ? html`<p class="bad small" role="alert">${this.error}</p>` : nothing}`;
  }
}

customElements.define('baton-moderators', BatonModerators);

declare global {
  interface HTMLElementTagNameMap {
    'baton-moderators': BatonModerators;
  }
}
