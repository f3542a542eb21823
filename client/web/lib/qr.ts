// A QR code as one SVG path of its dark modules: no canvas, no data URL, works offline.
import QRCode from 'qrcode';

export const QUIET_ZONE = 4;

/** The path and side length (in modules, quiet zone included); throws if the text is too long. */
export function qrPath(text: string): { size: number; d: string } {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'L' });
  const n = qr.modules.size;
  let d = '';
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (qr.modules.get(y, x)) d += `M${x + QUIET_ZONE} ${y + QUIET_ZONE}h1v1h-1z`;
    }
  }
  return { size: n + 2 * QUIET_ZONE, d };
}
