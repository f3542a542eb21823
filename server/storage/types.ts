// The relay's storage: an append-only log of accepted Yjs updates per room. Small on
// purpose, so that other backends fit behind it (automerge-repo's StorageAdapter style).

export interface StoredRoom {
  /** The room's updates in the order they were appended. */
  updates: Uint8Array[];
  /** Sequence number of the last update returned; 0 for an empty room. */
  throughSeq: number;
  /** Total bytes of the updates. */
  bytes: number;
}

export interface AppendEntry {
  room: string;
  update: Uint8Array;
}

export interface RelayStorage {
  load(room: string): Promise<StoredRoom>;
  /** The bytes load would return, without reading them (0 for an empty room). */
  roomBytes(room: string): Promise<number>;
  /** Appends every entry atomically; resolved only once the batch is durable. */
  append(batch: readonly AppendEntry[]): Promise<void>;
  /** Sequence number of the room's last stored update; 0 for an empty room. */
  lastSeq(room: string): Promise<number>;
  /**
   * Replaces the room's updates up to throughSeq by `merged`: updates holding all of them, in
   * the order they apply without a gap (shared/envelope/split-update.ts). One update replaces them in one
   * step, in the place of the last; several may be written a few at a time (all of them before
   * the replaced rows go, so that nothing is lost if the relay stops midway), after the rows
   * stored so far. A relay compacts inside its write queue, so that no row follows throughSeq.
   */
  compact(room: string, throughSeq: number, merged: readonly Uint8Array[]): Promise<void>;
  /** Names of the rooms that hold at least one update, sorted. */
  listRooms(): Promise<string[]>;
  /**
   * Every held room with a mark that changes whenever the room gains an update (the id of its
   * last stored row). Peers compare marks between polls to find the rooms worth syncing.
   */
  listRoomMarks(): Promise<Array<[room: string, mark: number]>>;
  /** Names of the held rooms that start with a prefix, sorted. */
  listRoomsWithPrefix(prefix: string): Promise<string[]>;
  /** Records (once) when a room first held a snapshot blob (docs/PROTOCOL.md §3, epochs); ms since the epoch. */
  markSnapshot(room: string, at: number): Promise<void>;
  /** Every room with a snapshot, and when it first held one. */
  listSnapshotMarks(): Promise<Array<[room: string, at: number]>>;
  /** Removes a room and everything it holds (an older epoch past its retention). */
  dropRoom(room: string): Promise<void>;
  close(): Promise<void>;
}
