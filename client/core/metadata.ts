// What a picture says about its author besides its pixels, read from its bytes so the sender
// can be shown what stripping removes ("GPS position, camera serial number, capture time"),
// and the format of a file judged by its first bytes, never by its name. Reading only: the
// platform re-encodes the picture (client/node, client/web). Every input is hostile: a
// malformed segment ends the scan, it never throws.

export type SniffedMime = 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';

/** The type of a file by its magic bytes, or null for anything Baton does not attach. */
export function sniffMime(b: Uint8Array): SniffedMime | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v)) return 'image/png';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'image/webp';
  if (b.length >= 5 && ascii(b, 0, 5) === '%PDF-') return 'application/pdf';
  return null;
}

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

/** EXIF tags that identify a device, a person, a place or a time, by what they reveal. */
const EXIF_TAGS: Record<number, string> = {
  0x010f: 'camera make and model',
  0x0110: 'camera make and model',
  0x0131: 'software',
  0x013b: 'author name',
  0x8298: 'copyright notice',
  0x0132: 'capture time',
  0x9003: 'capture time',
  0x9004: 'capture time',
  0x927c: 'maker notes',
  0xa420: 'unique image id',
  0xa430: 'owner name',
  0xa431: 'camera serial number',
  0xa435: 'lens serial number',
  0xa434: 'lens model',
  0xc62f: 'camera serial number',
};
const EXIF_IFD = 0x8769;
const GPS_IFD = 0x8825;

/** What the EXIF block (a TIFF structure) names, deduplicated, in a stable order. */
export function describeExif(tiff: Uint8Array): string[] {
  const found = new Set<string>(['EXIF block']);
  if (tiff.length < 8) return [...found];
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  if (!little && !(tiff[0] === 0x4d && tiff[1] === 0x4d)) return [...found];
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const u16 = (at: number) => view.getUint16(at, little);
  const u32 = (at: number) => view.getUint32(at, little);
  const seen = new Set<number>();
  const walk = (offset: number, depth: number) => {
    if (depth > 3 || seen.has(offset) || offset + 2 > tiff.length) return;
    seen.add(offset);
    const count = u16(offset);
    for (let i = 0; i < Math.min(count, 512); i++) {
      const at = offset + 2 + i * 12;
      if (at + 12 > tiff.length) return;
      const tag = u16(at);
      if (tag === GPS_IFD) {
        found.add('GPS position');
        continue;
      }
      if (tag === EXIF_IFD) walk(u32(at + 8), depth + 1);
      else if (tag === 0x0112) found.add('orientation (applied to the pixels first)');
      else if (EXIF_TAGS[tag]) found.add(EXIF_TAGS[tag]);
    }
  };
  walk(u32(4), 0);
  return [...found];
}

/**
 * Everything besides pixels a JPEG, PNG or WebP holds, by what it reveals. Unknown formats
 * and malformed files give what was found before the damage.
 */
export function describeImageMetadata(b: Uint8Array): string[] {
  const found = new Set<string>();
  const add = (labels: string[]) => labels.forEach((l) => found.add(l));
  try {
    const mime = sniffMime(b);
    if (mime === 'image/jpeg') jpegSegments(b, (marker, body) => add(jpegLabels(marker, body)));
    else if (mime === 'image/png') pngChunks(b, (type, body) => add(pngLabels(type, body)));
    else if (mime === 'image/webp') webpChunks(b, (type, body) => add(webpLabels(type, body)));
  } catch {
    // a damaged file: what was read so far stands
  }
  return [...found];
}

function jpegLabels(marker: number, body: Uint8Array): string[] {
  if (marker === 0xe1 && ascii(body, 0, 6) === 'Exif\0\0') return describeExif(body.subarray(6));
  if (marker === 0xe1 && ascii(body, 0, 29).startsWith('http://ns.adobe.com/xap/1.0/')) return ['XMP metadata'];
  if (marker === 0xe2 && ascii(body, 0, 12) === 'ICC_PROFILE\0') return ['ICC colour profile'];
  if (marker === 0xed) return ['IPTC metadata'];
  if (marker === 0xfe) return ['comment'];
  if (marker >= 0xe3 && marker <= 0xef && marker !== 0xee) return ['other embedded metadata'];
  return [];
}

