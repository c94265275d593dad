import { gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { accuracyOf, confusionMatrix, misclassified } from "../../src/train/confusion.js";
import { centreOfMass, preprocessDrawing, SIDE } from "../../web/src/trainer/drawing.js";
import { pairIdxFiles, readFashionFiles, readIdxBytes } from "../../web/src/trainer/idx-files.js";

/** The images trainer's plain helpers (web/src/trainer/), without a browser. */

describe("confusion matrix", () => {
  test("counts true class by predicted class; sums to the samples, the diagonal to the right ones", () => {
    const labels = [0, 1, 2, 2, 1, 0, 2];
    const predicted = [0, 2, 2, 1, 1, 0, 2];
    const counts = confusionMatrix(labels, predicted, 3);
    expect([...counts]).toEqual([2, 0, 0, 0, 1, 1, 0, 1, 2]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(labels.length);
    expect(accuracyOf(counts, 3)).toBeCloseTo(5 / 7, 12);
    expect(misclassified(labels, predicted, 10)).toEqual([1, 3]);
    expect(misclassified(labels, predicted, 1)).toEqual([1]);
  });

  test("refuses classes out of range and lengths that differ", () => {
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(/sample 1 has class 3/);
    expect(() => confusionMatrix([0], [0, 1], 3)).toThrow(/1 labels but 2 predictions/);
  });
});

/** A size × size drawing with ink in the rectangle [x0, x1) × [y0, y1). */
function rectangle(size: number, x0: number, y0: number, x1: number, y1: number): Float32Array {
  const ink = new Float32Array(size * size);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * size + x] = 1;
  return ink;
}

/** The bounding box of the nonzero pixels of a 28 × 28 image. */
function box(image: Float32Array): { width: number; height: number } {
  let left = SIDE,
    right = -1,
    top = SIDE,
    bottom = -1;
  image.forEach((v, k) => {
    if (v === 0) return;
    left = Math.min(left, k % SIDE);
    right = Math.max(right, k % SIDE);
    top = Math.min(top, Math.floor(k / SIDE));
    bottom = Math.max(bottom, Math.floor(k / SIDE));
  });
  return { width: right - left + 1, height: bottom - top + 1 };
}

describe("a drawing made like an MNIST digit", () => {
  test("an empty drawing gives zeros", () => {
    expect(preprocessDrawing(new Float32Array(224 * 224), 224).every((v) => v === 0)).toBe(true);
  });

  test("the longer side of the ink's box is scaled to 20 pixels, keeping the aspect ratio, and the centre of mass is the field's centre", () => {
    // A bar 40 wide and 160 tall, low on the right of the pad.
    const image = preprocessDrawing(rectangle(224, 150, 50, 190, 210), 224);
    expect(image).toHaveLength(SIDE * SIDE);
    // 5 pixels wide, straddling pixel edges (area averaging shades the two edge columns).
    expect(box(image).height).toBe(20);
    expect(box(image).width).toBeLessThanOrEqual(6);
    const centre = centreOfMass(image);
    expect(Math.abs(centre.x - SIDE / 2)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(centre.y - SIDE / 2)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...image)).toBeLessThanOrEqual(1);
    // Area averaging: a full block stays full ink inside; the total ink is the box's area.
    expect(image.reduce((a, b) => a + b, 0)).toBeCloseTo(5 * 20, 0);
  });

  test("the same stroke anywhere on the pad, or drawn larger, gives the same input", () => {
    const here = preprocessDrawing(rectangle(224, 10, 20, 50, 180), 224);
    const there = preprocessDrawing(rectangle(224, 170, 60, 210, 220), 224);
    expect([...there]).toEqual([...here]);
    const larger = preprocessDrawing(rectangle(448, 20, 40, 100, 360), 448);
    expect(Math.max(...larger.map((v, k) => Math.abs(v - here[k]!)))).toBeLessThan(1e-5);
  });
});

/** An IDX file of unsigned bytes. */
function idx(dims: number[], data: number[]): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint32(0, 0x800 + dims.length);
  dims.forEach((size, i) => header.setUint32(4 + 4 * i, size));
  return new Uint8Array([...new Uint8Array(header.buffer), ...data]);
}
const images = (count: number, side = 28) =>
  idx(
    [count, side, side],
    Array.from({ length: count * side * side }, (_, k) => (k * 37) % 256),
  );
const labels = (count: number) =>
  idx(
    [count],
    Array.from({ length: count }, (_, k) => k % 10),
  );

describe("IDX files given to the page", () => {
  test("four files in any order and under any names pair by count; the larger pair trains; gzipped or not", async () => {
    const files = await Promise.all([
      readIdxBytes(labels(3), "c"),
      readIdxBytes(gzipSync(images(5)), "a.gz"),
      readIdxBytes(images(3), "b"),
      readIdxBytes(gzipSync(labels(5)), "d.gz"),
    ]);
    const { train, test } = pairIdxFiles(files);
    expect(train.map((f) => f.file)).toEqual(["a.gz", "d.gz"]);
    expect(test.map((f) => f.file)).toEqual(["b", "c"]);
  });

  test("read as Fashion-MNIST: pixels / 255 and the class names", async () => {
    const bytes = (u: Uint8Array) => u.slice().buffer;
    const { train, test } = await readFashionFiles([
      { name: "train-images", bytes: bytes(images(5)) },
      { name: "train-labels", bytes: bytes(labels(5)) },
      { name: "t10k-images", bytes: bytes(images(3)) },
      { name: "t10k-labels", bytes: bytes(labels(3)) },
    ]);
    expect([train.count, test.count, train.features, train.classes]).toEqual([5, 3, 784, 10]);
    expect(train.inputs[1]).toBeCloseTo(37 / 255, 6);
    expect(train.classNames?.[9]).toBe("Ankle boot");
  });

  test("says what it expected when the files do not make two pairs", async () => {
    const three = await Promise.all([readIdxBytes(images(5, 2), "a"), readIdxBytes(labels(5), "b"), readIdxBytes(images(3, 2), "c")]);
    expect(() => pairIdxFiles(three)).toThrow(/expected four IDX files, two of images .* found a \(5×2×2\), b \(5\), c \(3×2×2\)/);
    const unmatched = await Promise.all([
      readIdxBytes(images(5), "a"),
      readIdxBytes(labels(4), "b"),
      readIdxBytes(images(3), "c"),
      readIdxBytes(labels(3), "d"),
    ]);
    expect(() => pairIdxFiles(unmatched)).toThrow(/a label file of the same count/);
    const small = (u: Uint8Array) => ({ name: "small", bytes: u.slice().buffer });
    await expect(readFashionFiles([small(images(5, 2)), small(labels(5)), small(images(3, 2)), small(labels(3))])).rejects.toThrow(
      /expected 28 × 28 images, as in MNIST, found 2 × 2/,
    );
    await expect(readIdxBytes(gzipSync(new Uint8Array([1, 2, 3, 4, 5])), "x.gz")).rejects.toThrow(/x\.gz.*gzipped file whose contents start with/);
  });
});
