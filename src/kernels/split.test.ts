import { expect, test } from "vitest";
import { blockOf, cutProduct, type Cut } from "./split.js";

const blocks = (cut: Cut) => Array.from({ length: cut.count }, (_, i) => blockOf(cut, i));

test("cuts the longer side on tile multiples, covering every entry once", () => {
  expect(blocks(cutProduct(128, 256, 2, 4, 8))).toEqual([
    { row: 0, rows: 128, col: 0, cols: 128 },
    { row: 0, rows: 128, col: 128, cols: 128 },
  ]);
  expect(blocks(cutProduct(261, 77, 2, 4, 8))).toEqual([
    { row: 0, rows: 132, col: 0, cols: 77 },
    { row: 132, rows: 129, col: 0, cols: 77 },
  ]);
  for (const [m, n, parts] of [
    [5, 3, 2],
    [37, 1030, 3],
    [4, 8, 4],
    [1, 1, 2],
  ] as const) {
    const cut = cutProduct(m, n, parts, 4, 8);
    expect(cut.count).toBeLessThanOrEqual(parts);
    const covered = new Array<number>(m * n).fill(0);
    for (const b of blocks(cut)) for (let i = b.row; i < b.row + b.rows; i++) for (let j = b.col; j < b.col + b.cols; j++) covered[i * n + j]!++;
    expect(new Set(covered)).toEqual(new Set([1]));
  }
});

test("cuts into blocks of whole tiles that differ by at most one tile", () => {
  expect(blocks(cutProduct(128, 256, 4, 3, 12)).map((b) => b.cols)).toEqual([72, 72, 60, 52]);
  expect(blocks(cutProduct(1024, 256, 4, 3, 12)).map((b) => [b.row, b.rows])).toEqual([
    [0, 258],
    [258, 258],
    [516, 255],
    [771, 253],
  ]);
});

test("never makes a block thinner than one tile, so small products stay whole", () => {
  expect(blocks(cutProduct(3, 6, 2, 4, 8))).toEqual([{ row: 0, rows: 3, col: 0, cols: 6 }]);
});
