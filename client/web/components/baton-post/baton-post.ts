// One post: who wrote it (the key that signed it, or unverified), whether that key is the
// one that used the name first in the board, when, what it replies to, its text, a reply
// button, and for our own posts how far delivery has got. Names and bodies come from other
// members: each is isolated (<bdi>, dir=auto) so it cannot reorder what is around it.
import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { styles } from './styles.ts';
import type { ShownPost } from '#shared';
import type { Hide, NameCheck, RevisedPost, VerifiedCheck } from '#client-core';
import { fire } from '../../events.ts';
import { deliveryText, deliveryTone, type Delivery } from '../../lib/delivery.ts';
import { withoutOverrides } from '../../lib/text.ts';
import { displayName } from '../../lib/display-name.ts';
import { fillSlots, slot } from '../../l10n/slots.ts';
import { shownTime } from '../../lib/time.ts';
import '../baton-attachments/baton-attachments.ts';
import '../baton-post-actions/baton-post-actions.ts';
import '../baton-post-text/baton-post-text.ts';
import { moderationParts } from './moderation-parts.ts';

export interface ReplyTarget {
  id: string;
  name: string;
  excerpt: string;
}

export class BatonPost extends LitElement {
  static override properties = {
    post: { attribute: false },
    mine: { type: Boolean },
    delivery: { attribute: false },
    replyTarget: { attribute: false },
    nameCheck: { attribute: false },
    canReply: { type: Boolean },
    hide: { attribute: false },
    role: { type: String },
    keyCheck: { attribute: false },
    canModerate: { type: Boolean },
    opened: { state: true },
  };
  static override styles = styles;
  /** A post as listed (ShownPost), or as its author last left it (RevisedPost: deleted, edited). */
  declare post: ShownPost | RevisedPost | null;
  declare mine: boolean;
  /** Our own post's delivery so far; null for others' posts. */
  declare delivery: Delivery | null;
  declare replyTarget: ReplyTarget | null;
  declare nameCheck: NameCheck | null;
  declare canReply: boolean;
  /** The moderator's hide in force, if any. */
  declare hide: Hide | null;
  /** The author's role in the board: 'owner', 'moderator' or ''. */
  declare role: string;
  declare keyCheck: VerifiedCheck | null;
  declare canModerate: boolean;
  /** The reader opened a hidden post. */
  declare opened: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    for (const type of ['baton-post-delete', 'baton-post-hide']) this.addEventListener(type, () => (this.actedOn = true));
    this.post = null;
    this.mine = false;
    this.delivery = null;
    this.replyTarget = null;
    this.nameCheck = null;
    this.canReply = false;
    this.hide = null;
    this.role = '';
    this.keyCheck = null;
    this.canModerate = false;
    this.opened = false;
  }

  /**
   * Moves focus to the post itself (after "in reply to" is followed). The post, not its host,
   * takes focus: a host with a tabindex of -1 would take every control inside it out of the Tab order.
   */
  focusPost(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLElement>('article')?.focus(options);
  }

  /**
   * Focus was inside before this render, or this post's own delete or hide is being answered:
   * a deleted or hidden post loses the control that had it (the hide's form may have let go of
   * the focus before the post shows hidden).
   */
  private hadFocus = false;
  private actedOn = false;

  override willUpdate(changed: Map<string, unknown>): void {
    const answered = changed.has('post') || changed.has('hide');
    this.hadFocus = this.matches(':focus-within') || (this.actedOn && answered);
    if (answered) this.actedOn = false;
  }

  override updated(): void {
    if (this.hadFocus && (!document.activeElement || document.activeElement === document.body)) this.focusPost({ preventScroll: true });
  }

  override render() {
    const p = this.post;
    if (!p) return nothing;
    const when = new Date(p.ts);
    const fingerprint = p.author.slice(0, 8);
    const clash = p.verified && this.nameCheck?.clash ? this.nameCheck : null;
    const name = displayName(p.name);
    const label = !p.verified
      ? msg('Unverified post', { id: 'post.unverifiedLabel' })
      : clash
        ? msg(str`Post by another ${name}, not the one who posted before`, { id: 'post.clashLabel' })
        : msg(str`Post by ${name}`, { id: 'post.byLabel' });
    const key = p.author;
    // Marks for the parts of a sentence that carry markup (l10n/slots.ts).
    const fp = slot(0);
    const first = slot(1);
    const who = slot(2);
    const quote = slot(3);
    const m = moderationParts(this, p);
    if (m.collapsed) return m.collapsed;
    return html`<article tabindex=\"-1\" class=${!p.verified ? 'unverified' : clash || m.posing ? 'clash' : ''} aria-label=${label}>
      <header>
        ${p.verified
          ? html`<bdi class="name">${name}</bdi>
              <span class="badge ${clash ? 'warn' : 'ok'}" title=${msg(str`The post is signed by the key ${key}. The name is the author's own choice: anyone can pick any name.`, { id: 'post.signedTitle' })}
                >${fillSlots(msg(str`signed by ${fp}`, { id: 'post.signedBy' }), { [fp]: html`<span class="mono" dir="ltr">${fingerprint}</span>` })}${this.mine ? ` · ${msg('you', { id: 'post.you' })}` : ''}</span
              >`
          : html`<span class="name bad">${msg('Unknown author', { id: 'post.unknownAuthor' })}</span>
              <span class="badge bad" title=${msg('The post’s signature does not check out: anyone who can write here could have written it.', { id: 'post.unverifiedTitle' })}>⚠ ${msg('unverified', { id: 'post.unverified' })}</span>`}
        ${clash
          ? html`<p class="clash-note small" role="note">
              ⚠
              ${fillSlots(msg(str`Not the ${who} who posted before: that was the key ${first}, this is ${fp}.`, { id: 'post.clashNote' }), {
                [who]: html`<bdi>${name}</bdi>`,
                [first]: html`<span class="mono" dir="ltr">${clash.firstKey!.slice(0, 8)}</span>`,
                [fp]: html`<span class="mono" dir="ltr">${fingerprint}</span>`,
              })}
            </p>`
          : nothing}
        ${m.badges} ${m.notes}
        ${Number.isNaN(when.getTime())
          ? html`<span class="small muted">${msg('at an impossible time', { id: 'post.impossibleTime' })}</span>`
          : html`<time class="small muted" datetime=${when.toISOString()}>${shownTime(when)}</time>`}
      </header>
      ${this.replyTarget
        ? html`<button type="button" class="quote" dir="auto" @click=${() => fire(this, 'baton-show-post', { postId: this.replyTarget!.id })}>
            ↩
            ${fillSlots(msg(str`in reply to ${who}: ${quote}`, { id: 'post.inReplyTo' }), {
              [who]: html`<bdi>${withoutOverrides(this.replyTarget.name)}</bdi>`,
              [quote]: html`<bdi>${withoutOverrides(this.replyTarget.excerpt)}</bdi>`,
            })}
          </button>`
        : p.replyTo
          ? html`<p class="small muted">↩ ${msg('in reply to a post not yet here', { id: 'post.replyMissing' })}</p>`
          : nothing}
      ${m.body ?? html`<baton-post-text .text=${p.body}></baton-post-text>`} ${m.after}
      ${p.attachments?.length && !m.deleted ? html`<baton-attachments .attachments=${p.attachments}></baton-attachments>` : nothing}
      <footer>
        ${this.canReply && !m.deleted ? html`<button type="button" @click=${() => fire(this, 'baton-reply', { postId: p.id })}>${msg('Reply', { id: 'post.reply' })}</button>` : nothing}
        ${p.verified && !m.deleted
          ? html`<baton-post-actions
              .postId=${p.id}
              .author=${p.author}
              .name=${p.name}
              .body=${p.body}
              ?mine=${this.mine && this.canReply /* one's own post, where this device may write */}
              ?canModerate=${this.canModerate}
              ?keyVerified=${this.keyCheck?.verified ?? false}
            ></baton-post-actions>`
          : nothing}
        ${this.delivery ? html`<span class="delivery small ${deliveryTone(this.delivery)}" data-delivery>${deliveryText(this.delivery)}</span>` : nothing}
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
