// Attachments (docs/PROTOCOL.md §6, "Attachments"): what a post says about each file it
// carries, the limits every reader applies to it, and how a file's bytes are padded and cut
// into the chunks of its own space.
import { fromBase64url, toBase64url } from '../bytes.ts';
import { isSpaceId } from '../ids.ts';
import { padToBlock, unpadFromBlock } from '../padding.ts';

/** The types a client attaches and shows; any other well-formed type is only saved. */
export const ATTACHMENT_MIMES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export type AttachmentMime = (typeof ATTACHMENT_MIMES)[number];

export const MAX_ATTACHMENTS = 8;
/** Largest file, before padding. */
export const MAX_ATTACHMENT_BYTES = 16 * 1024 * 1024;
/** All the files of one post together, before padding. */
export const MAX_POST_ATTACHMENT_BYTES = 32 * 1024 * 1024;
export const MAX_ATTACHMENT_NAME_CHARS = 200;
/** Padded sizes are powers of two from here up (so the smallest file is this large on the wire). */
export const MIN_PADDED_FILE_BYTES = 16 * 1024;
/** One chunk: one blob of the file's space, well under the 256 KiB blob limit. */
export const FILE_CHUNK_BYTES = 128 * 1024;
/** A thumbnail is a JPEG of at most this many bytes less one, padded to exactly this many. */
export const THUMB_PADDED_BYTES = 8 * 1024;
export const MAX_THUMB_SIDE = 240;
export const FILE_NONCE_LENGTH = 16;

export interface Attachment {
  /** The file's space id (its write public key). */
  space: string;
  /** base64url of the 16-byte nonce its keys derive from. */
  nonce: string;
  name: string;
  mime: string;
  /** Bytes of the file before padding. */
  size: number;
  /** SHA-256 of the file, lowercase hex. */
  sha256: string;
  /** Images: a JPEG thumbnail padded to THUMB_PADDED_BYTES, base64url. */
  thumb?: string;
  /** Images: pixel width and height of the file. */
  w?: number;
  h?: number;
  /** PDFs: how many pages, as the sender counted them (a reader never opens the file to count). */
  pages?: number;
}

/** More pages than this is no PDF a client made: the count is refused. */
export const MAX_PDF_PAGES = 100_000;

const MIME = /^[a-z0-9][a-z0-9.+-]{0,63}\/[a-z0-9][a-z0-9.+-]{0,63}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const THUMB_CHARS = Math.ceil((THUMB_PADDED_BYTES * 4) / 3);
const MAX_SIDE = 65_535;
const isDimension = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0 && v <= MAX_SIDE;

/** A reason an attachment list is not well formed, or null. Readers refuse the whole post's signature on one. */
export function checkAttachments(list: unknown): string | null {
  if (!Array.isArray(list)) return 'attachments must be a list';
  if (list.length === 0 || list.length > MAX_ATTACHMENTS) return `a post carries 1 to ${MAX_ATTACHMENTS} attachments`;
  let total = 0;
  const spaces = new Set<string>();
  for (const a of list as unknown[]) {
    const problem = checkAttachment(a);
    if (problem) return problem;
    const entry = a as Attachment;
    if (spaces.has(entry.space)) return 'an attachment is listed twice';
    spaces.add(entry.space);
    total += entry.size;
  }
  if (total > MAX_POST_ATTACHMENT_BYTES) return `the attachments of one post are at most ${MAX_POST_ATTACHMENT_BYTES / 1024 / 1024} MiB together`;
  return null;
}

function checkAttachment(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'an attachment must be an object';
  const a = value as Record<string, unknown>;
  if (typeof a.space !== 'string' || !isSpaceId(a.space)) return 'an attachment names its space by id';
  const nonce = typeof a.nonce === 'string' ? fromBase64url(a.nonce) : null;
  if (!nonce || nonce.length !== FILE_NONCE_LENGTH) return 'an attachment nonce is 16 bytes of base64url';
  if (typeof a.name !== 'string' || a.name.length === 0 || a.name.length > MAX_ATTACHMENT_NAME_CHARS) return `an attachment name is 1 to ${MAX_ATTACHMENT_NAME_CHARS} characters`;
  if (typeof a.mime !== 'string' || !MIME.test(a.mime)) return 'an attachment type is a lowercase media type';
  if (typeof a.size !== 'number' || !Number.isSafeInteger(a.size) || a.size <= 0 || a.size > MAX_ATTACHMENT_BYTES) {
    return `an attachment is 1 byte to ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB`;
  }
  if (typeof a.sha256 !== 'string' || !SHA256_HEX.test(a.sha256)) return 'an attachment hash is 64 lowercase hex digits';
  if (a.thumb !== undefined && (typeof a.thumb !== 'string' || a.thumb.length !== THUMB_CHARS || !unpadThumb(a.thumb))) return 'a thumbnail is padded to 8 KiB';
  if ((a.w !== undefined || a.h !== undefined) && !(isDimension(a.w) && isDimension(a.h))) return 'image dimensions are whole pixels';
  if (a.pages !== undefined && !(typeof a.pages === 'number' && Number.isSafeInteger(a.pages) && a.pages > 0 && a.pages <= MAX_PDF_PAGES)) {
    return `a page count is 1 to ${MAX_PDF_PAGES}`;
  }
  return null;
}

