// A bounds-checked reader for Yjs v1 binary encodings. lib0's decoder trusts its input
// (reading past the end yields undefined or views into neighbouring memory); this one
// throws MalformedInput instead, which the validator turns into a rejection.

export class MalformedInput extends Error {
  override name = 'MalformedInput';
}

export class ByteReader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.pos === this.bytes.length;
  }

  readByte(): number {
    if (this.pos >= this.bytes.length) throw new MalformedInput('unexpected end of update');
    return this.bytes[this.pos++]!;
  }

  /** lib0 varuint: 7 bits a byte, little-endian, at most 2^53 - 1. */
  readVarUint(): number {
    let num = 0;
    let mult = 1;
    for (;;) {
      const byte = this.readByte();
      num += (byte & 0x7f) * mult;
      if (byte < 0x80) return num;
      mult *= 128;
      if (num > Number.MAX_SAFE_INTEGER || mult > 2 ** 56) throw new MalformedInput('integer out of range');
    }
  }

  readBytes(length: number): Uint8Array {
    if (length > this.bytes.length - this.pos) throw new MalformedInput('length runs past the end of the update');
    const view = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return view;
  }

  readVarBytes(): Uint8Array {
    return this.readBytes(this.readVarUint());
  }
}