function pngLabels(type: string, body: Uint8Array): string[] {
  if (type === 'eXIf') return describeExif(body);
  if (type === 'iCCP') return ['ICC colour profile'];
  if (type === 'iTXt' && ascii(body, 0, 17) === 'XML:com.adobe.xmp') return ['XMP metadata'];
  if (type === 'tEXt' || type === 'zTXt' || type === 'iTXt') return ['text notes'];
  if (type === 'tIME') return ['modification time'];
  return [];
}

function webpLabels(type: string, body: Uint8Array): string[] {
  if (type === 'EXIF') return describeExif(ascii(body, 0, 6) === 'Exif\0\0' ? body.subarray(6) : body);
  if (type === 'XMP ') return ['XMP metadata'];
  if (type === 'ICCP') return ['ICC colour profile'];
  return [];
}

/** Calls back with each marker segment before the image data (APPn, COM, …). */
export function jpegSegments(b: Uint8Array, each: (marker: number, body: Uint8Array, start: number, end: number) => void): void {
  let at = 2;
  while (at + 4 <= b.length && b[at] === 0xff) {
    const marker = b[at + 1]!;
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return; // image data: no metadata after this
    const length = (b[at + 2]! << 8) | b[at + 3]!;
    if (length < 2 || at + 2 + length > b.length) return;
    each(marker, b.subarray(at + 4, at + 2 + length), at, at + 2 + length);
    at += 2 + length;
  }
}

/**
 * A JPEG without its APPn (except APP0 JFIF and APP14 Adobe, which say how to decode it) and
 * COM segments: for JPEGs carried inside a PDF, which cannot be re-encoded without loss.
 */
export function stripJpegSegments(b: Uint8Array): Uint8Array {
  const drop: Array<[number, number]> = [];
  jpegSegments(b, (marker, _body, start, end) => {
    if (marker === 0xfe || (marker >= 0xe1 && marker <= 0xef && marker !== 0xee)) drop.push([start, end]);
  });
  return drop.length === 0 ? b.slice() : cut(b, drop);
}

function pngChunks(b: Uint8Array, each: (type: string, body: Uint8Array, start: number, end: number) => void): void {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let at = 8; at + 12 <= b.length; ) {
    const length = view.getUint32(at);
    const type = ascii(b, at + 4, 4);
    if (at + 12 + length > b.length) return;
    each(type, b.subarray(at + 8, at + 8 + length), at, at + 12 + length);
    if (type === 'IEND') return;
    at += 12 + length;
  }
}

function webpChunks(b: Uint8Array, each: (type: string, body: Uint8Array, start: number, end: number) => void): void {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let at = 12; at + 8 <= b.length; ) {
    const type = ascii(b, at, 4);
    const length = view.getUint32(at + 4, true);
    if (at + 8 + length > b.length) return;
    each(type, b.subarray(at + 8, at + 8 + length), at, Math.min(b.length, at + 8 + length + (length % 2)));
    at += 8 + length + (length % 2);
  }
}

/** PNG chunks that say how to draw the pixels; every other ancillary chunk goes. */
const PNG_KEEP = new Set(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND', 'sRGB', 'gAMA', 'cHRM', 'sBIT', 'bKGD']);

/**
 * A freshly encoded picture without the container's metadata an encoder may still add (a
 * browser's canvas writes an ICC profile into JPEGs, for one): JPEG APPn and COM segments,
 * PNG ancillary chunks but colour ones, WebP EXIF, XMP and ICCP chunks. Pixels untouched.
 */
export function stripContainerMetadata(b: Uint8Array): Uint8Array {
  const mime = sniffMime(b);
  if (mime === 'image/jpeg') return stripJpegSegments(b);
  const drop: Array<[number, number]> = [];
  if (mime === 'image/png') pngChunks(b, (type, _body, start, end) => void (PNG_KEEP.has(type) || drop.push([start, end])));
  if (mime === 'image/webp') webpChunks(b, (type, _body, start, end) => void (['EXIF', 'XMP ', 'ICCP'].includes(type) && drop.push([start, end])));
  if (drop.length === 0) return b;
  const out = cut(b, drop);
  if (mime === 'image/webp') {
    new DataView(out.buffer).setUint32(4, out.length - 8, true); // the RIFF size
    if (ascii(out, 12, 4) === 'VP8X') out[20] = out[20]! & ~(0x20 | 0x08 | 0x04); // no ICC, EXIF or XMP flags
  }
  return out;
}

function cut(b: Uint8Array, ranges: Array<[number, number]>): Uint8Array {
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const [start, end] of ranges) {
    parts.push(b.subarray(from, start));
    from = end;
  }
  parts.push(b.subarray(from));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
