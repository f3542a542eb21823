// A relay that silently withholds: a front for a real relay that accepts and stores every
// write (its receipts are honest) but, once told to withhold, passes no blobs of the rooms
// it picks to any client (sync answers and updates are dropped) and answers HTTP reads of
// those rooms with "nothing new". Clients see a healthy, synced relay that never has news.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebSocket, WebSocketServer } from 'ws';

export interface WithholdingRelay {
  url: string;
  port: number;
  /** From now on, withhold the rooms `withhold` picks. */
  arm(): void;
  /** Server-to-client sync messages dropped so far. */
  dropped(): number;
  close(): Promise<void>;
}

/** The sync step of a relay's message (-1 for other message types). */
function syncStep(message: Uint8Array): number {
  try {
    const d = decoding.createDecoder(message);
    return decoding.readVarUint(d) === 0 ? decoding.readVarUint(d) : -1;
  } catch {
    return -1;
  }
}

export async function startWithholdingRelay(target: { host: string; port: number }, withhold: (room: string) => boolean): Promise<WithholdingRelay> {
  let dropped = 0;
  let armed = false;
  const server = http.createServer((req, res) => {
    const room = /^\/v1\/rooms\/([^/?]+)/.exec(req.url ?? '')?.[1];
    if (armed && req.method === 'GET' && room && withhold(room)) {
      dropped++;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '0' });
      return res.end();
    }
    const upstream = http.request({ host: target.host, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (client, req) => {
    const path = req.url ?? '/';
    const room = /^\/v1\/sync\/([^/?]+)/.exec(path)?.[1] ?? '';
    const upstream = new WebSocket(`ws://${target.host}:${target.port}${path}`);
    const early: Buffer[] = [];
    client.on('message', (data: Buffer) => (upstream.readyState === WebSocket.OPEN ? upstream.send(data) : early.push(data)));
    upstream.on('open', () => {
      for (const m of early.splice(0)) upstream.send(m);
    });
    upstream.on('message', (data: Buffer) => {
      const step = syncStep(new Uint8Array(data));
      const carriesBlobs = step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate;
      if (carriesBlobs && armed && withhold(room)) {
        dropped++;
        return;
      }
      if (client.readyState === WebSocket.OPEN) client.send(data);
    });
    const end = () => {
      client.terminate();
      upstream.terminate();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    arm: () => void (armed = true),
    dropped: () => dropped,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
