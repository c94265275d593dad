import { extname } from "node:path";
import { InputError } from "../input-error.js";
import { say } from "../i18n/translate.js";
import { MODEL_FORMAT, type ModelFormat } from "./model.js";

export { readBytes } from "./files.js";

/** safetensors begins with a little-endian u64 header length, then the header's `{`. */
function looksLikeSafeTensors(bytes: Uint8Array): boolean {
  if (bytes.length < 10) return false;
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  return length <= BigInt(bytes.length - 8) && bytes[8] === 0x7b;
}

function firstNonSpace(bytes: Uint8Array): number | undefined {
  return bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf);
}

/** UTF-8 without control characters other than whitespace: a YAML problem file, perhaps. */
function isText(bytes: Uint8Array): boolean {
  if (!bytes.every((b) => b >= 0x20 || b === 0x09 || b === 0x0a || b === 0x0d)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Which format a file is in, by its extension and its first bytes:
 * `.safetensors` or the safetensors header; `.onnx`; JSON that is a gradstep
 * model (`"format": "gradstep-model"`), a tfjs layers model (`modelTopology`)
 * or a problem file (`network`); YAML problem files.
 */
export function detectFormat(file: string, bytes: Uint8Array): ModelFormat {
  const extension = extname(file).toLowerCase();
  if (extension === ".safetensors" || (extension !== ".json" && looksLikeSafeTensors(bytes))) return "safetensors";
  if (extension === ".onnx") return "onnx";
  if (extension === ".yaml" || extension === ".yml") return "problem";
  if (firstNonSpace(bytes) === 0x7b) {
    const text = new TextDecoder().decode(bytes);
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      // Malformed JSON (a file cut short, perhaps): the reader of what it looks like reports it.
      if (text.includes(`"${MODEL_FORMAT}"`)) return "gradstep";
      return text.includes('"modelTopology"') ? "tfjs" : "problem";
    }
    const fields = typeof document === "object" && document !== null ? document : {};
    if ("format" in fields && typeof fields.format === "string" && fields.format.startsWith(MODEL_FORMAT)) return "gradstep";
    if ("modelTopology" in fields) return "tfjs";
    return "problem";
  }
  // An ONNX ModelProto starts with ir_version (field 1, varint: 0x08) in every exporter we know.
  if (bytes[0] === 0x08) return "onnx";
  if (isText(bytes)) return "problem";
  throw InputError.said(say("modelError.format.unknown"), { file });
}
