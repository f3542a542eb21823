// Updates other nodes of a cluster accepted and stored, applied to the rooms loaded here.
import * as Y from 'yjs';
import { FROM_BUS } from '../cluster/bus.ts';
import type { RelayStorage } from '../storage/types.ts';
import type { Room } from './room.ts';
import { say, str } from '../l10n.ts';

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
    else {
      const room = `${name.slice(0, 8)}…`;
      this.log(`cluster: ${say(str`refused an update of ${room} from another node: ${verdict.reason}`, { id: 'relay.log.busRefused' })}`);
    }
  }

  /** Applies whatever storage holds of a loaded room that its doc lacks (missed bus entries). */
  reload(name: string): void {
    if (this.#reloading.has(name) || !this.loaded(name)) return;
    this.#reloading.add(name);
    void this.storage
      .load(name)
      .then((stored) => {
        const held = this.loaded(name);
        if (!held || stored.updates.length === 0) return;
        const missing = Y.diffUpdate(Y.mergeUpdates(stored.updates), held.stateVector());
        const verdict = held.receive(missing, FROM_BUS);
        const room = `${name.slice(0, 8)}…`;
        if (!verdict.ok) this.log(`cluster: ${say(str`reload of ${room} from storage refused: ${verdict.reason}`, { id: 'relay.log.reloadRefused' })}`);
      })
      .catch(({ message }: Error) => {
        const room = `${name.slice(0, 8)}…`;
        this.log(`cluster: ${say(str`reload of ${room} failed: ${message}`, { id: 'relay.log.reloadFailed' })}`);
      })
      .finally(() => this.#reloading.delete(name));
  }
}
