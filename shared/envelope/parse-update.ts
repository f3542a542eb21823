// The structural pass of the validator (docs/PROTOCOL.md §3, rules 1-3 and the first half of
// rule 4): reads a Yjs v1 update struct by struct without applying it, and keeps, per
// client, the origins and blobs of its run. Anything but binary items in the root array
// "log" is refused here.
import { HEADER_LENGTH, SIGNATURE_LENGTH, isSignablePosition } from '../blob.ts';
import { ByteReader } from './byte-reader.ts';
import { reject, type EnvelopeVerdict } from './verdict.ts';

/** The root array of an envelope doc. */
export const LOG_ARRAY_NAME = 'log';

const CONTENT_BINARY = 3;
const INFO_SKIP = 10;
const BIT_ORIGIN = 0x80;
const BIT_RIGHT_ORIGIN = 0x40;
const BIT_PARENT_SUB = 0x20;
const LOG_NAME_BYTES = new TextEncoder().encode(LOG_ARRAY_NAME);
/**
 * No blob is shorter: a struct carrying less is refused as it is read, so an update's structs
 * (each parsed into memory before any blob is checked) cost at least this many bytes each.
 */
const MIN_BLOB_BYTES = HEADER_LENGTH + SIGNATURE_LENGTH;
/** No origin (or no right origin). */
export const NONE = -1;

/** One client's run of structs in the update; every ContentBinary item has length 1. */
export interface ClientRun {
  client: number;
  start: number; // clock of the first struct
  known: number; // receiver's clock: structs below it are already held and will be skipped
  originClient: number[];
  originClock: number[];
  rightClient: number[];
  rightClock: number[];
  blobs: Uint8Array[];
}

export interface ParsedUpdate {
  runs: Map<number, ClientRun>;
  /** The first client run that starts past the receiver's clock, if any. */
  gap: string | null;
}

/** Rules 1-3 and the first half of rule 4, in one pass over the bytes. */
export function parseUpdate(update: Uint8Array, clockOf: (client: number) => number): ParsedUpdate | (EnvelopeVerdict & { ok: false }) {
  const r = new ByteReader(update);
  const runs = new Map<number, ClientRun>();
  let gap: string | null = null;
  const clientCount = r.readVarUint();
  for (let c = 0; c < clientCount; c++) {
    const structCount = r.readVarUint();
    const client = r.readVarUint();
    const start = r.readVarUint();
    if (runs.has(client)) return reject('malformed', `client ${client} appears twice`);
    if (structCount === 0) return reject('malformed', `client ${client} has no structs`);
    // Every id must be signable (u32 client and clock): a blob at any other id cannot be valid.
    if (!isSignablePosition({ client, clock: start + structCount - 1 })) {
      return reject('bad-blob', `client ${client} runs to clock ${start + structCount - 1}, beyond u32`, 'bad-position');
    }
    const known = clockOf(client);
    if (start > known) gap ??= `client ${client} starts at ${start}, receiver holds ${known}`;
    const run: ClientRun = { client, start, known, originClient: [], originClock: [], rightClient: [], rightClock: [], blobs: [] };
    for (let i = 0; i < structCount; i++) {
      const info = r.readByte();
      if (info === INFO_SKIP || (info & 0x1f) !== CONTENT_BINARY) {
        return reject('bad-struct', `struct ${client}:${start + i} is not a binary item`);
      }
      if (info & BIT_PARENT_SUB) return reject('bad-struct', `struct ${client}:${start + i} has a parentSub`);
      const hasOrigin = (info & BIT_ORIGIN) !== 0;
      const hasRight = (info & BIT_RIGHT_ORIGIN) !== 0;
      run.originClient.push(hasOrigin ? r.readVarUint() : NONE);
      run.originClock.push(hasOrigin ? r.readVarUint() : NONE);
      run.rightClient.push(hasRight ? r.readVarUint() : NONE);
      run.rightClock.push(hasRight ? r.readVarUint() : NONE);
      if (!hasOrigin && !hasRight) {
        // The parent is written out: it must be the root type `log`.
        const parentIsRootName = r.readVarUint() === 1;
        if (!parentIsRootName || !sameBytes(r.readVarBytes(), LOG_NAME_BYTES)) {
          return reject('bad-struct', `struct ${client}:${start + i} is not in "${LOG_ARRAY_NAME}"`);
        }
      }
      const blob = r.readVarBytes();
      if (blob.length < MIN_BLOB_BYTES) return reject('bad-blob', `blob ${client}:${start + i}: too-short`, 'too-short');
      run.blobs.push(blob);
    }
    runs.set(client, run);
  }
  // Delete set: client entries are tolerated only with no ranges (rule 2).
  const dsClients = r.readVarUint();
  for (let c = 0; c < dsClients; c++) {
    r.readVarUint(); // client
    if (r.readVarUint() !== 0) return reject('has-deletes', 'envelope docs are append-only');
  }
  if (!r.done) return reject('malformed', 'trailing bytes after the update');
  return { runs, gap };
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
