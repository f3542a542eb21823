import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { CLI_LOCALES } from '#shared/l10n/locale.ts';
import { parseRelayArgs, readConfigFile, relayUsage } from './cli-args.ts';
import { DEFAULT_RELAY_LIMITS, resolveConfig } from './config.ts';
import { setRelayLocale } from './l10n.ts';
import { CONFIG_OPTIONS, LIMIT_OPTIONS, RELAY_OPTIONS, operatorsTable } from './relay-options.ts';

const RELAY_USAGE = relayUsage();

it('the flag table in docs/OPERATORS.md is the one the declaration makes', () => {
  const doc = readFileSync(new URL('../docs/OPERATORS.md', import.meta.url), 'utf8');
  const start = doc.indexOf('| flag | default | meaning |');
  assert.ok(start >= 0, 'docs/OPERATORS.md has no flag table');
  const table = doc.slice(start, doc.indexOf('\n\n', start));
  assert.equal(table, operatorsTable(), `docs/OPERATORS.md is out of date; its flag table is:\n${operatorsTable()}`);
  const configSection = doc.slice(doc.indexOf('### A config file'), doc.indexOf('### Limits against abuse'));
  for (const option of LIMIT_OPTIONS) assert.ok(configSection.includes(`\`${option.config}\``), `"A config file" names the limit ${option.config}`);
});

it('the usage names every flag, its default and every config key, in lines of at most 96 characters', () => {
  for (const option of RELAY_OPTIONS) assert.match(RELAY_USAGE, new RegExp(`--${option.name}\\b`), option.name);
  assert.match(RELAY_USAGE, /--max-room-bytes N +largest room .*\(default: 67108864\)/);
  assert.match(RELAY_USAGE, /--port N +.*\(default: \$PORT or 8787\)/);
  for (const key of [...CONFIG_OPTIONS.keys(), 'limits']) assert.ok(RELAY_USAGE.includes(`"${key}"`), key);
  for (const line of RELAY_USAGE.split('\n')) assert.ok(line.length <= 96, line);
});

it('the usage in every language keeps every flag, its value and every config key as typed', () => {
  try {
    for (const locale of CLI_LOCALES.filter((l) => l !== 'en')) {
      setRelayLocale(locale);
      const usage = relayUsage();
      assert.notEqual(usage, RELAY_USAGE, `${locale}: the usage is translated`);
      for (const option of RELAY_OPTIONS) assert.match(usage, new RegExp(`--${option.name}${option.value ? ` ${option.value.replaceAll('|', '\\|')}` : ''}\\b`), `${locale}: --${option.name}`);
      for (const key of [...CONFIG_OPTIONS.keys(), 'limits']) assert.ok(usage.includes(`"${key}"`), `${locale}: ${key}`);
      assert.ok(usage.includes('67108864') && usage.includes('$PORT'), `${locale}: the defaults`);
    }
  } finally {
    setRelayLocale('en');
  }
});

it('every declared flag parses, and the declared defaults are the ones the relay uses', () => {
  // --help answers help; --config, --mirror, --postgres and --redis need a file, a capability or a database (cli-args.test.ts).
  const elsewhere = new Set(['help', 'config', 'mirror', 'postgres', 'redis']);
  const sample: Record<string, string> = { N: '7', H: '127.0.0.1', DIR: '/tmp/x', FILE: 'seed.baton', URL: 'http://127.0.0.1:1', ADDR: '::1', 'normal|full': 'full', 'pool|inline': 'inline' };
  for (const option of RELAY_OPTIONS.filter((o) => !elsewhere.has(o.name))) {
    const argv = option.value === undefined ? [`--${option.name}`] : [`--${option.name}`, sample[option.value] ?? ''];
    const parsed = parseRelayArgs(argv, {});
    assert.ok(!parsed.help, argv.join(' '));
  }
  const config = resolveConfig({});
  const seconds = (name: string) => Number(RELAY_OPTIONS.find((o) => o.name === name)?.default);
  assert.equal(seconds('idle-unload-seconds') * 1000, config.idleUnloadMs);
  assert.equal(seconds('peer-sync-seconds') * 1000, config.peerSyncMs);
  assert.equal(seconds('epoch-retention-days') * 24 * 3600 * 1000, config.epochRetentionMs);
  assert.equal(seconds('per-source-connections'), config.perSourceConnections);
  for (const option of LIMIT_OPTIONS) assert.ok(option.limit && option.limit in DEFAULT_RELAY_LIMITS, option.name);
});

it('every declared config key is read from a config file into the option it stands for', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-options-'));
  try {
    const file = join(dir, 'relay.json');
    const json: Record<string, unknown> = { limits: Object.fromEntries(LIMIT_OPTIONS.map((o) => [o.config, 3])) };
    for (const [key, option] of CONFIG_OPTIONS) {
      if (option.name === 'mirror') json[key] = [];
      else if (option.repeatable) json[key] = ['http://127.0.0.1:9'];
      else if (option.value === undefined) json[key] = false;
      else json[key] = 5;
    }
    writeFileSync(file, JSON.stringify(json));
    const read = readConfigFile(file);
    for (const [key, option] of CONFIG_OPTIONS) {
      if (option.name === 'mirror') continue;
      assert.ok(read.values[option.name] !== undefined, `config "${key}" sets --${option.name}`);
    }
    assert.equal(Object.keys(read.limits).length, LIMIT_OPTIONS.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
