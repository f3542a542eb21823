// Displaced writes (docs/PROTOCOL.md §3, "Displaced writes"): a receipt says "delivered", not
// "delivered as written", since another write-key holder may have put other bytes at our id
// first. After each receipt the relay is asked for what it holds from our newly covered ids
// on; where the validator finds other bytes there, our content is sealed again at fresh ids.
import * as Y from 'yjs';
import { BlobKind, blobAt, isMoveLink, type NewBlob, type RoomKey, type RoomName, type Sealer } from '#shared';
import type { EncryptionBridge } from './bridge.ts';
import { linkChild, linkChildId, linkSealers } from './link-blobs.ts';
import type { ClientProblem } from './problems.ts';
import type { StateVector } from './receipts.ts';

/** A write of this device that a relay holds other bytes for, and where its content went instead. */
export interface DisplacedWrite {
  relay: string;
  client: number;
  clock: number;
  /** The ids its content was sealed again at (none for content this device cannot re-seal). */
  resealedAt: { client: number; clock: number }[];
}

/** What the displaced-write check needs of its room. */
export interface OwnRoom {
  room: RoomName;
  key: RoomKey;
  envelope: Y.Doc;
  bridge: EncryptionBridge | null;
  /** The write key's secret, if this device holds it. */
  writeSecret(): Uint8Array | null;
  /** Yjs client ids this device wrote the room's blobs with. */
  ownClients(): number[];
  /** Asks a relay for what it holds of our clients from these clocks on. */
  readBack(relay: string, from: Map<number, number>): void;
  appendLocal(sealers: Sealer[]): NewBlob[];
  onProblem?(problem: ClientProblem): void;
  changed(): void;
}

export class Displacement {
  /** Writes of this device displaced on some relay by other bytes at the same id, newest last. */
  readonly list: DisplacedWrite[] = [];
  /** Per relay and own client, the clock below which its content was read back (or was confirmed before this open). */
  private readonly readBackTo = new Map<string, Map<number, number>>();
  /** Own ids already re-sealed: a second report of the same displacement changes nothing. */
  private readonly resealed = new Set<string>();

  constructor(private readonly own: OwnRoom) {}

  /** What a relay confirmed in an earlier session is not read back again. */
  confirmedBefore(relay: string, sv: StateVector): void {
    this.readBackTo.set(relay, new Map(sv));
  }

  /** A new receipt: the relay is asked for the bytes it holds from our newly covered ids on. */
  receipt(relay: string, sv: StateVector): void {
    const done = this.readBackTo.get(relay) ?? new Map<number, number>();
    this.readBackTo.set(relay, done);
    const from = new Map<number, number>();
    for (const client of this.own.ownClients()) {
      const covered = Math.min(sv.get(client) ?? 0, Y.getState(this.own.envelope.store, client));
      const checked = done.get(client) ?? 0;
      if (covered <= checked) continue;
      from.set(client, checked);
      done.set(client, covered);
    }
    if (from.size > 0) this.own.readBack(relay, from);
  }

  /** Ids the relay holds with other bytes than this device: re-seal ours at fresh ids and say so. */
  conflicts(relay: string, conflicts: NewBlob[]): void {
    const { own } = this;
    const ours = new Set(own.ownClients());
    const mine: { pos: NewBlob; blob: Uint8Array }[] = [];
    for (const c of conflicts) {
      const held = blobAt(own.envelope, c);
      if (!held) continue;
      if (!ours.has(c.client)) {
        own.onProblem?.({ kind: 'bytes-differ', room: own.room, relay, at: { client: c.client, clock: c.clock } });
        continue;
      }
      const id = `${c.client}:${c.clock}`;
      if (this.resealed.has(id)) continue;
      this.resealed.add(id);
      mine.push({ pos: c, blob: held });
    }
    if (mine.length === 0) return;
    const resealedAt = this.reseal(mine.map((m) => m.blob)).map(({ client, clock }) => ({ client, clock }));
    for (const m of mine) {
      this.list.push({ relay, client: m.pos.client, clock: m.pos.clock, resealedAt });
      own.onProblem?.({ kind: 'write-displaced', room: own.room, relay, at: { client: m.pos.client, clock: m.pos.clock }, resealedAt });
    }
    own.changed();
  }

  /** Updates through the bridge; link blobs again with the write key, naming the same child. */
  private reseal(blobs: Uint8Array[]): NewBlob[] {
    const writeSecret = this.own.writeSecret();
    if (!writeSecret) return [];
    const links = blobs.filter((b) => b[1] === BlobKind.link);
    const sealed = this.own.bridge ? this.own.bridge.reseal(blobs.filter((b) => b[1] !== BlobKind.link)) : [];
    const moves = new Set(links.filter(isMoveLink).map(linkChildId));
    return [...sealed, ...this.own.appendLocal(linkSealers({ ...this.own.key, writeSecret }, links.map(linkChild), moves))];
  }
}
