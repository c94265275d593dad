import { matrixWith, type Backend } from "../../../src/engine/backend.js";
import { LOSSES } from "../../../src/engine/losses.js";
import type { Matrix } from "../../../src/engine/matrix.js";
import { buildNetwork, type LayerSpec, type Network } from "../../../src/engine/network.js";
import { sgdStep } from "../../../src/engine/optimizers.js";
import { backward, forward, reduceLosses, sampleLosses, type Objective } from "../../../src/engine/propagate.js";
import { createWorkspace, type Workspace } from "../../../src/engine/workspace.js";
import { Rng } from "../../../src/engine/rng.js";
import { fastBackend } from "../../../src/kernels/engine-backend.js";
import { makeDataset } from "./datasets.js";
import type { FromWorker, ToWorker, TrainConfig } from "./protocol.js";

/**
 * Trains a small MLP on a 2-D data set with the engine's float32 path
 * (buildNetwork, forward, backward, sgdStep) on the trainer's WebAssembly
 * kernels, as `gradstep train` does, on one thread: full-batch gradient
 * descent, a sigmoid output and binary cross-entropy. It works in slices of
 * a few milliseconds and yields between them, so pause and new settings
 * apply at once, and it reports the loss and the decision boundary as it goes.
 */

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

const SLICE_MS = 10;
const PAUSE_MS = 6;
const BOUNDARY_EVERY_MS = 120;
const GRID = 48;
const objective: Objective = { loss: LOSSES.binary_cross_entropy, reduction: "mean" };

interface Session {
  readonly net: Network;
  readonly x: Matrix;
  readonly y: Matrix;
  readonly grid: Matrix;
  /** The buffers of one training step, reused every step, and of a pass over the grid. */
  readonly workspace: Workspace;
  readonly gridWorkspace: Workspace;
  learningRate: number;
  step: number;
}

let session: Session | undefined;
let running = false;
let timer: ReturnType<typeof setTimeout> | undefined;
let lastBoundary = 0;

/** Glorot-scaled normal weights, zero biases, from the seed. */
function initialLayers(config: TrainConfig): LayerSpec[] {
  const rng = new Rng(config.seed);
  const sizes = [2, ...config.hidden, 1];
  return sizes.slice(1).map((units, k): LayerSpec => {
    const inputs = sizes[k]!;
    const scale = Math.sqrt(2 / (inputs + units));
    return {
      units,
      activation: k === sizes.length - 2 ? "sigmoid" : config.activation,
      weights: Array.from({ length: units }, () => Array.from({ length: inputs }, () => rng.normal() * scale)),
      bias: { mode: "perNeuron", values: new Array<number>(units).fill(0) },
    };
  });
}

function gridPoints(): number[][] {
  const points: number[][] = [];
  for (let r = 0; r < GRID; r++) for (let c = 0; c < GRID; c++) points.push([-1 + (2 * (c + 0.5)) / GRID, 1 - (2 * (r + 0.5)) / GRID]);
  return points;
}

/** Rows as a matrix in the backend's memory. */
const matrixOf = (backend: Backend, rows: readonly (readonly number[])[]): Matrix => matrixWith(backend, rows.length, rows[0]?.length ?? 0, rows.flat());

/** Fresh kernels for each run, so a reset leaves nothing behind in the old ones' memory. */
async function reset(config: TrainConfig): Promise<void> {
  // A page served without the .wasm files still trains, on the TypeScript route (the view says which ran).
  const backend = await fastBackend({ threads: 1 }).catch(() => fastBackend({ route: "js", threads: 1 }));
  const data = makeDataset(config.dataset, config.seed);
  const net = buildNetwork({ inputs: 2, layers: initialLayers(config) }, backend);
  const x = matrixOf(backend, data.points),
    grid = matrixOf(backend, gridPoints());
  session = {
    net,
    x,
    y: matrixOf(backend, data.labels),
    grid,
    workspace: createWorkspace(net, x.rows),
    gridWorkspace: createWorkspace(net, grid.rows),
    learningRate: config.learningRate,
    step: 0,
  };
  scope.postMessage({ type: "data", points: data.points, labels: data.labels, kernels: backend.route });
  report(session);
  sendBoundary(session);
}

function evaluate(s: Session): { loss: number; accuracy: number } {
  const values = forward(s.net, s.x, s.workspace);
  const output = values.at(-1)!;
  const loss = reduceLosses(sampleLosses(objective, output, s.y), objective.reduction);
  let right = 0;
  for (let i = 0; i < s.y.rows; i++) if (output.a.data[i]! > 0.5 === s.y.data[i]! > 0.5) right++;
  return { loss, accuracy: right / s.y.rows };
}

function report(s: Session): void {
  const { loss, accuracy } = evaluate(s);
  scope.postMessage({ type: "progress", step: s.step, loss, accuracy, running });
}

function sendBoundary(s: Session): void {
  const output = forward(s.net, s.grid, s.gridWorkspace).at(-1)!;
  const values = Float32Array.from(output.a.data);
  scope.postMessage({ type: "boundary", size: GRID, values, step: s.step }, [values.buffer]);
  lastBoundary = performance.now();
}

function slice(): void {
  timer = undefined;
  const s = session;
  if (!s || !running) return;
  const start = performance.now();
  while (performance.now() - start < SLICE_MS) {
    const values = forward(s.net, s.x, s.workspace);
    const gradients = backward(s.net, s.x, values, s.y, objective, { workspace: s.workspace });
    sgdStep(s.net, gradients, s.learningRate);
    s.step++;
  }
  report(s);
  if (performance.now() - lastBoundary > BOUNDARY_EVERY_MS) sendBoundary(s);
  timer = setTimeout(slice, PAUSE_MS);
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case "reset":
      await reset(message.config);
      break;
    case "run":
      running = message.running;
      if (running && timer === undefined) slice();
      if (!running && session) report(session);
      break;
    case "learningRate":
      if (session) session.learningRate = message.value;
      break;
  }
}

/** Messages are handled in order: a reset waits for its kernels, and a run sent meanwhile waits for the reset. */
let queue = Promise.resolve();
scope.onmessage = (event) => {
  queue = queue
    .then(() => handle(event.data))
    .catch((error: unknown) => {
      scope.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) });
    });
};
