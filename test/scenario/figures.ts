// Each scenario reports its time to recover and blobs lost: one line on stdout always, and a
// row of docs/BENCHMARKS.md's "Censorship scenarios" table when BATON_RECORD_SCENARIOS=1
// (npm run bench:scenarios), so an ordinary test run leaves the docs alone.
import { cpus } from 'node:os';
import { mkdirSync, readFileSync, renameSync, rmdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ScenarioFigure {
  /** "1", "3a"...: the table is sorted by it. */
  id: string;
  name: string;
  /** What happens, and from when the time to recover is counted. */
  event: string;
  recoverMs: number;
  lost: number;
}

const BENCHMARKS = fileURLToPath(new URL('../../docs/BENCHMARKS.md', import.meta.url));
const HEADING = '## Censorship scenarios';

export function reportScenario(f: ScenarioFigure): void {
  console.log(`scenario ${f.id} (${f.name}): recovered in ${Math.round(f.recoverMs)} ms, blobs lost ${f.lost}`);
  if (process.env.BATON_RECORD_SCENARIOS === '1') withLock(() => recordRow(f));
}

function recordRow(f: ScenarioFigure): void {
  const text = readFileSync(BENCHMARKS, 'utf8');
  const start = text.indexOf(`\n${HEADING}\n`);
  const end = start < 0 ? -1 : text.indexOf('\n## ', start + HEADING.length + 2);
  const section = start < 0 ? '' : text.slice(start, end < 0 ? text.length : end);
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const m = /^\| (\w+) \| /.exec(line);
    if (m && m[1] !== 'Scenario') rows.set(m[1]!, line);
  }
  const cell = (s: string) => s.replace(/\|/g, '/').replace(/\n/g, ' ');
  rows.set(f.id, `| ${f.id} | ${cell(f.name)} | ${cell(f.event)} | ${Math.round(f.recoverMs)} | ${f.lost} |`);
  const sorted = [...rows.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([, row]) => row);
  const next = [
    '',
    HEADING,
    '',
    '`npm run bench:scenarios` runs test/scenario/ (real relays, censor proxies, clients, the CLI',
    `and nginx, all on 127.0.0.1) and rewrites this table; measured on ${cpus()[0]?.model.trim() ?? 'an unknown CPU'}, ${cpus().length} cores,`,
    `Node ${process.version}. Time to recover runs from the moment the censor acts (or the relay dies, or`,
    'the lie starts) until the affected party holds every blob written by others and theirs has',
    'reached the others. Blobs lost counts blobs written anywhere that a client or relay which',
    'should hold them lacks at the end. Clients use their default reconnect and polling settings.',
    '',
    '| Scenario | Name | Event, and the start of the clock | Time to recover (ms) | Blobs lost |',
    '| --- | --- | --- | ---: | ---: |',
    ...sorted,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)}.`,
    '',
  ].join('\n');
  const out = start < 0 ? `${text.trimEnd()}\n${next}` : `${text.slice(0, start)}${next}${end < 0 ? '' : text.slice(end)}`;
  const tmp = `${BENCHMARKS}.tmp-${process.pid}`;
  writeFileSync(tmp, out);
  renameSync(tmp, BENCHMARKS);
}

/** Scenario files run in parallel processes: one writer at a time. */
function withLock(fn: () => void): void {
  const lock = `${BENCHMARKS}.lock`;
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${lock} is held; remove it if no test is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    fn();
  } finally {
    rmdirSync(lock);
  }
}
