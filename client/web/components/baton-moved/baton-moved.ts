// A moved board (docs/PROTOCOL.md §6, "Moved boards"): where it went, and either the way there
// (this device's key was invited) or that it moved without this member. The old board's
// content stays readable on request; nothing new arrives there.
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { formatCapability, type SpaceId } from '#shared';
import type { MoveState } from '#client-core';
import { styles } from './styles.ts';
import { fire } from '../../events.ts';
import { formatDate } from '../../l10n/format.ts';
import { fillSlots, slot } from '../../l10n/slots.ts';
import { routeHash } from '../../lib/route.ts';
import { withoutOverrides } from '../../lib/text.ts';

type Moved = Extract<MoveState, { moved: true }>;

export class BatonMoved extends LitElement {
  static override properties = { state: { attribute: false }, boardId: { type: String }, boardTitle: { type: String } };
  static override styles = styles;
  declare state: Moved | null;
  /** The old board's space id. */
  declare boardId: string;
  /** The old board's title. */
  declare boardTitle: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.state = null;
    this.boardId = '';
    this.boardTitle = '';
  }

  private follow(): void {
    if (this.state?.successor) fire(this, 'baton-navigate', { hash: routeHash(formatCapability(this.state.successor)) });
  }

  private showOld(): void {
    this.dispatchEvent(new CustomEvent('baton-show-old', { detail: { spaceId: this.boardId as SpaceId }, bubbles: true, composed: true }));
  }

  /** "<title> moved to a new board on <date>, …" with the title and key as marked-up parts. */
  /** Why the invitation for this key does not open, in the reader's words (never the core's English). */
  private badInvite(code: NonNullable<Moved['problemCode']>): string {
    const problem =
      code === 'wrong-key'
        ? msg('it is sealed to another key', { id: 'moved.inviteWrongKey' })
        : code === 'fake-successor'
          ? msg('it opens another board than the one the move names', { id: 'moved.inviteOtherBoard' })
          : msg('it is damaged', { id: 'moved.inviteDamaged' });
    return msg(str`An invitation for your key is there, but it does not open: ${problem}.`, { id: 'moved.badInvite' });
  }

  private movedLine(s: Moved, invited: boolean) {
    const date = Number.isFinite(s.at) && Math.abs(s.at) <= 8.64e15 ? new Date(s.at) : null;
    const [board, when, key] = [slot(0), slot(1), slot(2)];
    const text = invited
      ? msg(str`${board} moved to a new board on ${when}, made by an owner or moderator (key ${key}) to leave someone out.`, { id: 'moved.movedInvited' })
      : msg(str`${board} moved to a new board on ${when}, made by an owner or moderator (key ${key}). Your key was not invited, so this device cannot open the new board.`, { id: 'moved.movedWithout' });
    return fillSlots(text, {
      [board]: html`<bdi dir="auto">${withoutOverrides(this.boardTitle) || msg('This board', { id: 'moved.thisBoard' })}</bdi>`,
      [when]: date ? html`<time datetime=${date.toISOString()}>${formatDate(date)}</time>` : msg('an unknown time', { id: 'moved.unknownTime' }),
      [key]: html`<span class="mono" dir="ltr" title=${s.by}>${s.by.slice(0, 8)}</span>`,
    });
  }

  override render() {
    const s = this.state;
    if (!s) return nothing;
    if (s.successor) {
      return html`<section class="card moved" role="region" aria-labelledby="moved-title">
        <h1 id="moved-title">${msg('This board moved', { id: 'moved.title' })}</h1>
        <p>${this.movedLine(s, true)}</p>
        <p>${msg('You were invited: this device opened your invitation. Everything written here until then is in the new board; nothing new arrives here.', { id: 'moved.invited' })}</p>
        <div class="actions">
          <button type="button" class="primary" @click=${() => this.follow()}>${msg('Open the new board', { id: 'moved.open' })}</button>
          <button type="button" class="link" @click=${() => this.showOld()}>${msg('Show the old board', { id: 'moved.showOld' })}</button>
        </div>
      </section>`;
    }
    return html`<section class="card moved" role="region" aria-labelledby="moved-title">
      <h1 id="moved-title">${msg('This board moved without you', { id: 'moved.titleWithout' })}</h1>
      <p>${this.movedLine(s, false)}</p>
      ${s.problemCode ? html`<p class="warning small">${this.badInvite(s.problemCode)}</p>` : nothing}
      <p class="small muted">
        ${msg('You can still read what was written here before the move. If you only ever read this board, or posted from another device, ask a member for the new board’s link.', { id: 'moved.readOld' })}
      </p>
      <div class="actions">
        <button type="button" @click=${() => this.showOld()}>${msg('Show the old board', { id: 'moved.showOldWithout' })}</button>
      </div>
    </section>`;
  }
}

customElements.define('baton-moved', BatonMoved);

declare global {
  interface HTMLElementTagNameMap {
    'baton-moved': BatonMoved;
  }
  interface GlobalEventHandlersEventMap {
    /** Show a moved board's old content instead of the moved screen. */
    'baton-show-old': CustomEvent<{ spaceId: SpaceId }>;
  }
}
