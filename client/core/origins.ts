// Transaction origins, so each listener can tell where a change came from.

/** Plaintext changes decrypted from blobs (never re-sealed). */
export const FROM_BLOB = Symbol('baton:from-blob');
/** Blobs this device sealed and appended to its envelope doc. */
export const LOCAL_BLOB = Symbol('baton:local-blob');
/** Updates read back from the local store (already stored, not stored again). */
export const FROM_STORE = Symbol('baton:from-store');
