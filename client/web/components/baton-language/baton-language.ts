// The language switcher: every language Baton speaks, each named in itself (a person who
// cannot read the current one still finds their own), remembered on this device.
import { LitElement, html, svg } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { styles } from './styles.ts';
import { LOCALES } from '../../l10n/locales.ts';
import { chooseLocale, getLocale } from '../../l10n/localize.ts';

/** A globe, drawn (an emoji needs a font the device may lack): the sign for "language" in any script. */
const GLOBE = svg`<circle cx="8" cy="8" r="6.5"></circle><ellipse cx="8" cy="8" rx="2.8" ry="6.5"></ellipse><path d="M1.5 8h13M2.6 4.5h10.8M2.6 11.5h10.8"></path>`;

export class BatonLanguage extends LitElement {
  static override styles = styles;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  private change(e: Event): void {
    void chooseLocale((e.target as HTMLSelectElement).value);
  }

  override render() {
    const current = getLocale();
    // "Language" in the page's language, and in English for whoever cannot read that one.
    const label = msg('Language', { id: 'language.label' });
    return html`<label>
      <svg class="globe" viewBox="0 0 16 16" aria-hidden="true">${GLOBE}</svg>
      <span class="visually-hidden">${label === 'Language' ? label : `${label} (Language)`}</span>
      <select @change=${this.change}>
        ${LOCALES.map((l) => html`<option value=${l.code} lang=${l.code} dir=${l.dir} ?selected=${l.code === current}>${l.name}</option>`)}
      </select>
    </label>`;
  }
}

customElements.define('baton-language', BatonLanguage);

declare global {
  interface HTMLElementTagNameMap {
    'baton-language': BatonLanguage;
  }
}
