// The only screen of a locked app: the passphrase, a clear refusal with a growing wait, and
// the way out for someone who forgot it (erase this device). Typing the duress passphrase
// erases everything instead of unlocking. Argon2id loads with the first attempt.
import { LitElement, html, nothing } from 'lit';
import type { Vault } from '#client-core';
import { waitBeforeAttempt } from '#client-core';
import { styles } from './styles.ts';
import { passphraseCode } from '../../lib/lock/lazy.ts';
import { readLock } from '../../lib/lock/record.ts';
import { panicWipe } from '../../lib/lock/wipe.ts';

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
    return `Wrong passphrase${fails > 1 ? ` (${fails} times in a row)` : ''}. Each wrong try makes the next one wait longer.`;
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
      this.error = `Could not unlock: ${(err as Error).message}`;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const seconds = Math.ceil(this.waitMs / 1000);
    return html`
      <form class="card" @submit=${this.submit}>
        <h1>Baton is locked</h1>
        <p class="muted">Everything Baton keeps on this device is encrypted. Type your passphrase to open it.</p>
        <div>
          <label for="passphrase">Passphrase</label>
          <input id="passphrase" type="password" autocomplete="current-password" required autofocus ?disabled=${this.busy} />
        </div>
        ${this.error ? html`<p class="bad" role="alert">${this.error}</p>` : nothing}
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.busy || seconds > 0}>${this.busy ? 'Unlocking…' : seconds > 0 ? `Wait ${seconds} s` : 'Unlock'}</button>
        </div>
      </form>
      <details class="card">
        <summary>Forgot the passphrase?</summary>
        <p class="small">Without it nothing here can be opened, by you or anyone. You can erase this device and start again; boards you had are still on their relays, for anyone holding their links.</p>
        <button class="danger" type="button" @click=${() => void panicWipe()}>Erase everything on this device</button>
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
