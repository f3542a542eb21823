// A post's delivery as the UI shows it: queued until a relay's receipt covers its blob.
import { msg, str } from '@lit/localize';
import type { BlobRef, Space } from '#client-core';
import { formatNumber } from '../l10n/format.ts';

export interface Delivery {
  reached: number;
  of: number;
}

export function deliveryOf(space: Space, ref: BlobRef): Delivery {
  return { reached: space.confirmedBy(ref).length, of: space.relays().length };
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
