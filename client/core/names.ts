// Display names are not identities: anyone may call themselves "Layla". A board's names are
// bound, on this device, to the identity key that used each one first, and a later post under
// the same name (or one that looks the same) by another key is flagged as a name clash.
//
// "First" is the order of the envelope log (docs/PROTOCOL.md §3): the position of the blob
// that carried each post, then time and id within one blob (a snapshot carries many). Across a
// board's threads, and from one visit to the next, the first binding this device saw wins and
// is remembered: a later post cannot take a name back, whatever time it claims. (A writer can
// craft a log item that Yjs places before older ones; the device's memory is what holds.)
import * as Y from 'yjs';
import { BlobKind, SIGNATURE_CHECKED, envelopeLog, openBlob, postsMap, type ShownPost } from '#shared';
import type { Space } from './space.ts';

/** Names remembered per board, at most (a hostile board could use thousands). */
const MAX_NAMES = 5000;

/** Where a device keeps the names it has bound, per board (localStorage, a file). */
export interface NameMemory {
  load(scope: string): Record<string, string> | null;
  save(scope: string, names: Record<string, string>): void;
}

export class MemoryNameMemory implements NameMemory {
  private readonly data = new Map<string, Record<string, string>>();
  load(scope: string) {
    const v = this.data.get(scope);
    return v ? { ...v } : null;
  }
  save(scope: string, names: Record<string, string>) {
    this.data.set(scope, { ...names });
  }
}

/** Latin look-alikes of Cyrillic and Greek letters, so "Lаyla" (Cyrillic а) is "layla". */
const CONFUSABLES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', һ: 'h', ԛ: 'q', ԝ: 'w', ɡ: 'g',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ϲ: 'c', ı: 'i', 0: 'o', 1: 'l',
};

/**
 * The form names are compared in: compatibility-decomposed, lower case, without accents and
 * other marks, invisible or bidi characters, spaces or punctuation, and with common look-alike
 * letters folded to Latin ("Láyla", "LAYLA " and "Lаyla" with a Cyrillic а are all "layla").
 */
export function nameKey(name: string): string {
  const folded = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[\p{M}\p{Cf}\p{Cc}\p{Z}\s\p{P}\p{S}]/gu, '');
  let out = '';
  for (const ch of folded) out += CONFUSABLES[ch] ?? ch;
  return out;
}

export interface NameCheck {
  /** Another key used this name (or one that looks the same) first in this board. */
  clash: boolean;
  /** That key, when clash. */
  firstKey: string | null;
}

/** The names of one board (or of a thread opened on its own), as this device has bound them. */
export class NameBook {
  private names: Record<string, string>;
  private dirty = false;

  constructor(
    private readonly memory: NameMemory,
    private readonly scope: string,
  ) {
    const loaded = memory.load(scope);
    this.names = {};
    if (loaded && typeof loaded === 'object') {
      for (const [k, v] of Object.entries(loaded)) if (typeof k === 'string' && typeof v === 'string' && Object.keys(this.names).length < MAX_NAMES) this.names[k] = v;
    }
  }

  /**
   * Binds the names of verified posts not yet bound (posts in first-use order), and returns
   * each post's check. Unverified posts have no author and are not checked.
   */
  review(posts: ShownPost[]): Map<string, NameCheck> {
    const out = new Map<string, NameCheck>();
    for (const p of posts) {
      if (!p.verified) continue;
      const key = nameKey(p.name);
      if (key === '') {
        out.set(p.id, { clash: false, firstKey: null });
        continue;
      }
      let first = this.names[key];
      if (first === undefined && Object.keys(this.names).length < MAX_NAMES) {
        first = this.names[key] = p.author;
        this.dirty = true;
      }
      out.set(p.id, first === undefined || first === p.author ? { clash: false, firstKey: null } : { clash: true, firstKey: first });
    }
    return out;
  }

  /** A post's check against the names bound so far, binding nothing (a preview's posts). */
  recall(p: ShownPost): NameCheck {
    const first = p.verified ? this.names[nameKey(p.name)] : undefined;
    return first !== undefined && first !== p.author ? { clash: true, firstKey: first } : { clash: false, firstKey: null };
  }

  /** Writes newly bound names to the device. */
  save(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.memory.save(this.scope, this.names);
  }
}

interface BlobRange {
  from: Map<number, number>;
  to: Map<number, number>;
}

/** Each opened blob's clock ranges, kept per blob object (the envelope doc holds each once). */
const ranges = new WeakMap<Uint8Array, BlobRange | null>();

function rangeOf(space: Space, blob: Uint8Array): BlobRange | null {
  let r = ranges.get(blob);
  if (r !== undefined) return r;
  r = null;
  if (space.cap.readKey) {
    // Every blob in the envelope doc passed the validator (or was sealed here).
    const opened = openBlob(blob, { ...space.key, readKey: space.cap.readKey }, SIGNATURE_CHECKED);
    if (opened.ok && opened.kind !== BlobKind.link) {
      try {
        const meta = Y.parseUpdateMeta(opened.update);
        r = { from: meta.from, to: meta.to };
      } catch {
        r = null;
      }
    }
  }
  ranges.set(blob, r);
  return r;
}

/**
 * A thread's posts in first-use order: by the position in the current epoch's envelope log of
 * the blob that carried each post's entry, then by time and id (posts of one blob, and posts
 * of older epochs, which the epoch's snapshot carries together).
 */
export function inLogOrder(space: Space, posts: ShownPost[]): ShownPost[] {
  const doc = space.requireRead();
  const map = postsMap(doc) as unknown as { _map: Map<string, { id: { client: number; clock: number } }> };
  const wanted = new Map<number, { id: string; clock: number }[]>();
  for (const p of posts) {
    const item = map._map.get(p.id);
    if (!item) continue;
    const list = wanted.get(item.id.client) ?? [];
    list.push({ id: p.id, clock: item.id.clock });
    wanted.set(item.id.client, list);
  }
  const position = new Map<string, number>();
  let index = 0;
  for (const blob of envelopeLog(space.envelope).toArray()) {
    index++;
    if (!(blob instanceof Uint8Array)) continue;
    const r = rangeOf(space, blob);
    if (!r) continue;
    for (const [client, to] of r.to) {
      const list = wanted.get(client);
      if (!list) continue;
      const from = r.from.get(client) ?? 0;
      for (const w of list) if (!position.has(w.id) && w.clock >= from && w.clock < to) position.set(w.id, index);
    }
  }
  const at = (p: ShownPost) => position.get(p.id) ?? Number.MAX_SAFE_INTEGER;
  return [...posts].sort((a, b) => at(a) - at(b) || a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Checks a thread's posts against the board's names, binding new ones in first-use order. */
export function checkNames(book: NameBook, space: Space, posts: ShownPost[]): Map<string, NameCheck> {
  const checks = book.review(inLogOrder(space, posts.filter((p) => p.verified)));
  book.save();
  return checks;
}
