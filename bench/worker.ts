/**
 * What every Node worker shares: the plan from the command line, JSON lines
 * on standard output, the common initial parameters, the data, and the
 * timing loop. Workers print results only; the orchestrator (run.ts) reports.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { loadFashionMnist, subset, type Dataset, type NetworkSpec } from "gradstep";
import { MLP, median, type Note, type Plan, type Result } from "./config.js";

export function readPlan(): Plan {
  const json = process.argv[2];
  if (json === undefined) throw new Error("expected the plan as JSON in the first argument (workers are started by bench/run.ts)");
  return JSON.parse(json) as Plan;
}

export function emit(line: Result | Note): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** One dense layer: weights units × inputs (row-major, weights[j·inputs + i] from input i to neuron j), then bias. */
export interface DenseParams {
  readonly inputs: number;
  readonly units: number;
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}

/**
 * Writes the parameters of `spec` as little-endian float32, layer by layer,
 * weights then bias: the file every system's MLP starts from
 * (bench/peers/pytorch.py reads it with numpy).
 */
export function writeInitFile(file: string, spec: NetworkSpec): void {
  const values = spec.layers.flatMap((layer) => {
    if (layer.bias.mode !== "perNeuron") throw new Error("the benchmark MLP has one bias per neuron");
    return [...layer.weights.flat(), ...layer.bias.values];
  });
  writeFileSync(file, new Uint8Array(Float32Array.from(values).buffer));
}

export function readInitFile(file: string, sizes: readonly number[] = MLP.sizes): DenseParams[] {
  const bytes = readFileSync(file);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let at = 0;
  const take = (n: number): Float32Array => all.subarray(at, (at += n));
  const layers = sizes.slice(1).map((units, k) => {
    const inputs = sizes[k]!;
    return { inputs, units, weights: take(units * inputs), bias: take(units) };
  });
  if (at !== all.length) throw new Error(`${file}: expected ${at} float32 values for a ${sizes.join("-")} network, found ${all.length}`);
  return layers;
}

/** The MLP as gradstep's network description: ReLU hidden layers, softmax output. */
export function mlpSpec(layers: readonly DenseParams[]): NetworkSpec {
  return {
    inputs: layers[0]!.inputs,
    layers: layers.map((layer, k) => ({
      units: layer.units,
      activation: k === layers.length - 1 ? ("softmax" as const) : ("relu" as const),
      weights: Array.from({ length: layer.units }, (_, j) => Array.from(layer.weights.subarray(j * layer.inputs, (j + 1) * layer.inputs))),
      bias: { mode: "perNeuron" as const, values: Array.from(layer.bias) },
    })),
  };
}

const first = (data: Dataset, count: number): Dataset =>
  count >= data.count
    ? data
    : subset(
        data,
        Int32Array.from({ length: count }, (_, i) => i),
      );

/** The plan's slices of Fashion-MNIST: the epoch, the warm-up epoch and the test images. */
export function loadData(plan: Plan): { train: Dataset; warmup: Dataset; test: Dataset } {
  const all = loadFashionMnist(plan.dataDir);
  return { train: first(all.train, plan.trainSamples), warmup: first(all.train, plan.warmupSamples), test: first(all.test, plan.testSamples) };
}

/**
 * Steps per second of `step`: a warm-up of `warmupSeconds` (not counted) that
 * also finds how many steps fill `w1Seconds`, then `repeat` timed windows of
 * that many steps.
 */
export function stepsPerSecond(step: () => void, plan: Plan): { value: number; runs: number[] } {
  let done = 0,
    chunk = 1;
  const start = performance.now();
  while (performance.now() - start < plan.warmupSeconds * 1000) {
    const chunkStart = performance.now();
    for (let i = 0; i < chunk; i++) step();
    done += chunk;
    if (performance.now() - chunkStart < 10) chunk *= 2;
  }
  const count = Math.max(1, Math.round((done / (performance.now() - start)) * 1000 * plan.w1Seconds));
  const runs: number[] = [];
  for (let r = 0; r < plan.repeat; r++) {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) step();
    runs.push(count / ((performance.now() - t0) / 1000));
  }
  return { value: median(runs), runs };
}

/** Index of the largest of `values[from … from+count)`, relative to `from`. */
export function argmax(values: ArrayLike<number>, from: number, count: number): number {
  let best = 0;
  for (let j = 1; j < count; j++) if (values[from + j]! > values[from + best]!) best = j;
  return best;
}

/**
 * Why a run that has done `done` of `total` units in `seconds` should stop
 * (projected past the plan's budget, judged once it has run long enough to
 * tell), or undefined to go on.
 */
export function overBudget(plan: Plan, seconds: number, done: number, total: number, unit: string): string | undefined {
  if (done === 0 || done >= total) return undefined;
  const projected = (seconds / done) * total;
  const judged = seconds >= Math.min(1, plan.budgetSeconds / 5);
  if (seconds <= plan.budgetSeconds && (!judged || projected <= plan.budgetSeconds)) return undefined;
  const rate = Math.round(done / seconds).toLocaleString("en-US");
  return `one run would take about ${Math.round(projected)} s (${rate} ${unit}/s over its first ${done.toLocaleString("en-US")} ${unit}), over the ${plan.budgetSeconds} s budget (--budget)`;
}
