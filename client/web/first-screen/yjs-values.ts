// The values an encoded Yjs v1 update carries, read without Yjs (the page's first script has
// no Yjs): the binary items (an envelope doc's blobs) and the strings set in maps or arrays (a
// first-screen doc's signed records). Nothing is applied and nothing is trusted: the caller
// decrypts and checks each value. Throws RangeError on anything it cannot read.

class Reader {
  at = 0;
  constructor(private readonly bytes: Uint8Array) {}
  byte(): number {
    if (this.at >= this.bytes.length) throw new RangeError('update ends early');
    return this.bytes[this.at++]!;
  }
  uint(): number {
    let n = 0;
    let mult = 1;
    for (;;) {
      const b = this.byte();
      n += (b & 0x7f) * mult;
      if (b < 0x80) return n;
      mult *= 128;
      if (mult > 2 ** 53) throw new RangeError('number too large');
    }
  }
  int(): number {
    const first = this.byte();
    let n = first & 0x3f;
    const sign = first & 0x40 ? -1 : 1;
    if (first & 0x80) {
      let mult = 64;
      for (;;) {
        const b = this.byte();
        n += (b & 0x7f) * mult;
        if (b < 0x80) break;
        mult *= 128;
        if (mult > 2 ** 53) throw new RangeError('number too large');
      }
    }
    return sign * n;
  }
  buf(): Uint8Array {
    const len = this.uint();
    if (this.at + len > this.bytes.length) throw new RangeError('update ends early');
    const out = this.bytes.subarray(this.at, this.at + len);
    this.at += len;
    return out;
  }
  string(): string {
    return new TextDecoder('utf-8', { fatal: true }).decode(this.buf());
  }
  skip(n: number): void {
    if (this.at + n > this.bytes.length) throw new RangeError('update ends early');
    this.at += n;
  }
}

export interface UpdateValues {
  binaries: Uint8Array[];
  strings: string[];
}

/** lib0's writeAny encoding: strings are kept, everything else is skipped. */
function readAny(r: Reader, out: UpdateValues, depth = 0): void {
  if (depth > 16) throw new RangeError('value nested too deep');
  const type = r.byte();
  switch (type) {
    case 127: case 126: case 121: case 120: return;
    case 125: r.int(); return;
    case 124: r.skip(4); return;
    case 123: case 122: r.skip(8); return;
    case 119: out.strings.push(r.string()); return;
    case 118: for (let n = r.uint(); n > 0; n--) (r.string(), readAny(r, out, depth + 1)); return;
    case 117: for (let n = r.uint(); n > 0; n--) readAny(r, out, depth + 1); return;
    case 116: r.buf(); return;
    default: throw new RangeError(`unknown value type ${type}`);
  }
}

function readContent(r: Reader, ref: number, out: UpdateValues): void {
  switch (ref) {
    case 1: r.uint(); return; // deleted
    case 2: for (let n = r.uint(); n > 0; n--) r.string(); return; // JSON
    case 3: out.binaries.push(r.buf()); return;
    case 4: out.strings.push(r.string()); return;
    case 5: r.string(); return; // embed
    case 6: (r.string(), r.string()); return; // format
    case 7: { const type = r.uint(); if (type === 3 || type === 5) r.string(); return; } // a type
    case 8: for (let n = r.uint(); n > 0; n--) readAny(r, out); return;
    case 9: (r.string(), readAny(r, { binaries: [], strings: [] })); return; // a subdocument
    default: throw new RangeError(`unknown content ${ref}`);
  }
}

/** Every binary item and string value of a Yjs v1 update, in the order encoded. */
export function updateValues(update: Uint8Array): UpdateValues {
  const r = new Reader(update);
  const out: UpdateValues = { binaries: [], strings: [] };
  for (let clients = r.uint(); clients > 0; clients--) {
    const structs = r.uint();
    r.uint(); // client
    r.uint(); // clock
    for (let i = 0; i < structs; i++) {
      const info = r.byte();
      const ref = info & 0x1f;
      if (ref === 0 || ref === 10) {
        r.uint(); // GC or skip: a length
        continue;
      }
      if (info & 0x80) (r.uint(), r.uint()); // origin
      if (info & 0x40) (r.uint(), r.uint()); // right origin
      if ((info & 0xc0) === 0) {
        if (r.uint() === 1) r.string(); // parent: a root type's name
        else (r.uint(), r.uint()); // or an item's id
        if (info & 0x20) r.string(); // the key in a map
      }
      readContent(r, ref, out);
    }
  }
  return out;
}
