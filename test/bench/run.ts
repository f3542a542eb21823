// Runs every benchmark script in this folder, one after another (npm run bench), or only
// those named: `npm run bench -- fanout crypto`. Each runs in a child process of its own, in
// a process group of its own, under a time limit: one that overruns is stopped with every
// process it started and reported, and the rest still run. One that leaves processes behind
// is reported too. Exits 1 if any failed. A full run records its timings in docs/BENCHMARKS.md.
//   BENCH_LIMIT_S=<seconds> replaces every time limit.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LEAK_EXIT_CODE } from './lib/finish.ts';
import { describeMachine, endedChildrenCpu, loadAverage, machineCpu } from './lib/machine.ts';
import { recordSection, table, today } from './lib/report.ts';
import { fmt } from './lib/stats.ts';

/** Time limits, a few times what each takes on a shared 2-core machine. */
const LIMIT_S: Record<string, number> = {
  'catch-up': 600,
  'cli-startup': 300,
  saturation: 300,
  'cold-open': 600,
  cluster: 300,
  connections: 300,
  crypto: 300,
  fanout: 600,
  validator: 120,
  'slow-link': 900,
};
const DEFAULT_LIMIT_S = 600;
/** After SIGTERM to the group, how long before SIGKILL. */
const TERM_GRACE_MS = 5000;

const dir = fileURLToPath(new URL('.', import.meta.url));
const all = readdirSync(dir)
  .filter((name) => name.endsWith('.ts') && name !== 'run.ts' && !name.endsWith('.test.ts'))
  .map((name) => name.replace(/\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2).map((name) => name.replace(/\.ts$/, ''));
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`no benchmark named ${unknown.join(', ')}; there are: ${all.join(', ')}`);
  process.exit(2);
}
const names = wanted.length > 0 ? all.filter((name) => wanted.includes(name)) : all;
const limitOf = (name: string) => Number(process.env.BENCH_LIMIT_S) || LIMIT_S[name] || DEFAULT_LIMIT_S;

interface Outcome {
  name: string;
  ok: boolean;
  status: string;
  seconds: number;
  /** CPU seconds of the benchmark and every process it started. */
  cpu: number;
  /** Cores the whole machine kept busy meanwhile, on average. */
  busy: number;
  /** Of those, cores busy with other work than this benchmark. */
  others: number;
}

/** Processes still in a process group, as "pid command" lines. */
function groupMembers(pgid: number): string[] {
  const out: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid || fields[0] === 'Z') continue;
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      out.push(`${entry} ${cmd.slice(0, 120)}`);
    } catch {
      // The process ended while being read.
    }
  }
  return out;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Nobody left in the group.
  }
}

let running: ChildProcess | null = null;
// Ctrl-C reaches only this process's group: take the running benchmark's group down with it.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (running?.pid) signalGroup(running.pid, 'SIGKILL');
    process.exit(130);
  });
}

async function runOne(name: string): Promise<Outcome> {
  const limit = limitOf(name);
  const t0 = performance.now();
  const cpu0 = endedChildrenCpu();
  const machine0 = machineCpu();
  // A temp folder of its own, removed afterwards: one stopped midway cannot clean up itself.
  const tmp = mkdtempSync(join(tmpdir(), `baton-bench-${name}-`));
  // Open to every user, as /tmp is: PostgreSQL runs as its own user under a root benchmark.
  chmodSync(tmp, 0o1777);
  // detached: the benchmark leads a process group of its own, which holds everything it starts.
  const child = spawn(process.execPath, ['--import', 'tsx', `${name}.ts`], { cwd: dir, stdio: 'inherit', detached: true, env: { ...process.env, TMPDIR: tmp } });
  running = child;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    console.error(`\n${name}: TIMED OUT after ${limit} s: stopping it and every process it started`);
    signalGroup(child.pid!, 'SIGTERM');
    setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), TERM_GRACE_MS).unref();
  }, limit * 1000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
  clearTimeout(timer);
  running = null;
  const seconds = (performance.now() - t0) / 1000;
  // Its own child processes should have ended with it; give a closing one a moment.
  let left = groupMembers(child.pid!);
  for (let i = 0; i < 20 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    left = groupMembers(child.pid!);
  }
  if (left.length > 0) {
    console.error(`${name}: left ${left.length} process(es) running, now killed:\n  ${left.join('\n  ')}`);
    signalGroup(child.pid!, 'SIGKILL');
  }
  try {
    rmSync(tmp, { recursive: true, force: true, maxRetries: 5 });
  } catch (err) {
    console.error(`${name}: could not remove its temp folder ${tmp}: ${(err as Error).message}`);
  }
  const cpu = endedChildrenCpu() - cpu0;
  const busy = (machineCpu().busy - machine0.busy) / seconds;
  let status: string;
  if (timedOut) status = `timed out after ${limit} s`;
  else if (code === LEAK_EXIT_CODE) status = 'figures written, but it left handles open';
  else if (code !== 0) status = `failed (${code ?? signal})`;
  else if (left.length > 0) status = 'left processes running';
  else status = 'ok';
  return { name, ok: status === 'ok', status, seconds, cpu, busy, others: Math.max(0, busy - cpu / seconds) };
}

const started = performance.now();
const load = loadAverage();
const outcomes: Outcome[] = [];
for (const name of names) {
  console.log(`\n== ${name} (time limit ${limitOf(name)} s)`);
  const outcome = await runOne(name);
  outcomes.push(outcome);
  console.log(`(${name}: ${outcome.status}, ${fmt(outcome.seconds)} s; other work kept ${fmt(outcome.others, 2)} cores busy meanwhile)`);
}
const total = (performance.now() - started) / 1000;
const failed = outcomes.filter((o) => !o.ok);

console.log(`\nbenchmarks done in ${fmt(total)} s (${fmt(total / 60, 1)} min)${failed.length > 0 ? `, ${failed.length} failed` : ''}:`);
for (const o of outcomes) console.log(`  ${o.name.padEnd(12)} ${fmt(o.seconds).padStart(5)} s  ${o.status}`);

if (wanted.length === 0) {
  const busy = outcomes.reduce((n, o) => n + o.busy * o.seconds, 0) / outcomes.reduce((n, o) => n + o.seconds, 0);
  const cpu = outcomes.reduce((n, o) => n + o.cpu, 0);
  recordSection(
    'Running the benchmarks',
    [
      `\`npm run bench\`, ${today()}, on ${describeMachine()}: ${outcomes.length} benchmarks in ${fmt(total / 60, 1)} minutes, unattended${failed.length > 0 ? `, ${failed.length} of them failed` : ''}. The machine is shared: the one-minute load average was ${load} at the start and ${loadAverage()} at the end, and the whole machine kept ${fmt(busy, 2)} of its 2 cores busy on average, ${fmt(Math.max(0, busy - cpu / total), 2)} of them with work other than the benchmarks. Each benchmark runs in a process of its own under a time limit; one that overruns is stopped with every process it started, and the rest still run.`,
      '',
      table(
        ['benchmark', 'wall time', 'its CPU time', 'cores busy with other work', 'time limit', 'outcome'],
        ['l', 'r', 'r', 'r', 'r', 'l'],
        outcomes.map((o) => [o.name, `${fmt(o.seconds)} s`, `${fmt(o.cpu)} s`, fmt(o.others, 2), `${limitOf(o.name)} s`, o.status]),
      ),
    ].join('\n'),
    { first: true },
  );
}
process.exit(failed.length > 0 ? 1 : 0);
