// The isomorphic protocol core: everything relays and clients must agree on.
export * from './bytes.ts';
export * from './sodium.ts';
export * from './ids.ts';
export * from './identity.ts';
export * from './capability.ts';
export * from './blob.ts';
export * from './limits.ts';
export * from './protocol.ts';
export * from './bundle.ts';
export * from './envelope/validate.ts';
export * from './envelope/doc.ts';
export * from './schema/post.ts';
export * from './schema/board.ts';
export * from './schema/thread.ts';
export * from './envelope/split-update.ts';
export * from './wire/index.ts';
