// The parts of a post that moderation and its author's own records change: a deleted post's
// line, the "edited" mark and its history, a moderator's hide (collapsed until the reader opens
// it), the author's role in the board, a verified key, and a name that poses as a verified one.
import { html, nothing, type TemplateResult } from 'lit';
import type { Hide, RevisedPost, VerifiedCheck } from '#client-core';
import type { ShownPost } from '#shared';
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
  return html`<p class="hidden-line small" role="note">
    <span>Hidden by a moderator${hide.reason ? html`: <bdi>${withoutOverrides(hide.reason)}</bdi>` : nothing}</span>
    <button type="button" aria-expanded=${open ? 'true' : 'false'} @click=${() => (host.opened = !open)}>${open ? 'Collapse' : 'Show what was hidden'}</button>
  </p>`;
}

export function moderationParts(host: Host, p: ShownPost | RevisedPost): ModerationParts {
  const r = revised(p);
  const deleted = r?.deleted ?? false;
  const hide = deleted ? null : host.hide;
  if (hide && !host.opened) {
    return {
      collapsed: html`<article class="collapsed" aria-label="Post hidden by a moderator">${hideLine(host, hide, false)}</article>`,
      badges: nothing,
      notes: nothing,
      body: null,
      after: nothing,
      deleted,
      posing: false,
    };
  }
  const posingAs = host.keyCheck?.posingAs ?? null;
  const badges = html`${host.role === 'owner' ? html`<span class="badge role" title="This key owns the board">owner</span>` : nothing}
  ${host.role === 'moderator' ? html`<span class="badge role" title="The board's owner made this key a moderator">moderator</span>` : nothing}
  ${host.keyCheck?.verified ? html`<span class="badge ok" title="You compared this person's safety code and marked the key verified on this device">✓ verified</span>` : nothing}`;
  const notes = html`${posingAs
    ? html`<p class="clash-note small" role="note">
        ⚠ Not the <bdi>${withoutOverrides(p.name)}</bdi> you verified: that is the key <span class="mono" dir="ltr">${posingAs.slice(0, 8)}</span>.
      </p>`
    : nothing}
  ${r?.tampered
    ? html`<p class="clash-note small" role="note">⚠ Someone other than its author took this post out of the thread; shown as this device saw it.</p>`
    : nothing}`;
  const body = deleted ? html`<p class="muted deleted">Deleted by its author.</p>` : null;
  const after = html`${hide ? hideLine(host, hide, true) : nothing}
  ${r?.edited && !deleted
    ? html`<details class="history small">
        <summary>edited${r.editedAt !== null ? html` <time datetime=${new Date(r.editedAt).toISOString()}>${shownTime(new Date(r.editedAt))}</time>` : nothing}</summary>
        <ol>
          ${r.history.map((h) => html`<li><span class="muted">${shownTime(new Date(h.ts))}</span><baton-post-text .text=${h.body}></baton-post-text></li>`)}
        </ol>
      </details>`
    : nothing}`;
  return { collapsed: null, badges, notes, body, after, deleted, posing: posingAs !== null };
}
