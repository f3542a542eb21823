// A board's moderation on this device: its authority computed from the records in the board
// doc and the ones this device saw before (any writer can delete an entry of the shared map,
// so a device keeps every record that counted and goes on counting it), and the actions that
// sign new records into the board.
import type * as Y from 'yjs';
import { ModerationError, addModRecord, readModRecords, signModRecord, verifyModRecord, type Identity, type ModDraft, type ModRecord, type ModVerdict } from '#shared';
import { computeAuthority, mayAct, type Authority } from './authority.ts';
import type { Written } from './delivery.ts';
import type { DeviceMemory } from './device-memory.ts';
import { ClientError } from './errors.ts';
import type { Space } from './space.ts';

/** Records remembered per board, at most. */
const MAX_REMEMBERED = 5000;

const scope = (boardId: string) => `moderation:${boardId}`;

export class ModerationBook {
  private remembered = new Map<string, ModRecord>();
  private rememberedVerdicts: ModVerdict[] = [];

  constructor(
    private readonly memory: DeviceMemory | null,
    private readonly boardId: string,
  ) {
    const loaded = memory?.load(scope(boardId));
    if (!Array.isArray(loaded)) return;
    for (const value of loaded.slice(0, MAX_REMEMBERED)) {
      const id = (value as { id?: unknown })?.id;
      if (typeof id !== 'string') continue;
      const verdict = verifyModRecord(boardId, id, value);
      if (verdict.ok) {
        this.remembered.set(id, verdict.record);
        this.rememberedVerdicts.push(verdict);
      }
    }
  }

  /**
   * The board's authority now. The owner is the one this device goes by (client/core/owner-book.ts).
   * Records that count are remembered, so removing them from the board's map changes nothing here.
   */
  authority(doc: Y.Doc, owner: string | null): Authority {
    // Remembered first: under an id the map holds other bytes for, the remembered record wins.
    const authority = computeAuthority(owner, [...this.rememberedVerdicts, ...readModRecords(doc, this.boardId)]);
    let added = false;
    for (const r of authority.accepted) {
      if (this.remembered.has(r.id) || this.remembered.size >= MAX_REMEMBERED) continue;
      this.remembered.set(r.id, r);
      this.rememberedVerdicts.push({ ok: true, record: r });
      added = true;
    }
    if (added) this.memory?.save(scope(this.boardId), [...this.remembered.values()]);
    return authority;
  }
}

/** Signs a record into the board and seals it at once. Refuses a record this identity may not sign. */
export function writeModRecord(board: Space, identity: Identity, authority: Authority, draft: ModDraft): { record: ModRecord; written: Written } {
  if (board.cap.kind !== 'board') throw new ClientError('bad-input', 'moderation records belong in a board');
  const doc = board.requireWrite();
  if (authority.owner === null) throw new ClientError('bad-input', 'this board has no owner (its link names none), so it has no moderation', 'no-owner');
  let record: ModRecord;
  try {
    record = signModRecord(identity, board.spaceId, draft);
  } catch (err) {
    throw new ClientError('bad-input', err instanceof ModerationError ? err.message : String(err));
  }
  if (!mayAct(authority, record.by, record.kind)) {
    throw new ClientError('bad-input', `only ${record.kind === 'hide' || record.kind.includes('hide') ? 'an owner or a moderator' : 'an owner'} may do that in this board`, 'no-authority');
  }
  addModRecord(doc, record);
  return { record, written: board.flush() };
}

export interface Moderation {
  board: Space;
  identity: Identity;
  authority: Authority;
}

export const appointModerator = (m: Moderation, key: string) => writeModRecord(m.board, m.identity, m.authority, { kind: 'appoint', target: key });
export const dismissModerator = (m: Moderation, key: string) => writeModRecord(m.board, m.identity, m.authority, { kind: 'dismiss', target: key });
export const addOwner = (m: Moderation, key: string) => writeModRecord(m.board, m.identity, m.authority, { kind: 'owner-add', target: key });
export const allowModeratorsToRemove = (m: Moderation, allow: boolean) => writeModRecord(m.board, m.identity, m.authority, { kind: 'allow-mod-remove', allow });

/**
 * Removes an owner key. The records it signed that count now (its appointments, say) are kept
 * by the removal; anything it signs later, or signed without this device seeing it, does not count.
 */
export function removeOwner(m: Moderation, key: string) {
  const keep = m.authority.accepted.filter((r) => r.by === key).map((r) => r.id);
  return writeModRecord(m.board, m.identity, m.authority, { kind: 'owner-remove', target: key, keep: keep.slice(-1000) });
}

export function hidePost(m: Moderation, o: { thread: string; post: string; reason?: string }) {
  return writeModRecord(m.board, m.identity, m.authority, { kind: 'hide', thread: o.thread, post: o.post, ...(o.reason ? { reason: o.reason } : {}) });
}
export const unhidePost = (m: Moderation, o: { thread: string; post: string }) => writeModRecord(m.board, m.identity, m.authority, { kind: 'unhide', thread: o.thread, post: o.post });
export function hideKey(m: Moderation, o: { key: string; reason?: string }) {
  return writeModRecord(m.board, m.identity, m.authority, { kind: 'hide-key', target: o.key, ...(o.reason ? { reason: o.reason } : {}) });
}
export const unhideKey = (m: Moderation, key: string) => writeModRecord(m.board, m.identity, m.authority, { kind: 'unhide-key', target: key });
