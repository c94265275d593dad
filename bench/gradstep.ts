/**
 * gradstep's side of the benchmark, in its own process:
 * W1 on the engine's TypeScript backend (float32 and float64) with a
 * preallocated workspace and sgdStep; W2 with train() and W3 with forward()
 * on the WebAssembly kernels (relaxed SIMD where the runtime has it), once
 * per thread count of the plan, as PyTorch runs.
 */
import { setFlagsFromString } from "node:v8";
import { performance } from "node:perf_hooks";
import process from "node:process";
import {
  LOSSES,
  backward,
  buildNetwork,
  createWorkspace,
  fastBackend,
  forward,
  fromRows,
  sgdStep,
  startTraining,
  train,
  typedBackend,
  type DType,
  type Matrix,
  type NetworkSpec,
  type TrainSettings,
  type Workspace,
} from "gradstep";
import { METRICS, MLP, TINY, median, type Plan } from "./config.js";
import { emit, loadData, mlpSpec, readInitFile, readPlan, stepsPerSecond } from "./worker.js";

/** Node 20 runs relaxed-SIMD WebAssembly only under this flag; set before the kernels compile (as the CLI does). */
setFlagsFromString("--experimental-wasm-relaxed-simd");

const TINY_SPEC: NetworkSpec = {
  inputs: TINY.inputs,
  layers: TINY.layers.map((layer, k) => ({
    units: layer.units,
    activation: k === TINY.layers.length - 1 ? "identity" : "relu",
    weights: layer.weights,
    bias: { mode: "perNeuron", values: layer.bias },
  })),
};

/** One W1 step through the engine: forward, backward and update into buffers allocated once. */
function engineStep(dtype: DType): () => void {
  const net = buildNetwork(TINY_SPEC, typedBackend(dtype));
  const workspace = createWorkspace(net, 1);
  const x = fromRows(dtype, [TINY.x]),
    t = fromRows(dtype, [TINY.target]);
  const objective = { loss: LOSSES.half_squared_error, reduction: "mean" } as const;
  return () => {
    const values = forward(net, x, workspace);
    const gradients = backward(net, x, values, t, objective, { workspace });
    sgdStep(net, gradients, TINY.learningRate);
  };
}

/**
 * The same step written out by hand for dense layers in float64, with no
 * engine in between: a floor that shows what the engine's generality costs
 * on a network this small.
 */
function handWrittenStep(): () => void {
  const layers = TINY.layers.map((layer, k) => ({
    inputs: layer.weights[0].length,
    units: layer.units,
    relu: k < TINY.layers.length - 1,
    w: Float64Array.from(layer.weights.flat()),
    b: Float64Array.from(layer.bias),
    z: new Float64Array(layer.units),
    a: new Float64Array(layer.units),
    dz: new Float64Array(layer.units),
  }));
  const x = Float64Array.from(TINY.x),
    t = Float64Array.from(TINY.target),
    eta = TINY.learningRate;
  const last = layers.length - 1;
  return () => {
    let input = x;
    for (const l of layers) {
      for (let j = 0; j < l.units; j++) {
        let z = l.b[j]!;
        for (let i = 0; i < l.inputs; i++) z += l.w[j * l.inputs + i]! * input[i]!;
        l.z[j] = z;
        l.a[j] = l.relu && z <= 0 ? 0 : z;
      }
      input = l.a;
    }
    const top = layers[last]!;
    for (let j = 0; j < top.units; j++) top.dz[j] = top.a[j]! - t[j]!;
    for (let k = last; k >= 0; k--) {
      const l = layers[k]!,
        below = layers[k - 1],
        prev = below ? below.a : x;
      if (below) {
        for (let i = 0; i < l.inputs; i++) {
          let da = 0;
          for (let j = 0; j < l.units; j++) da += l.dz[j]! * l.w[j * l.inputs + i]!;
          below.dz[i] = below.z[i]! > 0 ? da : 0;
        }
      }
      for (let j = 0; j < l.units; j++) {
        for (let i = 0; i < l.inputs; i++) l.w[j * l.inputs + i]! -= eta * l.dz[j]! * prev[i]!;
        l.b[j]! -= eta * l.dz[j]!;
      }
    }
  };
}

