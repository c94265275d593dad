import { InputError } from "../../input-error.js";
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
const TYPE_NAMES: Readonly<Record<number, string>> = {
  0x08: "unsigned bytes",
  0x09: "signed bytes",
  0x0b: "16-bit integers",
  0x0c: "32-bit integers",
  0x0d: "32-bit floats",
  0x0e: "64-bit floats",
};
const EXPECTED_IDX = "an IDX file (magic number 0x00000803 for images, 0x00000801 for labels), plain or gzipped";

const hex = (value: number, digits = 2): string => `0x${value.toString(16).padStart(digits, "0")}`;
const count = (n: number): string => n.toLocaleString("en-US");
const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;

/** Whether `bytes` start with the gzip signature 0x1f 0x8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** `the bytes 0x3c 0x21 0x44 0x4f ("<!DO")`: hex, and the text too when it is printable. */
function describeStart(raw: Uint8Array): string {
  const start = raw.subarray(0, 4);
  const text = String.fromCharCode(...start);
  const printable = /^[\x20-\x7e\t\r\n]+$/.test(text) ? ` (${JSON.stringify(text)})` : "";
  return `the bytes ${[...start].map((b) => hex(b)).join(" ")}${printable}`;
}

/**
 * Parses the unpacked bytes of an IDX file of unsigned bytes; `gunzipped`
 * says they came out of a gzip stream (for the message when they are not
 * IDX), `file` names the file in errors.
 */
export function parseIdx(raw: Uint8Array, file?: string, gunzipped = false): Idx {
  const fail = (detail: string): InputError => new InputError(detail, { file });
  if (raw.length < 4) throw fail(`expected ${EXPECTED_IDX}, found only ${plural(raw.length, "byte")}`);
  const [zero0, zero1, type, rank] = [raw[0]!, raw[1]!, raw[2]!, raw[3]!];
  if (zero0 !== 0 || zero1 !== 0 || TYPE_NAMES[type] === undefined || rank === 0) {
    const found = gunzipped
      ? `a gzipped file whose contents start with ${describeStart(raw)}, not IDX`
      : `a file that starts with ${describeStart(raw)}, neither IDX nor gzip`;
    throw fail(`expected ${EXPECTED_IDX}, found ${found}`);
  }
  if (type !== UNSIGNED_BYTE) {
    throw fail(`expected IDX values of type 0x08 (unsigned bytes), found type ${hex(type)} (${TYPE_NAMES[type]}), which gradstep does not read`);
  }
  const headerLength = 4 + 4 * rank;
  if (raw.length < headerLength) {
    throw fail(`expected a header of ${headerLength} bytes (magic number and ${plural(rank, "dimension")}), found a file of ${plural(raw.length, "byte")}`);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((product, dim) => product * dim, 1);
  const found = raw.length - headerLength;
  if (found !== size) {
    const shape = dims.map(count).join("×");
    const what = found < size ? "truncated" : "longer than its dimensions say";
    throw fail(`${what}: expected ${shape} = ${plural(size, "byte")} of data after the header, found ${plural(found, "byte")}`);
  }
  return { dims, data: raw.subarray(headerLength) };
}

function describeRank(rank: number): string {
  if (rank === 1) return "1 dimension, as in a label file";
  if (rank === 3) return "3 dimensions, as in an image file";
  return `${rank} dimensions`;
}

/** `idx` itself when it has the rank of its role (images: count × rows × columns; labels: count). */
export function idxOfRole(idx: Idx, role: "images" | "labels", file: string): Idx {
  const expectedRank = role === "images" ? 3 : 1;
  if (idx.dims.length !== expectedRank) {
    const magic = role === "images" ? "0x00000803" : "0x00000801";
    const shape = role === "images" ? "count × rows × columns" : "count";
    throw new InputError(
      `expected an IDX ${role} file (magic number ${magic}: ${shape}), found magic number ${hex(0x800 + idx.dims.length, 8)} (${describeRank(idx.dims.length)})`,
      { file },
    );
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
    throw new InputError(`expected ${plural(imageCount, "label")}, one for each image in ${images.file}, found ${count(labelCount)}`, {
      file: labelFile.file,
    });
  }
  const labels = Int32Array.from(labelIdx.data);
  let largest = -1;
  for (const label of labels) largest = Math.max(largest, label);
  const classes = classNames ? classNames.length : largest < 0 ? 10 : largest + 1;
  if (largest >= classes) {
    const at = labels.indexOf(largest);
    throw new InputError(`label ${at}: expected a class index below ${classes} (${classNames!.join(", ")}), found ${largest}`, { file: labelFile.file });
  }
  const pixels = images.idx.data,
    inputs = new Float32Array(pixels.length);
  for (let i = 0; i < inputs.length; i++) inputs[i] = pixels[i]! / 255;
  return withClassNames({ name, inputs, labels, count: imageCount, features: rows * columns, classes }, classNames);
}
