// A post body as text: links open safely in a new tab, hashtags are filter buttons.
// Only text and attribute bindings: user text never becomes markup.
import { LitElement, html } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { styles } from './styles.ts';
import { fire } from '../../events.ts';
import { segmentText, withoutOverrides } from '../../lib/text.ts';

function showTagged(tag: string): string {
  return msg(str`Show posts with ${tag}`, { id: 'postText.showTagged' });
}

export class BatonPostText extends LitElement {
  static override properties = { text: { type: String } };
  static override styles = styles;
  declare text: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.text = '';
  }

  override render() {
    return html`<div dir="auto">${segmentText(withoutOverrides(this.text)).map((s) => {
      if (s.type === 'link') return html`<a href=${s.href} target="_blank" rel="noopener noreferrer">${s.text}</a>`;
      if (s.type === 'tag') return html`<button class="tag" type="button" title=${showTagged(s.text)} @click=${() => fire(this, 'baton-tag', { tag: s.tag })}>${s.text}</button>`;
      return s.text;
    })}</div>`;
  }
}

customElements.define('baton-post-text', BatonPostText);

declare global {
  interface HTMLElementTagNameMap {
    'baton-post-text': BatonPostText;
  }
}
