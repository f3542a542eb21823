// A cursor over JSON text that arrives in chunks (a request body): it holds only what it has
// not consumed yet, plus one chunk. Made for the bundle reader: short strings and scalars
// are read whole, long base64url strings are handed out in pieces as they arrive, and any
// other value is skipped without being held. Every malformed input ends in a BundleError.
import { BundleError } from '#shared';
import type { Slice } from '../slices.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Keys and scalars longer than this are not a bundle's. */
const MAX_SHORT = 64 * 1024;
const DELIMITER = new Set([0x2c, 0x3a, 0x7b, 0x7d, 0x5b, 0x5d, 0x22, 0x20, 0x0a, 0x0d, 0x09]);

export class JsonStream {
  #buf: Uint8Array = new Uint8Array(0);
  #pos = 0;
  #done = false;
  readonly #chunks: AsyncIterator<Uint8Array> | Iterator<Uint8Array>;

  constructor(
    chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    private readonly slice: Slice,
  ) {
    this.#chunks = Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : chunks[Symbol.iterator]();
  }

  /** Takes the next chunk onto what is left; false at the end of the input. */
  async #more(): Promise<boolean> {
    if (this.#done) return false;
    const next = await this.#chunks.next();
    if (next.done) {
      this.#done = true;
      return false;
    }
    const rest = this.#buf.subarray(this.#pos);
    const chunk = next.value;
    if (rest.length === 0) this.#buf = chunk;
    else {
      const joined = new Uint8Array(rest.length + chunk.length);
      joined.set(rest);
      joined.set(chunk, rest.length);
      this.#buf = joined;
    }
    this.#pos = 0;
    await this.slice.check();
    return true;
  }

  /** The next byte that is not whitespace, not consumed; undefined at the end. */
  async peek(): Promise<number | undefined> {
    for (;;) {
      const b = this.#buf;
      while (this.#pos < b.length && (b[this.#pos] === 0x20 || b[this.#pos] === 0x0a || b[this.#pos] === 0x0d || b[this.#pos] === 0x09)) this.#pos++;
      if (this.#pos < b.length) return b[this.#pos];
      if (!(await this.#more())) return undefined;
    }
  }

  async take(byte: number): Promise<boolean> {
    if ((await this.peek()) !== byte) return false;
    this.#pos++;
    return true;
  }

  async expect(byte: number): Promise<void> {
    if (!(await this.take(byte))) bad();
  }

  /** Only whitespace is left. */
  async end(): Promise<void> {
    if ((await this.peek()) !== undefined) bad();
  }

  /** A string of any content, decoded as JSON does (keys, room names); at most 64 KiB. */
  async string(): Promise<string> {
    if ((await this.peek()) !== QUOTE) bad();
    const length = await this.#whole((b, from) => stringEnd(b, from + 1));
    return this.#parse(length) as string;
  }

  /** A short scalar (string, number, literal), parsed by JSON.parse; undefined when it is long. */
  async smallValue(): Promise<unknown> {
    const first = await this.peek();
    if (first === QUOTE) return this.string();
    if (first === undefined || DELIMITER.has(first)) bad();
    const length = await this.#whole((b, from) => {
      let i = from;
      while (i < b.length && !DELIMITER.has(b[i]!)) i++;
      return i < b.length || this.#done ? i : -1;
    });
    return this.#parse(length);
  }

  /**
   * A string whose contents are handed to `piece` as they arrive, in runs whose length is a
   * multiple of `unit` but for the last. It may hold no escapes (base64url text).
   */
  async rawString(unit: number, piece: (bytes: Uint8Array) => Promise<void>): Promise<void> {
    await this.expect(QUOTE);
    for (;;) {
      const b = this.#buf;
      const close = b.indexOf(QUOTE, this.#pos);
      const end = close >= 0 ? close : this.#pos + Math.floor((b.length - this.#pos) / unit) * unit;
      const run = b.subarray(this.#pos, end);
      if (run.indexOf(BACKSLASH) >= 0) throw new BundleError('not a Baton bundle: a room holds escaped text, not base64url');
      this.#pos = end;
      if (run.length > 0) await piece(run);
      if (close >= 0) {
        this.#pos++;
        return;
      }
      if (!(await this.#more())) bad();
    }
  }

  /** Skips one value of any kind, nested ones included, holding none of it. */
  async skipValue(): Promise<void> {
    let depth = 0;
    do {
      const c = await this.peek();
      if (c === undefined) bad();
      if (c === QUOTE) await this.#skipString();
      else if (c === 0x7b || c === 0x5b) {
        depth++;
        this.#pos++;
      } else if (c === 0x7d || c === 0x5d) {
        if (depth === 0) bad();
        depth--;
        this.#pos++;
      } else if (c === 0x2c || c === 0x3a) {
        if (depth === 0) bad();
        this.#pos++;
      } else {
        // A number or literal: up to the next delimiter.
        let any = false;
        for (;;) {
          const b = this.#buf;
          while (this.#pos < b.length && !DELIMITER.has(b[this.#pos]!)) {
            this.#pos++;
            any = true;
          }
          if (this.#pos < b.length || !(await this.#more())) break;
        }
        if (!any) bad();
      }
    } while (depth > 0);
  }

  async #skipString(): Promise<void> {
    this.#pos++; // the opening quote
    let escaped = false;
    for (;;) {
      const b = this.#buf;
      while (this.#pos < b.length) {
        const c = b[this.#pos++]!;
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) return;
      }
      if (!(await this.#more())) bad();
    }
  }

  /** Makes a value held whole: `endOf` gives its end from its start, or -1 until more arrives. */
  async #whole(endOf: (bytes: Uint8Array, from: number) => number): Promise<number> {
    for (;;) {
      const end = endOf(this.#buf, this.#pos);
      if (end >= 0) {
        if (end - this.#pos > MAX_SHORT) throw new BundleError('not a Baton bundle: a key or value is too long');
        return end - this.#pos;
      }
      if (this.#buf.length - this.#pos > MAX_SHORT) throw new BundleError('not a Baton bundle: a key or value is too long');
      if (!(await this.#more())) bad();
    }
  }

  #parse(length: number): unknown {
    const text = new TextDecoder().decode(this.#buf.subarray(this.#pos, this.#pos + length));
    this.#pos += length;
    try {
      return JSON.parse(text);
    } catch {
      bad();
    }
  }

  /** Reads what is left of the input and drops it (a refused request's body). */
  async drain(): Promise<void> {
    this.#buf = new Uint8Array(0);
    this.#pos = 0;
    while (await this.#more()) this.#buf = new Uint8Array(0);
  }
}

/** The end (past the closing quote) of the string whose body starts at `from`, or -1 if not yet here. */
function stringEnd(b: Uint8Array, from: number): number {
  let i = from;
  for (;;) {
    const close = b.indexOf(QUOTE, i);
    if (close < 0) return -1;
    let slashes = 0;
    for (let j = close - 1; j >= from && b[j] === BACKSLASH; j--) slashes++;
    if (slashes % 2 === 0) return close + 1;
    i = close + 1;
  }
}

function bad(): never {
  throw new BundleError('not a Baton bundle: the file is not JSON');
}
