// Removing a member, for an owner or a moderator the owners allowed (docs/PROTOCOL.md §6,
// "Moved boards"): pick a member who posted (or paste a key), confirm, and the board moves to
// a successor without them; then the successor's links, for readers who get no invitation.
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { toBase64url } from '#shared';
import { isIdentityKeyText, mayRemove, moveState, removeMember, type Capabilities, type Space } from '#client-core';
import { styles } from './styles.ts';
import { fire } from '../../events.ts';
import { formatNumber } from '../../l10n/format.ts';
import { fillSlots, slot } from '../../l10n/slots.ts';
import { moveContext } from '../../lib/move-context.ts';
import type { Session } from '../../lib/session.ts';
import { routeHash } from '../../lib/route.ts';
import { withoutOverrides } from '../../lib/text.ts';
import { boardMembers, type Member } from './members.ts';
import { failureReason } from '../../lib/failure.ts';

type Step = { kind: 'pick' } | { kind: 'confirm'; key: string; name: string } | { kind: 'moving' } | { kind: 'done'; caps: Capabilities; invited: number };

export class BatonRemove extends LitElement {
  static override properties = { session: { attribute: false }, space: { attribute: false }, step: { state: true }, members: { state: true }, error: { state: true } };
  static override styles = styles;
  declare session: Session | null;
  declare space: Space | null;
  declare private step: Step;
  declare private members: Member[] | null;
  declare private error: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.session = null;
    this.space = null;
    this.step = { kind: 'pick' };
    this.members = null;
    this.error = '';
  }

  private get me(): string {
    return this.session ? toBase64url(this.session.client.identity.publicKey) : '';
  }

  async open(): Promise<void> {
    const { session, space } = this;
    if (!session || !space) return;
    this.step = { kind: 'pick' };
    this.error = '';
    this.members = null;
    this.renderRoot.querySelector('dialog')?.showModal();
    this.members = await boardMembers(session.client, space, this.me);
  }

  private close(): void {
    this.renderRoot.querySelector('dialog')?.close();
  }

  private pick(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const chosen = (form.querySelector('input[name="member"]:checked') as HTMLInputElement | null)?.value ?? '';
    const typed = (form.querySelector('#member-key') as HTMLInputElement).value.trim();
    const key = typed || chosen;
    if (!isIdentityKeyText(key)) {
      this.error = typed
        ? msg('That is not an identity key: it is 43 characters, as shown under a member’s posts.', { id: 'remove.notAKey' })
        : msg('Choose a member, or paste their key.', { id: 'remove.chooseOne' });
      return;
    }
    if (key === this.me) {
      this.error = msg('You cannot remove your own key. Another owner or a moderator can.', { id: 'remove.notYourself' });
      return;
    }
    this.error = '';
    this.step = { kind: 'confirm', key, name: this.members?.find((m) => m.key === key)?.name ?? '' };
  }

  private async confirm(key: string): Promise<void> {
    const { session, space } = this;
    if (!session || !space) return;
    this.step = { kind: 'moving' };
    // The app shows a moved board's screen in its place; its mover stays here to read the new links.
    this.dispatchEvent(new CustomEvent('baton-show-old', { detail: { spaceId: space.spaceId }, bubbles: true, composed: true }));
    try {
      const removal = await removeMember(session.client, space, key, { timeoutMs: 10_000, ...moveContext(session, space) });
      this.step = { kind: 'done', caps: removal.caps, invited: removal.invited.length };
    } catch (err) {
      this.step = { kind: 'pick' };
      const reason = failureReason(err);
      this.error = msg(str`The board was not moved: ${reason}`, { id: 'remove.failed' });
    }
  }

  private pickStep() {
    const members = this.members;
    return html`<form @submit=${this.pick}>
      <p class="small">
        ${msg('Baton makes a new board without them, with everything written so far, and leaves here a signed note that invites every other member who posted. Their devices follow on their next visit. Whoever you remove keeps what was written until now.', { id: 'remove.explain' })}
      </p>
      <fieldset>
        <legend>${msg('Who posted here', { id: 'remove.whoPosted' })}</legend>
        ${members === null ? html`<p class="small muted" role="status">${msg('Reading the threads…', { id: 'remove.reading' })}</p>` : nothing}
        ${members?.length === 0 ? html`<p class="small muted">${msg('Nobody else has posted yet.', { id: 'remove.nobody' })}</p>` : nothing}
        <ul class="plain">
          ${(members ?? []).map((m) => {
            const count = formatNumber(m.posts);
            return html`<li>
              <label class="choice"
                ><input type="radio" name="member" .value=${m.key} />
                <bdi dir="auto">${withoutOverrides(m.name) || msg('anonymous', { id: 'remove.anonymous' })}</bdi>
                <span class="mono small muted" dir="ltr">${m.key.slice(0, 8)}</span>
                <span class="small muted">${msg(str`posts: ${count}`, { id: 'remove.postCount' })}</span></label
              >
            </li>`;
          })}
        </ul>
      </fieldset>
      <label for="member-key">${msg('Or their identity key', { id: 'remove.keyLabel' })}</label>
      <input id="member-key" dir="ltr" autocomplete="off" spellcheck="false" placeholder=${msg('43 characters', { id: 'remove.keyPlaceholder' })} />
      ${this.error ? html`<p class="bad small" role="alert">${this.error}</p>` : nothing}
      <div class="actions">
        <button type="submit">${msg('Continue', { id: 'remove.continue' })}</button>
        <button type="button" @click=${() => this.close()}>${msg('Cancel', { id: 'remove.cancel' })}</button>
      </div>
    </form>`;
  }

  private confirmStep(key: string, name: string) {
    const [who, fingerprint] = [slot(0), slot(1)];
    const question = msg(
      str`Remove ${who} (${fingerprint})? The board moves to a new one; this cannot be undone. Readers who never posted get no invitation: you will be shown the new read link to give them.`,
      { id: 'remove.confirm' },
    );
    return html`<div>
      <p class="warning">
        ${fillSlots(question, {
          [who]: html`<strong><bdi dir="auto">${withoutOverrides(name) || msg('this member', { id: 'remove.thisMember' })}</bdi></strong>`,
          [fingerprint]: html`<span class="mono" dir="ltr">${key.slice(0, 8)}</span>`,
        })}
      </p>
      <div class="actions">
        <button type="button" class="danger" @click=${() => this.confirm(key)}>${msg('Remove and move the board', { id: 'remove.confirmButton' })}</button>
        <button type="button" @click=${() => (this.step = { kind: 'pick' })}>${msg('Back', { id: 'remove.back' })}</button>
      </div>
    </div>`;
  }

  private doneStep(caps: Capabilities, invited: number) {
    const base = this.session?.linkBase(this.space?.relays() ?? []) ?? null;
    const link = (cap: string) => (base ? `${base}/#${cap}` : cap);
    const count = formatNumber(invited);
    return html`<div role="status">
      <p>${msg(str`The board moved. Members who posted, invited to follow on their next visit: ${count}.`, { id: 'remove.done' })}</p>
      <label for="new-read">${msg('New read link, for readers who never posted', { id: 'remove.newRead' })}</label>
      <textarea id="new-read" readonly dir="ltr" rows="3" .value=${link(caps.read)} @focus=${(e: Event) => (e.target as HTMLTextAreaElement).select()}></textarea>
      <details>
        <summary>${msg('Write link and mirror link', { id: 'remove.more' })}</summary>
        <p class="warning small">${msg('Anyone with the write link can post in the new board. Give it only to members you trust.', { id: 'remove.writeWarning' })}</p>
        <label for="new-write">${msg('New write link', { id: 'remove.newWrite' })}</label>
        <textarea id="new-write" readonly dir="ltr" rows="3" .value=${link(caps.write)} @focus=${(e: Event) => (e.target as HTMLTextAreaElement).select()}></textarea>
        <label for="new-mirror">${msg('New mirror link, for people who run a relay', { id: 'remove.newMirror' })}</label>
        <textarea id="new-mirror" readonly dir="ltr" rows="2" .value=${caps.mirror} @focus=${(e: Event) => (e.target as HTMLTextAreaElement).select()}></textarea>
      </details>
      <div class="actions">
        <button type="button" class="primary" @click=${() => (this.close(), fire(this, 'baton-navigate', { hash: routeHash(caps.write) }))}>
          ${msg('Open the new board', { id: 'remove.open' })}
        </button>
      </div>
    </div>`;
  }

  private content() {
    const s = this.step;
    if (s.kind === 'pick') return this.pickStep();
    if (s.kind === 'confirm') return this.confirmStep(s.key, s.name);
    if (s.kind === 'moving') return html`<p role="status">${msg('Moving the board: carrying every thread into the new one…', { id: 'remove.moving' })}</p>`;
    return this.doneStep(s.caps, s.invited);
  }

  override render() {
    const space = this.space;
    if (!space?.plain || space.access !== 'write') return nothing;
    const context = moveContext(this.session, space);
    if ((moveState(space, context).moved && this.step.kind !== 'done') || !context.authority || !mayRemove(context.authority, this.me)) return nothing;
    return html`
      <button type="button" @click=${() => this.open()}>${msg('Remove a member', { id: 'remove.button' })}</button>
      <dialog aria-labelledby="remove-title">
        <div class="head">
          <h2 id="remove-title">${msg('Remove a member', { id: 'remove.title' })}</h2>
          ${this.step.kind === 'moving' ? nothing : html`<button type="button" @click=${() => this.close()}>${msg('Close', { id: 'remove.close' })}</button>`}
        </div>
        ${this.content()}
      </dialog>
    `;
  }
}

customElements.define('baton-remove', BatonRemove);

declare global {
  interface HTMLElementTagNameMap {
    'baton-remove': BatonRemove;
  }
}
