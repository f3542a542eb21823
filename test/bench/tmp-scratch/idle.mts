import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { startBaton, startStock, cpuSeconds } from '/work/wt-perf/test/bench/lib/servers.ts';
import { initSodium, sodium } from '/work/wt-perf/shared/sodium.ts';
import { testRoom } from '/work/wt-perf/test/support/rooms.ts';
await initSodium();
const room = testRoom(42);
const roomName = `${sodium().to_base64(room.cap.writePub, sodium().base64_variants.URLSAFE_NO_PADDING)}.0`;
process.setMaxListeners(500);
for (const kind of ['baton', 'stock'] as const) {
  const server = kind === 'baton' ? await startBaton({}) : await startStock();
  const ps = [];
  for (let i = 0; i < 50; i++) ps.push(new WebsocketProvider(server.providerUrl, kind === 'baton' ? roomName : 'r', new Y.Doc(), { WebSocketPolyfill: WebSocket as any, disableBc: true }));
  await new Promise((r) => setTimeout(r, 3000));
  const { readdirSync, readFileSync } = await import('node:fs');
  const snap = () => Object.fromEntries(readdirSync(`/proc/${server.pid}/task`).map((t) => { const st = readFileSync(`/proc/${server.pid}/task/${t}/stat`, 'utf8'); const f = st.slice(st.lastIndexOf(')') + 2).split(' '); return [t + ' ' + readFileSync(`/proc/${server.pid}/task/${t}/comm`, 'utf8').trim(), Number(f[11]) + Number(f[12])]; }));
  const s0 = snap();
  const c0 = cpuSeconds(server.pid);
  await new Promise((r) => setTimeout(r, 10000));
  const s1 = snap();
  for (const k of Object.keys(s1)) if (s1[k] - (s0[k] ?? 0) > 0) console.log('  ', k, s1[k] - (s0[k] ?? 0));
  console.log(kind, 'idle CPU %', ((cpuSeconds(server.pid) - c0) / 10 * 100).toFixed(1));
  for (const p of ps) p.destroy();
  await server.stop();
}
process.exit(0);
