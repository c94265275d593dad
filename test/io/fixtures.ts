import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ActivationName } from "../../src/engine/activations.js";
import { fromRows, type DType, type Floats } from "../../src/engine/matrix.js";
import { buildNetwork, type BiasMode, type BiasSpec, type NetworkSpec } from "../../src/engine/network.js";
import { forward } from "../../src/engine/propagate.js";
import { Rng } from "../../src/engine/rng.js";

export function temporaryFolder(): string {
  return mkdtempSync(join(tmpdir(), "gradstep-io-"));
}

/** A random network with the given hidden and output activations and one bias mode for every layer. */
export function randomSpec(seed: number, sizes: readonly number[], activations: readonly ActivationName[], bias: BiasMode): NetworkSpec {
  const rng = new Rng(seed);
  const layers = activations.map((activation, k) => {
    const inputs = sizes[k]!,
      units = sizes[k + 1]!;
    const weights = Array.from({ length: units }, () => Array.from({ length: inputs }, () => rng.uniform(-1.5, 1.5)));
    const spec: BiasSpec =
      bias === "perNeuron"
        ? { mode: bias, values: Array.from({ length: units }, () => rng.uniform(-1, 1)) }
        : bias === "shared"
          ? { mode: bias, value: rng.uniform(-1, 1) }
          : { mode: bias };
    return { units, activation, weights, bias: spec };
  });
  return { inputs: sizes[0]!, layers };
}

/** A random batch, `batch` × `inputs`. */
export function randomBatch(seed: number, batch: number, inputs: number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: batch }, () => Array.from({ length: inputs }, () => rng.uniform(-2, 2)));
}

/** Our engine's output for a batch, on the typed backend of `dtype`. */
export function engineOutput(spec: NetworkSpec, dtype: DType, x: readonly (readonly number[])[]): Floats {
  const net = buildNetwork(spec, dtype);
  return forward(net, fromRows(dtype, x)).at(-1)!.a.data;
}

/** The largest absolute difference between two arrays of the same length. */
export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i]! - b[i]!));
  return largest;
}
