import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { createSpace, formatCapability, initSodium } from '#shared';
import { UsageError, parseRelayArgs } from './cli-args.ts';

it('relay arguments default to env, then to 8787, 0.0.0.0 and ./data', () => {
  const parsed = parseRelayArgs([], { PORT: '9000', BATON_DATA: '/srv/baton' });
  assert.equal(parsed.help, false);
  if (parsed.help) return;
  assert.equal(parsed.options.port, 9000);
  assert.equal(parsed.options.host, '0.0.0.0');
  assert.equal(parsed.options.dataDir, '/srv/baton');
  const plain = parseRelayArgs([], {});
  assert.ok(!plain.help && plain.options.port === 8787 && plain.options.dataDir === './data' && plain.options.roomList === true);
});

it('relay arguments read flags and limits', () => {
  const parsed = parseRelayArgs(['--port', '0', '--host', '127.0.0.1', '--memory', '--no-room-list', '--max-blob-bytes', '1000', '--durability', 'full'], {});
  assert.ok(!parsed.help);
  if (parsed.help) return;
  assert.deepEqual(
    { port: parsed.options.port, host: parsed.options.host, dataDir: parsed.options.dataDir, roomList: parsed.options.roomList, durability: parsed.options.durability, limits: parsed.options.limits },
    { port: 0, host: '127.0.0.1', dataDir: undefined, roomList: false, durability: 'full', limits: { maxBlobBytes: 1000 } },
  );
  assert.deepEqual(parseRelayArgs(['--help'], {}), { help: true });
});

it('relay arguments refuse nonsense with a usage error', () => {
  for (const argv of [['--port', 'x'], ['--port', '70000'], ['--bogus'], ['--max-room-bytes', '0'], ['--durability', 'maybe'], ['stray']]) {
    assert.throws(() => parseRelayArgs(argv, {}), UsageError, argv.join(' '));
  }
});

it('relay arguments take peers, mirrors (split at the last @), a sync interval and an import file', async () => {
  await initSodium();
  const cap = formatCapability(createSpace('board'), 'mirror');
  const parsed = parseRelayArgs(
    ['--peer', 'https://a.example/baton', '--peer', 'http://b.example:8787', '--mirror', `${cap}@https://c.example`, '--peer-sync-seconds', '0.5', '--import', 'seed.baton'],
    {},
  );
  assert.ok(!parsed.help);
  if (parsed.help) return;
  assert.deepEqual(parsed.options.peers, ['https://a.example/baton', 'http://b.example:8787']);
  assert.deepEqual(parsed.options.mirrors, [{ capability: cap, relay: 'https://c.example' }]);
  assert.equal(parsed.options.peerSyncMs, 500);
  assert.equal(parsed.options.importFile, 'seed.baton');
  const plain = parseRelayArgs(['--mirror', `${cap}@http://127.0.0.1:8787`], {});
  assert.ok(!plain.help && plain.options.mirrors?.[0]?.relay === 'http://127.0.0.1:8787' && plain.options.mirrors[0].capability === cap);
  for (const argv of [['--peer', 'ftp://x'], ['--mirror', 'no-at-sign'], ['--mirror', 'baton:board:short@http://x'], ['--peer-sync-seconds', '-1'], ['--mirror', `${cap}@https://user@c.example`]]) {
    assert.throws(() => parseRelayArgs(argv, {}), UsageError, argv.join(' '));
  }
});

