// Receipts: a relay's state vector once it durably holds what we sent. A receipt covers a
// blob when the vector's clock for the blob's client is past the blob's clock.
import * as Y from 'yjs';

export type StateVector = Map<number, number>;

/** Decodes a state vector from the network, or null when it is not one. */
export function decodeStateVectorSafe(bytes: Uint8Array): StateVector | null {
  try {
    const sv = Y.decodeStateVector(bytes);
    for (const [client, clock] of sv) {
      if (!Number.isSafeInteger(client) || !Number.isSafeInteger(clock) || clock < 0) return null;
    }
    return sv;
  } catch {
    return null;
  }
}

export function covers(sv: StateVector, client: number, clock: number): boolean {
  return (sv.get(client) ?? 0) > clock;
}

/** The largest clock per client seen in any receipt of one relay (receipts only grow). */
export function mergeStateVectors(a: StateVector, b: StateVector): StateVector {
  const out = new Map(a);
  for (const [client, clock] of b) if ((out.get(client) ?? 0) < clock) out.set(client, clock);
  return out;
}

/** Per relay, the best state vector it has confirmed for one room. */
export class ReceiptBook {
  private readonly byRelay = new Map<string, StateVector>();

  record(relay: string, sv: StateVector): boolean {
    const before = this.byRelay.get(relay);
    const merged = before ? mergeStateVectors(before, sv) : new Map(sv);
    let changed = !before;
    if (before) for (const [client, clock] of merged) if ((before.get(client) ?? 0) !== clock) changed = true;
    this.byRelay.set(relay, merged);
    return changed;
  }

  get(relay: string): StateVector | undefined {
    return this.byRelay.get(relay);
  }

  /** The relays whose receipts cover the blob with this Yjs id. */
  coveredBy(client: number, clock: number): string[] {
    const relays: string[] = [];
    for (const [relay, sv] of this.byRelay) if (covers(sv, client, clock)) relays.push(relay);
    return relays.sort();
  }

  entries(): [string, StateVector][] {
    return [...this.byRelay];
  }
}
