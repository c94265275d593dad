import type { Backend } from "../engine/backend.js";
import type { NetworkSpec } from "../engine/network.js";
import { readBytes, writeAtomically } from "../io/files.js";
import { networkTensors } from "../io/model-file.js";
import { readSafeTensors, writeSafeTensors, type Tensor } from "../io/safetensors.js";
import { InputError } from "../input-error.js";
import { asJson } from "../io/error-phrases.js";
import { say, type Say } from "../i18n/translate.js";
import { startTraining, type EpochMetrics, type TrainingState, type TrainSettings } from "./trainer.js";

/** What a checkpoint records besides tensors; a resumed run must match it. */
interface Record {
  readonly epoch: number;
  readonly steps: number;
  readonly history: readonly EpochMetrics[];
  readonly settings: TrainSettings;
  /** The architecture and data the run trains, as a string compared on resume. */
  readonly run: string;
}

const KEY = "gradstep-checkpoint";

/** Writes the state after an epoch to `file` atomically: parameters, optimizer state and history. */
export function saveCheckpoint(file: string, state: TrainingState, settings: TrainSettings, run: string): void {
  const tensors = new Map<string, Tensor>(networkTensors(state.net));
  const optimizer = state.optimizer.state();
  optimizer.buffers.forEach((buffer, i) => tensors.set(`optimizer.${String(i).padStart(3, "0")}`, { shape: [buffer.length], data: buffer }));
  const record: Record = { epoch: state.epoch, steps: optimizer.steps, history: state.history, settings, run };
  writeAtomically(file, writeSafeTensors(tensors, { [KEY]: JSON.stringify(record) }));
}

function isObject(value: unknown): value is { readonly [key: string]: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const METRICS: readonly (keyof EpochMetrics)[] = ["epoch", "learningRate", "trainLoss", "testLoss", "seconds", "samplesPerSecond"];
/** Accuracy for classifiers, the errors for regressions: finite numbers where present. */
const OPTIONAL_METRICS: readonly (keyof EpochMetrics)[] = ["trainAccuracy", "testAccuracy", "testRmse", "testMae", "testR2"];

/** The training record, every field checked: a checkpoint from elsewhere, cut or edited is refused by name. */
function readRecord(text: string | undefined, fail: (detail: Say) => never): Record {
  if (text === undefined) return fail(say("modelError.checkpoint.noRecord"));
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return fail(say("modelError.checkpoint.recordNotJson"));
  }
  if (!isObject(record)) return fail(say("modelError.checkpoint.recordNotObject"));
  const { epoch, steps, history, settings, run } = record;
  if (typeof run !== "string") fail(say("modelError.checkpoint.noRun"));
  if (!isObject(settings) || !Number.isSafeInteger(settings.epochs) || (settings.epochs as number) < 1) fail(say("modelError.checkpoint.noSettings"));
  const epochs = (settings as { epochs: number }).epochs;
  if (!Number.isSafeInteger(epoch) || (epoch as number) < 1 || (epoch as number) > epochs) {
    fail(say("modelError.checkpoint.epoch", { found: asJson(epoch), epochs }));
  }
  if (!Number.isSafeInteger(steps) || (steps as number) < (epoch as number)) fail(say("modelError.checkpoint.steps", { found: asJson(steps) }));
  if (!Array.isArray(history) || history.length !== epoch) fail(say("modelError.checkpoint.history", { epochs: epoch as number }));
  (history as unknown[]).forEach((entry, k) => {
    if (
      !isObject(entry) ||
      entry.epoch !== k + 1 ||
      !METRICS.every((key) => typeof entry[key] === "number" && Number.isFinite(entry[key])) ||
      !OPTIONAL_METRICS.every((key) => entry[key] === undefined || (typeof entry[key] === "number" && Number.isFinite(entry[key])))
    ) {
      fail(say("modelError.checkpoint.historyEntry", { entry: k + 1 }));
    }
  });
  return record as unknown as Record;
}

