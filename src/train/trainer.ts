import type { Backend } from "../engine/backend.js";
import { LOSSES } from "../engine/losses.js";
import { rowOf, type Matrix } from "../engine/matrix.js";
import { buildNetwork, type Network, type NetworkSpec } from "../engine/network.js";
import { createOptimizer, type Optimizer, type OptimizerSettings } from "../engine/optimizers.js";
import { backward, forward, type Objective } from "../engine/propagate.js";
import { createWorkspace, type Workspace } from "../engine/workspace.js";
import { Rng } from "../engine/rng.js";
import { shuffledOrder, type Dataset } from "./data/index.js";
import { learningRateAt, type Schedule } from "./schedule.js";

export interface TrainSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly schedule: Schedule;
  readonly optimizer: OptimizerSettings;
  readonly seed: number;
  /** Stop when the held-out metric has not improved for this many epochs. */
  readonly earlyStop?: { readonly metric: "accuracy" | "loss"; readonly patience: number };
}

export interface EpochMetrics {
  /** 1-based. */
  readonly epoch: number;
  readonly learningRate: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
  readonly seconds: number;
  readonly samplesPerSecond: number;
}

/** Where training is, for a progress bar. */
export interface Progress {
  readonly epoch: number;
  readonly samples: number;
  readonly total: number;
  readonly samplesPerSecond: number;
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

/** A NaN or infinite value during training, with where it first appeared. */
export class DivergenceError extends Error {
  override readonly name = "DivergenceError";
}

const SOFTMAX_CROSS_ENTROPY: Objective = { loss: LOSSES.cross_entropy, reduction: "mean" };

/** Buffers for the batch being trained: inputs, one-hot targets and the pass's workspace. */
interface Batch {
  readonly x: Matrix;
  readonly t: Matrix;
  readonly workspace: Workspace;
}

function batchOf(net: Network, size: number, cache: Map<number, Batch>): Batch {
  let batch = cache.get(size);
  if (!batch) {
    batch = { x: net.backend.matrix(size, net.inputs), t: net.backend.matrix(size, net.layers.at(-1)!.units), workspace: createWorkspace(net, size) };
    cache.set(size, batch);
  }
  return batch;
}

/** Copies the samples `order[from…from+size)` into the batch buffers (inputs and one-hot targets). */
function gather(data: Dataset, order: ArrayLike<number>, from: number, batch: Batch): void {
  const { features } = data;
  const X = batch.x.data, T = batch.t.data;
  T.fill(0);
  for (let row = 0; row < batch.x.rows; row++) {
    const sample = order[from + row]!;
    X.set(data.inputs.subarray(sample * features, (sample + 1) * features), row * features);
    T[row * batch.t.cols + data.labels[sample]!] = 1;
  }
}

/** Loss and correct predictions of a forward pass's output against one-hot targets. */
function score(output: { z: Matrix; a: Matrix }, t: Matrix): { loss: number; correct: number } {
  let loss = 0, correct = 0;
  for (let i = 0; i < t.rows; i++) {
    const a = rowOf(output.a, i), target = rowOf(t, i);
    loss += LOSSES.cross_entropy.sample(a, rowOf(output.z, i), target);
    let best = 0;
    for (let j = 1; j < a.length; j++) if (a[j]! > a[best]!) best = j;
    if (target[best] === 1) correct++;
  }
  return { loss, correct };
}

/** The first NaN or ±∞ of a forward pass, by layer, sample and neuron. */
function firstNonFinite(net: Network, values: readonly { z: Matrix; a: Matrix }[]): string {
  for (const [k, { z, a }] of values.entries()) {
    for (const [name, m] of [["z", z], ["a", a]] as const) {
      const at = m.data.findIndex((v) => !Number.isFinite(v));
      if (at >= 0) return `${name} of layer ${k} (${net.layers[k]!.activation.name}), sample ${Math.floor(at / m.cols)} of the batch, neuron ${at % m.cols} is ${String(m.data[at])}`;
    }
  }
  for (const [k, layer] of net.layers.entries()) {
    const at = layer.weights.data.findIndex((v) => !Number.isFinite(v));
    if (at >= 0) return `weight from input ${at % layer.inputs} to neuron ${Math.floor(at / layer.inputs)} of layer ${k} is ${String(layer.weights.data[at])}`;
  }
  return "the loss itself";
}

/** Loss and accuracy of `net` on `data`, in batches of `batchSize`. */
export function evaluate(net: Network, data: Dataset, batchSize = 1000, cache = new Map<number, Batch>()): { loss: number; accuracy: number } {
  let loss = 0, correct = 0;
  const order = Int32Array.from({ length: data.count }, (_, i) => i);
  for (let from = 0; from < data.count; from += batchSize) {
    const batch = batchOf(net, Math.min(batchSize, data.count - from), cache);
    gather(data, order, from, batch);
    const values = forward(net, batch.x, batch.workspace);
    const s = score(values.at(-1)!, batch.t);
    loss += s.loss;
    correct += s.correct;
  }
  return { loss: loss / data.count, accuracy: correct / data.count };
}

/** The network and optimizer a run starts from: fresh from `spec`, or as a checkpoint left them. */
export function startTraining(spec: NetworkSpec, backend: Backend, optimizer: OptimizerSettings): TrainingState {
  const net = buildNetwork(spec, backend);
  return { net, optimizer: createOptimizer(net, optimizer), history: [], epoch: 0 };
}

/**
 * Mini-batch training with softmax cross-entropy: a seeded shuffle each
 * epoch, the optimizer's step per batch, held-out loss and accuracy after
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
  let best = Infinity, sinceBest = 0;
  for (const m of history) ({ best, sinceBest } = track(settings, m, best, sinceBest));

  for (let epoch = state.epoch; epoch < settings.epochs; epoch++) {
    if (settings.earlyStop && sinceBest >= settings.earlyStop.patience) break;
    const eta = learningRateAt(settings.learningRate, settings.schedule, epoch, settings.epochs);
    // The order of an epoch depends only on the seed and the epoch: resuming reproduces it.
    const order = shuffledOrder(n, new Rng(settings.seed * 100_003 + epoch));
    const started = performance.now();
    let lossSum = 0, correct = 0;
    for (let from = 0; from < n; from += settings.batchSize) {
      const batch = batchOf(net, Math.min(settings.batchSize, n - from), cache);
      gather(data.train, order, from, batch);
      const values = forward(net, batch.x, batch.workspace);
      const s = score(values.at(-1)!, batch.t);
      if (!Number.isFinite(s.loss)) {
        throw new DivergenceError(
          `the loss became ${String(s.loss)} at epoch ${epoch + 1}, step ${optimizer.steps + 1}: ${firstNonFinite(net, values)}. Try a smaller learning rate (now ${eta}) or inputs scaled to [0, 1].`,
        );
      }
      lossSum += s.loss;
      correct += s.correct;
      const gradients = backward(net, batch.x, values, batch.t, SOFTMAX_CROSS_ENTROPY, { workspace: batch.workspace });
      optimizer.step(gradients, eta);
      const seconds = (performance.now() - started) / 1000;
      events.onProgress?.({ epoch: epoch + 1, samples: from + batch.x.rows, total: n, samplesPerSecond: (from + batch.x.rows) / seconds });
    }
    const seconds = (performance.now() - started) / 1000;
    const test = evaluate(net, data.test, 1000, evalCache);
    const metrics: EpochMetrics = {
      epoch: epoch + 1,
      learningRate: eta,
      trainLoss: lossSum / n,
      trainAccuracy: correct / n,
      testLoss: test.loss,
      testAccuracy: test.accuracy,
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
  const value = settings.earlyStop?.metric === "loss" ? m.testLoss : -m.testAccuracy;
  return value < best ? { best: value, sinceBest: 0 } : { best, sinceBest: sinceBest + 1 };
}
