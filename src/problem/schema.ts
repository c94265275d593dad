import { z } from "zod";
import { ACTIVATION_NAMES } from "../engine/activations.js";
import { LOSS_NAMES, REDUCTIONS } from "../engine/losses.js";

/**
 * The shape of a problem file (../shared/PROBLEM-FORMAT.md). Relations between
 * fields (matrix shapes, pairings, bias forms) are checked in validate.ts,
 * where the messages can name both sides.
 */
const finite = z.number();
const row = z.array(finite);
const matrix = z.array(row);

export const REPORTS = ["inputGradients"] as const;

/** Problems are exercises: every step is recorded, so a runaway count is a typo. */
export const MAX_STEPS = 100_000;

export const layerSchema = z.strictObject({
  units: z.int().min(1),
  activation: z.enum(ACTIVATION_NAMES),
  weights: z.union([finite, matrix]),
  bias: z.union([z.literal(false), finite, row]).optional(),
  sharedBias: finite.optional(),
});

export const networkSchema = z.strictObject({
  inputs: z.int().min(1),
  layers: z.array(layerSchema).min(1),
});

export const lossSchema = z.strictObject({
  type: z.enum(LOSS_NAMES),
  reduction: z.enum(REDUCTIONS).default("mean"),
});

export const dataSchema = z.strictObject({
  inputs: matrix.min(1),
  targets: matrix,
});

export const trainingSchema = z.strictObject({
  optimizer: z.literal("sgd").default("sgd"),
  learningRate: finite.min(0).optional(),
  steps: z.int().min(0).max(MAX_STEPS),
});

const name = z.string().min(1);
const names = z.array(name);

export const notationLayerSchema = z.strictObject({
  weights: z.array(names).optional(),
  bias: z.union([name, names]).optional(),
  z: names.optional(),
  a: names.optional(),
});

/** The exercise's own names (w1…w10, h1, o1, E, η); shapes are checked against the network in validate.ts. */
export const notationSchema = z.strictObject({
  loss: name.optional(),
  learningRate: name.optional(),
  inputs: names.optional(),
  targets: names.optional(),
  layers: z.array(notationLayerSchema).optional(),
});

/** Unknown top-level keys are allowed: the format says solvers ignore them. */
export const problemSchema = z.looseObject({
  title: z.unknown().optional(),
  network: networkSchema,
  loss: lossSchema,
  data: dataSchema,
  training: trainingSchema,
  report: z.array(z.enum(REPORTS)).default([]),
  notation: notationSchema.optional(),
});

/** The fields each strict object allows, keyed by its path with indices written as []. */
export const ALLOWED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  network: Object.keys(networkSchema.shape),
  "network.layers[]": Object.keys(layerSchema.shape),
  loss: Object.keys(lossSchema.shape),
  data: Object.keys(dataSchema.shape),
  training: Object.keys(trainingSchema.shape),
  notation: Object.keys(notationSchema.shape),
  "notation.layers[]": Object.keys(notationLayerSchema.shape),
};

export type ProblemFile = z.input<typeof problemSchema>;
export type CheckedProblemFile = z.output<typeof problemSchema>;
