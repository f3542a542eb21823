// Helpers for tests of the client core against real relays.
import WebSocket from 'ws';

/** `ws` as the client core's WebSocket (Node 20 has no global one). */
export const NodeWS = WebSocket as unknown as typeof globalThis.WebSocket;

/** Polls until the check holds or the time is up; returns the last answer. */
export async function until(check: () => boolean, ms = 8000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  return check();
}
