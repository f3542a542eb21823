// "How Baton works": three short screens a newcomer reads once, skippable, and reachable
// again from the header. The link is the key; relays carry what they cannot read, and a
// blocked relay is worked around with the same link; what a seized device gives away.
import { LitElement, html } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { styles } from './styles.ts';
import { fire } from '../../events.ts';
import { formatNumber } from '../../l10n/format.ts';

interface Screen {
  title: string;
  points: string[];
}

/** The screens, read in the current language each time they render. */
function screens(): Screen[] {
  return [
    {
      title: msg('The link is the key', { id: 'guide.keyTitle' }),
      points: [
        msg('A board has no account and no password. Its link is the key: whoever has the link can read the board.', { id: 'guide.keyRead' }),
        msg('The write link also lets them post. Give it only to people you would let speak for the group.', { id: 'guide.keyWrite' }),
        msg('Send links through a channel you trust. A link cannot be taken back: to shut someone out, start a new board.', { id: 'guide.keyChannel' }),
      ],
    },
    {
      title: msg('Relays carry it but cannot read it', { id: 'guide.relayTitle' }),
      points: [
        msg('Relays are the servers that pass a board along. They pass along scrambled text they cannot read, and they cannot change what anyone wrote.', { id: 'guide.relayBlind' }),
        msg('If a relay is blocked, open the same link on another relay of the board. Or open the start page of any Baton relay and paste the link there.', { id: 'guide.relayBlocked' }),
        msg('Add more relays to a board before you need them: it lives as long as one of them answers.', { id: 'guide.relayMore' }),
      ],
    },
    {
      title: msg('If someone takes your device', { id: 'guide.deviceTitle' }),
      points: [
        msg('This browser keeps the links of the boards you opened, what you wrote and your identity key. Whoever can open this browser can open them too.', { id: 'guide.deviceKeeps' }),
        msg('Set a passphrase in Settings to lock Baton on this device, and forget the boards you no longer need on the start page.', { id: 'guide.deviceLock' }),
        msg('A relay that is seized gives away nothing anyone wrote; a device that is seized unlocked does.', { id: 'guide.deviceRelay' }),
      ],
    },
  ];
}

export class BatonGuide extends LitElement {
  static override properties = { step: { state: true } };
  static override styles = styles;
  declare private step: number;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.step = 0;
  }

  /** Starts again at the first screen and puts the reader at its heading. */
  async restart(): Promise<void> {
    this.step = 0;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  private async go(step: number): Promise<void> {
    this.step = step;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  private done(): void {
    fire(this, 'baton-guide-done', {});
  }

  override render() {
    const all = screens();
    const screen = all[this.step]!;
    const last = this.step === all.length - 1;
    const step = formatNumber(this.step + 1);
    const total = formatNumber(all.length);
    return html`<section aria-labelledby="guide-title" aria-roledescription=${msg('guide', { id: 'guide.role' })}>
      <div class="head">
        <p class="small muted" id="guide-label">${msg('How Baton works', { id: 'guide.label' })} · ${msg(str`${step} of ${total}`, { id: 'guide.step' })}</p>
        <button type="button" class="link" @click=${this.done}>${msg('Skip', { id: 'guide.skip' })}</button>
      </div>
      <h2 id="guide-title" tabindex="-1">${screen.title}</h2>
      <ul>
        ${screen.points.map((p) => html`<li>${p}</li>`)}
      </ul>
      <div class="actions">
        ${this.step > 0 ? html`<button type="button" @click=${() => this.go(this.step - 1)}>${msg('Back', { id: 'guide.back' })}</button>` : html`<span></span>`}
        ${last
          ? html`<button type="button" class="primary" @click=${this.done}>${msg('Done', { id: 'guide.done' })}</button>`
          : html`<button type="button" class="primary" @click=${() => this.go(this.step + 1)}>${msg('Next', { id: 'guide.next' })}</button>`}
      </div>
    </section>`;
  }
}

customElements.define('baton-guide', BatonGuide);

declare global {
  interface HTMLElementTagNameMap {
    'baton-guide': BatonGuide;
  }
}
