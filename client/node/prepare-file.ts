// A file read for attaching, stripped on this device before anything is sealed
// (docs/THREAT_MODEL.md, "Attachments"): pictures re-encoded by sharp (libvips) after their
// EXIF orientation is applied, which writes no EXIF, XMP, IPTC or ICC profile; PDFs rebuilt
// from their pages (client/core/strip-pdf.ts). The type is judged by the bytes, not the name.
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { MAX_ATTACHMENT_BYTES, MAX_THUMB_SIDE, THUMB_PADDED_BYTES } from '#shared';
import { ClientError, describeImageMetadata, sniffMime, stripContainerMetadata, stripPdf, type PreparedFile } from '#client-core';

type Sharp = (typeof import('sharp'))['default'];

async function loadSharp(): Promise<Sharp> {
  try {
    return (await import('sharp')).default;
  } catch (err) {
    throw new ClientError('bad-input', `pictures are stripped of their metadata with the sharp package, which is not installed here (${(err as Error).message.split('\n')[0]}): run npm install sharp`);
  }
}

/** Reads at most the per-file limit (plus one byte, to tell a file over it). */
async function readCapped(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r').catch((err: Error) => {
    throw new ClientError('bad-input', `cannot read ${path}: ${err.message}`, undefined, { cause: err });
  });
  try {
    const { size } = await handle.stat();
    if (size > MAX_ATTACHMENT_BYTES) throw new ClientError('too-large', `${basename(path)} is ${(size / 1048576).toFixed(1)} MiB; a file may be at most ${MAX_ATTACHMENT_BYTES / 1048576} MiB`);
    const bytes = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(bytes, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return bytes.subarray(0, at);
  } finally {
    await handle.close();
  }
}

export async function prepareFile(path: string): Promise<PreparedFile> {
  const input = await readCapped(path);
  const name = basename(path);
  const mime = sniffMime(input);
  if (mime === null) throw new ClientError('bad-input', `${name} is not a JPEG, PNG, WebP or PDF file (judged by its contents)`);
  if (mime === 'application/pdf') {
    // No thumbnail: drawing a page in Node needs a native canvas, which the CLI does not carry
    // (docs/PROTOCOL.md §6, "Attachments"); readers show a card with the page count instead.
    const pdf = await stripPdf(input);
    return { bytes: pdf.bytes, name, mime, pages: pdf.pages, removed: pdf.removed, warning: pdf.warning };
  }
  const sharp = await loadSharp();
  const removed = describeImageMetadata(input);
  try {
    // rotate() without an angle applies the EXIF orientation; sharp writes no metadata unless asked.
    const image = sharp(input, { failOn: 'error', limitInputPixels: 100_000_000 }).rotate();
    const encoded =
      mime === 'image/png' ? image.png({ compressionLevel: 9 }) : mime === 'image/webp' ? image.webp({ quality: 90 }) : image.jpeg({ quality: 90 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    // libvips writes no metadata unless asked; cutting any container metadata left is a second guard.
    const bytes = stripContainerMetadata(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return { bytes, name, mime, width: info.width, height: info.height, ...(await thumbnailOf(sharp, bytes)), removed };
  } catch (err) {
    if (err instanceof ClientError) throw err;
    throw new ClientError('bad-input', `${name} cannot be decoded as a picture: ${(err as Error).message.split('\n')[0]}`);
  }
}

async function thumbnailOf(sharp: Sharp, picture: Uint8Array): Promise<{ thumb?: Uint8Array }> {
  const thumb = await thumbnail(sharp, picture);
  return thumb ? { thumb } : {};
}

/** A JPEG thumbnail under the padded size, smaller and coarser until it fits; null if none does. */
async function thumbnail(sharp: Sharp, picture: Uint8Array): Promise<Uint8Array | null> {
  for (const [side, quality] of [[MAX_THUMB_SIDE, 60], [MAX_THUMB_SIDE, 40], [160, 40], [96, 30]] as const) {
    const data = await sharp(picture).resize(side, side, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality }).toBuffer();
    if (data.length < THUMB_PADDED_BYTES) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  return null;
}
