// The summary editor's arithmetic: a local edit as the one minimal splice, and a caret
// carried across a remote Yjs delta, so typing together never jumps the cursor.

export interface Splice {
  index: number;
  remove: number;
  insert: string;
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** The smallest single splice turning `before` into `after`, never cutting a surrogate pair; null if equal. */
export function diffSplice(before: string, after: string): Splice | null {
  if (before === after) return null;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  if (start > 0 && isHigh(before.charCodeAt(start - 1))) start--;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  if (end > 0 && isLow(before.charCodeAt(before.length - end))) end--;
  return { index: start, remove: before.length - start - end, insert: after.slice(start, after.length - end) };
}

export type DeltaOp = { retain?: number; insert?: unknown; delete?: number };

/** Where a caret at `pos` ends up after a delta; an insert exactly at the caret stays behind it. */
export function moveCaret(pos: number, delta: DeltaOp[]): number {
  let index = 0; // position in the old text
  let moved = pos;
  for (const op of delta) {
    if (index > pos) break;
    if (op.retain !== undefined) {
      index += op.retain;
    } else if (op.insert !== undefined) {
      const len = typeof op.insert === 'string' ? op.insert.length : 1;
      if (index < pos) moved += len;
    } else if (op.delete !== undefined) {
      const removed = Math.min(op.delete, Math.max(0, pos - index));
      moved -= removed;
      index += op.delete;
    }
  }
  return Math.max(0, moved);
}
