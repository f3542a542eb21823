// The board doc (docs/PROTOCOL.md §6): its title, its threads and the relays that carry it.
import * as Y from 'yjs';
import { isSpaceId, type SpaceId } from '../ids.ts';
import type { Identity } from '../identity.ts';
import { MAX_TITLE_CHARS } from '../limits.ts';
import { fromBase64url, toBase64url, utf8 } from '../bytes.ts';
import { sodium, verifySignature } from '../sodium.ts';

export interface BoardInfo {
  title: string;
  createdAt: number;
}

export interface ThreadEntry {
  nonce: string; // base64url of the 16-byte thread nonce
  title: string;
  createdAt: number;
  author: string; // identity public key, base64url
}

export interface BoardThread extends ThreadEntry {
  id: SpaceId;
}

export const boardMap = (doc: Y.Doc) => doc.getMap<unknown>('board');
export const threadsMap = (doc: Y.Doc) => doc.getMap<unknown>('threads');
export const relaysMap = (doc: Y.Doc) => doc.getMap<unknown>('relays');

export function initBoardDoc(doc: Y.Doc, info: BoardInfo): void {
  doc.transact(() => {
    boardMap(doc).set('title', clampTitle(info.title));
    boardMap(doc).set('createdAt', info.createdAt);
  });
}

export function readBoardInfo(doc: Y.Doc): BoardInfo {
  const title = boardMap(doc).get('title');
  const createdAt = boardMap(doc).get('createdAt');
  return { title: typeof title === 'string' ? title : '', createdAt: typeof createdAt === 'number' ? createdAt : 0 };
}

export function addThreadEntry(doc: Y.Doc, id: SpaceId, entry: ThreadEntry): void {
  threadsMap(doc).set(id, { ...entry, title: clampTitle(entry.title) });
}

/** The board's threads, dropping entries a hostile writer may have malformed. Newest first. */
export function listThreadEntries(doc: Y.Doc): BoardThread[] {
  const threads: BoardThread[] = [];
  threadsMap(doc).forEach((value, id) => {
    if (!isSpaceId(id) || typeof value !== 'object' || value === null) return;
    const v = value as Record<string, unknown>;
    const nonce = typeof v.nonce === 'string' ? fromBase64url(v.nonce) : null;
    if (!nonce || nonce.length !== 16) return;
    if (typeof v.title !== 'string' || typeof v.createdAt !== 'number' || typeof v.author !== 'string') return;
    threads.push({ id, nonce: v.nonce as string, title: v.title, createdAt: v.createdAt, author: v.author });
  });
  return threads.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
}

/** A relay entry of the board's list, with the identity key that signed it (null: unsigned or forged). */
export interface BoardRelay {
  url: string;
  addedAt: number;
  addedBy: string | null;
  /** Set when a writer removed the relay from the list: when, and the key that signed the removal. */
  removed: { at: number; by: string | null } | null;
}

export function relayEntrySigningText(boardSpaceId: string, url: string, addedAt: number): string {
  return `baton/relay/v1\n${boardSpaceId}\n${url}\n${addedAt}`;
}

export function relayRemovalSigningText(boardSpaceId: string, url: string, removedAt: number): string {
  return `baton/relay-removed/v1\n${boardSpaceId}\n${url}\n${removedAt}`;
}

/**
 * Adds a relay to the board's list, signed by the member who adds it (docs/PROTOCOL.md §6):
 * the list is a shared map any writer can fill, so readers show who vouched for each entry,
 * and a client trusts an entry as its own user's choice only under its own key. Adding a
 * removed relay again replaces its removal.
 */
export function addBoardRelay(doc: Y.Doc, url: string, by: { boardSpaceId: string; identity: Identity }, addedAt = Date.now()): void {
  const old = relaysMap(doc).get(url);
  if (old !== undefined && !isRemoval(old)) return;
  const sig = sodium().crypto_sign_detached(utf8(relayEntrySigningText(by.boardSpaceId, url, addedAt)), by.identity.secretKey);
  relaysMap(doc).set(url, { addedAt, by: toBase64url(by.identity.publicKey), sig: toBase64url(sig) });
}

