import type { Backend } from "../../engine/backend.js";
import { typedBackend } from "../../engine/backend.js";
import { rowOf } from "../../engine/matrix.js";
import type { Network } from "../../engine/network.js";
import type { OptimizerName } from "../../engine/optimizers.js";
import { forward } from "../../engine/propagate.js";
import { modelOfNetwork, type Model, type ModelRecord } from "../../io/model.js";
import type { Task, TableSpec } from "../../io/table-spec.js";
import { InputError } from "../../input-error.js";
import { say } from "../../i18n/translate.js";
import type { Dataset } from "../data/dataset.js";
import { initialNetwork } from "../init.js";
import type { ScheduleName } from "../schedule.js";
import { evaluate, startTraining, train, type EpochMetrics, type Scores, type TrainSettings } from "../trainer.js";
import { encodeTable, type EncodeReport } from "./encode.js";
import { fitTable, type LeftOutColumn, type TableOptions } from "./fit.js";
import { fitLinear, withLinear } from "./linear.js";
import { objectTable, type TableSource } from "./source.js";

/** The output layer of each task. */
export const OUTPUT_ACTIVATION: Readonly<Record<Task, "softmax" | "identity" | "sigmoid">> = {
  classification: "softmax",
  regression: "identity",
  multilabel: "sigmoid",
};

/**
 * The decoupled weight decay of a table's training unless told otherwise.
 * Tables are small and noisy: on scikit-learn's diabetes table (442 rows)
 * an unregularized 64-32 MLP ends up to 10% worse than least squares; with
 * the linear start and this decay it is 1–3% better on each of three
 * splits, and on tables with interactions far ahead of the linear fit.
 */
export const TABLE_WEIGHT_DECAY = 2;

/** The loss a model file records for each task (Huber is not a model-file loss: its table spec says so). */
export const TASK_LOSS = { classification: "cross_entropy", regression: "mse", multilabel: "binary_cross_entropy" } as const;

/** A table fitted and encoded: its spec, the training and held-out rows, and what was inferred or left out. */
export interface PreparedTable {
  readonly spec: TableSpec;
  readonly train: Dataset;
  readonly test: Dataset;
  readonly report: EncodeReport;
  readonly ignored: readonly LeftOutColumn[];
}

/** Infers the columns and the task of `source`, learns the statistics from its training rows, and encodes every row. */
export function prepareTable(source: TableSource, options: TableOptions): PreparedTable {
  const fitted = fitTable(source, options);
  const { train, test, report } = encodeTable(source, fitted.spec, { heldOut: fitted.heldOut });
  if (train.count === 0) throw InputError.said(say("modelError.table.noTrainingRows"), { file: source.file });
  if (fitted.spec.task !== "regression") return { spec: fitted.spec, train, test, report, ignored: fitted.ignored };
  // A regression starts from least squares on the training rows; the network learns what it leaves.
  const linear = fitLinear(train);
  const spec = { ...fitted.spec, label: { ...fitted.spec.label, linear } };
  return { spec, train: withLinear(train, linear), test: withLinear(test, linear), report, ignored: fitted.ignored };
}

/** One row's prediction: a class and its probability, labels at ≥ 0.5, or the targets in their units. */
export type Prediction =
  | { readonly class: string; readonly probability: number; readonly probabilities: readonly number[] }
  | { readonly labels: readonly string[]; readonly probabilities: readonly number[] }
  | { readonly values: Readonly<Record<string, number>> };

/** The network's outputs for every encoded row, turned back into the table's terms. */
export function predictRows(net: Network, spec: TableSpec, data: Dataset): Prediction[] {
  const predictions: Prediction[] = [];
  const size = 1000;
  for (let from = 0; from < data.count; from += size) {
    const count = Math.min(size, data.count - from);
    const x = net.backend.matrix(count, net.inputs);
    x.data.set(data.inputs.subarray(from * net.inputs, (from + count) * net.inputs));
    const output = forward(net, x).at(-1)!;
    for (let i = 0; i < count; i++) {
      const a = Array.from(rowOf(output.a, i));
      if (spec.task === "classification") {
        const best = a.indexOf(Math.max(...a));
        predictions.push({ class: spec.label.classes![best]!, probability: a[best]!, probabilities: a });
      } else if (spec.task === "multilabel") {
        predictions.push({ labels: spec.label.classes!.filter((_, j) => a[j]! >= 0.5), probabilities: a });
      } else {
        const offset = (j: number) => data.offsets?.[(from + i) * a.length + j] ?? 0;
        predictions.push({
          values: Object.fromEntries(spec.label.columns.map((c, j) => [c, (a[j]! + offset(j)) * spec.label.std![j]! + spec.label.mean![j]!])),
        });
      }
    }
  }
  return predictions;
}

