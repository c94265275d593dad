import type { Dataset } from "../../../src/train/data/dataset.js";
import { idxPairDataset, isGzip, parseIdx, type Idx } from "../../../src/train/data/idx-bytes.js";
import { FASHION_MNIST_CLASSES, splitDigits } from "../../../src/train/data/known-sets.js";
import { english, type MessageKey, type MessageValues } from "../../../src/i18n/translate.js";

/**
 * IDX files in the browser: the built-in digits fetched from the page's own
 * server, or the four files of Fashion-MNIST that the user picks or drops,
 * read with the CLI's IDX parser (src/train/data/idx-bytes.ts) after the
 * browser's own gunzip.
 */

/** A problem with the files, in English as its message and as a message of the catalogue for the page to say in the reader's language. */
export class FilesError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly values: MessageValues,
  ) {
    super(english.text(key, values));
  }
}

/** The most bytes one unpacked file may hold (Fashion-MNIST's training images are 47 MB). */
const MAX_UNPACKED = 256 * 2 ** 20;

/** The bytes of a file, gunzipped when they start with gzip's signature. */
async function unpack(bytes: Uint8Array): Promise<{ raw: Uint8Array; gunzipped: boolean }> {
  if (!isGzip(bytes)) return { raw: bytes, gunzipped: false };
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("gzip"));
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > MAX_UNPACKED) throw new FilesError("train.images.error.gzip", { mib: MAX_UNPACKED / 2 ** 20 });
    parts.push(value);
  }
  const raw = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    raw.set(part, at);
    at += part.length;
  }
  return { raw, gunzipped: true };
}

export interface NamedIdx {
  readonly file: string;
  readonly idx: Idx;
}

export async function readIdxBytes(bytes: Uint8Array, file: string): Promise<NamedIdx> {
  const { raw, gunzipped } = await unpack(bytes);
  return { file, idx: parseIdx(raw, file, gunzipped) };
}

/** The built-in digits (the files `npm run build:data` writes to dist/data), split as the CLI splits them. */
export async function fetchDigits(images: URL, labels: URL): Promise<{ train: Dataset; test: Dataset }> {
  const [imageFile, labelFile] = await Promise.all(
    [images, labels].map(async (url) => {
      const response = await fetch(url);
      if (!response.ok) throw new FilesError("train.images.error.http", { path: url.pathname, status: response.status });
      return readIdxBytes(new Uint8Array(await response.arrayBuffer()), url.pathname.split("/").at(-1)!);
    }),
  );
  return splitDigits(idxPairDataset(imageFile!, labelFile!, "digits"));
}

/**
 * Four IDX files in the MNIST layout, whatever their names or order: image
 * files have three dimensions and label files one; each pairs with the one of
 * the same count, and the pair with more samples is for training.
 */
export function pairIdxFiles(files: readonly NamedIdx[]): { train: [NamedIdx, NamedIdx]; test: [NamedIdx, NamedIdx] } {
  const images = files.filter((f) => f.idx.dims.length === 3),
    labels = files.filter((f) => f.idx.dims.length === 1);
  const found = files.map((f) => `${f.file} (${f.idx.dims.join("×")})`).join(", ");
  if (files.length !== 4 || images.length !== 2 || labels.length !== 2) {
    throw new FilesError("train.images.error.four", { count: files.length, found });
  }
  const pairs = images.map((image): [NamedIdx, NamedIdx] => {
    const label = labels.find((l) => l.idx.dims[0] === image.idx.dims[0]);
    if (!label || images.filter((i) => i.idx.dims[0] === image.idx.dims[0]).length > 1) throw new FilesError("train.images.error.pairs", { found });
    return [image, label];
  });
  pairs.sort((a, b) => b[0].idx.dims[0]! - a[0].idx.dims[0]!);
  return { train: pairs[0]!, test: pairs[1]! };
}

/** Fashion-MNIST (or any data in its layout) from the four files the user gave. */
export async function readFashionFiles(files: readonly { name: string; bytes: ArrayBuffer }[]): Promise<{ train: Dataset; test: Dataset }> {
  const parsed = await Promise.all(files.map((f) => readIdxBytes(new Uint8Array(f.bytes), f.name)));
  const { train, test } = pairIdxFiles(parsed);
  for (const [images] of [train, test]) {
    const [, rows, columns] = images.idx.dims;
    if (rows !== 28 || columns !== 28) throw new FilesError("train.images.error.size", { file: images.file, rows: rows!, columns: columns! });
  }
  const classes = FASHION_MNIST_CLASSES;
  return { train: idxPairDataset(...train, "fashion-mnist (train)", classes), test: idxPairDataset(...test, "fashion-mnist (test)", classes) };
}
