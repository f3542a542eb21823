// The fan-out bus between the nodes of a relay cluster. A single relay has none: the
// registry then skips every bus step, so the single-node path costs nothing.
import type { AppendEntry } from '../storage/types.ts';

/** What the bus hands the node: updates other nodes accepted, and rooms it may have missed. */
export interface BusHandler {
  /** Another node accepted and stored this update; it is validated again here. */
  deliver(room: string, update: Uint8Array): void;
  /** The node may have missed updates of this room (the stream was trimmed or lost): reload it from storage. */
  missed(room: string): void;
}

export interface ClusterBus {
  /**
   * Where the room's stream stands now. Taken before the room is loaded from storage: every
   * update published after it is read from the stream, every one before is in storage.
   */
  position(room: string): Promise<string>;
  /** Starts reading the room's stream after `from` (a loaded room). */
  follow(room: string, from: string): void;
  /** Stops reading the room's stream (an unloaded room). */
  unfollow(room: string): void;
  /** Tells the other nodes about updates this node has committed to the shared storage. */
  publish(entries: readonly AppendEntry[]): void;
  close(): Promise<void>;
}

/** The origin given to room.receive for updates that came over the bus: already stored, not stored again. */
export const FROM_BUS: unique symbol = Symbol('cluster bus');