/** Options of `trainTable`: the table's (label, task, ignore, missing, …) and the training's. */
export interface TrainTableOptions extends TableOptions {
  /** Hidden layer sizes (default [64, 32]). */
  readonly hidden?: readonly number[];
  readonly activation?: "relu" | "tanh" | "sigmoid";
  /** Default 100. */
  readonly epochs?: number;
  /** Default 32. */
  readonly batchSize?: number;
  /** Default 0.001 (Adam). */
  readonly learningRate?: number;
  readonly optimizer?: OptimizerName;
  /** Default TABLE_WEIGHT_DECAY. */
  readonly weightDecay?: number;
  readonly schedule?: ScheduleName;
  /** Default: the float32 engine in TypeScript; `await fastBackend()` for the WebAssembly kernels. */
  readonly backend?: Backend;
  readonly onEpoch?: (metrics: EpochMetrics) => void;
}

/** A model trained on a table: its network, its preprocessing, and what training measured. */
export interface TableModel {
  readonly net: Network;
  readonly spec: TableSpec;
  readonly history: readonly EpochMetrics[];
  /** The held-out rows' figures after the last epoch: loss and accuracy, or RMSE, MAE and R² in the targets' units. */
  readonly test: Scores;
  readonly report: EncodeReport;
  readonly ignored: readonly LeftOutColumn[];
  /** Predictions for new rows of the same columns (the label may be left out). */
  predict(rows: readonly Readonly<Record<string, unknown>>[]): Prediction[];
  /** The model as `saveModel`, `exportOnnx` and the CLI take it, preprocessing included. */
  model(): Model;
}

/**
 * Trains a network on rows of objects, as brain.js users bring them: the
 * task and each column's kind are inferred (see `TableOptions`), numbers
 * and dates standardized, categories one-hot, missing cells imputed.
 *
 * @example
 * const houses = [{ area: 120, city: "lyon", price: 350000 }, …];
 * const result = trainTable(houses, { label: "price", epochs: 200 });
 * result.test.rmse;                                 // in euros
 * result.predict([{ area: 95, city: "nice" }]);     // [{ values: { price: … } }]
 */
export function trainTable(rows: readonly Readonly<Record<string, unknown>>[] | TableSource, options: TrainTableOptions): TableModel {
  const source = Array.isArray(rows) ? objectTable(rows) : (rows as TableSource);
  const prepared = prepareTable(source, options);
  const { spec } = prepared;
  const seed = options.seed ?? 1;
  const activation = options.activation ?? "relu";
  const architecture = {
    inputs: prepared.train.features,
    hidden: options.hidden ?? [64, 32],
    activation,
    classes: prepared.train.classes,
    output: OUTPUT_ACTIVATION[spec.task],
    zeroOutput: spec.label.linear !== undefined,
  };
  const settings: TrainSettings = {
    epochs: options.epochs ?? 100,
    batchSize: options.batchSize ?? 32,
    learningRate: options.learningRate ?? 0.001,
    schedule: { name: options.schedule ?? "cosine" },
    optimizer: { name: options.optimizer ?? "adam", momentum: 0.9, weightDecay: options.weightDecay ?? TABLE_WEIGHT_DECAY },
    seed,
    ...(spec.loss ? { loss: spec.loss } : {}),
  };
  const backend = options.backend ?? typedBackend("float32");
  const state = startTraining(initialNetwork(architecture, activation === "relu" ? "he" : "xavier", seed), backend, settings.optimizer);
  const done = train(
    state,
    prepared,
    settings,
    options.onEpoch
      ? {
          onEpoch: (m) => {
            options.onEpoch!(m);
          },
        }
      : {},
  );
  const net = done.net;
  const test = prepared.test.count > 0 ? evaluate(net, prepared.test, 1000, undefined, spec.loss) : { loss: Number.NaN };
  return {
    net,
    spec,
    history: done.history,
    test,
    report: prepared.report,
    ignored: prepared.ignored,
    predict: (more) => predictRows(net, spec, encodeTable(objectTable(more), spec, { ignoreLabel: true }).train),
    model: () => tableModel(net, spec, { data: source.name, settings, history: done.history }),
  };
}

/** A table-trained network as a model: its loss, class names and preprocessing in the header. */
export function tableModel(net: Network, spec: TableSpec, training: Record<string, unknown>): Model {
  return modelOfNetwork(net, tableRecord(spec, training));
}

/** What a model file records of a table-trained model besides its network. */
export function tableRecord(spec: TableSpec, training: Record<string, unknown>): ModelRecord {
  return {
    loss: { type: spec.task === "regression" ? (spec.loss ?? "mse") : TASK_LOSS[spec.task], reduction: "mean" as const },
    ...(spec.label.classes ? { classes: [...spec.label.classes] } : {}),
    training,
    table: spec,
  };
}