/** The tensor `name`, of `shape`, with finite values only. */
function tensorOf(tensors: ReadonlyMap<string, Tensor>, name: string, shape: readonly number[], fail: (detail: Say) => never): Tensor {
  const tensor = tensors.get(name);
  if (!tensor) return fail(say("modelError.checkpoint.noTensor", { name, shape: shape.join(", ") }));
  if (tensor.shape.length !== shape.length || tensor.shape.some((d, i) => d !== shape[i])) {
    fail(say("modelError.checkpoint.tensorShape", { name, shape: shape.join(", "), found: tensor.shape.join(", ") }));
  }
  const bad = tensor.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) fail(say("modelError.checkpoint.notFinite", { name, value: String(tensor.data[bad]), index: bad }));
  return tensor;
}

/**
 * The state a checkpoint holds, rebuilt on `backend`, for `train` to go on
 * from. Every field, shape and value is checked; refuses a checkpoint of
 * another run (other data, architecture or settings), which could not
 * continue it exactly. A different number of epochs is accepted only where
 * the schedule does not depend on it (constant and step decay: the run is
 * extended or ends sooner); under cosine annealing it would be another model.
 */
export function loadCheckpoint(file: string, spec: NetworkSpec, backend: Backend, settings: TrainSettings, run: string): TrainingState {
  const fail = (detail: Say): never => {
    throw InputError.said(detail, { file });
  };
  const bytes = readBytes(file, say("modelError.what.checkpoint"));
  const { tensors, metadata } = readSafeTensors(bytes, file);
  const record = readRecord(metadata[KEY], fail);
  if (record.run !== run) fail(say("modelError.checkpoint.otherRun", { run, found: record.run }));
  const differing = (Object.keys(settings) as (keyof TrainSettings)[]).filter(
    (key) => key !== "epochs" && JSON.stringify(settings[key]) !== JSON.stringify(record.settings[key]),
  );
  if (differing.length > 0) fail(say("modelError.checkpoint.settings", { settings: differing.join(", ") }));
  if (settings.epochs !== record.settings.epochs && settings.schedule.name === "cosine") {
    throw InputError.said(say("modelError.checkpoint.cosineEpochs", { expected: record.settings.epochs, found: settings.epochs }), { file, option: "epochs" });
  }
  if (record.epoch > settings.epochs) fail(say("modelError.checkpoint.pastEpochs", { epoch: record.epoch, epochs: settings.epochs }));

  const known = new Set<string>();
  const restored: NetworkSpec = {
    inputs: spec.inputs,
    layers: spec.layers.map((layer, k) => {
      const inputs = k === 0 ? spec.inputs : spec.layers[k - 1]!.units;
      known.add(`layers.${k}.weight`).add(`layers.${k}.bias`);
      const w = tensorOf(tensors, `layers.${k}.weight`, [layer.units, inputs], fail);
      const b = tensorOf(tensors, `layers.${k}.bias`, [layer.units], fail);
      return {
        ...layer,
        weights: Array.from({ length: layer.units }, (_, j) => Array.from(w.data.subarray(j * inputs, (j + 1) * inputs))),
        bias: { mode: "perNeuron", values: Array.from(b.data) },
      };
    }),
  };
  const state = startTraining(restored, backend, settings.optimizer);
  const expected = state.optimizer.state().buffers;
  const buffers = expected.map((buffer, i) => {
    const name = `optimizer.${String(i).padStart(3, "0")}`;
    known.add(name);
    return Float32Array.from(tensorOf(tensors, name, [buffer.length], fail).data);
  });
  const stray = [...tensors.keys()].find((name) => !known.has(name));
  if (stray !== undefined) fail(say("modelError.checkpoint.strayTensor", { optimizer: settings.optimizer.name, name: stray }));
  state.optimizer.restore({ steps: record.steps, buffers });
  return { ...state, history: record.history, epoch: record.epoch };
}
