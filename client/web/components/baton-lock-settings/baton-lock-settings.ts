// Safety on this device: the passphrase lock (set, change, the duress passphrase), when the
// app locks itself, what browser history may still hold, and the panic wipe.
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { styles } from '../baton-unlock/styles.ts';
import { fire } from '../../events.ts';
import { passphraseCode } from '../../lib/lock/lazy.ts';
import { readSettings, writeSettings, type LockSettings } from '../../lib/lock/record.ts';
import { panicWipe } from '../../lib/lock/wipe.ts';
import { PANIC_SHORTCUT } from '../../lib/lock/shortcut.ts';
import type { Session } from '../../lib/session.ts';
import { formatNumber } from '../../l10n/format.ts';
import { fillSlots, slot } from '../../l10n/slots.ts';
import { ShownError, failureReason } from '../../lib/failure.ts';

const IDLE_CHOICES = [1, 5, 15, 60, 0];
const HIDDEN_CHOICES = [1, 5, 15, 0];

function minutes(m: number): string {
  if (m === 0) return msg('Never', { id: 'lock.never' });
  if (m === 60) return msg('1 hour', { id: 'lock.oneHour' });
  if (m === 1) return msg('1 minute', { id: 'lock.oneMinute' });
  const count = formatNumber(m);
  return msg(str`${count} minutes`, { id: 'lock.minutes' });
}

function field(form: HTMLFormElement, name: string): string {
  return (form.elements.namedItem(name) as HTMLInputElement).value;
}

