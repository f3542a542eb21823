// `baton mirror status [--relay URL] [--json]`: asks a relay what it carries for its mirrors
// and peers (GET /v1/mirror/status) and prints it readably.
import { parseArgs } from 'node:util';
import { HttpCap, requestJson, type WireClient } from '#shared/wire/index.ts';
import { MIRROR_USAGE } from './cli-args.ts';
import type { MirrorStatus, RemoteStatus } from './peering/peering.ts';

export async function mirrorCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let values: { relay?: string; json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { relay: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    console.error(`baton mirror: ${(err as Error).message}\n\n${MIRROR_USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(MIRROR_USAGE);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'status') {
    console.error(MIRROR_USAGE);
    return 2;
  }
  const relay = (values.relay ?? env.BATON_RELAY ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
  const client: WireClient = { fetch: (url, init) => fetch(url, init as RequestInit), timeoutMs: 15_000 };
  const answer = await requestJson(client, `${relay}/v1/mirror/status`, { maxBytes: HttpCap.mirrorStatus });
  if (!answer.ok) {
    if (answer.kind === 'refused') console.error(`baton mirror: ${relay} answered ${answer.status}${answer.refusal?.message ? `: ${answer.refusal.message}` : ''}`);
    else if (answer.kind === 'unreachable' || answer.kind === 'timeout') console.error(`baton mirror: cannot reach ${relay}: ${answer.detail}`);
    else console.error(`baton mirror: ${relay} answered ${answer.status}: ${answer.detail}`);
    return 1;
  }
  const status = answer.body as MirrorStatus | null;
  if (!status || !Array.isArray(status.peers) || !Array.isArray(status.mirrors)) {
    console.error(`baton mirror: ${relay} answered ${answer.status}`);
    return 1;
  }
  if (values.json) {
    console.log(JSON.stringify(status, null, 2));
    return 0;
  }
  console.log(formatStatus(relay, status));
  return 0;
}

export function formatStatus(relay: string, status: MirrorStatus): string {
  const lines: string[] = [`Relay ${relay}`];
  if (status.peers.length === 0 && status.mirrors.length === 0) lines.push('  no peers and no mirrors configured');
  for (const peer of status.peers) lines.push(`  peer ${remoteLine(peer)}`);
  for (const mirror of status.mirrors) {
    lines.push(`  mirror of ${mirror.kind} ${mirror.spaceId} from ${remoteLine(mirror)}`);
    if (typeof mirror.spaces === 'number') lines.push(`    ${mirror.spaces} of at most ${mirror.maxSpaces} spaces carried${mirror.spaces >= mirror.maxSpaces ? ' (full: further links are not followed)' : ''}`);
    for (const room of mirror.rooms) {
      const lag = room.lag === null ? 'lag unknown' : room.lag === 0 ? 'up to date' : `${room.lag} blobs behind`;
      const refused = room.refused > 0 ? `, ${room.refused} refused` : '';
      lines.push(`    ${room.role.padEnd(6)} ${room.room}  ${String(room.blobs).padStart(6)} blobs  ${room.live ? 'live' : 'polled'}, ${lag}, last sync ${room.lastSync ?? 'never'}${refused}`);
    }
  }
  return lines.join('\n');
}

function remoteLine(remote: RemoteStatus): string {
  const state = remote.connected ? 'connected' : `not connected${remote.lastError ? ` (${remote.lastError})` : ''}`;
  const list = remote.roomList === false ? ', room list off' : '';
  return `${remote.url}: ${state}, last sync ${remote.lastSync ?? 'never'}, ${remote.liveLinks} live links${list}`;
}
