// Who gives way when a room is full: the member that made no progress for longest (no
// bytes drained, no update accepted), once that is longer than the grace period. A slow
// link still draining its answer keeps moving data, so it is never the one cut; a socket
// that only holds a slot is.
import type { Room, RoomMember } from '../rooms/room.ts';

export interface Evictable {
  /** performance.now() of the last bytes drained or update accepted. */
  readonly lastProgress: number;
  evict(): void;
}

function evictable(member: RoomMember): member is RoomMember & Evictable {
  return typeof (member as Partial<Evictable>).evict === 'function' && typeof (member as Partial<Evictable>).lastProgress === 'number';
}

export function pickEvictable(members: Iterable<RoomMember>, now: number, graceMs: number): Evictable | null {
  let idlest: Evictable | null = null;
  for (const member of members) {
    if (!evictable(member)) continue;
    if (!idlest || member.lastProgress < idlest.lastProgress) idlest = member;
  }
  return idlest && now - idlest.lastProgress >= graceMs ? idlest : null;
}

/**
 * Whether a newcomer gets a slot in `room`: null if so (an idle member may have given way
 * for it), else the reason it is refused. `fromSource`: connections the room already has
 * from the newcomer's address, when the relay counts them.
 */
export function admit(room: Room, fromSource: number | null, limits: { perSource: number; perRoom: number; graceMs: number }): string | null {
  if (fromSource !== null && fromSource >= limits.perSource) return 'too many connections to this room from one address';
  if (room.members.size < limits.perRoom) return null;
  const idle = pickEvictable(room.members, performance.now(), limits.graceMs);
  if (!idle) return 'room is full of connections, try again later';
  idle.evict();
  return null;
}