/**
 * W1 in one dtype. Each dtype runs in a process of its own: the engine's code
 * is shared by Float32Array and Float64Array, and a process that ran both
 * would measure the second with the first one's type feedback mixed in.
 */
function w1(plan: Plan, dtype: DType): void {
  const engine = stepsPerSecond(engineStep(dtype), plan);
  const details: Record<string, unknown> = { backend: `typedBackend("${dtype}")`, dtype };
  // The hand-written floor shares no code with the engine, so it can run beside either dtype.
  if (dtype === "float64") details.handWrittenFloat64 = stepsPerSecond(handWrittenStep(), plan).value;
  emit({ workload: "W1", system: "gradstep", metric: METRICS.W1, value: engine.value, threads: 1, runs: engine.runs, details });
}

type Data = ReturnType<typeof loadData>;

type KernelBackend = Awaited<ReturnType<typeof fastBackend>>;

function w2(plan: Plan, backend: KernelBackend, spec: NetworkSpec, data: Data): void {
  const settings: TrainSettings = {
    epochs: 1,
    batchSize: MLP.batch,
    learningRate: MLP.learningRate,
    schedule: { name: "constant" },
    optimizer: { name: "sgd" },
    seed: MLP.seed,
  };
  train(startTraining(spec, backend, settings.optimizer), { train: data.warmup, test: data.warmup }, settings);
  const runs: number[] = [];
  let accuracy = 0;
  for (let r = 0; r < plan.repeat; r++) {
    const done = train(startTraining(spec, backend, settings.optimizer), { train: data.train, test: data.test }, settings);
    const epoch = done.history[0]!;
    runs.push(epoch.samplesPerSecond);
    accuracy = epoch.testAccuracy ?? 0;
  }
  emit({
    workload: "W2",
    system: "gradstep",
    metric: METRICS.W2,
    value: median(runs),
    threads: backend.threads,
    runs,
    accuracy,
    details: { route: backend.route, samples: data.train.count },
  });
}

function w3(plan: Plan, backend: KernelBackend, spec: NetworkSpec, { test }: Data): void {
  const net = buildNetwork(spec, backend);
  const workspaces = new Map<number, Workspace>();
  const batches: { x: Matrix; workspace: Workspace }[] = [];
  for (let from = 0; from < test.count; from += MLP.inferenceBatch) {
    const rows = Math.min(MLP.inferenceBatch, test.count - from);
    const x = backend.matrix(rows, test.features);
    x.data.set(test.inputs.subarray(from * test.features, (from + rows) * test.features));
    let workspace = workspaces.get(rows);
    if (!workspace) workspaces.set(rows, (workspace = createWorkspace(net, rows)));
    batches.push({ x, workspace });
  }
  const pass = (): void => {
    for (const { x, workspace } of batches) forward(net, x, workspace);
  };
  pass();
  const runs: number[] = [];
  for (let r = 0; r < plan.repeat; r++) {
    const t0 = performance.now();
    for (let p = 0; p < plan.w3Passes; p++) pass();
    runs.push((plan.w3Passes * test.count) / ((performance.now() - t0) / 1000));
  }
  emit({
    workload: "W3",
    system: "gradstep",
    metric: METRICS.W3,
    value: median(runs),
    threads: backend.threads,
    runs,
    details: { route: backend.route, images: test.count },
  });
}

/** The part of the work this process does (argv[3]): W1 in one dtype, or the MLP workloads W2 and W3. */
async function main(): Promise<void> {
  const plan = readPlan();
  const part = process.argv[3];
  if (part === "w1-float32" || part === "w1-float64") {
    w1(plan, part === "w1-float32" ? "float32" : "float64");
  } else if (part === "mlp") {
    const spec = mlpSpec(readInitFile(plan.initFile));
    const data = loadData(plan);
    for (const threads of plan.threads) {
      // One set of kernels for warm-up and every timed run, so none of them pays for compiling or tiering up the module.
      const backend = await fastBackend({ threads });
      if (plan.workloads.includes("W2")) w2(plan, backend, spec, data);
      if (plan.workloads.includes("W3")) w3(plan, backend, spec, data);
      await backend.close();
    }
  } else {
    throw new Error(`expected the part to run (w1-float32, w1-float64 or mlp) as the second argument, found ${String(part)}`);
  }
}

await main();
