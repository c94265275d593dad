import { InputError } from "../../input-error.js";
import { say, type Say } from "../../i18n/translate.js";
import { withClassNames, type Dataset } from "./dataset.js";

/**
 * The IDX format of MNIST (yann.lecun.com/exdb/mnist): a 4-byte magic number
 * `0x00 0x00 TYPE DIMS`, DIMS big-endian 32-bit sizes, then the values in
 * row-major order. gradstep reads type 0x08 (unsigned bytes), the type of
 * MNIST and Fashion-MNIST. This module reads bytes already unpacked, with no
 * file system, so that the web page reads IDX files with the same code as
 * the CLI (idx.ts adds files and gzip).
 */
export interface Idx {
  readonly dims: number[];
  readonly data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;
/** The value types of IDX, by their codes; the catalogue names them ("unsigned bytes"). */
const TYPE_NAMES: Readonly<Record<number, string>> = {
  0x08: "unsigned_bytes",
  0x09: "signed_bytes",
  0x0b: "int16",
  0x0c: "int32",
  0x0d: "float32",
  0x0e: "float64",
};
/** A type's name in any language. */
const typeName = (type: number): Say => say("modelError.idx.typeName", { type: TYPE_NAMES[type] ?? String(type) });
const EXPECTED_IDX = say("modelError.idx.expected");

const hex = (value: number, digits = 2): string => `0x${value.toString(16).padStart(digits, "0")}`;
/** Counts as the file's dimensions are written: 60,000 in every language. */
const count = (n: number): string => n.toLocaleString("en-US");
const bytesCount = (n: number): Say => say("modelError.idx.bytes", { count: n, shown: count(n) });

/** Whether `bytes` start with the gzip signature 0x1f 0x8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** `the bytes 0x3c 0x21 0x44 0x4f ("<!DO")`: hex, and the text too when it is printable. */
function describeStart(raw: Uint8Array): Say {
  const start = raw.subarray(0, 4);
  const text = String.fromCharCode(...start);
  const printable = /^[\x20-\x7e\t\r\n]+$/.test(text) ? ` (${JSON.stringify(text)})` : "";
  return say("modelError.idx.start", { bytes: `${[...start].map((b) => hex(b)).join(" ")}${printable}` });
}

/**
 * Parses the unpacked bytes of an IDX file of unsigned bytes; `gunzipped`
 * says they came out of a gzip stream (for the message when they are not
 * IDX), `file` names the file in errors.
 */
export function parseIdx(raw: Uint8Array, file?: string, gunzipped = false): Idx {
  const fail = (detail: Say): InputError => InputError.said(detail, { file });
  if (raw.length < 4) throw fail(say("modelError.idx.tooShort", { expected: EXPECTED_IDX, found: bytesCount(raw.length) }));
  const [zero0, zero1, type, rank] = [raw[0]!, raw[1]!, raw[2]!, raw[3]!];
  if (zero0 !== 0 || zero1 !== 0 || TYPE_NAMES[type] === undefined || rank === 0) {
    const found = say(gunzipped ? "modelError.idx.gzippedNotIdx" : "modelError.idx.notIdx", { start: describeStart(raw) });
    throw fail(say("modelError.file.found", { what: EXPECTED_IDX, found }));
  }
  if (type !== UNSIGNED_BYTE) {
    throw fail(say("modelError.idx.type", { type: hex(type), name: typeName(type) }));
  }
  const headerLength = 4 + 4 * rank;
  if (raw.length < headerLength) {
    throw fail(say("modelError.idx.header", { length: headerLength, rank, found: bytesCount(raw.length) }));
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((product, dim) => product * dim, 1);
  const found = raw.length - headerLength;
  if (found !== size) {
    const shape = dims.map(count).join("×");
    throw fail(say(found < size ? "modelError.idx.truncated" : "modelError.idx.tooLong", { shape, size: bytesCount(size), found: bytesCount(found) }));
  }
  return { dims, data: raw.subarray(headerLength) };
}

function describeRank(rank: number): Say {
  return say("modelError.idx.rank", { rank });
}

/** `idx` itself when it has the rank of its role (images: count × rows × columns; labels: count). */
export function idxOfRole(idx: Idx, role: "images" | "labels", file: string): Idx {
  const expectedRank = role === "images" ? 3 : 1;
  if (idx.dims.length !== expectedRank) {
    const values = { found: hex(0x800 + idx.dims.length, 8), rank: describeRank(idx.dims.length) };
    throw InputError.said(say(role === "images" ? "modelError.idx.roleImages" : "modelError.idx.roleLabels", values), { file });
  }
  return idx;
}

/**
 * An IDX image file and its label file, parsed, as a Dataset: pixels / 255,
 * so in [0, 1]. Classes are `classNames.length` when given, otherwise the
 * largest label + 1 (10 for a file without labels).
 */
export function idxPairDataset(
  images: { readonly idx: Idx; readonly file: string },
  labelFile: { readonly idx: Idx; readonly file: string },
  name: string,
  classNames?: readonly string[],
): Dataset {
  const [imageCount, rows, columns] = idxOfRole(images.idx, "images", images.file).dims as [number, number, number];
  const labelIdx = idxOfRole(labelFile.idx, "labels", labelFile.file);
  const labelCount = labelIdx.dims[0]!;
  if (labelCount !== imageCount) {
    throw InputError.said(say("modelError.idx.labelCount", { count: imageCount, shown: count(imageCount), images: images.file, found: count(labelCount) }), {
      file: labelFile.file,
    });
  }
  const labels = Int32Array.from(labelIdx.data);
  let largest = -1;
  for (const label of labels) largest = Math.max(largest, label);
  const classes = classNames ? classNames.length : largest < 0 ? 10 : largest + 1;
  if (largest >= classes) {
    const at = labels.indexOf(largest);
    throw InputError.said(say("modelError.idx.label", { at, classes, names: classNames!.join(", "), found: largest }), { file: labelFile.file });
  }
  const pixels = images.idx.data,
    inputs = new Float32Array(pixels.length);
  for (let i = 0; i < inputs.length; i++) inputs[i] = pixels[i]! / 255;
  return withClassNames({ name, inputs, labels, count: imageCount, features: rows * columns, classes }, classNames);
}
