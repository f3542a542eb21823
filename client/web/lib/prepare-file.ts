// A file chosen in the browser, stripped before anything is sealed (docs/THREAT_MODEL.md,
// "Attachments"): a picture is decoded with its EXIF orientation applied and drawn on a
// canvas, whose encoder writes pixels only (no EXIF, XMP, IPTC or ICC profile); a PDF is
// rebuilt from its pages by the core, and the rebuilt file's first page drawn for its
// thumbnail (pdf-page.ts, loaded only then). Loaded only when a file is attached (dynamic
// import), never with the first screen.
import { msg, str } from '@lit/localize';
import { MAX_ATTACHMENT_BYTES, MAX_THUMB_SIDE, THUMB_PADDED_BYTES } from '#shared';
import { describeImageMetadata, sniffMime, stripContainerMetadata, stripPdf, type PreparedFile } from '#client-core';
import { fileSize } from './files.ts';
import { ShownError } from './failure.ts';

/** Larger pictures are refused rather than decoded into a canvas that may not fit in memory. */
const MAX_PIXELS = 50_000_000;

export async function prepareBrowserFile(file: File): Promise<PreparedFile> {
  const name = file.name || 'pasted';
  if (file.size > MAX_ATTACHMENT_BYTES) {
    const size = fileSize(file.size);
    const limit = fileSize(MAX_ATTACHMENT_BYTES);
    throw new ShownError('too-large', msg(str`${name} is ${size}; a file may be at most ${limit}`, { id: 'files.tooLarge' }));
  }
  if (file.size === 0) throw new ShownError('bad-input', msg(str`${name} is empty`, { id: 'files.empty' }));
  const input = new Uint8Array(await file.arrayBuffer());
  const mime = sniffMime(input);
  if (mime === null) throw new ShownError('bad-input', msg(str`${name} is not a JPEG, PNG, WebP or PDF file`, { id: 'files.wrongType' }));
  if (mime === 'application/pdf') {
    const pdf = await stripPdf(input);
    const thumb = await pdfThumbnail(pdf.bytes);
    return { bytes: pdf.bytes, name, mime, pages: pdf.pages, removed: pdf.removed, warning: pdf.warning, ...(thumb ? { thumb } : {}) };
  }
  const removed = describeImageMetadata(input);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([input], { type: mime }), { imageOrientation: 'from-image' });
  } catch {
    throw new ShownError('bad-input', msg(str`${name} cannot be decoded as a picture`, { id: 'files.undecodable' }));
  }
  try {
    if (bitmap.width * bitmap.height > MAX_PIXELS) throw new ShownError('too-large', msg(str`${name} has too many pixels: at most 50 million`, { id: 'files.tooManyPixels' }));
    const encoded = await encode(bitmap, bitmap.width, bitmap.height, mime, 0.9);
    // A browser without a WebP encoder gives PNG: the type is what came out.
    const outMime = sniffMime(encoded) ?? 'image/png';
    const thumb = await thumbnail(bitmap);
    return { bytes: encoded, name, mime: outMime, width: bitmap.width, height: bitmap.height, removed, ...(thumb ? { thumb } : {}) };
  } finally {
    bitmap.close();
  }
}

/** The first page of the PDF about to be sent, as a thumbnail; null where it cannot be drawn. */
async function pdfThumbnail(pdf: Uint8Array): Promise<Uint8Array | null> {
  try {
    const { drawFirstPage } = await import('./pdf-page.ts');
    const page = await drawFirstPage(pdf);
    if (!page) return null;
    try {
      return await thumbnail(page);
    } finally {
      page.width = page.height = 0;
    }
  } catch {
    // No renderer (its chunk did not load, offline say): the post goes without a thumbnail.
    return null;
  }
}

type Drawable = ImageBitmap | HTMLCanvasElement;

async function encode(bitmap: Drawable, width: number, height: number, mime: string, quality: number): Promise<Uint8Array> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new ShownError('bad-input', msg('This browser cannot draw pictures, so it cannot remove their metadata.', { id: 'files.noCanvas' }));
  ctx.drawImage(bitmap, 0, 0, width, height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, mime, quality));
  canvas.width = canvas.height = 0; // the pixels go now, not at the next collection
  if (!blob) throw new ShownError('bad-input', msg('This browser could not encode the picture again.', { id: 'files.noEncoder' }));
  // The canvas encoder still writes an ICC profile into a JPEG (Chromium does): cut out.
  return stripContainerMetadata(new Uint8Array(await blob.arrayBuffer()));
}

/** A JPEG thumbnail under the padded size, smaller and coarser until it fits. */
async function thumbnail(bitmap: Drawable): Promise<Uint8Array | null> {
  for (const [side, quality] of [[MAX_THUMB_SIDE, 0.6], [MAX_THUMB_SIDE, 0.4], [160, 0.4], [96, 0.3]] as const) {
    const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
    const jpeg = await encode(bitmap, Math.max(1, Math.round(bitmap.width * scale)), Math.max(1, Math.round(bitmap.height * scale)), 'image/jpeg', quality);
    if (jpeg.length < THUMB_PADDED_BYTES) return jpeg;
  }
  return null;
}
