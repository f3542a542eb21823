// This device's author identity: the display name put on posts, and export or import of
// the identity key (the key is what makes posts show as verified and as yours).
import { LitElement, html, nothing } from 'lit';
import { safetyCode, toBase64url } from '#shared';
import { styles } from './styles.ts';
import { fire } from '../../events.ts';
import { downloadText } from '../../lib/download.ts';
import type { Session } from '../../lib/session.ts';

export class BatonIdentity extends LitElement {
  static override properties = { session: { attribute: false }, shown: { state: true }, error: { state: true } };
  static override styles = styles;
  declare session: Session | null;
  declare private shown: boolean;
  declare private error: string;

  constructor() {
    super();
    this.session = null;
    this.shown = false;
    this.error = '';
  }

  private async saveName(e: Event): Promise<void> {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).querySelector('input')!;
    try {
      await this.session!.setName(input.value);
      this.error = '';
      fire(this, 'baton-notice', { message: `Your posts are now signed as “${this.session!.name}”.` });
      this.requestUpdate();
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  private async importKey(e: Event): Promise<void> {
    e.preventDefault();
    const area = (e.target as HTMLFormElement).querySelector('textarea')!;
    try {
      await this.session!.importIdentity(area.value);
      location.reload();
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  override render() {
    const session = this.session;
    if (!session) return nothing;
    const key = this.shown ? session.exportIdentity() : '';
    return html`
      <h2>You</h2>
      <form @submit=${this.saveName}>
        <div class="row">
          <div class="grow">
            <label for="name">Display name</label>
            <input id="name" dir="auto" maxlength="100" required .value=${session.name} autocomplete="nickname" />
          </div>
          <button type="submit">Save name</button>
        </div>
      </form>
      ${this.error ? html`<p class="bad small" role="alert">${this.error}</p>` : nothing}
      <section class="safety" aria-labelledby="safety-title">
        <h3 id="safety-title">Your safety code</h3>
        <p class="code mono" dir="ltr" data-safety-code>${safetyCode(session.client.identity.publicKey)}</p>
        <p class="small muted">
          Read it out to people you know, in person or on a call you trust: if theirs shows the same code for you, they can mark your key verified. Your
          key: <span class="mono" dir="ltr">${toBase64url(session.client.identity.publicKey)}</span>
        </p>
      </section>
      <details>
        <summary>Identity key</summary>
        <p class="small">
          Your posts are signed with a key kept in this browser. Move it to another device to post as the same person there.
        </p>
        <p class="warning small">Anyone who has this key can post as you. Keep it as secret as a password.</p>
        ${this.shown
          ? html`<label for="key">Your identity key</label>
              <textarea id="key" readonly rows="2" .value=${key}></textarea>
              <div class="actions">
                <button type="button" @click=${() => downloadText('baton-identity.txt', key + '\n', 'text/plain')}>Download key</button>
                <button type="button" @click=${() => (this.shown = false)}>Hide key</button>
              </div>`
          : html`<button type="button" @click=${() => (this.shown = true)}>Show my identity key</button>`}
        <form @submit=${this.importKey}>
          <label for="import-key">Identity key to import</label>
          <textarea id="import-key" rows="2" required placeholder="baton-identity:v1:…" dir="ltr"></textarea>
          <div class="actions"><button type="submit">Import identity</button></div>
          <p class="small muted">This replaces the identity of this browser; the page reloads.</p>
        </form>
      </details>
    `;
  }
}

customElements.define('baton-identity', BatonIdentity);

declare global {
  interface HTMLElementTagNameMap {
    'baton-identity': BatonIdentity;
  }
}
