// Who last changed a thread's summary (docs/PROTOCOL.md §6): the summary is one shared text any
// writer can rewrite, so readers show whose changes are newest. Each blob's inner update carries
// its author's identity key (§2); a blob touches the summary when it inserts or deletes one of
// the summary's items. Only the current epoch's update blobs count: a snapshot carries everyone's.
import * as Y from 'yjs';
import { BlobKind, SIGNATURE_CHECKED, envelopeLog, openBlob, summaryText, toBase64url } from '#shared';
import type { Space } from './space.ts';

/** Blobs looked at, newest first, at most: enough for recent editors, cheap on a large room. */
const MAX_BLOBS = 300;

interface Touch {
  author: string;
  /** client -> [clock, end) ranges the update inserts or deletes. */
  ranges: Map<number, Array<[number, number]>>;
}

const touches = new WeakMap<Uint8Array, Touch | null>();

function touchOf(space: Space, blob: Uint8Array): Touch | null {
  const known = touches.get(blob);
  if (known !== undefined) return known;
  let touch: Touch | null = null;
  if (space.cap.readKey && blob[1] === BlobKind.update) {
    const opened = openBlob(blob, { ...space.key, readKey: space.cap.readKey }, SIGNATURE_CHECKED);
    if (opened.ok && opened.kind === BlobKind.update) {
      try {
        const { structs, ds } = Y.decodeUpdate(opened.update);
        const ranges = new Map<number, Array<[number, number]>>();
        const add = (client: number, from: number, len: number) => {
          const list = ranges.get(client) ?? [];
          list.push([from, from + len]);
          ranges.set(client, list);
        };
        for (const s of structs) add(s.id.client, s.id.clock, s.length);
        for (const [client, items] of ds.clients) for (const d of items) add(client, d.clock, d.len);
        touch = { author: toBase64url(opened.author), ranges };
      } catch {
        touch = null;
      }
    }
  }
  touches.set(blob, touch);
  return touch;
}

/** The summary's items as id ranges per client (deleted ones too: Yjs keeps them in the list). */
function summaryRanges(space: Space): Map<number, Array<[number, number]>> {
  const out = new Map<number, Array<[number, number]>>();
  let item = summaryText(space.requireRead())._start;
  while (item) {
    const list = out.get(item.id.client) ?? [];
    list.push([item.id.clock, item.id.clock + item.length]);
    out.set(item.id.client, list);
    item = item.right;
  }
  return out;
}

const overlaps = (a: Array<[number, number]>, b: Array<[number, number]>) => a.some(([f, t]) => b.some(([g, u]) => f < u && g < t));

/** Identity keys whose blobs changed the summary, newest first, each once (at most `n`). */
export function summaryEditors(space: Space, n = 5): string[] {
  if (!space.plain) return [];
  const summary = summaryRanges(space);
  if (summary.size === 0) return [];
  const log = envelopeLog(space.envelope).toArray();
  const out: string[] = [];
  for (let i = log.length - 1; i >= 0 && i >= log.length - MAX_BLOBS && out.length < n; i--) {
    const blob = log[i];
    if (!(blob instanceof Uint8Array)) continue;
    const touch = touchOf(space, blob);
    if (!touch || out.includes(touch.author)) continue;
    for (const [client, ranges] of touch.ranges) {
      const s = summary.get(client);
      if (s && overlaps(ranges, s)) {
        out.push(touch.author);
        break;
      }
    }
  }
  return out;
}
