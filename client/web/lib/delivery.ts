// A post's delivery as the UI shows it: queued until a relay's receipt covers its blob.
import type { BlobRef, Space } from '#client-core';

export interface Delivery {
  reached: number;
  of: number;
}

export function deliveryOf(space: Space, ref: BlobRef): Delivery {
  return { reached: space.confirmedBy(ref).length, of: space.relays().length };
}

export function deliveryText(d: Delivery): string {
  if (d.reached === 0) return d.of === 0 ? 'queued: no relay yet' : 'queued';
  return `reached ${d.reached} of ${Math.max(d.of, d.reached)} relays`;
}
