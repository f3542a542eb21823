// `baton mirror status [--relay URL] [--json]`: asks a relay what it carries for its mirrors
// and peers (GET /v1/mirror/status) and prints it readably.
import { parseArgs } from 'node:util';
import { HttpCap, requestJson, type WireClient } from '#shared/wire/index.ts';
import { mirrorUsage } from './cli-args.ts';
import { say, str } from './l10n.ts';
import type { MirrorRoomStatus, MirrorStatus, RemoteStatus } from './peering/peering.ts';

export async function mirrorCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let values: { relay?: string; json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { relay: { type: 'string' }, json: { type: 'boolean' }, lang: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    console.error(`baton mirror: ${(err as Error).message}\n\n${mirrorUsage()}`);
    return 2;
  }
  if (values.help) {
    console.log(mirrorUsage());
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'status') {
    console.error(mirrorUsage());
    return 2;
  }
  const relay = (values.relay ?? env.BATON_RELAY ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
  const client: WireClient = { fetch: (url, init) => fetch(url, init as RequestInit), timeoutMs: 15_000 };
  const answer = await requestJson(client, `${relay}/v1/mirror/status`, { maxBytes: HttpCap.mirrorStatus });
  if (!answer.ok) {
    const { status } = answer;
    const detail = answer.kind === 'refused' ? (answer.refusal?.message ?? '') : answer.detail;
    if (answer.kind === 'unreachable' || answer.kind === 'timeout') console.error(`baton mirror: ${say(str`cannot reach ${relay}: ${detail}`, { id: 'relay.mirrorUnreachable' })}`);
    else if (detail) console.error(`baton mirror: ${say(str`${relay} answered ${status}: ${detail}`, { id: 'relay.mirrorAnsweredDetail' })}`);
    else console.error(`baton mirror: ${say(str`${relay} answered ${status}`, { id: 'relay.mirrorAnswered' })}`);
    return 1;
  }
  const status = answer.body as MirrorStatus | null;
  if (!status || !Array.isArray(status.peers) || !Array.isArray(status.mirrors)) {
    console.error(`baton mirror: ${say(str`${relay} answered ${answer.status}`, { id: 'relay.mirrorAnswered' })}`);
    return 1;
  }
  if (values.json) {
    console.log(JSON.stringify(status, null, 2));
    return 0;
  }
  console.log(formatStatus(relay, status));
  return 0;
}

/** The status as text, in the chosen language; addresses, ids and numbers as they are. */
export function formatStatus(relay: string, status: MirrorStatus): string {
  const lines: string[] = [say(str`Relay ${relay}`, { id: 'relay.statusRelay' })];
  if (status.peers.length === 0 && status.mirrors.length === 0) lines.push(`  ${say('no peers and no mirrors configured', { id: 'relay.statusNone' })}`);
  for (const peer of status.peers) {
    const remote = remoteLine(peer);
    lines.push(`  ${say(str`peer ${remote}`, { id: 'relay.statusPeer' })}`);
  }
  for (const mirror of status.mirrors) {
    const { spaceId } = mirror;
    const remote = remoteLine(mirror);
    lines.push(`  ${mirror.kind === 'board' ? say(str`mirror of board ${spaceId} from ${remote}`, { id: 'relay.statusMirrorBoard' }) : say(str`mirror of thread ${spaceId} from ${remote}`, { id: 'relay.statusMirrorThread' })}`);
    if (typeof mirror.spaces === 'number') {
      const { spaces, maxSpaces } = mirror;
      lines.push(
        `    ${spaces >= maxSpaces ? say(str`${spaces} of at most ${maxSpaces} spaces carried (full: further links are not followed)`, { id: 'relay.statusSpacesFull' }) : say(str`${spaces} of at most ${maxSpaces} spaces carried`, { id: 'relay.statusSpaces' })}`,
      );
    }
    for (const room of mirror.rooms) lines.push(`    ${room.role.padEnd(6)} ${room.room}  ${roomLine(room)}`);
  }
  return lines.join('\n');
}

function roomLine(room: MirrorRoomStatus): string {
  const blobs = String(room.blobs).padStart(6);
  const lag = room.lag === null ? say('lag unknown', { id: 'relay.statusLagUnknown' }) : room.lag === 0 ? say('up to date', { id: 'relay.statusUpToDate' }) : say(str`${room.lag} blobs behind`, { id: 'relay.statusBehind' });
  const last = room.lastSync ?? say('never', { id: 'relay.statusNever' });
  const line = room.live ? say(str`${blobs} blobs  live, ${lag}, last sync ${last}`, { id: 'relay.statusRoomLive' }) : say(str`${blobs} blobs  polled, ${lag}, last sync ${last}`, { id: 'relay.statusRoomPolled' });
  return room.refused > 0 ? say(str`${line}, ${room.refused} refused`, { id: 'relay.statusRefused' }) : line;
}

function remoteLine(remote: RemoteStatus): string {
  const { url, liveLinks } = remote;
  const last = remote.lastSync ?? say('never', { id: 'relay.statusNever' });
  const error = remote.lastError;
  const state = remote.connected ? say('connected', { id: 'relay.statusConnected' }) : error ? say(str`not connected (${error})`, { id: 'relay.statusNotConnectedError' }) : say('not connected', { id: 'relay.statusNotConnected' });
  const line = say(str`${url}: ${state}, last sync ${last}, ${liveLinks} live links`, { id: 'relay.statusRemote' });
  return remote.roomList === false ? say(str`${line}, room list off`, { id: 'relay.statusRoomListOff' }) : line;
}
