// Which relays a space dials: those its user chose (a link's hints, a relay they added, list
// entries this identity signed) first, then those it synced with, then the rest of the
// board's list, within the limits of client/core/relay-choice.ts; a relay the board's list
// removed is dropped unless the user added it themselves. A change connects the space's open
// epochs to the added relays and disconnects the dropped ones.
import { normaliseRelayUrl } from '#shared';
import type { EpochScout } from './epoch-scout.ts';
import { chooseRelays, type RelayPolicy, type RelayVerdict } from './relay-choice.ts';
import type { SpaceRooms } from './space-rooms.ts';

export class RelaySelection {
  /** Relays the link, the user or this device's own list entries named. */
  private readonly chosen: string[] = [];
  /** The rest of the board's relay list. */
  private listed: string[] = [];
  /** Of the chosen, those the user added themselves: kept whatever the board's list removes. */
  private readonly kept: string[] = [];
  /** Relays the board's list removed. */
  private removed: string[] = [];
  private verdicts = new Map<string, RelayVerdict>();

  constructor(
    private readonly rooms: SpaceRooms,
    private readonly scout: EpochScout,
    private readonly policy: RelayPolicy | undefined,
    private readonly changed: () => void,
  ) {}

  /** Relays this device's user chose: they come first among the relays dialled. */
  choose(relays: string[]): void {
    if (this.rooms.closed) return;
    const before = this.chosen.length;
    for (const raw of relays) {
      const relay = normaliseRelayUrl(raw);
      if (!this.chosen.includes(relay)) this.chosen.push(relay);
    }
    // Nothing new: no change to announce (a caller may hand the same relays on every render,
    // some of which the limit keeps out).
    if (this.chosen.length > before) this.reselect();
  }

  /** Relays the user added themselves: chosen, and dialled even once the board's list removes them. */
  keep(relays: string[]): void {
    if (this.rooms.closed) return;
    let changed = false;
    for (const raw of relays) {
      const relay = normaliseRelayUrl(raw);
      if (!this.kept.includes(relay)) (this.kept.push(relay), (changed = true));
      if (!this.chosen.includes(relay)) this.chosen.push(relay);
    }
    if (changed) this.reselect();
  }

  /** The user no longer wants a relay they kept: it is dialled again only as anything else is. */
  unkeep(relay: string): void {
    const url = normaliseRelayUrl(relay);
    const at = this.kept.indexOf(url);
    if (at < 0 || this.rooms.closed) return;
    this.kept.splice(at, 1);
    this.chosen.splice(this.chosen.indexOf(url), 1);
    this.reselect();
  }

  /** The relays the board's list removed (for a board, and for its threads). */
  setRemoved(relays: string[]): void {
    if (this.rooms.closed) return;
    const next = relays.flatMap((r) => {
      try {
        return [normaliseRelayUrl(r)];
      } catch {
        return []; // a malformed entry is never dialled anyway
      }
    }).sort();
    if (next.length === this.removed.length && next.every((r, i) => r === this.removed[i])) return;
    this.removed = next;
    this.reselect();
  }

  /** The board's relay list, less what was chosen: dialled only within the limits. */
  offerListed(relays: string[]): void {
    if (this.rooms.closed) return;
    if (relays.length === this.listed.length && relays.every((r, i) => r === this.listed[i])) return;
    this.listed = [...relays];
    this.reselect();
  }

  /** Why each relay known to this space is dialled or not. */
  why(): Map<string, RelayVerdict> {
    return new Map(this.verdicts);
  }

  private reselect(): void {
    const { rooms } = this;
    const { relays, verdicts } = chooseRelays(
      { chosen: this.chosen, kept: this.kept, removed: this.removed, synced: rooms.syncedRelays(), listed: this.listed },
      this.policy,
    );
    this.verdicts = verdicts;
    const added = relays.filter((r) => !rooms.relays.includes(r));
    const dropped = rooms.relays.filter((r) => !relays.includes(r));
    rooms.relays = relays;
    for (const r of dropped) for (const room of rooms.byEpoch.values()) room.disconnectRelay(r);
    if (added.length > 0) {
      for (const room of rooms.byEpoch.values()) if (room !== rooms.current || !this.scout.holdCurrent) room.connect(added);
      this.scout.relaysAdded(added);
    }
    this.changed();
  }
}
