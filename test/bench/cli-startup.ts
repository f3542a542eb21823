// The command line as a person meets it: `baton --help`, and a post from a warm device to a
// relay on loopback until a relay's receipt covers it, each a new `node bin/baton.js ...`
// process, timed from spawn until the process has exited and its output is read. Whatever
// bin/baton.js does to load the CLI (sources transpiled on the fly, or compiled JavaScript) is
// what is measured. The floor is `node -e 0`, timed the same way beside each run.
//   node --import tsx test/bench/cli-startup.ts        (npm run bench -- cli-startup)
// CLI_BASELINE=<git revision> also times that revision's CLI (its tracked files, this
// checkout's node_modules) in the same rounds, for a before/after ratio; CLI_BASELINE=<dir>
// times the CLI of another checkout as it stands (built or not, its own node_modules).
// Prints the figures and records them in docs/BENCHMARKS.md.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { writeChart, type Bar } from './lib/chart.ts';
import { finish } from './lib/finish.ts';
import { describeMachine, endedChildrenCpu, loadAverage, machineCpu } from './lib/machine.ts';
import { recordSection, table, today } from './lib/report.ts';
import { fmt, ratio } from './lib/stats.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.CLI_RUNS ?? 15);
const HELP_TARGET_MS = 150;
const POST_TARGET_MS = 400;

interface Ran {
  ms: number;
  /** CPU time (user + system) of the process, to 10 ms: less swayed by other work than wall time. */
  cpuMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <args>` in `cwd` and times it from spawn until it exited and its output closed. */
function run(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const cpu0 = endedChildrenCpu();
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    // 'close' comes after the exit was waited for, so its CPU time is counted by then.
    child.once('close', (code) => resolve({ ms: performance.now() - t0, cpuMs: (endedChildrenCpu() - cpu0) * 1000, code, stdout, stderr }));
  });
}

/** A CLI to time: this checkout's, an older revision's or another checkout's. */
interface Cli {
  label: string;
  dir: string;
  bin: string;
}

/** Runs a CLI command that must succeed (exit 0: for a write, a relay confirmed it). */
async function baton(cli: Cli, home: string, args: string[]): Promise<Ran> {
  const r = await run(cli.dir, [cli.bin, ...args], { BATON_HOME: home });
  if (r.code !== 0) throw new Error(`${cli.label}: baton ${args[0]} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r;
}

interface Relay {
  url: string;
  stop(): Promise<void>;
}

/** A relay the way an operator starts one: `baton relay`, on a free loopback port. */
async function startRelay(cli: Cli, dataDir: string): Promise<Relay> {
  const child = spawn(process.execPath, [cli.bin, 'relay', '--port', '0', '--host', '127.0.0.1', '--data', dataDir], { cwd: cli.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (d) => (output += d));
  const lines = createInterface({ input: child.stdout });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    lines.on('line', (line) => {
      output += `${line}\n`;
      const m = /bound to [^ ]+:(\d+)/.exec(line);
      if (m) resolve(Number(m[1]));
    });
    void exited.then(() => reject(new Error(`the relay exited: ${output.trim()}`)));
    setTimeout(() => reject(new Error(`the relay did not say it was listening within 30 s: ${output.trim()}`)), 30_000).unref();
  }).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      // SIGTERM: it finishes pending writes and exits.
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      lines.close();
    },
  };
}

