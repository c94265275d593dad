import type { Backend } from "../engine/backend.js";
import { LOSSES, type RegressionLoss } from "../engine/losses.js";
import { rowOf, type Matrix } from "../engine/matrix.js";
import { buildNetwork, type Network, type NetworkSpec } from "../engine/network.js";
import { createOptimizer, type Optimizer, type OptimizerSettings } from "../engine/optimizers.js";
import { backward, forward, type Objective } from "../engine/propagate.js";
import { createWorkspace, type Workspace } from "../engine/workspace.js";
import { Rng } from "../engine/rng.js";
import { shuffledOrder, type Dataset } from "./data/dataset.js";
import { learningRateAt, type Schedule } from "./schedule.js";
import { english, type Translator, say, type Say } from "../i18n/translate.js";

export interface TrainSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly schedule: Schedule;
  readonly optimizer: OptimizerSettings;
  readonly seed: number;
  /** Stop when the held-out metric has not improved for this many epochs. */
  readonly earlyStop?: { readonly metric: "accuracy" | "loss"; readonly patience: number };
  /** The loss of an identity output (a regression): mean squared error (default) or Huber. */
  readonly loss?: RegressionLoss;
}

export interface EpochMetrics {
  /** 1-based. */
  readonly epoch: number;
  readonly learningRate: number;
  readonly trainLoss: number;
  /** Classification: the share of samples whose largest output is the label; multi-label: of labels right at 0.5. Absent for a regression. */
  readonly trainAccuracy?: number;
  readonly testLoss: number;
  readonly testAccuracy?: number;
  /** A regression's held-out root mean squared error, mean absolute error (both in the targets' units) and R² (averaged over targets). */
  readonly testRmse?: number;
  readonly testMae?: number;
  readonly testR2?: number;
  readonly seconds: number;
  readonly samplesPerSecond: number;
}

/** Where training is, for a progress bar. */
export interface Progress {
  readonly epoch: number;
  readonly samples: number;
  readonly total: number;
  readonly samplesPerSecond: number;
  /** The mean training loss over the epoch's samples so far, and the share of them classified right (absent for a regression). */
  readonly trainLoss: number;
  readonly trainAccuracy?: number;
}

export interface TrainEvents {
  readonly onProgress?: (progress: Progress) => void;
  /** After each epoch, with the network and optimizer as they are: the moment to write a checkpoint. */
  readonly onEpoch?: (metrics: EpochMetrics, state: TrainingState) => void;
}

/** Everything a run needs to go on exactly where it stopped. */
export interface TrainingState {
  readonly net: Network;
  readonly optimizer: Optimizer;
  readonly history: readonly EpochMetrics[];
  /** Epochs completed. */
  readonly epoch: number;
}

/** A NaN or infinite value during training, with where it first appeared: English in `message`, any language from `localized`. */
export class DivergenceError extends Error {
  override readonly name = "DivergenceError";

  constructor(
    /** The message in any language. */
    readonly say: Say,
  ) {
    super(say(english));
  }

  /** The message in a reader's language; numbers, names and the learning rate as in `message`. */
  localized(t: Translator): string {
    return this.say(t);
  }
}

/** The loss a network's output layer trains with: softmax cross-entropy, sigmoid binary cross-entropy, or a regression loss (MSE by default). */
export function objectiveOf(net: Network, loss: TrainSettings["loss"] = "mse"): Objective {
  const output = net.layers.at(-1)!.activation.name;
  if (output === "softmax") return { loss: LOSSES.cross_entropy, reduction: "mean" };
  if (output === "sigmoid") return { loss: LOSSES.binary_cross_entropy, reduction: "mean" };
  return { loss: LOSSES[loss], reduction: "mean" };
}

/** Held-out figures of a pass over data: the loss, and accuracy or the regression's errors. */
export interface Scores {
  readonly loss: number;
  readonly accuracy?: number;
  readonly rmse?: number;
  readonly mae?: number;
  readonly r2?: number;
}

