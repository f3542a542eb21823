// Who holds authority in a board (docs/PROTOCOL.md §6, "The authority rule"): the owner its
// links name, the owners and moderators that owner's signed records lead to, and what their
// hides say. Records signed by anyone else change nothing; they are reported as flagged.
import type { ModRecord, ModVerdict } from '#shared';

export type FlagReason = 'malformed' | 'bad-signature' | 'no-authority' | 'voided';

export interface FlaggedRecord {
  id: string | null;
  by: string | null;
  kind: string | null;
  reason: FlagReason;
  detail: string;
}

export interface Hide {
  /** The record that hides it. */
  id: string;
  by: string;
  ts: number;
  reason: string | null;
}

export interface Authority {
  /** The owner the board's link names (null: an older board, without moderation). */
  owner: string | null;
  /** Current owner keys: the link's owner unless removed, and the owners it (or they) added. */
  owners: string[];
  moderators: string[];
  /** The owners allow moderators to remove members. */
  moderatorsMayRemove: boolean;
  /** `<thread>/<post>` -> the hide in force. */
  hiddenPosts: Map<string, Hide>;
  /** identity key -> the hide in force for every post of that key. */
  hiddenKeys: Map<string, Hide>;
  /** Records that count, every kind, oldest first (kinds this version does not act on included). */
  accepted: ModRecord[];
  flagged: FlaggedRecord[];
}

const OWNER_KINDS = new Set(['owner-add', 'owner-remove', 'appoint', 'dismiss', 'allow-mod-remove']);
const MODERATOR_KINDS = new Set(['hide', 'hide-key', 'unhide', 'unhide-key']);

/** The role a record's kind needs: owner, or owner or moderator. Unknown kinds need at least a moderator. */
export function roleNeeded(kind: string): 'owner' | 'moderator' {
  return OWNER_KINDS.has(kind) ? 'owner' : 'moderator';
}

const newest = (a: ModRecord, b: ModRecord) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The board's authority from its verified records (client/core/moderation-memory.ts adds the
 * ones this device saw before). Deterministic: the same records give the same answer on
 * every device, whatever order they arrived in.
 *
 * Owners: the link's owner, and every key an `owner-add` names whose signer is an owner
 * (transitively). An `owner-remove` by an owner removes its target; every record the removed
 * key signed stops counting except those the removal lists in `keep`, so a seized key cannot
 * backdate new records. Removals only ever grow: two owners who remove each other both go.
 * Moderators: per target key, the newest `appoint` or `dismiss` by a current owner wins (a
 * dismissal wins a tie). Hides: per post or key, the newest hide or unhide by a current owner
 * or moderator wins; a dismissed moderator's hides lapse with their authority.
 */