/** The tracked files of an older revision beside this checkout, sharing its node_modules. */
function checkoutRevision(rev: string, work: string): Cli {
  const dir = join(work, 'baseline');
  mkdirSync(dir);
  const archive = spawnSync('bash', ['-c', 'git archive --format=tar "$0" | tar -x -C "$1"', rev, dir], { cwd: ROOT, encoding: 'utf8' });
  if (archive.status !== 0) throw new Error(`cannot check out ${rev}: ${archive.stderr.trim()}`);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const short = spawnSync('git', ['rev-parse', '--short', rev], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  return { label: `${rev} (${short})`, dir, bin: 'bin/baton.js' };
}

/** A warm device of `cli`: identity, board and thread on disk, one post already delivered. */
async function warmDevice(cli: Cli, home: string, relay: Relay): Promise<{ boardWrite: string; threadId: string; threadWrite: string }> {
  const board = JSON.parse((await baton(cli, home, ['board', 'create', '--relay', relay.url, '--title', 'Bench board', '--name', 'bench'])).stdout) as { write: string };
  const thread = JSON.parse((await baton(cli, home, ['thread', 'create', board.write, '--title', 'Bench thread', '--body', 'first'])).stdout) as { id: string; write: string };
  await baton(cli, home, ['post', board.write, '--thread', thread.id, '--body', 'warm-up']);
  await baton(cli, home, ['post', thread.write, '--body', 'warm-up']);
  return { boardWrite: board.write, threadId: thread.id, threadWrite: thread.write };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Wall and CPU times of one command over the rounds. */
interface Series {
  wall: number[];
  cpu: number[];
  add(r: Ran): void;
}

function series(): Series {
  const x: Series = { wall: [], cpu: [], add: (r) => void (x.wall.push(r.ms), x.cpu.push(r.cpuMs)) };
  return x;
}

const current: Cli = { label: 'this checkout', dir: ROOT, bin: 'bin/baton.js' };
const work = mkdtempSync(join(tmpdir(), 'baton-bench-cli-'));
const relays: Relay[] = [];
try {
  const clis = [current];
  const baseline = process.env.CLI_BASELINE;
  // Another checkout is named by a path of this machine: an experiment, not recorded.
  const otherCheckout = baseline !== undefined && existsSync(join(baseline, 'bin', 'baton.js'));
  if (otherCheckout) clis.push({ label: baseline, dir: baseline, bin: 'bin/baton.js' });
  else if (baseline) clis.push(checkoutRevision(baseline, work));
  // One relay and one warm device per CLI: each reads only what it wrote itself.
  const devices = [];
  for (const cli of clis) {
    try {
      const help = await run(cli.dir, [cli.bin, '--help']);
      if (help.code !== 0 || !help.stdout.startsWith('usage: baton')) throw new Error(`baton --help did not print the usage (exit ${help.code}): ${help.stderr.trim()}`);
      const relay = await startRelay(cli, join(work, `relay-${devices.length}`));
      relays.push(relay);
      const home = join(work, `device-${devices.length}`);
      devices.push({ cli, home, ...(await warmDevice(cli, home, relay)) });
    } catch (err) {
      // An older revision may need a build step this checkout cannot guess: go on without it.
      if (cli === current) throw err;
      console.error(`the CLI of ${cli.label} does not run here, so no baseline: ${(err as Error).message}`);
    }
  }

  const load = loadAverage();
  const machine0 = machineCpu();
  const t0 = performance.now();
  const floor = series();
  const times = devices.map(() => ({ help: series(), boardPost: series(), threadPost: series() }));
  // Each round times the floor and every command once, interleaved, so that a busy moment on
  // the shared machine weighs on all of them alike.
  for (let i = 0; i < RUNS; i++) {
    floor.add(await run(ROOT, ['-e', '0']));
    // With a baseline CLI, the two take turns going first.
    const order = i % 2 === 0 ? [...devices.keys()] : [...devices.keys()].reverse();
    for (const d of order) {
      const device = devices[d]!;
      const t = times[d]!;
      t.help.add(await baton(device.cli, device.home, ['--help']));
      t.boardPost.add(await baton(device.cli, device.home, ['post', device.boardWrite, '--thread', device.threadId, '--body', `post ${i} from the board capability`]));
      t.threadPost.add(await baton(device.cli, device.home, ['post', device.threadWrite, '--body', `post ${i} from the thread capability`]));
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const machine1 = machineCpu();
  // What the whole machine kept busy meanwhile, this benchmark's processes included.
  const busyCores = (machine1.busy - machine0.busy) / seconds;

  const node0 = median(floor.wall);
  const ok = (b: boolean) => (b ? 'met' : 'MISSED');
  const row = (name: string, x: Series, target: number | null) => {
    const wall = median(x.wall);
    return [name, `${fmt(wall, 1)} ms`, ratio(wall, node0), `${fmt(median(x.cpu))} ms`, target === null ? '-' : `${target} ms`, target === null ? '' : ok(wall < target)];
  };
  const rows: (string | number)[][] = [row('`node -e 0` (the floor: starting Node)', floor, null)];
  const bars: Bar[] = [{ label: 'node -e 0 (starting Node)', value: node0, kind: 'baseline' }];
  const lines: string[] = [`node -e 0: ${fmt(node0, 1)} ms`];
  for (const [d, device] of devices.entries()) {
    const t = times[d]!;
    const help = median(t.help.wall);
    const boardPost = median(t.boardPost.wall);
    const threadPost = median(t.threadPost.wall);
    const suffix = devices.length > 1 ? ` (${device.cli.label})` : '';
    const kind = d === 0 ? 'baton' : 'baseline';
    rows.push(
      row(`\`baton --help\`${suffix}`, t.help, HELP_TARGET_MS),
      row(`\`baton post <board write cap> --thread ID --body B\`, receipted${suffix}`, t.boardPost, POST_TARGET_MS),
      row(`\`baton post <thread write cap> --body B\`, receipted${suffix}`, t.threadPost, POST_TARGET_MS),
    );
    bars.push(
      { label: `baton --help${suffix}`, value: help, kind },
      { label: `post, board capability${suffix}`, value: boardPost, kind },
      { label: `post, thread capability${suffix}`, value: threadPost, kind },
    );
    lines.push(
      `baton --help${suffix}: ${fmt(help, 1)} ms (${ratio(help, node0)} node -e 0; target ${HELP_TARGET_MS} ms: ${ok(help < HELP_TARGET_MS)}), CPU ${fmt(median(t.help.cpu))} ms`,
      `post from a warm device, board capability${suffix}: ${fmt(boardPost, 1)} ms (target ${POST_TARGET_MS} ms: ${ok(boardPost < POST_TARGET_MS)}), CPU ${fmt(median(t.boardPost.cpu))} ms; thread capability: ${fmt(threadPost, 1)} ms (${ok(threadPost < POST_TARGET_MS)}), CPU ${fmt(median(t.threadPost.cpu))} ms`,
    );
  }
  if (devices.length > 1) {
    const [a, b] = times;
    const r = (x: Series, y: Series) => ratio(median(x.wall), median(y.wall));
    lines.push(`this checkout over ${devices[1]!.cli.label}: --help ${r(a!.help, b!.help)}, post (board capability) ${r(a!.boardPost, b!.boardPost)}, post (thread capability) ${r(a!.threadPost, b!.threadPost)}`);
  }
  for (const line of lines) console.log(line);
  console.log(`the machine kept ${fmt(busyCores, 2)} of its cores busy during the ${fmt(seconds)} s of rounds (this benchmark included)`);

  if (otherCheckout) {
    console.log('another checkout as the baseline: an experiment, nothing recorded');
  } else {
    const chart = writeChart('cli-startup', {
      title: `The CLI, a new process per command: median of ${RUNS} runs`,
      unit: 'ms',
      bars,
      marker: { value: POST_TARGET_MS, label: 'post target' },
    });
    const runList = (x: Series) => x.wall.map((ms) => fmt(ms)).join(', ');
    recordSection(
      'CLI start-up',
      [
        `\`node --import tsx test/bench/cli-startup.ts\`, ${today()}, on ${describeMachine()} (load average ${load} at the start; the whole machine kept ${fmt(busyCores, 2)} cores busy on average during the rounds, this benchmark's own processes included).`,
        '',
        `Each command is a new process started the way a person runs the CLI, \`node bin/baton.js ...\` (whatever bin/baton.js loads: sources transpiled at start or compiled JavaScript), timed from spawn until it has exited and its output is read. The post is made from a warm device: its identity, the board and the thread are already on disk (\`BATON_HOME\` in a temp dir; one post made before the timing), and the relay (\`baton relay --port 0 --host 127.0.0.1\`, SQLite) is already running on loopback. A post exits 0 only once a relay's receipt covers it. The post by board capability (as in the README: \`post <board write cap> --thread ID\`) opens the board, syncs it with the relay and finds the thread in it; the one by thread capability opens the thread directly. The floor is \`node -e 0\`: starting Node and nothing else. ${RUNS} rounds, each timing the floor and every command once (interleaved, so a busy moment weighs on all alike); the figures are medians, the ratio is over the floor's median. Wall time is what a person waits; the command's CPU time (user and system, of its process and any it started and waited for, to 10 ms) is less swayed by other work on the machine, which stretches wall time.${devices.length > 1 ? ` The CLI of ${devices[1]!.cli.label}${devices[1]!.cli.dir.startsWith(work) ? " (its tracked files beside this checkout, this checkout's node_modules)" : ''} ran in the same rounds, on its own relay and device, the two taking turns to go first.` : ''}`,
        '',
        table(['command', 'median', 'over `node -e 0`', 'its CPU time', 'target', ''], ['l', 'r', 'r', 'r', 'r', 'l'], rows),
        '',
        ...(devices.length > 1 ? [lines.at(-1)!, ''] : []),
        `![The CLI, a new process per command](${chart})`,
        '',
        `Every run (ms): \`node -e 0\` ${runList(floor)}; ${devices.map((d, i) => `${devices.length > 1 ? `${d.cli.label}: ` : ''}--help ${runList(times[i]!.help)}; post by board capability ${runList(times[i]!.boardPost)}; post by thread capability ${runList(times[i]!.threadPost)}`).join('; ')}.`,
      ].join('\n'),
    );
    console.log('recorded in docs/BENCHMARKS.md');
  }
} finally {
  await Promise.all(relays.map((r) => r.stop()));
  rmSync(work, { recursive: true, force: true });
}
finish();
