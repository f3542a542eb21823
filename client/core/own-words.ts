// Posts as their authors last left them (docs/PROTOCOL.md §6, "Deleting and editing"): a post
// its author deleted shows as deleted, without its text; an edited one shows its newest text,
// marked edited, with the earlier ones as history. Only the author's own signed records count.
//
// The posts map is shared: any writer can take an entry out of it or put another under its id.
// A post that leaves the map (or changes author) without its author's delete record is kept
// on screen from what this device saw, flagged `tampered`, for as long as the view is open.
import type * as Y from 'yjs';
import { isTombstone, postsMap, readRevisions, type ShownPost } from '#shared';
import { MAX_NAME_CHARS } from '#shared';

export interface RevisedPost extends ShownPost {
  deleted: boolean;
  edited: boolean;
  /** When the newest edit was made (the author's clock). */
  editedAt: number | null;
  /** The earlier texts, oldest first: the original, then every edit before the newest. */
  history: { body: string; ts: number }[];
  /** Taken out of the thread, or put under another author, by a writer other than its author. */
  tampered: boolean;
}

/** What a view saw of each verified post, to notice one that disappears without its author's say. */
export class PostWatch {
  readonly seen = new Map<string, RevisedPost>();
}

/** `origins`: threads this one carries posts and revisions of (client/core/carried.ts). */
export function revisePosts(doc: Y.Doc, threadSpaceId: string, shown: readonly ShownPost[], watch?: PostWatch, origins?: ReadonlySet<string>): RevisedPost[] {
  const revisions = readRevisions(doc, threadSpaceId, origins);
  const deletedBy = (id: string, author: string) => (revisions.get(id) ?? []).some((r) => r.kind === 'delete' && r.author === author);
  const out: RevisedPost[] = [];
  for (const p of shown) {
    const own = p.verified ? (revisions.get(p.id) ?? []).filter((r) => r.author === p.author) : [];
    if (own.some((r) => r.kind === 'delete')) {
      // Its files go with its text: not offered, and not linked into new epochs (link-blobs.ts).
      out.push({ ...p, body: '', attachments: [], deleted: true, edited: false, editedAt: null, history: [], tampered: false });
      continue;
    }
    const edits = own.filter((r) => r.kind === 'edit');
    const last = edits.at(-1);
    out.push({
      ...p,
      body: last ? last.body! : p.body,
      deleted: false,
      edited: last !== undefined,
      editedAt: last?.ts ?? null,
      history: last ? [{ body: p.body, ts: p.ts }, ...edits.slice(0, -1).map((e) => ({ body: e.body!, ts: e.ts }))] : [],
      tampered: false,
    });
  }
  // Tombstones: a deleted post whose text is gone; it counts only with its author's delete record.
  postsMap(doc).forEach((value, key) => {
    if (!isTombstone(value) || value.id !== key || !deletedBy(key, value.author)) return;
    out.push({
      id: key,
      author: value.author,
      name: typeof value.name === 'string' ? value.name.replace(/[\r\n]/g, ' ').slice(0, MAX_NAME_CHARS) : '',
      ts: value.ts,
      body: '',
      replyTo: typeof value.replyTo === 'string' ? value.replyTo : null,
      attachments: [],
      verified: true,
      deleted: true,
      edited: false,
      editedAt: null,
      history: [],
      tampered: false,
    });
  });
  if (watch) {
    const now = new Map(out.map((p) => [p.id, p]));
    for (const [id, before] of watch.seen) {
      const current = now.get(id);
      if (current && current.verified && current.author === before.author) continue;
      if (deletedBy(id, before.author)) continue;
      // Gone, or replaced by someone else's entry: keep what this device saw, flagged.
      if (current) out.splice(out.indexOf(current), 1);
      out.push({ ...before, tampered: true });
    }
    for (const p of out) if (p.verified && !p.tampered) watch.seen.set(p.id, p);
  }
  return out.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
