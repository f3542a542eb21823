// The lock of a data directory with real files: a damaged lock record, a passphrase for a
// directory that holds data in clear, a new directory locked from the start, and a lock that
// was interrupted after its record was written (finished at the next unlock).
import { afterEach, beforeAll, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initSodium } from '#shared';
import { openDataVault, setPassphrase } from './data-lock.ts';

const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-data-lock-'));
  dirs.push(dir);
  return dir;
};

beforeAll(() => initSodium());
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

test('a damaged lock record is a clear error, never an empty directory', async () => {
  const dir = fresh();
  writeFileSync(join(dir, 'vault.json'), '{"v":1,"ops":"many"}');
  await expect(openDataVault(dir, 'anything')).rejects.toThrow(/vault\.json is damaged: the data in .* cannot be unlocked without it/);
  await expect(openDataVault(dir, null)).rejects.toThrow(/is damaged/);
});

test('a passphrase for a directory holding data in clear is refused; a new directory is locked from the start', async () => {
  const clear = fresh();
  writeFileSync(join(clear, 'identity.json'), '{}');
  await expect(openDataVault(clear, 'p4ssphrase')).rejects.toMatchObject({ code: 'bad-input', message: expect.stringMatching(/is not locked: baton lock sets its passphrase/) });
  expect(await openDataVault(clear, null)).toBeNull();
  const created = fresh();
  const vault = await openDataVault(created, 'p4ssphrase');
  expect(vault).not.toBeNull();
  expect(readdirSync(created)).toEqual(['vault.json']);
  await expect(openDataVault(created, null)).rejects.toMatchObject({ code: 'locked' });
  expect((await openDataVault(created, 'p4ssphrase'))!.nameText('x')).toBe(vault!.nameText('x'));
});

test('a lock interrupted after its record was written is finished by the next unlock', async () => {
  const dir = fresh();
  const outcome = await setPassphrase(dir, null, 'first passphrase');
  expect(outcome.locked).toBe(true);
  // As if the process died before removing the clear copies.
  mkdirSync(join(dir, 'rooms'));
  writeFileSync(join(dir, 'rooms', 'left.log'), 'x');
  writeFileSync(join(dir, 'identity.json'), '{"identity":"baton-identity:v1:x","name":"n"}');
  await openDataVault(dir, 'first passphrase');
  expect(existsSync(join(dir, 'rooms')) || existsSync(join(dir, 'identity.json'))).toBe(false);
  await expect(setPassphrase(dir, null, 'second')).rejects.toMatchObject({ code: 'locked' });
  expect((await setPassphrase(dir, 'first passphrase', 'second')).locked).toBe(false);
  await expect(openDataVault(dir, 'first passphrase')).rejects.toThrow(/wrong passphrase/);
});
