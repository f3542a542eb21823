import assert from 'node:assert/strict';
import { it } from 'node:test';
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
