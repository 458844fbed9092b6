/**
 * @module
 * A minimal reader of the protobuf wire format (https://protobuf.dev/programming-guides/encoding/),
 * enough for Kubernetes' messages: tags, varints, fixed 32- and 64-bit values and length-delimited
 * fields, with unknown fields skipped. Every read is bounds-checked against the reader's window, so a
 * hostile length can neither read past the input nor make us allocate: sub-messages and byte fields
 * are views into the input. Malformed or truncated input throws a {@link ProtobufError}.
 *
 * Groups (wire types 3 and 4) are refused: proto2 deprecated them and no Kubernetes message uses
 * them, so their presence means the input is not what it claims to be.
 */

/** Input that is not a well-formed protobuf message (or not the one the schema describes). */
export class ProtobufError extends Error {
  override readonly name = 'ProtobufError';
}

/** Wire types: varint, 64-bit, length-delimited, 32-bit. */
export type WireType = 0 | 1 | 2 | 5;

export const VARINT = 0;
export const FIXED64 = 1;
export const LENGTH_DELIMITED = 2;
export const FIXED32 = 5;

/** A field's key: its number and how its value is encoded. */
export interface FieldTag {
  readonly field: number;
  readonly wireType: WireType;
}

/** A 64-bit varint as two unsigned 32-bit halves (exact, unlike a double). */
interface Varint64 {
  readonly lo: number;
  readonly hi: number;
}

/** The largest field number protobuf allows (2^29 - 1). */
const MAX_FIELD_NUMBER = 0x1fffffff;
const TWO_32 = 2 ** 32;

export class WireReader {
  private position: number;
  private readonly end: number;

  /** Reads `bytes[start, end)`. */
  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    end = bytes.length,
  ) {
    if (start < 0 || end > bytes.length || start > end) throw new ProtobufError(`window [${start}, ${end}) is outside the input`);
    this.position = start;
    this.end = end;
  }

  /** Whether every byte of the window has been read. */
  get done(): boolean {
    return this.position >= this.end;
  }

  /** The offset of the next byte to read, for error messages. */
  get offset(): number {
    return this.position;
  }

  /** The next field's tag. */
  readTag(): FieldTag {
    const { lo, hi } = this.readVarint64();
    if (hi !== 0) throw new ProtobufError(`field tag at offset ${this.position} is too large`);
    const field = lo >>> 3;
    const wireType = lo & 7;
    if (field === 0 || field > MAX_FIELD_NUMBER) throw new ProtobufError(`invalid field number ${field}`);
    switch (wireType) {
      case 0:
      case 1:
      case 2:
      case 5:
        return { field, wireType };
      default:
        throw new ProtobufError(`field ${field} has wire type ${wireType}, which Kubernetes messages do not use`);
    }
  }

  /** An int32 field: the low 32 bits of the varint, signed (negative values come sign-extended to 10 bytes). */
  readInt32(): number {
    return this.readVarint64().lo | 0;
  }

  /** A uint32 field (also lengths and enum values). */
  readUint32(): number {
    return this.readVarint64().lo;
  }

  /** An int64 field as a number: exact within ±2^53, rounded beyond, as JSON.parse would round it. */
  readInt64(): number {
    const { lo, hi } = this.readVarint64();
    if ((hi & 0x80000000) === 0) return hi * TWO_32 + lo;
    // Two's complement: -(~value + 1), computed on the halves.
    return -((~hi >>> 0) * TWO_32 + (~lo >>> 0) + 1);
  }

  /** A uint64 field, exactly. */
  readUint64(): bigint {
    const { lo, hi } = this.readVarint64();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  readBool(): boolean {
    const { lo, hi } = this.readVarint64();
    return lo !== 0 || hi !== 0;
  }

  /** A fixed32 field, unsigned. */
  readFixed32(): number {
    const view = this.take(4);
    return new DataView(view.buffer, view.byteOffset, 4).getUint32(0, true);
  }

  /** A fixed64 field, unsigned, exactly. */
  readFixed64(): bigint {
    const view = this.take(8);
    return new DataView(view.buffer, view.byteOffset, 8).getBigUint64(0, true);
  }

  /** A double field. */
  readDouble(): number {
    const view = this.take(8);
    return new DataView(view.buffer, view.byteOffset, 8).getFloat64(0, true);
  }

  /** A length-delimited field's bytes: a view into the input, not a copy. */
  readBytes(): Uint8Array {
    return this.take(this.readLength());
  }

  /** A length-delimited field read as a message of its own. */
  readMessage(): WireReader {
    const length = this.readLength();
    const start = this.position;
    this.position += length;
    return new WireReader(this.bytes, start, start + length);
  }

  /** Skips a field's value (of a field we do not know). */
  skip(wireType: WireType): void {
    switch (wireType) {
      case VARINT:
        this.readVarint64();
        return;
      case FIXED64:
        this.take(8);
        return;
      case LENGTH_DELIMITED:
        this.take(this.readLength());
        return;
      case FIXED32:
        this.take(4);
        return;
      default: {
        const never: never = wireType;
        throw new ProtobufError(`unknown wire type ${String(never)}`);
      }
    }
  }

  /** A length prefix, which must fit in what is left of the window. */
  private readLength(): number {
    const at = this.position;
    const { lo, hi } = this.readVarint64();
    if (hi !== 0 || lo > this.end - this.position) {
      throw new ProtobufError(`length at offset ${at} runs past the end of the input`);
    }
    return lo;
  }

  private take(length: number): Uint8Array {
    if (length > this.end - this.position) throw new ProtobufError(`truncated input at offset ${this.position}`);
    const view = this.bytes.subarray(this.position, this.position + length);
    this.position += length;
    return view;
  }

  /**
   * A varint of up to 10 bytes. As Go's generated decoders do, bits beyond the 64th in the tenth
   * byte are dropped, and an eleventh byte is an error.
   */
  private readVarint64(): Varint64 {
    let lo = 0;
    let hi = 0;
    for (let index = 0; index < 10; index++) {
      if (this.position >= this.end) throw new ProtobufError(`truncated varint at offset ${this.position}`);
      const byte = this.bytes[this.position++] as number;
      const bits = byte & 0x7f;
      if (index < 4) lo |= bits << (7 * index);
      else if (index === 4) {
        lo |= bits << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (7 * index - 32);
      if (byte < 0x80) return { lo: lo >>> 0, hi: hi >>> 0 };
    }
    throw new ProtobufError(`varint longer than 10 bytes at offset ${this.position}`);
  }
}
