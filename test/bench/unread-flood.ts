// Members that never read, sent a room's writes: what the relay's TCP send queues hold
// (docs/THREAT_MODEL.md, the row on sockets that never read). Measured apart, not by the
// benchmark runner: `node --import tsx test/bench/unread-flood.ts` (needs `ss`, from iproute2).
// MEMBERS (300), UPDATES (600) and SIZE (8000 bytes) change the attack.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type WebSocket from 'ws';
import { blobsAt, openWebSocket, pauseReading, peakRss, roomWriters, sleep, spawnRelay, writer } from '../attack/support/harness.ts';

const MEMBERS = Number(process.env.MEMBERS ?? 300);
const UPDATES = Number(process.env.UPDATES ?? 600);
const SIZE = Number(process.env.SIZE ?? 8000);

/** Bytes queued in the send buffers of the relay's own sockets (`ss` Send-Q, source port = the relay's). */
function relaySendQueues(port: string): number {
  const out = execFileSync('ss', ['-tnH', `( sport = :${port} )`], { encoding: 'utf8' });
  let sum = 0;
  for (const line of out.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length > 2) sum += Number(fields[2]);
  }
  return sum;
}

/** Pages of memory the host's TCP stack holds (both ends of loopback sockets). */
const tcpPages = () => Number(/TCP:.*mem (\d+)/.exec(readFileSync('/proc/net/sockstat', 'utf8'))?.[1] ?? NaN);

const relay = await spawnRelay({});
const w = await writer();
const url = `${relay.url.replace('http', 'ws')}/v1/sync/${w.name}`;
const members: WebSocket[] = [];
for (let i = 0; i < MEMBERS; i++) {
  const ws = await openWebSocket(url);
  ws.on('error', () => {});
  pauseReading(ws);
  members.push(ws);
}
await sleep(500);
const rssBefore = relay.rssMiB();
const tcpBefore = tcpPages();
const writers = await roomWriters(url, w);

let queued = 0;
const port = new URL(relay.url).port;
const sampler = setInterval(() => (queued = Math.max(queued, relaySendQueues(port))), 100);
const attack = (async () => {
  for (let i = 0; i < UPDATES; i++) {
    writers.send(SIZE);
    if (i % 40 === 39) await sleep(50);
  }
  await sleep(6000);
})();
const rssPeak = await peakRss(relay.pid, attack);
clearInterval(sampler);
const { counters } = await relay.stats();
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
console.log(
  `${MEMBERS} members that never read, ${UPDATES} updates of ${SIZE} bytes (${await blobsAt(relay.url, w.name)} applied): ` +
    `relay send queues peak ${mib(queued)} MiB; host TCP memory ${mib(tcpBefore * 4096)} -> ${mib(tcpPages() * 4096)} MiB after; ` +
    `relay RSS ${rssBefore.toFixed(0)} -> ${rssPeak.toFixed(0)} MiB; cut for unread ${counters['sync.unread-shed'] ?? 0}, too slow ${counters['sync.too-slow'] ?? 0}`,
);
for (const ws of [...members, ...writers.sockets]) ws.terminate();
await relay.close();
