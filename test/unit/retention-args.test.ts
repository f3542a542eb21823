import { test } from 'vitest';
import assert from 'node:assert/strict';
import { parseRelayArgs } from '#server/cli-args.ts';
import { DEFAULT_EPOCH_RETENTION_MS, resolveConfig } from '#server/config.ts';

test('epoch retention: 30 days by default, --epoch-retention-days sets it, nonsense is a usage error', () => {
  assert.equal(resolveConfig({}).epochRetentionMs, DEFAULT_EPOCH_RETENTION_MS);
  assert.equal(DEFAULT_EPOCH_RETENTION_MS, 30 * 24 * 3600 * 1000);
  const parsed = parseRelayArgs(['--epoch-retention-days', '7', '--memory'], {});
  assert.ok(!parsed.help);
  assert.equal(parsed.options.epochRetentionMs, 7 * 24 * 3600 * 1000);
  assert.throws(() => parseRelayArgs(['--epoch-retention-days', '0'], {}), /at least 1/);
  assert.throws(() => parseRelayArgs(['--epoch-retention-days', 'soon'], {}), /whole number/);
});
