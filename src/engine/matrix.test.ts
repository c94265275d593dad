import { describe, expect, test } from "vitest";
import { fromRows, rowOf, type Matrix } from "./matrix.js";

describe("rowOf", () => {
  test.each(["float64", "float32"] as const)("views each row of a %s matrix, and writes go through", (dtype) => {
    const m = fromRows(dtype, [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(Array.from(rowOf(m, 0))).toEqual([1, 2, 3]);
    expect(Array.from(rowOf(m, 1))).toEqual([4, 5, 6]);
    rowOf(m, 1)[2] = 60;
    expect(m.data[5]).toBe(60);
    expect(rowOf(m, 1).buffer).toBe(m.data.buffer);
  });

  test("gives the same view each time for the same storage and shape", () => {
    const m = fromRows("float32", [
      [1, 2],
      [3, 4],
    ]);
    expect(rowOf(m, 1)).toBe(rowOf(m, 1));
  });

  test("a storage seen under another shape gets that shape's rows", () => {
    const wide = fromRows("float64", [[1, 2, 3, 4, 5, 6]]);
    const twoByThree: Matrix = { rows: 2, cols: 3, data: wide.data };
    const threeByTwo: Matrix = { rows: 3, cols: 2, data: wide.data };
    expect(Array.from(rowOf(twoByThree, 1))).toEqual([4, 5, 6]);
    expect(Array.from(rowOf(threeByTwo, 1))).toEqual([3, 4]);
    expect(Array.from(rowOf(twoByThree, 1))).toEqual([4, 5, 6]);
  });

  test("past the last row is an empty view, as subarray gives", () => {
    expect(rowOf(fromRows("float64", [[1], [2]]), 5).length).toBe(0);
  });

  test("a one-row matrix is its own row", () => {
    const m = fromRows("float64", [[7, 8]]);
    expect(rowOf(m, 0)).toBe(m.data);
  });
});
