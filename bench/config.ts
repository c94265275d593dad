/**
 * What the benchmark measures, in one place: the workloads, the systems, the
 * networks and settings every system uses, and the plan each worker process
 * receives as JSON on its command line (bench/peers/pytorch.py reads the same).
 */
import { URL, fileURLToPath } from "node:url";

export const WORKLOADS = ["W1", "W2", "W3"] as const;
export type Workload = (typeof WORKLOADS)[number];

export const SYSTEMS = ["gradstep", "pytorch", "pytorch-openblas", "tfjs-cpu", "tfjs-wasm", "brain.js"] as const;
export type System = (typeof SYSTEMS)[number];

export type Metric = "steps/s" | "samples/s";
export const METRICS: Readonly<Record<Workload, Metric>> = { W1: "steps/s", W2: "samples/s", W3: "samples/s" };

export const TITLES: Readonly<Record<Workload, string>> = {
  W1: "1-2-2-1 ReLU net, identity output, half squared error: one SGD step (forward + backward + update) on one sample",
  W2: "784-256-128-10 ReLU MLP, softmax cross-entropy, SGD lr 0.1, batch 128, float32: one epoch of Fashion-MNIST",
  W3: "784-256-128-10 MLP inference (softmax output) at batch 1024 over the Fashion-MNIST test images",
};

/**
 * W1: the network of examples/seed-003 (every weight 1, every bias −0.5,
 * x = 2, target 1, η = 0.01), with one bias per neuron so that every system
 * can hold it. weights[j][i] goes from input i to neuron j.
 */
export const TINY = {
  inputs: 1,
  layers: [
    { units: 2, weights: [[1], [1]], bias: [-0.5, -0.5] },
    {
      units: 2,
      weights: [
        [1, 1],
        [1, 1],
      ],
      bias: [-0.5, -0.5],
    },
    { units: 1, weights: [[1, 1]], bias: [-0.5] },
  ],
  x: [2],
  target: [1],
  learningRate: 0.01,
} as const;

/** W2 and W3: one network, one learning rate, one batch size for every system. */
export const MLP = {
  sizes: [784, 256, 128, 10],
  learningRate: 0.1,
  batch: 128,
  inferenceBatch: 1024,
  /** Seeds the He initialisation (gradstep's initialNetwork) and the shuffle of the epoch. */
  seed: 1,
} as const;

/** The seed gradstep's trainer shuffles epoch 1 with (seed · 100003 + epoch); the peers use the same order. */
export const ORDER_SEED = MLP.seed * 100_003;

/** Everything a worker needs; JSON on its command line. */
export interface Plan {
  readonly workloads: readonly Workload[];
  /** Timed runs per measurement; the median is reported. Warm-up runs come first and are not counted. */
  readonly repeat: number;
  readonly quick: boolean;
  /** W1: length of each timed window, and of the warm-up that also calibrates the step count. */
  readonly w1Seconds: number;
  readonly warmupSeconds: number;
  /** W2: the first `trainSamples` training images form the epoch (60,000 = all). */
  readonly trainSamples: number;
  /** W2's warm-up epoch, on the first `warmupSamples` images, with fresh weights. */
  readonly warmupSamples: number;
  /** W2's test accuracy and W3's inputs: the first `testSamples` test images (10,000 = all). */
  readonly testSamples: number;
  /** W3: passes over the test images in each timed run. */
  readonly w3Passes: number;
  /** A peer whose run would take longer than this (projected from its first samples) stops and is reported as skipped. */
  readonly budgetSeconds: number;
  /** The He-initialised 784-256-128-10 parameters every system starts from (see writeInitFile). */
  readonly initFile: string;
  readonly dataDir: string;
  readonly orderSeed: number;
  /** PyTorch runs once per thread count. */
  readonly threads: readonly number[];
  /** The constants above, for bench/peers/pytorch.py. */
  readonly tiny: typeof TINY;
  readonly mlp: typeof MLP;
}

/** One measurement, as a worker prints it and as `--json` prints it (less `runs`). */
export interface Result {
  readonly workload: Workload;
  readonly system: System;
  readonly metric: Metric;
  /** null when skipped. */
  readonly value: number | null;
  readonly threads: number;
  /** Each timed run's value, in order (warm-up excluded). */
  readonly runs?: readonly number[];
  /** W2: test accuracy after the epoch. */
  readonly accuracy?: number;
  readonly skipped?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A line a worker prints besides results: something the report should say. */
export interface Note {
  readonly note: string;
}

/** bench/, seen from this module compiled to bench/.peers/build/config.js. */
export const BENCH_DIR = fileURLToPath(new URL("../../", import.meta.url));
/** Where the npm peers are installed and the bench is compiled to (ignored by git). */
export const PEERS_DIR = `${BENCH_DIR}.peers`;

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
