// Which relays a space is synced with. A board's relay list is a CRDT map that any writer can
// fill and nobody can refuse an entry of, so a client never dials it whole: at most
// MAX_RELAYS_PER_SPACE relays, in this order of trust:
//   1. chosen: the link's relay hints, relays this device's user added or named, and list
//      entries signed by this device's own identity key;
//   2. relays this device has synced the space with before;
//   3. the rest of the board's list, oldest entry first.
// A relay the board's list removed (docs/PROTOCOL.md §6) is not dialled from the link's hints
// or from memory of past syncs, but it is when the user added it on this device or the page
// came from it; and when removals would leave nothing to dial, the link's hints are dialled
// anyway, so a writer who removes every relay cannot cut a member off.
// An address that is not public (shared/relay-address.ts) is dialled only when chosen, when
// the page itself came from it, or when the client was told to trust local list entries.
import { normaliseRelayUrl, relayAddressKind } from '#shared';

export const MAX_RELAYS_PER_SPACE = 16;

export interface RelayCandidates {
  chosen: readonly string[];
  /** Of the chosen, those the user added themselves: a removal from the board's list does not drop them. */
  kept?: readonly string[];
  /** Relays the board's list removed. */
  removed?: readonly string[];
  synced: readonly string[];
  /** The board list's other entries, in the order to try them. */
  listed: readonly string[];
}

export interface RelayPolicy {
  /** The relay that served the page (the web client), dialled whatever kind of address it is. */
  pageRelay?: string | null;
  /** Dial local addresses from a board's list too (a network where every relay is local). */
  listedLocal?: boolean;
  max?: number;
}

function normalised(url: string): string | null {
  try {
    return normaliseRelayUrl(url);
  } catch {
    return null;
  }
}

/** Why a relay is or is not dialled, for the relays panel and `baton relays list`. */
export type RelayVerdict = 'chosen' | 'synced' | 'listed' | 'removed' | 'local-address' | 'bad-address' | 'over-limit';

/** The relays to dial, in order, and a verdict for every candidate. */
export function chooseRelays(c: RelayCandidates, policy: RelayPolicy = {}): { relays: string[]; verdicts: Map<string, RelayVerdict> } {
  const max = policy.max ?? MAX_RELAYS_PER_SPACE;
  const page = policy.pageRelay ? normalised(policy.pageRelay) : null;
  const relays: string[] = [];
  const verdicts = new Map<string, RelayVerdict>();
  const removed = new Set((c.removed ?? []).map(normalised));
  const kept = new Set((c.kept ?? []).map(normalised));
  const consider = (raw: string, tier: 'chosen' | 'synced' | 'listed', lastResort = false) => {
    const url = normalised(raw);
    if (url === null) {
      if (!verdicts.has(raw)) verdicts.set(raw, 'bad-address');
      return;
    }
    if (relays.includes(url)) return;
    if (removed.has(url) && !lastResort && !kept.has(url) && url !== page) {
      verdicts.set(url, 'removed');
      return;
    }
    const kind = relayAddressKind(url);
    if (kind === 'bad') return void verdicts.set(url, 'bad-address');
    if (kind === 'local' && tier !== 'chosen' && url !== page && !policy.listedLocal) {
      if (!verdicts.has(url)) verdicts.set(url, 'local-address');
      return;
    }
    if (relays.length >= max) {
      if (!verdicts.has(url)) verdicts.set(url, 'over-limit');
      return;
    }
    relays.push(url);
    verdicts.set(url, tier);
  };
  for (const r of c.chosen) consider(r, 'chosen');
  for (const r of c.synced) consider(r, 'synced');
  for (const r of c.listed) consider(r, 'listed');
  if (relays.length === 0) for (const r of c.chosen) consider(r, 'chosen', true);
  return { relays, verdicts };
}
