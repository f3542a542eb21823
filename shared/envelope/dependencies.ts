// Rule 4 of the validator, second half (docs/PROTOCOL.md §3): what the update's structs
// build on is held by the receiver or comes with the update, and nothing depends on itself
// in a cycle, so Yjs integrates every struct and leaves nothing pending.
import { NONE, type ClientRun } from './parse-update.ts';
import { reject, type EnvelopeVerdict } from './verdict.ts';

/**
 * Rule 4, second half: every origin and right origin is known to the receiver or is a
 * struct of this update, and the structs' dependencies (origins plus each struct's
 * predecessor of the same client) have no cycle, so Yjs integrates every struct and leaves
 * nothing pending. Structs the receiver already holds are checked too: Yjs resolves their
 * origins before it skips them.
 */
export function checkDependencies(runs: Map<number, ClientRun>, clockOf: (client: number) => number): (EnvelopeVerdict & { ok: false }) | { gap: string | null } {
  const base = new Map<number, number>();
  let total = 0;
  for (const run of runs.values()) {
    base.set(run.client, total);
    total += run.blobs.length;
  }
  if (total === 0) return { gap: null };
  let gap: string | null = null;
  const nodeOf = (client: number, clock: number): number | 'known' | 'missing' => {
    const run = runs.get(client);
    if (clock < (run ? run.known : clockOf(client))) return 'known';
    if (!run || clock < run.start || clock >= run.start + run.blobs.length) return 'missing';
    return base.get(client)! + (clock - run.start);
  };
  // Edges: node -> the nodes it depends on; at most three each.
  const edges = new Int32Array(total * 3).fill(NONE);
  for (const run of runs.values()) {
    const first = base.get(run.client)!;
    for (let i = 0; i < run.blobs.length; i++) {
      const node = first + i;
      if (i > 0) edges[node * 3] = node - 1;
      for (let d = 0; d < 2; d++) {
        const depClient = d === 0 ? run.originClient[i]! : run.rightClient[i]!;
        const depClock = d === 0 ? run.originClock[i]! : run.rightClock[i]!;
        if (depClient === NONE) continue;
        // Yjs only ever builds on what existed before: a client's own later struct is a forgery, not a gap.
        if (depClient === run.client && depClock >= run.start + i) {
          return reject('bad-struct', `struct ${run.client}:${run.start + i} builds on its own later struct ${depClock}`);
        }
        const target = nodeOf(depClient, depClock);
        if (target === 'known') continue;
        if (target === 'missing') {
          gap ??= `struct ${run.client}:${run.start + i} builds on unknown ${depClient}:${depClock}`;
          continue;
        }
        edges[node * 3 + 1 + d] = target;
      }
    }
  }
  return hasCycle(edges, total) ? reject('bad-struct', 'structs depend on each other in a cycle') : { gap };
}

/** Iterative three-colour depth-first search over a graph of out-degree three. */
function hasCycle(edges: Int32Array, total: number): boolean {
  const WHITE = 0;
  const GREY = 1;
  const BLACK = 2;
  const colour = new Uint8Array(total);
  const stack: number[] = [];
  const nextEdge: number[] = [];
  for (let root = 0; root < total; root++) {
    if (colour[root] !== WHITE) continue;
    stack.push(root);
    nextEdge.push(0);
    colour[root] = GREY;
    while (stack.length > 0) {
      const top = stack.length - 1;
      const node = stack[top]!;
      const e = nextEdge[top]!;
      if (e === 3) {
        colour[node] = BLACK;
        stack.pop();
        nextEdge.pop();
        continue;
      }
      nextEdge[top] = e + 1;
      const next = edges[node * 3 + e]!;
      if (next === NONE) continue;
      if (colour[next] === GREY) return true;
      if (colour[next] === WHITE) {
        colour[next] = GREY;
        stack.push(next);
        nextEdge.push(0);
      }
    }
  }
  return false;
}
