/**
 * TensorFlow.js 4.22 (the cpu backend, plain JavaScript, or the wasm
 * backend, XNNPACK in WebAssembly) on W1–W3, in its own process:
 * node bench/.peers/build/peers/tfjs.js PLAN cpu|wasm. The same networks,
 * initial weights, learning rates, batch sizes and sample order as gradstep;
 * training is a plain loop of optimizer.minimize over gathered batches.
 */
import { performance } from "node:perf_hooks";
import process from "node:process";
import { Rng, shuffledOrder, type Dataset } from "gradstep";
import { METRICS, MLP, TINY, median, type Plan, type System } from "../config.js";
import { peerVersion, requirePeer } from "../peer-modules.js";
import { emit, loadData, overBudget, readInitFile, readPlan, stepsPerSecond, type DenseParams } from "../worker.js";

/** The part of the tfjs API used here. */
interface Tensor {
  dispose(): void;
  dataSync(): ArrayLike<number>;
}
interface Layer {
  setWeights(weights: Tensor[]): void;
}
interface LayersModel {
  apply(x: Tensor): Tensor;
  predict(x: Tensor): Tensor;
  readonly layers: Layer[];
  dispose(): unknown;
}
interface Optimizer {
  minimize(loss: () => Tensor): Tensor | null;
  dispose(): void;
}
interface Tf {
  readonly version_core: string;
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  env(): { getAsync(flag: string): Promise<unknown> };
  tidy<T>(fn: () => T): T;
  tensor1d(values: ArrayLike<number>, dtype?: "float32" | "int32"): Tensor;
  tensor2d(values: ArrayLike<number>, shape: [number, number]): Tensor;
  oneHot(indices: Tensor, depth: number): Tensor;
  cast(x: Tensor, dtype: "float32"): Tensor;
  gather(x: Tensor, indices: Tensor): Tensor;
  softmax(logits: Tensor): Tensor;
  argMax(x: Tensor, axis: number): Tensor;
  mul(a: Tensor | number, b: Tensor | number): Tensor;
  sub(a: Tensor, b: Tensor): Tensor;
  square(x: Tensor): Tensor;
  sum(x: Tensor): Tensor;
  sequential(config: { layers: Layer[] }): LayersModel;
  readonly layers: { dense(config: { units: number; activation: "relu" | "linear"; inputShape?: number[] }): Layer };
  readonly train: { sgd(learningRate: number): Optimizer };
  readonly losses: { softmaxCrossEntropy(onehotLabels: Tensor, logits: Tensor): Tensor };
}
interface TfWasm {
  getThreadsCount?: () => number;
}

/** Threads the backend computes on: 1, unless the wasm backend started its multithreaded build. */
let threads = 1;

/** A dense model with `layers`' parameters (tfjs kernels are inputs × units, the transpose of ours); ReLU inside, linear output. */
function denseModel(tf: Tf, layers: readonly DenseParams[]): LayersModel {
  const model = tf.sequential({
    layers: layers.map((l, k) =>
      tf.layers.dense({ units: l.units, activation: k < layers.length - 1 ? "relu" : "linear", ...(k === 0 ? { inputShape: [l.inputs] } : {}) }),
    ),
  });
  layers.forEach((l, k) => {
    const kernel = new Float32Array(l.inputs * l.units);
    for (let j = 0; j < l.units; j++) for (let i = 0; i < l.inputs; i++) kernel[i * l.units + j] = l.weights[j * l.inputs + i]!;
    const weights = [tf.tensor2d(kernel, [l.inputs, l.units]), tf.tensor1d(l.bias)];
    model.layers[k]!.setWeights(weights);
    for (const w of weights) w.dispose();
  });
  return model;
}

function w1(tf: Tf, plan: Plan, system: System): void {
  const layers: DenseParams[] = TINY.layers.map((l) => ({
    inputs: l.weights[0].length,
    units: l.units,
    weights: Float32Array.from(l.weights.flat()),
    bias: Float32Array.from(l.bias),
  }));
  const model = denseModel(tf, layers);
  const optimizer = tf.train.sgd(TINY.learningRate);
  const x = tf.tensor2d(TINY.x, [1, TINY.inputs]),
    t = tf.tensor2d(TINY.target, [1, 1]);
  const loss = (): Tensor => tf.mul(0.5, tf.sum(tf.square(tf.sub(model.apply(x), t))));
  const { value, runs } = stepsPerSecond(() => {
    tf.tidy(() => {
      optimizer.minimize(loss);
    });
  }, plan);
  emit({ workload: "W1", system, metric: METRICS.W1, value, threads, runs });
}

/** Inputs and one-hot targets of a data set as tensors. */
function tensors(tf: Tf, data: Dataset): { x: Tensor; y: Tensor } {
  const x = tf.tensor2d(data.inputs, [data.count, data.features]);
  const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(data.labels, "int32"), data.classes), "float32"));
  return { x, y };
}

