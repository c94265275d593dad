import type { Rng } from "../../engine/rng.js";

/** Samples for classification: inputs row-major (count × features), scaled to [0,1] for images. */
export interface Dataset {
  readonly name: string;
  /** Sample i is `inputs[i·features … (i+1)·features)`. */
  readonly inputs: Float32Array;
  /** The class index of each sample, in [0, classes). */
  readonly labels: Int32Array;
  readonly count: number;
  readonly features: number;
  readonly classes: number;
  /** The name of each class index, when the source names them. */
  readonly classNames?: readonly string[];
  /**
   * Targets that are not one class per sample (count × classes, row-major):
   * a regression's standardized values or a multi-label's 0/1 per label.
   * `classes` is then the number of outputs, and `labels` unused.
   */
  readonly targets?: Float32Array;
  /** A regression's target i in its own units is `targets[·, i] · std[i] + mean[i]`. */
  readonly targetUnits?: { readonly mean: readonly number[]; readonly std: readonly number[] };
  /** What a linear fit predicts of each target (count × classes): `targets` are then what it leaves, and a prediction is offset + output. */
  readonly offsets?: Float32Array;
}

/**
 * The samples at `indices`, in that order (an index may repeat).
 *
 * @example subset(digits, [0, 5, 7]).count === 3
 */
export function subset(dataset: Dataset, indices: ArrayLike<number>, name = dataset.name): Dataset {
  const { features } = dataset;
  const count = indices.length;
  const inputs = new Float32Array(count * features);
  const labels = new Int32Array(count);
  const outputs = dataset.classes;
  const targets = dataset.targets && new Float32Array(count * outputs);
  const offsets = dataset.offsets && new Float32Array(count * outputs);
  for (let row = 0; row < count; row++) {
    const from = indices[row]!;
    if (!Number.isInteger(from) || from < 0 || from >= dataset.count) {
      throw new RangeError(`subset: index ${from} at position ${row} is outside 0…${dataset.count - 1}`);
    }
    inputs.set(dataset.inputs.subarray(from * features, (from + 1) * features), row * features);
    labels[row] = dataset.labels[from]!;
    targets?.set(dataset.targets!.subarray(from * outputs, (from + 1) * outputs), row * outputs);
    offsets?.set(dataset.offsets!.subarray(from * outputs, (from + 1) * outputs), row * outputs);
  }
  const extra = { ...(targets ? { targets } : {}), ...(offsets ? { offsets } : {}), ...(dataset.targetUnits ? { targetUnits: dataset.targetUnits } : {}) };
  return withClassNames({ name, inputs, labels, count, features, classes: dataset.classes, ...extra }, dataset.classNames);
}

/** 0 … count−1 in a seeded random order (Fisher–Yates). */
export function shuffledOrder(count: number, rng: Rng): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  return order;
}

/**
 * Holds out round(fraction · count) samples chosen by a seeded shuffle, for
 * validation or testing; `rest` is everything else. Both keep the shuffled order.
 */
export function splitOff(dataset: Dataset, fraction: number, rng: Rng): { rest: Dataset; held: Dataset } {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`splitOff: fraction must be in [0, 1], got ${fraction}`);
  const order = shuffledOrder(dataset.count, rng);
  const heldCount = Math.round(fraction * dataset.count);
  return { rest: subset(dataset, order.subarray(heldCount)), held: subset(dataset, order.subarray(0, heldCount)) };
}

/** `dataset` with `classNames` set only when there are some (the field is optional, never undefined). */
export function withClassNames(dataset: Omit<Dataset, "classNames">, classNames: readonly string[] | undefined): Dataset {
  return classNames ? { ...dataset, classNames } : dataset;
}
