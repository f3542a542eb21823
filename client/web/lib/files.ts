// Small helpers for attached files in the page: sizes for people, and thumbnails as blob URLs
// (only once their bytes are a JPEG: a hostile post cannot make the page load anything else).
import { unpadThumb } from '#shared';

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const isJpeg = (b: Uint8Array) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** A blob URL of a JPEG thumbnail, given raw or as carried (padded, base64url); null if it is not one. Revoke it when done. */
export function thumbnailUrl(thumb: Uint8Array | string): string | null {
  const bytes = typeof thumb === 'string' ? unpadThumb(thumb) : thumb;
  if (!bytes || !isJpeg(bytes)) return null;
  return URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }));
}

/** Saves bytes as a file the user keeps. */
export function downloadBytes(filename: string, bytes: Uint8Array, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
