// A thread's published first screen (docs/PROTOCOL.md §6, "First screen"), read by the page's
// first script before the app, Yjs and libsodium have arrived: on a slow link it is on screen
// seconds before they are. Derives the first-screen space from the link's read key (BLAKE2b),
// its id with WebCrypto's Ed25519, fetches its newest epoch over HTTP from the relay that served
// the page (else the link's relays), decrypts each blob (XChaCha20-Poly1305), and keeps only a
// record signed with the thread's write key and naming the thread, and in it only the posts
// whose author's signature checks. Blob write and author signatures are not checked here: the
// record's own signature is what a reader trusts, and the app checks everything again.
import { concatBytes, fromBase64url, u32be, utf8 } from '#shared/bytes.ts';
import { ed25519EncodingsAllowed } from '#shared/ed25519-rules.ts';
import { unpadFromBlock } from '#shared/padding.ts';
import { checkPostFields, postSigningText, type Post } from '#shared/schema/post-fields.ts';
import { blake2b } from './blake2b.ts';
import { xchachaDecrypt } from './xchacha.ts';
import { updateValues } from './yjs-values.ts';

export interface FirstLook {
  title: string;
  /** Newest last; each signed by its author. */
  posts: Post[];
}

/** The most a first screen's room may weigh here: a few records of 20 posts. */
const MAX_ROOM_BYTES = 1024 * 1024;
const MAX_OPEN_EPOCH = 2 ** 31 - 1;
const MAX_POSTS = 20;
const THREAD = /baton:thread:([A-Za-z0-9_-]{43}):([A-Za-z0-9_-]{43})(?::[A-Za-z0-9_-]{43})?(?:\?relays=([^&#]*))?/;
const PKCS8_ED25519 = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);

/** The thread a fragment links to, with its read key and relay hints; null for anything else. */
export function threadLink(hash: string): { spaceId: string; writePub: Uint8Array; readKey: Uint8Array; relays: string[] } | null {
  let text = hash.replace(/^#/, '').replace(/\s+/g, '');
  if (!text.startsWith('baton:')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return null;
    }
  }
  const m = THREAD.exec(text);
  const writePub = m && fromBase64url(m[1]!);
  const readKey = m && fromBase64url(m[2]!);
  if (!m || !writePub || writePub.length !== 32 || !readKey || readKey.length !== 32) return null;
  const relays: string[] = [];
  for (const hint of (m[3] ?? '').split(',').slice(0, 4)) {
    try {
      const url = decodeURIComponent(hint).replace(/\/+$/, '');
      if (/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(url)) relays.push(url);
    } catch {
      // a damaged hint is skipped
    }
  }
  return { spaceId: m[1]!, writePub, readKey, relays };
}

async function ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean> {
  if (signature.length !== 64 || publicKey.length !== 32 || !ed25519EncodingsAllowed(signature, publicKey)) return false;
  const key = await crypto.subtle.importKey('raw', publicKey as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify']);
  return crypto.subtle.verify({ name: 'Ed25519' }, key, signature as Uint8Array<ArrayBuffer>, message as Uint8Array<ArrayBuffer>);
}

async function publicKeyOf(seed: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey('pkcs8', concatBytes(PKCS8_ED25519, seed) as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, true, ['sign']);
  const jwk = await crypto.subtle.exportKey('jwk', key);
  if (typeof jwk.x !== 'string') throw new Error('no public key');
  return jwk.x;
}

async function get(url: string, signal: AbortSignal): Promise<Response> {
  const res = await fetch(url, { signal, cache: 'no-store' });
  if (!res.ok) throw new Error(`${res.status}`);
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_ROOM_BYTES) throw new Error('too large');
  return res;
}

/** The candidate records of one room's update: each string any blob's plaintext carries. */
function recordsOf(room: Uint8Array, fsPub: Uint8Array, epoch: number, readKey: Uint8Array): string[] {
  const out: string[] = [];
  for (const blob of updateValues(room).binaries) {
    if (blob.length < 26 + 16 + 64 || blob[0] !== 2 || (blob[1] !== 1 && blob[1] !== 2)) continue;
    const ad = concatBytes(utf8('baton/v2'), fsPub, u32be(epoch), blob.subarray(0, 2));
    const padded = xchachaDecrypt(blob.subarray(26, blob.length - 64), ad, blob.subarray(2, 26), readKey);
    const inner = padded && unpadFromBlock(padded, 256);
    if (!inner || inner.length < 96) continue;
    try {
      out.push(...updateValues(inner.subarray(96)).strings);
    } catch {
      // not a Yjs update: skipped
    }
  }
  return out;
}

async function checkRecord(signed: string, spaceId: string, writePub: Uint8Array): Promise<FirstLook | null> {
  const dot = signed.indexOf('.');
  const sig = dot > 0 ? fromBase64url(signed.slice(0, dot)) : null;
  const record = signed.slice(dot + 1);
  if (!sig || !(await ed25519Verify(sig, utf8(`baton/first-screen/v1\n${record}`), writePub))) return null;
  const body = JSON.parse(record) as { thread?: unknown; title?: unknown; posts?: unknown };
  if (body.thread !== spaceId || typeof body.title !== 'string' || !Array.isArray(body.posts)) return null;
  const posts: Post[] = [];
  for (const p of body.posts.slice(-MAX_POSTS) as Record<string, unknown>[]) {
    if (typeof p !== 'object' || p === null || checkPostFields(p as Parameters<typeof checkPostFields>[0]) !== null) continue;
    const author = typeof p.author === 'string' ? fromBase64url(p.author) : null;
    const postSig = typeof p.sig === 'string' ? fromBase64url(p.sig) : null;
    if (!author || !postSig || !(await ed25519Verify(postSig, utf8(postSigningText(spaceId, p as unknown as Post)), author))) continue;
    posts.push(p as unknown as Post);
  }
  return { title: body.title, posts };
}

/**
 * The first screen of the thread this fragment links to, from the first relay that has one;
 * null when the link is not a thread's, nothing is published, or WebCrypto lacks Ed25519.
 */
export async function readFirstLook(hash: string, servingRelay: string | null, signal: AbortSignal): Promise<FirstLook | null> {
  const link = threadLink(hash);
  if (!link) return null;
  const seed = blake2b(32, utf8('baton/first-screen-write/v1'), link.readKey);
  const readKey = blake2b(32, utf8('baton/first-screen-read/v1'), link.readKey);
  const fsId = await publicKeyOf(seed);
  const fsPub = fromBase64url(fsId)!;
  const relays = [...new Set([...(servingRelay ? [servingRelay] : []), ...link.relays])].slice(0, 3);
  for (const relay of relays) {
    try {
      const { epochs } = (await (await get(`${relay}/v1/spaces/${fsId}`, signal)).json()) as { epochs?: unknown };
      const valid = Array.isArray(epochs) ? epochs.filter((e): e is number => Number.isSafeInteger(e) && e >= 0 && e <= MAX_OPEN_EPOCH) : [];
      if (valid.length === 0) continue;
      const epoch = Math.max(...valid);
      const room = new Uint8Array(await (await get(`${relay}/v1/rooms/${fsId}.${epoch}`, signal)).arrayBuffer());
      if (room.length > MAX_ROOM_BYTES) continue;
      let best: FirstLook | null = null;
      for (const signed of recordsOf(room, fsPub, epoch, readKey)) {
        const look = await checkRecord(signed, link.spaceId, link.writePub).catch(() => null);
        if (look && look.posts.length > 0 && (!best || look.posts.at(-1)!.ts > best.posts.at(-1)!.ts)) best = look;
      }
      if (best) return best;
    } catch {
      if (signal.aborted) return null;
      // this relay does not answer, or answered nonsense: the next one
    }
  }
  return null;
}
