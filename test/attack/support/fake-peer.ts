// A hostile peer in its own process (so its work does not slow the process that measures):
// every room list names 20,000 invented rooms, every room read answers garbage. Prints
// {"url"} once listening; exits when stdin closes.
//   node --import tsx test/attack/support/fake-peer.ts
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { toBase64url } from '#shared/bytes.ts';

let lists = 0;
let pulls = 0;
const server = http.createServer((req, res) => {
  if (req.url === '/v1/info') return res.end(JSON.stringify({ software: 'baton', protocol: 2, limits: { maxUpdateBytes: 1048576 } }));
  if (req.url?.startsWith('/v1/rooms?marks=1')) {
    lists++;
    const rooms: string[] = [];
    const marks: Record<string, number> = {};
    for (let i = 0; i < 20_000; i++) {
      const name = `${toBase64url(randomBytes(32))}.0`;
      rooms.push(name);
      marks[name] = i;
    }
    return res.end(JSON.stringify({ rooms, marks }));
  }
  if (req.method === 'GET' && req.url?.startsWith('/v1/rooms/')) {
    pulls++;
    return res.end(randomBytes(3 * 65536));
  }
  if (req.method === 'POST') {
    req.resume();
    return res.end(JSON.stringify({ room: 'x', sv: 'AA', added: 0 }));
  }
  res.statusCode = 404;
  res.end('{}');
});
server.on('upgrade', (_req, socket) => socket.destroy());
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`));
process.stdin.on('data', (d) => {
  if (String(d).includes('stats')) process.stdout.write(`${JSON.stringify({ lists, pulls })}\n`);
});
process.stdin.on('end', () => process.exit(0));
