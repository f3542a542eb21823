// A JPEG that betrays its author, made at test time: a plain picture from sharp with an EXIF
// APP1 segment built here by hand (so the fixture does not depend on the code under test),
// naming a GPS position, a camera serial number, a capture time, and orientation 6 (the
// stored pixels are turned a quarter; shown, the picture is taller than wide).
import sharp from 'sharp';

export const FIXTURE_SERIAL = 'SN-4711-BATON-CAM';
export const FIXTURE_MAKE = 'BatonCam';
/** Stored pixel size; shown (orientation 6 applied) it is HEIGHT × WIDTH. */
export const FIXTURE_WIDTH = 96;
export const FIXTURE_HEIGHT = 64;

interface Entry {
  tag: number;
  type: 2 | 3 | 4 | 5; // ASCII, SHORT, LONG, RATIONAL
  value: string | number | number[];
}

/** A little-endian TIFF with IFD0 -> Exif IFD and GPS IFD. */
function tiff(ifd0: Entry[], exif: Entry[], gps: Entry[]): Uint8Array {
  const out: number[] = [0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0];
  const u16 = (at: number, v: number) => ((out[at] = v & 0xff), (out[at + 1] = (v >> 8) & 0xff));
  const u32 = (at: number, v: number) => [0, 8, 16, 24].forEach((s, i) => (out[at + i] = (v >>> s) & 0xff));
  const ifds: Entry[][] = [ifd0, exif, gps];
  const sizeOf = (ifd: Entry[]) => 2 + ifd.length * 12 + 4;
  // Pointers to the sub-IFDs are LONG entries of IFD0 (two more entries in it).
  const offsets = [8, 8 + sizeOf(ifd0) + 24, 8 + sizeOf(ifd0) + 24 + sizeOf(exif)];
  ifd0.push({ tag: 0x8769, type: 4, value: offsets[1]! }, { tag: 0x8825, type: 4, value: offsets[2]! });
  ifd0.sort((a, b) => a.tag - b.tag);
  let dataAt = offsets[2]! + sizeOf(gps);
  out.length = dataAt;
  out.fill(0, 8);
  ifds.forEach((ifd, n) => {
    const base = offsets[n]!;
    u16(base, ifd.length);
    ifd.forEach((e, i) => {
      const at = base + 2 + i * 12;
      u16(at, e.tag);
      u16(at + 2, e.type);
      let bytes: number[];
      if (e.type === 2) bytes = [...new TextEncoder().encode(`${e.value as string}\0`)];
      else if (e.type === 5) bytes = (e.value as number[]).flatMap((v) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24, 1, 0, 0, 0]);
      else if (e.type === 3) bytes = [(e.value as number) & 0xff, (e.value as number) >> 8, 0, 0];
      else bytes = [0, 8, 16, 24].map((s) => ((e.value as number) >>> s) & 0xff);
      const count = e.type === 2 ? bytes.length : e.type === 5 ? (e.value as number[]).length : 1;
      u32(at + 4, count);
      if (bytes.length <= 4) bytes.forEach((b, k) => (out[at + 8 + k] = b));
      else {
        u32(at + 8, dataAt);
        bytes.forEach((b, k) => (out[dataAt + k] = b));
        dataAt += bytes.length + (bytes.length % 2);
      }
    });
  });
  return new Uint8Array(out.map((b) => b ?? 0));
}

export function exifSegment(): Uint8Array {
  const body = tiff(
    [
      { tag: 0x010f, type: 2, value: FIXTURE_MAKE },
      { tag: 0x0110, type: 2, value: 'Model 9' },
      { tag: 0x0112, type: 3, value: 6 },
      { tag: 0x0132, type: 2, value: '2026:11:27 21:03:00' },
    ],
    [
      { tag: 0x9003, type: 2, value: '2026:11:27 21:03:00' },
      { tag: 0xa431, type: 2, value: FIXTURE_SERIAL },
    ],
    [
      { tag: 0x0001, type: 2, value: 'N' },
      { tag: 0x0002, type: 5, value: [52, 31, 12] },
      { tag: 0x0003, type: 2, value: 'E' },
      { tag: 0x0004, type: 5, value: [13, 24, 36] },
    ],
  );
  const header = new TextEncoder().encode('Exif\0\0');
  const length = 2 + header.length + body.length;
  return new Uint8Array([0xff, 0xe1, length >> 8, length & 0xff, ...header, ...body]);
}

/** A JPEG with noise in it (so it compresses like a photo, not to nothing) and the EXIF segment after SOI. */
export async function jpegWithExif(): Promise<Uint8Array> {
  const pixels = new Uint8Array(FIXTURE_WIDTH * FIXTURE_HEIGHT * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37 + ((i / 3) | 0) * 11) & 0xff;
  const plain = await sharp(pixels, { raw: { width: FIXTURE_WIDTH, height: FIXTURE_HEIGHT, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
  const segment = exifSegment();
  const out = new Uint8Array(plain.length + segment.length);
  out.set(plain.subarray(0, 2));
  out.set(segment, 2);
  out.set(plain.subarray(2), 2 + segment.length);
  return out;
}

/** Whether `haystack` holds `needle` anywhere. */
export function holds(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(Buffer.from(needle)) >= 0;
}
