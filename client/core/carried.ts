// Which threads a thread carries posts of (docs/PROTOCOL.md §6, "Moved boards"): the origins
// its carried records name, counted only when signed by the owner its link names (the key
// that moved the board into this one). The same set object is handed back while the records
// are unchanged, so post verdicts cached against it stay valid.
import { carriedMap, carriedOrigins, type SpaceId } from '#shared';
import type { Space } from './space.ts';

const EMPTY: ReadonlySet<SpaceId> = new Set();
const memo = new WeakMap<object, { key: string; origins: ReadonlySet<SpaceId> }>();

export function threadOrigins(thread: Space): ReadonlySet<SpaceId> {
  const doc = thread.plain;
  const owner = thread.cap.owner;
  if (!doc || owner === undefined || carriedMap(doc).size === 0) return EMPTY;
  const key = `${owner}\n${JSON.stringify(carriedMap(doc).toJSON())}`;
  const known = memo.get(doc);
  if (known && known.key === key) return known.origins;
  const origins = carriedOrigins(doc, thread.spaceId, (by) => by === owner);
  memo.set(doc, { key, origins });
  return origins;
}
