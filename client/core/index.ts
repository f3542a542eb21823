// The client core's public face, for the CLI and the web client. Runs in Node and browsers;
// storage and WebSockets come in through ClientOptions.
export { BatonClient, type ClientOptions } from './client.ts';
export { Space, type LocalWrite, type SpaceContext } from './space.ts';
export * as boards from './boards.ts';
export type { Capabilities, NewThread } from './boards.ts';
export { exportBundle, importBundle, type ImportedRoom } from './bundles.ts';
export { ClientError, type ClientErrorCode } from './errors.ts';
export { loadIdentity, replaceIdentity, checkName, DEFAULT_NAME } from './identity.ts';
export { queuedCapabilities } from './outbox.ts';
export { ReceiptBook, covers, type StateVector } from './receipts.ts';
export type { RelayState, RelayStatus, Transport, ConnectionOptions } from './relay-connection.ts';
export { MemoryStore, emptyMeta, type RoomStore, type RoomMeta, type StoredRoom, type IdentityStore, type StoredIdentity } from './store.ts';
export { DEFAULT_BATCH_MS } from './bridge.ts';
export { PREVIEW_POSTS, type ThreadPreview } from './preview.ts';
export { MAX_RELAYS_PER_SPACE, chooseRelays, type RelayPolicy, type RelayVerdict } from './relay-choice.ts';
export { NameBook, MemoryNameMemory, checkNames, nameKey, type NameCheck, type NameMemory } from './names.ts';
