import { InputError } from "../input-error.js";
import { asJson, quoted } from "./error-phrases.js";
import { say, type Say } from "../i18n/translate.js";

/**
 * safetensors: an 8-byte little-endian header length, a JSON header naming
 * each tensor's dtype, shape and byte range, then the raw little-endian data.
 * https://github.com/huggingface/safetensors — we read and write F32 and F64.
 */
export type TensorData = Float32Array | Float64Array;

export interface Tensor {
  readonly shape: readonly number[];
  readonly data: TensorData;
}

export interface SafeTensors {
  readonly tensors: ReadonlyMap<string, Tensor>;
  readonly metadata: Readonly<Record<string, string>>;
}

const DTYPES = { F32: Float32Array, F64: Float64Array } as const;
type DTypeName = keyof typeof DTYPES;

function dtypeName(data: TensorData): DTypeName {
  return data instanceof Float64Array ? "F64" : "F32";
}

/** Encodes tensors (in name order) and string metadata. */
export function writeSafeTensors(tensors: ReadonlyMap<string, Tensor>, metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = Object.keys(metadata).length > 0 ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const name of names) {
    const { shape, data } = tensors.get(name)!;
    if (shape.reduce((a, b) => a * b, 1) !== data.length)
      throw new RangeError(`tensor ${name}: shape ${JSON.stringify(shape)} does not hold ${data.length} values`);
    header[name] = { dtype: dtypeName(data), shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  // The header is padded with spaces so that the data starts 8-byte aligned.
  const json = JSON.stringify(header);
  const headerBytes = new TextEncoder().encode(json + " ".repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8));
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    const { data } = tensors.get(name)!;
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    at += data.byteLength;
  }
  return out;
}

/** The largest header the reference implementation accepts. */
const MAX_HEADER = 100_000_000;

/**
 * Decodes a safetensors file, checking every length and range as the
 * reference implementation does: the tensors' byte ranges must tile the data
 * exactly, with no gap, overlap or trailing byte. `file` names it in errors.
 */
export function readSafeTensors(bytes: Uint8Array, file?: string): SafeTensors {
  const fail = (detail: Say): never => {
    throw InputError.said(say("modelError.safetensors.invalid", { detail }), { file });
  };
  if (bytes.length < 8) fail(say("modelError.safetensors.short", { found: bytes.length }));
  const declared = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  // The declared length is not shown: in a file that is not safetensors, it would be the file's first 8 bytes.
  if (declared > BigInt(bytes.length - 8)) fail(say("modelError.safetensors.headerLength", { follow: bytes.length - 8 }));
  const length = Number(declared);
  if (length > MAX_HEADER) fail(say("modelError.safetensors.headerTooLong", { limit: MAX_HEADER }));
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + length)));
  } catch {
    fail(say("modelError.safetensors.headerNotJson"));
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) return fail(say("modelError.safetensors.headerNotObject"));
  const dataStart = 8 + length;
  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, Tensor>();
  const ranges: [number, number, string][] = [];
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (typeof entry !== "object" || entry === null || Array.isArray(entry) || !Object.values(entry).every((v) => typeof v === "string")) {
        fail(say("modelError.safetensors.metadata"));
      }
      metadata = entry as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets: offsets } = (entry ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const tensor = quoted(name);
    if (dtype !== "F32" && dtype !== "F64") fail(say("modelError.safetensors.dtype", { tensor, dtype: asJson(dtype) }));
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) fail(say("modelError.safetensors.shape", { tensor }));
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o)))
      fail(say("modelError.safetensors.offsets", { tensor }));
    const [begin, end] = offsets as [number, number];
    const Type = DTYPES[dtype as DTypeName];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (begin < 0 || end > dataLength || end - begin !== count * Type.BYTES_PER_ELEMENT) {
      fail(say("modelError.safetensors.range", { tensor, needs: count * Type.BYTES_PER_ELEMENT, begin: String(begin), end: String(end), data: dataLength }));
    }
    ranges.push([begin, end, name]);
    // Copied out: the file's bytes need not be aligned for a typed-array view.
    const data = new Type(count);
    new Uint8Array(data.buffer).set(bytes.subarray(dataStart + begin, dataStart + end));
    tensors.set(name, { shape: shape as number[], data });
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let covered = 0;
  for (const [begin, end, name] of ranges) {
    if (begin !== covered) fail(say("modelError.safetensors.gap", { tensor: quoted(name), begin: String(begin), expected: covered }));
    covered = end;
  }
  if (covered !== dataLength) fail(say("modelError.safetensors.trailing", { covered, data: dataLength }));
  return { tensors, metadata };
}
