// A QR code of a link, drawn as one SVG path (no canvas, no data URL, works offline).
import { LitElement, html, svg } from 'lit';
import { styles } from './styles.ts';
import { qrPath } from '../../lib/qr.ts';

export class BatonQr extends LitElement {
  static override properties = { text: { type: String }, label: { type: String } };
  static override styles = styles;
  declare text: string;
  declare label: string;

  constructor() {
    super();
    this.text = '';
    this.label = 'QR code';
  }

  override render() {
    if (!this.text) return html``;
    let qr: { size: number; d: string };
    try {
      qr = qrPath(this.text);
    } catch {
      return html`<p>This link is too long for a QR code.</p>`;
    }
    return html`<svg viewBox="0 0 ${qr.size} ${qr.size}" role="img" aria-label=${this.label} shape-rendering="crispEdges">${svg`<path d=${qr.d}></path>`}</svg>`;
  }
}

customElements.define('baton-qr', BatonQr);

declare global {
  interface HTMLElementTagNameMap {
    'baton-qr': BatonQr;
  }
}
