import type { Network } from "../../../src/engine/network.js";
import { forward } from "../../../src/engine/propagate.js";
import { createWorkspace } from "../../../src/engine/workspace.js";
import type { Dataset } from "../../../src/train/data/dataset.js";
import { DIGITS_FILES } from "../../../src/train/data/known-sets.js";
import { initialNetwork } from "../../../src/train/init.js";
import { fastBackend } from "../../../src/kernels/engine-backend.js";
import { DivergenceError, startTraining, train, type Progress, type TrainingState, type TrainSettings } from "../../../src/train/trainer.js";
import { accuracyOf, confusionMatrix, misclassified } from "../../../src/train/confusion.js";
import type { DigitsConfig, FromDigitsWorker, IdxFile, MisclassifiedImage, Snapshot, ToDigitsWorker } from "./digits-protocol.js";
import { FilesError, fetchDigits, readFashionFiles } from "./idx-files.js";
import { english, loadTranslator, type Translator } from "../../../src/i18n/translate.js";
import { InputError } from "../../../src/input-error.js";

/**
 * Trains an MLP on the built-in digits (or Fashion-MNIST from the user's
 * files) with the trainer `gradstep train` uses (src/train/trainer.ts), on
 * the WebAssembly kernels, whose products this worker splits with one
 * product worker when `threads` is 2. It trains one epoch per call of
 * `train`, returning to its event loop between epochs so that pause and
 * restart apply; within an epoch it reports the loss about ten times a second.
 */

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToDigitsWorker>) => void) | null;
  postMessage(message: FromDigitsWorker, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

const PROGRESS_EVERY_MS = 100;
const SHOWN_MISTAKES = 24;
const DIGIT_NAMES = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

type Backend = Awaited<ReturnType<typeof fastBackend>>;
interface Session {
  readonly backend: Backend;
  readonly data: { train: Dataset; test: Dataset };
  settings: TrainSettings;
  state: TrainingState;
}

let session: Session | undefined;
let running = false;
let timer: ReturnType<typeof setTimeout> | undefined;
let digits: Promise<{ train: Dataset; test: Dataset }> | undefined;
/** The page's language, for errors said here. */
let words: Translator = english;

function loadData(config: DigitsConfig, files: readonly IdxFile[] | undefined): Promise<{ train: Dataset; test: Dataset }> {
  if (config.source === "files") return readFashionFiles(files ?? []);
  // Fetched once; a failed fetch is tried again at the next start.
  digits ??= fetchDigits(new URL(DIGITS_FILES.images, config.dataUrl), new URL(DIGITS_FILES.labels, config.dataUrl)).catch((error: unknown) => {
    digits = undefined;
    throw error;
  });
  return digits;
}

function fail(error: unknown): void {
  const message =
    error instanceof InputError || error instanceof DivergenceError ? error.localized(words) : error instanceof Error ? error.message : String(error);
  scope.postMessage(error instanceof FilesError ? { type: "error", message, key: error.key, values: error.values } : { type: "error", message });
}

function snapshot(net: Network): Snapshot {
  return {
    inputs: net.inputs,
    layers: net.layers.map((layer) => ({
      units: layer.units,
      activation: layer.activation.name === "softmax" ? "softmax" : "relu",
      weights: Float32Array.from(layer.weights.data),
      bias: Float32Array.from(layer.bias.data),
    })),
  };
}

const buffersOf = (s: Snapshot): ArrayBuffer[] => s.layers.flatMap((l) => [l.weights.buffer as ArrayBuffer, l.bias.buffer as ArrayBuffer]);

/** The class with the largest output for each sample of `data`, in batches. */
function predictClasses(net: Network, data: Dataset, batchSize = 500): Int32Array {
  const predicted = new Int32Array(data.count);
  const full = { x: net.backend.matrix(batchSize, data.features), workspace: createWorkspace(net, batchSize) };
  for (let from = 0; from < data.count; from += batchSize) {
    const rows = Math.min(batchSize, data.count - from);
    const batch = rows === batchSize ? full : { x: net.backend.matrix(rows, data.features), workspace: createWorkspace(net, rows) };
    batch.x.data.set(data.inputs.subarray(from * data.features, (from + rows) * data.features));
    const a = forward(net, batch.x, batch.workspace).at(-1)!.a;
    for (let i = 0; i < rows; i++) {
      let best = 0;
      for (let j = 1; j < a.cols; j++) if (a.data[i * a.cols + j]! > a.data[i * a.cols + best]!) best = j;
      predicted[from + i] = best;
    }
  }
  return predicted;
}

async function start(config: DigitsConfig, files: readonly IdxFile[] | undefined): Promise<void> {
  stop();
  const old = session;
  session = undefined;
  await old?.backend.close();
  scope.postMessage({ type: "status", key: config.source === "digits" ? "train.images.loadingDigits" : "train.images.readingFiles" });
  const [data, translator] = await Promise.all([loadData(config, files), loadTranslator(config.lang)]);
  words = translator;
  const backend = await fastBackend({ threads: config.threads });
  const spec = initialNetwork({ inputs: data.train.features, hidden: config.hidden, activation: "relu", classes: data.train.classes }, "he", config.seed);
  const settings: TrainSettings = {
    epochs: 1,
    batchSize: config.batchSize,
    learningRate: config.learningRate,
    schedule: { name: "constant" },
    optimizer: { name: "adam" },
    seed: config.seed,
  };
  const state = startTraining(spec, backend, settings.optimizer);
  session = { backend, data, settings, state };
  const first = snapshot(state.net);
  scope.postMessage(
    {
      type: "ready",
      route: backend.route,
      threads: backend.threads,
      trainCount: data.train.count,
      testCount: data.test.count,
      classNames: data.train.classNames ?? DIGIT_NAMES.slice(0, data.train.classes),
      layers: [spec.inputs, ...spec.layers.map((l) => l.units)],
      snapshot: first,
    },
    buffersOf(first),
  );
  if (running) schedule();
}

function stop(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
}

function schedule(): void {
  if (timer === undefined) timer = setTimeout(epoch, 0);
}

/** Reports the batches since the last report: their mean loss and accuracy, from the epoch's running means. */
function reporter(epoch: number): (p: Progress) => void {
  let last = performance.now(),
    samples = 0,
    loss = 0,
    right = 0;
  return (p) => {
    const now = performance.now();
    if (now - last < PROGRESS_EVERY_MS && p.samples < p.total) return;
    const lossSum = p.trainLoss * p.samples,
      rightSum = (p.trainAccuracy ?? 0) * p.samples,
      count = p.samples - samples;
    scope.postMessage({
      type: "progress",
      at: epoch + p.samples / p.total,
      loss: (lossSum - loss) / count,
      accuracy: (rightSum - right) / count,
      samplesPerSecond: p.samplesPerSecond,
    });
    last = now;
    samples = p.samples;
    loss = lossSum;
    right = rightSum;
  };
}

function epoch(): void {
  timer = undefined;
  const s = session;
  if (!s || !running) return;
  try {
    s.state = train(s.state, s.data, { ...s.settings, epochs: s.state.epoch + 1 }, { onProgress: reporter(s.state.epoch) });
  } catch (error) {
    // A diverging run (DivergenceError) says where; the view pauses.
    running = false;
    fail(error);
    return;
  }
  const m = s.state.history.at(-1)!;
  const { test } = s.data;
  const predicted = predictClasses(s.state.net, test);
  const confusion = confusionMatrix(test.labels, predicted, test.classes);
  const images = misclassified(test.labels, predicted, SHOWN_MISTAKES).map((index): MisclassifiedImage => {
    const pixels = Uint8Array.from(test.inputs.subarray(index * test.features, (index + 1) * test.features), (v) => Math.round(v * 255));
    return { index, label: test.labels[index]!, predicted: predicted[index]!, pixels };
  });
  const wrong = Math.round(test.count * (1 - accuracyOf(confusion, test.classes)));
  const shot = snapshot(s.state.net);
  scope.postMessage(
    {
      type: "epoch",
      epoch: m.epoch,
      trainLoss: m.trainLoss,
      trainAccuracy: m.trainAccuracy ?? 0,
      testLoss: m.testLoss,
      testAccuracy: m.testAccuracy ?? 0,
      samplesPerSecond: m.samplesPerSecond,
      seconds: m.seconds,
      confusion,
      wrong,
      misclassified: images,
      snapshot: shot,
    },
    [confusion.buffer, ...images.map((i) => i.pixels.buffer as ArrayBuffer), ...buffersOf(shot)],
  );
  schedule();
}

async function handle(message: ToDigitsWorker): Promise<void> {
  switch (message.type) {
    case "start":
      await start(message.config, message.files);
      break;
    case "run":
      running = message.running;
      if (running) schedule();
      else stop();
      scope.postMessage({ type: "running", running });
      break;
    case "settings":
      if (session) session.settings = { ...session.settings, learningRate: message.learningRate, batchSize: message.batchSize };
      break;
  }
}

/** Messages are handled in order: a start waits for its data and kernels, and a run sent meanwhile waits for the start. */
let queue = Promise.resolve();
scope.onmessage = (event) => {
  queue = queue.then(() => handle(event.data)).catch(fail);
};
