// A QR code of a link, drawn as one SVG path (no canvas, no data URL, works offline).
import { LitElement, html, svg } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { styles } from './styles.ts';
import { qrPath } from '../../lib/qr.ts';

export class BatonQr extends LitElement {
  static override properties = { text: { type: String }, label: { type: String } };
  static override styles = styles;
  declare text: string;
  declare label: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.text = '';
    this.label = '';
  }

  override render() {
    if (!this.text) return html``;
    let qr: { size: number; d: string };
    try {
      qr = qrPath(this.text);
    } catch {
      return html`<p>${msg('This link is too long for a QR code.', { id: 'qr.tooLong' })}</p>`;
    }
    return html`<svg viewBox="0 0 ${qr.size} ${qr.size}" role="img" aria-label=${this.label || msg('QR code', { id: 'share.qr' })} shape-rendering="crispEdges">${svg`<path d=${qr.d}></path>`}</svg>`;
  }
}

customElements.define('baton-qr', BatonQr);

declare global {
  interface HTMLElementTagNameMap {
    'baton-qr': BatonQr;
  }
}
