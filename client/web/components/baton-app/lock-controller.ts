// The lock's part in the app shell (lib/lock/): the panic shortcut on every screen, links to
// capabilities followed by handle, the idle lock of an unlocked session, locking, and the
// unlock and safety screens and header links.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Vault } from '#client-core';
import { IdleLock } from '../../lib/lock/idle.ts';
import { readSettings } from '../../lib/lock/record.ts';
import type { Session } from '../../lib/session.ts';
import { capabilityClicks, lockScreen, lockSession, onPanicShortcut, safetyLinks } from './lock-hooks.ts';

export { addressOf, keyFreeHash, unlockScreen } from './lock-hooks.ts';
export { isLocked } from '../../lib/lock/record.ts';

export class LockController implements ReactiveController {
  private idle: IdleLock | null = null;

  constructor(
    host: ReactiveControllerHost & HTMLElement,
    private readonly session: () => Session | null,
    navigate: (hash: string) => void,
  ) {
    host.addController(this);
    capabilityClicks(host, navigate);
  }

  hostConnected(): void {
    addEventListener('keydown', onPanicShortcut);
  }

  hostDisconnected(): void {
    removeEventListener('keydown', onPanicShortcut);
    this.idle?.stop();
  }

  /** A session a passphrase opened locks itself after the chosen idle and hidden times. */
  started(session: Session): void {
    if (session.locked) (this.idle = new IdleLock(readSettings(), this.lock)).start();
  }

  readonly lock = (): void => {
    this.idle?.stop();
    void lockSession(this.session());
  };

  screen(kind: 'locked' | 'safety', unlock: (vault: Vault) => void) {
    return lockScreen(kind, this.session(), { unlock, lock: this.lock, settings: (s) => this.idle?.update(s) });
  }

  header() {
    return safetyLinks(this.session(), this.lock);
  }
}
