// The machine a benchmark ran on, as one line for the report.
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export function describeMachine(): string {
  const cpu = cpus();
  const gib = (totalmem() / 2 ** 30).toFixed(0);
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${gib} GiB memory, Node ${process.version}`;
}

/** One-minute load average: other work on a shared machine skews the figures. */
export function loadAverage(): string {
  return (loadavg()[0] ?? 0).toFixed(2);
}

/** CPU time of the whole machine so far, in seconds: busy and total (all cores). */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0); // idle + iowait
  return { busy: (total - idle) / 100, total: total / 100 };
}

/**
 * Waits (at most maxMs) until the machine has been mostly idle for a second: other work on a
 * shared machine makes latency figures meaningless. Returns the busy cores seen last.
 */
export async function waitForQuiet(maxMs: number, maxBusyCores = 0.5): Promise<number> {
  const until = Date.now() + maxMs;
  for (;;) {
    const a = machineCpu();
    await new Promise((r) => setTimeout(r, 1000));
    const b = machineCpu();
    const busy = b.busy - a.busy;
    if (busy <= maxBusyCores || Date.now() >= until) return busy;
  }
}

/**
 * CPU seconds (user + system) of this process's children that have ended and been waited for,
 * theirs included: the difference across one child's run is what that child used.
 */
export function endedChildrenCpu(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // cutime and cstime are fields 16 and 17 of proc(5) (1-based); these start at field 3.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}