/**
 * The attachment fields a post signature covers, in a fixed order, as one line of JSON (which
 * escapes every newline, so the line cannot end early).
 */
export function attachmentsSigningLine(list: readonly Attachment[]): string {
  // The page count comes last and only when present, so the line of a file without one is unchanged.
  return JSON.stringify(list.map((a) => [a.space, a.nonce, a.name, a.mime, a.size, a.sha256, a.thumb ?? '', a.w ?? 0, a.h ?? 0, ...(a.pages !== undefined ? [a.pages] : [])]));
}

/** A copy holding only the fields of an Attachment (a hostile entry may carry more). */
export function cleanAttachment(a: Attachment): Attachment {
  const out: Attachment = { space: a.space, nonce: a.nonce, name: a.name, mime: a.mime, size: a.size, sha256: a.sha256 };
  if (a.thumb !== undefined) out.thumb = a.thumb;
  if (a.w !== undefined && a.h !== undefined) Object.assign(out, { w: a.w, h: a.h });
  if (a.pages !== undefined) out.pages = a.pages;
  return out;
}

/** The size a file travels at: the next power of two, at least 16 KiB (docs/PROTOCOL.md §6). */
export function paddedFileSize(size: number): number {
  let padded = MIN_PADDED_FILE_BYTES;
  while (padded < size) padded *= 2;
  return padded;
}

/** How many chunks a file of `size` bytes is cut into. */
export function fileChunkCount(size: number): number {
  return Math.max(1, paddedFileSize(size) / FILE_CHUNK_BYTES);
}

/** The padded file (zeros after the bytes) cut into its chunks, each a fresh array. */
export function chunkFile(bytes: Uint8Array): Uint8Array[] {
  const padded = new Uint8Array(paddedFileSize(bytes.length));
  padded.set(bytes);
  const size = Math.min(padded.length, FILE_CHUNK_BYTES);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < padded.length; at += size) chunks.push(padded.slice(at, at + size));
  return chunks;
}

/** The expected length of chunk `index` of a file of `size` bytes. */
export function chunkLength(size: number): number {
  return Math.min(paddedFileSize(size), FILE_CHUNK_BYTES);
}

/** A thumbnail as carried: ISO 7816-4 padded to exactly THUMB_PADDED_BYTES, base64url; null if too large. */
export function padThumb(jpeg: Uint8Array): string | null {
  if (jpeg.length >= THUMB_PADDED_BYTES) return null;
  return toBase64url(padToBlock(jpeg, THUMB_PADDED_BYTES));
}

export function unpadThumb(thumb: string): Uint8Array | null {
  const padded = fromBase64url(thumb);
  if (!padded || padded.length !== THUMB_PADDED_BYTES) return null;
  return unpadFromBlock(padded, THUMB_PADDED_BYTES);
}

/** SHA-256 as lowercase hex (Web Crypto: present in browsers and Node). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const EXTENSIONS: Record<string, string> = { 'image/jpeg': '.jpg', 'image/png': '.png', 'image/webp': '.webp', 'application/pdf': '.pdf' };

/**
 * A name safe to create in a folder, from a writer's claim: no folders, no control, bidi or
 * reserved characters, no leading dot, not a device name, at most 120 characters, and an
 * extension that matches the type for the known types (so a "photo.jpg.exe" is not run).
 */
export function safeFileName(name: string, mime: string, fallback: string): string {
  let base = name.normalize('NFC').split(/[/\\]/).pop() ?? '';
  base = base.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff<>:"|?*]/g, '_');
  base = base.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (base === '' || WINDOWS_RESERVED.test(base)) base = fallback;
  const ext = EXTENSIONS[mime];
  if (ext && !base.toLowerCase().endsWith(ext) && !(ext === '.jpg' && base.toLowerCase().endsWith('.jpeg'))) base = `${base}${ext}`;
  if (base.length > 120) base = base.slice(0, 120 - (ext?.length ?? 0)) + (ext ?? '');
  return base;
}
