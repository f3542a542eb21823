// Capabilities: the strings that grant mirror, read or write access to a space (docs/PROTOCOL.md §1).
//   baton:<kind>:<spaceId>[:<readKey>[:<writeSeed>]][?relays=<u1>,<u2>][&owner=<identity key>]
import { bytesEqual, concatBytes, fromBase64url, toBase64url, utf8 } from './bytes.ts';
import { publicKeyFromSpaceId, spaceIdFromPublicKey, type SpaceId } from './ids.ts';
import { sodium } from './sodium.ts';

export type SpaceKind = 'board' | 'thread' | 'file';
export type AccessLevel = 'mirror' | 'read' | 'write';

export interface WriteKeys {
  seed: Uint8Array; // 32 bytes
  secretKey: Uint8Array; // 64 bytes
}

export interface Capability {
  kind: SpaceKind;
  spaceId: SpaceId;
  writePub: Uint8Array;
  readKey: Uint8Array | null;
  write: WriteKeys | null;
  /** Relay base URLs hinted by the link, normalised, without trailing slash. */
  relays: string[];
  /**
   * The board's owner: its creator's identity public key, base64url (docs/PROTOCOL.md §1,
   * "Owner"). A thread's capability carries its board's. Absent in links of older boards,
   * which then have no moderation authority.
   */
  owner?: string;
}

export type CapabilityErrorCode =
  | 'not-a-capability'
  | 'bad-kind'
  | 'bad-space-id'
  | 'bad-read-key'
  | 'bad-write-seed'
  | 'write-seed-mismatch'
  | 'bad-relay'
  | 'bad-owner'
  | 'missing-read-key';

