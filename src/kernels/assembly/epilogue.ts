import { activate } from "./activation";

/**
 * The passes around a product that touch each element once: the forward
 * epilogue z += b, a = f(z), and the bias gradient db = Σ_samples dz.
 */

/** x[0..count] += y[0..count]. */
function addInto(x: usize, y: usize, count: i32): void {
  const end = <usize>count << 2, vectors = end & ~15;
  let offset: usize = 0;
  for (; offset < vectors; offset += 16) v128.store(x + offset, f32x4.add(v128.load(x + offset), v128.load(y + offset)));
  for (; offset < end; offset += 4) store<f32>(x + offset, load<f32>(x + offset) + load<f32>(y + offset));
}

/**
 * Row by row (so each row is still in L1 for the activation): z += bias
 * (skipped when `bias` is 0), then a = f(z). z and a are rows×cols, bias has cols.
 */
export function biasActivate(z: usize, bias: usize, a: usize, rows: i32, cols: i32, activation: i32): void {
  const rowBytes = <usize>cols << 2;
  for (let i = 0; i < rows; i++) {
    const offset = <usize>i * rowBytes;
    if (bias != 0) addInto(z + offset, bias, cols);
    activate(z + offset, a + offset, cols, activation);
  }
}

/** out[j] = Σ_i x[i, j]: the bias gradient from dz (rows×cols). */
export function columnSums(x: usize, rows: i32, cols: i32, out: usize): void {
  const rowBytes = <usize>cols << 2;
  memory.fill(out, 0, rowBytes);
  for (let i = 0; i < rows; i++) addInto(out, x + <usize>i * rowBytes, cols);
}
