// Keeps a component in step with open spaces: subscribes while the host is connected,
// unsubscribes when it leaves the page. `version` changes only with plaintext, so hosts
// can cache what is costly to derive (verified posts) between relay-state updates.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type * as Y from 'yjs';
import type { Space } from '#client-core';

export class SpaceController implements ReactiveController {
  /** Bumped on every plaintext change of any watched space. */
  version = 0;
  private spaces: Space[] = [];
  private offs: (() => void)[] = [];
  private connected = false;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Watches these spaces instead of the previous ones. */
  watch(spaces: (Space | null | undefined)[]): void {
    const next = spaces.filter((s): s is Space => !!s);
    if (next.length === this.spaces.length && next.every((s, i) => s === this.spaces[i])) return;
    this.unsubscribe();
    this.spaces = next;
    this.version++;
    if (this.connected) this.subscribe();
    this.host.requestUpdate();
  }

  hostConnected(): void {
    this.connected = true;
    this.subscribe();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.unsubscribe();
  }

  private subscribe(): void {
    for (const space of this.spaces) {
      const offSpace = space.subscribe(() => this.host.requestUpdate());
      // afterTransaction, not 'update': an 'update' listener makes Yjs encode every
      // transaction, megabytes when a long thread's snapshot is applied.
      const onPlain = (tr: Y.Transaction) => {
        if (tr.changed.size === 0 && tr.deleteSet.clients.size === 0) return;
        this.version++;
        this.host.requestUpdate();
      };
      space.plain?.on('afterTransaction', onPlain);
      this.offs.push(() => {
        offSpace();
        space.plain?.off('afterTransaction', onPlain);
      });
    }
  }

  private unsubscribe(): void {
    for (const off of this.offs) off();
    this.offs = [];
  }
}
