// Mutations of an envelope update at the level of its structs, for the validator fuzz: the
// update is decoded into runs, changed as a hostile sender would (a struct or a client twice,
// clocks and client ids moved to the edges of u32 and beyond, origins pointed anywhere, other
// parents and content types, blobs swapped between ids or flipped, delete ranges), and
// written back byte by byte.
import * as Y from 'yjs';
import { craftUpdate, type Id, type RawDeletes, type RawRun, type RawStruct } from './craft-update.ts';
import type { Prng } from './prng.ts';

const EDGES = [0, 1, 2, 3, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 2 ** 53 - 1];

function decodeRuns(update: Uint8Array): RawRun[] {
  const runs = new Map<number, RawRun>();
  for (const struct of Y.decodeUpdate(update).structs) {
    const item = struct as Y.Item;
    let run = runs.get(item.id.client);
    if (!run) runs.set(item.id.client, (run = { client: item.id.client, clock: item.id.clock, structs: [] }));
    const raw: RawStruct = { content: (item.content as { content?: Uint8Array }).content ?? new Uint8Array(0) };
    if (item.origin) raw.origin = [item.origin.client, item.origin.clock];
    if (item.rightOrigin) raw.rightOrigin = [item.rightOrigin.client, item.rightOrigin.clock];
    run.structs.push(raw);
  }
  return [...runs.values()].sort((a, b) => b.client - a.client);
}

/** One to three struct-level changes of `update`, whose held blobs are `held`. */
export function mutateStructs(update: Uint8Array, held: Uint8Array[], prng: Prng): Uint8Array {
  const runs = decodeRuns(update);
  const deletes: RawDeletes = [];
  const number = () => (prng.bool() ? prng.int(6) : prng.pick(EDGES));
  const someId = (run: RawRun): Id => [prng.pick([1, 2, 3, 9, run.client]), number()];
  for (let k = 1 + prng.int(3); k > 0; k--) {
    const run = runs[prng.int(runs.length)];
    if (!run) break;
    const at = prng.int(run.structs.length);
    const s = run.structs[at];
    const op = prng.int(13);
    if (op === 0 && s) run.structs.splice(at, 0, { ...s });
    else if (op === 1) runs.push({ ...run, structs: [...run.structs] });
    else if (op === 2) run.clock = number();
    else if (op === 3) run.client = number();
    else if (op === 4 && s) s.origin = someId(run);
    else if (op === 5 && s) s.rightOrigin = someId(run);
    else if (op === 6 && s) {
      delete s.origin;
      delete s.rightOrigin;
      s.parent = prng.pick<string | Id>(['log', 'posts', '', [1, 0]]);
      if (prng.bool(0.3)) s.parentSub = 'x';
    } else if (op === 7) deletes.push([prng.pick([1, 2, 3, run.client]), [[number(), prng.pick([0, 1, 2, 0xffffffff])]]]);
    else if (op === 8 && s) s.ref = prng.pick([0, 10, 4]);
    else if (op === 9 && s) {
      const other = runs[prng.int(runs.length)]!.structs[0];
      if (other) [s.content, other.content] = [other.content, s.content];
    } else if (op === 10 && s && s.content instanceof Uint8Array && s.content.length > 0) {
      const flipped = s.content.slice();
      flipped[prng.int(flipped.length)]! ^= 1 << prng.int(8);
      s.content = flipped;
    } else if (op === 11) run.structs.splice(at, 1);
    else if (op === 12) run.structs.push({ origin: [run.client, run.clock + run.structs.length - 1], content: prng.pick(held) });
  }
  return craftUpdate(runs.filter((r) => r.structs.length > 0), deletes);
}
