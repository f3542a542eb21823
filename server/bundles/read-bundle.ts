// Reads a bundle (docs/PROTOCOL.md §5) as it arrives, in slices, so that a relay stays
// responsive while it takes in a bundle of tens of megabytes: JSON.parse and one base64
// pass over the whole would hold the event loop for seconds, and the whole body need never
// be held. Accepts what decodeBundle accepts (a JSON object with "baton": "bundle",
// "version" and "rooms": {room: base64url}); other keys are skipped; room values must be
// plain base64url strings. Each room is handed on as soon as its text has arrived.
import { BUNDLE_VERSION, BundleError, MAX_BUNDLE_ROOMS, fromBase64url, parseRoomName, type RoomName } from '#shared';
import { JsonStream } from './json-stream.ts';
import type { Slice } from '../slices.ts';

/** Base64 characters decoded at a time: a multiple of 4, so every run but the last is whole groups. */
const B64_STEP = 1 << 18;

/**
 * Takes each room once it is read; the reader waits for it (the body is not read meanwhile).
 * `take` hands the room's bytes over once: the reader keeps no reference to them (a suspended
 * async function keeps its arguments alive), so a sink that splits a room of tens of
 * megabytes can let the whole go while it works on the pieces.
 */
export type RoomSink = (name: RoomName, take: () => Uint8Array) => Promise<void>;

/**
 * Reads a bundle from its chunks, handing each room to `sink` in order. Refuses with a
 * BundleError what is not a bundle; the checks of "baton" and "version" come at the end, so
 * a sink must act on nothing before this resolves. On any refusal the rest of the input is
 * read and dropped.
 */
export async function streamBundle(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, slice: Slice, sink: RoomSink, maxRooms = MAX_BUNDLE_ROOMS): Promise<void> {
  const r = new JsonStream(chunks, slice);
  try {
    await readTop(r, slice, sink, maxRooms);
  } catch (err) {
    await r.drain().catch(() => {});
    throw err;
  }
}

/** Reads a whole bundle held in memory. */
export async function readBundle(bytes: Uint8Array, slice: Slice, maxRooms = MAX_BUNDLE_ROOMS): Promise<Array<[RoomName, Uint8Array]>> {
  const rooms: Array<[RoomName, Uint8Array]> = [];
  await streamBundle([bytes], slice, async (name, take) => void rooms.push([name, take()]), maxRooms);
  return rooms;
}

async function readTop(r: JsonStream, slice: Slice, sink: RoomSink, maxRooms: number): Promise<void> {
  let baton: unknown;
  let version: unknown;
  let rooms = false;
  await r.expect(0x7b); // {
  if (!(await r.take(0x7d))) {
    do {
      const key = await r.string();
      await r.expect(0x3a); // :
      if (key === 'rooms') {
        if (rooms) throw new BundleError('"rooms" appears twice');
        rooms = true;
        await readRooms(r, slice, sink, maxRooms);
      } else if (key === 'baton' || key === 'version') {
        const value = await r.smallValue();
        if (key === 'baton') baton = value;
        else version = value;
      } else await r.skipValue();
      await slice.check();
    } while (await r.take(0x2c)); // ,
    await r.expect(0x7d);
  }
  await r.end();
  if (baton !== 'bundle') throw new BundleError('not a Baton bundle (missing "baton": "bundle")');
  if (version !== BUNDLE_VERSION) throw new BundleError(`unsupported bundle version ${String(version)} (this Baton reads ${BUNDLE_VERSION})`);
  if (!rooms) throw new BundleError('a bundle needs a "rooms" object');
}

async function readRooms(r: JsonStream, slice: Slice, sink: RoomSink, maxRooms: number): Promise<void> {
  const seen = new Set<RoomName>();
  if ((await r.peek()) !== 0x7b) throw new BundleError('a bundle needs a "rooms" object');
  await r.expect(0x7b);
  if (await r.take(0x7d)) return;
  do {
    const name = await r.string();
    await r.expect(0x3a);
    const address = parseRoomName(name);
    if (!address) throw new BundleError(`bad room name in bundle: ${name.slice(0, 60)}`);
    if (seen.has(address.room)) throw new BundleError(`room ${name.slice(0, 60)} appears twice`);
    if (seen.size >= maxRooms) throw new BundleError(`a bundle holds at most ${maxRooms} rooms`);
    seen.add(address.room);
    let update: Uint8Array | null = await readBase64url(r, slice, name);
    await sink(address.room, () => {
      const bytes = update;
      if (!bytes) throw new Error('a room is taken once');
      update = null;
      return bytes;
    });
    update = null;
  } while (await r.take(0x2c));
  await r.expect(0x7d);
}

/** A base64url string without padding, decoded as it arrives, pausing between runs. */
async function readBase64url(r: JsonStream, slice: Slice, name: string): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  let length = 0;
  let last = false;
  const refuse = () => new BundleError(`room ${name.slice(0, 60)} is not base64url`);
  await r.rawString(4, async (run) => {
    if (last) throw refuse(); // a run that was not whole groups came before this one
    for (let from = 0; from < run.length; from += B64_STEP) {
      const part = run.subarray(from, Math.min(run.length, from + B64_STEP));
      // One character per byte: any byte over 0x7f becomes a character the strict decoder refuses.
      const decoded = fromBase64url(Buffer.from(part.buffer, part.byteOffset, part.length).toString('latin1'));
      if (!decoded) throw refuse();
      if (part.length % 4 !== 0) last = true;
      pieces.push(decoded);
      length += decoded.length;
      await slice.check();
    }
  });
  if (pieces.length === 1) return pieces[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
