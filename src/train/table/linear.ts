import type { TableSpec } from "../../io/table-spec.js";
import type { Dataset } from "../data/dataset.js";

/** A least-squares fit of each target on the inputs: `weights[j]` (one per input) and `bias[j]`. */
export type LinearFit = NonNullable<TableSpec["label"]["linear"]>;

/** A ridge this small (relative to the rows) only settles collinear inputs, such as one-hot columns beside the bias. */
const RIDGE = 1e-4;

/**
 * Ordinary least squares of every target on the (standardized) inputs,
 * with an intercept, by the normal equations solved with partial pivoting:
 * the baseline a regression starts from.
 */
export function fitLinear(data: Dataset): LinearFit {
  const n = data.features,
    p = n + 1,
    outputs = data.classes;
  const a = Array.from({ length: p }, () => new Float64Array(p));
  const b = Array.from({ length: outputs }, () => new Float64Array(p));
  const row = new Float64Array(p);
  for (let i = 0; i < data.count; i++) {
    row[0] = 1;
    for (let j = 0; j < n; j++) row[j + 1] = data.inputs[i * n + j]!;
    for (let j = 0; j < p; j++) {
      for (let k = j; k < p; k++) a[j]![k]! += row[j]! * row[k]!;
      for (let o = 0; o < outputs; o++) b[o]![j]! += row[j]! * data.targets![i * outputs + o]!;
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) a[j]![k] = a[k]![j]!;
  for (let j = 1; j < p; j++) a[j]![j]! += RIDGE * Math.max(1, data.count);
  for (let c = 0; c < p; c++) {
    let pivot = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[pivot]![c]!)) pivot = r;
    [a[c], a[pivot]] = [a[pivot]!, a[c]!];
    for (const rhs of b) [rhs[c], rhs[pivot]] = [rhs[pivot]!, rhs[c]!];
    for (let r = c + 1; r < p; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < p; k++) a[r]![k]! -= f * a[c]![k]!;
      for (const rhs of b) rhs[r]! -= f * rhs[c]!;
    }
  }
  const solutions = b.map((rhs) => {
    const w = new Float64Array(p);
    for (let r = p - 1; r >= 0; r--) {
      let s = rhs[r]!;
      for (let k = r + 1; k < p; k++) s -= a[r]![k]! * w[k]!;
      w[r] = s / a[r]![r]!;
    }
    return w;
  });
  return { weights: solutions.map((w) => Array.from(w.subarray(1))), bias: solutions.map((w) => w[0]!) };
}

/** The data with what `linear` predicts taken out of its targets and kept as offsets. */
export function withLinear(data: Dataset, linear: LinearFit): Dataset {
  const n = data.features,
    outputs = data.classes;
  const offsets = new Float32Array(data.count * outputs);
  const targets = data.targets!.slice();
  for (let i = 0; i < data.count; i++) {
    for (let o = 0; o < outputs; o++) {
      let s = linear.bias[o]!;
      const w = linear.weights[o]!;
      for (let j = 0; j < n; j++) s += w[j]! * data.inputs[i * n + j]!;
      offsets[i * outputs + o] = s;
      targets[i * outputs + o]! -= s;
    }
  }
  return { ...data, targets, offsets };
}
