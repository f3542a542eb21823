// The passphrase lock with libsodium's real Argon2id (the sumo build), at a low cost so the
// cases stay fast, and once at the cost a device uses, to measure it.
import { beforeAll, describe, expect, test } from 'vitest';
import sumo from 'libsodium-wrappers-sumo';
import { initSodium } from '#shared';
import { ARGON2, afterAttempt, changePassphrase, createLock, delayAfter, parseLockRecord, setDuress, tryPassphrase, waitBeforeAttempt, type Pwhash } from './vault-lock.ts';
import { Vault } from './vault.ts';

const pwhash: Pwhash = async (passphrase, salt, ops, mem) => sumo.crypto_pwhash(32, passphrase, salt, ops, mem, sumo.crypto_pwhash_ALG_ARGON2ID13);
const cheap = { ops: 1, mem: 8 * 1024 * 1024 };

beforeAll(async () => {
  await Promise.all([initSodium(), sumo.ready]);
});

describe('the passphrase lock', () => {
  test('the passphrase opens the data key; a wrong one does not; the duress one is told apart', async () => {
    const key = Vault.newDataKey();
    let record = await createLock('right horse', pwhash, key, cheap);
    expect(await tryPassphrase(record, 'right horse', pwhash)).toEqual({ kind: 'open', dataKey: key });
    expect(await tryPassphrase(record, 'wrong horse', pwhash)).toEqual({ kind: 'wrong' });
    expect(await tryPassphrase(record, 'panic', pwhash)).toEqual({ kind: 'wrong' });
    record = await setDuress(record, 'panic', pwhash);
    expect(await tryPassphrase(record, 'panic', pwhash)).toEqual({ kind: 'duress' });
    expect((await tryPassphrase(record, 'right horse', pwhash)).kind).toBe('open');
    await expect(setDuress(record, 'right horse', pwhash)).rejects.toThrow(/passphrase itself/);
    record = await setDuress(record, null, pwhash);
    expect(await tryPassphrase(record, 'panic', pwhash)).toEqual({ kind: 'wrong' });
  });

  test('a new passphrase wraps the same data key, and the duress passphrase still works', async () => {
    const key = Vault.newDataKey();
    let record = await setDuress(await createLock('first', pwhash, key, cheap), 'panic', pwhash);
    record = await changePassphrase(record, key, 'second', pwhash);
    expect(await tryPassphrase(record, 'first', pwhash)).toEqual({ kind: 'wrong' });
    expect(await tryPassphrase(record, 'second', pwhash)).toEqual({ kind: 'open', dataKey: key });
    expect(await tryPassphrase(record, 'panic', pwhash)).toEqual({ kind: 'duress' });
    await expect(changePassphrase(record, key, 'panic', pwhash)).rejects.toThrow(/duress/);
  });

  test('wrong attempts make the next one wait longer, up to a minute; the right one resets it', async () => {
    const record = await createLock('p', pwhash, Vault.newDataKey(), cheap);
    expect([0, 1, 2, 3, 4, 10, 50].map(delayAfter)).toEqual([0, 1000, 2000, 4000, 8000, 60_000, 60_000]);
    const once = afterAttempt(record, false, 1000);
    const twice = afterAttempt(once, false, 2000);
    expect(waitBeforeAttempt(once, 1000)).toBe(1000);
    expect(waitBeforeAttempt(twice, 2500)).toBe(1500);
    expect(waitBeforeAttempt(afterAttempt(twice, true), 2500)).toBe(0);
    // A record from the future (a clock set back, or planted) waits a minute at most.
    expect(waitBeforeAttempt({ ...twice, failedAt: 10 ** 15 }, 0)).toBe(60_000);
  });

  test('a stored record is read as hostile: malformed, or too costly to try, is no record', async () => {
    const good = await createLock('p', pwhash, Vault.newDataKey(), cheap);
    expect(parseLockRecord(JSON.stringify(good))).toEqual(good);
    for (const bad of [null, '', 'x', '[]', JSON.stringify({ ...good, v: 2 }), JSON.stringify({ ...good, mem: 2 ** 40 }), JSON.stringify({ ...good, ops: 1000 }), JSON.stringify({ ...good, salt: 'AA' }), JSON.stringify({ ...good, key: 5 })]) {
      expect(parseLockRecord(bad)).toBeNull();
    }
    expect(parseLockRecord(JSON.stringify({ ...good, fails: -1, failedAt: 'x' }))).toEqual({ ...good, fails: 0, failedAt: 0 });
  });

  test('at the cost a device uses, one attempt takes a fraction of a second here', async () => {
    const record = await createLock('p', pwhash, Vault.newDataKey(), ARGON2);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      expect((await tryPassphrase(record, 'p', pwhash)).kind).toBe('open');
      times.push(performance.now() - t0);
    }
    console.log(`# Argon2id ops=${ARGON2.ops} mem=${ARGON2.mem / 2 ** 20} MiB: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
    expect(Math.min(...times)).toBeGreaterThan(20); // it does cost something
  });
});

describe('the vault', () => {
  test('a sealed record opens only for its place, and names are keyed', async () => {
    const a = new Vault(Vault.newDataKey());
    const b = new Vault(Vault.newDataKey());
    const sealed = a.sealText('Keep the lights on', 'title');
    expect(a.openText(sealed, 'title')).toBe('Keep the lights on');
    expect(a.openText(sealed, 'other')).toBeNull();
    expect(b.openText(sealed, 'title')).toBeNull();
    expect(a.open(sealed.subarray(0, 10), 'title')).toBeNull();
    expect(a.nameText('room:x')).toBe(a.nameText('room:x'));
    expect(a.nameText('room:x')).not.toBe(b.nameText('room:x'));
  });
});
