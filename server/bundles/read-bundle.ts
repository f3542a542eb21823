// Reads a bundle (docs/PROTOCOL.md §5) from its bytes in slices, so that a relay stays
// responsive while it takes in a bundle of tens of megabytes: JSON.parse and one base64
// pass over the whole would hold the event loop for seconds. Accepts what decodeBundle
// accepts (a JSON object with "baton": "bundle", "version" and "rooms": {room: base64url});
// other keys are skipped; room values must be plain base64url strings.
import { BUNDLE_VERSION, BundleError, MAX_BUNDLE_ROOMS, fromBase64url, parseRoomName, type RoomName } from '../../shared/index.ts';
import type { Slice } from './slices.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Base64 characters decoded between pauses: a multiple of 4, so every step but the last ends on a whole group. */
const B64_STEP = 1 << 20;


export async function readBundle(bytes: Uint8Array, slice: Slice, maxRooms = MAX_BUNDLE_ROOMS): Promise<Array<[RoomName, Uint8Array]>> {
  const r = new Scanner(bytes);
  let baton: unknown;
  let version: unknown;
  let rooms: Array<[RoomName, Uint8Array]> | null = null;
  r.expect(0x7b); // {
  if (!r.take(0x7d)) {
    do {
      const key = r.string();
      r.expect(0x3a); // :
      if (key === 'rooms') rooms = await readRooms(r, slice, maxRooms);
      else if (key === 'baton' || key === 'version') {
        const value = r.smallValue();
        if (key === 'baton') baton = value;
        else version = value;
      } else r.skipValue();
      await slice.check();
    } while (r.take(0x2c)); // ,
    r.expect(0x7d);
  }
  r.end();
  if (baton !== 'bundle') throw new BundleError('not a Baton bundle (missing "baton": "bundle")');
  if (version !== BUNDLE_VERSION) throw new BundleError(`unsupported bundle version ${String(version)} (this Baton reads ${BUNDLE_VERSION})`);
  if (!rooms) throw new BundleError('a bundle needs a "rooms" object');
  return rooms;
}

async function readRooms(r: Scanner, slice: Slice, maxRooms: number): Promise<Array<[RoomName, Uint8Array]>> {
  const rooms = new Map<RoomName, Uint8Array>();
  if (r.peek() !== 0x7b) throw new BundleError('a bundle needs a "rooms" object');
  r.expect(0x7b);
  if (r.take(0x7d)) return [];
  do {
    const name = r.string();
    r.expect(0x3a);
    const address = parseRoomName(name);
    if (!address) throw new BundleError(`bad room name in bundle: ${name.slice(0, 60)}`);
    if (rooms.has(address.room)) throw new BundleError(`room ${name.slice(0, 60)} appears twice`);
    if (rooms.size >= maxRooms) throw new BundleError(`a bundle holds at most ${maxRooms} rooms`);
    const [start, end] = r.rawString();
    const update = await decodeBase64url(r.bytes, start, end, slice);
    if (!update) throw new BundleError(`room ${name.slice(0, 60)} is not base64url`);
    rooms.set(address.room, update);
  } while (r.take(0x2c));
  r.expect(0x7d);
  return [...rooms];
}

/** Decodes bytes[start, end) as base64url without padding, pausing between steps; null if it is not. */
async function decodeBase64url(bytes: Uint8Array, start: number, end: number, slice: Slice): Promise<Uint8Array | null> {
  const length = end - start;
  if (length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((length * 3) / 4));
  let o = 0;
  for (let from = start; from < end; from += B64_STEP) {
    // One character per byte: any byte over 0x7f becomes a character the strict decoder refuses.
    const text = Buffer.from(bytes.buffer, bytes.byteOffset + from, Math.min(end, from + B64_STEP) - from).toString('latin1');
    const piece = fromBase64url(text);
    if (!piece) return null;
    out.set(piece, o);
    o += piece.length;
    await slice.check();
  }
  return out;
}

/** A cursor over JSON bytes; every malformed input ends in a BundleError. */
class Scanner {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  #ws(): void {
    const b = this.bytes;
    while (this.pos < b.length && (b[this.pos] === 0x20 || b[this.pos] === 0x0a || b[this.pos] === 0x0d || b[this.pos] === 0x09)) this.pos++;
  }

  peek(): number | undefined {
    this.#ws();
    return this.bytes[this.pos];
  }

  take(byte: number): boolean {
    if (this.peek() !== byte) return false;
    this.pos++;
    return true;
  }

  expect(byte: number): void {
    if (!this.take(byte)) bad();
  }

  end(): void {
    if (this.peek() !== undefined) bad();
  }

  /** [start, end) of a string's contents; escapes are allowed only in short strings (parsed by string()). */
  rawString(): [number, number] {
    this.expect(QUOTE);
    const start = this.pos;
    const close = this.bytes.indexOf(QUOTE, start);
    if (close < 0) bad();
    const escape = this.bytes.subarray(start, close).indexOf(BACKSLASH);
    if (escape >= 0) throw new BundleError('not a Baton bundle: a room holds escaped text, not base64url');
    this.pos = close + 1;
    return [start, close];
  }

  /** A string of any content, decoded as JSON does (keys, room names). */
  string(): string {
    this.expect(QUOTE);
    const start = this.pos - 1;
    this.#skipStringBody();
    if (this.pos - start > 64 * 1024) throw new BundleError('not a Baton bundle: a key is too long');
    try {
      return JSON.parse(new TextDecoder().decode(this.bytes.subarray(start, this.pos))) as string;
    } catch {
      bad();
    }
  }

  #skipStringBody(): void {
    const b = this.bytes;
    for (;;) {
      const close = b.indexOf(QUOTE, this.pos);
      if (close < 0) bad();
      let slashes = 0;
      for (let i = close - 1; i >= this.pos && b[i] === BACKSLASH; i--) slashes++;
      this.pos = close + 1;
      if (slashes % 2 === 0) return;
    }
  }

  /** A short scalar (string, number, literal), parsed by JSON.parse. */
  smallValue(): unknown {
    const start = this.pos;
    this.skipValue();
    if (this.pos - start > 64 * 1024) return undefined;
    try {
      return JSON.parse(new TextDecoder().decode(this.bytes.subarray(start, this.pos)));
    } catch {
      bad();
    }
  }

  /** Skips one value of any kind, nested ones included. */
  skipValue(): void {
    let depth = 0;
    do {
      const c = this.peek();
      if (c === undefined) bad();
      if (c === QUOTE) {
        this.pos++;
        this.#skipStringBody();
      } else if (c === 0x7b || c === 0x5b) {
        depth++;
        this.pos++;
      } else if (c === 0x7d || c === 0x5d) {
        if (depth === 0) bad();
        depth--;
        this.pos++;
      } else if (c === 0x2c || c === 0x3a) {
        if (depth === 0) bad();
        this.pos++;
      } else {
        // A number or literal: up to the next delimiter.
        const from = this.pos;
        while (this.pos < this.bytes.length && !DELIMITER.has(this.bytes[this.pos]!)) this.pos++;
        if (this.pos === from) bad();
      }
    } while (depth > 0);
  }
}

const DELIMITER = new Set([0x2c, 0x3a, 0x7b, 0x7d, 0x5b, 0x5d, 0x22, 0x20, 0x0a, 0x0d, 0x09]);

function bad(): never {
  throw new BundleError('not a Baton bundle: the file is not JSON');
}
