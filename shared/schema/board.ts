// The board doc (docs/PROTOCOL.md §6): its title, its threads and the relays that carry it.
import * as Y from 'yjs';
import { isSpaceId, type SpaceId } from '../ids.ts';
import { MAX_TITLE_CHARS } from '../limits.ts';
import { fromBase64url } from '../bytes.ts';

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

export function addBoardRelay(doc: Y.Doc, url: string, addedAt = Date.now()): void {
  if (!relaysMap(doc).has(url)) relaysMap(doc).set(url, { addedAt });
}

export function listBoardRelays(doc: Y.Doc): string[] {
  return [...relaysMap(doc).keys()].filter((u) => /^(https?|wss?):\/\//.test(u)).sort();
}

export function clampTitle(title: string): string {
  return title.replace(/[\r\n]+/g, ' ').trim().slice(0, MAX_TITLE_CHARS);
}
