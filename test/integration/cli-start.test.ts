// `baton --help` starts fast because the compiled CLI loads a command's code only when it
// runs: what cli.js imports statically holds no crypto, Yjs, sockets or relay.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { BATON_BIN, ROOT, ensureBuilt } from '../support/baton-bin.ts';
import { baton } from './cli-harness.ts';

/** The files a module loads before it runs: its static imports of build/ files, transitively. */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(join(ROOT, 'build', file), 'utf8');
  // `import {…} from "./x.js"` and `import "./x.js"`; `import("./x.js")` is loaded later.
  for (const m of text.matchAll(/^import\s+(?:[^;'"]*?\s+from\s+)?["']\.\/([^"']+)["']/gm)) staticClosure(m[1]!, seen);
  return seen;
}

it('--help loads a few kilobytes: no libsodium, Yjs, ws, SQLite or relay code', async () => {
  ensureBuilt();
  const files = [...staticClosure('cli.js')];
  const text = files.map((f) => readFileSync(join(ROOT, 'build', f), 'utf8')).join('\n');
  // esbuild marks each bundled file with its path; packages are bundled into the CLI.
  for (const heavy of ['node_modules/libsodium', 'node_modules/yjs', 'node_modules/ws', 'node_modules/y-websocket', 'better-sqlite3', 'server/']) {
    assert.equal(text.includes(heavy), false, `${heavy} is loaded by cli.js before any command runs (${files.join(', ')})`);
  }
  // The markers are there to find: the commands' chunks do carry Yjs and libsodium.
  const all = readdirSync(join(ROOT, 'build')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(ROOT, 'build', f), 'utf8')).join('\n');
  for (const marker of ['node_modules/yjs', 'node_modules/libsodium']) assert.ok(all.includes(marker), `no build file mentions ${marker}`);
  assert.ok(text.length < 32 * 1024, `cli.js loads ${text.length} bytes before any command runs`);
  const help = await baton(['--help']);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^usage: baton <command>/);
});

it('without a build, bin/baton.js says how to build in one line and exits 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-unbuilt-'));
  try {
    mkdirSync(join(dir, 'bin'));
    copyFileSync(BATON_BIN, join(dir, 'bin/baton.js'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    for (const args of [['--help'], ['relay', '--help']]) {
      const r = spawnSync(process.execPath, [join(dir, 'bin/baton.js'), ...args], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^baton: not built \(.*build\/(cli|relay)\.js is missing\): run `npm run build` in .*\n$/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
