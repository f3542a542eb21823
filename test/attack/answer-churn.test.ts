// Clients that ask for a big room and leave at once, again and again, each with another state
// vector. Each answer used to be encoded anew on the event loop (a 64 MiB room: about half a
// second each, one client kept GET /v1/info over 700 ms); now large answers are cut from one
// encoding of the room, kept while the room is unchanged.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { fill, honestWrites, percentile, probeInfo, spawnRelay, writer, type RelayChild } from './support/harness.ts';

let relay: RelayChild;
beforeAll(async () => {
  relay = await spawnRelay({});
});
afterAll(() => relay?.close());

/** CPU time the process has used, in ms (utime + stime at 100 ticks a second). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Sync step 1 with this state vector. */
function step1(sv: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint8Array(e, sv);
  return encoding.toUint8Array(e);
}

/** Opens a socket, asks with `sv`, waits for the first piece of the answer, and leaves. */
async function askAndLeave(url: string, sv: Uint8Array): Promise<boolean> {
  const ws = new WebSocket(url);
  ws.on('error', () => {});
  const answered = new Promise<boolean>((resolve) => {
    ws.on('message', (data: Buffer) => data[0] === 0 && data[1]! > 0 && resolve(true)); // step 2 or a piece
    ws.once('close', () => resolve(false));
    setTimeout(() => resolve(false), 5000);
  });
  await new Promise((resolve) => {
    ws.once('open', resolve);
    ws.once('close', resolve);
  });
  if (ws.readyState === WebSocket.OPEN) ws.send(step1(sv));
  const got = await answered;
  ws.terminate();
  return got;
}

it('asking for a big room and leaving, with ever other state vectors, encodes the room once', async () => {
  const room = await writer();
  await fill(relay.url, room, 16 * 1024 * 1024);
  const url = `${relay.url.replace('http', 'ws')}/v1/sync/${room.name}`;
  const client = room.doc.clientID;
  const honest = honestWrites(relay.url, await writer(), 150);
  const info = probeInfo(relay.url);
  const cpuBefore = cpuMs(relay.pid);
  const started = performance.now();
  let rounds = 0;
  let answered = 0;
  let small = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (performance.now() - started < 5000) {
        // Claims to hold the first few blobs (a different answer each time, all of them large),
        // or all of them (a small answer in between).
        const all = rounds++ % 41 === 40;
        if (all) small++;
        const held = all ? Y.decodeStateVector(Y.encodeStateVector(room.doc)).get(client)! : rounds % 40;
        if (await askAndLeave(url, Y.encodeStateVector(new Map([[client, held]])))) answered++;
      }
    }),
  );
  const wallMs = performance.now() - started;
  const cpu = cpuMs(relay.pid) - cpuBefore;
  await honest.stop();
  await info.stop();
  const { counters } = await relay.stats();
  console.log(`${rounds} rounds (${answered} answered) in ${wallMs.toFixed(0)} ms; relay CPU ${cpu} ms; answers computed ${counters['sync.answer-computed']}; info p99 ${percentile(info.latencies, 99).toFixed(0)} ms; honest p99 ${percentile(honest.latencies, 99).toFixed(0)} ms`);
  assert.ok(answered >= 20, `${answered} answers`);
  // Once for the room, once for each small answer asked in between (never kept).
  expect(counters['sync.answer-computed']).toBeLessThanOrEqual(2 + small);
  // Encoding 16 MiB costs tens of milliseconds each time; a connection that asks and leaves, a few.
  expect(cpu / rounds).toBeLessThan(20);
  assert.ok(honest.statuses.length >= 5 && honest.statuses.every((s) => s === 200), `honest writes: ${honest.statuses.join(',')}`);
  expect(percentile(info.latencies, 99)).toBeLessThan(2000);
}, 60_000);

it('reading a big room over HTTP again and again, with or without a state vector, encodes it once', async () => {
  const room = await writer();
  await fill(relay.url, room, 16 * 1024 * 1024);
  const client = room.doc.clientID;
  const honest = honestWrites(relay.url, await writer(), 150);
  const info = probeInfo(relay.url);
  const computedBefore = (await relay.stats()).counters['http.read-computed'] ?? 0;
  const cpuBefore = cpuMs(relay.pid);
  const started = performance.now();
  let rounds = 0;
  const statuses = new Map<number, number>();
  await Promise.all(
    [0, 1].map(async () => {
      while (performance.now() - started < 5000) {
        // The whole room, or all of it but the first few blobs.
        const held = rounds++ % 10;
        const query = held === 0 ? '' : `?sv=${Buffer.from(Y.encodeStateVector(new Map([[client, held]]))).toString('base64url')}`;
        const res = await fetch(`${relay.url}/v1/rooms/${room.name}${query}`);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        await res.arrayBuffer();
      }
    }),
  );
  const wallMs = performance.now() - started;
  const cpu = cpuMs(relay.pid) - cpuBefore;
  await honest.stop();
  await info.stop();
  const computed = ((await relay.stats()).counters['http.read-computed'] ?? 0) - computedBefore;
  console.log(`${rounds} reads ${JSON.stringify([...statuses])} in ${wallMs.toFixed(0)} ms; relay CPU ${cpu} ms; encoded ${computed}; info p99 ${percentile(info.latencies, 99).toFixed(0)} ms; honest p99 ${percentile(honest.latencies, 99).toFixed(0)} ms`);
  assert.ok((statuses.get(200) ?? 0) >= 20, `${statuses.get(200)} reads answered`);
  expect(computed).toBeGreaterThanOrEqual(1);
  expect(computed).toBeLessThanOrEqual(2);
  // Each read was encoded, then copied whole into the response: about 40 ms of a core each.
  expect(cpu / rounds).toBeLessThan(20);
  assert.ok(honest.statuses.length >= 5 && honest.statuses.every((s) => s === 200), `honest writes: ${honest.statuses.join(',')}`);
  expect(percentile(info.latencies, 99)).toBeLessThan(2000);
}, 60_000);
