// An empty relay in a process of its own that catches up from a peer, built from the tree at
// <root> (this one, or an extracted older commit for an A/B run). Prints, once its first
// peering round is done, {"seconds", "cpuSeconds"} (this process, every thread), then
// {"held"}: the blobs it holds in the rooms named on stdin's first line (JSON array).
//   node --import tsx test/bench/lib/catch-up-peer.ts <root> <data dir> <source url>
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, dataDir, sourceUrl] = process.argv.slice(2) as [string, string, string];
const server = (await import(pathToFileURL(join(root, 'server/index.ts')).href)) as typeof import('../../../server/index.ts');
const shared = (await import(pathToFileURL(join(root, 'shared/index.ts')).href)) as typeof import('../../../shared/index.ts');
const rooms = new Promise<string[]>((resolve) => createInterface({ input: process.stdin }).once('line', (line) => resolve(JSON.parse(line) as string[])));

await shared.initSodium();
let refused = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const peer = await server.startRelay({ port: 0, host: '127.0.0.1', dataDir, peers: [sourceUrl], peerSyncMs: 60_000, log: (line) => void (/refused/.test(line) && refused++) });
const link = peer.peering.links[0]!;
while (link.lastSyncAt === null) {
  if (performance.now() - t0 > 600_000) throw new Error('catch-up timed out');
  await new Promise((r) => setTimeout(r, 10));
}
const cpu = process.cpuUsage(cpu0);
process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`);
let held = 0;
for (const room of await rooms) held += await peer.registry.with(shared.parseRoomName(room)!, (r) => r.blobCount);
process.stdout.write(`${JSON.stringify({ held, refused })}\n`);
await peer.close();
process.exit(0);