it('a config file sets peers, mirrors and options; flags win and lists add up; unknown keys are refused', async () => {
  await initSodium();
  const dir = mkdtempSync(join(tmpdir(), 'baton-config-'));
  try {
    const cap = formatCapability(createSpace('board'), 'read');
    const file = join(dir, 'relay.json');
    writeFileSync(file, JSON.stringify({ port: 9100, peers: ['http://p.example'], mirrors: [`${cap}@http://m.example`, { capability: cap, relay: 'http://n.example' }], roomList: false, limits: { maxBlobBytes: 5000 }, peerSyncSeconds: 2 }));
    const parsed = parseRelayArgs(['--config', file, '--port', '9200', '--peer', 'http://q.example'], {});
    assert.ok(!parsed.help);
    if (parsed.help) return;
    assert.equal(parsed.options.port, 9200);
    assert.deepEqual(parsed.options.peers, ['http://p.example', 'http://q.example']);
    assert.deepEqual(parsed.options.mirrors?.map((m) => m.relay), ['http://m.example', 'http://n.example']);
    assert.equal(parsed.options.roomList, false);
    assert.equal(parsed.options.limits?.maxBlobBytes, 5000);
    assert.equal(parsed.options.peerSyncMs, 2000);
    writeFileSync(file, JSON.stringify({ peer: ['http://typo.example'] }));
    assert.throws(() => parseRelayArgs(['--config', file], {}), /unknown key "peer"/);
    writeFileSync(file, '{not json');
    assert.throws(() => parseRelayArgs(['--config', file], {}), UsageError);
    assert.throws(() => parseRelayArgs(['--config', join(dir, 'missing.json')], {}), UsageError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('relay arguments take a cluster\'s PostgreSQL and Redis from flags or the environment', () => {
  const parsed = parseRelayArgs(['--postgres', 'postgres://baton@127.0.0.1:5432/baton'], { BATON_REDIS: 'redis://127.0.0.1:6379' });
  assert.ok(!parsed.help);
  if (parsed.help) return;
  assert.equal(parsed.options.postgres, 'postgres://baton@127.0.0.1:5432/baton');
  assert.equal(parsed.options.redis, 'redis://127.0.0.1:6379');
  const fromEnv = parseRelayArgs([], { BATON_POSTGRES: 'postgresql://db/baton' });
  assert.ok(!fromEnv.help && fromEnv.options.postgres === 'postgresql://db/baton' && fromEnv.options.redis === undefined);
  assert.throws(() => parseRelayArgs(['--redis', 'redis://127.0.0.1:6379'], {}), UsageError, 'a bus without shared storage');
  assert.throws(() => parseRelayArgs(['--postgres', 'mysql://db'], {}), UsageError);
  assert.throws(() => parseRelayArgs(['--postgres', 'postgres://db', '--redis', 'not a url'], {}), UsageError);
});

it('the per-source share and trusted proxies are options, off unless given', () => {
  const plain = parseRelayArgs([]);
  assert.ok(!plain.help && plain.options.perSourceConnections === undefined && plain.options.trustedProxies === undefined);
  const given = parseRelayArgs(['--per-source-connections', '20', '--trusted-proxy', '127.0.0.1', '--trusted-proxy', '::1', '--outbound-buffer-bytes', '2097152']);
  assert.ok(!given.help);
  assert.equal(given.options.perSourceConnections, 20);
  assert.deepEqual(given.options.trustedProxies, ['127.0.0.1', '::1']);
  assert.equal(given.options.limits?.outboundBufferBytes, 2097152);
  assert.throws(() => parseRelayArgs(['--per-source-connections', 'many']), /whole number/);
});

it('--verify picks where signatures are checked, $BATON_VERIFY as the default, and refuses anything else', () => {
  const options = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    const parsed = parseRelayArgs(argv, env);
    assert.equal(parsed.help, false);
    return parsed.help ? null : parsed.options;
  };
  assert.equal(options([])?.verify, undefined);
  assert.equal(options(['--verify', 'inline'])?.verify, 'inline');
  assert.equal(options([], { BATON_VERIFY: 'inline' })?.verify, 'inline');
  assert.equal(options(['--verify', 'pool'], { BATON_VERIFY: 'inline' })?.verify, 'pool');
  assert.throws(() => parseRelayArgs(['--verify', 'gpu'], {}), UsageError);
});
