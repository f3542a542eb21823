// Opening what a capability names: the space itself and, for a board, its threads.
import { accessLevel, publicKeyFromSpaceId, type Capability, type SpaceId } from '#shared';
import { boards, moveState, type BatonClient, type Space } from '#client-core';
import { say, str } from './l10n.ts';
import { CliExit, ExitCode } from './output.ts';
import { syncAll } from './session.ts';

/** `action`: what was asked, already in the user's language ("post", "create threads"). */
export function requireWriteCap(cap: Capability, action: string): void {
  const level = accessLevel(cap);
  if (level === 'write') return;
  const board = cap.kind === 'board';
  let message: string;
  if (level === 'read') {
    message = board
      ? say(str`this is a read-only board capability: it cannot ${action} (a write capability is needed)`, { id: 'cli.readOnlyBoard' })
      : say(str`this is a read-only thread capability: it cannot ${action} (a write capability is needed)`, { id: 'cli.readOnlyThread' });
  } else {
    message = board
      ? say(str`this is a mirror-only board capability: it cannot ${action} (a write capability is needed)`, { id: 'cli.mirrorOnlyBoardWrite' })
      : say(str`this is a mirror-only thread capability: it cannot ${action} (a write capability is needed)`, { id: 'cli.mirrorOnlyThreadWrite' });
  }
  throw new CliExit(ExitCode.error, message);
}

export function requireReadCap(cap: Capability): void {
  if (accessLevel(cap) !== 'mirror') return;
  throw new CliExit(
    ExitCode.error,
    cap.kind === 'board'
      ? say('this is a mirror-only board capability: it can carry the board but not read it', { id: 'cli.mirrorOnlyBoard' })
      : say('this is a mirror-only thread capability: it can carry the thread but not read it', { id: 'cli.mirrorOnlyThread' }),
  );
}

/**
 * A board's threads: with a read key through the board's thread map (derived keys); without
 * one through its link blobs, as ciphertext only.
 */
export async function openThreads(client: BatonClient, board: Space): Promise<Space[]> {
  if (board.cap.kind !== 'board') return [];
  const ids = new Set<SpaceId>(board.children);
  // A moved board's link blob names its successor, a board: not one of its threads.
  const move = moveState(board);
  if (move.moved) ids.delete(move.to);
  const threads: Space[] = [];
  if (board.plain) {
    for (const entry of boards.listThreads(board)) {
      ids.delete(entry.id);
      threads.push(await boards.openThread(client, board, entry.id));
    }
  }
  for (const id of ids) {
    threads.push(await client.open({ kind: 'thread', spaceId: id, writePub: publicKeyFromSpaceId(id)!, readKey: null, write: null, relays: board.relays() }));
  }
  return threads;
}

export interface OpenedTree {
  root: Space;
  /** A board's threads (none for a thread capability). */
  threads: Space[];
  /** No relay answered for the root space. */
  offline: boolean;
}

/** Opens a capability's space, syncs it, then opens and syncs its threads. */
export async function openTree(client: BatonClient, cap: Capability, timeoutMs: number): Promise<OpenedTree> {
  const root = await client.open(cap);
  const offline = (await syncAll([root], timeoutMs)).length > 0;
  const threads = await openThreads(client, root);
  await syncAll(threads, timeoutMs);
  return { root, threads, offline };
}
