// A post's delivery as the UI shows it: queued until a relay's receipt covers its blob. Only
// the relays the space dials now count: one removed from the board's list counts neither
// among those reached nor among those to reach.
import { msg, str } from '@lit/localize';
import type { BlobRef } from '#client-core';
import { formatNumber } from '../l10n/format.ts';

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
  if (d.reached === 0) return d.of === 0 ? msg('queued: no relay yet', { id: 'delivery.queuedNoRelay' }) : msg('queued', { id: 'delivery.queued' });
  const reached = formatNumber(d.reached);
  const relays = formatNumber(Math.max(d.of, d.reached));
  return msg(str`reached ${reached} of ${relays} relays`, { id: 'delivery.reached' });
}

/** Queued warns, every relay reached is good, part of them is neutral. */
export function deliveryTone(d: Delivery): 'warn' | 'ok' | 'muted' {
  if (d.reached === 0) return 'warn';
  return d.reached >= d.of ? 'ok' : 'muted';
}
