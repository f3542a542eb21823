// What a space is opened with: the device's store and identity, and its tuning.
import type { Identity } from '#shared';
import type { ProblemListener } from './problems.ts';
import type { RelayPolicy } from './relay-choice.ts';
import type { ConnectionOptions } from './relay-connection.ts';
import type { RoomStore } from './store.ts';

export interface SpaceContext {
  store: RoomStore;
  identity: Identity;
  connection?: ConnectionOptions;
  batchMs?: number;
  /** Damage in the local store or dropped blobs: reported, never fatal. */
  onProblem?: ProblemListener;
  /** Blobs in the current epoch before a writer starts the next (docs/PROTOCOL.md §3, epochs). */
  compactAfterBlobs?: number;
  /** How often relays are asked which epochs they hold. */
  epochCheckMs?: number;
  /** Random wait before compacting, so writers that cross the threshold together rarely both do. */
  compactJitterMs?: number;
  maxBlobBytes?: number;
  /** Which relays of a board's list may be dialled (client/core/relay-choice.ts). */
  relayPolicy?: RelayPolicy;
}