/**
 * Removes a relay from the board's list with a signed removal in its place (docs/PROTOCOL.md
 * §6), so members see who removed it; the entry it replaces is kept inside it, so its adder's
 * own devices still know they chose it. False when the list has no such relay.
 */
export function removeBoardRelay(doc: Y.Doc, url: string, by: { boardSpaceId: string; identity: Identity }, removedAt = Date.now()): boolean {
  const old = relaysMap(doc).get(url);
  if (old === undefined || isRemoval(old)) return false;
  const sig = sodium().crypto_sign_detached(utf8(relayRemovalSigningText(by.boardSpaceId, url, removedAt)), by.identity.secretKey);
  const was = typeof old === 'object' && old !== null ? old : {};
  relaysMap(doc).set(url, { removedAt, by: toBase64url(by.identity.publicKey), sig: toBase64url(sig), was });
  return true;
}

/** Any entry with a `removedAt` is a removal, signed or not: a writer can always delete a key outright, too. */
function isRemoval(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'removedAt' in value;
}

/**
 * Each entry's verdict, kept per entry object: Yjs hands back the same object until the entry
 * is replaced, so a list a writer keeps growing is not verified again whole on every change.
 */
const entryVerdicts = new WeakMap<object, { board: string; url: string; entry: BoardRelay }>();

function signer(text: string, by: unknown, sig: unknown): string | null {
  if (typeof by !== 'string' || typeof sig !== 'string') return null;
  const key = fromBase64url(by);
  const signature = fromBase64url(sig);
  return key?.length === 32 && signature?.length === 64 && verifySignature(signature, utf8(text), key) ? by : null;
}

function record(value: unknown): Record<string, unknown> {
  return (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
}

const safeTime = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) ? v : 0);

function relayEntry(boardSpaceId: string, url: string, value: unknown): BoardRelay {
  const v = record(value);
  if (isRemoval(v)) {
    const at = safeTime(v.removedAt);
    const was = record(v.was);
    const addedAt = safeTime(was.addedAt);
    return {
      url,
      addedAt,
      addedBy: signer(relayEntrySigningText(boardSpaceId, url, addedAt), was.by, was.sig),
      removed: { at, by: signer(relayRemovalSigningText(boardSpaceId, url, at), v.by, v.sig) },
    };
  }
  const addedAt = safeTime(v.addedAt);
  return { url, addedAt, addedBy: signer(relayEntrySigningText(boardSpaceId, url, addedAt), v.by, v.sig), removed: null };
}

/**
 * The board's relay entries, removed ones included (`removed` set), sorted by URL; `addedBy`
 * and `removed.by` only where the signature holds.
 */
export function listBoardRelayEntries(doc: Y.Doc, boardSpaceId: string): BoardRelay[] {
  const out: BoardRelay[] = [];
  relaysMap(doc).forEach((value, url) => {
    if (!/^(https?|wss?):\/\//.test(url)) return;
    if (typeof value !== 'object' || value === null) return void out.push(relayEntry(boardSpaceId, url, value));
    const known = entryVerdicts.get(value);
    if (known && known.board === boardSpaceId && known.url === url) return void out.push(known.entry);
    const entry = relayEntry(boardSpaceId, url, value);
    entryVerdicts.set(value, { board: boardSpaceId, url, entry });
    out.push(entry);
  });
  return out.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
}

/** The relays the board's list names, without the removed ones. */
export function listBoardRelays(doc: Y.Doc): string[] {
  const out: string[] = [];
  relaysMap(doc).forEach((value, url) => {
    if (/^(https?|wss?):\/\//.test(url) && !isRemoval(value)) out.push(url);
  });
  return out.sort();
}

export function clampTitle(title: string): string {
  return title.replace(/[\r\n]+/g, ' ').trim().slice(0, MAX_TITLE_CHARS);
}
