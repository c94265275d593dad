import { describe, expect, test } from "vitest";
import { bytesField, Fields, message, varintField, WireError } from "../../src/io/protobuf.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("protobuf wire format", () => {
  test("encodes the examples of the specification", () => {
    // https://protobuf.dev/programming-guides/encoding/: field 1 = 150 is 08 96 01; field 2 = "testing" is 12 07 74 65 73 74 69 6e 67.
    expect(hex(varintField(1, 150))).toBe("089601");
    expect(hex(bytesField(2, "testing"))).toBe("120774657374696e67");
    // A negative int64 takes ten bytes of two's complement.
    expect(hex(varintField(1, -1))).toBe("08ffffffffffffffffff01");
    expect(hex(message(varintField(1, 150), bytesField(3, varintField(1, 150))))).toBe("0896011a03089601");
  });

  test("reads integers back, packed or not, signed as int64", () => {
    const fields = new Fields(message(varintField(1, -5), varintField(4, 7), varintField(4, 8), bytesField(4, Uint8Array.from([0x09, 0x96, 0x01]))));
    expect(fields.int(1)).toBe(-5);
    expect(fields.ints(4)).toEqual([7, 8, 9, 150]);
    expect(fields.int(2, 42)).toBe(42);
  });

  test("broken messages are WireErrors with the byte offset", () => {
    expect(() => new Fields(Uint8Array.from([0x08]))).toThrow(/the message ends inside a number at byte 1/);
    expect(() => new Fields(Uint8Array.from([0x12, 0x05, 0x61]))).toThrow(/field 2 says 5 bytes follow, but only 1 do at byte 0/);
    expect(() => new Fields(Uint8Array.from([0x0b]))).toThrow(WireError);
    expect(() => new Fields(Uint8Array.from([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))).toThrow(/longer than 10 bytes/);
    expect(() => new Fields(message(varintField(1, 3))).string(1)).toThrow(/field 1 should be length-delimited/);
  });
});
