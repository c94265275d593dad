/**
 * brain.js's NeuralNetwork on W1–W3, in its own process:
 * node bench/.peers/build/peers/brain.js PLAN. brain.js trains one sample at
 * a time with its activation on every layer, the output included, and the
 * gradient of ½‖t − a‖². So on W2 it runs the same sizes, initial weights and
 * sample order as the others, with ReLU outputs, squared error and η = 0.1/128
 * per sample (a batch-128 step of η = 0.1 spread over its samples).
 */
import { performance } from "node:perf_hooks";
import { Rng, shuffledOrder, type Dataset } from "gradstep";
import { METRICS, MLP, TINY, median, type Plan } from "../config.js";
import { peerVersion, requirePeer } from "../peer-modules.js";
import { argmax, emit, loadData, overBudget, readInitFile, readPlan, stepsPerSecond, type DenseParams } from "../worker.js";

/** The part of brain.js 1.x's NeuralNetwork used here: its own per-sample training step and run. */
interface BrainNetwork {
  sizes: number[] | null;
  /** weights[layer][neuron][input] and biases[layer][neuron], for layer ≥ 1. */
  readonly weights: Float32Array[][];
  readonly biases: Float32Array[];
  readonly trainOpts: { learningRate: number; momentum: number };
  initialize(): void;
  updateTrainingOptions(options: { learningRate: number; momentum: number }): void;
  trainPattern(pattern: { input: ArrayLike<number>; output: ArrayLike<number> }): unknown;
  run(input: ArrayLike<number>): ArrayLike<number>;
}
interface Brain {
  NeuralNetwork: new (options: { hiddenLayers: number[]; activation: "relu" }) => BrainNetwork;
}

const brain = requirePeer("brain.js") as Brain;

/** A network of `layers`' sizes and parameters; `learningRate` per sample, no momentum. */
function network(layers: readonly DenseParams[], learningRate: number): BrainNetwork {
  const net = new brain.NeuralNetwork({ hiddenLayers: layers.slice(0, -1).map((l) => l.units), activation: "relu" });
  net.sizes = [layers[0]!.inputs, ...layers.map((l) => l.units)];
  net.initialize();
  // brain.js refuses momentum 0 as an option, but its update (Δ = η·δ·x + μ·Δ_prev) is plain SGD with μ = 0.
  net.updateTrainingOptions({ learningRate, momentum: 0.1 });
  net.trainOpts.momentum = 0;
  layers.forEach((l, k) => {
    for (let j = 0; j < l.units; j++) net.weights[k + 1]![j]!.set(l.weights.subarray(j * l.inputs, (j + 1) * l.inputs));
    net.biases[k + 1]!.set(l.bias);
  });
  return net;
}

function w1(plan: Plan): void {
  const layers: DenseParams[] = TINY.layers.map((l) => ({
    inputs: l.weights[0].length,
    units: l.units,
    weights: Float32Array.from(l.weights.flat()),
    bias: Float32Array.from(l.bias),
  }));
  const net = network(layers, TINY.learningRate);
  const pattern = { input: Float32Array.from(TINY.x), output: Float32Array.from(TINY.target) };
  const { value, runs } = stepsPerSecond(() => net.trainPattern(pattern), plan);
  emit({
    workload: "W1",
    system: "brain.js",
    metric: METRICS.W1,
    value,
    threads: 1,
    runs,
    details: { output: "relu (brain.js applies its activation to every layer)" },
  });
}

const input = (data: Dataset, i: number): Float32Array => data.inputs.subarray(i * data.features, (i + 1) * data.features);

/** One epoch, sample by sample in the shared order; samples/s, or why it stopped. */
function epoch(plan: Plan, init: readonly DenseParams[], data: Dataset): { net: BrainNetwork; rate?: number; skipped?: string } {
  const net = network(init, MLP.learningRate / MLP.batch);
  const targets = Array.from({ length: data.classes }, (_, c) => Float32Array.from({ length: data.classes }, (_, j) => (j === c ? 1 : 0)));
  const order = shuffledOrder(data.count, new Rng(plan.orderSeed));
  const t0 = performance.now();
  for (let n = 0; n < data.count; n++) {
    const i = order[n]!;
    net.trainPattern({ input: input(data, i), output: targets[data.labels[i]!]! });
    if (n % 64 === 63) {
      const skipped = overBudget(plan, (performance.now() - t0) / 1000, n + 1, data.count, "samples");
      if (skipped) return { net, skipped };
    }
  }
  return { net, rate: data.count / ((performance.now() - t0) / 1000) };
}

function accuracy(net: BrainNetwork, test: Dataset): number {
  let correct = 0;
  for (let i = 0; i < test.count; i++) if (argmax(net.run(input(test, i)), 0, test.classes) === test.labels[i]) correct++;
  return correct / test.count;
}

function w2(plan: Plan, init: readonly DenseParams[], data: ReturnType<typeof loadData>): void {
  epoch(plan, init, data.warmup);
  const runs: number[] = [];
  let acc = 0;
  for (let r = 0; r < plan.repeat; r++) {
    const { net, rate, skipped } = epoch(plan, init, data.train);
    if (skipped !== undefined || rate === undefined) {
      emit({ workload: "W2", system: "brain.js", metric: METRICS.W2, value: null, threads: 1, skipped: skipped ?? "no rate" });
      return;
    }
    runs.push(rate);
    acc = accuracy(net, data.test);
  }
  const details = { samples: data.train.count, batch: 1, learningRate: MLP.learningRate / MLP.batch, loss: "squared error, ReLU output" };
  emit({ workload: "W2", system: "brain.js", metric: METRICS.W2, value: median(runs), threads: 1, runs, accuracy: acc, details });
}

/** brain.js runs one sample at a time, so W3's batch of 1024 is 1024 calls of run(). */
function w3(plan: Plan, init: readonly DenseParams[], test: Dataset): void {
  const net = network(init, MLP.learningRate);
  for (let i = 0; i < Math.min(test.count, 256); i++) net.run(input(test, i));
  const runs: number[] = [];
  const total = plan.w3Passes * test.count;
  for (let r = 0; r < plan.repeat; r++) {
    const t0 = performance.now();
    for (let n = 0; n < total; n++) {
      net.run(input(test, n % test.count));
      if (n % 256 === 255) {
        const skipped = overBudget(plan, (performance.now() - t0) / 1000, n + 1, total, "samples");
        if (skipped) {
          emit({ workload: "W3", system: "brain.js", metric: METRICS.W3, value: null, threads: 1, skipped });
          return;
        }
      }
    }
    runs.push(total / ((performance.now() - t0) / 1000));
  }
  emit({ workload: "W3", system: "brain.js", metric: METRICS.W3, value: median(runs), threads: 1, runs, details: { images: test.count, batch: 1 } });
}

function main(): void {
  const plan = readPlan();
  emit({ note: `brain.js ${peerVersion("brain.js") ?? "?"}: NeuralNetwork (CPU, plain JavaScript, one sample per step)` });
  if (plan.workloads.includes("W1")) w1(plan);
  if (plan.workloads.includes("W2") || plan.workloads.includes("W3")) {
    const init = readInitFile(plan.initFile);
    const data = loadData(plan);
    if (plan.workloads.includes("W2")) w2(plan, init, data);
    if (plan.workloads.includes("W3")) w3(plan, init, data.test);
  }
}

main();
