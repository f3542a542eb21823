// Default limits, shared so that relays and clients agree on what is too big.

export interface Limits {
  /** Largest single blob. */
  maxBlobBytes: number;
  /** Largest single Yjs update (one sync message, one HTTP POST). */
  maxUpdateBytes: number;
  /** Largest envelope doc a relay keeps for one room. */
  maxRoomBytes: number;
  /** Blobs in a room before writers start a new epoch (docs/PROTOCOL.md §3, epochs). */
  compactAfterBlobs: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxBlobBytes: 256 * 1024,
  maxUpdateBytes: 1024 * 1024,
  maxRoomBytes: 64 * 1024 * 1024,
  compactAfterBlobs: 500,
});

/** Post bodies longer than this are invalid (docs/PROTOCOL.md §6). */
export const MAX_POST_BODY_CHARS = 20_000;
export const MAX_NAME_CHARS = 100;
export const MAX_TITLE_CHARS = 300;
