// A post's delivery as the UI shows it: queued until a relay's receipt covers its blob. Only
// the relays the space dials now count: one removed from the board's list counts neither
// among those reached nor among those to reach.
import type { BlobRef } from '#client-core';

export interface Delivery {
  reached: number;
  of: number;
}

/** What deliveryOf needs of a space. */
export interface Delivering {
  confirmedBy(ref: BlobRef): string[];
  relays(): string[];
}

export function deliveryOf(space: Delivering, ref: BlobRef): Delivery {
  const relays = space.relays();
  return { reached: space.confirmedBy(ref).filter((r) => relays.includes(r)).length, of: relays.length };
}

export function deliveryText(d: Delivery): string {
  if (d.reached === 0) return d.of === 0 ? 'queued: no relay yet' : 'queued';
  return `reached ${d.reached} of ${Math.max(d.of, d.reached)} relays`;
}
