import * as v from "valibot";
import { ACTIVATION_NAMES } from "../engine/activations.js";
import { LOSS_NAMES, REDUCTIONS } from "../engine/losses.js";

/**
 * The shape of a problem file (../shared/PROBLEM-FORMAT.md). Relations between
 * fields (matrix shapes, pairings, bias forms) are checked in validate.ts,
 * where the messages can name both sides.
 */
const finite = v.pipe(v.number(), v.finite());
const row = v.array(finite);
const matrix = v.array(row);
const count = v.pipe(v.number(), v.integer(), v.minValue(1));

export const REPORTS = ["inputGradients"] as const;

/** Problems are exercises: every step is recorded, so a runaway count is a typo. */
export const MAX_STEPS = 100_000;

export const layerSchema = v.strictObject({
  units: count,
  activation: v.picklist(ACTIVATION_NAMES),
  weights: v.union([finite, matrix]),
  bias: v.optional(v.union([v.literal(false), finite, row])),
  sharedBias: v.optional(finite),
});

export const networkSchema = v.strictObject({
  inputs: count,
  layers: v.pipe(v.array(layerSchema), v.minLength(1)),
});

export const lossSchema = v.strictObject({
  type: v.picklist(LOSS_NAMES),
  reduction: v.optional(v.picklist(REDUCTIONS), "mean"),
});

export const dataSchema = v.strictObject({
  inputs: v.pipe(matrix, v.minLength(1)),
  targets: matrix,
});

export const trainingSchema = v.strictObject({
  optimizer: v.optional(v.literal("sgd"), "sgd"),
  learningRate: v.optional(v.pipe(finite, v.minValue(0))),
  steps: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_STEPS)),
});

const name = v.pipe(v.string(), v.minLength(1));
const names = v.array(name);

export const notationLayerSchema = v.strictObject({
  weights: v.optional(v.array(names)),
  bias: v.optional(v.union([name, names])),
  z: v.optional(names),
  a: v.optional(names),
});

/** The exercise's own names (w1…w10, h1, o1, E, η); shapes are checked against the network in validate.ts. */
export const notationSchema = v.strictObject({
  loss: v.optional(name),
  learningRate: v.optional(name),
  inputs: v.optional(names),
  targets: v.optional(names),
  layers: v.optional(v.array(notationLayerSchema)),
});

/** Unknown top-level keys are allowed: the format says solvers ignore them. */
export const problemSchema = v.looseObject({
  title: v.optional(v.unknown()),
  network: networkSchema,
  loss: lossSchema,
  data: dataSchema,
  training: trainingSchema,
  report: v.optional(v.array(v.picklist(REPORTS)), () => []),
  notation: v.optional(notationSchema),
});

/** The fields each strict object allows, keyed by its path with indices written as []. */
export const ALLOWED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  network: Object.keys(networkSchema.entries),
  "network.layers[]": Object.keys(layerSchema.entries),
  loss: Object.keys(lossSchema.entries),
  data: Object.keys(dataSchema.entries),
  training: Object.keys(trainingSchema.entries),
  notation: Object.keys(notationSchema.entries),
  "notation.layers[]": Object.keys(notationLayerSchema.entries),
};

export type ProblemFile = v.InferInput<typeof problemSchema>;
export type CheckedProblemFile = v.InferOutput<typeof problemSchema>;
