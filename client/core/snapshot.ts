// Snapshots for compaction (docs/PROTOCOL.md §3, epochs): the whole plaintext doc as Yjs updates that each fit
// in one blob. Yjs updates merge, so a large doc becomes several pieces: runs of one client's
// structs, cut at struct boundaries, plus the delete set on its own.
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { ClientError } from './errors.ts';

type Struct = Y.Item | Y.GC;

/** The doc's whole state in as few updates as fit `maxBytes` each. */
export function snapshotPieces(doc: Y.Doc, maxBytes: number): Uint8Array[] {
  const whole = Y.encodeStateAsUpdate(doc);
  if (whole.length <= maxBytes) return [whole];
  const pieces: Uint8Array[] = [];
  // Runs of structs, each [client, structs], packed greedily into pieces.
  let runs: Array<[number, Struct[]]> = [];
  let size = 8;
  const emit = () => {
    if (runs.length > 0) pieces.push(writeRuns(runs));
    runs = [];
    size = 8;
  };
  const clients = [...doc.store.clients.entries()].sort((a, b) => b[0] - a[0]);
  for (const [client, structs] of clients) {
    let run: Struct[] = [];
    runs.push([client, run]);
    size += 16;
    for (const struct of structs as Struct[]) {
      const bytes = structSize(struct);
      if (bytes + 32 > maxBytes) throw new ClientError('bad-input', `one change of ${bytes} bytes is larger than a blob may be`);
      if (size + bytes > maxBytes) {
        if (run.length === 0) runs.pop();
        emit();
        run = [];
        runs.push([client, run]);
        size += 16;
      }
      run.push(struct);
      size += bytes;
    }
  }
  emit();
  // The delete set alone: an update with no structs (everything is below the doc's own state).
  const deletes = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc));
  if (deletes.length > 2) {
    if (deletes.length > maxBytes) throw new ClientError('bad-input', 'the deletions of this doc are larger than a blob may be');
    pieces.push(deletes);
  }
  return pieces;
}

function structSize(struct: Struct): number {
  const encoder = new Y.UpdateEncoderV1();
  struct.write(encoder, 0);
  return encoding.length(encoder.restEncoder);
}

/** Writes runs of whole structs as one Yjs v1 update with an empty delete set (as Yjs's writeStructs does). */
function writeRuns(runs: Array<[number, Struct[]]>): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  const nonEmpty = runs.filter(([, structs]) => structs.length > 0);
  encoding.writeVarUint(encoder.restEncoder, nonEmpty.length);
  for (const [client, structs] of nonEmpty) {
    encoding.writeVarUint(encoder.restEncoder, structs.length);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, structs[0]!.id.clock);
    for (const s of structs) s.write(encoder, 0);
  }
  encoding.writeVarUint(encoder.restEncoder, 0); // empty delete set
  return encoder.toUint8Array();
}

/**
 * What `doc` holds that `target` (a doc built from one epoch's blobs) lacks, as one update, or
 * null when the target covers it all. Applying the diff to a copy tells structs and deletions apart
 * from what is merely repeated.
 */
export function missingFrom(doc: Y.Doc, targetUpdate: Uint8Array): Uint8Array | null {
  const scratch = new Y.Doc();
  try {
    Y.applyUpdate(scratch, targetUpdate);
    const diff = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(scratch));
    const gained: Uint8Array[] = [];
    scratch.on('update', (u: Uint8Array) => gained.push(u));
    Y.applyUpdate(scratch, diff);
    return gained.length === 0 ? null : Y.mergeUpdates(gained);
  } finally {
    scratch.destroy();
  }
}
