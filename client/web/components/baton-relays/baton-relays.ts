// The relays panel: every relay a space syncs with and what was observed of it, who added each
// entry of a board's list (and who removed it), the entries this device does not dial and why,
// "add relay", which writes to the board's `relays` map (signed) so every member may sync with
// it too, or for a reader keeps it on this device, and "remove", which writes a signed removal
// (docs/PROTOCOL.md §6) or forgets a relay this device kept.
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { styles } from './styles.ts';
import { listBoardRelayEntries, normaliseRelayUrl, readThreadInfo, toBase64url, type BoardRelay } from '#shared';
import { boards, type RelayStatus, type RelayVerdict, type Space } from '#client-core';
import { SpaceController } from '../../controllers/space-controller.ts';
import { fire } from '../../events.ts';
import { relayScope } from '../../lib/own-relays.ts';
import { relayStateWords, sinceTime } from '../../lib/relay-words.ts';
import type { Session } from '../../lib/session.ts';
import { formatNumber } from '../../l10n/format.ts';
import { fillSlots, slot } from '../../l10n/slots.ts';
import { failureReason } from '../../lib/failure.ts';

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

  /** Open threads of this board follow it (to a relay added, or kept by this device). */
  private threadsOf(space: Space): Space[] {
    return (this.session?.client.openSpaces() ?? []).filter((s) => s !== space && s.plain && s.cap.kind === 'thread' && readThreadInfo(s.plain).boardId === space.spaceId);
  }

  private shared(space: Space): boolean {
    return space.access === 'write' && space.cap.kind === 'board';
  }

  private add(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const input = form.querySelector('input')!;
    const { space, session } = this;
    if (!space || !session) return;
    try {
      let relay: string;
      if (this.shared(space)) {
        relay = boards.addRelay(space, input.value.trim());
        for (const s of this.threadsOf(space)) s.connect([relay]);
      } else {
        // Only this device: kept until the person removes it, and dialled whatever the board's list says.
        relay = normaliseRelayUrl(input.value.trim());
        session.local.addOwnRelay(relayScope(space), relay);
        space.keep([relay]);
        for (const s of this.threadsOf(space)) s.keep([relay]);
      }
      input.value = '';
      this.error = '';
      fire(this, 'baton-notice', { message: msg(str`Added relay ${relay}`, { id: 'relays.added' }) });
    } catch (err) {
      this.error = failureReason(err);
    }
  }

  private removeRelay(relay: string, fromList: boolean): void {
    const { space, session } = this;
    if (!space || !session) return;
    try {
      if (fromList) boards.removeRelay(space, relay);
      const scope = relayScope(space);
      if (session.local.ownRelays(scope).includes(relay)) {
        session.local.removeOwnRelay(scope, relay);
        for (const s of [space, ...this.threadsOf(space)]) s.unkeep(relay);
      }
      fire(this, 'baton-notice', {
        message: fromList ? msg(str`Removed relay ${relay} from the board’s list`, { id: 'relays.removed' }) : msg(str`This device no longer syncs with ${relay}`, { id: 'relays.forgotten' }),
      });
    } catch (err) {
      this.error = failureReason(err);
    }
  }

  private again(relay: string): void {
    const space = this.space;
    if (!space) return;
    try {
      boards.addRelay(space, relay);
      for (const s of this.threadsOf(space)) s.connect([relay]);
      fire(this, 'baton-notice', { message: msg(str`Added relay ${relay} again`, { id: 'relays.addedAgain' }) });
    } catch (err) {
      this.error = failureReason(err);
    }
  }

  private mine(by: string | null): boolean {
    return this.session !== null && by === toBase64url(this.session.client.identity.publicKey);
  }

  private keyOf(by: string) {
    return html`<span class="mono" dir="ltr" title=${by}>${by.slice(0, 8)}</span>`;
  }

  /** Who added a list entry: you, a key's fingerprint, or nobody who signed it. */
  private adder(entry: BoardRelay | undefined) {
    if (!entry) return nothing;
    if (this.mine(entry.addedBy)) return html`<span class="detail small muted">${msg('added by you', { id: 'relays.addedByYou' })}</span>`;
    const fp = slot(0);
    if (entry.addedBy) return html`<span class="detail small muted">${fillSlots(msg(str`added by the key ${fp}`, { id: 'relays.addedByKey' }), { [fp]: this.keyOf(entry.addedBy) })}</span>`;
    return html`<span class="detail small warn">${msg('added by someone who did not sign it', { id: 'relays.addedUnsigned' })}</span>`;
  }

  /** Who removed a list entry, and when. */
  private remover(entry: BoardRelay) {
    const { by, at } = entry.removed!;
    const when = sinceTime(at);
    if (this.mine(by)) return html`<span class="detail small muted">${msg(str`removed by you at ${when}`, { id: 'relays.removedByYou' })}</span>`;
    const fp = slot(0);
    if (by) return html`<span class="detail small muted">${fillSlots(msg(str`removed by the key ${fp} at ${when}`, { id: 'relays.removedByKey' }), { [fp]: this.keyOf(by) })}</span>`;
    return html`<span class="detail small warn">${msg('removed by someone who did not sign it', { id: 'relays.removedUnsigned' })}</span>`;
  }

  private removeButton(url: string, fromList: boolean) {
    return html`<button type="button" class="small-action" aria-label=${msg(str`Remove ${url}`, { id: 'relays.removeLabel' })} @click=${() => this.removeRelay(url, fromList)}>
      ${msg('Remove', { id: 'relays.remove' })}
    </button>`;
  }

  private row(s: RelayStatus, entry: BoardRelay | undefined, listed: boolean, own: boolean) {
    return html`<li>
      <span class="url mono" dir="ltr">${s.relay}</span>
      <span class="badge state-${s.state}" data-state=${s.state}>${relayStateWords(s)}</span>
      ${listed || own ? this.removeButton(s.relay, listed) : nothing}
      ${s.lastError && s.state !== 'synced' ? html`<span class="detail small muted">${s.lastError}</span>` : nothing}
      ${s.rejected > 0 ? html`<span class="detail small bad">${refusedText(s.rejected)}</span>` : nothing}
      ${entry?.removed ? this.remover(entry) : this.adder(entry)}
      ${own ? html`<span class="detail small muted">${msg('kept on this device until you remove it', { id: 'relays.kept' })}</span>` : nothing}
    </li>`;
  }

  override render() {
    const { space, session } = this;
    if (!space || !session) return nothing;
    const statuses = space.statuses().sort((a, b) => a.relay.localeCompare(b.relay));
    const shared = this.shared(space);
    const entries = space.plain && space.cap.kind === 'board' ? listBoardRelayEntries(space.plain, space.spaceId) : [];
    const byUrl = new Map(entries.map((e) => [safeNormalise(e.url), e]));
    const verdicts = space.relayVerdicts();
    const dialled = space.relays();
    const own = session.local.ownRelays(relayScope(space));
    const removed = entries.filter((e) => e.removed);
    const skipped = entries.filter((e) => !e.removed && !dialled.includes(safeNormalise(e.url)));
    return html`
      <h2 id="relays-title">${msg('Relays', { id: 'start.relays' })}</h2>
      ${statuses.length === 0
        ? html`<p class="muted">${msg('No relay yet: everything stays on this device until you add one.', { id: 'relays.none' })}</p>`
        : html`<ul class="plain" aria-labelledby="relays-title">
            ${statuses.map((s) => {
              const entry = byUrl.get(s.relay);
              return this.row(s, entry, shared && entry !== undefined && !entry.removed, own.includes(s.relay));
            })}
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
                  ${shared ? this.removeButton(e.url, true) : nothing}
                </li>`,
              )}
            </ul>
            ${skipped.length > MAX_SKIPPED_SHOWN ? html`<p class="small muted">${moreText(skipped.length - MAX_SKIPPED_SHOWN)}</p>` : nothing}
          </details>`
        : nothing}
      ${removed.length > 0
        ? html`<details class="skipped removed">
            <summary class="small" id="removed-title">${msg("Removed from the board's list", { id: 'relays.removedTitle' })} (${formatNumber(removed.length)})</summary>
            <ul class="plain" aria-labelledby="removed-title">
              ${removed.slice(0, MAX_SKIPPED_SHOWN).map(
                (e) => html`<li>
                  <span class="url mono" dir="ltr">${e.url}</span>
                  ${shared
                    ? html`<button type="button" class="small-action" aria-label=${msg(str`Add ${e.url} again`, { id: 'relays.addAgainLabel' })} @click=${() => this.again(e.url)}>
                        ${msg('Add again', { id: 'relays.addAgain' })}
                      </button>`
                    : nothing}
                  ${this.remover(e)}
                </li>`,
              )}
            </ul>
            ${removed.length > MAX_SKIPPED_SHOWN ? html`<p class="small muted">${moreText(removed.length - MAX_SKIPPED_SHOWN)}</p>` : nothing}
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
            ? msg(
                "The relay is added to the board's list, signed by you: members' devices sync with it (each with at most 16 relays, and with a local network address only if they chose it). Removing one is signed too: members stop syncing with it unless they added it themselves.",
                { id: 'relays.addSharedRemove' },
              )
            : msg('Only this device syncs with it, until you remove it.', { id: 'relays.addOwn' })}
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
