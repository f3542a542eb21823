// Updates other nodes of a cluster accepted and stored, applied to the rooms loaded here.
import * as Y from 'yjs';
import { FROM_BUS } from '../cluster/bus.ts';
import type { RelayStorage } from '../storage/types.ts';
import type { Room } from './room.ts';

export class BusDelivery {
  readonly #reloading = new Set<string>();

  constructor(
    private readonly storage: RelayStorage,
    private readonly loaded: (name: string) => Room | undefined,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * An update another node accepted and stored: validated here like any client's (a peer node
   * is trusted no more), applied and broadcast, not stored again. A gap means this node missed
   * something, which storage has.
   */
  deliver(name: string, update: Uint8Array): void {
    const room = this.loaded(name);
    if (!room) return;
    const verdict = room.receive(update, FROM_BUS);
    if (verdict.ok) return;
    if (verdict.code === 'gap') this.reload(name);
    else this.log(`cluster: refused an update of ${name.slice(0, 8)}… from another node: ${verdict.reason}`);
  }

  /** Applies whatever storage holds of a loaded room that its doc lacks (missed bus entries). */
  reload(name: string): void {
    if (this.#reloading.has(name) || !this.loaded(name)) return;
    this.#reloading.add(name);
    void this.storage
      .load(name)
      .then((stored) => {
        const room = this.loaded(name);
        if (!room || stored.updates.length === 0) return;
        const missing = Y.diffUpdate(Y.mergeUpdates(stored.updates), room.stateVector());
        const verdict = room.receive(missing, FROM_BUS);
        if (!verdict.ok) this.log(`cluster: reload of ${name.slice(0, 8)}… from storage refused: ${verdict.reason}`);
      })
      .catch((err: Error) => this.log(`cluster: reload of ${name.slice(0, 8)}… failed: ${err.message}`))
      .finally(() => this.#reloading.delete(name));
  }
}
