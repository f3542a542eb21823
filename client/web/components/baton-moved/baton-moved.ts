// A moved board (docs/PROTOCOL.md §6, "Moved boards"): where it went, and either the way there
// (this device's key was invited) or that it moved without this member. The old board's
// content stays readable on request; nothing new arrives there.
import { LitElement, html, nothing } from 'lit';
import { formatCapability } from '#shared';
import type { MoveState } from '#client-core';
import { styles } from './styles.ts';
import { fire } from '../../events.ts';
import { routeHash } from '../../lib/route.ts';
import { withoutOverrides } from '../../lib/text.ts';

type Moved = Extract<MoveState, { moved: true }>;

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export class BatonMoved extends LitElement {
  static override properties = { state: { attribute: false }, boardTitle: { type: String } };
  static override styles = styles;
  declare state: Moved | null;
  /** The old board's title. */
  declare boardTitle: string;

  constructor() {
    super();
    this.state = null;
    this.boardTitle = '';
  }

  private follow(): void {
    if (this.state?.successor) fire(this, 'baton-navigate', { hash: routeHash(formatCapability(this.state.successor)) });
  }

  private showOld(): void {
    this.dispatchEvent(new CustomEvent('baton-show-old', { bubbles: true, composed: true }));
  }

  override render() {
    const s = this.state;
    if (!s) return nothing;
    const date = Number.isFinite(s.at) && Math.abs(s.at) <= 8.64e15 ? new Date(s.at) : null;
    const at = date ? html`<time datetime=${date.toISOString()}>${when.format(date)}</time>` : 'an unknown time';
    const name = withoutOverrides(this.boardTitle) || 'This board';
    const by = html`<span class="mono" title=${s.by}>${s.by.slice(0, 8)}</span>`;
    if (s.successor) {
      return html`<section class="card moved" role="region" aria-labelledby="moved-title">
        <h1 id="moved-title">This board moved</h1>
        <p><bdi dir="auto">${name}</bdi> moved to a new board on ${at}, made by an owner or moderator (key ${by}) to leave someone out.</p>
        <p>You were invited: this device opened your invitation. Everything written here until then is in the new board; nothing new arrives here.</p>
        <div class="actions">
          <button type="button" class="primary" @click=${() => this.follow()}>Open the new board</button>
          <button type="button" class="link" @click=${() => this.showOld()}>Show the old board</button>
        </div>
      </section>`;
    }
    return html`<section class="card moved" role="region" aria-labelledby="moved-title">
      <h1 id="moved-title">This board moved without you</h1>
      <p><bdi dir="auto">${name}</bdi> moved to a new board on ${at}, made by an owner or moderator (key ${by}). Your key was not invited, so this device cannot open the new board.</p>
      ${s.problem ? html`<p class="warning small">An invitation for your key is there, but it does not open: ${s.problem}.</p>` : nothing}
      <p class="small muted">
        You can still read what was written here before the move. If you only ever read this board, or posted from another device, ask a
        member for the new board’s link.
      </p>
      <div class="actions">
        <button type="button" @click=${() => this.showOld()}>Show the old board</button>
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
    'baton-show-old': CustomEvent<void>;
  }
}
