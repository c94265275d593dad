/**
 * Softmax of each row, computed as engine/activations.ts computes it over a
 * Float32Array: the max and the sum in float64, each exp stored as float32
 * and then divided by the float64 sum of the unrounded exps. Only exp itself
 * is another implementation (AssemblyScript's, not V8's): where the two
 * differ in their last float64 bit, that bit also moves the row's sum, and a
 * result can differ from the engine's where it decides a float32 rounding.
 */
export function softmax(z: usize, a: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols << 2;
  for (let i = 0; i < rows; i++) {
    const zi = z + <usize>i * rowBytes, ai = a + <usize>i * rowBytes;
    let max: f64 = -Infinity;
    for (let j = 0; j < cols; j++) max = Math.max(max, <f64>load<f32>(zi + (<usize>j << 2)));
    let sum: f64 = 0;
    for (let j = 0; j < cols; j++) {
      // Read z before writing a: `a` may be `z`.
      const e = Math.exp(<f64>load<f32>(zi + (<usize>j << 2)) - max);
      store<f32>(ai + (<usize>j << 2), <f32>e);
      sum += e;
    }
    for (let j = 0; j < cols; j++) store<f32>(ai + (<usize>j << 2), <f32>(<f64>load<f32>(ai + (<usize>j << 2)) / sum));
  }
}
