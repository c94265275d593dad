import { Rng } from "../../engine/rng.js";
import { splitOff, type Dataset } from "./dataset.js";

/**
 * What the CLI and the web page both need to know of the built-in digits and
 * of Fashion-MNIST, with no file system: the digits' name and their fixed
 * train/test split, and Fashion-MNIST's class names.
 */

/**
 * The built-in digits' files, as the build writes them to dist/data
 * (scripts/pack-digits.mjs): the CLI reads them there, and the page fetches
 * them from data/ beside it (`gradstep serve` and Vite's servers serve
 * dist/data there).
 */
export const DIGITS_FILES = { images: "digits-images-idx3-ubyte.gz", labels: "digits-labels-idx1-ubyte.gz" } as const;

export const DIGITS_NAME = "mnist-digits (10k, built in)";
/** The seed of the digits' train/test split; changing it changes every result trained on them. */
const DIGITS_SPLIT_SEED = 20_231_123;
const DIGITS_TEST_FRACTION = 0.2;

/** The built-in digits split by a fixed seed into 8,000 for training and 2,000 for testing, the same way on every run. */
export function splitDigits(all: Dataset): { train: Dataset; test: Dataset } {
  const { rest, held } = splitOff({ ...all, name: DIGITS_NAME }, DIGITS_TEST_FRACTION, new Rng(DIGITS_SPLIT_SEED));
  return { train: rest, test: held };
}

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
