// The source address of a request, for the per-source share of a room's slots. The
// socket's peer address, or, when that peer is a proxy the operator named, the address
// that proxy appended to X-Forwarded-For (the last entry: earlier ones are the client's
// own claim). Never logged, never stored.
import type { IncomingMessage } from 'node:http';

export function sourceAddress(incoming: IncomingMessage | undefined, trustedProxies: readonly string[]): string {
  const peer = normalise(incoming?.socket?.remoteAddress ?? '');
  if (!trustedProxies.includes(peer)) return peer;
  const header = incoming?.headers['x-forwarded-for'];
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  const last = value.split(',').map((s) => s.trim()).filter((s) => s !== '').pop();
  return last ? normalise(last) : peer;
}

/** An IPv4 address seen through an IPv6 socket is the same source as itself. */
function normalise(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
