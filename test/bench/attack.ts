// Attacks on a relay (docs/THREAT_MODEL.md, "What a space id lets anyone do to a relay"):
// each runs against a fresh relay in a child process while an honest client writes a post
// every 200 ms over HTTP and a prober asks GET /v1/info every 100 ms. Prints, under each
// attack, the relay's resident memory (VmRSS, before and at its peak), the honest writes'
// latency (p99, and how many were receipted) and /v1/info's latency, and records them in
// docs/BENCHMARKS.md.
//   node --import tsx test/bench/attack.ts            (ATTACK_ONLY=step1,bundle to pick;
//                                                     ATTACK_SKIP=unread leaves one out of all at once)
// Targets: RSS under 300 MiB or the baseline + 150 MiB; honest p99 under 500 ms; info p99
// under 100 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatCapability, initSodium } from '#shared';
import { honestWrites, peakRss, percentile, post, probeInfo, sleep, spawnFakePeer, spawnRelay, writer, type FakePeer } from '../attack/support/harness.ts';
import { testRoom } from '../support/rooms.ts';
import { finish } from './lib/finish.ts';
import { describeMachine, loadAverage } from './lib/machine.ts';
import { ALL, WINDOW_MS, attacks, seen, type Attack } from './lib/relay-attacks.ts';
import { recordSection, table, today } from './lib/report.ts';

interface Result {
  attack: string;
  baseline: number;
  peak: number;
  honestP99: number;
  honestOk: string;
  infoP99: number;
  infoMax: number;
  note: string;
}

async function measure(attack: Attack): Promise<Result> {
  let peer: FakePeer | null = null;
  const options = { ...attack.options };
  if (attack.key === 'peer' || attack === attacks[ALL]) {
    peer = await spawnFakePeer();
    Object.assign(options, { peers: [peer.url], peerSyncMs: 300, peerRetryMaxMs: 1000 });
  }
  if (attack.key === 'mirror-status' || attack === attacks[ALL]) {
    const board = testRoom(203, 0, 'board');
    options.mirrors = [{ capability: formatCapability(board.cap, 'mirror'), relay: 'http://127.0.0.1:9' }];
  }
  // Attacks on stored rooms run against a relay on SQLite; the others against one in memory.
  const dir = attack.store ? mkdtempSync(join(tmpdir(), 'baton-attack-bench-')) : null;
  const stored = dir ? await attack.store!(dir) : undefined;
  if (dir) options.dataDir = dir;
  const relay = await spawnRelay(options);
  try {
    const prepared = await attack.setup?.(relay, stored);
    const w = await writer();
    seen.honestRoom = w.name;
    await post(relay.url, w.name, w.next());
    await sleep(500);
    const baseline = relay.rssMiB();
    const honest = honestWrites(relay.url, w, 200);
    const info = probeInfo(relay.url, 100);
    const running = await attack.run(relay, prepared);
    const peak = await peakRss(relay.pid, sleep(WINDOW_MS));
    await honest.stop();
    await info.stop();
    const stats = await relay.stats();
    seen.counters = stats.counters;
    const note = [(await running.note?.()) ?? '', `${stats.logged} log lines`].filter((n) => n !== '').join('; ');
    await running.stop();
    const ok = honest.statuses.filter((s) => s === 200).length;
    return {
      attack: attack.title,
      baseline,
      peak,
      honestP99: percentile(honest.latencies, 99),
      honestOk: `${ok}/${honest.statuses.length}`,
      infoP99: percentile(info.latencies, 99),
      infoMax: Math.max(...info.latencies),
      note,
    };
  } finally {
    await relay.close();
    await peer?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

await initSodium();
const only = process.env.ATTACK_ONLY?.split(',');
const results: Result[] = [];
const machine = describeMachine();
const startLoad = loadAverage();
console.log(`Attacks on one relay (${machine}, load ${startLoad}); ${WINDOW_MS / 1000} s each`);
for (const attack of attacks) {
  if (only && !only.includes(attack.key)) continue;
  const r = await measure(attack);
  results.push(r);
  const rssOk = r.peak < 300 || r.peak - r.baseline < 150;
  console.log(`\n${r.attack}`);
  console.log(`  relay RSS ${r.baseline.toFixed(0)} -> ${r.peak.toFixed(0)} MiB ${rssOk ? '(within target)' : '(OVER TARGET)'}`);
  console.log(`  honest writes receipted ${r.honestOk}, p99 ${r.honestP99.toFixed(0)} ms ${r.honestP99 < 500 ? '(within target)' : '(OVER TARGET)'}`);
  console.log(`  GET /v1/info p99 ${r.infoP99.toFixed(0)} ms, max ${r.infoMax.toFixed(0)} ms ${r.infoP99 < 100 ? '(within target)' : '(OVER TARGET)'}`);
  console.log(`  ${r.note}`);
}

if (!only) {
  const rows = results.map((r) => [r.attack, `${r.baseline.toFixed(0)} → ${r.peak.toFixed(0)}`, r.honestOk, r.honestP99.toFixed(0), r.infoP99.toFixed(0), r.infoMax.toFixed(0), r.note]);
  recordSection(
    'Attacks on a relay',
    [
      `\`node --import tsx test/bench/attack.ts\`, ${today()}, ${machine}, load average ${startLoad} at the start (other work on the machine inflates the latencies). Each attack runs ${WINDOW_MS / 1000} s against a fresh relay (its own process; in memory, or on SQLite for the attacks on stored rooms and for all at once) while an honest client writes a post every 200 ms over HTTP and GET /v1/info is asked every 100 ms. Targets: relay RSS under 300 MiB or the baseline + 150 MiB; honest write p99 under 500 ms; /v1/info p99 under 100 ms. The bounds and the tests that hold them: docs/THREAT_MODEL.md and test/attack/.`,
      '',
      table(['attack', 'relay RSS MiB (before → peak)', 'honest writes receipted', 'honest p99 ms', 'info p99 ms', 'info max ms', 'notes'], ['l', 'r', 'r', 'r', 'r', 'r', 'l'], rows),
    ].join('\n'),
  );
  console.log('\nrecorded in docs/BENCHMARKS.md');
}
finish();
