// Writes Yjs v1 updates byte by byte, so tests can build what no honest Yjs would send:
// GC and Skip structs, nested parents, forward origins, cycles, duplicate clients.
import * as encoding from 'lib0/encoding';

export type Id = [client: number, clock: number];

export interface RawStruct {
  /** Content ref (low 5 bits of the info byte): 3 binary (default), 4 string, 0 GC, 10 Skip. */
  ref?: number;
  origin?: Id;
  rightOrigin?: Id;
  /** Only written when there is no origin: a root type name (default "log") or a parent item id. */
  parent?: string | Id;
  parentSub?: string;
  /**
   * Binary content (ref 3), string content (ref 4) or the length of a GC/Skip struct. A function
   * is called with the struct's own id: a blob sealed for where it sits.
   */
  content?: Uint8Array | string | number | ((pos: { client: number; clock: number }) => Uint8Array);
}

export interface RawRun {
  client: number;
  clock: number;
  structs: RawStruct[];
}

export type RawDeletes = Array<[client: number, ranges: Array<[clock: number, length: number]>]>;

export function craftUpdate(runs: RawRun[], deletes: RawDeletes = []): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, runs.length);
  for (const run of runs) {
    encoding.writeVarUint(e, run.structs.length);
    encoding.writeVarUint(e, run.client);
    encoding.writeVarUint(e, run.clock);
    run.structs.forEach((s, i) => writeStruct(e, typeof s.content === 'function' ? { ...s, content: s.content({ client: run.client, clock: run.clock + i }) } : s));
  }
  encoding.writeVarUint(e, deletes.length);
  for (const [client, ranges] of deletes) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, ranges.length);
    for (const [clock, length] of ranges) {
      encoding.writeVarUint(e, clock);
      encoding.writeVarUint(e, length);
    }
  }
  return encoding.toUint8Array(e);
}

function writeStruct(e: encoding.Encoder, s: RawStruct): void {
  const ref = s.ref ?? 3;
  if (ref === 0 || ref === 10) {
    encoding.writeUint8(e, ref);
    encoding.writeVarUint(e, typeof s.content === 'number' ? s.content : 1);
    return;
  }
  const info = ref | (s.origin ? 0x80 : 0) | (s.rightOrigin ? 0x40 : 0) | (s.parentSub !== undefined ? 0x20 : 0);
  encoding.writeUint8(e, info);
  if (s.origin) writeId(e, s.origin);
  if (s.rightOrigin) writeId(e, s.rightOrigin);
  if (!s.origin && !s.rightOrigin) {
    const parent = s.parent ?? 'log';
    if (typeof parent === 'string') {
      encoding.writeVarUint(e, 1);
      encoding.writeVarString(e, parent);
    } else {
      encoding.writeVarUint(e, 0);
      writeId(e, parent);
    }
    if (s.parentSub !== undefined) encoding.writeVarString(e, s.parentSub);
  }
  if (ref === 3) encoding.writeVarUint8Array(e, s.content instanceof Uint8Array ? s.content : new Uint8Array(0));
  else if (ref === 4) encoding.writeVarString(e, typeof s.content === 'string' ? s.content : 'x');
  else throw new Error(`craftUpdate cannot write content ref ${ref}`);
}

function writeId(e: encoding.Encoder, [client, clock]: Id): void {
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, clock);
}