/** One epoch of SGD on fresh copies of the initial weights; samples/s of the training loop, or why it stopped. */
function epoch(tf: Tf, plan: Plan, init: readonly DenseParams[], data: Dataset): { model: LayersModel; rate?: number; skipped?: string } {
  const model = denseModel(tf, init);
  const optimizer = tf.train.sgd(MLP.learningRate);
  const { x, y } = tensors(tf, data);
  const order = shuffledOrder(data.count, new Rng(plan.orderSeed));
  const t0 = performance.now();
  let skipped: string | undefined;
  for (let from = 0; from < data.count; from += MLP.batch) {
    const indices = tf.tensor1d(order.subarray(from, Math.min(data.count, from + MLP.batch)), "int32");
    tf.tidy(() => {
      const xb = tf.gather(x, indices),
        yb = tf.gather(y, indices);
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, model.apply(xb)));
    });
    indices.dispose();
    skipped = overBudget(plan, (performance.now() - t0) / 1000, from + MLP.batch, data.count, "samples");
    if (skipped) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  x.dispose();
  y.dispose();
  optimizer.dispose();
  return skipped ? { model, skipped } : { model, rate: data.count / seconds };
}

function accuracy(tf: Tf, model: LayersModel, test: Dataset): number {
  let correct = 0;
  for (let from = 0; from < test.count; from += 1000) {
    const rows = Math.min(1000, test.count - from);
    const predicted = tf.tidy(() => {
      const x = tf.tensor2d(test.inputs.subarray(from * test.features, (from + rows) * test.features), [rows, test.features]);
      return tf.argMax(model.predict(x), 1).dataSync();
    });
    for (let i = 0; i < rows; i++) if (predicted[i] === test.labels[from + i]) correct++;
  }
  return correct / test.count;
}

function w2(tf: Tf, plan: Plan, system: System, init: readonly DenseParams[], data: ReturnType<typeof loadData>): void {
  epoch(tf, plan, init, data.warmup).model.dispose();
  const runs: number[] = [];
  let acc = 0;
  for (let r = 0; r < plan.repeat; r++) {
    const { model, rate, skipped } = epoch(tf, plan, init, data.train);
    if (skipped !== undefined || rate === undefined) {
      model.dispose();
      emit({ workload: "W2", system, metric: METRICS.W2, value: null, threads, skipped: skipped ?? "no rate" });
      return;
    }
    runs.push(rate);
    acc = accuracy(tf, model, data.test);
    model.dispose();
  }
  emit({ workload: "W2", system, metric: METRICS.W2, value: median(runs), threads, runs, accuracy: acc, details: { samples: data.train.count } });
}

function w3(tf: Tf, plan: Plan, system: System, init: readonly DenseParams[], test: Dataset): void {
  const model = denseModel(tf, init);
  const batches: Tensor[] = [];
  for (let from = 0; from < test.count; from += MLP.inferenceBatch) {
    const rows = Math.min(MLP.inferenceBatch, test.count - from);
    batches.push(tf.tensor2d(test.inputs.subarray(from * test.features, (from + rows) * test.features), [rows, test.features]));
  }
  // Each batch's probabilities are read back, so the work is done whatever the backend defers.
  const pass = (): void => {
    for (const x of batches) tf.tidy(() => tf.softmax(model.predict(x)).dataSync());
  };
  pass();
  const runs: number[] = [];
  for (let r = 0; r < plan.repeat; r++) {
    const t0 = performance.now();
    for (let p = 0; p < plan.w3Passes; p++) {
      pass();
      const skipped = overBudget(plan, (performance.now() - t0) / 1000, p + 1, plan.w3Passes, "passes");
      if (skipped) {
        emit({ workload: "W3", system, metric: METRICS.W3, value: null, threads, skipped });
        return;
      }
    }
    runs.push((plan.w3Passes * test.count) / ((performance.now() - t0) / 1000));
  }
  emit({ workload: "W3", system, metric: METRICS.W3, value: median(runs), threads, runs, details: { images: test.count } });
}

async function main(): Promise<void> {
  const plan = readPlan();
  const backend = process.argv[3];
  if (backend !== "cpu" && backend !== "wasm") throw new Error(`expected the tfjs backend (cpu or wasm) as the second argument, found ${String(backend)}`);
  const system: System = backend === "cpu" ? "tfjs-cpu" : "tfjs-wasm";
  const tf = requirePeer("@tensorflow/tfjs") as Tf;
  const wasm = backend === "wasm" ? (requirePeer("@tensorflow/tfjs-backend-wasm") as TfWasm) : undefined;
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs could not start its ${backend} backend`);
  await tf.ready();
  const simd = backend === "wasm" ? await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT") : undefined;
  threads = wasm?.getThreadsCount?.() ?? 1;
  emit({
    note:
      `${system}: @tensorflow/tfjs ${peerVersion("@tensorflow/tfjs") ?? "?"} (core ${tf.version_core}), backend ${tf.getBackend()}` +
      (wasm ? `, SIMD ${simd === true ? "on" : "off"}, ${threads} thread${threads === 1 ? "" : "s"}` : ", plain JavaScript, 1 thread"),
  });
  if (plan.workloads.includes("W1")) w1(tf, plan, system);
  if (plan.workloads.includes("W2") || plan.workloads.includes("W3")) {
    const init = readInitFile(plan.initFile);
    const data = loadData(plan);
    if (plan.workloads.includes("W2")) w2(tf, plan, system, init, data);
    if (plan.workloads.includes("W3")) w3(tf, plan, system, init, data.test);
  }
}

await main();
