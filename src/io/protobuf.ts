/**
 * The protobuf wire format, as much of it as ONNX needs: a message is a run
 * of fields, each a key (field number << 3 | wire type) then a varint
 * (wire type 0), 8 bytes (1), a length-delimited byte string (2: strings,
 * bytes, nested messages, packed repeated numbers) or 4 bytes (5).
 * https://protobuf.dev/programming-guides/encoding/
 */

const VARINT = 0,
  FIXED64 = 1,
  LENGTH_DELIMITED = 2,
  FIXED32 = 5;

/** A message that cannot be decoded: `offset` is where in the bytes it went wrong. */
export class WireError extends Error {
  override readonly name = "WireError";
  constructor(
    readonly detail: string,
    readonly offset: number,
  ) {
    super(`${detail} at byte ${offset}`);
  }
}

// ---------------------------------------------------------------- writing

function varintBytes(value: number | bigint): number[] {
  // Negative int64 values are written as their 64-bit two's complement (10 bytes).
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

function key(field: number, wire: number): number[] {
  return varintBytes((field << 3) | wire);
}

/** Concatenates encoded pieces into one message. */
export function message(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** An integer field (int32, int64, enum, bool). */
export function varintField(field: number, value: number | bigint): Uint8Array {
  return Uint8Array.from([...key(field, VARINT), ...varintBytes(value)]);
}

/** A length-delimited field: bytes, a UTF-8 string, or an encoded message. */
export function bytesField(field: number, value: Uint8Array | string): Uint8Array {
  const bytes = typeof value === "string" ? new TextEncoder().encode(value) : value;
  return message(Uint8Array.from([...key(field, LENGTH_DELIMITED), ...varintBytes(bytes.length)]), bytes);
}

/** A 32-bit float field (wire type 5). */
export function floatField(field: number, value: number): Uint8Array {
  const out = new Uint8Array([...key(field, FIXED32), 0, 0, 0, 0]);
  new DataView(out.buffer).setFloat32(out.length - 4, value, true);
  return out;
}

// ---------------------------------------------------------------- reading

/** One field as it appears on the wire; a field may repeat. */
export type WireField =
  | { readonly field: number; readonly wire: typeof VARINT; readonly value: bigint; readonly offset: number }
  | { readonly field: number; readonly wire: typeof LENGTH_DELIMITED | typeof FIXED32 | typeof FIXED64; readonly value: Uint8Array; readonly offset: number };

/** Reads a varint at `at`; returns it and the offset after it. */
function readVarint(bytes: Uint8Array, at: number, base: number): [bigint, number] {
  let value = 0n;
  for (let i = 0; i < 10; i++) {
    if (at + i >= bytes.length) throw new WireError("the message ends inside a number", base + at + i);
    const byte = bytes[at + i]!;
    value |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if (byte < 0x80) return [BigInt.asUintN(64, value), at + i + 1];
  }
  throw new WireError("a number runs longer than 10 bytes", base + at);
}

/**
 * Splits one message into its fields, checking every length. `base` is the
 * message's offset in the whole file, so errors point at the file's byte.
 */
export function readFields(bytes: Uint8Array, base = 0): WireField[] {
  const fields: WireField[] = [];
  let at = 0;
  while (at < bytes.length) {
    const offset = base + at;
    const [tag, next] = readVarint(bytes, at, base);
    const field = Number(tag >> 3n),
      wire = Number(tag & 7n);
    if (field < 1 || field > 536_870_911) throw new WireError(`field number ${field} is out of range`, offset);
    at = next;
    if (wire === VARINT) {
      const [value, after] = readVarint(bytes, at, base);
      fields.push({ field, wire, value, offset });
      at = after;
    } else if (wire === LENGTH_DELIMITED || wire === FIXED32 || wire === FIXED64) {
      let length = wire === FIXED32 ? 4 : 8;
      if (wire === LENGTH_DELIMITED) {
        const [n, after] = readVarint(bytes, at, base);
        at = after;
        if (n > BigInt(bytes.length - at)) throw new WireError(`field ${field} says ${n} bytes follow, but only ${bytes.length - at} do`, offset);
        length = Number(n);
      } else if (at + length > bytes.length) {
        throw new WireError(`field ${field} needs ${length} bytes, but only ${bytes.length - at} follow`, offset);
      }
      fields.push({ field, wire, value: bytes.subarray(at, at + length), offset });
      at += length;
    } else {
      throw new WireError(`field ${field} has wire type ${wire}, which is not used by this format`, offset);
    }
  }
  return fields;
}

/** Helpers over one decoded message, each checking the wire type its field must have. */
export class Fields {
  readonly #fields: readonly WireField[];

  constructor(bytes: Uint8Array, base = 0) {
    this.#fields = readFields(bytes, base);
  }

  #all(field: number): WireField[] {
    return this.#fields.filter((f) => f.field === field);
  }

  #last(field: number): WireField | undefined {
    return this.#all(field).at(-1);
  }

  /** An integer field, 0 when absent; `signed` reads it as int64. */
  int(field: number, fallback = 0): number {
    const f = this.#last(field);
    if (!f) return fallback;
    if (f.wire !== VARINT) throw new WireError(`field ${field} should be an integer`, f.offset);
    return Number(BigInt.asIntN(64, f.value));
  }

  has(field: number): boolean {
    return this.#all(field).length > 0;
  }

  string(field: number): string {
    const f = this.#last(field);
    if (!f) return "";
    return new TextDecoder().decode(this.#bytesOf(f));
  }

  bytes(field: number): Uint8Array | undefined {
    const f = this.#last(field);
    return f && this.#bytesOf(f);
  }

  strings(field: number): string[] {
    return this.#all(field).map((f) => new TextDecoder().decode(this.#bytesOf(f)));
  }

  /** Every occurrence of an embedded message field. */
  messages(field: number): Fields[] {
    return this.#all(field).map((f) => new Fields(this.#bytesOf(f), f.offset));
  }

  message(field: number): Fields | undefined {
    return this.messages(field).at(-1);
  }

  /** A repeated integer field, packed or not. */
  ints(field: number): number[] {
    const out: number[] = [];
    for (const f of this.#all(field)) {
      if (f.wire === VARINT) {
        out.push(Number(BigInt.asIntN(64, f.value)));
      } else if (f.wire === LENGTH_DELIMITED) {
        for (let at = 0; at < f.value.length;) {
          const [v, next] = readVarint(f.value, at, f.offset);
          out.push(Number(BigInt.asIntN(64, v)));
          at = next;
        }
      } else {
        throw new WireError(`field ${field} should hold integers`, f.offset);
      }
    }
    return out;
  }

  /** A float field (fixed32). */
  float(field: number, fallback: number): number {
    const f = this.#last(field);
    if (!f) return fallback;
    if (f.wire !== FIXED32) throw new WireError(`field ${field} should be a 32-bit float`, f.offset);
    return new DataView(f.value.buffer, f.value.byteOffset, 4).getFloat32(0, true);
  }

  /** A repeated float (4 bytes) or double (8 bytes) field, packed or not. */
  reals(field: number, size: 4 | 8): number[] {
    const wire = size === 4 ? FIXED32 : FIXED64;
    const out: number[] = [];
    for (const f of this.#all(field)) {
      if (f.wire !== wire && f.wire !== LENGTH_DELIMITED) throw new WireError(`field ${field} should hold ${size === 4 ? "floats" : "doubles"}`, f.offset);
      const raw = f.value;
      if (raw.length % size !== 0) throw new WireError(`field ${field} holds ${raw.length} bytes, not a whole number of ${size}-byte values`, f.offset);
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      for (let at = 0; at < raw.length; at += size) out.push(size === 4 ? view.getFloat32(at, true) : view.getFloat64(at, true));
    }
    return out;
  }

  #bytesOf(f: WireField): Uint8Array {
    if (f.wire !== LENGTH_DELIMITED) throw new WireError(`field ${f.field} should be length-delimited`, f.offset);
    return f.value;
  }
}
