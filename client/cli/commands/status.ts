// baton status <cap>: per relay its state, how many of this device's writes it confirmed,
// and how many are still only here.
import type { Space } from '#client-core';
import { positional, type Args } from '../args.ts';
import { say } from '../l10n.ts';
import { printJson } from '../output.ts';
import { openClient, openQueued, parseCap, syncAll } from '../session.ts';
import { openTree } from '../spaces.ts';
import { withClient } from './with-client.ts';

export async function statusCommand(args: Args): Promise<number> {
  const cap = parseCap(positional(args, 0, say('capability', { id: 'cli.whatCapability' })));
  return withClient(openClient(args), async (client) => {
    const { root, threads } = await openTree(client, cap, args.timeoutMs);
    const spaces = [root, ...threads];
    await openQueued(client);
    await syncAll(client.openSpaces(), args.timeoutMs);
    printJson(statusReport(spaces));
    return 0;
  });
}

export function statusReport(spaces: Space[]) {
  const relays = new Map<string, { relay: string; state: string; transport: string; confirmed: number; pending: number; rejected: number; lastError: string | null }>();
  let writes = 0;
  let pending = 0;
  for (const space of spaces) {
    const local = space.localWrites();
    writes += local.length;
    pending += local.filter((w) => w.relays.length === 0).length;
    for (const st of space.statuses()) {
      const entry = relays.get(st.relay) ?? { relay: st.relay, state: st.state, transport: st.transport, confirmed: 0, pending: 0, rejected: 0, lastError: st.lastError };
      if (st.state !== 'synced' && entry.state === 'synced') entry.state = st.state; // the worst room decides
      entry.rejected += st.rejected;
      for (const w of local) {
        if (w.relays.includes(st.relay)) entry.confirmed++;
        else entry.pending++;
      }
      relays.set(st.relay, entry);
    }
  }
  return {
    relays: [...relays.values()],
    writes,
    pending,
    spaces: spaces.map((s) => ({ id: s.spaceId, kind: s.cap.kind, access: s.access, writes: s.localWrites().length, pending: s.outbox().length })),
  };
}
