// The thread's moderation words: what a post's buttons asked for, as an action with the notice
// for each outcome; what this device knows of the board's owner and of the records it
// ignored; and whose changes to the summary are newest, so a rewrite is attributable.
import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { summaryEditors, type Space } from '#client-core';
import type { BatonEvents } from '../../events.ts';
import { formatNumber } from '../../l10n/format.ts';
import { fillSlots, slot } from '../../l10n/slots.ts';
import type { ThreadModeration } from './moderation.ts';

/** The events of a post's buttons that postAction turns into actions. */
export const POST_ACTIONS = ['baton-post-edit', 'baton-post-delete', 'baton-post-hide', 'baton-verify-key'] as const;

export interface PostAction {
  run: () => void;
  done: string;
  /** Before the reason of a refusal. */
  failed: string;
}

type ActionEvent =
  | CustomEvent<BatonEvents['baton-post-edit']>
  | CustomEvent<BatonEvents['baton-post-delete']>
  | CustomEvent<BatonEvents['baton-post-hide']>
  | CustomEvent<BatonEvents['baton-verify-key']>;

/** The post action an event of a post's buttons asks for. */
export function postAction(mod: ThreadModeration, thread: Space, e: Event): PostAction | null {
  const ev = e as ActionEvent;
  switch (ev.type) {
    case 'baton-post-edit': {
      const d = (ev as CustomEvent<BatonEvents['baton-post-edit']>).detail;
      return { run: () => mod.editPost(thread, d.postId, d.body), done: msg('Your post is edited.', { id: 'thread.edited' }), failed: msg('Not edited', { id: 'thread.notEdited' }) };
    }
    case 'baton-post-delete': {
      const d = (ev as CustomEvent<BatonEvents['baton-post-delete']>).detail;
      return { run: () => mod.deletePost(thread, d.postId), done: msg('Your post is deleted.', { id: 'thread.deleted' }), failed: msg('Not deleted', { id: 'thread.notDeleted' }) };
    }
    case 'baton-post-hide': {
      const d = (ev as CustomEvent<BatonEvents['baton-post-hide']>).detail;
      return {
        run: () => mod.hidePost(thread, d.postId, d.reason, d.author),
        done: d.author ? msg('Every post of this key is hidden for everyone.', { id: 'thread.keyHidden' }) : msg('The post is hidden for everyone.', { id: 'thread.hidden' }),
        failed: msg('Not hidden', { id: 'thread.notHidden' }),
      };
    }
    case 'baton-verify-key': {
      const { key, name, verified } = (ev as CustomEvent<BatonEvents['baton-verify-key']>).detail;
      return {
        run: () => (verified ? mod.verified.mark(key, name) : mod.verified.unmark(key)),
        done: verified ? msg('Marked verified on this device.', { id: 'thread.markedVerified' }) : msg('No longer marked verified.', { id: 'thread.unmarkedVerified' }),
        failed: msg('Not saved', { id: 'thread.notSaved' }),
      };
    }
    default:
      return null;
  }
}

/** What this device knows of the board's owner and of records it ignored. */
export function moderationNotes(mod: ThreadModeration | null) {
  const a = mod?.authority;
  if (!mod || !a) return nothing;
  const named = slot(0);
  const first = slot(1);
  const conflict = mod.owner?.conflict
    ? html`<p class="warning small" role="note">
        ⚠
        ${fillSlots(msg(str`The link you opened names another owner for this board (${named}) than the one this device first saw (${first}). This device goes by the first.`, { id: 'thread.ownerConflict' }), {
          [named]: html`<span class="mono" dir="ltr">${mod.owner.linkOwner!.slice(0, 8)}</span>`,
          [first]: html`<span class="mono" dir="ltr">${mod.owner.owner!.slice(0, 8)}</span>`,
        })}
      </p>`
    : nothing;
  const count = formatNumber(a.flagged.length);
  const ignored = a.flagged.length > 0 ? html`<p class="muted small" role="note">${msg(str`Moderation records ignored, signed by keys without authority: ${count}`, { id: 'thread.ignoredRecords' })}</p>` : nothing;
  return html`${conflict}${ignored}`;
}

/** Whose changes to the summary are newest. */
export function editorsLine(mod: ThreadModeration | null, space: Space) {
  const keys = summaryEditors(space, 3);
  if (keys.length === 0) return nothing;
  const role = (k: string) => (mod?.role(k) === 'owner' ? msg('owner', { id: 'post.owner' }) : mod?.role(k) === 'moderator' ? msg('moderator', { id: 'post.moderator' }) : '');
  return html`<p class="small muted">
    ${msg('Summary last changed by:', { id: 'thread.summaryEditors' })}
    ${keys.map((k, i) => html`${i > 0 ? ', ' : ''}<span class="mono" dir="ltr" title=${k}>${k.slice(0, 8)}</span>${role(k) ? ` (${role(k)})` : ''}`)}
  </p>`;
}