export function computeAuthority(owner: string | null | undefined, verdicts: readonly ModVerdict[]): Authority {
  const flagged: FlaggedRecord[] = [];
  const records: ModRecord[] = [];
  const seenIds = new Set<string>();
  for (const v of verdicts) {
    if (!v.ok) {
      flagged.push({ id: v.id, by: v.by, kind: null, reason: v.reason, detail: v.detail });
      continue;
    }
    if (seenIds.has(v.record.id)) continue;
    seenIds.add(v.record.id);
    records.push(v.record);
  }
  records.sort(newest);
  const root = owner ?? null;
  const empty: Authority = { owner: root, owners: [], moderators: [], moderatorsMayRemove: false, hiddenPosts: new Map(), hiddenKeys: new Map(), accepted: [], flagged };
  if (root === null) {
    for (const r of records) flagged.push(flag(r, 'no-authority', 'this board has no owner'));
    return empty;
  }

  // Owners, to a fixed point: removals only grow, so this ends.
  const removed = new Map<string, Set<string>>(); // removed key -> ids of its records kept
  const counts = (r: ModRecord) => !removed.has(r.by) || removed.get(r.by)!.has(r.id);
  let everOwners = new Set<string>();
  for (;;) {
    everOwners = new Set([root]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const r of records) {
        if (r.kind === 'owner-add' && everOwners.has(r.by) && counts(r) && !everOwners.has(r.target!)) {
          everOwners.add(r.target!);
          grew = true;
        }
      }
    }
    // Every removal is judged against the state at the start of the round, so the order of records does not matter.
    const before = new Map([...removed].map(([k, v]) => [k, new Set(v)]));
    const countedBefore = (r: ModRecord) => !before.has(r.by) || before.get(r.by)!.has(r.id);
    let changed = false;
    for (const r of records) {
      if (r.kind !== 'owner-remove' || !everOwners.has(r.by) || !countedBefore(r) || r.target === r.by) continue;
      const kept = removed.get(r.target!);
      if (!kept) {
        removed.set(r.target!, new Set(r.keep ?? []));
        changed = true;
      } else {
        // Several removals of one key: a record counts if any of them keeps it.
        for (const id of r.keep ?? []) if (!kept.has(id)) (kept.add(id), (changed = true));
      }
    }
    if (!changed) break;
  }
  const owners = new Set([...everOwners].filter((k) => !removed.has(k)));
  const isOwnerSigned = (r: ModRecord) => everOwners.has(r.by) && counts(r) && (owners.has(r.by) || removed.has(r.by));

  // Moderators and the owners' settings: newest record per subject.
  const moderatorRecord = new Map<string, ModRecord>();
  let allowRecord: ModRecord | null = null;
  for (const r of records) {
    if (r.kind === 'appoint' || r.kind === 'dismiss') {
      if (!isOwnerSigned(r)) continue;
      const prev = moderatorRecord.get(r.target!);
      if (!prev || supersedes(r, prev)) moderatorRecord.set(r.target!, r);
    } else if (r.kind === 'allow-mod-remove' && isOwnerSigned(r)) {
      if (!allowRecord || newest(r, allowRecord) > 0) allowRecord = r;
    }
  }
  const moderators = new Set([...moderatorRecord.values()].filter((r) => r.kind === 'appoint' && !owners.has(r.target!)).map((r) => r.target!));
  const mayModerate = (r: ModRecord) => isOwnerSigned(r) || (moderators.has(r.by) && counts(r));

  const postRecord = new Map<string, ModRecord>();
  const keyRecord = new Map<string, ModRecord>();
  for (const r of records) {
    if (!MODERATOR_KINDS.has(r.kind) || !mayModerate(r)) continue;
    const [map, subject] = r.kind === 'hide' || r.kind === 'unhide' ? [postRecord, `${r.thread}/${r.post}`] : [keyRecord, r.target!];
    const prev = map.get(subject);
    if (!prev || supersedes(r, prev)) map.set(subject, r);
  }
  const hides = (map: Map<string, ModRecord>) => {
    const out = new Map<string, Hide>();
    for (const [subject, r] of map) if (r.kind.startsWith('hide')) out.set(subject, { id: r.id, by: r.by, ts: r.ts, reason: r.reason ?? null });
    return out;
  };

  const accepted: ModRecord[] = [];
  for (const r of records) {
    const ok = roleNeeded(r.kind) === 'owner' ? isOwnerSigned(r) : mayModerate(r);
    if (ok) accepted.push(r);
    else if (removed.has(r.by) && everOwners.has(r.by)) flagged.push(flag(r, 'voided', 'signed by an owner key that was removed'));
    else flagged.push(flag(r, 'no-authority', `signed by a key that is not ${roleNeeded(r.kind) === 'owner' ? 'an owner' : 'an owner or moderator'}`));
  }
  return {
    owner: root,
    owners: [...owners].sort(),
    moderators: [...moderators].sort(),
    moderatorsMayRemove: allowRecord?.allow === true,
    hiddenPosts: hides(postRecord),
    hiddenKeys: hides(keyRecord),
    accepted,
    flagged,
  };
}

const UNDO_KINDS = new Set(['dismiss', 'unhide', 'unhide-key']);

/** `r` replaces `prev`: newer, or as new and an undo (a dismissal, an unhide) against a grant, or else the larger id. */
function supersedes(r: ModRecord, prev: ModRecord): boolean {
  if (r.ts !== prev.ts) return r.ts > prev.ts;
  const ru = UNDO_KINDS.has(r.kind) ? 1 : 0;
  const pu = UNDO_KINDS.has(prev.kind) ? 1 : 0;
  if (ru !== pu) return ru > pu;
  return r.id > prev.id;
}

function flag(r: ModRecord, reason: FlagReason, detail: string): FlaggedRecord {
  return { id: r.id, by: r.by, kind: r.kind, reason, detail };
}

/** The hide in force for a post, if any: the post's own, or one of every post of its author. */
export function hideOf(authority: Authority, thread: string, postId: string, author: string): Hide | null {
  return authority.hiddenPosts.get(`${thread}/${postId}`) ?? authority.hiddenKeys.get(author) ?? null;
}

/** Whether a key may sign records of this kind now. */
export function mayAct(authority: Authority, key: string, kind: string): boolean {
  if (authority.owners.includes(key)) return true;
  return roleNeeded(kind) === 'moderator' && authority.moderators.includes(key);
}

/** Whether a key may remove a member: an owner, or a moderator when the owners allow it. */
export function mayRemove(authority: Authority, key: string): boolean {
  return authority.owners.includes(key) || (authority.moderatorsMayRemove && authority.moderators.includes(key));
}
