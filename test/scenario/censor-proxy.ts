// A controllable censor for scenario tests: a TCP proxy in front of a relay that can pass
// traffic, refuse connections, black-hole them, block only WebSocket upgrades, or throttle.
// Changing the mode applies to new connections and cuts open ones where a real censor would.
import net from 'node:net';

export type CensorMode =
  | { kind: 'pass' }
  | { kind: 'refuse' } // connections reset at once
  | { kind: 'blackhole' } // connections accepted, nothing ever answered
  | { kind: 'block-websocket' } // plain HTTP passes; WebSocket upgrades get 403
  | { kind: 'throttle'; bytesPerSecond: number };

export interface CensorProxy {
  url: string; // http://127.0.0.1:PORT
  port: number;
  setMode(mode: CensorMode): void;
  /** Bytes relayed in each direction since start. */
  stats(): { toRelay: number; fromRelay: number; connections: number };
  close(): Promise<void>;
}

const UPGRADE_HEADER = /\r\nupgrade:\s*websocket\r\n/i;

export async function startCensorProxy(target: { host: string; port: number }): Promise<CensorProxy> {
  let mode: CensorMode = { kind: 'pass' };
  const open = new Set<net.Socket>();
  const counters = { toRelay: 0, fromRelay: 0, connections: 0 };

  const server = net.createServer((client) => {
    counters.connections++;
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    const current = mode;
    if (current.kind === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    if (current.kind === 'blackhole') {
      client.pause(); // read nothing, answer nothing; the client's own timeout ends it
      return;
    }
    const upstream = net.connect(target.port, target.host);
    open.add(upstream);
    upstream.on('close', () => {
      open.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    pipe(client, upstream, 'toRelay', current);
    pipe(upstream, client, 'fromRelay', current);
  });

  function pipe(from: net.Socket, to: net.Socket, direction: 'toRelay' | 'fromRelay', connMode: CensorMode): void {
    let sendAt = Date.now();
    from.on('data', (chunk: Buffer) => {
      if (direction === 'toRelay' && connMode.kind === 'block-websocket' && UPGRADE_HEADER.test(chunk.toString('latin1'))) {
        from.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        to.destroy();
        return;
      }
      counters[direction] += chunk.length;
      // Throttling follows the current mode, so open connections slow down too.
      if (mode.kind !== 'throttle') {
        to.write(chunk);
        return;
      }
      // Hold each chunk until the link's budget allows it.
      const now = Date.now();
      sendAt = Math.max(sendAt, now) + (chunk.length / mode.bytesPerSecond) * 1000;
      from.pause();
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk);
        from.resume();
      }, sendAt - now);
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setMode(next) {
      mode = next;
      // A censor that starts blocking cuts what is already open; throttling slows it instead.
      if (next.kind !== 'pass' && next.kind !== 'throttle') for (const socket of open) socket.destroy();
    },
    stats: () => ({ ...counters }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
