// The parts of a post that moderation and its author's own records change: a deleted post's
// line, the "edited" mark and its history, a moderator's hide (collapsed until the reader opens
// it), the author's role in the board, a verified key, and a name that poses as a verified one.
import { html, nothing, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import type { Hide, RevisedPost, VerifiedCheck } from '#client-core';
import type { ShownPost } from '#shared';
import { fillSlots, slot } from '../../l10n/slots.ts';
import { withoutOverrides } from '../../lib/text.ts';
import { shownTime } from '../../lib/time.ts';
import '../baton-post-text/baton-post-text.ts';

type Part = TemplateResult | typeof nothing;

interface Host {
  hide: Hide | null;
  role: string;
  keyCheck: VerifiedCheck | null;
  opened: boolean;
}

export interface ModerationParts {
  /** The whole post, collapsed: hidden by a moderator and not opened. */
  collapsed: TemplateResult | null;
  badges: Part;
  notes: Part;
  /** In place of the text (a deleted post), or null for the text itself. */
  body: TemplateResult | null;
  after: Part;
  deleted: boolean;
  posing: boolean;
}

const revised = (p: ShownPost | RevisedPost): RevisedPost | null => ('deleted' in p ? p : null);

function hideLine(host: Host, hide: Hide, open: boolean): TemplateResult {
  const why = slot(0);
  return html`<p class="hidden-line small" role="note">
    <span
      >${hide.reason
        ? fillSlots(msg(str`Hidden by a moderator: ${why}`, { id: 'post.hiddenWhy' }), { [why]: html`<bdi>${withoutOverrides(hide.reason)}</bdi>` })
        : msg('Hidden by a moderator', { id: 'post.hidden' })}</span
    >
    <button type="button" aria-expanded=${open ? 'true' : 'false'} @click=${() => (host.opened = !open)}>
      ${open ? msg('Collapse', { id: 'post.collapse' }) : msg('Show what was hidden', { id: 'post.showHidden' })}
    </button>
  </p>`;
}

export function moderationParts(host: Host, p: ShownPost | RevisedPost): ModerationParts {
  const r = revised(p);
  const deleted = r?.deleted ?? false;
  const hide = deleted ? null : host.hide;
  if (hide && !host.opened) {
    return {
      collapsed: html`<article tabindex="-1" class="collapsed" aria-label=${msg('Post hidden by a moderator', { id: 'post.hiddenLabel' })}>${hideLine(host, hide, false)}</article>`,
      badges: nothing,
      notes: nothing,
      body: null,
      after: nothing,
      deleted,
      posing: false,
    };
  }
  const posingAs = host.keyCheck?.posingAs ?? null;
  const who = slot(0);
  const fp = slot(1);
  const badges = html`${host.role === 'owner' ? html`<span class="badge role" title=${msg('This key owns the board', { id: 'post.ownerTitle' })}>${msg('owner', { id: 'post.owner' })}</span>` : nothing}
  ${host.role === 'moderator' ? html`<span class="badge role" title=${msg("The board's owner made this key a moderator", { id: 'post.moderatorTitle' })}>${msg('moderator', { id: 'post.moderator' })}</span>` : nothing}
  ${host.keyCheck?.verified ? html`<span class="badge ok" title=${msg("You compared this person's safety code and marked the key verified on this device", { id: 'post.verifiedTitle' })}
        >✓ ${msg('verified', { id: 'post.verified' })}</span
      >` : nothing}`;
  const notes = html`${posingAs
    ? html`<p class="clash-note small" role="note">
        ⚠
        ${fillSlots(msg(str`Not the ${who} you verified: that is the key ${fp}.`, { id: 'post.posingAs' }), {
          [who]: html`<bdi>${withoutOverrides(p.name)}</bdi>`,
          [fp]: html`<span class="mono" dir="ltr">${posingAs.slice(0, 8)}</span>`,
        })}
      </p>`
    : nothing}
  ${r?.tampered
    ? html`<p class="clash-note small" role="note">
        ⚠ ${msg('Someone other than its author took this post out of the thread; shown as this device saw it.', { id: 'post.tampered' })}
      </p>`
    : nothing}`;
  const body = deleted ? html`<p class="muted deleted">${msg('Deleted by its author.', { id: 'post.deleted' })}</p>` : null;
  const after = html`${hide ? hideLine(host, hide, true) : nothing}
  ${r?.edited && !deleted
    ? html`<details class="history small">
        <summary>
          ${msg('edited', { id: 'post.edited' })}
          ${r.editedAt !== null ? html`<time datetime=${new Date(r.editedAt).toISOString()}>${shownTime(new Date(r.editedAt))}</time>` : nothing}
        </summary>
        <ol>
          ${r.history.map((h) => html`<li><span class="muted">${shownTime(new Date(h.ts))}</span><baton-post-text .text=${h.body}></baton-post-text></li>`)}
        </ol>
      </details>`
    : nothing}`;
  return { collapsed: null, badges, notes, body, after, deleted, posing: posingAs !== null };
}
