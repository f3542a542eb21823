// Attached files (docs/PROTOCOL.md §6, "Attachments"): each file is a space of its own, its
// keys derived from the thread's and a nonce, its padded bytes cut into chunks of one blob
// each, and a link blob in the thread's room names it so mirrors, peers and bundles carry it.
// Stripping metadata happens before this, on the platform (client/node, client/web): what
// arrives here is sealed as given.
import {
  FILE_NONCE_LENGTH,
  MAX_ATTACHMENTS,
  MAX_ATTACHMENT_BYTES,
  MAX_POST_ATTACHMENT_BYTES,
  appendSealed,
  checkAttachments,
  chunkFile,
  chunkLength,
  deriveFileCapability,
  fileChunkCount,
  fromBase64url,
  padThumb,
  publicKeyFromSpaceId,
  sha256Hex,
  sodium,
  toBase64url,
  type Attachment,
} from '#shared';
import type { BatonClient } from './client.ts';
import type { Written } from './delivery.ts';
import { ClientError } from './errors.ts';
import { linkSealers } from './link-blobs.ts';
import { LOCAL_BLOB } from './origins.ts';
import { queuedCapabilities } from './outbox.ts';
import type { Space } from './space.ts';

/** A file ready to seal: already stripped of metadata by the platform that read it. */
export interface PreparedFile {
  bytes: Uint8Array;
  name: string;
  mime: string;
  /** Images: pixel size and a JPEG thumbnail (at most 8 KiB less one byte). */
  width?: number;
  height?: number;
  thumb?: Uint8Array;
  /** PDFs: the page count, and a JPEG thumbnail of the first page where the sender's device could draw one. */
  pages?: number;
  /** What stripping removed, for the sender to see ("GPS position", …). */
  removed: string[];
  /** A warning the sender accepted (a PDF whose old revisions may survive). */
  warning?: string;
}

const MiB = 1024 * 1024;
const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;

/** Refuses, with a message a person can act on, files over the client's limits. */
export function checkFileLimits(files: readonly { name: string; bytes: Uint8Array }[]): void {
  if (files.length > MAX_ATTACHMENTS) throw new ClientError('too-large', `a post carries at most ${MAX_ATTACHMENTS} files (${files.length} given)`, 'too-many-files');
  let total = 0;
  for (const f of files) {
    if (f.bytes.length === 0) throw new ClientError('bad-input', `${f.name} is empty`, 'empty-file');
    if (f.bytes.length > MAX_ATTACHMENT_BYTES) {
      throw new ClientError('too-large', `${f.name} is ${mib(f.bytes.length)}; a file may be at most ${MAX_ATTACHMENT_BYTES / MiB} MiB`, 'file-too-large');
    }
    total += f.bytes.length;
  }
  if (total > MAX_POST_ATTACHMENT_BYTES) {
    throw new ClientError('too-large', `these files come to ${mib(total)}; one post may carry at most ${MAX_POST_ATTACHMENT_BYTES / MiB} MiB`, 'files-too-large');
  }
}

export interface SealedFiles {
  attachments: Attachment[];
  /** The files' spaces, open: wait for their delivery, then close them. */
  spaces: Space[];
  /** The link blobs written into the thread's room. */
  links: Written;
}

/** Seals each file into a new space of the thread and links it from the thread's room. */
export async function sealFiles(client: BatonClient, thread: Space, files: readonly PreparedFile[]): Promise<SealedFiles> {
  thread.requireWrite();
  checkFileLimits(files);
  const attachments: Attachment[] = [];
  const spaces: Space[] = [];
  for (const f of files) {
    const nonce = sodium().randombytes_buf(FILE_NONCE_LENGTH);
    const cap = deriveFileCapability({ ...thread.cap, relays: thread.relays() }, nonce);
    const space = await client.open(cap);
    spaces.push(space);
    const doc = space.requireWrite();
    const chunks = doc.getMap<Uint8Array>('chunks');
    // One chunk per transaction and per blob: every blob of a file is the same size.
    chunkFile(f.bytes).forEach((chunk, i) => {
      doc.transact(() => chunks.set(String(i), chunk));
      space.flush();
    });
    const thumb = f.thumb ? padThumb(f.thumb) : null;
    const a: Attachment = { space: cap.spaceId, nonce: toBase64url(nonce), name: f.name, mime: f.mime, size: f.bytes.length, sha256: await sha256Hex(f.bytes) };
    if (thumb) a.thumb = thumb;
    if (f.width && f.height) Object.assign(a, { w: f.width, h: f.height });
    if (f.pages) a.pages = f.pages;
    attachments.push(a);
  }
  const problem = checkAttachments(attachments);
  if (problem) throw new ClientError('bad-input', problem);
  const write = thread.cap.write!;
  const key = { ...thread.key, writeSecret: write.secretKey };
  const blobs = appendSealed(thread.envelope, linkSealers(key, spaces.map((s) => s.cap.writePub)), LOCAL_BLOB);
  return { attachments, spaces, links: { room: thread.room, blobs: blobs.map(({ client: c, clock }) => ({ client: c, clock })) } };
}

