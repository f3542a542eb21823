// The client core's public face, for the CLI, the web client and the platform adapters
// (client/node/index.ts, client/browser/index.ts). Runs in Node and browsers; storage and
// WebSockets come in through ClientOptions.
export { BatonClient, type ClientOptions } from './client.ts';
export { Space, MAX_EPOCH_JUMP, MAX_OPEN_EPOCH, type DisplacedWrite, type LocalWrite, type SpaceContext } from './space.ts';
export * as boards from './boards.ts';
export type { Capabilities, NewThread, Posted, PostInput } from './boards.ts';
export { checkFileLimits, fetchFile, openLinkedFiles, resumeFileUploads, sealFiles, type PreparedFile, type SealedFiles } from './attachments.ts';
export { describeImageMetadata, sniffMime, stripContainerMetadata, stripJpegSegments, type SniffedMime } from './metadata.ts';
export { PDF_WARNING, stripPdf, type StrippedPdf } from './strip-pdf.ts';
export { exportBundle, importBundle, importRooms, type ImportedRoom } from './bundles.ts';
export { ClientError, type ClientErrorCode, type ClientErrorReason } from './errors.ts';
export { caught, type BlobId, type Caught, type ClientProblem, type DropReason, type ProblemListener, type StoreProblem } from './problems.ts';
export { DOWN_AFTER_FAILURES, SYNC_GRACE_MS, unreachable, type BlobRef, type WaitOptions, type Written } from './delivery.ts';
export { pushBundle, pushUpdate, relayAnswers, RelayHttpError } from './http-sync.ts';
export { loadIdentity, replaceIdentity, checkName, DEFAULT_NAME } from './identity.ts';
export { queuedCapabilities } from './outbox.ts';
export { TrackedStore, persistFirst } from './persist-first.ts';
export { ReceiptBook, covers, type StateVector } from './receipts.ts';
export type { RelayState, RelayStatus, Transport, ConnectionOptions } from './relay-connection.ts';
export {
  MemoryStore,
  emptyMeta,
  type RoomStore,
  type RoomMeta,
  type StoredRoom,
  type IdentityStore,
  type StoredIdentity,
  type VerificationCache,
} from './store.ts';
export { DEFAULT_BATCH_MS } from './bridge.ts';
export { diffSplice, type Splice } from './splice.ts';
export { setOffThreadCheck, checkDetached, type CheckRequest, type CheckResult, type OffThreadCheck } from './update-check.ts';
export { PREVIEW_POSTS, type ThreadPreview } from './preview.ts';
export { MAX_RELAYS_PER_SPACE, chooseRelays, type RelayPolicy, type RelayVerdict } from './relay-choice.ts';
export { NameBook, MemoryNameMemory, checkNames, nameKey, type NameCheck, type NameMemory } from './names.ts';
export { Vault } from './vault.ts';
export { SealedStore, SealedIdentityStore, sealRooms } from './sealed-store.ts';
export {
  ARGON2,
  afterAttempt,
  changePassphrase,
  createLock,
  delayAfter,
  parseLockRecord,
  setDuress,
  tryPassphrase,
  waitBeforeAttempt,
  type LockRecord,
  type Pwhash,
  type UnlockResult,
} from './vault-lock.ts';
export { FIRST_SCREEN_POSTS, firstScreenCapability, readFirstScreen } from './first-screen.ts';
export { MemoryDeviceMemory, type DeviceMemory } from './device-memory.ts';
export { checkOwner, trustOwner, type OwnerCheck } from './owner-book.ts';
export { computeAuthority, hideOf, mayAct, mayRemove, roleNeeded, type Authority, type FlaggedRecord, type FlagReason, type Hide } from './authority.ts';
export * as moderation from './moderation.ts';
export { ModerationBook, type Moderation } from './moderation.ts';
export { moveState, followMove, restoreMove, type MoveContext, type MoveState, type RefusedMove } from './moved.ts';
export { removeMember, isIdentityKeyText, type Removal } from './remove.ts';
export { boardAuthority, removers } from './move-authority.ts';
export { PostWatch, revisePosts, type RevisedPost } from './own-words.ts';
export { VerifiedKeys, type VerifiedCheck, type VerifiedKey } from './verified-keys.ts';
export { summaryEditors } from './summary-editors.ts';
