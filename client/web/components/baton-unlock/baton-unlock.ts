// The only screen of a locked app: the passphrase, a clear refusal with a growing wait, and
// the way out for someone who forgot it (erase this device). Typing the duress passphrase
// erases everything instead of unlocking. Argon2id loads with the first attempt.
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { Vault } from '#client-core';
import { waitBeforeAttempt } from '#client-core';
import { styles } from './styles.ts';
import { passphraseCode } from '../../lib/lock/lazy.ts';
import { readLock } from '../../lib/lock/record.ts';
import { panicWipe } from '../../lib/lock/wipe.ts';
import { formatNumber } from '../../l10n/format.ts';
import { failureReason } from '../../lib/failure.ts';

export class BatonUnlock extends LitElement {
  static override properties = { busy: { state: true }, error: { state: true }, waitMs: { state: true } };
  static override styles = styles;
  /** Called with the vault once the passphrase opened it. */
  onUnlock: (vault: Vault) => void = () => {};
  declare private busy: boolean;
  declare private error: string;
  declare private waitMs: number;
  private ticker: ReturnType<typeof setInterval> | null = null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.busy = false;
    this.error = '';
    const record = readLock();
    this.waitMs = record ? waitBeforeAttempt(record) : 0;
    if (record && record.fails > 0) this.error = this.refusal(record.fails);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.tick();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.ticker) clearInterval(this.ticker);
  }

  private refusal(fails: number): string {
    if (fails === 1) return msg('Wrong passphrase. Each wrong try makes the next one wait longer.', { id: 'unlock.wrongOnce' });
    const count = formatNumber(fails);
    return msg(str`Wrong passphrase (${count} times in a row). Each wrong try makes the next one wait longer.`, { id: 'unlock.wrongAgain' });
  }

  /** Counts the wait down, once a second, until the next attempt may be made. */
  private tick(): void {
    if (this.ticker) clearInterval(this.ticker);
    const until = Date.now() + this.waitMs;
    this.ticker = setInterval(() => {
      this.waitMs = Math.max(0, until - Date.now());
      if (this.waitMs === 0 && this.ticker) clearInterval(this.ticker);
    }, 250);
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    const input = this.renderRoot.querySelector('input')!;
    const passphrase = input.value;
    if (!passphrase || this.busy || this.waitMs > 0) return;
    this.busy = true;
    try {
      const { unlockWith } = await passphraseCode();
      const attempt = await unlockWith(passphrase);
      if (attempt.kind === 'duress') return await panicWipe();
      if (attempt.kind === 'open') return this.onUnlock(attempt.vault);
      if (attempt.kind === 'none') return location.reload();
      input.value = '';
      this.error = this.refusal(attempt.fails);
      this.waitMs = attempt.waitMs;
      this.tick();
      input.focus();
    } catch (err) {
      const reason = failureReason(err);
      this.error = msg(str`Could not unlock: ${reason}`, { id: 'unlock.failed' });
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const seconds = Math.ceil(this.waitMs / 1000);
    const wait = formatNumber(seconds);
    const label = this.busy ? msg('Unlocking…', { id: 'unlock.busy' }) : seconds > 0 ? msg(str`Wait ${wait} s`, { id: 'unlock.wait' }) : msg('Unlock', { id: 'unlock.submit' });
    return html`
      <form class="card" @submit=${this.submit}>
        <h1>${msg('Baton is locked', { id: 'unlock.title' })}</h1>
        <p class="muted">${msg('Everything Baton keeps on this device is encrypted. Type your passphrase to open it.', { id: 'unlock.intro' })}</p>
        <div>
          <label for="passphrase">${msg('Passphrase', { id: 'unlock.passphrase' })}</label>
          <input id="passphrase" type="password" autocomplete="current-password" required autofocus ?disabled=${this.busy} />
        </div>
        ${this.error ? html`<p class="bad" role="alert">${this.error}</p>` : nothing}
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.busy || seconds > 0}>${label}</button>
        </div>
      </form>
      <details class="card">
        <summary>${msg('Forgot the passphrase?', { id: 'unlock.forgot' })}</summary>
        <p class="small">${msg('Without it nothing here can be opened, by you or anyone. You can erase this device and start again; boards you had are still on their relays, for anyone holding their links.', { id: 'unlock.forgotHelp' })}</p>
        <button class="danger" type="button" @click=${() => void panicWipe()}>${msg('Erase everything on this device', { id: 'lock.wipeButton' })}</button>
      </details>
    `;
  }
}

customElements.define('baton-unlock', BatonUnlock);

declare global {
  interface HTMLElementTagNameMap {
    'baton-unlock': BatonUnlock;
  }
}
