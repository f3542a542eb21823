// One post: who wrote it (verified or not), when, what it replies to, its text, a reply
// button, and for our own posts how far delivery has got.
import { LitElement, html, nothing } from 'lit';
import { styles } from './styles.ts';
import type { ShownPost } from '../../../../shared/index.ts';
import { fire } from '../../events.ts';
import { shownTime } from '../../lib/time.ts';
import '../baton-post-text/baton-post-text.ts';

export interface ReplyTarget {
  id: string;
  name: string;
  excerpt: string;
}

/** Queued warns, every relay reached is good, part of them is neutral. */
function deliveryClass(text: string): string {
  if (text.startsWith('queued')) return 'warn';
  const m = /reached (\d+) of (\d+)/.exec(text);
  return m && m[1] === m[2] ? 'ok' : 'muted';
}

export class BatonPost extends LitElement {
  static override properties = {
    post: { attribute: false },
    mine: { type: Boolean },
    delivery: { type: String },
    replyTarget: { attribute: false },
    canReply: { type: Boolean },
  };
  static override styles = styles;
  declare post: ShownPost | null;
  declare mine: boolean;
  declare delivery: string;
  declare replyTarget: ReplyTarget | null;
  declare canReply: boolean;

  constructor() {
    super();
    this.post = null;
    this.mine = false;
    this.delivery = '';
    this.replyTarget = null;
    this.canReply = false;
  }

  override render() {
    const p = this.post;
    if (!p) return nothing;
    const when = new Date(p.ts);
    const fingerprint = p.author.slice(0, 8);
    return html`<article class=${p.verified ? '' : 'unverified'} aria-label=${p.verified ? `Post by ${p.name || 'anonymous'}` : 'Unverified post'}>
      <header>
        ${p.verified
          ? html`<bdi class="name">${p.name || 'anonymous'}</bdi>
              <span class="badge ok" title=${`Signed by the key ${p.author}`}>✓ verified${this.mine ? ' · you' : ''}</span>
              <span class="small muted mono" dir="ltr">${fingerprint}</span>`
          : html`<span class="name bad">Unknown author</span>
              <span class="badge bad" title="The post's signature does not check out: anyone with write access could have written it.">⚠ unverified</span>`}
        <time class="small muted" datetime=${when.toISOString()}>${shownTime(when)}</time>
      </header>
      ${this.replyTarget
        ? html`<button type="button" class="quote" dir="auto" @click=${() => fire(this, 'baton-show-post', { postId: this.replyTarget!.id })}>
            ↩ in reply to <bdi>${this.replyTarget.name}</bdi>: <bdi>${this.replyTarget.excerpt}</bdi>
          </button>`
        : p.replyTo
          ? html`<p class="small muted">↩ in reply to a post not yet here</p>`
          : nothing}
      <baton-post-text .text=${p.body}></baton-post-text>
      <footer>
        ${this.canReply ? html`<button type="button" @click=${() => fire(this, 'baton-reply', { postId: p.id })}>Reply</button>` : nothing}
        ${this.delivery ? html`<span class="delivery small ${deliveryClass(this.delivery)}" data-delivery>${this.delivery}</span>` : nothing}
      </footer>
    </article>`;
  }
}

customElements.define('baton-post', BatonPost);

declare global {
  interface HTMLElementTagNameMap {
    'baton-post': BatonPost;
  }
}