/** Whether every chunk of a file is in its space's doc, each of its expected length. */
function chunksOf(space: Space, a: Attachment): Uint8Array[] | null {
  const chunks = space.requireRead().getMap<unknown>('chunks');
  const count = fileChunkCount(a.size);
  const length = chunkLength(a.size);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const c = chunks.get(String(i));
    if (!(c instanceof Uint8Array) || c.length !== length) return null;
    out.push(c);
  }
  return out;
}

/**
 * A file's bytes, fetched from the thread's relays (kept in the device's store like any
 * space), checked against the SHA-256 its post names. Throws ClientError('bad-file') when a
 * chunk is missing or the bytes are not what the post names.
 */
export async function fetchFile(client: BatonClient, thread: Space, a: Attachment, o: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Uint8Array> {
  const nonce = fromBase64url(a.nonce);
  if (!nonce || nonce.length !== FILE_NONCE_LENGTH || !thread.cap.readKey) throw new ClientError('bad-file', `${a.name}: the post does not name a file this thread can open`);
  const cap = deriveFileCapability({ ...thread.cap, write: null, relays: thread.relays() }, nonce, a.space as never);
  const opened = client.get(cap.spaceId);
  const space = opened ?? (await client.open(cap));
  try {
    let chunks = chunksOf(space, a);
    if (!chunks) {
      await waitFor(space, () => (chunks = chunksOf(space, a)) !== null, o);
      chunks ??= chunksOf(space, a);
    }
    await space.saved();
    if (!chunks) throw new ClientError('bad-file', `${a.name}: some of its ${fileChunkCount(a.size)} chunks are missing on the relays reached`, 'file-incomplete');
    const bytes = new Uint8Array(chunks.length * chunkLength(a.size));
    chunks.forEach((c, i) => bytes.set(c, i * c.length));
    const file = bytes.slice(0, a.size);
    if ((await sha256Hex(file)) !== a.sha256) throw new ClientError('bad-file', `${a.name}: its bytes do not match the SHA-256 its post names (refused)`);
    return file;
  } finally {
    if (!opened) await client.closeSpace(cap.spaceId);
  }
}

/** Resolves once `done` holds, or once the space synced with its relays (or gave up on them). */
async function waitFor(space: Space, done: () => boolean, o: { timeoutMs?: number; signal?: AbortSignal }): Promise<void> {
  let stop = () => {};
  const complete = new Promise<void>((resolve) => {
    const unsubscribe = space.subscribe(() => {
      if (done()) resolve();
    });
    stop = () => {
      unsubscribe();
      resolve();
    };
  });
  try {
    await Promise.race([complete, space.whenSynced(o).catch(() => [])]);
  } finally {
    stop();
  }
}

/**
 * The files these threads link (by link blobs), opened without keys: enough to carry their
 * ciphertext in a bundle. Spaces this client already has open are not returned.
 */
export async function openLinkedFiles(client: BatonClient, threads: readonly Space[]): Promise<Space[]> {
  const files: Space[] = [];
  for (const thread of threads) {
    for (const id of thread.children) {
      const writePub = publicKeyFromSpaceId(id);
      if (writePub && !client.get(id)) files.push(await client.open({ kind: 'file', spaceId: id, writePub, readKey: null, write: null, relays: thread.relays() }));
    }
  }
  return files;
}

/**
 * Files of this thread whose upload this device had not finished (its chunks queued in the
 * store, the page closed before a relay confirmed them): opened without keys until a relay
 * confirms them, then closed. A thread opened later thereby finishes its files' upload too.
 */
export async function resumeFileUploads(client: BatonClient, thread: Space): Promise<void> {
  const queued = await queuedCapabilities(client.store);
  const children = thread.children;
  for (const cap of queued) {
    if (!children.has(cap.spaceId) || client.get(cap.spaceId)) continue;
    const file = await client.open({ ...cap, kind: 'file', relays: [...new Set([...cap.relays, ...thread.relays()])] });
    void file
      .whenDelivered()
      .catch(() => {})
      .finally(() => client.closeSpace(file.spaceId));
  }
}