/** Sums over the batches of a pass, from which `Scores` are read: loss, correct predictions, and a regression's errors in its units. */
class Tally {
  loss = 0;
  correct = 0;
  samples = 0;
  squared = 0;
  absolute = 0;
  readonly sumT: Float64Array;
  readonly sumT2: Float64Array;
  readonly residual: Float64Array;
  constructor(
    readonly objective: Objective,
    readonly data: Dataset,
  ) {
    this.sumT = new Float64Array(data.classes);
    this.sumT2 = new Float64Array(data.classes);
    this.residual = new Float64Array(data.classes);
  }
  add(output: { z: Matrix; a: Matrix }, t: Matrix, offsets: Float32Array): number {
    const { loss } = this.objective;
    const units = this.data.targetUnits;
    let batchLoss = 0;
    for (let i = 0; i < t.rows; i++) {
      const a = rowOf(output.a, i),
        target = rowOf(t, i);
      batchLoss += loss.sample(a, rowOf(output.z, i), target);
      if (loss.name === "cross_entropy") {
        let best = 0;
        for (let j = 1; j < a.length; j++) if (a[j]! > a[best]!) best = j;
        if (target[best] === 1) this.correct++;
      } else if (loss.name === "binary_cross_entropy") {
        for (let j = 0; j < a.length; j++) if (a[j]! >= 0.5 === (target[j] === 1)) this.correct += 1 / a.length;
      } else {
        for (let j = 0; j < a.length; j++) {
          const std = units?.std[j] ?? 1,
            mean = units?.mean[j] ?? 0;
          // The target in its units: what the linear fit predicts (0 without one) and what it leaves.
          const y = (target[j]! + (this.data.offsets ? offsets[i * a.length + j]! : 0)) * std + mean,
            e = a[j]! * std - target[j]! * std;
          this.squared += e * e;
          this.absolute += Math.abs(e);
          this.sumT[j]! += y;
          this.sumT2[j]! += y * y;
          this.residual[j]! += e * e;
        }
      }
    }
    this.samples += t.rows;
    this.loss += batchLoss;
    return batchLoss;
  }
  scores(): Scores {
    const n = Math.max(1, this.samples),
      loss = this.loss / n;
    const kind = this.objective.loss.name;
    if (kind === "cross_entropy" || kind === "binary_cross_entropy") return { loss, accuracy: this.correct / n };
    const outputs = this.sumT.length,
      values = Math.max(1, n * outputs);
    let r2 = 0;
    for (let j = 0; j < outputs; j++) {
      const total = this.sumT2[j]! - (this.sumT[j]! * this.sumT[j]!) / n;
      r2 += total > 0 ? 1 - this.residual[j]! / total : 0;
    }
    return { loss, rmse: Math.sqrt(this.squared / values), mae: this.absolute / values, r2: r2 / outputs };
  }
}

/** Buffers for the batch being trained: inputs, one-hot targets and the pass's workspace. */
interface Batch {
  readonly x: Matrix;
  readonly t: Matrix;
  /** What a linear fit predicts of each target, where the data has one (`Dataset.offsets`). */
  readonly offsets: Float32Array;
  readonly workspace: Workspace;
}

function batchOf(net: Network, size: number, cache: Map<number, Batch>): Batch {
  let batch = cache.get(size);
  if (!batch) {
    const outputs = net.layers.at(-1)!.units;
    batch = {
      x: net.backend.matrix(size, net.inputs),
      t: net.backend.matrix(size, outputs),
      offsets: new Float32Array(size * outputs),
      workspace: createWorkspace(net, size),
    };
    cache.set(size, batch);
  }
  return batch;
}

/** Copies the samples `order[from…from+size)` into the batch buffers (inputs, and the targets or one-hot labels). */
function gather(data: Dataset, order: ArrayLike<number>, from: number, batch: Batch): void {
  const { features, targets } = data;
  const X = batch.x.data,
    T = batch.t.data,
    outputs = batch.t.cols;
  T.fill(0);
  for (let row = 0; row < batch.x.rows; row++) {
    const sample = order[from + row]!;
    X.set(data.inputs.subarray(sample * features, (sample + 1) * features), row * features);
    if (targets) T.set(targets.subarray(sample * outputs, (sample + 1) * outputs), row * outputs);
    if (data.offsets) batch.offsets.set(data.offsets.subarray(sample * outputs, (sample + 1) * outputs), row * outputs);
    else T[row * outputs + data.labels[sample]!] = 1;
  }
}

/** The first NaN or ±∞ of a forward pass, by layer, sample and neuron. */
function firstNonFinite(net: Network, values: readonly { z: Matrix; a: Matrix }[]): Say {
  for (const [k, { z, a }] of values.entries()) {
    for (const [name, m] of [
      ["z", z],
      ["a", a],
    ] as const) {
      const at = m.data.findIndex((v) => !Number.isFinite(v));
      if (at >= 0)
        return say("modelError.divergence.value", {
          name,
          layer: k,
          activation: net.layers[k]!.activation.name,
          sample: Math.floor(at / m.cols),
          neuron: at % m.cols,
          value: String(m.data[at]),
        });
    }
  }
  for (const [k, layer] of net.layers.entries()) {
    const at = layer.weights.data.findIndex((v) => !Number.isFinite(v));
    if (at >= 0)
      return say("modelError.divergence.weight", {
        input: at % layer.inputs,
        neuron: Math.floor(at / layer.inputs),
        layer: k,
        value: String(layer.weights.data[at]),
      });
  }
  return say("modelError.divergence.loss");
}

/**
 * Loss and accuracy of `net` on `data` (or, for an identity output, RMSE,
 * MAE and R² in the targets' units), in batches of `batchSize`.
 */
