/** Which library checks signatures: 'libsodium' (sodium-native) or 'openssl' (node:crypto). */
export declare const ed25519Engine: 'libsodium' | 'openssl';
/** A native Ed25519 check; its inputs must already have passed ed25519EncodingsAllowed. */
export declare function ed25519Verifier(): (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean;
