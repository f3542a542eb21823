// The relays panel: every relay a space syncs with and its live state, who added each entry
// of a board's relay list, the entries this device does not dial and why, and "add relay",
// which writes to the board's `relays` map (signed) so every member may sync with it too.
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { styles } from './styles.ts';
import { listBoardRelayEntries, normaliseRelayUrl, readThreadInfo, toBase64url, type BoardRelay } from '#shared';
import { boards, type RelayStatus, type RelayVerdict, type Space } from '#client-core';
import { SpaceController } from '../../controllers/space-controller.ts';
import { fire } from '../../events.ts';
import type { Session } from '../../lib/session.ts';
import { formatNumber } from '../../l10n/format.ts';
import { fillSlots, slot } from '../../l10n/slots.ts';

/** Entries of a long list that are not dialled, shown at most. */
const MAX_SKIPPED_SHOWN = 12;

/** Why this device does not dial a relay of the board's list. */
function skipText(verdict: RelayVerdict | undefined): string {
  switch (verdict ?? 'over-limit') {
    case 'local-address':
      return msg('not dialled: a local network address you did not choose', { id: 'relays.skipLocal' });
    case 'bad-address':
      return msg('not dialled: not a relay address', { id: 'relays.skipBad' });
    case 'over-limit':
      return msg('not dialled: this device syncs with at most 16 relays per board', { id: 'relays.skipOverLimit' });
    default:
      return msg('not dialled', { id: 'relays.skipped' });
  }
}

function stateText(state: RelayStatus['state']): string {
  switch (state) {
    case 'connecting':
      return msg('connecting', { id: 'relays.connecting' });
    case 'synced':
      return msg('synced', { id: 'relays.synced' });
    case 'failing':
      return msg('failing', { id: 'relays.failing' });
    case 'blocked':
      return msg('blocked', { id: 'relays.blocked' });
  }
}

export class BatonRelays extends LitElement {
  static override properties = { session: { attribute: false }, space: { attribute: false }, error: { state: true } };
  static override styles = styles;
  declare session: Session | null;
  declare space: Space | null;
  declare private error: string;
  private readonly spaces = new SpaceController(this);

  constructor() {
    super();
    updateWhenLocaleChanges(this);
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
      fire(this, 'baton-notice', { message: msg(str`Added relay ${relay}`, { id: 'relays.added' }) });
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  /** Who added a list entry: you, a key's fingerprint, or nobody who signed it. */
  private adder(entry: BoardRelay | undefined) {
    if (!entry) return nothing;
    const me = this.session ? toBase64url(this.session.client.identity.publicKey) : '';
    if (entry.addedBy === me) return html`<span class="detail small muted">${msg('added by you', { id: 'relays.addedByYou' })}</span>`;
    const fp = slot(0);
    if (entry.addedBy) {
      const key = html`<span class="mono" dir="ltr" title=${entry.addedBy}>${entry.addedBy.slice(0, 8)}</span>`;
      return html`<span class="detail small muted">${fillSlots(msg(str`added by the key ${fp}`, { id: 'relays.addedByKey' }), { [fp]: key })}</span>`;
    }
    return html`<span class="detail small warn">${msg('added by someone who did not sign it', { id: 'relays.addedUnsigned' })}</span>`;
  }

  override render() {
    const space = this.space;
    if (!space) return nothing;
    const statuses = space.statuses().sort((a, b) => a.relay.localeCompare(b.relay));
    const shared = space.access === 'write' && space.cap.kind === 'board';
    const entries = space.plain && space.cap.kind === 'board' ? listBoardRelayEntries(space.plain, space.spaceId) : [];
    const byUrl = new Map(entries.map((e) => [safeNormalise(e.url), e]));
    const verdicts = space.relayVerdicts();
    const skipped = entries.filter((e) => !space.relays().includes(safeNormalise(e.url)));
    return html`
      <h2 id="relays-title">${msg('Relays', { id: 'start.relays' })}</h2>
      ${statuses.length === 0
        ? html`<p class="muted">${msg('No relay yet: everything stays on this device until you add one.', { id: 'relays.none' })}</p>`
        : html`<ul class="plain" aria-labelledby="relays-title">
            ${statuses.map(
              (s) => html`<li>
                <span class="url mono" dir="ltr">${s.relay}</span>
                <span class="badge state-${s.state}" data-state=${s.state}>${s.state === 'synced' && s.transport === 'http' ? msg('synced (over HTTP)', { id: 'relays.syncedHttp' }) : stateText(s.state)}</span>
                ${s.lastError && s.state !== 'synced' ? html`<span class="detail small muted">${s.lastError}</span>` : nothing}
                ${s.rejected > 0 ? html`<span class="detail small bad">${refusedText(s.rejected)}</span>` : nothing}
                ${this.adder(byUrl.get(s.relay))}
              </li>`,
            )}
          </ul>`}
      ${skipped.length > 0
        ? html`<details class="skipped">
            <summary class="small" id="skipped-title">${msg("In the board's list, not dialled", { id: 'relays.skippedTitle' })} (${formatNumber(skipped.length)})</summary>
            <ul class="plain" aria-labelledby="skipped-title">
              ${skipped.slice(0, MAX_SKIPPED_SHOWN).map(
                (e) => html`<li>
                  <span class="url mono" dir="ltr">${e.url}</span>
                  <span class="detail small muted">${skipText(verdicts.get(safeNormalise(e.url)))}</span>
                  ${this.adder(e)}
                </li>`,
              )}
            </ul>
            ${skipped.length > MAX_SKIPPED_SHOWN ? html`<p class="small muted">${moreText(skipped.length - MAX_SKIPPED_SHOWN)}</p>` : nothing}
          </details>`
        : nothing}
      <form @submit=${this.add}>
        <div class="row">
          <div class="grow">
            <label for="relay-url">${msg('Relay URL', { id: 'relays.url' })}</label>
            <input id="relay-url" type="url" required placeholder="https://relay.example.org" dir="ltr" autocomplete="url" />
          </div>
          <button type="submit">${msg('Add relay', { id: 'relays.add' })}</button>
        </div>
        <p class="small muted">
          ${shared
            ? msg("The relay is added to the board's list, signed by you: members' devices sync with it (each with at most 16 relays, and with a local network address only if they chose it).", { id: 'relays.addShared' })
            : msg('Only this device syncs with it, for this session.', { id: 'relays.addLocal' })}
        </p>
        ${this.error ? html`<p class="error small" role="alert">${this.error}</p>` : nothing}
      </form>
    `;
  }
}

function refusedText(n: number): string {
  const count = formatNumber(n);
  return msg(str`${count} forged or broken updates refused`, { id: 'relays.refused' });
}

function moreText(n: number): string {
  const count = formatNumber(n);
  return msg(str`and ${count} more`, { id: 'relays.more' });
}

function safeNormalise(url: string): string {
  try {
    return normaliseRelayUrl(url);
  } catch {
    return url;
  }
}

customElements.define('baton-relays', BatonRelays);

declare global {
  interface HTMLElementTagNameMap {
    'baton-relays': BatonRelays;
  }
}
