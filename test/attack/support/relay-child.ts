// A relay in its own process for the attack tests and the attack benchmark, so that its
// memory (VmRSS) is its own. Prints {"port","pid"} once listening; answers "stats" with its
// counters and the number of log lines, "loop" with the longest event-loop block since the
// last "loop" (with `loopProbe`: a 5 ms timer's longest lateness), and "close" by exiting.
// Memory or SQLite per options; `ledgerSampleMs` samples the memory ledger's peak. With `liveSampleMs` (the child then runs with --expose-gc) it
// samples its live memory, and "live-reset" starts the peak again from now.
//   node --import tsx test/attack/support/relay-child.ts '<RelayOptions JSON>'
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startRelay, type RelayOptions } from '#server/index.ts';

const { loopProbe, ledgerSampleMs, ...options } = JSON.parse(process.argv[2] ?? '{}') as RelayOptions & { sqlite?: boolean; liveSampleMs?: number; loopProbe?: boolean; ledgerSampleMs?: number };
let longestBlock = 0;
if (loopProbe) {
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    longestBlock = Math.max(longestBlock, now - last - 5);
    last = now;
  }, 5).unref();
}
// A data directory given is the test's (filled before the relay starts); one made here is removed.
const madeDir = options.sqlite && !options.dataDir ? mkdtempSync(join(tmpdir(), 'baton-attack-relay-')) : undefined;
const dataDir = options.dataDir ?? madeDir;
let logged = 0;
const relay = await startRelay({ ...options, port: options.port ?? 0, host: '127.0.0.1', dataDir, log: () => void logged++ });
process.stdout.write(`${JSON.stringify({ port: relay.port, pid: process.pid })}\n`);

const stop = () =>
  void relay.close().finally(() => {
    if (madeDir) rmSync(madeDir, { recursive: true, force: true });
    process.exit(0);
  });
// Live memory (heap and array buffers after a full collection), sampled while an attack runs:
// what the relay holds, where RSS also counts garbage not yet collected.
const gc = (globalThis as { gc?: () => void }).gc;
const live = () => {
  gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
let liveBase = 0;
let livePeak = 0;
if (options.liveSampleMs && gc) setInterval(() => (livePeak = Math.max(livePeak, live())), options.liveSampleMs).unref();

// With `ledgerSampleMs`: the relay-wide memory ledger's highest sum since the last "stats"
// (server/memory-ledger.ts). Only when asked: a timer this frequent changes how the loop interleaves.
let ledgerPeak = 0;
if (ledgerSampleMs) setInterval(() => (ledgerPeak = Math.max(ledgerPeak, relay.registry.memory.used)), ledgerSampleMs).unref();

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() === 'stats') {
    const ledger = { used: relay.registry.memory.used, peak: ledgerPeak, limit: relay.registry.memory.limit };
    ledgerPeak = ledger.used;
    process.stdout.write(`${JSON.stringify({ logged, counters: relay.counters.snapshot(), rooms: relay.registry.loadedCount, live: { base: liveBase, peak: livePeak }, ledger })}\n`);
  }
  if (line.trim() === 'live-reset') {
    liveBase = livePeak = gc ? live() : 0;
    process.stdout.write(`${JSON.stringify({ base: liveBase })}\n`);
  }
  if (line.trim() === 'loop') {
    process.stdout.write(`${JSON.stringify({ longestBlockMs: longestBlock })}\n`);
    longestBlock = 0;
  }
  if (line.trim() === 'close') stop();
});
lines.on('close', stop);
