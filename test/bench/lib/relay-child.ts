// A Baton relay in its own process for the benchmarks, on SQLite in a temp dir (the default
// storage). Prints {"port"} once listening; answers "stats", "gc" and "close" on stdin.
//   node --expose-gc --import tsx test/bench/lib/relay-child.ts '<RelayOptions JSON>'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { startRelay, type RelayOptions } from '#server/index.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as RelayOptions;
const dataDir = mkdtempSync(join(tmpdir(), 'baton-bench-relay-'));
let logged = 0;
const relay = await startRelay({
  ...options,
  port: 0,
  host: '127.0.0.1',
  dataDir,
  log: (line) => {
    // Refusals would mean the workload is wrong; the parent counts and shows them.
    if (logged++ < 20) process.stderr.write(`relay: ${line}\n`);
  },
});
process.stdout.write(`${JSON.stringify({ port: relay.port })}\n`);

// How long the relay's event loop was held up: a stall delays every message behind it. Only
// when asked (FANOUT_LOOP_DELAY=1): its 5 ms timer alone costs 0.7 % of a core, a tenth of the
// relay's own CPU at the fan-out bench's 2 updates a second, which the stock server, run by
// its own bin, does not pay.
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
if (process.env.FANOUT_LOOP_DELAY) loopDelay.enable();

function vmRssKiB(): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) : Number.NaN;
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const reply = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`);
  switch (line.trim()) {
    case 'stats':
      const m = process.memoryUsage();
      reply({
        rssKiB: vmRssKiB(),
        heapUsed: m.heapUsed,
        heapTotal: m.heapTotal,
        external: m.external,
        rooms: relay.registry.loadedCount,
        logged,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        loopDelayMaxMs: loopDelay.max / 1e6,
      });
      loopDelay.reset();
      return;
    case 'gc': {
      // Two full collections a little apart: V8 gives heap pages back to the system lazily.
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      setTimeout(() => {
        gc?.();
        reply({ gc: true });
      }, 1000);
      return;
    }
    case 'close':
      void relay.close().finally(() => {
        rmSync(dataDir, { recursive: true, force: true });
        reply({ closed: true });
        process.exit(0);
      });
  }
});
// The parent went away: do not linger.
lines.on('close', () => {
  void relay.close().finally(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});
