// Blind awareness relay (docs/PROTOCOL.md §4): states are `{e: <base64url sealed presence>}` or null.
// Anything else is dropped silently. Nothing here is ever stored.
import * as encoding from 'lib0/encoding';
import { ByteReader } from '#shared/envelope/byte-reader.ts';
import { fromUtf8 } from '#shared';

export interface AwarenessEntry {
  client: number;
  clock: number;
  /** Normalised JSON of the state, or null when the client is gone. */
  json: string | null;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** One connection may speak for a few awareness client ids (one per open tab or doc). */
const MAX_CLIENTS_PER_OWNER = 8;
const MAX_ENTRIES_PER_MESSAGE = 64;

/** Reads an awareness update, keeping only well-shaped entries; null if it does not decode. */
export function readAwarenessUpdate(payload: Uint8Array, maxStateBytes: number): AwarenessEntry[] | null {
  try {
    const r = new ByteReader(payload);
    const count = r.readVarUint();
    if (count > MAX_ENTRIES_PER_MESSAGE) return null;
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < count; i++) {
      const client = r.readVarUint();
      const clock = r.readVarUint();
      const text = r.readVarBytes();
      if (client > 0xffffffff || text.length > maxStateBytes) continue;
      const json = filterState(text);
      if (json !== undefined) entries.push({ client, clock, json });
    }
    return r.done ? entries : null;
  } catch {
    return null;
  }
}

/** The normalised JSON of an acceptable state, null for "gone", undefined to drop it. */
function filterState(bytes: Uint8Array): string | null | undefined {
  const text = fromUtf8(bytes);
  if (text === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const e = (value as { e?: unknown }).e;
  if (keys.length !== 1 || typeof e !== 'string' || !BASE64URL.test(e)) return undefined;
  return JSON.stringify({ e });
}

export function writeAwarenessUpdate(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.client);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.json ?? 'null');
  }
  return encoding.toUint8Array(encoder);
}

interface Held {
  clock: number;
  json: string;
  owner: object;
}

/** The live awareness states of one room, each owned by the connection that set it. */
export class RoomAwareness {
  #states = new Map<number, Held>();

  /** Applies what an owner sends; returns the entries to pass on to the others. */
  apply(owner: object, entries: readonly AwarenessEntry[]): AwarenessEntry[] {
    const accepted: AwarenessEntry[] = [];
    for (const entry of entries) {
      const held = this.#states.get(entry.client);
      if (held && held.owner !== owner) continue; // nobody speaks for another's client id
      if (entry.json === null) {
        if (held && entry.clock >= held.clock) {
          this.#states.delete(entry.client);
          accepted.push(entry);
        }
        continue;
      }
      if (held && entry.clock <= held.clock) continue;
      if (!held && this.#countOwnedBy(owner) >= MAX_CLIENTS_PER_OWNER) continue;
      this.#states.set(entry.client, { clock: entry.clock, json: entry.json, owner });
      accepted.push(entry);
    }
    return accepted;
  }

  /** Removes an owner's states (its connection closed); returns the removals to announce. */
  removeOwner(owner: object): AwarenessEntry[] {
    const removed: AwarenessEntry[] = [];
    for (const [client, held] of this.#states) {
      if (held.owner !== owner) continue;
      this.#states.delete(client);
      removed.push({ client, clock: held.clock + 1, json: null });
    }
    return removed;
  }

  all(): AwarenessEntry[] {
    return [...this.#states].map(([client, held]) => ({ client, clock: held.clock, json: held.json }));
  }

  get size(): number {
    return this.#states.size;
  }

  #countOwnedBy(owner: object): number {
    let n = 0;
    for (const held of this.#states.values()) if (held.owner === owner) n++;
    return n;
  }
}
