import * as v from "valibot";
import { REGRESSION_LOSSES } from "../engine/losses.js";

/**
 * How a model trained on a table turns a row of cells into the network's
 * inputs, and its outputs back into the table's units: stored in the model
 * file (`table`), so that eval, predict and the ONNX export apply exactly
 * the transform training used.
 *
 * A row becomes the *encoded* vector (one number per numeric or date
 * column, one 0/1 per category, one 0/1 missing-value indicator where the
 * column had gaps), then the network's input x = (encoded − shift) / scale.
 */

export const TASKS = ["classification", "regression", "multilabel"] as const;
export type Task = (typeof TASKS)[number];

export const MISSING_STRATEGIES = ["impute", "drop"] as const;
export type MissingStrategy = (typeof MISSING_STRATEGIES)[number];

const name = v.pipe(v.string(), v.minLength(1));
const finite = v.pipe(v.number(), v.finite());
const positive = v.pipe(v.number(), v.finite(), v.gtValue(0));

const numberColumn = v.strictObject({
  name,
  /** A number as written, or a date as days since 1970-01-01 (UTC). */
  kind: v.picklist(["number", "date"]),
  /** Mean and standard deviation over the training split. */
  mean: finite,
  std: positive,
  /** Whether a missing-value indicator follows the value. */
  indicator: v.boolean(),
  /** A date column's order when it is not ISO's year first: month/day/year or day/month/year. */
  order: v.optional(v.picklist(["mdy", "dmy"])),
});

const categoryColumn = v.strictObject({
  name,
  kind: v.literal("category"),
  /** One 0/1 input per category, in this order; an unseen category is all zeros. */
  categories: v.pipe(v.array(v.string()), v.minLength(1)),
  /** The most frequent category of the training split, for missing cells. */
  fill: v.string(),
  indicator: v.boolean(),
});

export const tableSpecSchema = v.strictObject({
  task: v.picklist(TASKS),
  missing: v.picklist(MISSING_STRATEGIES),
  columns: v.array(v.union([numberColumn, categoryColumn])),
  ignored: v.array(v.string()),
  /** The label columns; regression targets are standardized with `mean` and `std` for training. */
  label: v.strictObject({
    columns: v.pipe(v.array(name), v.minLength(1)),
    /** Class names (classification), or label names (multi-label: one per column, or the tokens of a `a|b` column). */
    classes: v.optional(v.array(v.string())),
    mean: v.optional(v.array(finite)),
    std: v.optional(v.array(positive)),
    /**
     * A regression's least-squares fit on the standardized inputs (one row
     * of weights and a bias per target): the network learns what it leaves,
     * and a prediction is the fit plus the network's output.
     */
    linear: v.optional(v.strictObject({ weights: v.array(v.array(finite)), bias: v.array(finite) })),
  }),
  /** The loss of a regression (`mse`, `mae` or `huber` on standardized targets). */
  loss: v.optional(v.picklist(REGRESSION_LOSSES)),
});

export type TableSpec = v.InferOutput<typeof tableSpecSchema>;
export type ColumnSpec = TableSpec["columns"][number];

/** The width of each column's encoding: its value (or its categories) and the indicator. */
export function encodedWidth(column: ColumnSpec): number {
  return (column.kind === "category" ? column.categories.length : 1) + (column.indicator ? 1 : 0);
}

/** The names of the encoded inputs, in order: `area`, `area (missing)`, `city=lyon`, … */
export function encodedNames(spec: TableSpec): string[] {
  return spec.columns.flatMap((column) => [
    ...(column.kind === "category" ? column.categories.map((c) => `${column.name}=${c}`) : [column.name]),
    ...(column.indicator ? [`${column.name} (missing)`] : []),
  ]);
}

/** x = (encoded − shift) / scale per input: numbers and dates standardized, 0/1 inputs kept. */
export function inputScaling(spec: TableSpec): { shift: number[]; scale: number[] } {
  const shift: number[] = [],
    scale: number[] = [];
  for (const column of spec.columns) {
    if (column.kind === "category") {
      shift.push(...column.categories.map(() => 0));
      scale.push(...column.categories.map(() => 1));
    } else {
      shift.push(column.mean);
      scale.push(column.std);
    }
    if (column.indicator) {
      shift.push(0);
      scale.push(1);
    }
  }
  return { shift, scale };
}

/**
 * The table's transform as the maps the ONNX export carries: standardizing
 * the encoded inputs, and (a regression) its linear fit beside the network
 * and returning the outputs to the targets' units. One-hot encoding, date parsing and
 * imputation stay outside: the ONNX model takes the encoded vector.
 */
export function tableAffines(spec: TableSpec): {
  input: { weights: number[]; bias: number[] };
  linear?: { weights: number[][]; bias: number[] };
  output?: { weights: number[]; bias: number[] };
} {
  const { shift, scale } = inputScaling(spec);
  const input = { weights: scale.map((s) => 1 / s), bias: shift.map((m, i) => -m / scale[i]!) };
  const { mean, std, linear } = spec.label;
  if (spec.task !== "regression" || !mean || !std) return { input };
  return {
    input,
    ...(linear ? { linear: { weights: linear.weights.map((w) => [...w]), bias: [...linear.bias] } } : {}),
    output: { weights: [...std], bias: [...mean] },
  };
}
