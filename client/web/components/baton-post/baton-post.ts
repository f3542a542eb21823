// One post: who wrote it (the key that signed it, or unverified), whether that key is the
// one that used the name first in the board, when, what it replies to, its text, a reply
// button, and for our own posts how far delivery has got. Names and bodies come from other
// members: each is isolated (<bdi>, dir=auto) so it cannot reorder what is around it.
import { LitElement, html, nothing } from 'lit';
import { styles } from './styles.ts';
import type { ShownPost } from '#shared';
import type { NameCheck } from '#client-core';
import { fire } from '../../events.ts';
import { withoutOverrides } from '../../lib/text.ts';
import { shownTime } from '../../lib/time.ts';
import '../baton-attachments/baton-attachments.ts';
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
    nameCheck: { attribute: false },
    canReply: { type: Boolean },
  };
  static override styles = styles;
  declare post: ShownPost | null;
  declare mine: boolean;
  declare delivery: string;
  declare replyTarget: ReplyTarget | null;
  declare nameCheck: NameCheck | null;
  declare canReply: boolean;

  constructor() {
    super();
    this.post = null;
    this.mine = false;
    this.delivery = '';
    this.replyTarget = null;
    this.nameCheck = null;
    this.canReply = false;
  }

  override render() {
    const p = this.post;
    if (!p) return nothing;
    const when = new Date(p.ts);
    const fingerprint = p.author.slice(0, 8);
    const clash = p.verified && this.nameCheck?.clash ? this.nameCheck : null;
    const name = withoutOverrides(p.name) || 'anonymous';
    const label = !p.verified ? 'Unverified post' : clash ? `Post by another ${name}, not the one who posted before` : `Post by ${name}`;
    return html`<article class=${!p.verified ? 'unverified' : clash ? 'clash' : ''} aria-label=${label}>
      <header>
        ${p.verified
          ? html`<bdi class="name">${name}</bdi>
              <span class="badge ${clash ? 'warn' : 'ok'}" title=${`The post is signed by the key ${p.author}. The name is the author's own choice: anyone can pick any name.`}
                >signed by <span class="mono" dir="ltr">${fingerprint}</span>${this.mine ? ' · you' : ''}</span
              >`
          : html`<span class="name bad">Unknown author</span>
              <span class="badge bad" title="The post's signature does not check out: anyone with write access could have written it.">⚠ unverified</span>`}
        ${clash
          ? html`<p class="clash-note small" role="note">
              ⚠ Not the <bdi>${name}</bdi> who posted before: that was the key <span class="mono" dir="ltr">${clash.firstKey!.slice(0, 8)}</span>, this is
              <span class="mono" dir="ltr">${fingerprint}</span>.
            </p>`
          : nothing}
        ${Number.isNaN(when.getTime())
          ? html`<span class="small muted">at an impossible time</span>`
          : html`<time class="small muted" datetime=${when.toISOString()}>${shownTime(when)}</time>`}
      </header>
      ${this.replyTarget
        ? html`<button type="button" class="quote" dir="auto" @click=${() => fire(this, 'baton-show-post', { postId: this.replyTarget!.id })}>
            ↩ in reply to <bdi>${withoutOverrides(this.replyTarget.name)}</bdi>: <bdi>${withoutOverrides(this.replyTarget.excerpt)}</bdi>
          </button>`
        : p.replyTo
          ? html`<p class="small muted">↩ in reply to a post not yet here</p>`
          : nothing}
      <baton-post-text .text=${p.body}></baton-post-text>
      ${p.attachments.length > 0 ? html`<baton-attachments .attachments=${p.attachments}></baton-attachments>` : nothing}
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
