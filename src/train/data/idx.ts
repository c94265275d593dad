import { gunzipSync } from "node:zlib";
import { InputError } from "../../input-error.js";
import { say } from "../../i18n/translate.js";
import type { Dataset } from "./dataset.js";
import { idxOfRole, idxPairDataset, isGzip, parseIdx, type Idx } from "./idx-bytes.js";
import { MAX_DATA_BYTES, readBytes } from "../../io/files.js";

export type { Idx } from "./idx-bytes.js";

function gunzip(bytes: Uint8Array, file: string | undefined): Uint8Array {
  try {
    // A small file may unpack to gigabytes: unpacked, it is held to the limit of a data file.
    return gunzipSync(bytes, { maxOutputLength: MAX_DATA_BYTES });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw InputError.said(say("modelError.idx.gzipTooLarge", { mebibytes: MAX_DATA_BYTES / 2 ** 20 }), { file });
    }
    const reason = error instanceof Error ? error.message : String(error);
    // zlib's own words stay as it wrote them.
    throw InputError.said(say("modelError.idx.gzipBroken", { reason }), { file });
  }
}

/**
 * Parses an IDX file of unsigned bytes, gunzipping it first when it starts
 * with the gzip signature 0x1f 0x8b. `file` names the file in errors.
 *
 * @example readIdx(readFileSync("train-labels-idx1-ubyte.gz"), "train-labels-idx1-ubyte.gz").dims // [60000]
 */
export function readIdx(bytes: Uint8Array, file?: string): Idx {
  const gzipped = isGzip(bytes);
  return parseIdx(gzipped ? gunzip(bytes, file) : bytes, file, gzipped);
}

function readIdxFile(file: string, role: "images" | "labels"): Idx {
  return idxOfRole(
    readIdx(readBytes(file, say(role === "images" ? "modelError.what.idxImages" : "modelError.what.idxLabels"), MAX_DATA_BYTES), file),
    role,
    file,
  );
}

/**
 * An IDX image file and its label file as a Dataset: pixels / 255, so in
 * [0, 1]. Classes are `classNames.length` when given, otherwise the largest
 * label + 1 (10 for a file without labels).
 *
 * @example loadIdxPair("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "mnist test")
 */
export function loadIdxPair(imagesFile: string, labelsFile: string, name: string, classNames?: readonly string[]): Dataset {
  const images = readIdxFile(imagesFile, "images");
  const labels = readIdxFile(labelsFile, "labels");
  return idxPairDataset({ idx: images, file: imagesFile }, { idx: labels, file: labelsFile }, name, classNames);
}
