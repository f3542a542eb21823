// The relay in its operator's language, as compiled and run by `baton relay`: its log lines,
// usage errors and `baton mirror status` text follow --lang or the POSIX locale, while what
// programs read (/v1/info, /v1/metrics, `baton mirror status --json`) is the same bytes in
// every language, and no log line names a client's address.
import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { ROOT, spawnBaton } from '../support/baton-bin.ts';
import { waitUntil } from '../support/wait.ts';
import { baton } from './cli-harness.ts';

const catalog = (locale: string): Record<string, string> => JSON.parse(readFileSync(join(ROOT, 'client/l10n/cli', `${locale}.json`), 'utf8'));
/** A message of a catalog with its values put in. */
const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? `{${name}}`);
/** The environment of an operator whose system speaks `lang`. */
const speaking = (lang: string) => ({ ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: lang });
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /;

interface RunningRelay {
  child: ChildProcess;
  url: string;
  port: string;
  output: () => string;
}

/** `baton relay` in memory on a free loopback port, once its first line names its address. */
async function relayIn(env: NodeJS.ProcessEnv, extra: string[] = []): Promise<RunningRelay> {
  const child = spawnBaton(['relay', '--port', '0', '--host', '127.0.0.1', '--memory', ...extra], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d));
  child.stderr!.on('data', (d: Buffer) => (output += d));
  // The address is the same in every language; the words around it are not.
  await waitUntil(() => /http:\/\/127\.0\.0\.1:\d+/.test(output) || child.exitCode !== null, { timeoutMs: 20_000, what: 'the relay to start' });
  const url = /http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
  if (!url) throw new Error(`the relay did not start: ${output}`);
  return { child, url: url[0], port: url[1]!, output: () => output };
}

async function stop(relay: RunningRelay | undefined): Promise<void> {
  if (!relay || relay.child.exitCode !== null) return;
  const exited = once(relay.child, 'exit');
  relay.child.kill('SIGTERM');
  await exited;
}

const fa = catalog('fa');
let persian: RunningRelay;
let english: RunningRelay;

beforeAll(async () => {
  [persian, english] = await Promise.all([relayIn(speaking('fa_IR.UTF-8')), relayIn({ ...process.env, LC_ALL: 'C' })]);
}, 60_000);

afterAll(async () => {
  await Promise.all([stop(persian), stop(english)]);
});

test('a relay started on a Persian system logs in Persian, from its first line to its last', async () => {
  const first = persian.output().split('\n')[0]!;
  assert.match(first, TIMESTAMP);
  const where = fa['relay.whereMemory']!;
  assert.equal(first.replace(TIMESTAMP, ''), fill(fa['relay.listening']!, { url: persian.url, bound: `127.0.0.1:${persian.port}`, where }));
  assert.match(english.output(), /Baton relay listening on http:\/\/127\.0\.0\.1:\d+ \(bound to 127\.0\.0\.1:\d+, in memory only\)/);

  const exited = once(persian.child, 'exit');
  persian.child.kill('SIGTERM');
  const [code] = await exited;
  assert.equal(code, 0);
  const lines = persian.output().trimEnd().split('\n').map((l) => l.replace(TIMESTAMP, ''));
  assert.deepEqual(lines.slice(-2), [fill(fa['relay.stopping']!, { signal: 'SIGTERM' }), fa['relay.stopped']]);
});

test('/v1/info, /v1/metrics and mirror status --json are the same bytes in every language; the text is not', async () => {
  const ar = await relayIn(speaking('ar_EG.UTF-8'), ['--lang', 'zh-Hans']);
  try {
    assert.ok(ar.output().includes(fill(catalog('zh-Hans')['relay.listening']!, { url: ar.url, bound: `127.0.0.1:${ar.port}`, where: catalog('zh-Hans')['relay.whereMemory']! })), '--lang wins over LANG');
    for (const path of ['/v1/info', '/v1/metrics']) {
      const [a, b] = await Promise.all([fetch(`${english.url}${path}`), fetch(`${ar.url}${path}`)]);
      assert.equal(a.status, 200);
      assert.equal(a.headers.get('content-type'), b.headers.get('content-type'));
      assert.deepEqual(Buffer.from(await b.arrayBuffer()), Buffer.from(await a.arrayBuffer()), path);
    }
    const jsonIn = (lang: string, relay: RunningRelay) => baton(['mirror', 'status', '--relay', relay.url, '--json'], { LC_ALL: '', LANG: lang });
    const [plainJson, faJson] = await Promise.all([jsonIn('C', english), jsonIn('fa_IR.UTF-8', ar)]);
    assert.equal(plainJson.code, 0, plainJson.stderr);
    assert.equal(faJson.stdout, plainJson.stdout);
    JSON.parse(faJson.stdout);
    const text = await baton(['mirror', 'status', '--relay', ar.url, '--lang', 'fa']);
    assert.equal(text.stdout, `${fill(fa['relay.statusRelay']!, { relay: ar.url })}\n  ${fa['relay.statusNone']}\n`);
    // Requests came from 127.0.0.1; the only address in the log is the one the relay bound.
    const lines = ar.output().trimEnd().split('\n');
    assert.equal(lines.filter((l) => l.includes('127.0.0.1')).length, 1, ar.output());
  } finally {
    await stop(ar);
  }
});

test('usage errors and --help of baton relay follow the locale; --lang is checked first', async () => {
  const high = await baton(['relay', '--port', '70000', '--memory'], { LC_ALL: '', LANG: 'fa_IR.UTF-8' });
  assert.equal(high.code, 2);
  assert.ok(high.stderr.startsWith(`baton relay: ${fa['relay.portTooHigh']}\n\nUsage: baton relay [options]\n`), high.stderr);
  assert.ok(high.stderr.includes(fa['relay.usageOptions']!));
  const help = await baton(['relay', '--help', '--lang', 'my']);
  assert.equal(help.code, 0);
  assert.ok(help.stdout.includes(catalog('my')['relay.usageAbout']!), help.stdout);
  const bad = await baton(['relay', '--lang', 'xx']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^baton relay: --lang takes one of en, ar, .*zh-Hans\n/);
});
