// The relays panel: every relay a space syncs with and its live state, and "add relay",
// which writes to the board's `relays` map so every member syncs with it too.
import { LitElement, html, nothing } from 'lit';
import { styles } from './styles.ts';
import { normaliseRelayUrl, readThreadInfo } from '../../../../shared/index.ts';
import { boards, type RelayStatus, type Space } from '../../../core/index.ts';
import { SpaceController } from '../../controllers/space-controller.ts';
import { fire } from '../../events.ts';
import type { Session } from '../../lib/session.ts';

const STATE_TEXT: Record<RelayStatus['state'], string> = {
  connecting: 'connecting',
  synced: 'synced',
  failing: 'failing',
  blocked: 'blocked',
};

export class BatonRelays extends LitElement {
  static override properties = { session: { attribute: false }, space: { attribute: false }, error: { state: true } };
  static override styles = styles;
  declare session: Session | null;
  declare space: Space | null;
  declare private error: string;
  private readonly spaces = new SpaceController(this);

  constructor() {
    super();
    this.session = null;
    this.space = null;
    this.error = '';
  }

  override willUpdate(): void {
    this.spaces.watch([this.space]);
  }

  private add(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const input = form.querySelector('input')!;
    const space = this.space;
    if (!space || !this.session) return;
    try {
      let relay: string;
      if (space.access === 'write' && space.cap.kind === 'board') {
        relay = boards.addRelay(space, input.value.trim());
      } else {
        relay = normaliseRelayUrl(input.value.trim());
        space.connect([relay]);
      }
      // Open threads of this board follow it to the new relay.
      for (const s of this.session.client.openSpaces()) {
        if (s !== space && s.plain && s.cap.kind === 'thread' && readThreadInfo(s.plain).boardId === space.spaceId) s.connect([relay]);
      }
      input.value = '';
      this.error = '';
      fire(this, 'baton-notice', { message: `Added relay ${relay}` });
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  override render() {
    const space = this.space;
    if (!space) return nothing;
    const statuses = space.statuses().sort((a, b) => a.relay.localeCompare(b.relay));
    const shared = space.access === 'write' && space.cap.kind === 'board';
    return html`
      <h2 id="relays-title">Relays</h2>
      ${statuses.length === 0
        ? html`<p class="muted">No relay yet: everything stays on this device until you add one.</p>`
        : html`<ul class="plain" aria-labelledby="relays-title">
            ${statuses.map(
              (s) => html`<li>
                <span class="url mono" dir="ltr">${s.relay}</span>
                <span class="badge state-${s.state}" data-state=${s.state}>${STATE_TEXT[s.state]}${s.state === 'synced' && s.transport === 'http' ? ' (over HTTP)' : ''}</span>
                ${s.lastError && s.state !== 'synced' ? html`<span class="detail small muted">${s.lastError}</span>` : nothing}
                ${s.rejected > 0 ? html`<span class="detail small bad">${s.rejected} forged or broken updates refused</span>` : nothing}
              </li>`,
            )}
          </ul>`}
      <form @submit=${this.add}>
        <div class="row">
          <div class="grow">
            <label for="relay-url">Relay URL</label>
            <input id="relay-url" type="url" required placeholder="https://relay.example.org" dir="ltr" autocomplete="url" />
          </div>
          <button type="submit">Add relay</button>
        </div>
        <p class="small muted">
          ${shared ? 'The relay is added to the board: every member syncs with it.' : 'Only this device syncs with it, for this session.'}
        </p>
        ${this.error ? html`<p class="error small" role="alert">${this.error}</p>` : nothing}
      </form>
    `;
  }
}

customElements.define('baton-relays', BatonRelays);

declare global {
  interface HTMLElementTagNameMap {
    'baton-relays': BatonRelays;
  }
}
