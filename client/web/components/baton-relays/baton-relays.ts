// The relays panel: every relay a space syncs with and what was observed of it, who added each
// entry of a board's list (and who removed it), the entries this device does not dial and why,
// "add relay", which writes to the board's `relays` map (signed) so every member may sync with
// it too, or for a reader keeps it on this device, and "remove", which writes a signed removal
// (docs/PROTOCOL.md §6) or forgets a relay this device kept.
import { LitElement, html, nothing } from 'lit';
import { styles } from './styles.ts';
import { listBoardRelayEntries, normaliseRelayUrl, readThreadInfo, toBase64url, type BoardRelay } from '#shared';
import { boards, type RelayStatus, type RelayVerdict, type Space } from '#client-core';
import { SpaceController } from '../../controllers/space-controller.ts';
import { fire } from '../../events.ts';
import { relayScope } from '../../lib/own-relays.ts';
import { relayStateWords, sinceTime } from '../../lib/relay-words.ts';
import type { Session } from '../../lib/session.ts';

/** Entries of a long list that are not dialled, shown at most. */
const MAX_SKIPPED_SHOWN = 12;

const SKIP_TEXT: Partial<Record<RelayVerdict, string>> = {
  'local-address': 'not dialled: a local network address you did not choose',
  'bad-address': 'not dialled: not a relay address',
  'over-limit': 'not dialled: this device syncs with at most 16 relays per board',
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
      fire(this, 'baton-notice', { message: `Added relay ${relay}` });
    } catch (err) {
      this.error = (err as Error).message;
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
      fire(this, 'baton-notice', { message: fromList ? `Removed relay ${relay} from the board’s list` : `This device no longer syncs with ${relay}` });
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  private again(relay: string): void {
    const space = this.space;
    if (!space) return;
    try {
      boards.addRelay(space, relay);
      for (const s of this.threadsOf(space)) s.connect([relay]);
      fire(this, 'baton-notice', { message: `Added relay ${relay} again` });
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  /** A key as people read it: you, or the start of the key. */
  private key(by: string | null) {
    const me = this.session ? toBase64url(this.session.client.identity.publicKey) : '';
    if (by === me) return 'you';
    return by ? html`the key <span class="mono" dir="ltr" title=${by}>${by.slice(0, 8)}</span>` : nothing;
  }

  /** Who added a list entry: you, a key's fingerprint, or nobody who signed it. */
  private adder(entry: BoardRelay | undefined) {
    if (!entry) return nothing;
    if (entry.addedBy) return html`<span class="detail small muted">added by ${this.key(entry.addedBy)}</span>`;
    return html`<span class="detail small warn">added by someone who did not sign it</span>`;
  }

  private remover(entry: BoardRelay) {
    const when = entry.removed!.at > 0 ? ` at ${sinceTime(entry.removed!.at)}` : '';
    if (entry.removed!.by) return html`<span class="detail small muted">removed by ${this.key(entry.removed!.by)}${when}</span>`;
    return html`<span class="detail small warn">removed by someone who did not sign it</span>`;
  }

  private stateBadge(s: RelayStatus) {
    return html`<span class="badge state-${s.state}" data-state=${s.state}>${relayStateWords(s)}</span>`;
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
    const live = entries.filter((e) => !e.removed);
    const removed = entries.filter((e) => e.removed);
    const skipped = live.filter((e) => !dialled.includes(safeNormalise(e.url)));
    return html`
      <h2 id="relays-title">Relays</h2>
      ${statuses.length === 0
        ? html`<p class="muted">No relay yet: everything stays on this device until you add one.</p>`
        : html`<ul class="plain" aria-labelledby="relays-title">
            ${statuses.map((s) => {
              const entry = byUrl.get(s.relay);
              const listed = shared && entry !== undefined && !entry.removed;
              const mine = own.includes(s.relay);
              return html`<li>
                <span class="url mono" dir="ltr">${s.relay}</span>
                ${this.stateBadge(s)}
                ${listed || mine
                  ? html`<button type="button" class="remove" aria-label=${`Remove ${s.relay}`} @click=${() => this.removeRelay(s.relay, listed)}>Remove</button>`
                  : nothing}
                ${s.lastError && s.state !== 'synced' ? html`<span class="detail small muted">${s.lastError}</span>` : nothing}
                ${s.rejected > 0 ? html`<span class="detail small bad">${s.rejected} forged or broken updates refused</span>` : nothing}
                ${entry?.removed ? this.remover(entry) : this.adder(entry)}
                ${mine ? html`<span class="detail small muted">kept on this device until you remove it</span>` : nothing}
              </li>`;
            })}
          </ul>`}
      ${skipped.length > 0
        ? html`<details class="skipped">
            <summary class="small" id="skipped-title">In the board's list, not dialled (${skipped.length})</summary>
            <ul class="plain" aria-labelledby="skipped-title">
              ${skipped.slice(0, MAX_SKIPPED_SHOWN).map(
                (e) => html`<li>
                  <span class="url mono" dir="ltr">${e.url}</span>
                  <span class="detail small muted">${SKIP_TEXT[verdicts.get(safeNormalise(e.url)) ?? 'over-limit'] ?? 'not dialled'}</span>
                  ${this.adder(e)}
                  ${shared ? html`<button type="button" class="remove" aria-label=${`Remove ${e.url}`} @click=${() => this.removeRelay(e.url, true)}>Remove</button>` : nothing}
                </li>`,
              )}
            </ul>
            ${skipped.length > MAX_SKIPPED_SHOWN ? html`<p class="small muted">and ${skipped.length - MAX_SKIPPED_SHOWN} more</p>` : nothing}
          </details>`
        : nothing}
      ${removed.length > 0
        ? html`<details class="skipped removed">
            <summary class="small" id="removed-title">Removed from the board's list (${removed.length})</summary>
            <ul class="plain" aria-labelledby="removed-title">
              ${removed.slice(0, MAX_SKIPPED_SHOWN).map(
                (e) => html`<li>
                  <span class="url mono" dir="ltr">${e.url}</span>
                  ${shared ? html`<button type="button" class="remove" aria-label=${`Add ${e.url} again`} @click=${() => this.again(e.url)}>Add again</button>` : nothing}
                  ${this.remover(e)}
                </li>`,
              )}
            </ul>
          </details>`
        : nothing}
      <form @submit=${this.add}>
        <div class="row">
          <div class="grow">
            <label for="relay-url">Relay URL</label>
            <input id="relay-url" type="url" required placeholder="https://relay.example.org" dir="ltr" autocomplete="url" />
          </div>
          <button type="submit">Add relay</button>
        </div>
        <p class="small muted">
          ${shared
            ? "The relay is added to the board's list, signed by you: members' devices sync with it (each with at most 16 relays, and with a local network address only if they chose it). Removing one is signed too: members stop syncing with it unless they added it themselves."
            : 'Only this device syncs with it, until you remove it.'}
        </p>
        ${this.error ? html`<p class="error small" role="alert">${this.error}</p>` : nothing}
      </form>
    `;
  }
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
