import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, test } from "vitest";
import { loadIdxPair, readIdx } from "../../src/train/data/index.js";
import { inputError } from "./input-error.js";

/** An IDX file written byte by byte from the format's description, independent of the reader. */
function idx(type: number, dims: readonly number[], data: readonly number[]): Uint8Array {
  const header = [0, 0, type, dims.length];
  for (const dim of dims) header.push((dim >>> 24) & 0xff, (dim >>> 16) & 0xff, (dim >>> 8) & 0xff, dim & 0xff);
  return Uint8Array.from([...header, ...data]);
}

const dir = mkdtempSync(join(tmpdir(), "gradstep-idx-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** 3 images of 2×2 pixels and their labels. */
const PIXELS = [0, 255, 51, 102, 1, 2, 3, 4, 255, 255, 0, 0];
const LABELS = [2, 0, 1];
const images = write("images-idx3-ubyte", idx(0x08, [3, 2, 2], PIXELS));
const labels = write("labels-idx1-ubyte", idx(0x08, [3], LABELS));


describe("IDX round trip", () => {
  test("readIdx gives the dimensions and the bytes after the header", () => {
    const parsed = readIdx(idx(0x08, [3, 2, 2], PIXELS), "x");
    expect(parsed.dims).toEqual([3, 2, 2]);
    expect([...parsed.data]).toEqual(PIXELS);
  });

  test("big-endian dimensions above 255", () => {
    const parsed = readIdx(idx(0x08, [1, 300], new Array<number>(300).fill(7)));
    expect(parsed.dims).toEqual([1, 300]);
    expect(parsed.data.length).toBe(300);
  });

  test("a plain pair loads as a Dataset with pixels / 255", () => {
    const data = loadIdxPair(images, labels, "tiny");
    expect(data).toMatchObject({ name: "tiny", count: 3, features: 4, classes: 3 });
    expect([...data.labels]).toEqual(LABELS);
    expect(data.inputs.length).toBe(12);
    PIXELS.forEach((pixel, i) => expect(data.inputs[i]).toBeCloseTo(pixel / 255, 7));
    expect(data.classNames).toBeUndefined();
  });

  test("a gzipped pair loads to the same Dataset", () => {
    const gzImages = write("images-idx3-ubyte.gz", gzipSync(idx(0x08, [3, 2, 2], PIXELS)));
    const gzLabels = write("labels-idx1-ubyte.gz", gzipSync(idx(0x08, [3], LABELS)));
    const plain = loadIdxPair(images, labels, "tiny");
    const zipped = loadIdxPair(gzImages, gzLabels, "tiny");
    expect(zipped.inputs).toEqual(plain.inputs);
    expect(zipped.labels).toEqual(plain.labels);
  });

  test("class names set the number of classes", () => {
    const data = loadIdxPair(images, labels, "tiny", ["a", "b", "c", "d"]);
    expect(data.classes).toBe(4);
    expect(data.classNames).toEqual(["a", "b", "c", "d"]);
  });
});

describe("malformed IDX input is an InputError naming the file", () => {
  test("labels given where images belong: wrong magic number", () => {
    const error = inputError(() => loadIdxPair(labels, labels, "swapped"));
    expect(error.file).toBe(labels);
    expect(error.message).toContain(labels);
    expect(error.message).toContain("expected an IDX images file (magic number 0x00000803");
    expect(error.message).toContain("found magic number 0x00000801 (1 dimension, as in a label file)");
  });

  test("images given where labels belong", () => {
    const error = inputError(() => loadIdxPair(images, images, "swapped"));
    expect(error.message).toMatch(/expected an IDX labels file \(magic number 0x00000801.*found magic number 0x00000803/);
  });

  test("truncated pixels: the dimensions promise more bytes than the file has", () => {
    const file = write("short-idx3-ubyte", idx(0x08, [3, 2, 2], PIXELS.slice(0, 10)));
    const error = inputError(() => loadIdxPair(file, labels, "short"));
    expect(error.file).toBe(file);
    expect(error.message).toBe(`${file}: truncated: expected 3×2×2 = 12 bytes of data after the header, found 10 bytes`);
  });

  test("a truncated gzipped file", () => {
    const whole = gzipSync(idx(0x08, [3, 2, 2], PIXELS));
    const file = write("cut-idx3-ubyte.gz", whole.subarray(0, whole.length - 12));
    const error = inputError(() => loadIdxPair(file, labels, "cut"));
    expect(error.file).toBe(file);
    expect(error.message).toContain("expected a complete gzip stream");
  });

  test("extra bytes after the data", () => {
    const error = inputError(() => readIdx(idx(0x08, [2], [1, 2, 3]), "long.idx"));
    expect(error.message).toBe("long.idx: longer than its dimensions say: expected 2 = 2 bytes of data after the header, found 3 bytes");
  });

  test("a header cut short", () => {
    const error = inputError(() => readIdx(idx(0x08, [3, 2, 2], []).subarray(0, 10), "head.idx"));
    expect(error.message).toBe("head.idx: expected a header of 16 bytes (magic number and 3 dimensions), found a file of 10 bytes");
  });

  test("label count differs from image count", () => {
    const file = write("two-labels-idx1-ubyte", idx(0x08, [2], [0, 1]));
    const error = inputError(() => loadIdxPair(images, file, "mismatch"));
    expect(error.file).toBe(file);
    expect(error.message).toBe(`${file}: expected 3 labels, one for each image in ${images}, found 2`);
  });

  test("a label beyond the class names", () => {
    const error = inputError(() => loadIdxPair(images, labels, "tiny", ["a", "b"]));
    expect(error.message).toBe(`${labels}: label 0: expected a class index below 2 (a, b), found 2`);
  });

  test("a file that is neither IDX nor gzip", () => {
    const file = write("notes.txt", new TextEncoder().encode("hello, world\n"));
    const error = inputError(() => loadIdxPair(file, labels, "text"));
    expect(error.file).toBe(file);
    expect(error.message).toContain('found a file that starts with the bytes 0x68 0x65 0x6c 0x6c ("hell"), neither IDX nor gzip');
  });

  test("a gzipped file that holds something else", () => {
    const error = inputError(() => readIdx(gzipSync(new TextEncoder().encode("<!DOCTYPE html>")), "page.gz"));
    expect(error.message).toContain('found a gzipped file whose contents start with the bytes 0x3c 0x21 0x44 0x4f ("<!DO"), not IDX');
  });

  test("a file too short to hold a magic number", () => {
    const error = inputError(() => readIdx(Uint8Array.from([0, 0]), "tiny.idx"));
    expect(error.message).toMatch(/^tiny\.idx: expected an IDX file .* found only 2 bytes$/);
  });

  test("values that are not unsigned bytes", () => {
    const error = inputError(() => readIdx(idx(0x0d, [1], [0, 0, 0, 0]), "floats.idx"));
    expect(error.message).toBe(
      "floats.idx: expected IDX values of type 0x08 (unsigned bytes), found type 0x0d (32-bit floats), which gradstep does not read",
    );
  });

  test("a missing file", () => {
    const file = join(dir, "nowhere-idx3-ubyte.gz");
    const error = inputError(() => loadIdxPair(file, labels, "missing"));
    expect(error.file).toBe(file);
    expect(error.message).toBe(`${file}: expected an IDX images file, found no such file`);
  });
});
