import { ACTIVATIONS } from "../engine/activations.js";
import type { Deriver } from "../explain/derive.js";
import type { Quantity } from "../explain/quantity.js";

/** The most paths a sum over paths is taken apart into. */
const MAX_PATHS = 256;

/**
 * A gradient as the sum of its contributions along every path from the loss,
 * one number per path (per sample, per downstream neuron): dropping some of
 * them shows what a sum that misses paths gives.
 */
export function pathTerms(deriver: Deriver, q: Quantity): number[] | undefined {
  const { problem, values } = deriver;
  const last = problem.network.layers.length - 1;
  const layerUnits = (layer: number) => problem.network.layers[layer]!.units;
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const batch = range(problem.data.inputs.length);
  // Beyond a few hundred paths a dropped one says nothing, and listing them costs more than the whole check.
  const from = q.kind === "dx" ? 0 : "layer" in q ? q.layer + 1 : last + 1;
  const count = problem.network.layers.slice(from).reduce((n, layer) => n * layer.units, batch.length);
  if (count > MAX_PATHS) return undefined;

  // Paths into dL/dz of one neuron; the output layer's delta is a single path.
  const delta = (step: number, layer: number, sample: number, j: number): number[] => {
    if (layer === last) return [values.of({ kind: "dz", step, layer, sample, j })];
    const z = values.of({ kind: "z", step, layer, sample, j });
    const a = values.of({ kind: "a", step, layer, sample, j });
    // Hidden layers are element-wise (softmax is output-only), so f′ is the neuron's own slope.
    const slope = ACTIVATIONS[problem.network.layers[layer]!.activation].slope!(z, a);
    return range(layerUnits(layer + 1)).flatMap((k) =>
      delta(step, layer + 1, sample, k).map((t) => t * values.of({ kind: "w", step, layer: layer + 1, j: k, i: j }) * slope),
    );
  };
  const previous = (step: number, layer: number, sample: number, i: number) =>
    layer === 0 ? values.of({ kind: "x", sample, i }) : values.of({ kind: "a", step, layer: layer - 1, sample, j: i });

  switch (q.kind) {
    case "dz":
      return delta(q.step, q.layer, q.sample, q.j);
    case "dw":
      return batch.flatMap((s) => delta(q.step, q.layer, s, q.j).map((t) => t * previous(q.step, q.layer, s, q.i)));
    case "db":
      return batch.flatMap((s) => (q.j === undefined ? range(layerUnits(q.layer)) : [q.j]).flatMap((j) => delta(q.step, q.layer, s, j)));
    case "da":
    case "dx": {
      const [layer, j] = "i" in q ? [-1, q.i] : [q.layer, q.j];
      if (layer === last) return undefined;
      return range(layerUnits(layer + 1)).flatMap((k) =>
        delta(q.step, layer + 1, q.sample, k).map((t) => t * values.of({ kind: "w", step: q.step, layer: layer + 1, j: k, i: j })),
      );
    }
    default:
      return undefined;
  }
}
