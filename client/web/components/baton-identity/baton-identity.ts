// This device's author identity: the display name put on posts, and export or import of
// the identity key (the key is what makes posts show as verified and as yours).
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { safetyCode, toBase64url } from '#shared';
import { styles } from './styles.ts';
import { fire } from '../../events.ts';
import { downloadText } from '../../lib/download.ts';
import type { Session } from '../../lib/session.ts';
import { failureReason } from '../../lib/failure.ts';

export class BatonIdentity extends LitElement {
  static override properties = { session: { attribute: false }, shown: { state: true }, error: { state: true } };
  static override styles = styles;
  declare session: Session | null;
  declare private shown: boolean;
  declare private error: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
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
      const name = this.session!.name;
      fire(this, 'baton-notice', { message: msg(str`Your posts are now signed as “${name}”.`, { id: 'identity.renamed' }) });
      this.requestUpdate();
    } catch (err) {
      this.error = failureReason(err);
    }
  }

  private async importKey(e: Event): Promise<void> {
    e.preventDefault();
    const area = (e.target as HTMLFormElement).querySelector('textarea')!;
    try {
      await this.session!.importIdentity(area.value);
      location.reload();
    } catch (err) {
      this.error = failureReason(err);
    }
  }

  override render() {
    const session = this.session;
    if (!session) return nothing;
    const key = this.shown ? session.exportIdentity() : '';
    return html`
      <h2>${msg('You', { id: 'identity.title' })}</h2>
      <form @submit=${this.saveName}>
        <div class="row">
          <div class="grow">
            <label for="name">${msg('Display name', { id: 'identity.name' })}</label>
            <input id="name" dir="auto" maxlength="100" required .value=${session.name} autocomplete="nickname" />
          </div>
          <button type="submit">${msg('Save name', { id: 'identity.saveName' })}</button>
        </div>
      </form>
      ${this.error ? html`<p class="bad small" role="alert">${this.error}</p>` : nothing}
      <section class="safety" aria-labelledby="safety-title">
        <h3 id="safety-title">${msg('Your safety code', { id: 'identity.safetyTitle' })}</h3>
        <p class="code mono" dir="ltr" data-safety-code>${safetyCode(session.client.identity.publicKey)}</p>
        <p class="small muted">
          ${msg('Read it out to people you know, in person or on a call you trust: if theirs shows the same code for you, they can mark your key verified.', {
            id: 'identity.safetyHint',
          })}
        </p>
        <p class="small muted">${msg('Your key:', { id: 'identity.publicKey' })} <span class="mono" dir="ltr">${toBase64url(session.client.identity.publicKey)}</span></p>
      </section>
      <details>
        <summary>${msg('Identity key', { id: 'identity.key' })}</summary>
        <p class="small">${msg('Your posts are signed with a key kept in this browser. Move it to another device to post as the same person there.', { id: 'identity.keyHint' })}</p>
        <p class="warning small">${msg('Anyone who has this key can post as you. Keep it as secret as a password.', { id: 'identity.keyWarning' })}</p>
        ${this.shown
          ? html`<label for="key">${msg('Your identity key', { id: 'identity.yourKey' })}</label>
              <textarea id="key" readonly rows="2" .value=${key}></textarea>
              <div class="actions">
                <button type="button" @click=${() => downloadText('baton-identity.txt', key + '\n', 'text/plain')}>${msg('Download key', { id: 'identity.download' })}</button>
                <button type="button" @click=${() => (this.shown = false)}>${msg('Hide key', { id: 'identity.hide' })}</button>
              </div>`
          : html`<button type="button" @click=${() => (this.shown = true)}>${msg('Show my identity key', { id: 'identity.show' })}</button>`}
        <form @submit=${this.importKey}>
          <label for="import-key">${msg('Identity key to import', { id: 'identity.importLabel' })}</label>
          <textarea id="import-key" rows="2" required placeholder="baton-identity:v1:…" dir="ltr"></textarea>
          <div class="actions"><button type="submit">${msg('Import identity', { id: 'identity.import' })}</button></div>
          <p class="small muted">${msg('This replaces the identity of this browser; the page reloads.', { id: 'identity.importHint' })}</p>
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
