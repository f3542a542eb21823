// A post body: a small safe subset of Markdown (lib/markdown.ts) rendered from its parsed tree
// as Lit templates. Links open safely in a new tab, hashtags are filter buttons. Only text and
// attribute bindings: user text never becomes markup.
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { styles } from './styles.ts';
import { fire } from '../../events.ts';
import { parseMarkdown, type Block, type Inline } from '../../lib/markdown.ts';
import { withoutOverrides } from '../../lib/text.ts';

function showTagged(tag: string): string {
  return msg(str`Show posts with ${tag}`, { id: 'postText.showTagged' });
}

export class BatonPostText extends LitElement {
  static override properties = { text: { type: String } };
  static override styles = styles;
  declare text: string;
  private parsed: { text: string; blocks: Block[] } | null = null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.text = '';
  }

  private inline(xs: Inline[]): unknown[] {
    return xs.map((s) => {
      switch (s.type) {
        case 'text':
          return s.text;
        case 'link':
          return html`<a href=${s.href} target="_blank" rel="noopener noreferrer">${s.text}</a>`;
        case 'named-link':
          // The host beside the label: a label cannot pass for another site.
          return html`<a href=${s.href} target="_blank" rel="noopener noreferrer">${s.text}<span class="host"> (<span dir="ltr">${s.host}</span>)</span></a>`;
        case 'tag':
          return html`<button class="tag" type="button" title=${showTagged(s.text)} @click=${() => fire(this, 'baton-tag', { tag: s.tag })}>${s.text}</button>`;
        case 'code':
          return html`<code dir="auto">${s.text}</code>`;
        case 'em':
          return html`<em>${this.inline(s.children)}</em>`;
        case 'strong':
          return html`<strong>${this.inline(s.children)}</strong>`;
      }
    });
  }

  private block(b: Block): TemplateResult | typeof nothing {
    switch (b.type) {
      case 'para':
        return html`<p dir="auto">${this.inline(b.inlines)}</p>`;
      case 'quote':
        return html`<blockquote>${b.blocks.map((x) => this.block(x))}</blockquote>`;
      case 'list':
        return b.ordered
          ? html`<ol start=${b.start}>${b.items.map((it) => html`<li dir="auto">${this.inline(it)}</li>`)}</ol>`
          : html`<ul>${b.items.map((it) => html`<li dir="auto">${this.inline(it)}</li>`)}</ul>`;
      case 'code-block':
        return html`<pre dir="auto"><code>${b.text}</code></pre>`;
    }
  }

  override render() {
    if (this.parsed?.text !== this.text) this.parsed = { text: this.text, blocks: parseMarkdown(withoutOverrides(this.text)) };
    return html`<div dir="auto">${this.parsed.blocks.map((b) => this.block(b))}</div>`;
  }
}

customElements.define('baton-post-text', BatonPostText);

declare global {
  interface HTMLElementTagNameMap {
    'baton-post-text': BatonPostText;
  }
}
