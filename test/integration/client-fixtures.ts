// Helpers for tests of the client core against real relays.
import WebSocket from 'ws';
import { holdsWithin } from '../support/wait.ts';

/** `ws` as the client core's WebSocket (Node 20 has no global one). */
export const NodeWS = WebSocket as unknown as typeof globalThis.WebSocket;

/** Polls until the check holds or the time is up; returns whether it held (test/support/wait.ts). */
export function until(check: () => boolean, ms = 8000): Promise<boolean> {
  return holdsWithin(check, { timeoutMs: ms, intervalMs: 25 });
}