export function evaluate(net: Network, data: Dataset, batchSize = 1000, cache = new Map<number, Batch>(), loss?: TrainSettings["loss"]): Scores {
  const tally = new Tally(objectiveOf(net, loss), data);
  const order = Int32Array.from({ length: data.count }, (_, i) => i);
  for (let from = 0; from < data.count; from += batchSize) {
    const batch = batchOf(net, Math.min(batchSize, data.count - from), cache);
    gather(data, order, from, batch);
    const values = forward(net, batch.x, batch.workspace);
    tally.add(values.at(-1)!, batch.t, batch.offsets);
  }
  return tally.scores();
}

/** The network and optimizer a run starts from: fresh from `spec`, or as a checkpoint left them. */
export function startTraining(spec: NetworkSpec, backend: Backend, optimizer: OptimizerSettings): TrainingState {
  const net = buildNetwork(spec, backend);
  return { net, optimizer: createOptimizer(net, optimizer), history: [], epoch: 0 };
}

/**
 * Mini-batch training with the loss of the output layer (`objectiveOf`:
 * softmax cross-entropy, sigmoid binary cross-entropy, identity MSE or
 * Huber): a seeded shuffle each epoch, the optimizer's step per batch,
 * held-out loss and accuracy (or a regression's RMSE, MAE and R²) after
 * each epoch, the learning-rate schedule and early stopping. Deterministic
 * for a seed, so a run resumed from a checkpoint ends where an unbroken
 * one does.
 */
export function train(state: TrainingState, data: { train: Dataset; test: Dataset }, settings: TrainSettings, events: TrainEvents = {}): TrainingState {
  const { net, optimizer } = state;
  const history = [...state.history];
  const cache = new Map<number, Batch>();
  const evalCache = new Map<number, Batch>();
  const n = data.train.count;
  const objective = objectiveOf(net, settings.loss);
  let best = Infinity,
    sinceBest = 0;
  for (const m of history) ({ best, sinceBest } = track(settings, m, best, sinceBest));

  for (let epoch = state.epoch; epoch < settings.epochs; epoch++) {
    if (settings.earlyStop && sinceBest >= settings.earlyStop.patience) break;
    const eta = learningRateAt(settings.learningRate, settings.schedule, epoch, settings.epochs);
    // The order of an epoch depends only on the seed and the epoch: resuming reproduces it.
    const order = shuffledOrder(n, new Rng(settings.seed * 100_003 + epoch));
    const started = performance.now();
    const tally = new Tally(objective, data.train);
    for (let from = 0; from < n; from += settings.batchSize) {
      const batch = batchOf(net, Math.min(settings.batchSize, n - from), cache);
      gather(data.train, order, from, batch);
      const values = forward(net, batch.x, batch.workspace);
      const loss = tally.add(values.at(-1)!, batch.t, batch.offsets);
      if (!Number.isFinite(loss)) {
        throw new DivergenceError(
          say("modelError.divergence", {
            loss: String(loss),
            epoch: epoch + 1,
            step: optimizer.steps + 1,
            where: firstNonFinite(net, values),
            rate: String(eta),
          }),
        );
      }
      const gradients = backward(net, batch.x, values, batch.t, objective, { workspace: batch.workspace });
      optimizer.step(gradients, eta);
      if (events.onProgress) {
        const seconds = (performance.now() - started) / 1000;
        const sofar = tally.scores();
        events.onProgress({
          epoch: epoch + 1,
          samples: from + batch.x.rows,
          total: n,
          samplesPerSecond: (from + batch.x.rows) / seconds,
          trainLoss: sofar.loss,
          ...(sofar.accuracy === undefined ? {} : { trainAccuracy: sofar.accuracy }),
        });
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const trained = tally.scores();
    const test = evaluate(net, data.test, 1000, evalCache, settings.loss);
    const metrics: EpochMetrics = {
      epoch: epoch + 1,
      learningRate: eta,
      trainLoss: trained.loss,
      ...(trained.accuracy === undefined ? {} : { trainAccuracy: trained.accuracy }),
      testLoss: test.loss,
      ...(test.accuracy === undefined ? {} : { testAccuracy: test.accuracy }),
      ...(test.rmse === undefined ? {} : { testRmse: test.rmse, testMae: test.mae!, testR2: test.r2! }),
      seconds,
      samplesPerSecond: n / seconds,
    };
    history.push(metrics);
    ({ best, sinceBest } = track(settings, metrics, best, sinceBest));
    events.onEpoch?.(metrics, { net, optimizer, history, epoch: epoch + 1 });
  }
  return { net, optimizer, history, epoch: history.length };
}

/** The best held-out value so far (lower is better; accuracy is negated) and epochs since it. */
function track(settings: TrainSettings, m: EpochMetrics, best: number, sinceBest: number): { best: number; sinceBest: number } {
  const value = settings.earlyStop?.metric === "loss" || m.testAccuracy === undefined ? m.testLoss : -m.testAccuracy;
  return value < best ? { best: value, sinceBest: 0 } : { best, sinceBest: sinceBest + 1 };
}
