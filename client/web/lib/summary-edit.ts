// The summary editor's arithmetic: a local edit as the one minimal splice, and a caret
// carried across a remote Yjs delta, so typing together never jumps the cursor.

// The minimal splice is the core's (editSummary makes the same edit); the caret logic is the editor's.
export { diffSplice, type Splice } from '#client-core';

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
