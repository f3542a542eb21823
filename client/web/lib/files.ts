// Small helpers for attached files in the page: sizes for people, and thumbnails as blob URLs
// (only once their bytes are a JPEG: a hostile post cannot make the page load anything else).
import { msg, str } from '@lit/localize';
import { unpadThumb } from '#shared';
import { PDF_WARNING } from '#client-core';
import { formatNumber } from '../l10n/format.ts';

export function fileSize(bytes: number): string {
  if (bytes < 1024) {
    const n = formatNumber(bytes);
    return msg(str`${n} B`, { id: 'files.bytes' });
  }
  if (bytes < 1024 * 1024) {
    const n = formatNumber(Math.round(bytes / 1024));
    return msg(str`${n} KB`, { id: 'files.kilobytes' });
  }
  const n = formatNumber(Math.round((bytes / 1024 / 1024) * 10) / 10);
  return msg(str`${n} MB`, { id: 'files.megabytes' });
}

/** A PDF's page count, as its sender gave it. */
export function pageCount(pages: number): string {
  if (pages === 1) return msg('1 page', { id: 'files.onePage' });
  const n = formatNumber(pages);
  return msg(str`${n} pages`, { id: 'files.pages' });
}

/** What stripping removed, as the core names it (client/core/metadata.ts, strip-pdf.ts), in the page's language. */
export function removedLabel(label: string): string {
  const labels: Record<string, () => string> = {
    'EXIF block': () => msg('EXIF block', { id: 'files.removed.exif' }),
    'GPS position': () => msg('GPS position', { id: 'files.removed.gps' }),
    'camera make and model': () => msg('camera make and model', { id: 'files.removed.camera' }),
    'camera serial number': () => msg('camera serial number', { id: 'files.removed.serial' }),
    'lens serial number': () => msg('lens serial number', { id: 'files.removed.lensSerial' }),
    'lens model': () => msg('lens model', { id: 'files.removed.lens' }),
    'capture time': () => msg('capture time', { id: 'files.removed.time' }),
    'modification time': () => msg('modification time', { id: 'files.removed.modified' }),
    software: () => msg('software', { id: 'files.removed.software' }),
    'author name': () => msg('author name', { id: 'files.removed.author' }),
    'owner name': () => msg('owner name', { id: 'files.removed.owner' }),
    'copyright notice': () => msg('copyright notice', { id: 'files.removed.copyright' }),
    'maker notes': () => msg('maker notes', { id: 'files.removed.makerNotes' }),
    'unique image id': () => msg('unique image id', { id: 'files.removed.imageId' }),
    'orientation (applied to the pixels first)': () => msg('orientation (applied to the pixels first)', { id: 'files.removed.orientation' }),
    'XMP metadata': () => msg('XMP metadata', { id: 'files.removed.xmp' }),
    'IPTC metadata': () => msg('IPTC metadata', { id: 'files.removed.iptc' }),
    'ICC colour profile': () => msg('ICC colour profile', { id: 'files.removed.icc' }),
    comment: () => msg('comment', { id: 'files.removed.comment' }),
    'text notes': () => msg('text notes', { id: 'files.removed.text' }),
    'other embedded metadata': () => msg('other embedded metadata', { id: 'files.removed.other' }),
    'document information (author, title, software, dates)': () => msg('document information (author, title, software, dates)', { id: 'files.removed.pdfInfo' }),
    'earlier revisions': () => msg('earlier revisions', { id: 'files.removed.revisions' }),
    'comment authors and times': () => msg('comment authors and times', { id: 'files.removed.annotations' }),
    'editing application data': () => msg('editing application data', { id: 'files.removed.pieceInfo' }),
    'EXIF and other metadata of pictures inside': () => msg('EXIF and other metadata of pictures inside', { id: 'files.removed.pdfPictures' }),
  };
  return labels[label]?.() ?? label;
}

/** The PDF warning in the page's language. */
export function warningText(warning: string): string {
  if (warning !== PDF_WARNING) return warning;
  return msg(
    'The PDF was rebuilt from its pages: document information, XMP metadata, old revisions, bookmarks, forms and embedded files are gone. Its text, pictures and anything written on its pages are sent as they are: read it through before you send it.',
    { id: 'files.pdfWarning' },
  );
}

const isJpeg = (b: Uint8Array) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** A blob URL of a JPEG thumbnail, given raw or as carried (padded, base64url); null if it is not one. Revoke it when done. */
export function thumbnailUrl(thumb: Uint8Array | string): string | null {
  const bytes = typeof thumb === 'string' ? unpadThumb(thumb) : thumb;
  if (!bytes || !isJpeg(bytes)) return null;
  return URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }));
}
