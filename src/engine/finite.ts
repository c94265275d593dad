import type { Floats } from "./matrix.js";

/** The index of the first NaN or ±Infinity in `values`, or -1. */
export function firstNonFinite(values: Floats | readonly number[]): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}