export class BatonLockSettings extends LitElement {
  static override properties = { session: { attribute: false }, busy: { state: true }, error: { state: true }, settings: { state: true } };
  static override styles = styles;
  declare session: Session | null;
  declare private busy: string;
  declare private error: string;
  declare private settings: LockSettings;
  /** Called when the settings change, so the idle lock follows them. */
  onSettings: (s: LockSettings) => void = () => {};
  /** Locks the app now (closes the session and shows the unlock screen). */
  onLock: () => void = () => {};

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.session = null;
    this.busy = '';
    this.error = '';
    this.settings = readSettings();
  }

  private async run(what: string, e: Event, action: (form: HTMLFormElement) => Promise<string>): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    this.busy = what;
    this.error = '';
    try {
      const done = await action(form);
      form.reset();
      if (done) fire(this, 'baton-notice', { message: done });
    } catch (err) {
      this.error = failureReason(err);
    } finally {
      this.busy = '';
    }
  }

  private same(form: HTMLFormElement, a: string, b: string): string {
    const value = field(form, a);
    if (value !== field(form, b)) throw new ShownError('bad-input', msg('The two passphrases differ.', { id: 'lock.differ' }));
    if (value.length < 8) throw new ShownError('bad-input', msg('Use at least 8 characters: a few words are easier to remember and harder to guess.', { id: 'lock.tooShort' }));
    return value;
  }

  private setFirst = (e: Event) =>
    this.run('set', e, async (form) => {
      const passphrase = this.same(form, 'new', 'repeat');
      const { setFirstPassphrase } = await passphraseCode();
      await setFirstPassphrase(this.session!, passphrase);
      location.replace(location.pathname + location.search);
      return '';
    });

  private change = (e: Event) =>
    this.run('change', e, async (form) => {
      const { changeTo } = await passphraseCode();
      await changeTo(field(form, 'current'), this.same(form, 'new', 'repeat'));
      return msg('The passphrase is changed.', { id: 'lock.changed' });
    });

  private duress = (e: Event) =>
    this.run('duress', e, async (form) => {
      const { setDuressPassphrase } = await passphraseCode();
      const duress = field(form, 'duress');
      await setDuressPassphrase(field(form, 'current'), duress === '' ? null : duress);
      return duress === '' ? msg('The duress passphrase is removed.', { id: 'lock.duressRemoved' }) : msg('The duress passphrase is set: typed at the unlock screen, it erases this device.', { id: 'lock.duressSet' });
    });

  private saveSettings(change: Partial<LockSettings>): void {
    this.settings = { ...this.settings, ...change };
    writeSettings(this.settings);
    this.onSettings(this.settings);
  }

  private lockForms() {
    const busy = this.busy !== '';
    if (!this.session?.locked) {
      return html`<form class="card" @submit=${this.setFirst}>
        <h2>${msg('Lock with a passphrase', { id: 'lock.setTitle' })}</h2>
        <p class="small">${msg('Everything Baton keeps here (board links, your identity, drafts, queued posts, names) is then encrypted under the passphrase, and the app opens only with it. There is no way to recover it: if you forget it, you can only erase this device.', { id: 'lock.setHelp' })}</p>
        <div><label for="lock-new">${msg('Passphrase', { id: 'unlock.passphrase' })}</label><input id="lock-new" name="new" type="password" autocomplete="new-password" required /></div>
        <div><label for="lock-repeat">${msg('The same again', { id: 'lock.repeat' })}</label><input id="lock-repeat" name="repeat" type="password" autocomplete="new-password" required /></div>
        <div class="actions"><button class="primary" type="submit" ?disabled=${busy}>${this.busy === 'set' ? msg('Locking…', { id: 'lock.setBusy' }) : msg('Set passphrase and lock', { id: 'lock.setSubmit' })}</button></div>
      </form>`;
    }
    return html`
      <div class="card stack">
        <h2>${msg('Passphrase lock', { id: 'lock.lockedTitle' })}</h2>
        <p class="small">${msg('This device is locked with a passphrase: everything Baton keeps here is encrypted, and the app opens only with it.', { id: 'lock.lockedHelp' })}</p>
        <div class="actions"><button class="primary" type="button" @click=${() => this.onLock()}>${msg('Lock now', { id: 'lock.now' })}</button></div>
      </div>
      <form class="card" @submit=${this.change}>
        <h2>${msg('Change the passphrase', { id: 'lock.changeTitle' })}</h2>
        <div><label for="change-current">${msg('Current passphrase', { id: 'lock.current' })}</label><input id="change-current" name="current" type="password" autocomplete="current-password" required /></div>
        <div><label for="change-new">${msg('New passphrase', { id: 'lock.new' })}</label><input id="change-new" name="new" type="password" autocomplete="new-password" required /></div>
        <div><label for="change-repeat">${msg('The same again', { id: 'lock.repeat' })}</label><input id="change-repeat" name="repeat" type="password" autocomplete="new-password" required /></div>
        <div class="actions"><button type="submit" ?disabled=${busy}>${this.busy === 'change' ? msg('Changing…', { id: 'lock.changeBusy' }) : msg('Change passphrase', { id: 'lock.changeSubmit' })}</button></div>
      </form>
      <form class="card" @submit=${this.duress}>
        <h2>${msg('Duress passphrase', { id: 'lock.duressTitle' })}</h2>
        <p class="small">${msg('A second passphrase that, typed at the unlock screen, erases this device instead of opening it, and shows an empty app. Leave it empty to remove it.', { id: 'lock.duressHelp' })}</p>
        <div><label for="duress-current">${msg('Current passphrase', { id: 'lock.current' })}</label><input id="duress-current" name="current" type="password" autocomplete="current-password" required /></div>
        <div><label for="duress-new">${msg('Duress passphrase', { id: 'lock.duressTitle' })}</label><input id="duress-new" name="duress" type="password" autocomplete="off" /></div>
        <div class="actions"><button type="submit" ?disabled=${busy}>${this.busy === 'duress' ? msg('Saving…', { id: 'lock.duressBusy' }) : msg('Save duress passphrase', { id: 'lock.duressSubmit' })}</button></div>
      </form>
      <div class="card">
        <h2>${msg('Lock automatically', { id: 'lock.autoTitle' })}</h2>
        <div class="row">
          <div class="grow">
            <label for="idle">${msg('After no use for', { id: 'lock.idle' })}</label>
            <select id="idle" @change=${(e: Event) => this.saveSettings({ idleMinutes: Number((e.target as HTMLSelectElement).value) })}>
              ${IDLE_CHOICES.map((m) => html`<option value=${m} ?selected=${this.settings.idleMinutes === m}>${minutes(m)}</option>`)}
            </select>
          </div>
          <div class="grow">
            <label for="hidden">${msg('When the tab is hidden for', { id: 'lock.hidden' })}</label>
            <select id="hidden" @change=${(e: Event) => this.saveSettings({ hiddenMinutes: Number((e.target as HTMLSelectElement).value) })}>
              ${HIDDEN_CHOICES.map((m) => html`<option value=${m} ?selected=${this.settings.hiddenMinutes === m}>${minutes(m)}</option>`)}
            </select>
          </div>
        </div>
      </div>
    `;
  }

  override render() {
    if (!this.session) return nothing;
    const shortcut = slot(0);
    return html`
      <h1>${msg('Safety on this device', { id: 'lock.title' })}</h1>
      ${this.error ? html`<p class="warning bad" role="alert">${this.error}</p>` : nothing}
      ${this.session.persistent ? this.lockForms() : html`<p class="warning">${msg('This browser refuses local storage here: nothing is kept after you close this page, so there is nothing to lock.', { id: 'lock.noStorage' })}</p>`}
      <div class="card">
        <h2>${msg('Links and browser history', { id: 'lock.historyTitle' })}</h2>
        <p class="small">${msg('When you open a board link, Baton takes its keys out of the address bar at once. Your browser’s own history may still hold the address you opened. To open a link without leaving it there, paste it into the box on the start page instead.', { id: 'lock.historyHelp' })}</p>
      </div>
      <div class="card stack">
        <h2>${msg('Panic wipe', { id: 'lock.wipeTitle' })}</h2>
        <p class="small">
          ${fillSlots(msg(str`Erases everything Baton keeps in this browser (board links, identity, drafts, queued posts, the offline copy of the app) at once, and shows an empty start page. Posts that reached a relay stay there. Shortcut: ${shortcut}, on any screen.`, { id: 'lock.wipeHelp' }), { [shortcut]: html`<kbd>${PANIC_SHORTCUT}</kbd>` })}
        </p>
        <div class="actions"><button class="danger" type="button" @click=${() => void panicWipe()}>${msg('Erase everything on this device', { id: 'lock.wipeButton' })}</button></div>
      </div>
    `;
  }
}

customElements.define('baton-lock-settings', BatonLockSettings);

declare global {
  interface HTMLElementTagNameMap {
    'baton-lock-settings': BatonLockSettings;
  }
}
