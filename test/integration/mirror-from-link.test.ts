// A relay started with `--mirror` and the share dialog's mirror line as it is (a capability with
// the board's relays in it, no "@relay") carries the board from every one of those relays.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import { formatCapability, withRelays } from '#shared';
import { startRelay, type Relay } from '#server/index.ts';
import { spawnBaton } from '../support/baton-bin.ts';
import { boardSpace, makeBoard, sealText, waitForCount, writeBlobs, type TestBoard } from './peer-fixtures.ts';
import { waitUntil } from '../support/wait.ts';

let first: Relay;
let second: Relay;
let mirrorDir: string;
let child: ChildProcess;
let mirrorUrl: string;
let board: TestBoard;
let output = '';

beforeAll(async () => {
  first = await startRelay({ port: 0, host: '127.0.0.1', log: () => {} });
  second = await startRelay({ port: 0, host: '127.0.0.1', log: () => {} });
  board = makeBoard();
  await writeBlobs(first, board.room, [sealText(boardSpace(board), 'on the first relay')]);
  await writeBlobs(second, board.room, [sealText(boardSpace(board), 'on the second relay only')]);
  // The read level, as a person may paste the link they have: the mirror keeps only the board's id.
  const line = formatCapability(withRelays(board.cap, [first.url, second.url]), 'read');
  mirrorDir = mkdtempSync(join(tmpdir(), 'baton-mirror-link-'));
  child = spawnBaton(['relay', '--port', '0', '--host', '127.0.0.1', '--data', mirrorDir, '--mirror', line, '--peer-sync-seconds', '0.2'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await waitUntil(() => /listening on (http:\/\/\S+)/.test(output), { timeoutMs: 15_000, what: 'the mirror relay to start' });
  mirrorUrl = /listening on (http:\/\/\S+)/.exec(output)![1]!;
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  await first?.close();
  await second?.close();
  if (mirrorDir) rmSync(mirrorDir, { recursive: true, force: true });
});

it('carries what each named relay holds, the one blocked elsewhere included', async () => {
  await waitForCount(mirrorUrl, board.room, 2, 15_000);
  assert.match(output, new RegExp(`mirroring board .* from ${first.url.replace(/[.:/]/g, '\\$&')}`));
  assert.match(output, new RegExp(`mirroring board .* from ${second.url.replace(/[.:/]/g, '\\$&')}`));
  assert.doesNotMatch(output, new RegExp(formatCapability(board.cap, 'read').split(':')[3]!), 'the read key is never logged');
});
