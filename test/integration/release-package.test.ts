// The operator's path: `npm pack` (its prepack builds the relay, the CLI and the web client)
// gives a tarball that `npm install --omit=dev` installs into an empty folder, after which
// `npx baton relay` serves the web client. Slow (npm compiles better-sqlite3 when it cannot
// download a prebuilt binary), so everything happens once, in beforeAll.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ROOT } from '../support/baton-bin.ts';
import { freePort } from '../support/ports.ts';
import { holdsWithin } from '../support/wait.ts';

/** What a release must not contain or install: build and test tools, cluster clients, sources. */
const DEV_ONLY = ['vite', 'esbuild', 'tsx', 'typescript', 'playwright-core', 'vitest', 'lit', 'pg', 'ioredis'];
/** Left out of the copy the package is built in: outputs, local data, and the installed modules (linked instead). */
const NOT_COPIED = new Set(['node_modules', '.git', 'build', 'client/dist', 'dist-single', 'test-artifacts', 'data', '.baton', '.build-lock']);

let work: string;
let install: string;
let relay: ChildProcess | null = null;
let relayOutput = '';
let url: string;

/**
 * npm and the relay run on the Node that runs this test. Where npm cannot download
 * better-sqlite3's prebuilt binary it compiles one, against this Node's headers when they
 * sit beside it (as in Node's own distribution).
 */
function npmEnv(): NodeJS.ProcessEnv {
  const bin = dirname(process.execPath);
  const nodedir = join(bin, '..');
  return {
    ...process.env,
    PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
    ...(existsSync(join(nodedir, 'include/node/node_version.h')) ? { npm_config_nodedir: nodedir } : {}),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
}

/** Runs a command to its end (bounded), failing with its output when it fails. */
function run(command: string, args: string[], cwd: string, timeoutMs: number): string {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: npmEnv() });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'baton-release-'));
  // Packed from a copy, so the build that prepack runs leaves this checkout's build/ and
  // client/dist alone while other tests use them.
  const source = join(work, 'source');
  cpSync(ROOT, source, { recursive: true, filter: (path) => !NOT_COPIED.has(relative(ROOT, path)) && !path.endsWith('.tgz') });
  symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'));
  run('npm', ['pack', '--pack-destination', work], source, 180_000);
  const tarball = readdirSync(work).find((name) => /^baton-.*\.tgz$/.test(name));
  assert.ok(tarball, 'npm pack made no baton-<version>.tgz');

  install = join(work, 'install');
  mkdirSync(install);
  run('npm', ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', join(work, tarball)], install, 480_000);

  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  // Detached: npx does not pass SIGTERM on, so the whole group is stopped in afterAll.
  relay = spawn('npx', ['--no', '--', 'baton', 'relay', '--port', String(port), '--host', '127.0.0.1', '--data', join(install, 'data')], {
    cwd: install,
    env: npmEnv(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  relay.stdout!.on('data', (d) => (relayOutput += d));
  relay.stderr!.on('data', (d) => (relayOutput += d));
  const listening = () => /listening on http/.test(relayOutput);
  if (!(await holdsWithin(() => listening() || relay!.exitCode !== null, { timeoutMs: 30_000, intervalMs: 100 })) || !listening()) {
    throw new Error(`npx baton relay did not start: ${relayOutput}`);
  }
}, 720_000);

afterAll(async () => {
  if (relay && relay.exitCode === null && relay.pid !== undefined) {
    const exited = new Promise((r) => relay!.once('exit', r));
    process.kill(-relay.pid, 'SIGTERM');
    await exited;
  }
  if (work) rmSync(work, { recursive: true, force: true });
}, 30_000);

describe('a release installed with --omit=dev', () => {
  it('serves the web client at / with its hashed, precompressed assets', async () => {
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    const html = await page.text();
    assert.match(html, /<baton-app>/);
    const script = /src="\.\/(assets\/index-[A-Za-z0-9_-]{8}\.js)"/.exec(html);
    assert.ok(script, `no hashed script in the page: ${html}`);
    const asset = await fetch(`${url}/${script[1]}`, { headers: { 'Accept-Encoding': 'br' } });
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(asset.headers.get('content-encoding'), 'br');
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.ok((await asset.arrayBuffer()).byteLength > 1000);
  });

  it('installs the package without build tools, test tools, cluster clients or sources', () => {
    const modules = join(install, 'node_modules');
    for (const name of DEV_ONLY) assert.equal(existsSync(join(modules, name)), false, `${name} was installed`);
    const pkg = join(modules, 'baton');
    for (const dir of ['bin', 'build', 'client/dist']) assert.ok(existsSync(join(pkg, dir)), `${dir} is missing from the package`);
    for (const dir of ['server', 'shared', 'client/core', 'client/web', 'test', 'scripts']) assert.equal(existsSync(join(pkg, dir)), false, `${dir} was packed`);
  });

  it('the CLI answers, and --postgres without pg says what to install', () => {
    assert.match(run('npx', ['--no', '--', 'baton', '--help'], install, 30_000), /usage: baton <command>/);
    const r = spawnSync('npx', ['--no', '--', 'baton', 'relay', '--port', '0', '--postgres', 'postgres://127.0.0.1:1/baton'], { cwd: install, encoding: 'utf8', timeout: 30_000, env: npmEnv() });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /--postgres needs the pg package, which is not installed: run `npm install pg`/);
  });
});
