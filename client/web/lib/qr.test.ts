import { test } from 'vitest';
import assert from 'node:assert/strict';
import { QUIET_ZONE, qrPath } from './qr.ts';

test('a share link becomes a QR path with finder patterns and a quiet zone', () => {
  const link = `http://127.0.0.1:8787/#baton:board:${'A'.repeat(43)}:${'B'.repeat(43)}:${'C'.repeat(43)}?relays=http%3A%2F%2F127.0.0.1%3A8787`;
  const { size, d } = qrPath(link);
  const modules = size - 2 * QUIET_ZONE;
  assert.equal((modules - 17) % 4, 0, 'a QR side is 17 + 4 × version modules');
  // The top-left finder pattern's corner and the module diagonally inside its white ring.
  assert.ok(d.startsWith(`M${QUIET_ZONE} ${QUIET_ZONE}h1v1h-1z`));
  assert.ok(!d.includes(`M${QUIET_ZONE + 1} ${QUIET_ZONE + 1}h`));
  assert.ok(d.includes(`M${QUIET_ZONE + 2} ${QUIET_ZONE + 2}h`));
});

test('text beyond a QR code’s capacity throws (the dialog says so instead)', () => {
  assert.throws(() => qrPath('x'.repeat(5000)));
});