export class CapabilityError extends Error {
  override name = 'CapabilityError';
  constructor(
    readonly code: CapabilityErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const PREFIX = 'baton:';
const MAX_RELAYS = 32;
const MAX_RELAY_URL_LENGTH = 2048;

export function accessLevel(cap: Capability): AccessLevel {
  if (cap.write) return 'write';
  return cap.readKey ? 'read' : 'mirror';
}

/** A fresh space with random keys: the creator holds write access. */
export function createSpace(kind: SpaceKind, relays: string[] = [], owner?: string): Capability {
  const s = sodium();
  return capabilityFromSeeds(kind, s.randombytes_buf(32), s.randombytes_buf(32), relays, owner);
}

export function capabilityFromSeeds(kind: SpaceKind, writeSeed: Uint8Array, readKey: Uint8Array, relays: string[] = [], owner?: string): Capability {
  const keys = sodium().crypto_sign_seed_keypair(writeSeed);
  if (owner !== undefined && !isOwnerKey(owner)) throw new CapabilityError('bad-owner', 'an owner is an identity public key (43 characters of base64url)');
  return {
    kind,
    spaceId: spaceIdFromPublicKey(keys.publicKey),
    writePub: keys.publicKey,
    readKey: readKey.slice(),
    write: { seed: writeSeed.slice(), secretKey: keys.privateKey },
    relays: relays.map(normaliseRelayUrl),
    ...(owner !== undefined ? { owner } : {}),
  };
}

/** An owner field: 32 bytes of base64url, strictly decoded. */
export function isOwnerKey(text: unknown): text is string {
  if (typeof text !== 'string' || text.length !== 43) return false;
  return fromBase64url(text)?.length === 32;
}

/** The same capability naming another owner (or none). */
export function withOwner(cap: Capability, owner: string | undefined): Capability {
  const { owner: _old, ...rest } = cap;
  if (owner === undefined) return rest;
  if (!isOwnerKey(owner)) throw new CapabilityError('bad-owner', 'an owner is an identity public key (43 characters of base64url)');
  return { ...rest, owner };
}

/** The same space at a lower access level (never higher). */
export function restrictCapability(cap: Capability, level: AccessLevel): Capability {
  const order: AccessLevel[] = ['mirror', 'read', 'write'];
  if (order.indexOf(level) > order.indexOf(accessLevel(cap))) {
    throw new CapabilityError('missing-read-key', `cannot raise a ${accessLevel(cap)} capability to ${level}`);
  }
  return {
    ...cap,
    readKey: level === 'mirror' ? null : cap.readKey,
    write: level === 'write' ? cap.write : null,
  };
}

export function formatCapability(cap: Capability, level: AccessLevel = accessLevel(cap)): string {
  const c = restrictCapability(cap, level);
  let text = `${PREFIX}${c.kind}:${c.spaceId}`;
  if (c.readKey) text += `:${toBase64url(c.readKey)}`;
  if (c.write) text += `:${toBase64url(c.write.seed)}`;
  const query: string[] = [];
  if (c.relays.length > 0) query.push(`relays=${c.relays.map(encodeURIComponent).join(',')}`);
  if (c.owner !== undefined) query.push(`owner=${c.owner}`);
  if (query.length > 0) text += `?${query.join('&')}`;
  return text;
}

/** `<relay base URL>/#<capability>`: the fragment never reaches a server. */
export function formatWebLink(cap: Capability, relayBase: string, level: AccessLevel = accessLevel(cap)): string {
  return `${normaliseRelayUrl(relayBase)}/#${formatCapability(cap, level)}`;
}

/** Characters a person or a chat app puts around a link: quotes, brackets, sentence ends. */
const OPENERS = `"'\`‘“«‹([{<`;
const CLOSERS = `"'\`’”»›)]}>.,;!`;
/** Whitespace of any kind, zero-width characters and soft hyphens, which chat apps insert to wrap long words. */
const INVISIBLE = /[\s\u00ad\u180e\u200b-\u200d\u2060\ufeff]+/g;
/** The same, as a browser escapes it in an address (never in a formatted capability: its hints are escaped twice). */
const ESCAPED_SPACE = /%(?:20|0[9AaDd]|[Cc]2%[Aa]0)/g;

/**
 * A link or capability as a person pasted it: whitespace and line breaks inside it (from a
 * wrapping chat app) and quotes, angle brackets or a sentence's full stop around it are
 * dropped. None of these characters occurs in a capability (docs/PROTOCOL.md §1).
 */
export function cleanLinkText(text: string): string {
  let s = text.replace(INVISIBLE, '');
  const at = s.indexOf(PREFIX);
  if (at >= 0) s = s.slice(0, at) + s.slice(at).replace(ESCAPED_SPACE, '');
  let start = 0;
  let end = s.length;
  while (start < end && OPENERS.includes(s[start]!)) start++;
  while (end > start && CLOSERS.includes(s[end - 1]!)) end--;
  return s.slice(start, end);
}

export function parseCapability(text: string): Capability {
  if (typeof text !== 'string') throw new CapabilityError('not-a-capability', 'a capability is a string');
  const trimmed = cleanLinkText(text);
  if (!trimmed.startsWith(PREFIX)) throw new CapabilityError('not-a-capability', 'not a Baton capability (it should start with "baton:")');
  const [body, query, ...extra] = trimmed.slice(PREFIX.length).split('?');
  if (extra.length > 0) throw new CapabilityError('not-a-capability', 'a capability has at most one "?"');
  const parts = body!.split(':');
  if (parts.length < 2 || parts.length > 4) throw new CapabilityError('not-a-capability', 'expected baton:<kind>:<spaceId>[:<readKey>[:<writeSeed>]]');
  const [kind, spaceId, readKeyText, writeSeedText] = parts as [string, string, string?, string?];
  if (kind !== 'board' && kind !== 'thread' && kind !== 'file') throw new CapabilityError('bad-kind', `unknown space kind "${kind}" (expected board, thread or file)`);
  const writePub = publicKeyFromSpaceId(spaceId);
  if (!writePub) throw new CapabilityError('bad-space-id', 'the space id is damaged (expected 43 characters of base64url)');
  const readKey = readKeyText === undefined ? null : decodeKey(readKeyText, 'bad-read-key', 'read key');
  let write: WriteKeys | null = null;
  if (writeSeedText !== undefined) {
    const seed = decodeKey(writeSeedText, 'bad-write-seed', 'write key');
    const keys = sodium().crypto_sign_seed_keypair(seed);
    if (!bytesEqual(keys.publicKey, writePub)) {
      throw new CapabilityError('write-seed-mismatch', 'the write key does not belong to this space');
    }
    write = { seed, secretKey: keys.privateKey };
  }
  const owner = parseOwnerQuery(query);
  return { kind, spaceId: spaceId as SpaceId, writePub, readKey, write, relays: parseRelayQuery(query), ...(owner !== undefined ? { owner } : {}) };
}

/**
 * Accepts a bare capability or a web link `<relay>/#baton:...`, cleaned as cleanLinkText says.
 * A link's own relay is added to the hints, since it evidently served the link.
 */
export function parseCapabilityOrLink(text: string): Capability {
  const trimmed = typeof text === 'string' ? cleanLinkText(text) : '';
  const hash = trimmed.indexOf('#baton:');
  if (hash < 0) return parseCapability(trimmed);
  const cap = parseCapability(trimmed.slice(hash + 1));
  const base = trimmed.slice(0, hash).replace(/\/+$/, '');
  if (/^https?:\/\//i.test(base)) {
    const relay = normaliseRelayUrl(base);
    if (!cap.relays.includes(relay)) cap.relays.unshift(relay);
  }
  return cap;
}

export function withRelays(cap: Capability, relays: string[]): Capability {
  const merged = [...cap.relays];
  for (const r of relays.map(normaliseRelayUrl)) if (!merged.includes(r)) merged.push(r);
  return { ...cap, relays: merged };
}

/** http(s) or ws(s) URL without query, fragment or trailing slash. Throws CapabilityError. */
export function normaliseRelayUrl(url: string): string {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_RELAY_URL_LENGTH) {
    throw new CapabilityError('bad-relay', 'a relay URL must be a non-empty string');
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CapabilityError('bad-relay', `not a relay URL: ${url.slice(0, 80)}`);
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol) || parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new CapabilityError('bad-relay', `a relay URL is http(s)://host[:port][/path]: ${url.slice(0, 80)}`);
  }
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`.replace(/\/+$/, '');
}

function parseRelayQuery(query: string | undefined): string[] {
  if (query === undefined || query === '') return [];
  const params = query.split('&');
  const relays: string[] = [];
  for (const param of params) {
    if (!param.startsWith('relays=')) continue; // unknown parameters are ignored, for forward compatibility
    for (const encoded of param.slice('relays='.length).split(',')) {
      if (encoded === '') continue;
      let url: string;
      try {
        url = decodeURIComponent(encoded);
      } catch {
        throw new CapabilityError('bad-relay', 'a relay hint is not valid percent-encoding');
      }
      const relay = normaliseRelayUrl(url);
      if (!relays.includes(relay)) relays.push(relay);
    }
  }
  if (relays.length > MAX_RELAYS) throw new CapabilityError('bad-relay', `at most ${MAX_RELAYS} relay hints`);
  return relays;
}

/** The `owner` parameter: at most one, an identity public key. */
function parseOwnerQuery(query: string | undefined): string | undefined {
  if (query === undefined || query === '') return undefined;
  const owners = query.split('&').filter((p) => p.startsWith('owner=')).map((p) => p.slice('owner='.length));
  if (owners.length === 0) return undefined;
  if (owners.length > 1) throw new CapabilityError('bad-owner', 'a capability names at most one owner');
  if (!isOwnerKey(owners[0])) throw new CapabilityError('bad-owner', 'the owner key is damaged (expected 43 characters of base64url)');
  return owners[0];
}

function decodeKey(text: string, code: CapabilityErrorCode, what: string): Uint8Array {
  const bytes = fromBase64url(text);
  if (!bytes || bytes.length !== 32) throw new CapabilityError(code, `the ${what} is damaged (expected 43 characters of base64url)`);
  return bytes;
}

const THREAD_WRITE_CONTEXT = utf8('baton/thread-write/v1');
const THREAD_READ_CONTEXT = utf8('baton/thread-read/v1');
export const THREAD_NONCE_LENGTH = 16;

/**
 * The capability of one of a board's threads, from the board's and the thread nonce (docs/PROTOCOL.md §1).
 * A board writer derives the thread's write seed (and so its id); a board reader must pass the
 * thread's id, read from the board's `threads` map, and derives only the read key.
 */
export function deriveThreadCapability(board: Capability, threadNonce: Uint8Array, threadSpaceId?: SpaceId): Capability {
  if (board.kind !== 'board') throw new CapabilityError('bad-kind', 'threads are derived from a board capability');
  if (threadNonce.length !== THREAD_NONCE_LENGTH) throw new RangeError('a thread nonce is 16 bytes');
  const s = sodium();
  const readKey = board.readKey ? s.crypto_generichash(32, concatBytes(THREAD_READ_CONTEXT, threadNonce), board.readKey) : null;
  if (board.write) {
    const seed = s.crypto_generichash(32, concatBytes(THREAD_WRITE_CONTEXT, threadNonce), board.write.seed);
    const keys = s.crypto_sign_seed_keypair(seed);
    const spaceId = spaceIdFromPublicKey(keys.publicKey);
    if (threadSpaceId !== undefined && threadSpaceId !== spaceId) {
      throw new CapabilityError('write-seed-mismatch', 'the thread id does not match its nonce');
    }
    return { kind: 'thread', spaceId, writePub: keys.publicKey, readKey, write: { seed, secretKey: keys.privateKey }, relays: [...board.relays], ...ownerOf(board) };
  }
  if (threadSpaceId === undefined) throw new CapabilityError('bad-space-id', 'a board reader needs the thread id to open a thread');
  const writePub = publicKeyFromSpaceId(threadSpaceId);
  if (!writePub) throw new CapabilityError('bad-space-id', 'the thread id is damaged');
  return { kind: 'thread', spaceId: threadSpaceId, writePub, readKey, write: null, relays: [...board.relays], ...ownerOf(board) };
}

function ownerOf(cap: Capability): { owner?: string } {
  return cap.owner !== undefined ? { owner: cap.owner } : {};
}

const FILE_WRITE_CONTEXT = utf8('baton/file-write/v1');
const FILE_READ_CONTEXT = utf8('baton/file-read/v1');

/**
 * The capability of a file attached in a thread, from the thread's and the file nonce, as a
 * thread derives from its board (docs/PROTOCOL.md §1). A thread reader passes the file's id,
 * as the post names it, and derives only the read key.
 */
export function deriveFileCapability(thread: Capability, fileNonce: Uint8Array, fileSpaceId?: SpaceId): Capability {
  if (thread.kind !== 'thread') throw new CapabilityError('bad-kind', 'files are derived from a thread capability');
  if (fileNonce.length !== 16) throw new RangeError('a file nonce is 16 bytes');
  const s = sodium();
  const readKey = thread.readKey ? s.crypto_generichash(32, concatBytes(FILE_READ_CONTEXT, fileNonce), thread.readKey) : null;
  if (thread.write && fileSpaceId === undefined) {
    const seed = s.crypto_generichash(32, concatBytes(FILE_WRITE_CONTEXT, fileNonce), thread.write.seed);
    const keys = s.crypto_sign_seed_keypair(seed);
    return { kind: 'file', spaceId: spaceIdFromPublicKey(keys.publicKey), writePub: keys.publicKey, readKey, write: { seed, secretKey: keys.privateKey }, relays: [...thread.relays] };
  }
  // Reading: the id the post names, never written to (a post may name another writer's file).
  if (fileSpaceId === undefined) throw new CapabilityError('bad-space-id', 'a thread reader needs the file id to open a file');
  const writePub = publicKeyFromSpaceId(fileSpaceId);
  if (!writePub) throw new CapabilityError('bad-space-id', 'the file id is damaged');
  return { kind: 'file', spaceId: fileSpaceId, writePub, readKey, write: null, relays: [...thread.relays] };
}
